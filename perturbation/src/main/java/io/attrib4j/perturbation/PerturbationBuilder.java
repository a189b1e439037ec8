package io.attrib4j.perturbation;

import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.Tensor;

/**
 * The options every builder of this package shares: the baseline, the batching
 * ({@code perturbationsPerEval}) and, for the group-based methods, the feature mask.
 *
 * @param <B> the concrete builder
 */
public abstract class PerturbationBuilder<B extends PerturbationBuilder<B>> {
    Baseline baseline = Baseline.zeros();
    Tensor featureMask;
    int perturbationsPerEval = 1;

    PerturbationBuilder() {}

    abstract B self();

    /** The value an absent (ablated, occluded) feature takes (default zeros, Captum's default). */
    public B optBaseline(Baseline baseline) {
        this.baseline = baseline;
        return self();
    }

    /** Perturbed copies of the batch per model call (Captum's {@code perturbations_per_eval}, default 1). */
    public B optPerturbationsPerEval(int perturbationsPerEval) {
        this.perturbationsPerEval = perturbationsPerEval;
        return self();
    }

    /** Checks the shared options. */
    void validateShared() {
        Options.require(baseline, "baseline");
        Options.requirePositive(perturbationsPerEval, "perturbationsPerEval", "perturbed copies per model call");
    }

    /**
     * Builders of methods whose features are groups given by a mask.
     *
     * @param <B> the concrete builder
     */
    public abstract static class Grouped<B extends Grouped<B>> extends PerturbationBuilder<B> {
        Grouped() {}

        /**
         * Integer group ids (e.g. {@link Tensor#ofInt64}) of the input's shape, one row of it, or the example
         * shape; size-1 dimensions broadcast. Default: every element its own group.
         */
        public B optFeatureMask(Tensor featureMask) {
            this.featureMask = featureMask;
            return self();
        }
    }
}
