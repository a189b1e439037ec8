package io.attrib4j.engine.model;

import io.attrib4j.engine.Tensor;

/**
 * One step of a {@link StagedModel}: its kind (which DeepLIFT rule applies), its forward function, and
 * its vector-Jacobian product. Batch-first tensors in and out.
 */
public interface Stage {

    /** What the stage computes, as far as attribution rules care. */
    enum Kind {
        /** Affine or otherwise handled by the plain gradient: linear, convolution, average pooling, flatten. */
        LINEAR,
        RELU,
        LEAKY_RELU,
        ELU,
        SIGMOID,
        TANH,
        SOFTPLUS,
        /** Softmax over the last dimension. */
        SOFTMAX,
        MAX_POOL
    }

    /** A name for messages and provenance ("features.1"). */
    String name();

    Kind kind();

    /** The stage's output for {@code input}. */
    Tensor forward(Tensor input);

    /**
     * The vector-Jacobian product at {@code input}: {@code gradOutput · d stage(input) / d input}, same
     * shape as {@code input}.
     */
    Tensor backward(Tensor input, Tensor gradOutput);
}
