package io.attrib4j.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.testkit.ToyModels;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeletionInsertionTest {
    private static final ToyModels.Toy RAMP = ToyModels.linear(new double[][] {{1, 2, 3, 4}}, new double[] {0});
    private static final Tensor ONES = Tensor.of(new float[] {1, 1, 1, 1}, 1, 4);
    private static final Tensor ATTR = Tensor.of(new float[] {1, 2, 3, 4}, 1, 4);

    private static ScoreCurves run(DeletionInsertion.Mode mode, RemovalOrder order) {
        return DeletionInsertion.builder().optMode(mode).optOrder(order).optSteps(4).build()
                .evaluate(RAMP, ONES, Target.classIndex(0), ATTR);
    }

    @Test
    void curvesAndAreasMatchHandComputation() {
        ScoreCurves del = run(DeletionInsertion.Mode.DELETION, RemovalOrder.MORF);
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1}, del.fractions(), 0);
        assertArrayEquals(new float[] {10, 6, 3, 1, 0}, del.scores()[0], 0);
        assertEquals(3.75, del.auc()[0], 1e-12);
        assertArrayEquals(new float[] {0, 4, 7, 9, 10}, run(DeletionInsertion.Mode.INSERTION, RemovalOrder.MORF).scores()[0], 0);
        assertEquals(6.25, run(DeletionInsertion.Mode.INSERTION, RemovalOrder.MORF).auc()[0], 1e-12);
        assertEquals(6.25, run(DeletionInsertion.Mode.DELETION, RemovalOrder.LERF).auc()[0], 1e-12);
    }

    @Test
    void perfectAttributionHasTheBestDeletionAucOnALinearModel() {
        LinearCase c = new LinearCase(3, 7);
        DeletionInsertion deletion = DeletionInsertion.builder().optSteps(8).build();
        DeletionInsertion insertion = DeletionInsertion.builder().optMode(DeletionInsertion.Mode.INSERTION).optSteps(8).build();
        ScoreCurves perfect = deletion.evaluate(c.model, c.input, c.target, c.exactIg());
        ScoreCurves perfectIns = insertion.evaluate(c.model, c.input, c.target, c.exactIg());
        for (long seed = 1; seed <= 5; seed++) {
            ScoreCurves random = deletion.evaluate(c.model, c.input, c.target, c.random(seed));
            ScoreCurves randomIns = insertion.evaluate(c.model, c.input, c.target, c.random(seed));
            for (int i = 0; i < 3; i++) {
                assertTrue(perfect.auc()[i] < random.auc()[i], "deletion, seed " + seed + " example " + i);
                assertTrue(perfectIns.auc()[i] > randomIns.auc()[i], "insertion, seed " + seed + " example " + i);
            }
        }
    }

    @Test
    void perturbedInputsGoThroughTheModelInBatches() {
        ToyModels.Toy model = ToyModels.linear(new double[][] {{1, 2, 3, 4}}, new double[] {0});
        DeletionInsertion.builder().optSteps(4).optBatchSize(3).build()
                .evaluate(model, ONES.gatherRows(new int[] {0, 0}), Target.classIndex(0), ATTR.gatherRows(new int[] {0, 0}));
        assertEquals(List.of(3, 3, 3, 1), model.callBatchSizes()); // 2 examples x 5 points
    }

    @Test
    void badArgumentsAreTypedErrors() {
        assertThrows(InvalidOptionException.class, () -> DeletionInsertion.builder().optSteps(0).build());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> DeletionInsertion.builder().build()
                .evaluate(RAMP, ONES, Target.classIndex(0), Tensor.of(new float[3], 1, 3)));
        assertTrue(e.getMessage().contains("input-level attributions"), e.getMessage());
    }
}
