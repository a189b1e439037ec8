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
    static final MethodDescriptor<AdaptiveIntegratedGradients.Options> ADAPTIVE_IG = MethodDescriptor.of(
            AdaptiveIntegratedGradients.SPEC_NAME,
            "Integrated Gradients with Gauss-Legendre steps doubled per example until |delta| is within tolerance",
            AdaptiveIntegratedGradients.Options.DEFAULTS, AdaptiveIntegratedGradients::new);
    static final MethodDescriptor<Saliency.Options> SALIENCY = MethodDescriptor.of(Saliency.SPEC_NAME,
            "Saliency (Simonyan et al. 2013): the input gradient, absolute by default",
            Saliency.Options.DEFAULTS, Saliency::new);
    static final MethodDescriptor<InputXGradient.Options> IXG = MethodDescriptor.of(InputXGradient.SPEC_NAME,
            "Input x Gradient (Shrikumar et al. 2016): the input times its gradient, signed",
            InputXGradient.Options.DEFAULTS, InputXGradient::new);
    static final MethodDescriptor<NoiseTunnel.Options> NOISE_TUNNEL = MethodDescriptor.of(NoiseTunnel.SPEC_NAME,
            "NoiseTunnel (Smilkov et al. 2017): SmoothGrad, SmoothGrad-squared or VarGrad around a base method",
            NoiseTunnel.Options.DEFAULTS, NoiseTunnel::new);
    static final MethodDescriptor<DeepLift.Options> DEEPLIFT = MethodDescriptor.of(DeepLift.SPEC_NAME,
            "DeepLIFT, Rescale rule (Shrikumar et al. 2017), on models whose layers are visible; complete",
            DeepLift.Options.DEFAULTS, DeepLift::new);
    static final MethodDescriptor<DeepLiftShap.Options> DEEPLIFTSHAP = MethodDescriptor.of(DeepLiftShap.SPEC_NAME,
            "DeepLIFT-SHAP: DeepLIFT averaged over a baseline set (required: baselines)",
            DeepLiftShap.Options.DEFAULTS, DeepLiftShap::new);
    static final MethodDescriptor<CamMethod.Options> GRADCAM = MethodDescriptor.of(GradCam.SPEC_NAME,
            "Grad-CAM (Selvaraju et al. 2017, Captum's LayerGradCam) at a convolutional layer",
            CamMethod.Options.DEFAULTS, GradCam::new);
    static final MethodDescriptor<CamMethod.Options> GRADCAM_PLUS_PLUS = MethodDescriptor.of(GradCamPlusPlus.SPEC_NAME,
            "Grad-CAM++ (Chattopadhay et al. 2018) at a convolutional layer",
            CamMethod.Options.DEFAULTS, GradCamPlusPlus::new);
    static final MethodDescriptor<CamMethod.Options> HIRESCAM = MethodDescriptor.of(HiResCam.SPEC_NAME,
            "HiResCAM (Draper and Lo 2020): element-wise gradient times activation at a convolutional layer",
            CamMethod.Options.DEFAULTS, HiResCam::new);
    static final MethodDescriptor<LayerIntegratedGradients.Options> LAYER_IG = MethodDescriptor.of(
            LayerIntegratedGradients.SPEC_NAME,
            "Layer Integrated Gradients (Captum's LayerIntegratedGradients): IG of a layer's activations",
            LayerIntegratedGradients.Options.DEFAULTS, LayerIntegratedGradients::new);
    static final MethodDescriptor<GradientShap.Options> GRADSHAP = MethodDescriptor.of(GradientShap.SPEC_NAME,
            "GradientSHAP (Lundberg and Lee 2017): expected gradients over a baseline set (required: baselines)",
            GradientShap.Options.DEFAULTS, GradientShap::new);
    static final MethodDescriptor<TokenAttribution.Options> IG_EMBEDDINGS = MethodDescriptor.of(
            TokenAttribution.SPEC_NAME,
            "Integrated Gradients (or kind=saliency, ixg) at the embedding output, summed per token",
            TokenAttribution.Options.DEFAULTS, TokenAttribution::new);

    @Override
    public List<MethodDescriptor<?>> methods() {
        return List.of(IG, ADAPTIVE_IG, SALIENCY, IXG, NOISE_TUNNEL, DEEPLIFT, DEEPLIFTSHAP, GRADCAM, GRADCAM_PLUS_PLUS,
                HIRESCAM, LAYER_IG, GRADSHAP, IG_EMBEDDINGS);
    }

    @Override
    public int rank() {
        return 10;
    }
}
