package io.attrib4j.engine.model;

import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import java.util.List;

/**
 * The model seam, part (c): a model that can be split at a named layer. Layer methods (Grad-CAM,
 * Layer Integrated Gradients, TCAV, probes) reach layers only through this interface.
 *
 * <p>A layer is a cut point: the model equals {@code head(layer(input))}, where {@code layer(input)}
 * is the layer's output. Formats that cannot split say so with
 * {@link io.attrib4j.engine.UnsupportedModelException}; an unknown name raises
 * {@link io.attrib4j.engine.InvalidInputException} listing {@link #layerNames()}.
 */
public interface LayerModel extends GradientModel {

    /** The names this model can be split at, in forward order. */
    List<String> layerNames();

    /** The layer's output for a batch (no gradients recorded). */
    Tensor layerActivation(Tensor input, String layer);

    /**
     * Runs the rest of the model from given layer activations: the output, and the gradient of the
     * target scalars with respect to the activations. Layer Integrated Gradients evaluates it on
     * interpolated activations.
     */
    ModelGradients gradientsFromLayer(String layer, Tensor activation, Target target);

    /**
     * The layer's activation, the output and the gradient of the target with respect to the
     * activation. Implementations should do this in one forward and one backward pass.
     */
    default LayerGradients layerGradients(Tensor input, String layer, Target target) {
        Tensor activation = layerActivation(input, layer);
        ModelGradients g = gradientsFromLayer(layer, activation, target);
        return new LayerGradients(g.output(), activation, g.inputGradient());
    }
}
