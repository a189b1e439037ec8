package io.attrib4j.models.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.AttentionGradients;
import org.junit.jupiter.api.Test;

class MarkerTransformerTest {

    @Test
    void samplesHoldExactlyTheMarkerOfTheirLabel() {
        MarkerTransformer.Samples s = MarkerTransformer.samples(200, 5);
        for (int i = 0; i < 200; i++) {
            assertEquals(MarkerTransformer.CLS, (int) s.ids().get(i, 0));
            for (int p = 1; p < MarkerTransformer.LENGTH; p++) {
                int id = (int) s.ids().get(i, p);
                boolean marker = id == MarkerTransformer.GOOD || id == MarkerTransformer.BAD;
                assertEquals(s.isMarker(i, p), marker, "sentence " + i + " position " + p);
                if (marker) {
                    assertEquals(s.labels()[i] == 1 ? MarkerTransformer.GOOD : MarkerTransformer.BAD, id);
                }
            }
        }
        assertArrayEquals(s.ids().data(), MarkerTransformer.samples(200, 5).ids().data());
    }

    @Test
    void trainsToHighHeldOutAccuracy() {
        MarkerTransformer t = Zoo.markerTransformer();
        System.out.println("marker transformer held-out accuracy " + t.heldOutAccuracy());
        assertTrue(t.heldOutAccuracy() > 0.95, "accuracy " + t.heldOutAccuracy());
        assertEquals(50, t.vocabulary().size());
    }

    @Test
    void attentionIsProbabilitiesAndMatchesItsGradientPass() {
        TextClassifier m = Zoo.markerTransformer().model();
        Tensor ids = MarkerTransformer.samples(3, 9).ids();
        Tensor a = m.attention(ids);
        assertEquals(Shape.of(2, 3, 2, 12, 12), a.shape());
        for (int row = 0; row < a.size() / 12; row++) {
            double sum = 0;
            for (int j = 0; j < 12; j++) {
                sum += a.data()[row * 12 + j];
            }
            assertEquals(1, sum, 1e-5);
        }
        AttentionGradients g = m.attentionGradients(ids, Target.classIndex(1));
        assertArrayEquals(a.data(), g.attention().data(), 1e-6f);
        assertEquals(a.shape(), g.gradient().shape());
        assertArrayEquals(m.forward(ids).data(), g.output().data(), 1e-5f);
        assertTrue(g.gradient().maxAbs() > 0);
    }

    @Test
    void tokenIdsOutsideTheVocabularyAreRejected() {
        TextClassifier m = Zoo.markerTransformer().model();
        long[] ids = new long[12];
        ids[5] = 50;
        Tensor bad = Tensor.ofInt64(ids, Shape.of(1, 12));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> m.forward(bad));
        assertTrue(e.getMessage().contains("token id 50 at [example 0, position 5]"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> m.attention(bad));
        ids[5] = -1;
        assertThrows(InvalidInputException.class, () -> m.layerActivation(Tensor.ofInt64(ids, Shape.of(1, 12)),
                MarkerTransformer.EMBEDDING));
    }
}
