package io.attrib4j.recourse;

import io.attrib4j.engine.InvalidOptionException;

/**
 * Options of {@link Counterfactuals}, immutable; also the provenance of a result. Defaults are DiCE's
 * ({@code DicePyTorch.generate_counterfactuals}): proximity weight 0.5, diversity weight 1.0, hinge y-loss,
 * Adam with learning rate 0.05, 500 to 5,000 iterations, stop when the loss changes by less than 1e-5 and
 * every counterfactual is valid. The genetic search's population and generations and the plausibility
 * neighbourhood are this library's choices (DiCE's genetic explainer works on a different data interface).
 *
 * @param count counterfactuals per row (k)
 * @param proximityWeight lambda_1 of the DiCE loss
 * @param diversityWeight lambda_2 of the DiCE loss (the DPP term)
 * @param yLoss how the loss pushes towards the desired class
 * @param search gradient (Adam), genetic, or automatic (Adam when the model gives gradients)
 * @param learningRate Adam's step size
 * @param minIterations Adam iterations before convergence is checked
 * @param maxIterations Adam iterations at most
 * @param lossTolerance convergence: |loss_t - loss_(t-1)| below this, all valid
 * @param population candidates per generation of the genetic search
 * @param generations generations of the genetic search at most
 * @param plausibilityNeighbours k of the plausibility measure (mean MAD-L1 distance to the k nearest training rows)
 * @param sparsityPass whether to reset, after the search, every changed feature whose reset keeps the desired class
 * @param seed seeds the genetic search's draws
 */
public record CounterfactualOptions(int count, double proximityWeight, double diversityWeight, YLoss yLoss,
        Search search, double learningRate, int minIterations, int maxIterations, double lossTolerance,
        int population, int generations, int plausibilityNeighbours, boolean sparsityPass, long seed) {

    /** The validity term of the loss, on the margin {@code m = z_desired - max_(c != desired) z_c} of the logits. */
    public enum YLoss {
        /** {@code max(0, 1 - m)} (DiCE's {@code hinge_loss}, its default). */
        HINGE,
        /** {@code log(1 + exp(-m))} (DiCE's {@code log_loss}: binary cross-entropy on the logit). */
        LOG
    }

    /** How the counterfactuals are searched. */
    public enum Search {
        /** Adam when {@code model.capability(GradientModel.class)} is present, the genetic search otherwise. */
        AUTO,
        /** Adam on the DiCE loss; the model must give gradients. */
        GRADIENT,
        /** The model-agnostic genetic search on the same objective (forward passes only). */
        GENETIC
    }

    public CounterfactualOptions {
        positive(count, "count", "counterfactuals per row");
        if (!(proximityWeight >= 0) || !(diversityWeight >= 0)) {
            throw new InvalidOptionException("proximityWeight = " + proximityWeight + ", diversityWeight = "
                    + diversityWeight + "; the loss weights must be >= 0");
        }
        if (yLoss == null || search == null) {
            throw new InvalidOptionException("yLoss and search must not be null; leave the defaults");
        }
        if (!(learningRate > 0)) {
            throw new InvalidOptionException("learningRate = " + learningRate + "; give a positive step size");
        }
        positive(maxIterations, "maxIterations", "Adam iterations");
        if (minIterations < 0 || minIterations > maxIterations) {
            throw new InvalidOptionException("minIterations = " + minIterations + "; give 0 <= minIterations <= "
                    + "maxIterations (" + maxIterations + ")");
        }
        if (!(lossTolerance >= 0)) {
            throw new InvalidOptionException("lossTolerance = " + lossTolerance + "; give a value >= 0");
        }
        positive(population, "population", "candidates per generation");
        positive(generations, "generations", "generations");
        positive(plausibilityNeighbours, "plausibilityNeighbours", "training rows");
    }

    private static void positive(int value, String option, String counts) {
        if (value < 1) {
            throw new InvalidOptionException(option + " = " + value + "; use a positive number of " + counts);
        }
    }

    /** DiCE's defaults, 3 counterfactuals per row. */
    public static CounterfactualOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.count = count;
        b.proximityWeight = proximityWeight;
        b.diversityWeight = diversityWeight;
        b.yLoss = yLoss;
        b.search = search;
        b.learningRate = learningRate;
        b.minIterations = minIterations;
        b.maxIterations = maxIterations;
        b.lossTolerance = lossTolerance;
        b.population = population;
        b.generations = generations;
        b.plausibilityNeighbours = plausibilityNeighbours;
        b.sparsityPass = sparsityPass;
        b.seed = seed;
        return b;
    }

    /** Builds {@link CounterfactualOptions}; the record's constructor validates. */
    public static final class Builder {
        private int count = 3;
        private double proximityWeight = 0.5;
        private double diversityWeight = 1.0;
        private YLoss yLoss = YLoss.HINGE;
        private Search search = Search.AUTO;
        private double learningRate = 0.05;
        private int minIterations = 500;
        private int maxIterations = 5000;
        private double lossTolerance = 1e-5;
        private int population = 60;
        private int generations = 60;
        private int plausibilityNeighbours = 5;
        private boolean sparsityPass = true;
        private long seed;

        private Builder() {}

        public Builder optCount(int v) {
            count = v;
            return this;
        }

        public Builder optProximityWeight(double v) {
            proximityWeight = v;
            return this;
        }

        public Builder optDiversityWeight(double v) {
            diversityWeight = v;
            return this;
        }

        public Builder optYLoss(YLoss v) {
            yLoss = v;
            return this;
        }

        public Builder optSearch(Search v) {
            search = v;
            return this;
        }

        public Builder optLearningRate(double v) {
            learningRate = v;
            return this;
        }

        public Builder optMinIterations(int v) {
            minIterations = v;
            return this;
        }

        public Builder optMaxIterations(int v) {
            maxIterations = v;
            return this;
        }

        public Builder optLossTolerance(double v) {
            lossTolerance = v;
            return this;
        }

        public Builder optPopulation(int v) {
            population = v;
            return this;
        }

        public Builder optGenerations(int v) {
            generations = v;
            return this;
        }

        public Builder optPlausibilityNeighbours(int v) {
            plausibilityNeighbours = v;
            return this;
        }

        public Builder optSparsityPass(boolean v) {
            sparsityPass = v;
            return this;
        }

        public Builder optSeed(long v) {
            seed = v;
            return this;
        }

        public CounterfactualOptions build() {
            return new CounterfactualOptions(count, proximityWeight, diversityWeight, yLoss, search, learningRate,
                    minIterations, maxIterations, lossTolerance, population, generations, plausibilityNeighbours,
                    sparsityPass, seed);
        }
    }
}
