package io.attrib4j.metrics;

import io.attrib4j.engine.model.ForwardModel;
import java.util.List;

/**
 * A model whose weights can be re-randomized layer by layer, for {@link RandomizationCheck}.
 * Implementations live beside the model format (a DJL block, an ONNX graph).
 */
public interface RandomizableModel {

    /** The model with its trained weights. The caller does not close it. */
    ForwardModel original();

    /** The layers that have weights, from the output down to the input (the cascade's order). */
    List<String> layers();

    /**
     * A new model whose layer {@code layer} and every layer above it (before it in {@link #layers()})
     * have fresh random weights drawn from {@code seed}; the layers below keep theirs. The caller closes it.
     */
    ForwardModel randomizedFrom(String layer, long seed);
}
