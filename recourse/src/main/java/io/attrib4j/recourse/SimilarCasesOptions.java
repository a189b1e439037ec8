package io.attrib4j.recourse;

import io.attrib4j.engine.InvalidOptionException;

/**
 * Options of {@link SimilarCases}, immutable.
 *
 * @param k cases returned per query row (default 5)
 * @param metric distance of the index (default {@link Metric#L2})
 * @param layer the layer whose activations are the space searched, or {@code null} for the input space (default)
 * @param batchSize rows per model call while the index is built (default 256)
 */
public record SimilarCasesOptions(int k, Metric metric, String layer, int batchSize) {

    /** How near two (flattened) rows are. */
    public enum Metric {
        /** Euclidean distance. */
        L2,
        /** {@code 1 - cos(a, b)}. */
        COSINE
    }

    public SimilarCasesOptions {
        if (k < 1 || batchSize < 1) {
            throw new InvalidOptionException("k = " + k + ", batchSize = " + batchSize + "; both must be >= 1");
        }
        if (metric == null) {
            throw new InvalidOptionException("metric is null; use L2 or COSINE");
        }
    }

    public static SimilarCasesOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link SimilarCasesOptions}; the record's constructor validates. */
    public static final class Builder {
        private int k = 5;
        private Metric metric = Metric.L2;
        private String layer;
        private int batchSize = 256;

        private Builder() {}

        public Builder optK(int v) {
            k = v;
            return this;
        }

        public Builder optMetric(Metric v) {
            metric = v;
            return this;
        }

        /** Search the activation space of this layer ({@code model.capability(LayerModel.class)}). */
        public Builder optLayer(String v) {
            layer = v;
            return this;
        }

        public Builder optBatchSize(int v) {
            batchSize = v;
            return this;
        }

        public SimilarCasesOptions build() {
            return new SimilarCasesOptions(k, metric, layer, batchSize);
        }
    }
}
