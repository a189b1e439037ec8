package io.attrib4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The benchmark model's gradient is the derivative of its forward (central differences in float). */
class DenseTanhModelTest {

    @Test
    void gradientMatchesCentralDifferencesOfTheForward() {
        DenseTanhModel model = new DenseTanhModel(Shape.of(2, 3, 4), 5, 3, 7L);
        SplittableRandom r = new SplittableRandom(3);
        float[] x = new float[2 * 24];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        Tensor input = Tensor.of(x, Shape.of(2, 2, 3, 4));
        Target target = Target.perExample(2, 0);
        float[] g = model.gradients(input, target).inputGradient().data();
        float h = 1e-2f;
        for (int row = 0; row < 2; row++) {
            int k = row == 0 ? 2 : 0;
            for (int j = 0; j < 24; j++) {
                int at = row * 24 + j;
                float[] plus = x.clone();
                float[] minus = x.clone();
                plus[at] += h;
                minus[at] -= h;
                float up = model.forward(Tensor.of(plus, input.shape())).data()[row * 3 + k];
                float down = model.forward(Tensor.of(minus, input.shape())).data()[row * 3 + k];
                assertEquals((up - down) / (2 * h), g[at], 2e-3, "d out[" + row + "," + k + "] / d x[" + at + "]");
            }
        }
    }

    @Test
    void wrongExampleSizeIsATypedErrorWithTheExpectedSize() {
        DenseTanhModel model = new DenseTanhModel(Shape.of(4), 2, 2, 1L);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> model.forward(Tensor.of(new float[6], 2, 3)));
        assertEquals(true, e.getMessage().contains("4 values"), e.getMessage());
    }
}
