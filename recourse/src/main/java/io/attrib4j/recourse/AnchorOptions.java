package io.attrib4j.recourse;

import io.attrib4j.engine.InvalidOptionException;
import java.util.Set;

/**
 * Options of {@link Anchors}, immutable; defaults are alibi's {@code AnchorTabular.explain}: precision threshold
 * 0.95, delta 0.1, tau (KL-LUCB's epsilon) 0.15, batches of 100 samples, 10,000 coverage samples, beam width 1,
 * 100 samples to start, quartile discretisation (25, 50, 75), and {@code anchor_beam}'s stopping margin 0.05.
 *
 * @param threshold the precision an anchor must reach (tau of the paper)
 * @param delta confidence: the precision bound holds with probability 1 - delta
 * @param tau the KL-LUCB tolerance epsilon: stop separating arms once their bounds are this close
 * @param epsilonStop an anchor is accepted when its mean precision >= threshold and its lower bound > threshold - epsilonStop
 * @param batchSize samples per arm pull
 * @param coverageSamples training rows drawn to estimate coverage
 * @param beamSize anchors kept per size
 * @param minSamplesStart samples of the empty anchor (and of each new arm) before bounds are computed
 * @param maxAnchorSize most predicates in an anchor (0: as many as features)
 * @param percentiles the discretisation quantiles of numeric features, in percent, increasing
 * @param categorical features compared by equality instead of being discretised
 * @param seed seeds every draw
 */
public record AnchorOptions(double threshold, double delta, double tau, double epsilonStop, int batchSize,
        int coverageSamples, int beamSize, int minSamplesStart, int maxAnchorSize, double[] percentiles,
        Set<Integer> categorical, long seed) {

    public AnchorOptions {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new InvalidOptionException("threshold = " + threshold + "; give a precision in (0, 1]");
        }
        if (!(delta > 0 && delta < 1)) {
            throw new InvalidOptionException("delta = " + delta + "; give a confidence budget in (0, 1)");
        }
        if (!(tau > 0) || !(epsilonStop >= 0)) {
            throw new InvalidOptionException("tau = " + tau + ", epsilonStop = " + epsilonStop
                    + "; give tau > 0 and epsilonStop >= 0");
        }
        if (batchSize < 1 || coverageSamples < 1 || beamSize < 1 || minSamplesStart < 1 || maxAnchorSize < 0) {
            throw new InvalidOptionException("batchSize, coverageSamples, beamSize and minSamplesStart must be >= 1 "
                    + "and maxAnchorSize >= 0");
        }
        percentiles = percentiles.clone();
        for (int i = 0; i < percentiles.length; i++) {
            if (!(percentiles[i] > 0 && percentiles[i] < 100) || i > 0 && percentiles[i] <= percentiles[i - 1]) {
                throw new InvalidOptionException("percentiles " + java.util.Arrays.toString(percentiles)
                        + " must increase strictly inside (0, 100)");
            }
        }
        categorical = Set.copyOf(categorical);
    }

    @Override
    public double[] percentiles() {
        return percentiles.clone();
    }

    public static AnchorOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link AnchorOptions}; the record's constructor validates. */
    public static final class Builder {
        private double threshold = 0.95;
        private double delta = 0.1;
        private double tau = 0.15;
        private double epsilonStop = 0.05;
        private int batchSize = 100;
        private int coverageSamples = 10000;
        private int beamSize = 1;
        private int minSamplesStart = 100;
        private int maxAnchorSize;
        private double[] percentiles = {25, 50, 75};
        private Set<Integer> categorical = Set.of();
        private long seed;

        private Builder() {}

        public Builder optThreshold(double v) {
            threshold = v;
            return this;
        }

        public Builder optDelta(double v) {
            delta = v;
            return this;
        }

        public Builder optTau(double v) {
            tau = v;
            return this;
        }

        public Builder optEpsilonStop(double v) {
            epsilonStop = v;
            return this;
        }

        public Builder optBatchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder optCoverageSamples(int v) {
            coverageSamples = v;
            return this;
        }

        public Builder optBeamSize(int v) {
            beamSize = v;
            return this;
        }

        public Builder optMinSamplesStart(int v) {
            minSamplesStart = v;
            return this;
        }

        public Builder optMaxAnchorSize(int v) {
            maxAnchorSize = v;
            return this;
        }

        public Builder optPercentiles(double... v) {
            percentiles = v.clone();
            return this;
        }

        public Builder optCategorical(Set<Integer> v) {
            categorical = v;
            return this;
        }

        public Builder optSeed(long v) {
            seed = v;
            return this;
        }

        public AnchorOptions build() {
            return new AnchorOptions(threshold, delta, tau, epsilonStop, batchSize, coverageSamples, beamSize,
                    minSamplesStart, maxAnchorSize, percentiles, categorical, seed);
        }
    }
}
