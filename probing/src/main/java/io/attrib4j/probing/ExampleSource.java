package io.attrib4j.probing;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Tensor;

/**
 * Model inputs for activation extraction, handed out one batch at a time so that an implementation
 * backed by a file or a generator never needs the whole data set in memory.
 */
public interface ExampleSource {

    /** Number of examples. */
    int size();

    /** Examples {@code from} (inclusive) to {@code to} (exclusive), batch first. */
    Tensor batch(int from, int to);

    /** A stable hash of the examples (hex), part of the activation cache key. */
    String contentHash();

    /** The rows of an in-memory batch-first tensor. */
    static ExampleSource of(Tensor inputs) {
        if (inputs == null || inputs.shape().rank() < 1 || inputs.batch() == 0) {
            throw new InvalidInputException("the inputs are " + (inputs == null ? "null" : "empty (" + inputs.shape()
                    + ")") + "; pass a batch-first tensor with at least one example");
        }
        String hash = io.attrib4j.engine.ContentHash.of(inputs);
        return new ExampleSource() {
            @Override
            public int size() {
                return inputs.batch();
            }

            @Override
            public Tensor batch(int from, int to) {
                return inputs.rows(from, to);
            }

            @Override
            public String contentHash() {
                return hash;
            }
        };
    }
}
