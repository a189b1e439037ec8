package io.attrib4j.gradients;

import io.attrib4j.engine.spec.MethodDescriptor;
import io.attrib4j.engine.spec.MethodProvider;
import java.util.List;

/**
 * The gradient methods in the registry ({@link io.attrib4j.engine.spec.Methods}): each one's spec name,
 * summary, options record and constructor.
 */
public final class GradientMethods implements MethodProvider {
    static final MethodDescriptor<IntegratedGradients.Options> IG = MethodDescriptor.of(IntegratedGradients.SPEC_NAME,
            "Integrated Gradients (Sundararajan et al. 2017): signed, complete; has a convergence delta",
            IntegratedGradients.Options.DEFAULTS, IntegratedGradients::new);
    static final MethodDescriptor<Saliency.Options> SALIENCY = MethodDescriptor.of(Saliency.SPEC_NAME,
            "Saliency (Simonyan et al. 2013): the input gradient, absolute by default",
            Saliency.Options.DEFAULTS, Saliency::new);

    @Override
    public List<MethodDescriptor<?>> methods() {
        return List.of(IG, SALIENCY);
    }
}
