package io.attrib4j.cuda;

import io.attrib4j.engine.BackendException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import jcuda.nvrtc.JNvrtc;
import jcuda.nvrtc.nvrtcProgram;
import jcuda.nvrtc.nvrtcResult;

/**
 * The one place that calls NVRTC, the CUDA run-time compiler: compiles a packaged {@code .cu} source for the
 * GPU at hand when the driver refuses the prebuilt fatbin (see {@link ModuleLoader}). Needs no GPU.
 *
 * <p>The target is the device's own SASS ({@code --gpu-architecture=sm_XY}, loaded as CUBIN) whenever this
 * NVRTC knows the architecture: a CUBIN loads on any driver of the same CUDA major version, whereas PTX from
 * NVRTC 12.6 (ISA 8.5) would again be refused by an older 12.x driver. For a GPU newer than this NVRTC the
 * target is the newest virtual architecture it knows below the device ({@code compute_ZW}), loaded as PTX for
 * the driver to JIT-compile. The options are otherwise nvcc's defaults ({@code -fmad=true}, IEEE division and
 * square root, no flush to zero), so the kernels round as the prebuilt ones do.
 *
 * <p>JCuda 12.6's NVRTC binding links {@code libnvrtc.so.12}; where it is missing the first call throws an
 * {@link UnsatisfiedLinkError} and later ones only "Could not initialize class", so {@link #unavailableReason()}
 * tries once per JVM and remembers why; call the other methods only when it is {@code null}.
 */
final class Nvrtc {
    /** The C++ dialect nvcc 13 compiles the prebuilt kernels with (its default). */
    static final String STANDARD = "--std=c++17";

    private Nvrtc() {}

    /** Loads JCuda's NVRTC binding on first use and remembers the outcome. */
    private static final class Library {
        static final String UNAVAILABLE = load();

        private static String load() {
            try {
                JNvrtc.nvrtcVersion(new int[1], new int[1]);
                return null;
            } catch (LinkageError e) {
                return describe(e);
            }
        }
    }

    /** Why NVRTC cannot run in this JVM ({@code "libnvrtc.so.12 not found"}, ...), or {@code null} when it can. */
    static String unavailableReason() {
        return Library.UNAVAILABLE;
    }

    /** Names the missing library when the JNI link failed, else the error's first line. */
    static String describe(LinkageError e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("libnvrtc") ? "libnvrtc.so.12 not found"
                : e.getClass().getSimpleName() + ": " + message.lines().findFirst().orElse("");
    }

    /** NVRTC's version, such as {@code "12.6"}. */
    static String version() {
        int[] major = new int[1];
        int[] minor = new int[1];
        check(JNvrtc.nvrtcVersion(major, minor), "nvrtcVersion");
        return major[0] + "." + minor[0];
    }

    /** The architectures this NVRTC compiles for, as {@code 10 * major + minor} (75, 80, ..., 90). */
    static int[] supportedArchitectures() {
        int[] count = new int[1];
        check(JNvrtc.nvrtcGetNumSupportedArchs(count), "nvrtcGetNumSupportedArchs");
        int[] archs = new int[count[0]];
        check(JNvrtc.nvrtcGetSupportedArchs(archs), "nvrtcGetSupportedArchs");
        return archs;
    }

    /**
     * What to compile for a device of compute capability {@code capability} ({@code 10 * major + minor}):
     * {@code "sm_XY"} when {@code supported} holds it, else {@code "compute_ZW"} for the largest supported
     * {@code ZW} below it.
     *
     * @throws BackendException when every supported architecture is newer than the device
     */
    static String target(int capability, int[] supported) {
        int best = -1;
        for (int arch : supported) {
            if (arch == capability) {
                return "sm_" + arch;
            }
            if (arch < capability && arch > best) {
                best = arch;
            }
        }
        if (best < 0) {
            throw new BackendException("NVRTC compiles for " + Arrays.toString(supported) + " only, and the GPU is sm_"
                    + capability + "; run with --backend cpu");
        }
        return "compute_" + best;
    }

    /** The NVRTC options for {@code target} ({@code "sm_90"} or {@code "compute_90"}). */
    static List<String> options(String target) {
        return List.of("--gpu-architecture=" + target, STANDARD, "-default-device");
    }

    /**
     * Compiles {@code source} for {@code target}: the CUBIN for an {@code sm_XY} target, else the PTX text
     * ending with the NUL byte {@code cuModuleLoadData} wants.
     *
     * @throws BackendException when NVRTC fails, with its program log
     */
    static byte[] compile(String source, String name, String target) {
        nvrtcProgram program = new nvrtcProgram();
        check(JNvrtc.nvrtcCreateProgram(program, source, name, 0, null, null), "nvrtcCreateProgram(" + name + ")");
        try {
            List<String> options = options(target);
            int result = JNvrtc.nvrtcCompileProgram(program, options.size(), options.toArray(new String[0]));
            if (result != nvrtcResult.NVRTC_SUCCESS) {
                throw new BackendException("NVRTC could not compile " + name + " with " + options + ": "
                        + nvrtcResult.stringFor(result) + "\n" + log(program));
            }
            return target.startsWith("sm_") ? cubin(program) : ptx(program);
        } finally {
            check(JNvrtc.nvrtcDestroyProgram(program), "nvrtcDestroyProgram");
        }
    }

    private static byte[] cubin(nvrtcProgram program) {
        long[] size = new long[1];
        check(JNvrtc.nvrtcGetCUBINSize(program, size), "nvrtcGetCUBINSize");
        byte[] cubin = new byte[Math.toIntExact(size[0])];
        check(JNvrtc.nvrtcGetCUBIN(program, cubin), "nvrtcGetCUBIN");
        return cubin;
    }

    private static byte[] ptx(nvrtcProgram program) {
        String[] ptx = new String[1];
        check(JNvrtc.nvrtcGetPTX(program, ptx), "nvrtcGetPTX");
        byte[] text = ptx[0].getBytes(StandardCharsets.US_ASCII);
        return text[text.length - 1] == 0 ? text : Arrays.copyOf(text, text.length + 1);
    }

    private static String log(nvrtcProgram program) {
        String[] log = new String[1];
        return JNvrtc.nvrtcGetProgramLog(program, log) == nvrtcResult.NVRTC_SUCCESS ? log[0].strip() : "(no log)";
    }

    private static void check(int result, String call) {
        if (result != nvrtcResult.NVRTC_SUCCESS) {
            throw new BackendException("NVRTC call " + call + " failed with " + nvrtcResult.stringFor(result)
                    + "; run with --backend cpu");
        }
    }
}
