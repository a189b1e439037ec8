package io.attrib4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.BackendException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import jcuda.driver.CUresult;
import org.junit.jupiter.api.Test;

/**
 * The pure decisions of kernel loading, CPU-only: which driver failures switch to NVRTC, which target and
 * options NVRTC gets for a compute capability, and how a fatbin's images are read and chosen.
 */
class KernelLoadingDecisionsTest {

    @Test
    void driverRefusalsOfThePrebuiltImageRetryWithNvrtc() {
        // The numbers are the CUresult values of cuda.h, written out so a wrong constant fails here.
        int[] retry = {222 /* UNSUPPORTED_PTX_VERSION */, 218 /* INVALID_PTX */, 209 /* NO_BINARY_FOR_GPU */,
                300 /* INVALID_SOURCE */, 221 /* JIT_COMPILER_NOT_FOUND */, 223 /* JIT_COMPILATION_DISABLED */,
                200 /* INVALID_IMAGE */};
        for (int result : retry) {
            assertTrue(ModuleLoader.nvrtcCanHelp(result), CUresult.stringFor(result));
        }
    }

    @Test
    void otherFailuresAreNotRetried() {
        int[] fatal = {0 /* SUCCESS */, 2 /* OUT_OF_MEMORY */, 3 /* NOT_INITIALIZED */, 201 /* INVALID_CONTEXT */,
                1 /* INVALID_VALUE */, 999 /* UNKNOWN */};
        for (int result : fatal) {
            assertFalse(ModuleLoader.nvrtcCanHelp(result), CUresult.stringFor(result));
        }
    }

    @Test
    void nvrtcCompilesTheDevicesOwnSassWhenItKnowsIt() {
        int[] nvrtc126 = {50, 52, 53, 60, 61, 62, 70, 72, 75, 80, 86, 87, 89, 90};
        assertEquals("sm_90", Nvrtc.target(90, nvrtc126));
        assertEquals("sm_75", Nvrtc.target(75, nvrtc126));
        assertEquals("sm_87", Nvrtc.target(87, nvrtc126));
    }

    @Test
    void aGpuNewerThanNvrtcGetsTheNewestPtxBelowIt() {
        int[] nvrtc126 = {75, 80, 86, 89, 90};
        assertEquals("compute_90", Nvrtc.target(100, nvrtc126));
        assertEquals("compute_90", Nvrtc.target(120, nvrtc126));
        assertEquals("compute_80", Nvrtc.target(85, new int[] {90, 80, 75}));
    }

    @Test
    void aGpuOlderThanEveryNvrtcArchitectureIsABackendException() {
        BackendException e = assertThrows(BackendException.class, () -> Nvrtc.target(61, new int[] {75, 80}));
        assertTrue(e.getMessage().contains("sm_61") && e.getMessage().contains("--backend cpu"), e.getMessage());
    }

    @Test
    void optionsNameTheTargetTheDialectAndDefaultDevice() {
        assertEquals(List.of("--gpu-architecture=sm_86", "--std=c++17", "-default-device"), Nvrtc.options("sm_86"));
        assertEquals(List.of("--gpu-architecture=compute_90", "--std=c++17", "-default-device"),
                Nvrtc.options(Nvrtc.target(100, new int[] {90})));
    }

    @Test
    void fatbinHeadersAreReadInFileOrder() {
        byte[] fatbin = fatbin(new int[][] {{1, 75}, {2, 90}, {2, 80}, {7, 99}, {2, 75}});
        assertEquals(List.of("compute_75", "sm_90", "sm_80", "sm_75"), Fatbin.targets(fatbin));
    }

    @Test
    void bytesThatAreNotAFatbinHaveNoTargets() {
        assertEquals(List.of(), Fatbin.targets(new byte[0]));
        assertEquals(List.of(), Fatbin.targets(".version 9.0\n.target sm_75\n".getBytes()));
        byte[] truncated = fatbin(new int[][] {{2, 90}});
        assertEquals(List.of(), Fatbin.targets(java.util.Arrays.copyOf(truncated, 40)));
    }

    @Test
    void theDriversChoiceIsDescribed() {
        List<String> targets = List.of("compute_75", "sm_90", "sm_89", "sm_86", "sm_80", "sm_75");
        assertEquals("sm_90", Fatbin.describe(targets, 90));
        assertEquals("sm_75", Fatbin.describe(targets, 75));
        assertEquals("sm_86 SASS on sm_87", Fatbin.describe(targets, 87));
        assertEquals("compute_75 PTX JIT-compiled by the driver for sm_100", Fatbin.describe(targets, 100));
        assertEquals("compute_75 PTX JIT-compiled by the driver for sm_120", Fatbin.describe(targets, 120));
        assertEquals("sm_72", Fatbin.describe(List.of(), 72));
    }

    @Test
    void aMissingResourceReadsAsNull() {
        assertNull(ModuleLoader.read("io/attrib4j/cuda/ptx/none.fatbin"));
        assertFalse(ModuleLoader.packaged("none"));
    }

    @Test
    void aMissingNvrtcLibraryIsNamed() {
        UnsatisfiedLinkError link = new UnsatisfiedLinkError("Error while loading native library \"JNvrtc-12.6.0-"
                + "linux-x86_64\"\n...\nlibnvrtc.so.12: cannot open shared object file: No such file or directory");
        assertEquals("libnvrtc.so.12 not found", Nvrtc.describe(link));
        assertEquals("UnsatisfiedLinkError: GLIBC_2.38 not found", Nvrtc.describe(
                new UnsatisfiedLinkError("GLIBC_2.38 not found\n\tat somewhere")));
    }

    /** A fatbin container with one empty-payload entry per {kind, arch}, laid out as nvcc 13 writes it. */
    private static byte[] fatbin(int[][] entries) {
        int entryHeader = 64;
        ByteBuffer out = ByteBuffer.allocate(16 + entries.length * (entryHeader + 8)).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(0xBA55ED50).putShort((short) 1).putShort((short) 16).putLong(entries.length * (entryHeader + 8L));
        for (int[] e : entries) {
            int at = out.position();
            out.putShort((short) e[0]).putShort((short) 0x101).putInt(entryHeader).putLong(8);
            out.putInt(at + 28, e[1]);
            out.position(at + entryHeader + 8);
        }
        return out.array();
    }
}
