package io.attrib4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Tensor;
import io.attrib4j.gradients.IntegratedGradients;
import java.util.List;
import org.junit.jupiter.api.Test;

class InfidelityTest {
    private final LinearCase c = new LinearCase(3, 11);

    @Test
    void exactIgOfALinearModelHasZeroInfidelity() {
        Tensor ig = IntegratedGradients.withDefaults().attribute(c.model, c.input, c.target).values();
        float[] infd = Infidelity.builder().optMultipliedByInputs(true).build().compute(c.model, c.input, c.target, ig);
        for (float v : infd) {
            assertEquals(0, v, 1e-8);
        }
    }

    @Test
    void theGradientOfALinearModelHasZeroInfidelity() {
        for (float v : Infidelity.builder().build().compute(c.model, c.input, c.target, c.gradient())) {
            assertEquals(0, v, 1e-8);
        }
    }

    @Test
    void aRandomAttributionHasPositiveInfidelity() {
        for (float v : Infidelity.builder().build().compute(c.model, c.input, c.target, c.random(5))) {
            assertTrue(v > 1e-3, "infidelity " + v);
        }
    }

    @Test
    void normalizeRemovesTheAttributionsScale() {
        float[] scaled = c.gradient().data().clone();
        for (int e = 0; e < scaled.length; e++) {
            scaled[e] *= 3;
        }
        Tensor threeW = Tensor.of(scaled, c.input.shape());
        float[] raw = Infidelity.builder().build().compute(c.model, c.input, c.target, threeW);
        float[] normalized = Infidelity.builder().optNormalize(true).build().compute(c.model, c.input, c.target, threeW);
        for (int i = 0; i < 3; i++) {
            assertTrue(raw[i] > 1e-3, "raw " + raw[i]);
            assertEquals(0, normalized[i], 1e-8);
        }
    }

    @Test
    void sameSeedSameNumbersAndOneBatchedPass() {
        Infidelity metric = Infidelity.builder().optSamples(5).optBatchSize(100).build();
        float[] a = metric.compute(c.model, c.input, c.target, c.random(1));
        float[] b = metric.compute(c.model, c.input, c.target, c.random(1));
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
        assertEquals(List.of(18, 18), c.model.callBatchSizes()); // 3 inputs x (1 + 5 perturbations), per call
        assertThrows(InvalidOptionException.class, () -> Infidelity.builder().optStdev(0).build());
    }
}
