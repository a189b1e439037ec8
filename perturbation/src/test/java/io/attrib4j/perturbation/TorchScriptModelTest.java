package io.attrib4j.perturbation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.models.TorchScriptModel;
import io.attrib4j.testkit.Oracle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The gradient-free methods on a real model: the oracle's TorchScript CNN on its two 3x32x32 inputs. */
class TorchScriptModelTest {
    private static TorchScriptModel cnn;
    private static Tensor x;
    private static Target targets;

    @BeforeAll
    static void load() {
        cnn = TorchScriptModel.load(Oracle.modelFile("cnn_full.pt"));
        x = Oracle.load("cnn/x");
        targets = Target.perExample(Oracle.loadInts("cnn/targets"));
    }

    @AfterAll
    static void close() {
        cnn.close();
    }

    @Test
    void occlusionWithFourByFourWindows() {
        Attribution a = Occlusion.builder().setSlidingWindowShape(3, 4, 4).optStrides(3, 4, 4)
                .optPerturbationsPerEval(16).build().attribute(cnn, x, targets);
        assertEquals(Shape.of(2, 3, 32, 32), a.values().shape());
        // 8 x 8 windows, 16 per call: 1 + 4 calls
        assertEquals(5, a.provenance().timing().modelCalls());
        assertTrue(a.values().maxAbs() > 0);
        // non-overlapping windows: every element of a window carries the same value
        assertEquals(a.values().get(1, 0, 4, 4), a.values().get(1, 2, 7, 7), 0f);
    }

    @Test
    void ablatingEverythingAtOnceGivesTheWholeOutputChange() {
        Tensor oneGroup = Tensor.ofInt64(new long[3 * 32 * 32], Shape.of(3, 32, 32));
        Attribution a = FeatureAblation.builder().optFeatureMask(oneGroup).build().attribute(cnn, x, targets);
        float[] fx = targets.select(cnn.forward(x));
        float[] fb = targets.select(cnn.forward(Tensor.zeros(x.shape())));
        for (int i = 0; i < 2; i++) {
            float change = fx[i] - fb[i];
            assertEquals(change, a.values().get(i, 0, 0, 0), 1e-6f);
            assertEquals(change * 3 * 32 * 32, a.values().rowSums()[i], 1e-3f * Math.max(1, Math.abs(change) * 3072));
        }
    }

    @Test
    void kernelShapOnQuadrantsIsEfficient() {
        long[] ids = new long[32 * 32];
        for (int h = 0; h < 32; h++) {
            for (int w = 0; w < 32; w++) {
                ids[h * 32 + w] = (h / 16) * 2 + w / 16;
            }
        }
        Tensor quadrants = Tensor.ofInt64(ids, Shape.of(1, 32, 32)); // broadcast over channels
        Attribution a = KernelShap.builder().optFeatureMask(quadrants).optPerturbationsPerEval(14).build()
                .attribute(cnn, x, targets);
        // 4 groups: all 14 proper coalitions enumerated, plus the empty one, in 2 calls after F(x)
        assertEquals(3, a.provenance().timing().modelCalls());
        assertEquals(a.values().get(0, 0, 0, 0), a.values().get(0, 2, 15, 15), 0f);
        for (float d : a.convergenceDelta().orElseThrow()) {
            assertTrue(Math.abs(d) < 1e-5, "efficiency gap " + d);
        }
    }
}
