package io.attrib4j.perturbation;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.spec.Doc;
import io.attrib4j.engine.spec.MethodOptions;
import io.attrib4j.engine.spec.MethodSpec;
import java.util.Map;

/**
 * Feature Ablation: how much the target drops when a group of features is replaced by the baseline.
 *
 * <pre>
 * attr_j(x) = F(x)[t] - F(x with every element of group(j) set to b)[t]
 * </pre>
 *
 * the same value for every element of a group. Groups come from a feature mask (Captum's
 * {@code feature_mask}: integer ids, same example shape as the input or broadcastable; default: every
 * element its own group). Captum's {@code FeatureAblation}; the idea goes back to leave-one-out / ablation
 * studies (e.g. Zeiler and Fergus 2014 for the windowed form, {@link Occlusion}). Use it for any model,
 * forward-only ones included, when the features (or groups, e.g. superpixels, tokens, tabular columns)
 * are few: it needs {@code 1 + ceil(groups / perturbationsPerEval)} model calls. It ignores
 * interactions, so the attributions need not sum to {@code F(x) - F(b)}; no convergence delta.
 *
 * <p>Immutable and thread-safe (given a thread-safe model).
 */
public final class FeatureAblation implements AttributionMethod {
    /** Name recorded in provenance. */
    public static final String NAME = "FeatureAblation";
    /** Name in a method spec. */
    public static final String SPEC_NAME = "ablation";

    /**
     * The options of Feature Ablation, with Captum's defaults in {@link #DEFAULTS}.
     *
     * @param featureMask integer group ids, or {@code null}: every element its own group
     * @param baseline the value an ablated feature takes
     * @param perturbationsPerEval perturbed copies of the batch per model call
     */
    public record Options(
            @Doc("integer group ids (.npy) of the input's shape, one row or one example; unset: every element "
                    + "its own group") Tensor featureMask,
            @Doc("the value an ablated feature takes") Baseline baseline,
            @Doc("perturbed copies of the batch per model call") int perturbationsPerEval)
            implements MethodOptions, PerturbationOptions.Grouped {
        /** Captum's defaults: one group per element, zero baseline, one perturbation per model call. */
        public static final Options DEFAULTS = new Options(null, PerturbationOptions.DEFAULT_BASELINE,
                PerturbationOptions.DEFAULT_PERTURBATIONS_PER_EVAL);

        /** @throws io.attrib4j.engine.InvalidOptionException for a null baseline or perturbationsPerEval below 1 */
        public Options {
            PerturbationOptions.checkShared(baseline, perturbationsPerEval);
        }
    }

    private final Options options;

    /** Feature Ablation with these options. */
    public FeatureAblation(Options options) {
        this.options = PerturbationOptions.require(options, "options");
    }

    /** A builder with Captum's defaults: zero baseline, one group per element, one perturbation per eval. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return NAME;
    }

    public Options options() {
        return options;
    }

    @Override
    public MethodSpec spec() {
        return PerturbationMethods.ABLATION.spec(options);
    }

    @Override
    public Attribution attribute(ForwardModel model, Tensor input, Target target) {
        MethodRun.validate(model, input, target);
        Tensor base = options.baseline().resolve(input);
        FeatureGroups groups = FeatureGroups.of(options.featureMask(), input);
        MethodRun run = new MethodRun();
        Tensor attr = PerturbedEvaluation.ablation(run, model, input, base, target, groups.count(),
                options.perturbationsPerEval(), (g, i) -> groups.members(i, g));
        return PerturbationOptions.wrap(run, this, Map.of(), attr, null, target, model);
    }

    /** Options of {@link FeatureAblation}; {@link #build()} validates them into an {@link Options} record. */
    public static final class Builder extends PerturbationBuilder.Grouped<Builder> {

        private Builder() {}

        @Override
        Builder self() {
            return this;
        }

        /** The options record these settings describe. */
        public Options options() {
            return new Options(featureMask, baseline, perturbationsPerEval);
        }

        /** @throws io.attrib4j.engine.InvalidOptionException for a null baseline or perturbationsPerEval below 1 */
        public FeatureAblation build() {
            return new FeatureAblation(options());
        }
    }
}
