package io.attrib4j.gradients;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.Backends;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.spec.MethodOptions;
import io.attrib4j.engine.spec.MethodSpec;

/**
 * Input x Gradient: each input element times the target's gradient there,
 * <pre>A_j(x) = x_j * dF_t(x) / dx_j</pre>
 * Shrikumar, Greenside, Shcherbina and Kundaje, "Not Just a Black Box: Learning Important Features
 * Through Propagating Activation Differences", 2016. One model call; for a linear model with zero bias it
 * is exact (the terms sum to the output), in general a first-order estimate against a zero baseline.
 * No convergence delta (as in Captum).
 */
public final class InputXGradient implements AttributionMethod {
    /** Name recorded in provenance. */
    public static final String NAME = "InputXGradient";
    /** Name in a method spec. */
    public static final String SPEC_NAME = "ixg";

    /** Input x Gradient has no options (Captum's {@code multiply_by_inputs} is what makes it this method). */
    public record Options() implements MethodOptions {
        public static final Options DEFAULTS = new Options();
    }

    private final Options options;
    private final Backend backend;

    /** Input x Gradient with its arithmetic on {@code backend} (default {@link Backends#get()}). */
    public InputXGradient(Options options, Backend backend) {
        this.options = GradientPass.require(options, "options");
        this.backend = backend != null ? backend : Backends.get();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Input x Gradient on the default backend. */
    public static InputXGradient withDefaults() {
        return builder().build();
    }

    @Override
    public String name() {
        return NAME;
    }

    public Options options() {
        return options;
    }

    @Override
    public MethodSpec spec() {
        return GradientMethods.IXG.spec(options);
    }

    @Override
    public Attribution attribute(ForwardModel model, Tensor input, Target target) {
        return GradientPass.atInput(this, backend, model, input, target, backend::multiply);
    }

    /** Options of {@link InputXGradient}. */
    public static final class Builder {
        private Backend backend;

        private Builder() {}

        /** The backend (default {@link Backends#get()}). */
        public Builder optBackend(Backend backend) {
            this.backend = backend;
            return this;
        }

        public InputXGradient build() {
            return new InputXGradient(Options.DEFAULTS, backend);
        }
    }
}
