package io.attrib4j.gradients;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.Backends;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.spec.Doc;
import io.attrib4j.engine.spec.MethodOptions;
import io.attrib4j.engine.spec.MethodSpec;

/**
 * Saliency: the gradient of the target with respect to the input,
 * <pre>S_j(x) = |dF_t(x) / dx_j|   (abs, the default)   or   dF_t(x) / dx_j</pre>
 * Simonyan, Vedaldi and Zisserman, "Deep Inside Convolutional Networks: Visualising Image
 * Classification Models and Saliency Maps", 2013. One model call; the cheapest gradient method, a
 * local sensitivity (not a decomposition of the output, so it has no convergence delta). Like Captum,
 * it returns absolute values unless {@link Builder#optAbs(boolean) optAbs(false)}.
 */
public final class Saliency implements AttributionMethod {
    /** Name recorded in provenance. */
    public static final String NAME = "Saliency";

    /** Name in a method spec. */
    public static final String SPEC_NAME = "saliency";

    /**
     * The options of Saliency, with Captum's default in {@link #DEFAULTS}.
     *
     * @param abs absolute values of the gradient (Captum's default) or the signed gradient
     */
    public record Options(@Doc("absolute values of the gradient (false: signed)") boolean abs) implements MethodOptions {
        public static final Options DEFAULTS = new Options(true);
    }

    private final Options options;
    private final Backend backend;

    /** Saliency with these options and its arithmetic on {@code backend}. */
    public Saliency(Options options, Backend backend) {
        this.options = GradientPass.require(options, "options");
        this.backend = backend != null ? backend : Backends.get();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Saliency with Captum's default (absolute values). */
    public static Saliency withDefaults() {
        return builder().build();
    }

    @Override
    public String name() {
        return NAME;
    }

    public boolean abs() {
        return options.abs();
    }

    public Options options() {
        return options;
    }

    @Override
    public MethodSpec spec() {
        return GradientMethods.SALIENCY.spec(options);
    }

    @Override
    public Attribution attribute(ForwardModel model, Tensor input, Target target) {
        return GradientPass.atInput(this, backend, model, input, target,
                (x, gradient) -> options.abs() ? backend.abs(gradient) : gradient);
    }

    /** Options of {@link Saliency}. */
    public static final class Builder {
        private boolean abs = Options.DEFAULTS.abs();
        private Backend backend;

        private Builder() {}

        /** Absolute values of the gradient (default true, Captum's default) or the signed gradient. */
        public Builder optAbs(boolean abs) {
            this.abs = abs;
            return this;
        }

        /** The backend (default {@link Backends#get()}). */
        public Builder optBackend(Backend backend) {
            this.backend = backend;
            return this;
        }

        public Saliency build() {
            return new Saliency(new Options(abs), backend);
        }
    }
}
