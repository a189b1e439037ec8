package io.attrib4j.bench;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.HeadReduction;
import io.attrib4j.engine.backend.Resize;
import io.attrib4j.engine.backend.SampleSums;
import java.util.function.Supplier;

/**
 * A {@link Backend} that passes every call to another one and adds up the wall time spent in them:
 * on {@code cuda} the kernels plus the host-device copies. Used by {@link IgKernelShareBenchmark} to
 * split an attribution's time into model, backend and the rest. Not thread-safe, like a method run.
 */
final class TimedBackend implements Backend {
    private final Backend delegate;
    private long nanos;

    TimedBackend(Backend delegate) {
        this.delegate = delegate;
    }

    /** Nanoseconds spent in the delegate since the last call, then starts counting from 0 again. */
    long takeNanos() {
        long t = nanos;
        nanos = 0;
        return t;
    }

    private <T> T timed(Supplier<T> call) {
        long t0 = System.nanoTime();
        try {
            return call.get();
        } finally {
            nanos += System.nanoTime() - t0;
        }
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Tensor interpolate(Tensor input, Tensor baseline, float[] alphas) {
        return timed(() -> delegate.interpolate(input, baseline, alphas));
    }

    @Override
    public Tensor weightedStepSum(Tensor grads, float[] weights, int n) {
        return timed(() -> delegate.weightedStepSum(grads, weights, n));
    }

    @Override
    public Tensor add(Tensor a, Tensor b) {
        return timed(() -> delegate.add(a, b));
    }

    @Override
    public Tensor subtract(Tensor a, Tensor b) {
        return timed(() -> delegate.subtract(a, b));
    }

    @Override
    public Tensor multiply(Tensor a, Tensor b) {
        return timed(() -> delegate.multiply(a, b));
    }

    @Override
    public Tensor abs(Tensor a) {
        return timed(() -> delegate.abs(a));
    }

    @Override
    public Tensor gaussian(Shape shape, float stdev, long seed, long offset) {
        return timed(() -> delegate.gaussian(shape, stdev, seed, offset));
    }

    @Override
    public SampleSums accumulateSamples(SampleSums sums, Tensor rows, int fromRow, int samples) {
        return timed(() -> delegate.accumulateSamples(sums, rows, fromRow, samples));
    }

    @Override
    public Tensor spatialMean(Tensor maps) {
        return timed(() -> delegate.spatialMean(maps));
    }

    @Override
    public Tensor weightedChannelSum(Tensor activation, Tensor weights, boolean relu) {
        return timed(() -> delegate.weightedChannelSum(activation, weights, relu));
    }

    @Override
    public Tensor resize(Tensor maps, int outH, int outW, Resize mode) {
        return timed(() -> delegate.resize(maps, outH, outW, mode));
    }

    @Override
    public Tensor fuseHeads(Tensor attention, HeadReduction mode) {
        return timed(() -> delegate.fuseHeads(attention, mode));
    }

    @Override
    public Tensor positiveGradientMean(Tensor attention, Tensor gradients) {
        return timed(() -> delegate.positiveGradientMean(attention, gradients));
    }

    @Override
    public Tensor mixResidual(Tensor maps, double residualWeight, double discardRatio) {
        return timed(() -> delegate.mixResidual(maps, residualWeight, discardRatio));
    }

    @Override
    public Tensor chainProduct(Tensor maps, int layers) {
        return timed(() -> delegate.chainProduct(maps, layers));
    }
}
