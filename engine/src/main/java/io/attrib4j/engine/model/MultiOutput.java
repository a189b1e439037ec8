package io.attrib4j.engine.model;

import io.attrib4j.engine.Tensor;
import java.util.List;

/**
 * A model capability: every output of one forward pass, not only the first. A transformer that returns its
 * attention probabilities as an extra output is viewed as an {@link AttentionModel} through it.
 */
public interface MultiOutput {

    /** Every output for a batch, flattened in order; output 0 is what {@link ForwardModel#forward} returns. */
    List<Tensor> outputs(Tensor input);
}
