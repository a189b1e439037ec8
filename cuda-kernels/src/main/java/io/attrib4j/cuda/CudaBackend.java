package io.attrib4j.cuda;

import io.attrib4j.engine.BackendException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.BackendChecks;
import io.attrib4j.engine.backend.Backends;
import io.attrib4j.engine.backend.SampleSums;
import java.util.function.Supplier;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GPU backend: the attribution arithmetic as hand-written CUDA kernels ({@code src/main/cuda/ig.cu},
 * {@code elementwise.cu}, {@code noise.cu}), compiled to PTX at build time and loaded with the driver API. Gives the same
 * numbers as the ND4J CPU backend within float32 rounding: path points and element-wise results are
 * rounded exactly as on the CPU, and the weighted step sum accumulates in float with steps ascending.
 *
 * <p>Each call copies its operands to device buffers borrowed from a size-class pool, runs one kernel
 * and copies the result back; the buffers return to the pool on every path and {@link #close()} frees
 * them. Calls are serialized (one kernel at a time on the device's primary context). When a CUDA call
 * fails mid-request the backend logs one WARN line and computes that call with the CPU backend.
 *
 * <p>Obtain it with {@code Backends.get("cuda")} (or {@code "auto"}, which prefers it when a GPU is
 * present); see {@link CudaBackendProvider}.
 */
public final class CudaBackend implements Backend, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CudaBackend.class);

    private final CUdevice device;
    private final CUcontext context;
    private final String name;
    private final CudaKernels kernels;
    private final DevicePool pool = new DevicePool();
    private Backend cpu;
    private boolean closed;

    /** Opens device {@code ordinal}: retains its primary context and loads the PTX kernels into it. */
    CudaBackend(int ordinal) {
        CudaDriver.check(CudaDriver.init(), "cuInit");
        this.device = CudaDriver.device(ordinal);
        this.name = "cuda:" + ordinal + " " + CudaDriver.deviceName(device);
        int multiprocessors = CudaDriver.multiprocessorCount(device);
        this.context = CudaDriver.retainPrimaryContext(device);
        try {
            CudaDriver.makeCurrent(context);
            this.kernels = new CudaKernels(multiprocessors);
        } catch (RuntimeException e) {
            try {
                CudaDriver.releasePrimaryContext(device);
            } catch (BackendException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized Tensor interpolate(Tensor input, Tensor baseline, float[] alphas) {
        BackendChecks.requireSameShape(input, baseline, "interpolate");
        Shape out = input.shape().withBatch(alphas.length * input.batch());
        int m = input.size();
        return withFallback("interpolate",
                () -> run(Kernel.INTERPOLATE, out, out.size(), input.data(), baseline.data(), alphas, alphas.length, m),
                () -> cpu().interpolate(input, baseline, alphas));
    }

    @Override
    public synchronized Tensor weightedStepSum(Tensor grads, float[] weights, int n) {
        int k = weights.length;
        BackendChecks.requireStepBatch(grads, k, n);
        Shape out = grads.shape().withBatch(n);
        int m = out.size();
        return withFallback("weightedStepSum",
                () -> run(Kernel.WEIGHTED_STEP_SUM, out, m, grads.data(), weights, k, m),
                () -> cpu().weightedStepSum(grads, weights, n));
    }

    @Override
    public synchronized Tensor add(Tensor a, Tensor b) {
        BackendChecks.requireSameShape(a, b, "add");
        return withFallback("add", () -> run(Kernel.ADD, a.shape(), a.size(), a.data(), b.data(), a.size()),
                () -> cpu().add(a, b));
    }

    @Override
    public synchronized Tensor subtract(Tensor a, Tensor b) {
        BackendChecks.requireSameShape(a, b, "subtract");
        return withFallback("subtract", () -> run(Kernel.SUBTRACT, a.shape(), a.size(), a.data(), b.data(), a.size()),
                () -> cpu().subtract(a, b));
    }

    @Override
    public synchronized Tensor multiply(Tensor a, Tensor b) {
        BackendChecks.requireSameShape(a, b, "multiply");
        return withFallback("multiply", () -> run(Kernel.MULTIPLY, a.shape(), a.size(), a.data(), b.data(), a.size()),
                () -> cpu().multiply(a, b));
    }

    @Override
    public synchronized Tensor abs(Tensor a) {
        return withFallback("abs", () -> run(Kernel.ABS, a.shape(), a.size(), a.data(), a.size()), () -> cpu().abs(a));
    }

    @Override
    public synchronized Tensor gaussian(Shape shape, float stdev, long seed, long offset) {
        BackendChecks.requireNoiseOffset(shape, offset);
        return withFallback("gaussian", () -> run(Kernel.GAUSSIAN, shape, shape.size(), stdev, seed, offset,
                shape.size()), () -> cpu().gaussian(shape, stdev, seed, offset));
    }

    @Override
    public synchronized SampleSums accumulateSamples(SampleSums sums, Tensor rows, int fromRow, int samples) {
        BackendChecks.requireSampleRows(sums, rows, fromRow, samples);
        return withFallback("accumulateSamples", () -> accumulate(sums, rows, fromRow, samples),
                () -> cpu().accumulateSamples(sums, rows, fromRow, samples));
    }

    // Map operations: computed by the CPU backend until cam.cu and rollout.cu land.
    @Override
    public Tensor spatialMean(Tensor maps) {
        return cpu().spatialMean(maps);
    }

    @Override
    public Tensor weightedChannelSum(Tensor activation, Tensor weights, boolean relu) {
        return cpu().weightedChannelSum(activation, weights, relu);
    }

    @Override
    public Tensor resize(Tensor maps, int outH, int outW, io.attrib4j.engine.backend.Resize mode) {
        return cpu().resize(maps, outH, outW, mode);
    }

    @Override
    public Tensor fuseHeads(Tensor attention, io.attrib4j.engine.backend.HeadReduction mode) {
        return cpu().fuseHeads(attention, mode);
    }

    @Override
    public Tensor positiveGradientMean(Tensor attention, Tensor gradients) {
        return cpu().positiveGradientMean(attention, gradients);
    }

    @Override
    public Tensor mixResidual(Tensor maps, double residualWeight, double discardRatio) {
        return cpu().mixResidual(maps, residualWeight, discardRatio);
    }

    @Override
    public Tensor chainProduct(Tensor maps, int layers) {
        return cpu().chainProduct(maps, layers);
    }

    /** Uploads the sums and the rows, adds the rows of the examples they touch in place, downloads the sums. */
    private SampleSums accumulate(SampleSums sums, Tensor rows, int fromRow, int samples) {
        double[] sum = sums.sum().clone();
        double[] sumSq = sums.sumOfSquares().clone();
        int rowSize = rows.rowSize();
        if (rows.size() == 0) {
            return new SampleSums(sums.shape(), sum, sumSq);
        }
        requireOpen();
        int first = fromRow / samples;
        int last = (fromRow + rows.batch() - 1) / samples;
        int work = (last - first + 1) * rowSize;
        try (DevicePool.Lease lease = pool.lease()) {
            CUdeviceptr s = lease.upload(sum);
            CUdeviceptr q = lease.upload(sumSq);
            kernels.launch(Kernel.ACCUMULATE_SAMPLES, work, s, q, lease.upload(rows.data()), fromRow, rows.batch(),
                    samples, rowSize, first, work);
            CudaDriver.copyToHost(sum, s);
            CudaDriver.copyToHost(sumSq, q);
        }
        return new SampleSums(sums.shape(), sum, sumSq);
    }

    /**
     * Frees the device buffers, unloads the kernels and releases the primary context. Later calls are
     * computed on the CPU backend (with a WARN line each).
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            CudaDriver.makeCurrent(context);
            try {
                pool.close();
            } finally {
                kernels.close();
            }
        } finally {
            CudaDriver.releasePrimaryContext(device);
        }
    }

    /** Device bytes the buffer pool holds (for memory tests). */
    synchronized long pooledBytes() {
        return pool.allocatedBytes();
    }

    /**
     * One kernel call: uploads the {@code float[]} arguments, passes {@code int} arguments as they are,
     * runs {@code kernel} over {@code work} items with the output buffer first, and downloads the output.
     */
    private Tensor run(Kernel kernel, Shape outShape, int work, Object... inputs) {
        float[] out = new float[outShape.size()];
        if (out.length == 0) {
            return Tensor.of(out, outShape);
        }
        requireOpen();
        try (DevicePool.Lease lease = pool.lease()) {
            CUdeviceptr output = lease.allocate(out.length);
            Object[] args = new Object[inputs.length + 1];
            args[0] = output;
            for (int i = 0; i < inputs.length; i++) {
                args[i + 1] = inputs[i] instanceof float[] host ? lease.upload(host) : inputs[i];
            }
            kernels.launch(kernel, work, args);
            CudaDriver.copyToHost(out, output);
        }
        return Tensor.of(out, outShape);
    }

    /** Throws when closed; otherwise makes the device's context current on this thread. */
    private void requireOpen() {
        if (closed) {
            throw new BackendException("the CUDA backend " + name + " was closed; open a new one with "
                    + "Backends.get(\"cuda\") or run with --backend cpu");
        }
        CudaDriver.makeCurrent(context);
    }

    /** {@code gpu}, or {@code cpu} with one WARN line when a CUDA call fails. */
    static <T> T withFallback(String op, Supplier<T> gpu, Supplier<T> cpu) {
        try {
            return gpu.get();
        } catch (BackendException e) {
            LOG.warn("CUDA {} failed, computing this call on the CPU backend: {}", op, e.getMessage());
            return cpu.get();
        }
    }

    private Backend cpu() {
        if (cpu == null) {
            cpu = Backends.get("cpu");
        }
        return cpu;
    }

}
