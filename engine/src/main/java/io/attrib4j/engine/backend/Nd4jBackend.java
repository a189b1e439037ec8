package io.attrib4j.engine.backend;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The CPU backend, on ND4J (native BLAS through OpenBLAS). Each operation copies its operands into
 * native memory once, runs one or two ND4J calls, copies the result back and frees every native
 * buffer before returning (try-with-resources), on error paths too.
 *
 * <p>Path building is an outer product {@code alphas ⊗ (x - b)} plus the baseline; the weighted step
 * sum is one matrix-vector product {@code weights · grads}.
 */
public final class Nd4jBackend implements Backend {

    Nd4jBackend() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    @Override
    public String name() {
        return "cpu-nd4j";
    }

    @Override
    public Tensor interpolate(Tensor input, Tensor baseline, float[] alphas) {
        BackendChecks.requireSameShape(input, baseline, "interpolate");
        try (INDArray x = matrix(input.data(), 1, input.size());
             INDArray b = matrix(baseline.data(), 1, baseline.size());
             INDArray diff = x.sub(b);
             INDArray a = matrix(alphas, alphas.length, 1);
             INDArray path = a.mmul(diff)) {
            path.addiRowVector(b);
            return Tensor.of(path.data().asFloat(), input.shape().withBatch(alphas.length * input.batch()));
        }
    }

    @Override
    public Tensor weightedStepSum(Tensor grads, float[] weights, int n) {
        int k = weights.length;
        BackendChecks.requireStepBatch(grads, k, n);
        int flat = n * grads.rowSize();
        try (INDArray g = matrix(grads.data(), k, flat);
             INDArray w = matrix(weights, 1, k);
             INDArray sum = w.mmul(g)) {
            return Tensor.of(sum.data().asFloat(), grads.shape().withBatch(n));
        }
    }

    @Override
    public Tensor add(Tensor a, Tensor b) {
        BackendChecks.requireSameShape(a, b, "add");
        try (INDArray x = row(a.data()); INDArray y = row(b.data()); INDArray r = x.add(y)) {
            return Tensor.of(r.data().asFloat(), a.shape());
        }
    }

    @Override
    public Tensor subtract(Tensor a, Tensor b) {
        BackendChecks.requireSameShape(a, b, "subtract");
        try (INDArray x = row(a.data()); INDArray y = row(b.data()); INDArray r = x.sub(y)) {
            return Tensor.of(r.data().asFloat(), a.shape());
        }
    }

    @Override
    public Tensor multiply(Tensor a, Tensor b) {
        BackendChecks.requireSameShape(a, b, "multiply");
        try (INDArray x = row(a.data()); INDArray y = row(b.data()); INDArray r = x.mul(y)) {
            return Tensor.of(r.data().asFloat(), a.shape());
        }
    }

    @Override
    public Tensor abs(Tensor a) {
        try (INDArray x = row(a.data()); INDArray r = Transforms.abs(x, true)) {
            return Tensor.of(r.data().asFloat(), a.shape());
        }
    }

    /** The Java Philox (a counter-based generator is sequential work ND4J has no op for). */
    @Override
    public Tensor gaussian(Shape shape, float stdev, long seed, long offset) {
        BackendChecks.requireNoiseOffset(shape, offset);
        return Philox.gaussian(shape, stdev, seed, offset);
    }

    /** The Java accumulation of {@link SampleSums#plus} (double precision, which ND4J's float path lacks). */
    @Override
    public SampleSums accumulateSamples(SampleSums sums, Tensor rows, int fromRow, int samples) {
        return sums.plus(rows, fromRow, samples);
    }

    /** The Java loops of {@code MapOps} (ND4J has no single op for these, and they accumulate in double). */
    @Override
    public Tensor spatialMean(Tensor maps) {
        return MapOps.spatialMean(maps);
    }

    @Override
    public Tensor weightedChannelSum(Tensor activation, Tensor weights, boolean relu) {
        return MapOps.weightedChannelSum(activation, weights, relu);
    }

    @Override
    public Tensor resize(Tensor maps, int outH, int outW, Resize mode) {
        return MapOps.resize(maps, outH, outW, mode);
    }

    @Override
    public Tensor fuseHeads(Tensor attention, HeadReduction mode) {
        return MapOps.fuseHeads(attention, mode);
    }

    @Override
    public Tensor positiveGradientMean(Tensor attention, Tensor gradients) {
        return MapOps.positiveGradientMean(attention, gradients);
    }

    @Override
    public Tensor mixResidual(Tensor maps, double residualWeight, double discardRatio) {
        return MapOps.mixResidual(maps, residualWeight, discardRatio);
    }

    @Override
    public Tensor chainProduct(Tensor maps, int layers) {
        return MapOps.chainProduct(maps, layers);
    }

    private static INDArray row(float[] data) {
        return matrix(data, 1, data.length);
    }

    /** A fresh (not a view, so closing it frees its buffer) row-major matrix holding a copy of {@code data}. */
    private static INDArray matrix(float[] data, int rows, int cols) {
        return Nd4j.create(data, new long[] {rows, cols}, 'c');
    }

    /** Registers the ND4J backend under the id {@code cpu}. */
    public static final class Provider implements BackendProvider {
        @Override
        public String id() {
            return "cpu";
        }

        @Override
        public int rank() {
            return 0;
        }

        @Override
        public String unavailableReason() {
            return null;
        }

        @Override
        public Backend create() {
            return new Nd4jBackend();
        }
    }
}
