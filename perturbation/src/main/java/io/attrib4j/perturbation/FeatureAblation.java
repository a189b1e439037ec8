package io.attrib4j.perturbation;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import java.util.LinkedHashMap;
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

    private final Baseline baseline;
    private final Tensor featureMask;
    private final int perturbationsPerEval;

    private FeatureAblation(Builder b) {
        this.baseline = b.baseline;
        this.featureMask = b.featureMask;
        this.perturbationsPerEval = b.perturbationsPerEval;
    }

    /** A builder with Captum's defaults: zero baseline, one group per element, one perturbation per eval. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Attribution attribute(ForwardModel model, Tensor input, Target target) {
        MethodRun.validate(model, input, target);
        Tensor base = baseline.resolve(input);
        FeatureGroups groups = FeatureGroups.of(featureMask, input);
        MethodRun run = new MethodRun();
        Tensor attr = PerturbedEvaluation.ablation(run, model, input, base, target, groups.count(),
                perturbationsPerEval, (g, i) -> groups.members(i, g));
        return Options.wrap(run, NAME, parameters(), attr, null, target, model, null);
    }

    private Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("baseline", baseline.describe());
        p.put("featureMask", FeatureGroups.describe(featureMask));
        p.put("perturbationsPerEval", perturbationsPerEval);
        return p;
    }

    /** Options of {@link FeatureAblation}; {@link #build()} validates them. */
    public static final class Builder extends PerturbationBuilder.Grouped<Builder> {

        private Builder() {}

        @Override
        Builder self() {
            return this;
        }

        /** @throws io.attrib4j.engine.InvalidOptionException for a null baseline or perturbationsPerEval below 1 */
        public FeatureAblation build() {
            validateShared();
            return new FeatureAblation(this);
        }
    }
}
