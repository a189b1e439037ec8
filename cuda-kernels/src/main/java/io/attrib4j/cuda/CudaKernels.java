package io.attrib4j.cuda;

import io.attrib4j.engine.BackendException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;

/**
 * The PTX modules loaded into the current context and their entry points, with a launcher that
 * sizes a one-dimensional grid for grid-stride kernels: {@value #THREADS} threads a block, at most
 * {@value #BLOCKS_PER_SM} blocks per multiprocessor.
 */
final class CudaKernels implements AutoCloseable {
    static final int THREADS = 256;
    static final int BLOCKS_PER_SM = 32;

    private final List<CUmodule> modules = new ArrayList<>();
    private final Map<Kernel, CUfunction> functions = new EnumMap<>(Kernel.class);
    private final int maxBlocks;

    /** Loads every PTX family into the context current on this thread. */
    CudaKernels(int multiprocessors) {
        this.maxBlocks = Math.max(1, multiprocessors) * BLOCKS_PER_SM;
        Map<String, CUmodule> byResource = new LinkedHashMap<>();
        try {
            for (Kernel k : Kernel.values()) {
                CUmodule module = byResource.get(k.ptxResource());
                if (module == null) {
                    module = CudaDriver.loadModule(readPtx(k.ptxResource()), k.ptxResource());
                    byResource.put(k.ptxResource(), module);
                    modules.add(module);
                }
                functions.put(k, CudaDriver.function(module, k.entry));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Whether every PTX file is on the class path (false when the jar was built without nvcc). */
    static boolean ptxPresent() {
        for (Kernel k : Kernel.values()) {
            if (CudaKernels.class.getClassLoader().getResource(k.ptxResource()) == null) {
                return false;
            }
        }
        return true;
    }

    /** Runs {@code kernel} over {@code work} independent items (threads of a grid-stride loop). */
    void launch(Kernel kernel, int work, Object... args) {
        int blocks = (int) Math.min((work + (long) THREADS - 1) / THREADS, maxBlocks);
        CudaDriver.launch(functions.get(kernel), Math.max(blocks, 1), THREADS, args);
    }

    @Override
    public void close() {
        BackendException first = null;
        for (CUmodule m : modules) {
            try {
                CudaDriver.unloadModule(m);
            } catch (BackendException e) {
                first = first == null ? e : first;
            }
        }
        modules.clear();
        functions.clear();
        if (first != null) {
            throw first;
        }
    }

    /** The PTX text of a class-path resource, NUL-terminated as {@code cuModuleLoadData} wants it. */
    static byte[] readPtx(String resource) {
        try (InputStream in = CudaKernels.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new BackendException("PTX resource " + resource + " is missing: the cuda-kernels jar was built "
                        + "without nvcc; rebuild it with nvcc on the PATH, or run with --backend cpu");
            }
            byte[] text = in.readAllBytes();
            return Arrays.copyOf(text, text.length + 1);
        } catch (IOException e) {
            throw new BackendException("cannot read PTX resource " + resource + ": " + e.getMessage()
                    + "; the cuda-kernels jar may be damaged, or run with --backend cpu", e);
        }
    }
}
