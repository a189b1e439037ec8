package io.attrib4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Tensor;
import io.attrib4j.gradients.IntegratedGradients;
import io.attrib4j.gradients.Saliency;
import org.junit.jupiter.api.Test;

class CompletenessErrorTest {
    private final LinearCase c = new LinearCase(4, 3);

    @Test
    void integratedGradientsOnALinearModelIsComplete() {
        Attribution ig = IntegratedGradients.withDefaults().attribute(c.model, c.input, c.target);
        for (float e : CompletenessError.compute(c.model, c.input, Baseline.zeros(), c.target, ig.values())) {
            assertTrue(e < 1e-5, "completeness error " + e);
        }
        for (float e : CompletenessError.of(ig)) {
            assertTrue(e < 1e-5, "recorded completeness error " + e);
        }
    }

    @Test
    void zeroAttributionMissesTheWholeOutputChange() {
        float[] e = CompletenessError.compute(c.model, c.input, Baseline.zeros(), c.target, Tensor.zeros(c.input.shape()));
        for (int i = 0; i < 4; i++) {
            double change = 0;
            for (int j = 0; j < LinearCase.D; j++) {
                change += c.w[j] * c.input.data()[i * LinearCase.D + j];
            }
            assertEquals(change, e[i], 1e-5);
        }
    }

    @Test
    void anAttributionWithoutDeltaIsATypedError() {
        Attribution s = Saliency.builder().build().attribute(c.model, c.input, c.target);
        InvalidInputException ex = assertThrows(InvalidInputException.class, () -> CompletenessError.of(s));
        assertTrue(ex.getMessage().contains("compute(model"), ex.getMessage());
    }
}
