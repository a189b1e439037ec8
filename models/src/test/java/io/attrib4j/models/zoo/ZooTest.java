package io.attrib4j.models.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ModelGradients;
import io.attrib4j.models.DjlBlockModel;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZooTest {

    @Test
    void samplesAreSeededAndHoldOneSquareOfTheLabelColour() {
        PatchModel.Samples a = PatchModel.samples(20, 5);
        PatchModel.Samples b = PatchModel.samples(20, 5);
        assertArrayEquals(a.images().data(), b.images().data());
        assertArrayEquals(a.labels(), b.labels());
        assertEquals(Shape.of(20, 3, 32, 32), a.images().shape());
        for (int i = 0; i < 20; i++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        float v = a.images().get(i, c, y, x);
                        boolean bright = c == a.labels()[i] && a.inSquare(i, y, x);
                        assertTrue(bright ? v == 1f : v >= 0 && v < PatchModel.NOISE, "pixel " + i + "," + c + "," + y + "," + x);
                    }
                }
            }
        }
    }

    @Test
    void patchClassifierIsAccurateOnFreshSamplesAndCached() {
        long start = System.nanoTime();
        PatchModel patch = Zoo.patchClassifier();
        long trainMillis = (System.nanoTime() - start) / 1_000_000;
        assertSame(patch, Zoo.patchClassifier());
        assertEquals(List.of("red", "green", "blue"), patch.classNames());

        PatchModel.Samples fresh = PatchModel.samples(300, 123_456);
        int[] predicted = patch.model().forward(fresh.images()).argmaxRows();
        int right = 0;
        for (int i = 0; i < predicted.length; i++) {
            right += predicted[i] == fresh.labels()[i] ? 1 : 0;
        }
        double accuracy = right / 300.0;
        System.out.printf("patch classifier: trained in %d ms, held-out accuracy %.4f, fresh accuracy %.4f%n",
                trainMillis, patch.heldOutAccuracy(), accuracy);
        assertTrue(accuracy > 0.95, "accuracy on fresh samples " + accuracy);
        assertTrue(patch.heldOutAccuracy() > 0.95, "held-out accuracy " + patch.heldOutAccuracy());

        patch.model().close(); // shared: closing is ignored
        patch.model().forward(fresh.images().rows(0, 2));
    }

    @Test
    void inputTimesGradientConcentratesOnTheSquare() {
        PatchModel patch = Zoo.patchClassifier();
        PatchModel.Samples s = PatchModel.samples(4, 99);
        ModelGradients g = patch.model().gradients(s.images(), Target.perExample(s.labels()));
        for (int i = 0; i < 4; i++) {
            double inside = 0;
            double outside = 0;
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    double v = Math.abs(g.inputGradient().get(i, s.labels()[i], y, x) * s.images().get(i, s.labels()[i], y, x));
                    if (s.inSquare(i, y, x)) {
                        inside += v;
                    } else {
                        outside += v;
                    }
                }
            }
            double insideMean = inside / (PatchModel.SQUARE * PatchModel.SQUARE);
            double outsideMean = outside / (32 * 32 - PatchModel.SQUARE * PatchModel.SQUARE);
            assertTrue(insideMean > 3 * outsideMean, "example " + i + ": mean |input x gradient| on the square "
                    + insideMean + " vs elsewhere " + outsideMean);
        }
    }

    @Test
    void resnet18IsSeededAndGivesGradients() {
        try (DjlBlockModel a = Zoo.resnet18(5, 32, 1); DjlBlockModel b = Zoo.resnet18(5, 32, 1);
                DjlBlockModel c = Zoo.resnet18(5, 32, 2)) {
            assertEquals(a.info().contentHash(), b.info().contentHash());
            assertNotEquals(a.info().contentHash(), c.info().contentHash());
            Tensor x = PatchModel.samples(2, 3).images();
            ModelGradients g = a.gradients(x, Target.classIndex(4));
            assertEquals(Shape.of(2, 5), g.output().shape());
            assertEquals(x.shape(), g.inputGradient().shape());
            assertTrue(g.inputGradient().maxAbs() > 0);
            assertArrayEquals(a.forward(x).data(), g.output().data(), 1e-5f);
        }
    }
}
