package io.attrib4j.engine.model;

import io.attrib4j.engine.Tensor;

/**
 * The model seam, part (a): a model that runs a batch forward. Every attribution method reaches a
 * model only through this interface and its extensions; none imports an engine.
 *
 * <p>Implementations release all native memory they allocate for a call before returning, on every
 * path, errors included. They need not be thread-safe unless they say so.
 */
public interface ForwardModel extends AutoCloseable {

    /** Identity and known input shape. */
    ModelInfo info();

    /**
     * Runs the model on a batch.
     *
     * @param input batch-first input
     * @return batch-first output, one row per example
     * @throws io.attrib4j.engine.ModelExecutionException when the model rejects the input
     */
    Tensor forward(Tensor input);

    /**
     * This model's capability of the given type ({@link GradientModel gradients}, {@link LayerModel layer
     * access}, {@link StagedModel stages}, {@link AttentionModel attention outputs}, tree ensembles, linear
     * weights, ...), or empty when the model lacks it. Callers ask here instead of testing adapter classes;
     * wrappers override this to forward every capability of the model they wrap.
     */
    default <C> java.util.Optional<C> capability(Class<C> type) {
        return type.isInstance(this) ? java.util.Optional.of(type.cast(this)) : java.util.Optional.empty();
    }

    /** Releases the model's native resources. */
    @Override
    void close();
}
