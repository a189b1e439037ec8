package io.attrib4j.engine.model;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;

/** Capability checks shared by the methods. */
public final class Models {
    private Models() {}

    /**
     * The model as a {@link GradientModel}, or a clear error naming the method that needs gradients.
     */
    public static GradientModel requireGradients(ForwardModel model, String method) {
        java.util.Optional<GradientModel> g = model.capability(GradientModel.class);
        if (g.isPresent()) {
            return g.get();
        }
        java.util.Optional<String> why = model.capability(ForwardOnly.class).map(ForwardOnly::whyNoGradients);
        if (why.isPresent()) {
            throw new UnsupportedModelException(method + " needs input gradients, but model '" + model.info().name()
                    + "' runs forward only: " + why.get());
        }
        throw new UnsupportedModelException(method + " needs input gradients, but model '" + model.info().name()
                + "' (" + model.info().format() + ") runs forward only; load it through a format that gives "
                + "gradients (TorchScript, a DJL Block, ONNX through OnnxModel, a TensorFlow SavedModel) or use a "
                + "gradient-free method (occlusion, ablation, kernelshap, lime)");
    }

    /** Checks the input against the model's known example shape, if it has one. */
    public static void checkInputShape(ForwardModel model, Tensor input) {
        model.info().exampleShape().ifPresent(expected -> {
            if (!input.shape().dropBatch().equals(expected)) {
                throw new InvalidInputException("input has shape " + input.shape() + " but model '"
                        + model.info().name() + "' takes examples of shape " + expected + " (input shape "
                        + expected.prependBatch(input.shape().rank() == 0 ? 1 : input.batch()) + ")");
            }
        });
    }
}
