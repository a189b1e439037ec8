package io.attrib4j.gradients;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.ModelExecutionException;
import io.attrib4j.engine.Provenance;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.Version;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.LayerGradients;
import io.attrib4j.engine.model.LayerModel;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The class-activation-map pipeline that {@link GradCam}, {@link GradCamPlusPlus} and {@link HiResCam}
 * share; each supplies one hook, the weight of every activation element:
 * <pre>
 * A, G = activation of the layer [N,C,h,w] and d F_t / d A   (one forward and one backward pass)
 * cam[n,0,y,x] = sum_c W[n,c,y,x] * A[n,c,y,x]      W = weights(A, G)   -> [N,1,h,w]
 * cam = relu(cam)                                   only with optRelu(true) (Captum's default: off)
 * cam = upsample(cam) to the input's H x W          only with optUpsample(NEAREST | BILINEAR)
 * </pre>
 * The layer must give a {@code [N, C, h, w]} map. The result's values are the CAM; its provenance
 * records the layer, ReLU and upsampling. No convergence delta: CAMs make no completeness claim.
 */
public abstract class CamMethod implements AttributionMethod {
    private final String layer;
    private final boolean relu;
    private final Upsample upsample;

    CamMethod(Builder<?> b) {
        this.layer = b.layer;
        this.relu = b.relu;
        this.upsample = b.upsample;
    }

    /**
     * The hook: the weight of each element of the activation, laid out like it ({@code [N,C,h,w]} flat).
     *
     * @param a the activation, flat
     * @param g the gradient of the target with respect to it, flat
     * @param n examples
     * @param c channels
     * @param hw spatial elements per channel
     */
    abstract float[] weights(float[] a, float[] g, int n, int c, int hw);

    /** The layer asked for, or {@code null} to use the model's only layer. */
    public String layer() {
        return layer;
    }

    public boolean relu() {
        return relu;
    }

    public Upsample upsample() {
        return upsample;
    }

    @Override
    public Attribution attribute(ForwardModel model, Tensor input, Target target) {
        LayerModel layers = LayerPass.validate(model, input, target, name());
        String at = LayerPass.layer(layers, layer, name());
        MethodRun run = new MethodRun();
        long t0 = System.nanoTime();
        LayerGradients g = layers.layerGradients(input, at, target);
        long modelNanos = System.nanoTime() - t0;
        Tensor cam = upsample.toInputSize(cam(g, at), input);
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("layer", at);
        parameters.put("relu", relu);
        parameters.put("upsample", upsample.name().toLowerCase(java.util.Locale.ROOT));
        Provenance.Timing timing = new Provenance.Timing(run.timing().totalNanos(), modelNanos, 1, input.batch());
        return new Attribution(cam, null, new Provenance(name(), parameters, target.describe(), model.info().name(),
                model.info().format(), model.info().contentHash(), "none", null, Version.get(), timing, Instant.now()));
    }

    /** The layer map {@code [N,1,h,w]} from one activation/gradient pass (before upsampling). */
    Tensor cam(LayerGradients g, String at) {
        Shape s = g.activation().shape();
        if (s.rank() != 4) {
            throw new InvalidInputException(name() + " needs a layer whose output is laid out [N, C, h, w], but layer '"
                    + at + "' gives shape " + s + "; choose a convolutional layer (for a vector layer use "
                    + "LayerIntegratedGradients)");
        }
        if (!s.equals(g.gradient().shape())) {
            throw new ModelExecutionException("the model gave a layer gradient of shape " + g.gradient().shape()
                    + " for the activation of shape " + s + " at layer '" + at + "'; a LayerModel must return one "
                    + "gradient element per activation element");
        }
        int n = s.dim(0);
        int c = s.dim(1);
        int hw = s.dim(2) * s.dim(3);
        float[] a = g.activation().data();
        float[] w = weights(a, g.gradient().data(), n, c, hw);
        float[] cam = new float[n * hw];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < hw; p++) {
                double sum = 0;
                for (int k = 0; k < c; k++) {
                    int e = (i * c + k) * hw + p;
                    sum += (double) w[e] * a[e];
                }
                cam[i * hw + p] = relu ? (float) Math.max(sum, 0) : (float) sum;
            }
        }
        return Tensor.of(cam, Shape.of(n, 1, s.dim(2), s.dim(3)));
    }

    /** Spreads one weight per (example, channel) over the channel's {@code hw} elements. */
    static float[] perChannel(double[] channelWeights, int hw) {
        float[] w = new float[channelWeights.length * hw];
        for (int ch = 0; ch < channelWeights.length; ch++) {
            java.util.Arrays.fill(w, ch * hw, (ch + 1) * hw, (float) channelWeights[ch]);
        }
        return w;
    }

    /**
     * Options shared by the CAM family. {@code optLayer} names the layer (may be left unset when the
     * model has exactly one, such as a TorchScript model split in two files).
     */
    public static final class Builder<M extends CamMethod> {
        private final Function<Builder<M>, M> factory;
        private String layer;
        private boolean relu;
        private Upsample upsample = Upsample.NONE;

        Builder(Function<Builder<M>, M> factory) {
            this.factory = factory;
        }

        /** The layer to explain (a name from {@code LayerModel.layerNames()}). */
        public Builder<M> optLayer(String layer) {
            this.layer = layer;
            return this;
        }

        /** Apply a ReLU to the map (default false, Captum's {@code relu_attributions=False}). */
        public Builder<M> optRelu(boolean relu) {
            this.relu = relu;
            return this;
        }

        /** Resize the map to the input's spatial size (default {@link Upsample#NONE}: the layer's size). */
        public Builder<M> optUpsample(Upsample upsample) {
            this.upsample = upsample;
            return this;
        }

        /**
         * @throws InvalidOptionException for a blank layer name or a null upsampling mode
         */
        public M build() {
            LayerPass.checkName(layer);
            GradientPass.require(upsample, "upsample");
            return factory.apply(this);
        }
    }
}
