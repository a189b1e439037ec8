package io.attrib4j.gradients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Philox;
import io.attrib4j.testkit.ToyModels;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Axioms of {@link NoiseTunnel} on the tanh toy network (exact gradients, logged calls). */
class NoiseTunnelTest {
    private static final Tensor X = randomBatch(3, 6, 7);
    private static final Target T = Target.perExample(0, 2, 1);

    private static Tensor randomBatch(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextDouble(-1, 1);
        }
        return Tensor.of(v, n, d);
    }

    private static ToyModels.Toy model() {
        return ToyModels.tanhMlp(6, 10, 3, 11);
    }

    private static Attribution run(AttributionMethod base, NoiseTunnelType type, double stdev, long seed) {
        return NoiseTunnel.builder(base).optType(type).optSamples(8).optStdev(stdev).optSeed(seed).build()
                .attribute(model(), X, T);
    }

    @Test
    void zeroNoiseSmoothGradIsTheBaseMethod() {
        AttributionMethod saliency = Saliency.withDefaults();
        AttributionMethod ig = IntegratedGradients.builder().optSteps(20).build();
        for (AttributionMethod base : List.of(saliency, ig)) {
            float[] expected = base.attribute(model(), X, T).values().data();
            Attribution nt = run(base, NoiseTunnelType.SMOOTHGRAD, 0.0, 1);
            assertArrayEquals(expected, nt.values().data(), 0f, base.name() + " inside a zero-noise tunnel");
            float[] variance = run(base, NoiseTunnelType.VARGRAD, 0.0, 1).values().data();
            assertArrayEquals(new float[variance.length], variance, 0f, "no noise, no variance");
        }
    }

    @Test
    void noiseIsAddedPerSampleAndTargetsFollowTheirExample() {
        ToyModels.Toy m = model();
        Attribution a = NoiseTunnel.builder(Saliency.withDefaults()).optSamples(4).optStdev(0.5).build()
                .attribute(m, X, T);
        assertEquals(List.of(12), m.callBatchSizes(), "one base call on 3 examples x 4 samples");
        assertEquals(X.shape(), a.values().shape());
        assertFalse(a.convergenceDelta().isPresent());
        assertFalse(Arrays.equals(Saliency.withDefaults().attribute(model(), X, T).values().data(), a.values().data()),
                "noise changes the result");
        assertEquals("saliency(abs=true)", a.provenance().parameters().get("base"), "the base's spec, every option");
        assertEquals("smoothgrad", a.provenance().parameters().get("type"));
        assertEquals(NoiseTunnel.DEFAULT_SEED, a.provenance().seed());
        assertEquals(1, a.provenance().timing().modelCalls());
    }

    /** Captum expands a per-example baseline with the inputs: sample j of example i is compared with baseline i. */
    @Test
    void perExampleBaselinesFollowTheirExampleInEveryChunk() {
        Tensor baselines = randomBatch(X.batch(), 6, 17);
        AttributionMethod ig = IntegratedGradients.builder().optSteps(16).optBaseline(Baseline.of(baselines)).build();
        int n = 4;
        Tensor noise = randomBatch(X.batch() * n, 6, 23);
        float[] got = NoiseTunnel.builder(ig).optSamples(n).optNoise(noise).optSamplesPerBatch(3).build()
                .attribute(model(), X, T).values().data();
        // by hand: IG of each noisy row against its own example's baseline row, averaged over the samples
        float[] expected = meanOverNoisyRows(noise, n, i -> IntegratedGradients.builder().optSteps(16)
                .optBaseline(Baseline.of(baselines.row(i))).build());
        assertArrayEquals(expected, got, 1e-6f);
        Attribution zeros = NoiseTunnel.builder(IntegratedGradients.builder().optSteps(16).build()).optSamples(n)
                .optNoise(noise).build().attribute(model(), X, T);
        assertTrue(((String) zeros.provenance().parameters().get("base")).contains("baseline=zeros"),
                "provenance keeps the base's own baseline: " + zeros.provenance().parameters().get("base"));
    }

    @Test
    void recordedNoiseIsReplayedRowByRow() {
        int n = 3;
        Tensor noise = randomBatch(X.batch() * n, 6, 99);
        Attribution got = NoiseTunnel.builder(InputXGradient.withDefaults()).optSamples(n).optNoise(noise).build()
                .attribute(model(), X, T);
        // by hand: row i*n+j = x_i + noise_{i*n+j}, then the mean of Input x Gradient over j
        float[] expected = meanOverNoisyRows(noise, n, i -> InputXGradient.withDefaults());
        assertArrayEquals(expected, got.values().data(), 1e-6f);
        assertNull(got.provenance().seed(), "recorded noise: no seed");
    }

    /**
     * The tunnel by hand: {@code method(i)} on each noisy row {@code x_i + noise_k} alone ({@code k = i*n + j}),
     * averaged over the {@code n} samples of each example.
     */
    private static float[] meanOverNoisyRows(Tensor noise, int n, IntFunction<AttributionMethod> method) {
        float[] expected = new float[X.size()];
        for (int k = 0; k < X.batch() * n; k++) {
            int i = k / n;
            float[] row = new float[6];
            for (int c = 0; c < 6; c++) {
                row[c] = X.data()[i * 6 + c] + noise.data()[k * 6 + c];
            }
            float[] a = method.apply(i).attribute(model(), Tensor.of(row, 1, 6), Target.classIndex(T.indexOf(i)))
                    .values().data();
            for (int c = 0; c < 6; c++) {
                expected[i * 6 + c] += a[c] / n;
            }
        }
        return expected;
    }

    @Test
    void sameSeedIsBitIdenticalAndOtherSeedsDiffer() {
        AttributionMethod base = Saliency.builder().optAbs(false).build();
        float[] a = run(base, NoiseTunnelType.SMOOTHGRAD, 0.3, 5).values().data();
        float[] b = run(base, NoiseTunnelType.SMOOTHGRAD, 0.3, 5).values().data();
        float[] c = run(base, NoiseTunnelType.SMOOTHGRAD, 0.3, 6).values().data();
        assertArrayEquals(a, b, 0f);
        assertFalse(Arrays.equals(a, c), "different seeds draw different noise");
    }

    /** Seeded noise is the Philox stream of the seed, row k of the expanded batch at offset k * rowSize. */
    @Test
    void seededNoiseIsThePhiloxStreamOfTheSeed() {
        AttributionMethod base = InputXGradient.withDefaults();
        Tensor noise = Philox.gaussian(X.shape().withBatch(X.batch() * 8), 0.3f, 5, 0);
        float[] replayed = NoiseTunnel.builder(base).optSamples(8).optNoise(noise).build().attribute(model(), X, T)
                .values().data();
        assertArrayEquals(replayed, run(base, NoiseTunnelType.SMOOTHGRAD, 0.3, 5).values().data(), 0f);
    }

    @Test
    void varGradIsTheNonNegativeVariance() {
        AttributionMethod base = InputXGradient.withDefaults();
        float[] mean = run(base, NoiseTunnelType.SMOOTHGRAD, 0.4, 3).values().data();
        float[] sq = run(base, NoiseTunnelType.SMOOTHGRAD_SQ, 0.4, 3).values().data();
        float[] var = run(base, NoiseTunnelType.VARGRAD, 0.4, 3).values().data();
        for (int e = 0; e < var.length; e++) {
            assertTrue(var[e] >= 0, "vargrad >= 0 at " + e);
            assertEquals(sq[e] - (double) mean[e] * mean[e], var[e], 1e-6 * Math.max(1, sq[e]), "vargrad at " + e);
            assertTrue(sq[e] >= (double) mean[e] * mean[e] - 1e-6, "mean of squares >= square of mean at " + e);
        }
    }

    @Test
    void chunksGiveTheUnchunkedResult() {
        AttributionMethod ig = IntegratedGradients.builder().optSteps(10).build();
        for (NoiseTunnelType type : NoiseTunnelType.values()) {
            NoiseTunnel.Builder b = NoiseTunnel.builder(ig).optType(type).optSamples(7).optStdev(0.3).optSeed(8);
            Tensor whole = b.build().attribute(model(), X, T).values();
            ToyModels.Toy m = model();
            Attribution chunked = b.optSamplesPerBatch(3).build().attribute(m, X, T);
            assertArrayEquals(whole.data(), chunked.values().data(), 0f, type + " in chunks of 3 samples: bit-identical");
            // 7 samples in chunks of 3: 9, 9, 3 noisy rows, each times 10 steps, plus IG's delta forwards
            assertEquals(List.of(90, 18, 90, 18, 30, 6), m.callBatchSizes());
        }
    }

    @Test
    void badOptionsAreRejected() {
        AttributionMethod base = Saliency.withDefaults();
        assertThrows(InvalidOptionException.class, () -> NoiseTunnel.builder(base).optSamples(0).build());
        assertThrows(InvalidOptionException.class, () -> NoiseTunnel.builder(base).optStdev(-0.1).build());
        assertThrows(InvalidOptionException.class, () -> NoiseTunnel.builder(base).optStdev(Double.NaN).build());
        assertThrows(InvalidOptionException.class, () -> NoiseTunnel.builder(base).optSamplesPerBatch(0));
        assertThrows(InvalidOptionException.class, () -> NoiseTunnel.builder(null).build());
        NoiseTunnel wrongNoise = NoiseTunnel.builder(base).optSamples(2).optNoise(randomBatch(2 * 2, 6, 1)).build();
        assertThrows(InvalidOptionException.class, () -> wrongNoise.attribute(model(), X, T),
                "noise for 2 examples, input of 3");
        NoiseTunnel wrongWidth = NoiseTunnel.builder(base).optSamples(2).optNoise(randomBatch(3 * 2, 5, 1)).build();
        assertThrows(InvalidOptionException.class, () -> wrongWidth.attribute(model(), X, T));
    }
}
