package io.attrib4j.gradients;

import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.spec.MethodDescriptor;

/**
 * HiResCAM: the gradient weighs the activation element by element, then channels are summed.
 * <pre>
 * cam[n,0,y,x] = sum_c (d F_t / d A[n,c,y,x]) * A[n,c,y,x]        ([N,1,h,w]; ReLU optional)
 * </pre>
 * Draper and Lo, "Use HiResCAM instead of Grad-CAM for faithful explanations of convolutional neural
 * networks", 2020. Use it instead of Grad-CAM when the map should show exactly the locations that
 * raised the score: it equals Grad-CAM when the gradient is constant over each channel (a head that
 * starts with global average pooling) and differs where Grad-CAM's averaging blurs the evidence.
 */
public final class HiResCam extends CamMethod {
    /** Name recorded in provenance. */
    public static final String NAME = "HiResCam";
    /** Name in a method spec. */
    public static final String SPEC_NAME = "hirescam";

    /** HiResCam with these options and its arithmetic on {@code backend}. */
    public HiResCam(Options options, Backend backend) {
        super(options, backend);
    }

    /** A builder with the family's defaults: no ReLU, no upsampling. */
    public static Builder<HiResCam> builder() {
        return new Builder<>(HiResCam::new);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    MethodDescriptor<Options> descriptor() {
        return GradientMethods.HIRESCAM;
    }

    @Override
    Tensor weights(Backend backend, Tensor activation, Tensor gradient) {
        return gradient; // one weight per element
    }
}
