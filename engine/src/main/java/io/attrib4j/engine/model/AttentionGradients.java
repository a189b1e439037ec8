package io.attrib4j.engine.model;

import io.attrib4j.engine.Tensor;

/**
 * One pass through an {@link AttentionModel}: the output {@code [batch, classes]}, the attention
 * probabilities and the target's gradient with respect to them, both {@code [layers, batch, heads, seq, seq]}.
 */
public record AttentionGradients(Tensor output, Tensor attention, Tensor gradient) {}
