package io.attrib4j.gradients;

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

    private GradCam(Builder<GradCam> b) {
        super(b);
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
    float[] weights(float[] a, float[] g, int n, int c, int hw) {
        double[] w = new double[n * c];
        for (int ch = 0; ch < w.length; ch++) {
            double sum = 0;
            for (int p = ch * hw; p < (ch + 1) * hw; p++) {
                sum += g[p];
            }
            w[ch] = (float) (sum / hw); // Captum averages in float32
        }
        return perChannel(w, hw);
    }
}
