package io.attrib4j.cuda;

import io.attrib4j.engine.BackendException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.BackendChecks;
import io.attrib4j.engine.backend.Backends;
import io.attrib4j.engine.backend.HeadReduction;
import io.attrib4j.engine.backend.Resize;
import io.attrib4j.engine.backend.SampleSums;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GPU backend: the attribution arithmetic as hand-written CUDA kernels ({@code src/main/cuda/ig.cu},
 * {@code elementwise.cu}, {@code noise.cu}, {@code cam.cu}, {@code rollout.cu}), built by nvcc into a fatbin at package time
 * (or compiled by NVRTC at run time when the fatbin does not fit the driver; see {@code ModuleLoader}) and
 * loaded with the driver API. Gives the same numbers as the ND4J CPU backend within float32 rounding: path
 * points, element-wise results and the map operations (class activation maps, attention rollout) are rounded
 * exactly as on the CPU, and the weighted step sum accumulates in float with steps ascending.
 *
 * <p>Each call copies its operands to device buffers borrowed from a size-class pool, runs its kernels
 * (one, or a short sequence such as the rollout product's layers) and copies the result back: one host
 * round trip. The buffers return to the pool on every path and {@link #close()} frees them. Calls are
 * serialized (one kernel at a time on the device's primary context). When a CUDA call fails mid-request
 * the backend logs one WARN line and computes that call with the CPU backend.
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

    /** Opens device {@code ordinal}: retains its primary context and loads the kernels into it. */
    CudaBackend(int ordinal) {
        this(ordinal, 0);
    }

    /**
     * As {@link #CudaBackend(int)}, with every grid capped at {@code maxBlocks} blocks (0: the default,
     * {@value CudaKernels#BLOCKS_PER_SM} per multiprocessor). Tests pass a tiny cap so that small inputs
     * take several turns of each kernel's grid-stride loop.
     */
    CudaBackend(int ordinal, int maxBlocks) {
        CudaDriver.check(CudaDriver.init(), "cuInit");
        this.device = CudaDriver.device(ordinal);
        this.name = "cuda:" + ordinal + " " + CudaDriver.deviceName(device);
        int multiprocessors = CudaDriver.multiprocessorCount(device);
        this.context = CudaDriver.retainPrimaryContext(device);
        try {
            CudaDriver.makeCurrent(context);
            this.kernels = new CudaKernels(maxBlocks > 0 ? maxBlocks : Math.max(1, multiprocessors) * CudaKernels.BLOCKS_PER_SM);
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

    @Override
    public synchronized Tensor spatialMean(Tensor maps) {
        BackendChecks.requireMaps(maps, "spatialMean");
        Shape s = maps.shape();
        int planes = s.dim(0) * s.dim(1);
        int hw = s.dim(2) * s.dim(3);
        return withFallback("spatialMean",
                () -> run(Kernel.SPATIAL_MEAN, Shape.of(s.dim(0), s.dim(1)), planes, maps.data(), planes, hw),
                () -> cpu().spatialMean(maps));
    }

    @Override
    public synchronized Tensor weightedChannelSum(Tensor activation, Tensor weights, boolean relu) {
        BackendChecks.requireCamWeights(activation, weights);
        Shape s = activation.shape();
        int n = s.dim(0);
        int hw = s.dim(2) * s.dim(3);
        int perChannel = weights.shape().rank() == 2 ? 1 : 0;
        return withFallback("weightedChannelSum",
                () -> run(Kernel.WEIGHTED_CHANNEL_SUM, Shape.of(n, 1, s.dim(2), s.dim(3)), n * hw, activation.data(),
                        weights.data(), n, s.dim(1), hw, perChannel, relu ? 1 : 0),
                () -> cpu().weightedChannelSum(activation, weights, relu));
    }

    @Override
    public synchronized Tensor resize(Tensor maps, int outH, int outW, Resize mode) {
        BackendChecks.requireResize(maps, outH, outW);
        Shape s = maps.shape();
        Shape out = Shape.of(s.dim(0), s.dim(1), outH, outW);
        return withFallback("resize", () -> run(Kernel.RESIZE, out, out.size(), maps.data(), s.dim(0) * s.dim(1),
                s.dim(2), s.dim(3), outH, outW, mode == Resize.BILINEAR ? 1 : 0),
                () -> cpu().resize(maps, outH, outW, mode));
    }

    @Override
    public synchronized Tensor fuseHeads(Tensor attention, HeadReduction mode) {
        BackendChecks.requireAttention(attention, 4, "fuseHeads");
        Shape s = attention.shape();
        Shape out = Shape.of(s.dim(0), s.dim(2), s.dim(3));
        int code = switch (mode) {
            case MEAN -> 0;
            case MAX -> 1;
            case MIN -> 2;
        };
        return withFallback("fuseHeads", () -> run(Kernel.FUSE_HEADS, out, out.size(), attention.data(), s.dim(0),
                s.dim(1), s.dim(2) * s.dim(3), code), () -> cpu().fuseHeads(attention, mode));
    }

    @Override
    public synchronized Tensor positiveGradientMean(Tensor attention, Tensor gradients) {
        BackendChecks.requireAttention(attention, 4, "positiveGradientMean");
        BackendChecks.requireSameShape(attention, gradients, "positiveGradientMean");
        Shape s = attention.shape();
        Shape out = Shape.of(s.dim(0), s.dim(2), s.dim(3));
        return withFallback("positiveGradientMean", () -> run(Kernel.POSITIVE_GRADIENT_MEAN, out, out.size(),
                attention.data(), gradients.data(), s.dim(0), s.dim(1), s.dim(2) * s.dim(3)),
                () -> cpu().positiveGradientMean(attention, gradients));
    }

    @Override
    public synchronized Tensor mixResidual(Tensor maps, double residualWeight, double discardRatio) {
        BackendChecks.requireAttention(maps, 3, "mixResidual");
        BackendChecks.requireMixing(residualWeight, discardRatio);
        int seq = maps.shape().dim(1);
        int rows = maps.shape().dim(0) * seq;
        int drop = (int) Math.floor(discardRatio * (seq - 1));
        return withFallback("mixResidual", () -> compute(maps.shape(), (lease, out) -> {
            CUdeviceptr mixed = lease.allocateDoubles(maps.size());
            kernels.launch(Kernel.MIX_RESIDUAL, maps.size(), mixed, lease.upload(maps.data()), rows, seq, drop,
                    Double.doubleToRawLongBits(residualWeight));
            kernels.launch(Kernel.NORMALIZE_ROWS, rows, out, mixed, rows, seq);
        }), () -> cpu().mixResidual(maps, residualWeight, discardRatio));
    }

    /** The running product stays on the device in two double buffers (current, next), rounded to float once. */
    @Override
    public synchronized Tensor chainProduct(Tensor maps, int layers) {
        BackendChecks.requireChain(maps, layers);
        int batch = maps.shape().dim(0) / layers;
        int seq = maps.shape().dim(1);
        Shape shape = Shape.of(batch, seq, seq);
        int count = shape.size();
        return withFallback("chainProduct", () -> compute(shape, (lease, out) -> {
            CUdeviceptr in = lease.upload(maps.data());
            CUdeviceptr product = lease.allocateDoubles(count);
            CUdeviceptr next = lease.allocateDoubles(count);
            kernels.launch(Kernel.CHAIN_START, count, product, in, count);
            for (int layer = 1; layer < layers; layer++) {
                kernels.launch(Kernel.CHAIN_STEP, count, next, in, product, batch, seq, layer);
                CUdeviceptr done = product;
                product = next;
                next = done;
            }
            kernels.launch(Kernel.CHAIN_FINISH, count, out, product, count);
        }), () -> cpu().chainProduct(maps, layers));
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
            lease.download(sum, s);
            lease.download(sumSq, q);
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
        return compute(outShape, (lease, output) -> {
            Object[] args = new Object[inputs.length + 1];
            args[0] = output;
            for (int i = 0; i < inputs.length; i++) {
                args[i + 1] = inputs[i] instanceof float[] host ? lease.upload(host) : inputs[i];
            }
            kernels.launch(kernel, work, args);
        });
    }

    /**
     * One host round trip: {@code launches} uploads its operands into {@code lease} and fills the float
     * output buffer it is given; then the output is downloaded and every buffer goes back to the pool.
     * An empty output needs no device.
     */
    private Tensor compute(Shape outShape, BiConsumer<DevicePool.Lease, CUdeviceptr> launches) {
        float[] out = new float[outShape.size()];
        if (out.length == 0) {
            return Tensor.of(out, outShape);
        }
        requireOpen();
        try (DevicePool.Lease lease = pool.lease()) {
            CUdeviceptr output = lease.allocate(out.length);
            launches.accept(lease, output);
            lease.download(out, output);
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

    /**
     * The system property that, set to {@code false}, turns the CPU fallback off: a failed CUDA call then throws
     * instead of being answered by the CPU. The GPU parity tests and the GPU bundle's run set it, so that a
     * parity run in which the GPU computed nothing fails rather than compares the CPU with itself.
     */
    public static final String FALLBACK_PROPERTY = "attrib4j.cuda.fallback";

    /**
     * {@code gpu}, or {@code cpu} with one WARN line when a CUDA call fails; with
     * {@code -Dattrib4j.cuda.fallback=false} (read on every call) the failure is thrown instead.
     */
    static <T> T withFallback(String op, Supplier<T> gpu, Supplier<T> cpu) {
        try {
            return gpu.get();
        } catch (BackendException e) {
            if (!fallbackAllowed()) {
                throw new BackendException("CUDA " + op + " failed and the CPU fallback is off (-D" + FALLBACK_PROPERTY
                        + "=false, as in the GPU parity tests): " + e.getMessage(), e);
            }
            LOG.warn("CUDA {} failed, computing this call on the CPU backend: {}", op, e.getMessage());
            return cpu.get();
        }
    }

    /** Whether a failed CUDA call may be computed on the CPU ({@value #FALLBACK_PROPERTY}, default true). */
    static boolean fallbackAllowed() {
        return !"false".equalsIgnoreCase(System.getProperty(FALLBACK_PROPERTY, "true").trim());
    }

    private Backend cpu() {
        if (cpu == null) {
            cpu = Backends.get("cpu");
        }
        return cpu;
    }

}
