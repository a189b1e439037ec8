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
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.Backends;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.LayerGradients;
import io.attrib4j.engine.model.LayerModel;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The class-activation-map pipeline that {@link GradCam}, {@link GradCamPlusPlus} and {@link HiResCam}
 * share; each supplies one hook, the weights of the activation: one per channel {@code [N,C]} or one
 * per element {@code [N,C,h,w]}:
 * <pre>
 * A, G = activation of the layer [N,C,h,w] and d F_t / d A   (one forward and one backward pass)
 * cam[n,0,y,x] = sum_c W[n,c,(y,x)] * A[n,c,y,x]    W = weights(A, G)   -> [N,1,h,w]
 * cam = relu(cam)                                   only with optRelu(true) (Captum's default: off)
 * cam = upsample(cam) to the input's H x W          only with optUpsample(NEAREST | BILINEAR)
 * </pre>
 * The channel sum, ReLU and upsampling are the backend's ({@link Backend#weightedChannelSum},
 * {@link Backend#resize}). The layer must give a {@code [N, C, h, w]} map. The result's values are the
 * CAM; its provenance records the layer, ReLU, upsampling and backend. No convergence delta: CAMs make
 * no completeness claim.
 */
public abstract class CamMethod implements AttributionMethod {
    private final String layer;
    private final boolean relu;
    private final Upsample upsample;
    private final Backend backend;

    CamMethod(Builder<?> b) {
        this.layer = b.layer;
        this.relu = b.relu;
        this.upsample = b.upsample;
        this.backend = b.backend != null ? b.backend : Backends.get();
    }

    /**
     * The hook: the weights of the activation's channels, {@code [N,C]} (one per channel) or
     * {@code [N,C,h,w]} (one per element), as {@link Backend#weightedChannelSum} takes them.
     *
     * @param backend the method's backend, for the arithmetic it offers
     * @param activation {@code A}, {@code [N,C,h,w]}
     * @param gradient {@code d F_t / d A}, the same shape
     */
    abstract Tensor weights(Backend backend, Tensor activation, Tensor gradient);

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

    public Backend backend() {
        return backend;
    }

    @Override
    public Attribution attribute(ForwardModel model, Tensor input, Target target) {
        LayerModel layers = LayerPass.validate(model, input, target, name());
        String at = LayerPass.layer(layers, layer, name());
        MethodRun run = new MethodRun();
        long t0 = System.nanoTime();
        LayerGradients g = layers.layerGradients(input, at, target);
        long modelNanos = System.nanoTime() - t0;
        Tensor cam = upsample.toInputSize(backend, cam(g, at), input);
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("layer", at);
        parameters.put("relu", relu);
        parameters.put("upsample", upsample.name().toLowerCase(java.util.Locale.ROOT));
        Provenance.Timing timing = new Provenance.Timing(run.timing().totalNanos(), modelNanos, 1, input.batch());
        return new Attribution(cam, null, new Provenance(name(), parameters, target.describe(), model.info().name(),
                model.info().format(), model.info().contentHash(), backend.name(), null, Version.get(), timing, Instant.now()));
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
        return backend.weightedChannelSum(g.activation(), weights(backend, g.activation(), g.gradient()), relu);
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
        private Backend backend;

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

        /** The backend for the channel sum and upsampling (default {@link Backends#get()}). */
        public Builder<M> optBackend(Backend backend) {
            this.backend = backend;
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
