package io.attrib4j.perturbation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.testkit.ToyModels;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * LIME fits a proximity-weighted linear surrogate in the interpretable space z in {0,1}^M. For a linear model
 * with one feature per element, F(x on z, b elsewhere) = F(b) + sum_j z_j w_j (x_j - b_j) exactly, so the
 * surrogate's coefficients are w_j (x_j - b_j) (up to the ridge penalty, here tiny) and its R^2 is 1.
 */
class LimeTest {
    private static final double[] W = {1.5, -2, 0.5, 3, -1};
    private static final float[] X = {0.8f, -0.3f, 1.2f, 0.4f, -0.9f};
    private static final float B = 0.1f;

    @Test
    void linearModelSurrogateCoefficientsAreWeightTimesDifference() {
        Attribution a = Lime.builder().optAlpha(1e-9).optSamples(200).optBaseline(Baseline.constant(B)).build()
                .attribute(ToyModels.linear(new double[][] {W}, new double[] {0.3}), Tensor.of(X.clone(), 1, 5),
                        Target.classIndex(0));
        for (int j = 0; j < W.length; j++) {
            assertEquals(W[j] * ((double) X[j] - B), a.values().data()[j], 1e-4, "feature " + j);
        }
        @SuppressWarnings("unchecked")
        List<Double> r2 = (List<Double>) a.provenance().parameters().get("surrogateR2");
        assertEquals(1.0, r2.get(0), 1e-6);
        assertTrue(a.convergenceDelta().isEmpty(), "LIME has no completeness to report");
    }

    @Test
    void euclideanKernelGivesTheSameExactFitOnALinearModel() {
        Attribution a = Lime.builder().optAlpha(0).optSamples(100).optDistance(Lime.Distance.EUCLIDEAN).build()
                .attribute(ToyModels.linear(new double[][] {W}, new double[] {0}), Tensor.of(X.clone(), 1, 5),
                        Target.classIndex(0));
        for (int j = 0; j < W.length; j++) {
            assertEquals(W[j] * X[j], a.values().data()[j], 1e-4, "feature " + j);
        }
    }

    @Test
    void nonLinearModelHasImperfectSurrogate() {
        ToyModels.Toy mlp = ToyModels.tanhMlp(5, 6, 2, 4);
        Tensor x = Tensor.of(new float[] {2, -3, 2.5f, -2, 3}, 1, 5);
        Attribution a = Lime.builder().optSamples(200).build().attribute(mlp, x, Target.classIndex(0));
        @SuppressWarnings("unchecked")
        double r2 = ((List<Double>) a.provenance().parameters().get("surrogateR2")).get(0);
        assertTrue(r2 < 0.999 && r2 > 0, "R^2 " + r2);
    }

    @Test
    void sameSeedSameNumbersOtherSeedOtherNumbers() {
        ToyModels.Toy mlp = ToyModels.tanhMlp(5, 6, 2, 4);
        Tensor x = Tensor.of(X.clone(), 1, 5);
        float[] a = Lime.builder().optSeed(3).build().attribute(mlp, x, Target.classIndex(1)).values().data();
        float[] again = Lime.builder().optSeed(3).build().attribute(mlp, x, Target.classIndex(1)).values().data();
        float[] other = Lime.builder().optSeed(4).build().attribute(mlp, x, Target.classIndex(1)).values().data();
        assertArrayEquals(a, again, 0f);
        assertFalse(Arrays.equals(a, other));
    }

    @Test
    void proximityIsCaptumsExponentialKernel() {
        // Captum: exp(-d^2 / (2 width^2)), d = 1 - cosine similarity (default) or the Euclidean distance
        float[] x = {1, 2, 0, -1};
        float[] p = {1, 0, 0, -1};
        double cosine = 2 / (Math.sqrt(6) * Math.sqrt(2));
        double width = 0.7;
        Lime cos = Lime.builder().optKernelWidth(width).build();
        assertEquals(Math.exp(-Math.pow(1 - cosine, 2) / (2 * width * width)), cos.similarity(x, 0, p), 1e-12);
        Lime euclidean = Lime.builder().optKernelWidth(width).optDistance(Lime.Distance.EUCLIDEAN).build();
        assertEquals(Math.exp(-4 / (2 * width * width)), euclidean.similarity(x, 0, p), 1e-12);
    }
}
