package io.attrib4j.gradients;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.ModelExecutionException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.Backends;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.LayerGradients;
import io.attrib4j.engine.model.LayerModel;
import io.attrib4j.engine.spec.Doc;
import io.attrib4j.engine.spec.MethodDescriptor;
import io.attrib4j.engine.spec.MethodOptions;
import io.attrib4j.engine.spec.MethodSpec;
import java.util.Map;
import java.util.function.BiFunction;

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
 * CAM; its provenance records the family's {@link Options} (the layer used among them) and the backend. No
 * convergence delta: CAMs make no completeness claim.
 */
public abstract class CamMethod implements AttributionMethod {

    /**
     * The options of every CAM method, with Captum's defaults in {@link #DEFAULTS}.
     *
     * @param layer the layer to explain (a name from {@code LayerModel.layerNames()}), or {@code null} for the model's
     *     only layer
     * @param relu apply a ReLU to the map (Captum's {@code relu_attributions})
     * @param upsample resize the map to the input's spatial size
     */
    public record Options(
            @Doc("the layer to explain; unset: the model's only layer") String layer,
            @Doc("apply a ReLU to the map (Captum's relu_attributions)") boolean relu,
            @Doc("resize the map to the input's height and width") Upsample upsample)
            implements MethodOptions {
        /** Captum's defaults: the model's only layer, no ReLU, no upsampling. */
        public static final Options DEFAULTS = new Options(null, false, Upsample.NONE);

        /** @throws InvalidOptionException for a blank layer name or a null upsampling mode */
        public Options {
            LayerPass.checkName(layer);
            GradientPass.require(upsample, "upsample");
        }
    }

    private final Options options;
    private final Backend backend;

    CamMethod(Options options, Backend backend) {
        this.options = GradientPass.require(options, "options");
        this.backend = backend != null ? backend : Backends.get();
    }

    /** The registry entry of this variant: its spec name and constructor. */
    abstract MethodDescriptor<Options> descriptor();

    /**
     * The hook: the weights of the activation's channels, {@code [N,C]} (one per channel) or
     * {@code [N,C,h,w]} (one per element), as {@link Backend#weightedChannelSum} takes them.
     *
     * @param backend the method's backend, for the arithmetic it offers
     * @param activation {@code A}, {@code [N,C,h,w]}
     * @param gradient {@code d F_t / d A}, the same shape
     */
    abstract Tensor weights(Backend backend, Tensor activation, Tensor gradient);

    public Options options() {
        return options;
    }

    @Override
    public MethodSpec spec() {
        return descriptor().spec(options);
    }

    /** The layer asked for, or {@code null} to use the model's only layer. */
    public String layer() {
        return options.layer();
    }

    public boolean relu() {
        return options.relu();
    }

    public Upsample upsample() {
        return options.upsample();
    }

    public Backend backend() {
        return backend;
    }

    @Override
    public Attribution attribute(ForwardModel model, Tensor input, Target target) {
        LayerModel layers = LayerPass.validate(model, input, target, name());
        String at = LayerPass.layer(layers, options.layer(), name());
        MethodRun run = new MethodRun();
        LayerGradients g = run.call(input.batch(), () -> layers.layerGradients(input, at, target));
        Tensor cam = options.upsample().toInputSize(backend, cam(g, at), input);
        return new Attribution(cam, null, run.provenance(this, Map.of("layer", at), target, model, backend));
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
        return backend.weightedChannelSum(g.activation(), weights(backend, g.activation(), g.gradient()), options.relu());
    }

    /**
     * Options shared by the CAM family; {@link #build()} validates them into an {@link Options} record.
     * {@code optLayer} names the layer (may be left unset when the model has exactly one, such as a TorchScript
     * model split in two files).
     */
    public static final class Builder<M extends CamMethod> {
        private final BiFunction<Options, Backend, M> factory;
        private String layer = Options.DEFAULTS.layer();
        private boolean relu = Options.DEFAULTS.relu();
        private Upsample upsample = Options.DEFAULTS.upsample();
        private Backend backend;

        Builder(BiFunction<Options, Backend, M> factory) {
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

        /** The options record these settings describe. */
        public Options options() {
            return new Options(layer, relu, upsample);
        }

        /**
         * @throws InvalidOptionException for a blank layer name or a null upsampling mode
         */
        public M build() {
            return factory.apply(options(), backend);
        }
    }
}
