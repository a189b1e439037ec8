package io.attrib4j.models;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import io.attrib4j.engine.AttributionException;
import io.attrib4j.engine.DType;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.ModelExecutionException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.GradientModel;
import io.attrib4j.engine.model.LayerGradients;
import io.attrib4j.engine.model.ModelGradients;
import io.attrib4j.engine.model.ModelInfo;
import io.attrib4j.engine.model.Models;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What every model run through DJL's PyTorch engine shares: copying tensors in and out, one child
 * {@link NDManager} per call (closed on every path), the gradient pass under the {@link GradientLock},
 * and the translation of engine errors into {@link ModelExecutionException}s. Subclasses say only how
 * to run their forward pass.
 *
 * <p>The gradient is that of {@code sum(output * seed)}, with {@code seed = target.seed(output)}, with
 * respect to the input: row {@code i} is d scalar_i / d input_i.
 *
 * <p>Layer access ({@link io.attrib4j.engine.model.LayerModel}) is shared too: a subclass that can be cut
 * at a layer says how to run the model up to the layer ({@link #runTo}) and from it ({@link #runFrom});
 * this class gives the activations and, in one forward and one backward pass, the gradient with
 * respect to them (the activation is detached and marked as requiring gradient between the two halves).
 */
abstract class DjlModel implements GradientModel, io.attrib4j.engine.model.MultiOutput {
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

    /**
     * Runs the model from its input up to and including {@code layer} (already checked by
     * {@link #checkLayer}). Models that cannot be cut do not override it.
     */
    NDList runTo(String layer, NDList inputs, boolean recordGradients) {
        throw new UnsupportedModelException("model '" + info.name() + "' cannot be split at a layer");
    }

    /** Runs the rest of the model from the output of {@code layer}; only output 0 is used. */
    NDList runFrom(String layer, NDList activation, boolean recordGradients) {
        throw new UnsupportedModelException("model '" + info.name() + "' cannot be split at a layer");
    }

    /** The names {@link #runTo} accepts, in forward order (empty when the model cannot be cut). */
    public List<String> layerNames() {
        return List.of();
    }

    /**
     * Rejects a layer this model cannot be cut at. The default rejects names not in
     * {@link #layerNames()}, listing them; subclasses add format-specific reasons.
     */
    void checkLayer(String layer) {
        if (!layerNames().contains(layer)) {
            throw new InvalidInputException("model '" + info.name() + "' has no layer '" + layer
                    + "'; its layers are " + layerNames());
        }
    }

    /** The layer's output for a batch (no gradients recorded). */
    public Tensor layerActivation(Tensor input, String layer) {
        checkLayer(layer);
        Models.checkInputShape(this, input);
        try (NDManager call = model.getNDManager().newSubManager()) {
            NDArray x = toNd(call, input);
            return toTensor(checked(() -> runTo(layer, new NDList(x), false), input.shape()));
        }
    }

    /** The output and the gradient of the target with respect to the given activations of {@code layer}. */
    public ModelGradients gradientsFromLayer(String layer, Tensor activation, Target target) {
        checkLayer(layer);
        target.validateBatch(activation.batch());
        return GradientLock.run(() -> {
            try (NDManager call = model.getNDManager().newSubManager();
                    GradientCollector collector = newCollector()) {
                NDArray a = toNd(call, activation);
                a.setRequiresGradient(true);
                Tensor output = backwardFrom(call, collector, layer, a, activation.shape(), target);
                return new ModelGradients(output, toTensor(a.getGradient()));
            }
        });
    }

    /** Activation, output and gradient with respect to the activation in one forward and one backward pass. */
    public LayerGradients layerGradients(Tensor input, String layer, Target target) {
        checkLayer(layer);
        Models.checkInputShape(this, input);
        target.validateBatch(input.batch());
        return GradientLock.run(() -> {
            try (NDManager call = model.getNDManager().newSubManager();
                    GradientCollector collector = newCollector()) {
                NDArray x = toNd(call, input);
                // recorded pass (no inference tensors), nothing requires grad: detach to get a leaf
                NDArray a = checked(() -> runTo(layer, new NDList(x), true), input.shape()).stopGradient();
                a.setRequiresGradient(true);
                Tensor activation = toTensor(a);
                Tensor output = backwardFrom(call, collector, layer, a, activation.shape(), target);
                return new LayerGradients(output, activation, toTensor(a.getGradient()));
            }
        });
    }

    private Tensor backwardFrom(NDManager call, GradientCollector collector, String layer, NDArray a,
            Shape activationShape, Target target) {
        NDArray out = checked(() -> runFrom(layer, new NDList(a), true), activationShape);
        Tensor output = toTensor(out);
        collector.backward(out.mul(toNd(call, target.seed(output))).sum());
        return output;
    }

    private GradientCollector newCollector() {
        return model.getNDManager().getEngine().newGradientCollector();
    }

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

    /** Every output of one forward pass, flattened in order (tuples and lists of tensors become consecutive outputs). */
    @Override
    public List<Tensor> outputs(Tensor input) {
        Models.checkInputShape(this, input);
        try (NDManager call = model.getNDManager().newSubManager()) {
            NDList out;
            try {
                out = run(new NDList(toNd(call, input)), false);
            } catch (RuntimeException e) {
                throw new ModelExecutionException("model '" + info.name() + "' failed on input " + input.shape() + ": "
                        + ModelSupport.firstLine(e.getMessage()) + "; check the input's shape, dtype and range", e);
            }
            List<Tensor> outputs = new ArrayList<>();
            for (NDArray a : out) {
                outputs.add(toTensor(a));
            }
            return outputs;
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
        return checked(() -> run(new NDList(x), recordGradients), input.shape());
    }

    /** Output 0 of {@code pass}, with engine errors translated into {@link ModelExecutionException}s. */
    private NDArray checked(Supplier<NDList> pass, Shape inputShape) {
        try {
            NDList out = pass.get();
            if (out.isEmpty()) {
                throw new ModelExecutionException("model '" + info.name() + "' returned no outputs for input "
                        + inputShape + "; the model must return a tensor (or a tuple whose first element is the logits)");
            }
            return out.get(0);
        } catch (AttributionException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelExecutionException("model '" + info.name() + "' failed on input of shape " + inputShape
                    + ": " + ModelSupport.firstLine(e.getMessage()) + "; check that the input has the shape and dtype the model was "
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
}
