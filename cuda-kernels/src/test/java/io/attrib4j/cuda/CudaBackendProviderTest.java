package io.attrib4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.attrib4j.engine.BackendException;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.BackendProvider;
import io.attrib4j.engine.backend.Backends;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs everywhere: registration, the never-throwing probe, and selection with and without a GPU. */
class CudaBackendProviderTest {

    @Test
    void registeredThroughServiceLoaderAboveTheCpuBackend() {
        List<BackendProvider> providers = Backends.providers();
        BackendProvider cuda = providers.stream().filter(p -> p.id().equals("cuda")).findFirst().orElseThrow(
                () -> new AssertionError("no provider with id cuda in " + providers));
        assertEquals(100, cuda.rank());
        assertEquals("cuda", providers.get(0).id(), "the GPU backend is tried first by auto selection");
    }

    @Test
    void probeGivesAStableDocumentedReasonOrNullWithoutThrowing() {
        String reason = new CudaBackendProvider().unavailableReason();
        System.out.println("CUDA backend: " + (reason == null ? "available" : "unavailable: " + reason));
        assertEquals(reason, new CudaBackendProvider().unavailableReason(), "probed once, same answer");
        if (reason != null) {
            assertFalse(reason.isBlank());
            assertTrue(reason.startsWith("no CUDA driver") || reason.startsWith("no CUDA device")
                            || reason.startsWith("PTX kernels were not built") || reason.startsWith("the CUDA"),
                    "undocumented reason: " + reason);
        }
    }

    @Test
    void namedCudaBackendFailsWithTheReasonWhenNoGpu_orRunsWhenOne() {
        String reason = new CudaBackendProvider().unavailableReason();
        if (reason != null) {
            BackendException e = assertThrows(BackendException.class, () -> Backends.get("cuda"));
            assertTrue(e.getMessage().contains(reason), e.getMessage());
            assertTrue(e.getMessage().contains("--backend cpu"), e.getMessage());
            assertThrows(BackendException.class, () -> new CudaBackendProvider().create());
        } else {
            Backend cuda = Backends.get("cuda");
            assertTrue(cuda.name().startsWith("cuda:0 "), cuda.name());
        }
    }

    @Test
    void autoSelectionPicksCpuWithoutGpu_andCudaWithOne() {
        String reason = new CudaBackendProvider().unavailableReason();
        assumeTrue(reason == null || nd4jPresent(), "no CUDA device and no ND4J on the class path (the GPU test bundle "
                + "leaves ND4J out): auto has no backend to pick here");
        Backend auto = Backends.get("auto");
        if (reason != null) {
            assertEquals("cpu-nd4j", auto.name());
        } else {
            assertTrue(auto.name().startsWith("cuda:0 "), auto.name());
        }
    }

    private static boolean nd4jPresent() {
        try {
            Class.forName("org.nd4j.linalg.factory.Nd4j", false, CudaBackendProviderTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @Test
    void fallbackUsesTheCpuResultOnlyWhenTheGpuCallFails() {
        Tensor gpu = Tensor.of(new float[] {1f}, 1);
        Tensor cpu = Tensor.of(new float[] {2f}, 1);
        withFallbackProperty("true", () -> {
            assertSame(gpu, CudaBackend.withFallback("add", () -> gpu, () -> {
                throw new AssertionError("CPU must not run when the GPU call succeeds");
            }));
            assertSame(cpu, CudaBackend.withFallback("add", () -> {
                throw new BackendException("CUDA call cuLaunchKernel failed with CUDA_ERROR_LAUNCH_FAILED");
            }, () -> cpu));
        });
    }

    /** What the parity tests rely on: with the fallback off, a failed CUDA call fails instead of asking the CPU. */
    @Test
    void strictModeThrowsInsteadOfFallingBack() {
        withFallbackProperty("false", () -> {
            BackendException e = assertThrows(BackendException.class, () -> CudaBackend.withFallback("add", () -> {
                throw new BackendException("CUDA call cuLaunchKernel failed with CUDA_ERROR_LAUNCH_FAILED");
            }, () -> {
                throw new AssertionError("CPU must not run when the fallback is off");
            }));
            assertTrue(e.getMessage().contains("attrib4j.cuda.fallback=false"), e.getMessage());
            assertTrue(e.getMessage().contains("CUDA_ERROR_LAUNCH_FAILED"), e.getMessage());
        });
    }

    private static void withFallbackProperty(String value, Runnable body) {
        String before = System.setProperty(CudaBackend.FALLBACK_PROPERTY, value);
        try {
            body.run();
        } finally {
            if (before == null) {
                System.clearProperty(CudaBackend.FALLBACK_PROPERTY);
            } else {
                System.setProperty(CudaBackend.FALLBACK_PROPERTY, before);
            }
        }
    }

    @Test
    void nonBackendErrorsAreNotHiddenByTheFallback() {
        assertThrows(IllegalStateException.class, () -> CudaBackend.withFallback("add", () -> {
            throw new IllegalStateException("a bug, not a driver failure");
        }, () -> Tensor.of(new float[] {0f}, 1)));
    }

    @Test
    void poolSizeClassesArePowersOfTwoCoveringTheRequest() {
        assertEquals(8, DevicePool.sizeClass(1));
        assertEquals(8, DevicePool.sizeClass(256));
        assertEquals(9, DevicePool.sizeClass(257));
        assertEquals(12, DevicePool.sizeClass(4096));
        assertEquals(22, DevicePool.sizeClass(4L * 1_000_003));
        assertEquals(33, DevicePool.sizeClass((1L << 32) + 1));
    }
}
