package io.attrib4j.gradients;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.Backends;
import io.attrib4j.engine.model.ForwardModel;
import java.util.Map;

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

    private final Backend backend;

    private InputXGradient(Backend backend) {
        this.backend = backend;
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

    @Override
    public Attribution attribute(ForwardModel model, Tensor input, Target target) {
        return GradientPass.atInput(NAME, Map.of(), backend, model, input, target, backend::multiply);
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
            return new InputXGradient(backend != null ? backend : Backends.get());
        }
    }
}
