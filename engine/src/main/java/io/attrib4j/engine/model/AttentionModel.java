package io.attrib4j.engine.model;

import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;

/**
 * The model seam for attention methods: a transformer that can hand out its attention probabilities
 * and, where the format allows, the gradient of the target with respect to them. Attention rollout
 * needs only {@link #attention}; gradient-weighted rollout (Chefer et al. 2021) needs
 * {@link #attentionGradients}.
 *
 * <p>Layout everywhere: {@code [layers, batch, heads, seq, seq]}, layer 0 nearest the input, query rows,
 * key columns; each row a probability distribution over keys.
 */
public interface AttentionModel extends ForwardModel {

    /** The attention probabilities for a batch of inputs (token ids), {@code [layers, batch, heads, seq, seq]}. */
    Tensor attention(Tensor input);

    /**
     * One forward and one backward pass: the model output, the attention probabilities and the gradient
     * of the target scalars with respect to them (total derivative, through every later layer).
     *
     * @throws io.attrib4j.engine.UnsupportedModelException when the format cannot expose that gradient
     */
    AttentionGradients attentionGradients(Tensor input, Target target);
}
