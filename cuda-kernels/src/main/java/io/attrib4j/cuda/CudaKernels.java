package io.attrib4j.cuda;

import io.attrib4j.engine.BackendException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel modules loaded into the current context and their entry points, with a launcher that
 * sizes a one-dimensional grid for grid-stride kernels: {@value #THREADS} threads a block, at most
 * {@value #BLOCKS_PER_SM} blocks per multiprocessor.
 */
final class CudaKernels implements AutoCloseable {
    static final int THREADS = 256;
    static final int BLOCKS_PER_SM = 32;
    private static final Logger LOG = LoggerFactory.getLogger(CudaKernels.class);

    private final List<CUmodule> modules = new ArrayList<>();
    private final Map<Kernel, CUfunction> functions = new EnumMap<>(Kernel.class);
    private final int maxBlocks;

    /**
     * Loads every kernel family into the context current on this thread (see {@link ModuleLoader}) and logs
     * one INFO line saying how: prebuilt fatbin or NVRTC.
     */
    CudaKernels(int maxBlocks) {
        this.maxBlocks = maxBlocks;
        Map<String, CUmodule> byFamily = new LinkedHashMap<>();
        try {
            ModuleLoader loader = new ModuleLoader(CudaDriver.computeCapability(CudaDriver.currentDevice()));
            for (Kernel k : Kernel.values()) {
                CUmodule module = byFamily.get(k.family);
                if (module == null) {
                    module = loader.load(k.family);
                    byFamily.put(k.family, module);
                    modules.add(module);
                }
                functions.put(k, CudaDriver.function(module, k.entry));
            }
            LOG.info(loader.summary());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Whether the jar holds every kernel family, as a prebuilt fatbin or as source for NVRTC. */
    static boolean packaged() {
        return Arrays.stream(Kernel.values()).allMatch(k -> ModuleLoader.packaged(k.family));
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
}
