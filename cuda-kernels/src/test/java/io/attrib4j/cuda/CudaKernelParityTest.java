package io.attrib4j.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.Backends;
import io.attrib4j.engine.backend.SampleSums;
import io.attrib4j.testkit.Close;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kernel against the ND4J CPU backend on random inputs, odd sizes included, within 1e-6
 * relative. Needs a GPU: skipped, with the provider's reason, where the CUDA backend cannot run.
 */
class CudaKernelParityTest {
    private static final double REL = 1e-6;
    private static String unavailable;
    private static CudaBackend gpu;
    private static Backend cpu;

    @BeforeAll
    static void openGpu() {
        unavailable = new CudaBackendProvider().unavailableReason();
        if (unavailable != null) {
            System.out.println("SKIPPED GPU tests, CUDA backend unavailable: " + unavailable);
            return;
        }
        gpu = new CudaBackendProvider().create();
        cpu = Backends.get("cpu");
        System.out.println("GPU tests on " + gpu.name());
    }

    /** Per test rather than in {@code @BeforeAll}, so each skipped test is reported with the reason. */
    @BeforeEach
    void requireGpu() {
        assumeTrue(unavailable == null, () -> "CUDA backend unavailable: " + unavailable);
    }

    @AfterAll
    static void closeGpu() {
        if (gpu != null) {
            gpu.close();
        }
    }

    static Stream<Arguments> elementShapes() {
        return Stream.of(Arguments.of(Shape.of(1)), Arguments.of(Shape.of(7)), Arguments.of(Shape.of(1_000_003)),
                Arguments.of(Shape.of(3, 5, 7)), Arguments.of(Shape.of(2, 3, 28, 28)));
    }

    /** (examples n, example shape, steps k). */
    static Stream<Arguments> pathShapes() {
        return Stream.of(Arguments.of(1, Shape.of(1), 1), Arguments.of(1, Shape.of(7), 7),
                Arguments.of(3, Shape.of(5), 50), Arguments.of(2, Shape.of(3, 28, 28), 20),
                Arguments.of(1, Shape.of(1_000_003), 3), Arguments.of(5, Shape.of(1), 1));
    }

    @Test
    void handComputedValues() {
        Tensor x = Tensor.of(new float[] {2f, 4f, -1f}, 1, 3);
        Tensor b = Tensor.of(new float[] {0f, 2f, 1f}, 1, 3);
        Tensor path = gpu.interpolate(x, b, new float[] {0f, 0.5f, 1f});
        assertEquals(Shape.of(3, 3), path.shape());
        assertArrayEquals(new float[] {0f, 2f, 1f, 1f, 3f, 0f, 2f, 4f, -1f}, path.data());
        Tensor sum = gpu.weightedStepSum(path, new float[] {0.25f, 0.5f, 0.25f}, 1);
        assertArrayEquals(new float[] {1f, 3f, 0f}, sum.data());
        assertArrayEquals(new float[] {2f, 6f, 0f}, gpu.add(x, b).data());
        assertArrayEquals(new float[] {2f, 2f, -2f}, gpu.subtract(x, b).data());
        assertArrayEquals(new float[] {0f, 8f, -1f}, gpu.multiply(x, b).data());
        assertArrayEquals(new float[] {2f, 4f, 1f}, gpu.abs(x).data());
    }

    @ParameterizedTest
    @MethodSource("elementShapes")
    void elementwiseMatchesCpu(Shape shape) {
        SplittableRandom rng = new SplittableRandom(shape.hashCode());
        Tensor a = random(shape, rng);
        Tensor b = random(shape, rng);
        same(cpu.add(a, b), gpu.add(a, b), "add " + shape);
        same(cpu.subtract(a, b), gpu.subtract(a, b), "subtract " + shape);
        same(cpu.multiply(a, b), gpu.multiply(a, b), "multiply " + shape);
        same(cpu.abs(a), gpu.abs(a), "abs " + shape);
    }

    @ParameterizedTest
    @MethodSource("pathShapes")
    void interpolateMatchesCpu(int n, Shape example, int k) {
        SplittableRandom rng = new SplittableRandom(31L * n + k);
        Tensor x = random(example.prependBatch(n), rng);
        Tensor b = random(example.prependBatch(n), rng);
        float[] alphas = new float[k];
        for (int s = 0; s < k; s++) {
            alphas[s] = (s + 0.5f) / k;
        }
        same(cpu.interpolate(x, b, alphas), gpu.interpolate(x, b, alphas), "interpolate n=" + n + " k=" + k);
    }

    @ParameterizedTest
    @MethodSource("pathShapes")
    void weightedStepSumMatchesCpu(int n, Shape example, int k) {
        SplittableRandom rng = new SplittableRandom(17L * n + k);
        Tensor grads = random(example.prependBatch(k * n), rng);
        float[] w = new float[k];
        for (int s = 0; s < k; s++) {
            w[s] = (float) rng.nextDouble(-1, 1) / Math.max(k, 1);
        }
        Tensor ref = cpu.weightedStepSum(grads, w, n);
        Tensor got = gpu.weightedStepSum(grads, w, n);
        assertEquals(ref.shape(), got.shape());
        // Float sums in different orders differ by rounding relative to the summands' size, not the sum's.
        int m = ref.size();
        double scale = 0;
        for (int j = 0; j < m; j++) {
            double magnitude = 0;
            for (int s = 0; s < k; s++) {
                magnitude += Math.abs((double) w[s] * grads.data()[s * m + j]);
            }
            scale = Math.max(scale, magnitude);
        }
        double diff = Close.maxDiff(ref.data(), got.data());
        assertTrue(diff <= REL * scale, "weightedStepSum n=" + n + " k=" + k + ": max|got-ref| = " + diff
                + " > " + REL + " * " + scale);
    }

    /** (shape, offset): odd sizes, offsets not on a block boundary, and block indices above 2^32. */
    static Stream<Arguments> noiseDraws() {
        return Stream.of(Arguments.of(Shape.of(1), 0L), Arguments.of(Shape.of(7), 3L),
                Arguments.of(Shape.of(3, 5, 7), 1L << 34), Arguments.of(Shape.of(1_000_003), 5L),
                Arguments.of(Shape.of(2, 3, 28, 28), 123_456_789_013L));
    }

    /**
     * The Philox stream matches the Java one: equal floats, except (rarely) one float ulp where the double
     * log/sincos of the two sides round a value across a float rounding boundary.
     */
    @ParameterizedTest
    @MethodSource("noiseDraws")
    void gaussianMatchesCpu(Shape shape, long offset) {
        for (long seed : new long[] {0L, 42L, -7L, 0x1234_5678_9ABC_DEF0L}) {
            float[] ref = cpu.gaussian(shape, 0.75f, seed, offset).data();
            float[] got = gpu.gaussian(shape, 0.75f, seed, offset).data();
            int differing = 0;
            for (int e = 0; e < ref.length; e++) {
                if (ref[e] != got[e]) {
                    differing++;
                    assertTrue(Math.abs(ref[e] - got[e]) <= Math.ulp(ref[e]), "value " + e + " of seed " + seed
                            + " at offset " + offset + ": " + got[e] + " vs " + ref[e]);
                }
            }
            assertTrue(differing <= 1 + ref.length / 1_000_000, differing + " values differ by one ulp");
        }
    }

    /** Accumulating in chunks that cross examples gives the CPU's doubles exactly (same order, same rounding). */
    @ParameterizedTest
    @MethodSource("pathShapes")
    void accumulateSamplesMatchesCpu(int n, Shape example, int samples) {
        SplittableRandom rng = new SplittableRandom(13L * n + samples);
        Tensor rows = random(example.prependBatch(n * samples), rng);
        int rowSize = example.size();
        SampleSums ref = SampleSums.zeros(n, example);
        SampleSums got = ref;
        int chunk = Math.max(1, samples * n / 3 + 1);
        for (int from = 0; from < n * samples; from += chunk) {
            Tensor part = rows.rows(from, Math.min(n * samples, from + chunk));
            ref = cpu.accumulateSamples(ref, part, from, samples);
            got = gpu.accumulateSamples(got, part, from, samples);
        }
        assertEquals(n * rowSize, got.sum().length);
        assertArrayEquals(ref.sum(), got.sum(), 0, "sums n=" + n + " samples=" + samples);
        assertArrayEquals(ref.sumOfSquares(), got.sumOfSquares(), 0, "sums of squares n=" + n + " samples=" + samples);
    }

    @Test
    void emptyTensorsAndZeroStepsKeepTheirShapes() {
        Tensor empty = Tensor.zeros(Shape.of(0, 4));
        assertEquals(Shape.of(0, 4), gpu.add(empty, empty).shape());
        assertEquals(Shape.of(0, 4), gpu.abs(empty).shape());
        Tensor x = Tensor.filled(Shape.of(2, 3), 1f);
        assertEquals(Shape.of(0, 3), gpu.interpolate(x, x, new float[0]).shape());
        Tensor none = gpu.weightedStepSum(Tensor.zeros(Shape.of(0, 3)), new float[0], 2);
        assertEquals(Shape.of(2, 3), none.shape());
        assertArrayEquals(new float[6], none.data(), "a sum over no steps is zero");
    }

    @Test
    void shapeMismatchIsRejectedBeforeTheDevice() {
        Tensor a = Tensor.zeros(Shape.of(2, 3));
        Tensor b = Tensor.zeros(Shape.of(3, 2));
        assertThrows(IllegalArgumentException.class, () -> gpu.add(a, b));
        assertThrows(IllegalArgumentException.class, () -> gpu.weightedStepSum(a, new float[] {1f, 1f, 1f}, 1));
    }

    @Test
    void repeatedCallsReuseThePooledBuffers() {
        SplittableRandom rng = new SplittableRandom(5);
        Tensor x = random(Shape.of(4, 3, 32, 32), rng);
        Tensor b = Tensor.zeros(x.shape());
        float[] alphas = {0.1f, 0.3f, 0.5f, 0.7f, 0.9f};
        Tensor path = gpu.interpolate(x, b, alphas);
        gpu.weightedStepSum(path, alphas, 4);
        long afterFirst = gpu.pooledBytes();
        for (int i = 0; i < 500; i++) {
            Tensor p = gpu.interpolate(x, b, alphas);
            gpu.multiply(gpu.weightedStepSum(p, alphas, 4), x);
        }
        assertEquals(afterFirst, gpu.pooledBytes(), "device memory grew over 500 calls");
    }

    @Test
    void aClosedBackendFallsBackToTheCpu() {
        CudaBackend own = new CudaBackendProvider().create();
        own.close();
        own.close();
        Tensor a = random(Shape.of(7), new SplittableRandom(9));
        same(cpu.abs(a), own.abs(a), "abs after close");
    }

    private static void same(Tensor ref, Tensor got, String what) {
        Close.relative(ref, got, REL, what);
    }

    private static Tensor random(Shape shape, SplittableRandom rng) {
        float[] d = new float[shape.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) rng.nextDouble(-3, 3);
        }
        return Tensor.of(d, shape);
    }
}
