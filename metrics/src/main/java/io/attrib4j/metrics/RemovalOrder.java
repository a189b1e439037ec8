package io.attrib4j.metrics;

/**
 * The order in which features are removed (or inserted) by the perturbation curves, after Samek et al.,
 * "Evaluating the visualization of what a deep neural network has learned" (IEEE TNNLS 2017).
 */
public enum RemovalOrder {
    /** Most relevant first: decreasing attribution. A faithful map makes the score fall fast. */
    MORF,
    /** Least relevant first: increasing attribution. A faithful map keeps the score up for long. */
    LERF;

    /**
     * Feature indices {@code 0..values.length-1} sorted by this order; ties keep index order, so the
     * ranking is deterministic.
     */
    int[] rank(float[] values) {
        Integer[] idx = new Integer[values.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        java.util.Comparator<Integer> byValue = (a, b) -> Float.compare(values[a], values[b]);
        java.util.Arrays.sort(idx, this == MORF ? byValue.reversed() : byValue);
        int[] out = new int[idx.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = idx[i];
        }
        return out;
    }
}
