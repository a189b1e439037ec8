package io.attrib4j.gradients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidTargetException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.testkit.ToyModels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Saliency and Input x Gradient on a linear model, whose gradient for target t is row t of W. */
class PlainGradientTest {
    private static final double[][] W = {
        {0.5, -1.25, 2.0},
        {-2.0, 0.4, -1.1},
    };
    private static final double[] C = {0.2, -0.7};
    private static final Tensor X = Tensor.of(new float[] {1.5f, -2f, 0.25f, -0.5f, 3f, 1f}, 2, 3);
    private static final Target T = Target.perExample(0, 1);

    @Test
    void saliencyIsTheAbsoluteGradientByDefault() {
        ToyModels.Toy lin = ToyModels.linear(W, C);
        Attribution a = Saliency.withDefaults().attribute(lin, X, T);
        float[] expected = {0.5f, 1.25f, 2.0f, 2.0f, 0.4f, 1.1f};
        assertEquals(List.of(2), lin.callBatchSizes(), "one model call");
        assertArrayEquals(expected, a.values().data(), 1e-7f);
        assertFalse(a.convergenceDelta().isPresent());
        assertEquals(true, a.provenance().parameters().get("abs"));
    }

    @Test
    void signedSaliencyIsTheGradient() {
        Attribution a = Saliency.builder().optAbs(false).build().attribute(ToyModels.linear(W, C), X, T);
        float[] expected = {0.5f, -1.25f, 2.0f, -2.0f, 0.4f, -1.1f};
        assertArrayEquals(expected, a.values().data(), 1e-7f);
    }

    @Test
    void inputXGradientIsInputTimesGradient() {
        Attribution a = InputXGradient.withDefaults().attribute(ToyModels.linear(W, C), X, T);
        float[] expected = {0.75f, 2.5f, 0.5f, 1.0f, 1.2f, -1.1f};
        assertArrayEquals(expected, a.values().data(), 1e-6f);
        assertFalse(a.convergenceDelta().isPresent());
        assertEquals(InputXGradient.NAME, a.provenance().method());
    }

    @Test
    void badInputsAreRejected() {
        Tensor nan = Tensor.of(new float[] {1, Float.POSITIVE_INFINITY, 0}, 1, 3);
        assertThrows(InvalidInputException.class,
                () -> Saliency.withDefaults().attribute(ToyModels.linear(W, C), nan, Target.classIndex(0)));
        assertThrows(InvalidTargetException.class,
                () -> InputXGradient.withDefaults().attribute(ToyModels.linear(W, C), X, Target.perExample(0, 1, 1)));
    }
}
