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

    /** Releases the model's native resources. */
    @Override
    void close();
}
