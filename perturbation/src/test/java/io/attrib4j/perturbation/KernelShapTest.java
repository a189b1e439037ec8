package io.attrib4j.perturbation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.testkit.ToyModels;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * KernelSHAP estimates Shapley values by a Shapley-kernel-weighted regression over coalitions. On a linear
 * model the Shapley value of feature j is w_j (x_j - b_j) in closed form; on a non-linear model the test
 * computes the Shapley values by their definition ({@link ExactShapley}) and compares.
 */
class KernelShapTest {

    private static float[] randomRow(int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[d];
        for (int j = 0; j < d; j++) {
            x[j] = (float) r.nextDouble(-1, 1);
        }
        return x;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int j = 0; j < f.length; j++) {
            d[j] = f[j];
        }
        return d;
    }

    private static ToyModels.Toy linear(int d) {
        double[][] w = new double[2][d];
        for (int j = 0; j < d; j++) {
            w[0][j] = j - 2.5;
            w[1][j] = 0.3 * (j + 1);
        }
        return ToyModels.linear(w, new double[] {0.7, -0.1});
    }

    private static void assertLinearShapley(int d, KernelShap method, double tol) {
        float[] x = randomRow(d, 1);
        float[] b = randomRow(d, 2);
        Attribution a = method.attribute(linear(d), Tensor.of(x, 1, d), Target.classIndex(0));
        // the test builds the method with optBaseline(b)
        for (int j = 0; j < d; j++) {
            assertEquals((j - 2.5) * ((double) x[j] - b[j]), a.values().data()[j], tol, "feature " + j);
        }
    }

    @Test
    void enumeratesAllCoalitionsForSixFeaturesAndRecoversLinearShapleyValues() {
        int d = 6;
        KernelShap ks = KernelShap.builder().optBaseline(Baseline.of(Tensor.of(randomRow(d, 2), d))).build();
        assertLinearShapley(d, ks, 1e-6);
    }

    @Test
    void sampledCoalitionsRecoverLinearShapleyValues() {
        int d = 12; // 2^12 - 2 = 4094 coalitions > 300 default samples: sampled
        KernelShap ks = KernelShap.builder().optBaseline(Baseline.of(Tensor.of(randomRow(d, 2), d))).build();
        assertLinearShapley(d, ks, 1e-3);
    }

    @Test
    void enumerationEqualsExactShapleyValuesOfANonLinearModel() {
        int d = 6;
        ToyModels.Toy mlp = ToyModels.tanhMlp(d, 8, 3, 5);
        float[] x = randomRow(d, 3);
        float[] b = randomRow(d, 4);
        Attribution a = KernelShap.builder().optBaseline(Baseline.of(Tensor.of(b.clone(), d))).build()
                .attribute(mlp, Tensor.of(x.clone(), 1, d), Target.classIndex(2));
        double[] phi = ExactShapley.of(mlp, toDouble(x), toDouble(b), 2);
        for (int j = 0; j < d; j++) {
            assertEquals(phi[j], a.values().data()[j], 1e-5, "feature " + j);
        }
        assertEquals("all 62", a.provenance().parameters().get("coalitions"), "enumeration draws nothing");
    }

    @Test
    void sampledEstimateIsCloseToExactShapleyAndEfficient() {
        int d = 10;
        ToyModels.Toy mlp = ToyModels.tanhMlp(d, 8, 3, 6);
        float[] x = randomRow(d, 7);
        Attribution a = KernelShap.builder().optSamples(800).build()
                .attribute(mlp, Tensor.of(x.clone(), 1, d), Target.classIndex(1));
        double[] phi = ExactShapley.of(mlp, toDouble(x), new double[d], 1);
        double maxPhi = Arrays.stream(phi).map(Math::abs).max().orElseThrow();
        for (int j = 0; j < d; j++) {
            assertEquals(phi[j], a.values().data()[j], 0.1 * maxPhi, "feature " + j);
        }
        double change = mlp.outputOf(toDouble(x))[1] - mlp.outputOf(new double[d])[1];
        float[] delta = a.convergenceDelta().orElseThrow();
        assertTrue(Math.abs(delta[0]) < 1e-3, "efficiency gap " + delta[0]);
        assertEquals(change, a.values().rowSums()[0], 1e-3);
    }

    @Test
    void batchOfExamplesWithGroupsIsEfficientPerExample() {
        ToyModels.Toy mlp = ToyModels.tanhMlp(8, 6, 2, 9);
        float[] x = new float[16];
        System.arraycopy(randomRow(8, 10), 0, x, 0, 8);
        System.arraycopy(randomRow(8, 11), 0, x, 8, 8);
        Tensor mask = Tensor.ofInt64(new long[] {0, 0, 1, 1, 2, 2, 3, 3}, Shape.of(1, 8));
        Attribution a = KernelShap.builder().optFeatureMask(mask).optPerturbationsPerEval(5).build()
                .attribute(mlp, Tensor.of(x, 2, 8), Target.perExample(1, 0));
        for (int i = 0; i < 2; i++) {
            double[] xi = toDouble(Arrays.copyOfRange(x, i * 8, i * 8 + 8));
            double change = mlp.outputOf(xi)[1 - i] - mlp.outputOf(new double[8])[1 - i];
            assertEquals(change, a.values().rowSums()[i] / 2, 1e-5, "each group's value is on its 2 elements");
            assertEquals(a.values().data()[i * 8], a.values().data()[i * 8 + 1], 0f);
        }
    }

    @Test
    void sameSeedSameNumbersOtherSeedOtherNumbers() {
        int d = 12;
        ToyModels.Toy mlp = ToyModels.tanhMlp(d, 8, 2, 1);
        Tensor x = Tensor.of(randomRow(d, 8), 1, d);
        float[] a = KernelShap.builder().optSamples(60).optSeed(7).build().attribute(mlp, x, Target.classIndex(0))
                .values().data();
        float[] again = KernelShap.builder().optSamples(60).optSeed(7).build().attribute(mlp, x, Target.classIndex(0))
                .values().data();
        float[] other = KernelShap.builder().optSamples(60).optSeed(8).build().attribute(mlp, x, Target.classIndex(0))
                .values().data();
        assertArrayEquals(a, again, 0f);
        assertFalse(Arrays.equals(a, other));
    }
}
