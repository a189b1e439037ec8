package io.attrib4j.models.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Tensor;
import org.junit.jupiter.api.Test;

class StripesModelTest {

    @Test
    void generatorsAreSeededAndShaped() {
        assertArrayEquals(StripesModel.conceptImages(4, 3).data(), StripesModel.conceptImages(4, 3).data());
        Tensor r = StripesModel.randomImages(5, 1);
        assertEquals(StripesModel.EXAMPLE_SHAPE.prependBatch(5), r.shape());
        int ones = 0;
        for (int y : StripesModel.samples(400, 2).labels()) {
            ones += y;
        }
        assertTrue(ones > 150 && ones < 250, "about half class 1: " + ones);
    }

    @Test
    void trainsToHighHeldOutAccuracyWithNamedLayers() {
        StripesModel m = Zoo.stripesClassifier();
        assertTrue(m.heldOutAccuracy() > 0.95, "held-out accuracy " + m.heldOutAccuracy());
        assertEquals(StripesModel.LAYERS, m.model().layerNames());
        assertEquals(2, m.model().forward(StripesModel.classImages(1, 3, 5)).shape().dim(1));
    }
}
