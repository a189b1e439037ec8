package io.attrib4j.attention;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AttentionValidationTest {
    private final AttentionRollout rollout = AttentionRollout.withDefaults();
    private final Tensor good = Reference.randomAttention(new Random(1), 2, 1, 2, 3, 1.0);

    private static void assertMessage(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
        }
    }

    @Test
    void rankOtherThanFiveIsRejected() {
        Tensor rank4 = Tensor.filled(io.attrib4j.engine.Shape.of(1, 2, 3, 3), 1f / 3);
        var e = assertThrows(InvalidInputException.class, () -> rollout.rollout(rank4));
        assertMessage(e, "rank 5", "[layers, batch, heads, seq, seq]");
    }

    @Test
    void nonSquareMapsAreRejected() {
        Tensor t = Tensor.filled(io.attrib4j.engine.Shape.of(1, 1, 1, 3, 4), 0.25f);
        var e = assertThrows(InvalidInputException.class, () -> rollout.rollout(t));
        assertMessage(e, "not square");
    }

    @Test
    void inconsistentLayersAreRejectedByName() {
        Tensor l0 = Tensor.filled(io.attrib4j.engine.Shape.of(1, 2, 3, 3), 1f / 3);
        Tensor l1 = Tensor.filled(io.attrib4j.engine.Shape.of(1, 2, 4, 4), 0.25f);
        var e = assertThrows(InvalidInputException.class, () -> rollout.rollout(List.of(l0, l0, l1)));
        assertMessage(e, "layer 2", "[1, 2, 4, 4]", "[1, 2, 3, 3]");
        assertThrows(InvalidInputException.class, () -> rollout.rollout(List.of()));
    }

    @Test
    void negativeValuesAreRejected() {
        float[] d = good.data().clone();
        d[4] = -0.2f;
        d[5] += 0.2f; // keep the row sum at 1 so the sign check is what fails
        var e = assertThrows(InvalidInputException.class, () -> rollout.rollout(Tensor.of(d, good.shape())));
        assertMessage(e, "negative", "row 1");
    }

    @Test
    void rowsNotSummingToOneAreRejected() {
        float[] d = good.data().clone();
        d[d.length - 1] += 0.01f;
        var e = assertThrows(InvalidInputException.class, () -> rollout.rollout(Tensor.of(d, good.shape())));
        assertMessage(e, "layer 1", "row 2", "softmax");
    }

    @Test
    void nanIsRejected() {
        float[] d = good.data().clone();
        d[7] = Float.NaN;
        assertThrows(InvalidInputException.class, () -> rollout.rollout(Tensor.of(d, good.shape())));
    }

    @Test
    void gradientShapeMismatchIsRejected() {
        Tensor grad = Tensor.zeros(io.attrib4j.engine.Shape.of(2, 1, 3, 3, 3));
        var e = assertThrows(InvalidInputException.class,
                () -> GradientWeightedRollout.create().rollout(good, grad));
        assertMessage(e, "attention gradients", "heads 3", "heads 2");
        float[] g = new float[good.size()];
        g[0] = Float.POSITIVE_INFINITY;
        assertThrows(InvalidInputException.class,
                () -> GradientWeightedRollout.create().rollout(good, Tensor.of(g, good.shape())));
    }

    @Test
    void optionsOutOfRangeAreRejected() {
        assertThrows(InvalidOptionException.class, () -> AttentionRollout.builder().optResidualWeight(-0.1).build());
        assertThrows(InvalidOptionException.class, () -> AttentionRollout.builder().optResidualWeight(1.5).build());
        assertThrows(InvalidOptionException.class, () -> AttentionRollout.builder().optDiscardRatio(1).build());
        assertThrows(InvalidOptionException.class, () -> AttentionRollout.builder().optDiscardRatio(Double.NaN).build());
        assertThrows(InvalidOptionException.class, () -> AttentionRollout.builder().optHeadFusion(null).build());
    }

    @Test
    void zeroRowWithoutResidualIsReportedNotDividedByZero() {
        // MIN over two heads that attend to disjoint keys is all zeros
        float[] d = {1, 0, 0, 1, /* head 1 */ 0, 1, 1, 0};
        AttentionRollout noResidual = AttentionRollout.builder().optHeadFusion(HeadFusion.MIN).optResidualWeight(0)
                .build();
        var e = assertThrows(InvalidInputException.class, () -> noResidual.rollout(Tensor.of(d, 1, 1, 2, 2, 2)));
        assertMessage(e, "sums to 0", "residual weight");
    }
}
