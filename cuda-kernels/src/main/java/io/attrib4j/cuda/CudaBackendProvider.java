package io.attrib4j.cuda;

import io.attrib4j.engine.BackendException;
import io.attrib4j.engine.backend.BackendProvider;
import jcuda.driver.CUresult;

/**
 * Registers {@link CudaBackend} under the id {@code cuda} with rank {@value #RANK}, so automatic
 * selection prefers it over the CPU backend (rank 0) whenever it can run.
 *
 * <p>Whether it can run is probed once per JVM, and the probe never throws: it loads the JCuda driver
 * binding (an {@link UnsatisfiedLinkError} there means no NVIDIA driver), calls {@code cuInit}
 * ({@code CUDA_ERROR_NO_DEVICE} means no GPU), checks that the kernels were packaged (as prebuilt fatbins,
 * or as sources for NVRTC), and finally opens and closes a trial backend on device 0, which loads the
 * kernels: a driver too old for the fatbin without a usable NVRTC is reported here (the message names both
 * failures and the fix) rather than failing the first attribution.
 */
public final class CudaBackendProvider implements BackendProvider {
    /** The id users choose this backend by. */
    public static final String ID = "cuda";
    /** Outranks the ND4J CPU backend (rank 0). */
    public static final int RANK = 100;

    private static boolean probed;
    private static String reason;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int rank() {
        return RANK;
    }

    @Override
    public String unavailableReason() {
        return probeOnce();
    }

    /**
     * Opens a new backend on device 0; the caller owns it and closes it.
     *
     * @throws BackendException when {@link #unavailableReason()} is not {@code null}
     */
    @Override
    public CudaBackend create() {
        String why = unavailableReason();
        if (why != null) {
            throw new BackendException("the CUDA backend cannot run here: " + why + "; use --backend cpu");
        }
        return new CudaBackend(0);
    }

    private static synchronized String probeOnce() {
        if (!probed) {
            reason = probe();
            probed = true;
        }
        return reason;
    }

    /** Why the CUDA backend cannot run in this JVM, or {@code null} when it can. Never throws. */
    static String probe() {
        try {
            int init = CudaDriver.init();
            if (init == CUresult.CUDA_ERROR_NO_DEVICE) {
                return "no CUDA device";
            }
            if (init != CUresult.CUDA_SUCCESS) {
                return "the CUDA driver did not initialize (" + CudaDriver.resultName(init) + ")";
            }
            if (CudaDriver.deviceCount() == 0) {
                return "no CUDA device";
            }
            if (!CudaKernels.packaged()) {
                return "the CUDA kernels are missing from the jar (neither " + ModuleLoader.FATBIN_DIRECTORY
                        + "*.fatbin nor " + ModuleLoader.SOURCE_DIRECTORY + "*.cu); rebuild attrib4j-cuda-kernels";
            }
            new CudaBackend(0).close();
            return null;
        } catch (UnsatisfiedLinkError e) {
            String message = String.valueOf(e.getMessage());
            return message.contains("libcuda")
                    ? "no CUDA driver (libcuda.so.1 not found)"
                    : "JCuda's native library did not load (" + message + ")";
        } catch (LinkageError e) {
            return "JCuda did not load (" + e + ")";
        } catch (RuntimeException e) {
            return "the CUDA device check failed: " + e.getMessage();
        }
    }
}
