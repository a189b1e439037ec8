package io.attrib4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.gradients.InputXGradient;
import io.attrib4j.gradients.Saliency;
import org.junit.jupiter.api.Test;

class SensitivityMaxTest {
    private final LinearCase c = new LinearCase(3, 13);

    @Test
    void theGradientOfALinearModelDoesNotMove() {
        float[] s = SensitivityMax.builder().build().compute(Saliency.builder().optAbs(false).build(), c.model, c.input,
                c.target);
        for (float v : s) {
            assertEquals(0, v, 0);
        }
    }

    @Test
    void inputTimesGradientMovesWithinTheRadiusBound() {
        double radius = 0.02;
        float[] s = SensitivityMax.builder().optRadius(radius).build().compute(InputXGradient.builder().build(), c.model,
                c.input, c.target);
        for (int i = 0; i < 3; i++) {
            // attr(x + d) - attr(x) = w * d, so the ratio is ||w * d|| / ||w * x|| <= radius ||w|| / ||w * x||
            double wNorm = 0;
            double wxNorm = 0;
            for (int j = 0; j < LinearCase.D; j++) {
                wNorm += c.w[j] * c.w[j];
                double wx = c.w[j] * c.input.data()[i * LinearCase.D + j];
                wxNorm += wx * wx;
            }
            double bound = radius * Math.sqrt(wNorm) / Math.sqrt(wxNorm);
            assertTrue(s[i] > 0 && s[i] <= bound * (1 + 1e-5), s[i] + " not in (0, " + bound + "]");
        }
        assertThrows(InvalidOptionException.class, () -> SensitivityMax.builder().optRadius(-1).build());
    }
}
