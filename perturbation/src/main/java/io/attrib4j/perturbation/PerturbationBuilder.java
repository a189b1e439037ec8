package io.attrib4j.perturbation;

import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.Tensor;

/**
 * The options every builder of this package shares: the baseline, the batching
 * ({@code perturbationsPerEval}) and, for the group-based methods, the feature mask. Each builder's
 * {@code build()} puts them into its method's options record, which checks them
 * ({@link PerturbationOptions#checkShared}).
 *
 * @param <B> the concrete builder
 */
public abstract class PerturbationBuilder<B extends PerturbationBuilder<B>> {
    Baseline baseline = PerturbationOptions.DEFAULT_BASELINE;
    Tensor featureMask;
    int perturbationsPerEval = PerturbationOptions.DEFAULT_PERTURBATIONS_PER_EVAL;

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
