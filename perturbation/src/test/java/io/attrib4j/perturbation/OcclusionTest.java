package io.attrib4j.perturbation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.testkit.ToyModels;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Occlusion on a 1x4x4 "image" and the linear model F(x) = sum_ij w_ij x_ij with w_ij = 4i + j + 1
 * (1..16 row-major), x = 1, baseline 0. Occluding the 2x2 window with top-left corner (r, c) drops F by the
 * window's weight sum S(r, c) = 16r + 4c + 14:
 * <pre>
 *   S = 14 18 22
 *       30 34 38
 *       46 50 54
 * </pre>
 * Each element's attribution is the mean of S over the windows covering it, e.g. (0,0): 14 (one window),
 * (0,1): (14 + 18) / 2 = 16, (1,1): (14 + 18 + 30 + 34) / 4 = 24.
 */
class OcclusionTest {
    private static ToyModels.Toy model() {
        double[][] w = new double[1][16];
        for (int e = 0; e < 16; e++) {
            w[0][e] = e + 1;
        }
        return ToyModels.linear(w, new double[] {0.5});
    }

    private static Tensor ones() {
        return Tensor.filled(Shape.of(1, 1, 4, 4), 1f);
    }

    @Test
    void twoByTwoWindowStrideOneMatchesHandComputedMeans() {
        float[] expected = {
            14, 16, 20, 22,
            22, 24, 28, 30,
            38, 40, 44, 46,
            46, 48, 52, 54};
        Tensor a = Occlusion.builder().setSlidingWindowShape(1, 2, 2).build()
                .attribute(model(), ones(), Target.classIndex(0)).values();
        assertEquals(Shape.of(1, 1, 4, 4), a.shape());
        assertArrayEquals(expected, a.data(), 1e-4f);
    }

    /**
     * Window 3x3, stride 2 on 4x4: ceil((4 - 3) / 2) + 1 = 2 positions per axis (0 and 2), the second clipped
     * to rows/columns 2..3, as Captum does. (0,0) is only in the window at (0,0): 1+2+3+5+6+7+9+10+11 = 54;
     * (3,3) only in the clipped window at (2,2): 11+12+15+16 = 54; (2,2) is in all four:
     * (54 + 45 + 72 + 54) / 4 = 56.25; (0,3) only in the window at (0,2): 3+4+7+8+11+12 = 45.
     */
    @Test
    void stridedWindowIsClippedAtTheEdge() {
        Tensor a = Occlusion.builder().setSlidingWindowShape(1, 3, 3).optStrides(1, 2, 2).build()
                .attribute(model(), ones(), Target.classIndex(0)).values();
        assertEquals(54f, a.get(0, 0, 0, 0), 1e-4f);
        assertEquals(54f, a.get(0, 0, 3, 3), 1e-4f);
        assertEquals(56.25f, a.get(0, 0, 2, 2), 1e-4f);
        assertEquals(45f, a.get(0, 0, 0, 3), 1e-4f);
    }

    @Test
    void perturbationsPerEvalGivesIdenticalResultsAndFewerCalls() {
        ToyModels.Toy m1 = ToyModels.tanhMlp(16, 6, 2, 11);
        ToyModels.Toy m7 = ToyModels.tanhMlp(16, 6, 2, 11);
        Tensor x = Tensor.of(new float[] {
            .1f, -.4f, .3f, .9f, -.2f, .5f, .7f, -.8f, .2f, .3f, -.6f, .1f, .4f, -.1f, .6f, -.3f,
            -.5f, .2f, .8f, -.7f, .6f, .1f, -.2f, .4f, .9f, -.3f, .5f, .2f, -.1f, .7f, -.4f, .3f}, 2, 1, 4, 4);
        Target t = Target.perExample(0, 1);
        Tensor a1 = Occlusion.builder().setSlidingWindowShape(1, 2, 2).build().attribute(m1, x, t).values();
        Tensor a7 = Occlusion.builder().setSlidingWindowShape(1, 2, 2).optPerturbationsPerEval(7).build()
                .attribute(m7, x, t).values();
        assertArrayEquals(a1.data(), a7.data(), 0f);
        // 9 windows x 2 examples: 1 + 9 calls, or 1 + ceil(9 / 7) = 3 calls
        assertEquals(10, m1.callBatchSizes().size());
        assertEquals(List.of(2, 14, 4), m7.callBatchSizes());
    }
}
