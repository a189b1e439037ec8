package io.attrib4j.gradients;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.spec.MethodDescriptor;

/**
 * Grad-CAM++: channel weights from the positive gradients, each weighted by a closed-form coefficient,
 * so several instances of a class all contribute. With {@code G = d F_t / d A} (the usual closed form
 * of pytorch-grad-cam, which assumes an exponential output):
 * <pre>
 * alpha[n,c,y,x] = G^2 / (2 G^2 + (sum_{y,x} A[n,c]) * G^3 + 1e-6)     (0 where G = 0)
 * w[n,c]         = sum_{y,x} alpha * relu(G)
 * cam[n]         = sum_c w[n,c] * A[n,c]                               ([N,1,h,w]; ReLU optional)
 * </pre>
 * Chattopadhay, Sarkar, Howlader and Balasubramanian, "Grad-CAM++: Improved Visual Explanations for
 * Deep Convolutional Networks", WACV 2018. Use it when an image holds several objects of the target
 * class, where Grad-CAM tends to highlight only the largest.
 */
public final class GradCamPlusPlus extends CamMethod {
    /** Name recorded in provenance. */
    public static final String NAME = "GradCamPlusPlus";
    /** Name in a method spec. */
    public static final String SPEC_NAME = "gradcam++";

    private static final double EPS = 1e-6;

    /** GradCamPlusPlus with these options and its arithmetic on {@code backend}. */
    public GradCamPlusPlus(Options options, Backend backend) {
        super(options, backend);
    }

    /** A builder with the family's defaults: no ReLU, no upsampling. */
    public static Builder<GradCamPlusPlus> builder() {
        return new Builder<>(GradCamPlusPlus::new);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    MethodDescriptor<Options> descriptor() {
        return GradientMethods.GRADCAM_PLUS_PLUS;
    }

    /** The closed form above, per channel, on the host (no backend has a kernel for it): {@code [N, C]}. */
    @Override
    Tensor weights(Backend backend, Tensor activation, Tensor gradient) {
        Shape s = activation.shape();
        int hw = s.dim(2) * s.dim(3);
        float[] a = activation.data();
        float[] g = gradient.data();
        float[] w = new float[s.dim(0) * s.dim(1)];
        for (int ch = 0; ch < w.length; ch++) {
            double sumA = 0;
            for (int p = ch * hw; p < (ch + 1) * hw; p++) {
                sumA += a[p];
            }
            double sum = 0;
            for (int p = ch * hw; p < (ch + 1) * hw; p++) {
                double g2 = (double) g[p] * g[p];
                if (g[p] != 0) {
                    double alpha = g2 / (2 * g2 + sumA * g2 * g[p] + EPS);
                    sum += alpha * Math.max(g[p], 0);
                }
            }
            w[ch] = (float) sum;
        }
        return Tensor.of(w, Shape.of(s.dim(0), s.dim(1)));
    }
}
