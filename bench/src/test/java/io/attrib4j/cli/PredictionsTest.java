package io.attrib4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.attrib4j.engine.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class PredictionsTest {
    @Test
    void softmaxProbabilityIsStableAndNormalized() {
        // logits 0 and ln 3: probabilities 1/4 and 3/4; a huge shift must not overflow
        float ln3 = (float) Math.log(3);
        Tensor logits = Tensor.of(new float[] {0f, ln3, 1000f, 1000f + ln3}, 2, 2);
        assertEquals(0.25, Predictions.probability(logits, 0, 0), 1e-6);
        assertEquals(0.75, Predictions.probability(logits, 0, 1), 1e-6);
        assertEquals(0.75, Predictions.probability(logits, 1, 1), 1e-4, "float32 spacing near 1000 is 6e-5");
    }

    @Test
    void labelsFallBackToTheIndex() {
        assertEquals("green", Predictions.label(List.of("red", "green"), 1));
        assertEquals("class 5", Predictions.label(List.of("red", "green"), 5));
        assertEquals("class 0", Predictions.label(null, 0));
    }
}
