package io.attrib4j.models;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import io.attrib4j.engine.AttributionException;
import io.attrib4j.engine.DType;
import io.attrib4j.engine.ModelExecutionException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.GradientModel;
import io.attrib4j.engine.model.ModelGradients;
import io.attrib4j.engine.model.ModelInfo;
import io.attrib4j.engine.model.Models;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What every model run through DJL's PyTorch engine shares: copying tensors in and out, one child
 * {@link NDManager} per call (closed on every path), the gradient pass under the {@link GradientLock},
 * and the translation of engine errors into {@link ModelExecutionException}s. Subclasses say only how
 * to run their forward pass.
 *
 * <p>The gradient is that of {@code sum(output * seed)}, with {@code seed = target.seed(output)}, with
 * respect to the input: row {@code i} is d scalar_i / d input_i.
 */
abstract class DjlModel implements GradientModel {
    private final Model model;
    private final ModelInfo info;

    DjlModel(Model model, ModelInfo info) {
        this.model = model;
        this.info = info;
    }

    /**
     * Runs the forward pass on {@code inputs}. With {@code recordGradients} the pass must record
     * autograd history (the caller holds an open gradient collector); without it, it may run without.
     * Only output 0 is used.
     */
    abstract NDList run(NDList inputs, boolean recordGradients);

    @Override
    public ModelInfo info() {
        return info;
    }

    /** The wrapped DJL model (its manager owns the model's native memory). */
    final Model djlModel() {
        return model;
    }

    @Override
    public Tensor forward(Tensor input) {
        Models.checkInputShape(this, input);
        try (NDManager call = model.getNDManager().newSubManager()) {
            NDArray x = toNd(call, input);
            return toTensor(checkedRun(x, input, false));
        }
    }

    @Override
    public ModelGradients gradients(Tensor input, Target target) {
        if (input.dtype() == DType.INT64) {
            throw new UnsupportedModelException("model '" + info.name() + "' got an integer (INT64) input " + input.shape()
                    + ", which has no gradient; attribute to the output of the embedding layer instead "
                    + "(a layer method on the embedding), or use a gradient-free method");
        }
        Models.checkInputShape(this, input);
        target.validateBatch(input.batch());
        return GradientLock.run(() -> backward(input, target));
    }

    private ModelGradients backward(Tensor input, Target target) {
        try (NDManager call = model.getNDManager().newSubManager();
                GradientCollector collector = model.getNDManager().getEngine().newGradientCollector()) {
            NDArray x = toNd(call, input);
            x.setRequiresGradient(true);
            NDArray out = checkedRun(x, input, true);
            Tensor output = toTensor(out);
            Tensor seed = target.seed(output); // validates the target against the output shape
            NDArray seedNd = toNd(call, seed);
            collector.backward(out.mul(seedNd).sum());
            return new ModelGradients(output, toTensor(x.getGradient()));
        }
    }

    private NDArray checkedRun(NDArray x, Tensor input, boolean recordGradients) {
        try {
            NDList out = run(new NDList(x), recordGradients);
            if (out.isEmpty()) {
                throw new ModelExecutionException("model '" + info.name() + "' returned no outputs for input "
                        + input.shape() + "; the model must return a tensor (or a tuple whose first element is the logits)");
            }
            return out.get(0);
        } catch (AttributionException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelExecutionException("model '" + info.name() + "' failed on input of shape " + input.shape()
                    + ": " + firstLine(e.getMessage()) + "; check that the input has the shape and dtype the model was "
                    + "built for" + info.exampleShape().map(s -> " (examples of shape " + s + ")").orElse(""), e);
        }
    }

    @Override
    public void close() {
        model.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + info.name() + ")";
    }

    static NDArray toNd(NDManager manager, Tensor t) {
        ai.djl.ndarray.types.Shape shape = new ai.djl.ndarray.types.Shape(t.shape().toLongArray());
        return t.dtype() == DType.INT64 ? manager.create(t.toLongArray(), shape) : manager.create(t.data(), shape);
    }

    static Tensor toTensor(NDArray a) {
        NDArray f = a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
        return Tensor.of(f.toFloatArray(), Shape.of(a.getShape().getShape()));
    }

    static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "(no message)";
        }
        String m = message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }
}
