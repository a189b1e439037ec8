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
import io.attrib4j.engine.backend.HeadReduction;
import io.attrib4j.engine.backend.Resize;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kernel against the ND4J CPU backend on the {@link ParityCases} (seeded random inputs, odd sizes
 * included, each compared by its case's rule: mostly {@code |got - ref| <= 1e-6 * max(1, |ref|)}, some
 * bit-identical), plus hand-computed values, empty shapes and a memory loop. With
 * {@code -Dattrib4j.parity.reference=<dir>} the reference comes from the files {@link ParityRecorder} wrote,
 * so the test runs without ND4J's native library. Needs a GPU: skipped, with the provider's reason, where
 * the CUDA backend cannot run.
 *
 * <p>Strict: the CPU fallback is off for the whole class ({@code -Dattrib4j.cuda.fallback=false}), so a CUDA call
 * that fails throws and fails its case instead of returning the CPU's own answer, which would compare the
 * reference with itself.
 */
class CudaKernelParityTest {
    private static String unavailable;
    private static CudaBackend gpu;
    private static Backend cpu;
    private static Path recorded;
    private static String fallbackBefore;

    @BeforeAll
    static void openGpu() {
        fallbackBefore = System.setProperty(CudaBackend.FALLBACK_PROPERTY, "false");
        unavailable = new CudaBackendProvider().unavailableReason();
        if (unavailable != null) {
            System.out.println("SKIPPED GPU tests, CUDA backend unavailable: " + unavailable);
            return;
        }
        gpu = new CudaBackendProvider().create();
        String dir = System.getProperty(ParityRecorder.PROPERTY, "");
        if (dir.isBlank()) {
            cpu = Backends.get("cpu");
            System.out.println("GPU tests on " + gpu.name() + " against " + cpu.name());
        } else {
            recorded = Path.of(dir);
            System.out.println("GPU tests on " + gpu.name() + " against the recorded reference in " + recorded);
        }
    }

    /** Per test rather than in {@code @BeforeAll}, so each skipped test is reported with the reason. */
    @BeforeEach
    void requireGpu() {
        assumeTrue(unavailable == null, () -> "CUDA backend unavailable: " + unavailable);
    }

    @AfterAll
    static void closeGpu() {
        if (fallbackBefore == null) {
            System.clearProperty(CudaBackend.FALLBACK_PROPERTY);
        } else {
            System.setProperty(CudaBackend.FALLBACK_PROPERTY, fallbackBefore);
        }
        if (tinyGrid != null) {
            tinyGrid.close();
        }
        if (gpu != null) {
            gpu.close();
        }
    }

    static List<ParityCases.Case> cases() {
        return ParityCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTheCpuReference(ParityCases.Case c) {
        ParityCases.Run run = c.setup().get();
        Tensor got = run.op().apply(gpu);
        Tensor ref = recorded == null ? run.op().apply(cpu) : ParityRecorder.recorded(recorded, c);
        run.check().verify(ref, got, c.name());
    }

    /**
     * The same cases on a backend whose grids are capped at 3 blocks (768 threads): every case larger than
     * that takes several turns of its kernel's grid-stride loop, as a full-size input does on a full grid
     * (132 multiprocessors x 32 blocks x 256 threads on an H100), without a recorded reference of that size.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTheCpuReferenceWhenTheGridIsTiny(ParityCases.Case c) {
        ParityCases.Run run = c.setup().get();
        Tensor got = run.op().apply(tinyGrid());
        Tensor ref = recorded == null ? run.op().apply(cpu) : ParityRecorder.recorded(recorded, c);
        run.check().verify(ref, got, c.name() + " (3-block grid)");
    }

    private static CudaBackend tinyGrid;

    private static synchronized CudaBackend tinyGrid() {
        if (tinyGrid == null) {
            tinyGrid = new CudaBackend(0, 3);
        }
        return tinyGrid;
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

    @Test
    void handComputedClassActivationMaps() {
        Tensor maps = Tensor.of(new float[] {1f, 2f, 3f, -4f}, 1, 2, 1, 2); // channel 0: {1, 2}, channel 1: {3, -4}
        assertArrayEquals(new float[] {1.5f, -0.5f}, gpu.spatialMean(maps).data());
        Tensor weights = Tensor.of(new float[] {1f, 0.5f}, 1, 2);
        Tensor cam = gpu.weightedChannelSum(maps, weights, false);
        assertEquals(Shape.of(1, 1, 1, 2), cam.shape());
        assertArrayEquals(new float[] {2.5f, 0f}, cam.data());
        Tensor opposite = Tensor.of(new float[] {1f, -1f}, 1, 2);
        assertArrayEquals(new float[] {0f, 6f}, gpu.weightedChannelSum(maps, opposite, true).data(), "ReLU of {-2, 6}");
        Tensor perElement = Tensor.of(new float[] {0f, 1f, 1f, 0f}, 1, 2, 1, 2);
        assertArrayEquals(new float[] {3f, 2f}, gpu.weightedChannelSum(maps, perElement, false).data());

        Tensor row = Tensor.of(new float[] {0f, 1f}, 1, 1, 1, 2);
        assertArrayEquals(new float[] {0f, 0f, 1f, 1f, 0f, 0f, 1f, 1f}, gpu.resize(row, 2, 4, Resize.NEAREST).data());
        // PyTorch: F.interpolate(torch.tensor([[[[0., 1.]]]]), size=(1, 4), mode="bilinear") = [0, 0.25, 0.75, 1]
        assertArrayEquals(new float[] {0f, 0.25f, 0.75f, 1f}, gpu.resize(row, 1, 4, Resize.BILINEAR).data());
    }

    @Test
    void handComputedRollout() {
        Tensor heads = Tensor.of(new float[] {1f, -2f, 3f, 4f}, 1, 2, 1, 2); // head 0: {1, -2}, head 1: {3, 4}
        assertArrayEquals(new float[] {2f, 1f}, gpu.fuseHeads(heads, HeadReduction.MEAN).data());
        assertArrayEquals(new float[] {3f, 4f}, gpu.fuseHeads(heads, HeadReduction.MAX).data());
        assertArrayEquals(new float[] {1f, -2f}, gpu.fuseHeads(heads, HeadReduction.MIN).data());
        Tensor grads = Tensor.of(new float[] {2f, 1f, -1f, 0.5f}, 1, 2, 1, 2);
        // mean over heads of max(0, g * a): {(2 + 0) / 2, (0 + 2) / 2}
        assertArrayEquals(new float[] {1f, 1f}, gpu.positiveGradientMean(heads, grads).data());

        Tensor fused = Tensor.of(new float[] {1f, 3f, 0f, 0f}, 1, 2, 2);
        Tensor mixed = gpu.mixResidual(fused, 0, 0);
        assertArrayEquals(new float[] {0.25f, 0.75f}, new float[] {mixed.data()[0], mixed.data()[1]});
        assertTrue(Float.isNaN(mixed.data()[2]) && Float.isNaN(mixed.data()[3]), "a zero-sum row is NaN");
        // Row 0 {0.2, 0.5, 0.3}, discard floor(0.5 * 2) = 1: column 2 (0.3) goes; residual 0.5: {0.6, 0.25, 0} / 0.85
        Tensor three = Tensor.of(new float[] {0.2f, 0.5f, 0.3f, 1f, 1f, 1f, 1f, 1f, 1f}, 1, 3, 3);
        float[] row0 = gpu.mixResidual(three, 0.5, 0.5).data();
        double sum = 0.5 * 0.2f + 0.5 + 0.5 * 0.5f;
        assertArrayEquals(new float[] {(float) ((0.5 * 0.2f + 0.5) / sum), (float) (0.5 * 0.5f / sum), 0f},
                new float[] {row0[0], row0[1], row0[2]}, 1e-6f);

        // layer 1 (a swap) after layer 0: out = A1 · A0, so the rows of A0 swap
        Tensor chain = Tensor.of(new float[] {1f, 2f, 3f, 4f, 0f, 1f, 1f, 0f}, 2, 2, 2);
        assertArrayEquals(new float[] {3f, 4f, 1f, 2f}, gpu.chainProduct(chain, 2).data());
        assertArrayEquals(new float[] {1f, 2f, 3f, 4f, 0f, 1f, 1f, 0f}, gpu.chainProduct(chain, 1).data());
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
        Tensor noMaps = Tensor.zeros(Shape.of(0, 3, 7, 7));
        assertEquals(Shape.of(0, 3), gpu.spatialMean(noMaps).shape());
        assertEquals(Shape.of(0, 3, 4, 4), gpu.resize(noMaps, 4, 4, Resize.BILINEAR).shape());
        Tensor noRows = Tensor.zeros(Shape.of(0, 5, 5));
        assertEquals(Shape.of(0, 5, 5), gpu.mixResidual(noRows, 0.5, 0.5).shape());
        assertEquals(Shape.of(0, 5, 5), gpu.chainProduct(noRows, 3).shape());
    }

    @Test
    void shapeMismatchIsRejectedBeforeTheDevice() {
        Tensor a = Tensor.zeros(Shape.of(2, 3));
        Tensor b = Tensor.zeros(Shape.of(3, 2));
        assertThrows(IllegalArgumentException.class, () -> gpu.add(a, b));
        assertThrows(IllegalArgumentException.class, () -> gpu.weightedStepSum(a, new float[] {1f, 1f, 1f}, 1));
        Tensor maps = Tensor.zeros(Shape.of(2, 3, 4, 4));
        assertThrows(IllegalArgumentException.class, () -> gpu.weightedChannelSum(maps, Tensor.zeros(Shape.of(2, 4)), true));
        assertThrows(IllegalArgumentException.class, () -> gpu.resize(maps, 0, 4, Resize.NEAREST));
        assertThrows(IllegalArgumentException.class,
                () -> gpu.resize(Tensor.zeros(Shape.of(1, 1, 0, 3)), 4, 4, Resize.NEAREST), "empty planes");
        assertThrows(IllegalArgumentException.class,
                () -> gpu.fuseHeads(Tensor.zeros(Shape.of(2, 0, 3, 3)), HeadReduction.MEAN), "no heads");
        assertThrows(IllegalArgumentException.class,
                () -> gpu.fuseHeads(Tensor.zeros(Shape.of(2, 3, 4, 5)), HeadReduction.MEAN), "not square");
        Tensor fused = Tensor.zeros(Shape.of(4, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> gpu.mixResidual(fused, 0.5, 1.0));
        assertThrows(IllegalArgumentException.class, () -> gpu.chainProduct(fused, 3));
    }

    @Test
    void repeatedCallsReuseThePooledBuffers() {
        SplittableRandom rng = new SplittableRandom(5);
        Tensor x = ParityCases.uniform(Shape.of(4, 3, 32, 32), rng, -3, 3);
        Tensor b = Tensor.zeros(x.shape());
        float[] alphas = {0.1f, 0.3f, 0.5f, 0.7f, 0.9f};
        Tensor maps = ParityCases.uniform(Shape.of(6, 5, 5), rng, 0, 1);
        Runnable calls = () -> {
            Tensor p = gpu.interpolate(x, b, alphas);
            gpu.multiply(gpu.weightedStepSum(p, alphas, 4), x);
            gpu.resize(gpu.weightedChannelSum(x, gpu.spatialMean(x), true), 64, 64, Resize.BILINEAR);
            gpu.chainProduct(gpu.mixResidual(maps, 0.5, 0.5), 3);
        };
        calls.run();
        long afterFirst = gpu.pooledBytes();
        for (int i = 0; i < 500; i++) {
            calls.run();
        }
        assertEquals(afterFirst, gpu.pooledBytes(), "device memory grew over 500 calls");
    }

    @Test
    void aClosedBackendFallsBackToTheCpu() {
        assumeTrue(cpu != null, "the fallback needs the ND4J CPU backend, which a recorded-reference run lacks");
        CudaBackend own = new CudaBackendProvider().create();
        own.close();
        own.close();
        Tensor a = ParityCases.uniform(Shape.of(7), new SplittableRandom(9), -3, 3);
        ParityCases.RELATIVE.verify(cpu.abs(a), own.abs(a), "abs after close");
        Tensor maps = ParityCases.uniform(Shape.of(2, 5, 5), new SplittableRandom(10), 0, 1);
        ParityCases.EXACT.verify(cpu.chainProduct(maps, 2), own.chainProduct(maps, 2), "chainProduct after close");
    }
}
