package io.attrib4j.gradients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Philox;
import io.attrib4j.testkit.ToyModels;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Axioms of {@link GradientShap} on toy models with exact gradients. */
class GradientShapTest {
    private static final double[][] W = {
        {0.5, -1.25, 2.0, 0.75},
        {-2.0, 0.4, -1.1, 1.5},
    };
    private static final double[] C = {0.2, -0.7};

    private static Tensor randomBatch(int n, int d, long seed, double scale) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextDouble(-scale, scale);
        }
        return Tensor.of(v, n, d);
    }

    @Test
    void singleBaselineOnALinearModelIsInputMinusBaselineTimesWeights() {
        Tensor x = randomBatch(3, 4, 1, 2);
        Tensor b = randomBatch(1, 4, 2, 1);
        Target t = Target.perExample(0, 1, 1);
        ToyModels.Toy lin = ToyModels.linear(W, C);
        Attribution a = GradientShap.builder().optBaselines(b).optSamples(6).optSeed(3).build().attribute(lin, x, t);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                double expected = ((double) x.data()[i * 4 + j] - b.data()[j]) * W[t.indexOf(i)][j];
                assertEquals(expected, a.values().data()[i * 4 + j], 1e-6, "example " + i + ", feature " + j);
            }
        }
        float[] delta = a.convergenceDelta().orElseThrow();
        assertEquals(3 * 6, delta.length, "one delta per (example, sample), indexed i*n + j");
        for (float d : delta) {
            assertEquals(0, d, 1e-5, "a linear model is complete at every sample");
        }
        assertEquals(List.of(18, 36), lin.callBatchSizes(), "one gradient call for all samples, one delta forward");
        assertEquals(3L, a.provenance().seed());
    }

    @Test
    void recordedDrawsGiveTheFormula() {
        ToyModels.Toy m = ToyModels.tanhMlp(4, 8, 2, 5);
        Tensor x = randomBatch(2, 4, 1, 1);
        Tensor baselines = randomBatch(3, 4, 2, 0.5);
        int[] idx = {2, 0, 1, 2};
        Tensor noise = randomBatch(4, 4, 3, 0.1);
        float[] alphas = {0.1f, 0.9f, 0.5f, 0.25f};
        Target t = Target.perExample(1, 0);
        Attribution a = GradientShap.builder().optBaselines(baselines).optSamples(2)
                .optDraws(idx, noise, alphas).build().attribute(m, x, t);
        float[] expected = new float[8];
        for (int k = 0; k < 4; k++) {
            int i = k / 2;
            float[] xt = new float[4];
            float[] xs = new float[4];
            for (int c = 0; c < 4; c++) {
                float bc = baselines.data()[idx[k] * 4 + c];
                xt[c] = x.data()[i * 4 + c] + noise.data()[k * 4 + c];
                xs[c] = alphas[k] * xt[c] + (1 - alphas[k]) * bc;
            }
            float[] g = ToyModels.tanhMlp(4, 8, 2, 5).gradients(Tensor.of(xs, 1, 4), Target.classIndex(t.indexOf(i)))
                    .inputGradient().data();
            for (int c = 0; c < 4; c++) {
                expected[i * 4 + c] += (xt[c] - baselines.data()[idx[k] * 4 + c]) * g[c] / 2;
            }
        }
        assertArrayEquals(expected, a.values().data(), 1e-6f);
    }

    @Test
    void averagedDeltaShrinksWithMoreSamples() {
        ToyModels.Toy m = ToyModels.tanhMlp(6, 16, 3, 21);
        Tensor x = randomBatch(4, 6, 1, 1.5);
        Tensor baselines = randomBatch(5, 6, 2, 0.5);
        Target t = Target.perExample(0, 1, 2, 0);
        double few = meanAbsAveragedDelta(m, x, baselines, t, 4);
        double many = meanAbsAveragedDelta(m, x, baselines, t, 256);
        assertTrue(many < 0.5 * few, "mean |averaged delta|: " + few + " at 4 samples, " + many + " at 256");
    }

    /** The mean over examples of |mean over samples of delta_{i,j}|. */
    private static double meanAbsAveragedDelta(ToyModels.Toy m, Tensor x, Tensor baselines, Target t, int n) {
        float[] delta = GradientShap.builder().optBaselines(baselines).optSamples(n).optSeed(17).build()
                .attribute(m, x, t).convergenceDelta().orElseThrow();
        double total = 0;
        for (int i = 0; i < x.batch(); i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += delta[i * n + j];
            }
            total += Math.abs(s / n);
        }
        return total / x.batch();
    }

    @Test
    void sameSeedIsBitIdenticalAndOtherSeedsDiffer() {
        ToyModels.Toy m = ToyModels.tanhMlp(4, 8, 2, 5);
        Tensor x = randomBatch(2, 4, 1, 1);
        Tensor baselines = randomBatch(3, 4, 2, 0.5);
        GradientShap.Builder b = GradientShap.builder().optBaselines(baselines).optSamples(5).optStdev(0.1);
        Attribution first = b.optSeed(9).build().attribute(m, x, Target.classIndex(1));
        Attribution again = b.optSeed(9).build().attribute(m, x, Target.classIndex(1));
        Attribution other = b.optSeed(10).build().attribute(m, x, Target.classIndex(1));
        assertArrayEquals(first.values().data(), again.values().data(), 0f);
        assertArrayEquals(first.convergenceDelta().orElseThrow(), again.convergenceDelta().orElseThrow(), 0f);
        assertFalse(Arrays.equals(first.values().data(), other.values().data()));
    }

    /** The seeded draws are: indices then alphas from SplittableRandom(seed), noise from Philox(seed) at offset 0. */
    @Test
    void seededDrawsAreTheDocumentedStreams() {
        ToyModels.Toy m = ToyModels.tanhMlp(4, 8, 2, 5);
        Tensor x = randomBatch(2, 4, 1, 1);
        Tensor baselines = randomBatch(3, 4, 2, 0.5);
        int rows = 2 * 5;
        SplittableRandom r = new SplittableRandom(9);
        int[] index = new int[rows];
        for (int k = 0; k < rows; k++) {
            index[k] = r.nextInt(3);
        }
        float[] alphas = new float[rows];
        for (int k = 0; k < rows; k++) {
            alphas[k] = (float) r.nextDouble();
        }
        Tensor noise = Philox.gaussian(x.shape().withBatch(rows), 0.1f, 9, 0);
        GradientShap.Builder b = GradientShap.builder().optBaselines(baselines).optSamples(5);
        Attribution seeded = b.optStdev(0.1).optSeed(9).build().attribute(m, x, Target.classIndex(1));
        Attribution replayed = b.optDraws(index, noise, alphas).build().attribute(m, x, Target.classIndex(1));
        assertArrayEquals(replayed.values().data(), seeded.values().data(), 0f);
    }

    @Test
    void badOptionsAreRejected() {
        Tensor baselines = randomBatch(3, 4, 2, 0.5);
        InvalidOptionException empty = assertThrows(InvalidOptionException.class,
                () -> GradientShap.builder().optBaselines(Tensor.of(new float[0], 0, 4)).build());
        assertTrue(empty.getMessage().contains("empty baseline set"), empty.getMessage());
        assertThrows(InvalidOptionException.class, () -> GradientShap.builder().build(), "baselines are required");
        assertThrows(InvalidOptionException.class,
                () -> GradientShap.builder().optBaselines(baselines).optStdev(-1).build());
        assertThrows(InvalidOptionException.class,
                () -> GradientShap.builder().optBaselines(baselines).optSamples(0).build());
        ToyModels.Toy m = ToyModels.tanhMlp(4, 8, 2, 5);
        Tensor x = randomBatch(2, 4, 1, 1);
        GradientShap outOfRange = GradientShap.builder().optBaselines(baselines).optSamples(1)
                .optDraws(new int[] {0, 3}, randomBatch(2, 4, 3, 0.1), new float[] {0.5f, 0.5f}).build();
        assertThrows(InvalidOptionException.class, () -> outOfRange.attribute(m, x, Target.classIndex(0)));
        GradientShap tooFew = GradientShap.builder().optBaselines(baselines).optSamples(2)
                .optDraws(new int[] {0, 1}, randomBatch(2, 4, 3, 0.1), new float[] {0.5f, 0.5f}).build();
        assertThrows(InvalidOptionException.class, () -> tooFew.attribute(m, x, Target.classIndex(0)));
        GradientShap wrongShape = GradientShap.builder().optBaselines(randomBatch(3, 5, 2, 0.5)).build();
        assertThrows(InvalidInputException.class, () -> wrongShape.attribute(m, x, Target.classIndex(0)));
    }
}
