package io.attrib4j.gradients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.testkit.Close;
import io.attrib4j.testkit.ToyModels;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AdaptiveIntegratedGradientsTest {

    private static Tensor random(int n, int d, double scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextDouble(-scale, scale);
        }
        return Tensor.of(v, n, d);
    }

    /** |delta_i| <= tol * max(|F(x_i) - F(0)|, floor), with F from the toy model's exact double arithmetic. */
    private static void assertWithinTolerance(ToyModels.Toy model, Tensor x, int[] t, Attribution a, double tol,
            double floor) {
        float[] delta = a.convergenceDelta().orElseThrow();
        for (int i = 0; i < x.batch(); i++) {
            double[] xi = new double[x.rowSize()];
            double sum = 0;
            for (int j = 0; j < xi.length; j++) {
                xi[j] = x.data()[i * xi.length + j];
                sum += a.values().data()[i * xi.length + j];
            }
            double change = model.outputOf(xi)[t[i]] - model.outputOf(new double[xi.length])[t[i]];
            assertEquals(sum - change, delta[i], 1e-5, "reported delta of example " + i);
            assertTrue(Math.abs(sum - change) <= tol * Math.max(Math.abs(change), floor) + 1e-6,
                    "example " + i + ": |delta| = " + Math.abs(sum - change) + ", change " + change);
        }
    }

    @Test
    void reachesTheToleranceWithFewerEvaluationsThanFiftyFixedSteps() {
        Tensor x = random(4, 6, 2, 4);
        int[] t = {0, 1, 2, 0};
        ToyModels.Toy adaptiveModel = ToyModels.tanhMlp(6, 16, 3, 7);
        Attribution a = AdaptiveIntegratedGradients.withDefaults().attribute(adaptiveModel, x, Target.perExample(t));
        ToyModels.Toy fixedModel = ToyModels.tanhMlp(6, 16, 3, 7);
        Attribution fixed = IntegratedGradients.withDefaults().attribute(fixedModel, x, Target.perExample(t));

        Map<String, Object> p = a.provenance().parameters();
        int[] stepsUsed = (int[]) p.get("stepsUsed");
        boolean[] converged = (boolean[]) p.get("converged");
        long evaluations = (Long) p.get("gradientEvaluations");
        assertArrayEquals(new boolean[] {true, true, true, true}, converged);
        long pathPoints = adaptiveModel.callBatchSizes().stream().mapToLong(Integer::longValue).sum() - 2 * 4;
        assertEquals(pathPoints, evaluations, "evaluations counted by the model (less the one output-change forward)");
        assertTrue(evaluations < 50 * 4, "adaptive used " + evaluations + " path points, fixed 50-step GL uses 200");
        for (int s : stepsUsed) {
            assertTrue(s >= 8 && s <= 512 && Integer.bitCount(s / 8) == 1, "steps used " + s);
        }
        assertWithinTolerance(adaptiveModel, x, t, a, 0.01, 1e-3);
        // same attributions as fixed-step IG, to within the tolerance the adaptive rule promises
        Close.relative(fixed.values(), a.values(), 0.02, "adaptive vs 50-step GL");
    }

    @Test
    void refinesOnlyTheExamplesThatHaveNotConverged() {
        // example 0 is nearly linear between 0 and x (tiny input); example 1 is far out where tanh bends
        Tensor x = Tensor.of(new float[] {0.01f, -0.02f, 0.01f, 0.02f, 0f, -0.01f, 9f, -8f, 7.5f, -9.5f, 8.5f, 6f}, 2, 6);
        int[] t = {1, 1};
        ToyModels.Toy model = ToyModels.tanhMlp(6, 16, 3, 7);
        Attribution a = AdaptiveIntegratedGradients.builder().optTolerance(1e-4).optAbsoluteFloor(1e-2).build()
                .attribute(model, x, Target.perExample(t));
        int[] stepsUsed = (int[]) a.provenance().parameters().get("stepsUsed");
        assertEquals(8, stepsUsed[0]);
        assertTrue(stepsUsed[1] > 8, "the hard example was refined: " + stepsUsed[1]);
        List<Integer> calls = model.callBatchSizes();
        assertEquals(4, calls.get(0), "the output change, both examples and their baselines");
        assertEquals(16, calls.get(1), "first round: 8 steps x 2 examples");
        for (int c = 2; c < calls.size(); c++) {
            assertEquals(8 << (c - 1), (int) calls.get(c), "round " + c + " runs the hard example alone");
        }
        assertWithinTolerance(model, x, t, a, 1e-4, 1e-2);
    }

    @Test
    void reportsExamplesThatDoNotConvergeByMaxSteps() {
        Tensor x = random(2, 6, 3, 11);
        Attribution a = AdaptiveIntegratedGradients.builder().optTolerance(1e-9).optAbsoluteFloor(1e-9)
                .optInitialSteps(4).optMaxSteps(16).build()
                .attribute(ToyModels.tanhMlp(6, 16, 3, 7), x, Target.classIndex(0));
        assertArrayEquals(new int[] {16, 16}, (int[]) a.provenance().parameters().get("stepsUsed"));
        assertArrayEquals(new boolean[] {false, false}, (boolean[]) a.provenance().parameters().get("converged"));
        assertEquals((4L + 8 + 16) * 2, a.provenance().parameters().get("gradientEvaluations"));
    }

    @Test
    void badOptionsAreRejected() {
        assertThrows(InvalidOptionException.class, () -> AdaptiveIntegratedGradients.builder().optTolerance(0).build());
        assertThrows(InvalidOptionException.class,
                () -> AdaptiveIntegratedGradients.builder().optAbsoluteFloor(-1).build());
        assertThrows(InvalidOptionException.class,
                () -> AdaptiveIntegratedGradients.builder().optInitialSteps(64).optMaxSteps(32).build());
        assertThrows(InvalidOptionException.class, () -> AdaptiveIntegratedGradients.builder().optInitialSteps(0).build());
    }
}
