package io.attrib4j.engine.model;

import io.attrib4j.engine.Tensor;

/**
 * One pass through a split model: the model output, the layer's activation, and the gradient of the
 * target scalars with respect to that activation (same shape as the activation).
 */
public record LayerGradients(Tensor output, Tensor activation, Tensor gradient) {}
