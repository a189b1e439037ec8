package io.attrib4j.gradients;

import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.spec.MethodDescriptor;

/**
 * Grad-CAM, as Captum's {@code LayerGradCam}: a class-discriminative map at a convolutional layer,
 * the activation channels weighted by their spatially averaged gradient.
 * <pre>
 * w[n,c]  = mean_{y,x} d F_t / d A[n,c,y,x]
 * cam[n]  = sum_c w[n,c] * A[n,c]           (keepdim: [N,1,h,w]; ReLU optional, default off)
 * </pre>
 * Selvaraju et al., "Grad-CAM: Visual Explanations from Deep Networks via Gradient-based
 * Localization", ICCV 2017. Use it for a coarse "where did the network look" map of an image
 * classifier, usually at the last convolutional stage, upsampled to the image.
 */
public final class GradCam extends CamMethod {
    /** Name recorded in provenance. */
    public static final String NAME = "GradCam";
    /** Name in a method spec. */
    public static final String SPEC_NAME = "gradcam";

    /** GradCam with these options and its arithmetic on {@code backend}. */
    public GradCam(Options options, Backend backend) {
        super(options, backend);
    }

    /** A builder with Captum's defaults: no ReLU, no upsampling. */
    public static Builder<GradCam> builder() {
        return new Builder<>(GradCam::new);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    MethodDescriptor<Options> descriptor() {
        return GradientMethods.GRADCAM;
    }

    @Override
    Tensor weights(Backend backend, Tensor activation, Tensor gradient) {
        return backend.spatialMean(gradient); // [N, C]; Captum averages in float32
    }
}
