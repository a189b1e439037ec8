package io.attrib4j.engine.model;

import io.attrib4j.engine.Tensor;

/**
 * One forward/backward pass: the model output and the gradient of the target scalars with respect to
 * the input (same shape as the input).
 */
public record ModelGradients(Tensor output, Tensor inputGradient) {}
