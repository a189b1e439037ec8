package io.attrib4j.attention;

import io.attrib4j.engine.spec.MethodDescriptor;
import io.attrib4j.engine.spec.MethodProvider;
import java.util.List;

/**
 * The attention methods in the registry ({@link io.attrib4j.engine.spec.Methods}), as token methods
 * ({@link TokenRollout}): each one's spec name, summary, options record and constructor.
 */
public final class AttentionMethods implements MethodProvider {
    static final MethodDescriptor<AttentionRollout.Options> ROLLOUT = MethodDescriptor.of(AttentionRollout.SPEC_NAME,
            "Attention rollout (Abnar & Zuidema 2020): token relevance from the product of residual-mixed attention; "
                    + "class-agnostic; needs a model's attention outputs",
            AttentionRollout.Options.DEFAULTS, AttentionRollout::new);
    static final MethodDescriptor<GradientWeightedRollout.Options> GRAD_ROLLOUT = MethodDescriptor.of(
            GradientWeightedRollout.SPEC_NAME,
            "Gradient-weighted rollout (Chefer et al. 2021): token relevance for the target from attention times its "
                    + "positive gradient; needs a model's attention and its gradient",
            GradientWeightedRollout.Options.DEFAULTS, GradientWeightedRollout::new);

    @Override
    public List<MethodDescriptor<?>> methods() {
        return List.of(ROLLOUT, GRAD_ROLLOUT);
    }

    @Override
    public int rank() {
        return 20;
    }
}
