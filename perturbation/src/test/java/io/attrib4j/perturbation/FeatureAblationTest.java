package io.attrib4j.perturbation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.testkit.ToyModels;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Feature Ablation replaces one group at a time by the baseline and records the drop of the target. On a
 * linear model F(x) = W x + c the drop for a single element j is exactly W[t][j] (x_j - b_j), and for a group
 * the sum of those over the group.
 */
class FeatureAblationTest {
    private static final double[][] W = {{1, -2, 3, 0.5, -1, 2}, {0.25, 4, -3, 1, 2, -0.5}};
    private static final float[] X = {1, 2, -1, 4, 0.5f, -2, /* example 2 */ 3, -1, 2, 0, 1, 1};
    private static final float B = 0.5f;

    private static Tensor input() {
        return Tensor.of(X.clone(), 2, 6);
    }

    @Test
    void eachElementGetsWeightTimesDifferenceFromBaseline() {
        ToyModels.Toy model = ToyModels.linear(W, new double[] {0.1, -0.2});
        Attribution a = FeatureAblation.builder().optBaseline(Baseline.constant(B)).build()
                .attribute(model, input(), Target.perExample(0, 1));
        float[] expected = new float[12];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 6; j++) {
                expected[i * 6 + j] = (float) (W[i][j] * (X[i * 6 + j] - B));
            }
        }
        assertArrayEquals(expected, a.values().data(), 1e-5f);
        assertEquals(Shape.of(2, 6), a.values().shape());
    }

    @Test
    void aGroupGetsTheSumOverItsElementsOnEveryElement() {
        ToyModels.Toy model = ToyModels.linear(W, new double[] {0, 0});
        // groups {0,1,2} -> id 7, {3} -> id 2, {4,5} -> id 9; one mask row for both examples
        Tensor mask = Tensor.ofInt64(new long[] {7, 7, 7, 2, 9, 9}, Shape.of(6));
        Attribution a = FeatureAblation.builder().optFeatureMask(mask).build()
                .attribute(model, input(), Target.classIndex(0));
        // class 0, zero baseline: example 1: 1*1 - 2*2 + 3*(-1) = -6 ; 0.5*4 = 2 ; -1*0.5 + 2*(-2) = -4.5
        //                         example 2: 3 + 2 + 6 = 11 ; 0 ; -1 + 2 = 1
        float[] expected = {-6, -6, -6, 2, -4.5f, -4.5f, 11, 11, 11, 0, 1, 1};
        assertArrayEquals(expected, a.values().data(), 1e-5f);
    }

    @Test
    void perturbationsPerEvalChangesBatchingNotNumbers() {
        ToyModels.Toy one = ToyModels.tanhMlp(6, 5, 2, 3);
        ToyModels.Toy seven = ToyModels.tanhMlp(6, 5, 2, 3);
        ToyModels.Toy four = ToyModels.tanhMlp(6, 5, 2, 3);
        Target t = Target.perExample(1, 0);
        Tensor a1 = FeatureAblation.builder().build().attribute(one, input(), t).values();
        Tensor a7 = FeatureAblation.builder().optPerturbationsPerEval(7).build().attribute(seven, input(), t).values();
        Tensor a4 = FeatureAblation.builder().optPerturbationsPerEval(4).build().attribute(four, input(), t).values();
        assertArrayEquals(a1.data(), a7.data(), 0f);
        assertArrayEquals(a1.data(), a4.data(), 0f);
        // one forward of the 2 originals, then 6 features x 2 examples in copies of the batch
        assertEquals(List.of(2, 2, 2, 2, 2, 2, 2), one.callBatchSizes());
        assertEquals(List.of(2, 12), seven.callBatchSizes());
        assertEquals(List.of(2, 8, 4), four.callBatchSizes());
    }

    @Test
    void provenanceCountsModelCalls() {
        Attribution a = FeatureAblation.builder().optPerturbationsPerEval(4).build()
                .attribute(ToyModels.linear(W, new double[2]), input(), Target.classIndex(1));
        assertEquals(3, a.provenance().timing().modelCalls());
        assertEquals(14, a.provenance().timing().modelEvaluations());
        assertEquals(FeatureAblation.NAME, a.provenance().method());
    }
}
