package io.attrib4j.engine;

/**
 * Element type a model expects for a tensor. Values are always held as {@code float}; {@link #INT64}
 * marks integer data (token ids, class indices) that a model adapter passes on as 64-bit integers.
 * Integers are exact in a float up to 2^24, far above any vocabulary size.
 */
public enum DType {
    FLOAT32,
    INT64
}
