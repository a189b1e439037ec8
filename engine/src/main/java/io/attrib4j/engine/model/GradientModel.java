package io.attrib4j.engine.model;

import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;

/**
 * The model seam, part (b): a model that also gives the gradient of chosen output scalars with respect
 * to its input batch.
 */
public interface GradientModel extends ForwardModel {

    /**
     * Runs the batch forward with gradients recorded, then backpropagates {@code target.seed(output)}.
     * Because each example's scalar depends only on its own row, the result row {@code i} is
     * d scalar_i / d input_i.
     *
     * @param input batch-first input
     * @param target the scalar of each row to differentiate
     * @return the output and the input gradient (same shape as {@code input})
     */
    ModelGradients gradients(Tensor input, Target target);
}
