package io.attrib4j.perturbation;

import io.attrib4j.engine.spec.MethodDescriptor;
import io.attrib4j.engine.spec.MethodProvider;
import java.util.List;

/**
 * The gradient-free methods in the registry ({@link io.attrib4j.engine.spec.Methods}): each one's spec name,
 * summary, options record and constructor. They do their arithmetic in plain Java, so the backend is unused.
 */
public final class PerturbationMethods implements MethodProvider {
    static final MethodDescriptor<Occlusion.Options> OCCLUSION = MethodDescriptor.of(Occlusion.SPEC_NAME,
            "Occlusion (Zeiler & Fergus 2014): the target's drop when a sliding window is set to the baseline; "
                    + "any model",
            Occlusion.Options.DEFAULTS, (options, backend) -> new Occlusion(options));
    static final MethodDescriptor<FeatureAblation.Options> ABLATION = MethodDescriptor.of(FeatureAblation.SPEC_NAME,
            "Feature Ablation: the target's drop when a feature group is set to the baseline; any model",
            FeatureAblation.Options.DEFAULTS, (options, backend) -> new FeatureAblation(options));
    static final MethodDescriptor<KernelShap.Options> KERNELSHAP = MethodDescriptor.of(KernelShap.SPEC_NAME,
            "KernelSHAP (Lundberg & Lee 2017): Shapley values of feature groups by weighted regression; efficient; "
                    + "has a convergence delta; any model",
            KernelShap.Options.DEFAULTS, (options, backend) -> new KernelShap(options));
    static final MethodDescriptor<Lime.Options> LIME = MethodDescriptor.of(Lime.SPEC_NAME,
            "LIME (Ribeiro et al. 2016): coefficients of a proximity-weighted ridge surrogate; any model",
            Lime.Options.DEFAULTS, (options, backend) -> new Lime(options));

    @Override
    public List<MethodDescriptor<?>> methods() {
        return List.of(OCCLUSION, ABLATION, KERNELSHAP, LIME);
    }

    @Override
    public int rank() {
        return 30;
    }
}
