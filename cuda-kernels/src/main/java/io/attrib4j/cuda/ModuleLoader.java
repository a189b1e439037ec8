package io.attrib4j.cuda;

import io.attrib4j.engine.BackendException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;

/**
 * Loads each kernel family ({@code src/main/cuda/<family>.cu}) into the current context: the prebuilt
 * fatbin {@value #FATBIN_DIRECTORY}{@code <family>.fatbin} when the driver accepts it, else the packaged
 * source {@value #SOURCE_DIRECTORY}{@code <family>.cu} compiled by {@link Nvrtc} for this GPU. The first
 * family whose fatbin is missing or refused for a reason NVRTC can cure ({@link #nvrtcCanHelp}) switches
 * the remaining families to NVRTC as well. {@link #summary()} is the one log line saying which path ran.
 */
final class ModuleLoader {
    /** Class-path folder of the fatbins (and the plain PTX kept for inspection) that nvcc builds. */
    static final String FATBIN_DIRECTORY = Kernel.PTX_DIRECTORY;
    /** Class-path folder of the CUDA sources, packaged for NVRTC. */
    static final String SOURCE_DIRECTORY = "io/attrib4j/cuda/src/";
    /** The fix when the driver refused the fatbin and NVRTC failed too. */
    static final String FIX_DRIVER = "install an NVIDIA driver at least as new as the nvcc that built the jar "
            + "(R580 for CUDA 13), or the CUDA 12 NVRTC library libnvrtc.so.12 to compile the kernels at run time, "
            + "or run with --backend cpu";
    /** The fix when the jar has no fatbin and NVRTC failed. */
    static final String FIX_BUILD = "rebuild attrib4j-cuda-kernels with nvcc on the PATH, or install the CUDA 12 "
            + "NVRTC library libnvrtc.so.12 to compile the kernels at run time, or run with --backend cpu";

    /** NVRTC output per family and target, so the provider's probe and the backend compile once per JVM. */
    private static final Map<String, byte[]> COMPILED = new ConcurrentHashMap<>();

    private final int capability;
    private final List<String> prebuilt = new ArrayList<>();
    private final List<String> compiled = new ArrayList<>();
    private String fatbinImage;
    private String whyNvrtc;
    private String fix;
    private String nvrtcTarget;
    private String nvrtcVersion;

    /** @param capability the current device's compute capability, {@code 10 * major + minor} */
    ModuleLoader(int capability) {
        this.capability = capability;
    }

    static String fatbinResource(String family) {
        return FATBIN_DIRECTORY + family + ".fatbin";
    }

    static String sourceResource(String family) {
        return SOURCE_DIRECTORY + family + ".cu";
    }

    /** Whether the jar can give the driver {@code family}'s kernels: its fatbin, or its source for NVRTC. */
    static boolean packaged(String family) {
        ClassLoader loader = ModuleLoader.class.getClassLoader();
        return loader.getResource(fatbinResource(family)) != null || loader.getResource(sourceResource(family)) != null;
    }

    /**
     * Whether a {@code cuModuleLoadData} failure on the prebuilt fatbin is worth an NVRTC compile: the driver
     * is older than the PTX ({@code UNSUPPORTED_PTX_VERSION}, {@code INVALID_PTX}, {@code INVALID_SOURCE}) or
     * than the fatbin container ({@code INVALID_IMAGE}), has no SASS for this GPU and cannot JIT the PTX
     * ({@code NO_BINARY_FOR_GPU}, {@code JIT_COMPILER_NOT_FOUND}, {@code JIT_COMPILATION_DISABLED}). Any other
     * failure (out of memory, a bad context) would hit NVRTC's module too.
     */
    static boolean nvrtcCanHelp(int result) {
        return switch (result) {
            case CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION, CUresult.CUDA_ERROR_INVALID_PTX,
                    CUresult.CUDA_ERROR_INVALID_SOURCE, CUresult.CUDA_ERROR_INVALID_IMAGE,
                    CUresult.CUDA_ERROR_NO_BINARY_FOR_GPU, CUresult.CUDA_ERROR_JIT_COMPILER_NOT_FOUND,
                    CUresult.CUDA_ERROR_JIT_COMPILATION_DISABLED -> true;
            default -> false;
        };
    }

    /**
     * Loads {@code family}'s module into the current context; the caller unloads it.
     *
     * @throws BackendException when neither the fatbin nor NVRTC gives a module, naming both failures and the fix
     */
    CUmodule load(String family) {
        if (whyNvrtc == null) {
            byte[] fatbin = read(fatbinResource(family));
            if (fatbin == null) {
                whyNvrtc = "the jar has no prebuilt " + fatbinResource(family) + " (it was built without nvcc)";
                fix = FIX_BUILD;
            } else {
                CUmodule module = new CUmodule();
                int result = CudaDriver.tryLoadModule(module, fatbin);
                if (result == CUresult.CUDA_SUCCESS) {
                    prebuilt.add(family);
                    fatbinImage = Fatbin.describe(Fatbin.targets(fatbin), capability);
                    return module;
                }
                if (!nvrtcCanHelp(result)) {
                    CudaDriver.check(result, "cuModuleLoadData(" + family + ".fatbin)");
                }
                whyNvrtc = "cuModuleLoadData(" + family + ".fatbin) failed with " + CudaDriver.resultName(result)
                        + " (driver CUDA " + CudaDriver.driverVersion() + ")";
                fix = FIX_DRIVER;
            }
        }
        return compileAndLoad(family);
    }

    private CUmodule compileAndLoad(String family) {
        byte[] source = read(sourceResource(family));
        if (source == null) {
            throw failure("the jar has no " + sourceResource(family) + " for NVRTC either", null);
        }
        String unavailable = Nvrtc.unavailableReason();
        if (unavailable != null) {
            throw failure("NVRTC is not available to compile them at run time (" + unavailable + ")", null);
        }
        byte[] image;
        try {
            if (nvrtcTarget == null) {
                nvrtcVersion = Nvrtc.version();
                nvrtcTarget = Nvrtc.target(capability, Nvrtc.supportedArchitectures());
            }
            image = COMPILED.computeIfAbsent(family + "@" + nvrtcTarget,
                    k -> Nvrtc.compile(new String(source, StandardCharsets.UTF_8), family + ".cu", nvrtcTarget));
        } catch (BackendException e) {
            throw failure(e.getMessage(), e);
        }
        CUmodule module = new CUmodule();
        int result = CudaDriver.tryLoadModule(module, image);
        if (result != CUresult.CUDA_SUCCESS) {
            throw failure("the module NVRTC " + nvrtcVersion + " compiled from " + family + ".cu for " + nvrtcTarget
                    + " failed to load with " + CudaDriver.resultName(result), null);
        }
        compiled.add(family);
        return module;
    }

    private BackendException failure(String nvrtcFailure, Throwable cause) {
        return new BackendException("the CUDA kernels cannot be loaded: " + whyNvrtc + ", and " + nvrtcFailure + "; "
                + fix, cause);
    }

    /**
     * One line saying how the families were loaded, e.g. {@code kernels ig, noise: prebuilt fatbin (sm_90)}
     * or {@code kernels ig, noise: compiled at run time by NVRTC 12.6 for sm_90 because cuModuleLoadData(...)
     * failed with CUDA_ERROR_UNSUPPORTED_PTX_VERSION (driver CUDA 12.2)}.
     */
    String summary() {
        List<String> parts = new ArrayList<>();
        if (!prebuilt.isEmpty()) {
            parts.add("kernels " + String.join(", ", prebuilt) + ": prebuilt fatbin (" + fatbinImage + ")");
        }
        if (!compiled.isEmpty()) {
            parts.add("kernels " + String.join(", ", compiled) + ": compiled at run time by NVRTC " + nvrtcVersion
                    + " for " + nvrtcTarget + " because " + whyNvrtc);
        }
        return String.join("; ", parts);
    }

    /** A class-path resource's bytes, or {@code null} when it is not there. */
    static byte[] read(String resource) {
        try (InputStream in = ModuleLoader.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new BackendException("cannot read " + resource + " from the cuda-kernels jar: " + e.getMessage()
                    + "; the jar may be damaged, rebuild it, or run with --backend cpu", e);
        }
    }
}
