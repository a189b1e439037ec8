package io.attrib4j.gradients;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.ConvergenceDelta;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.LayerModel;
import io.attrib4j.engine.spec.Doc;
import io.attrib4j.engine.spec.MethodOptions;
import io.attrib4j.engine.spec.MethodSpec;
import java.util.List;
import java.util.Map;

/**
 * Layer Integrated Gradients, as Captum's {@code LayerIntegratedGradients}: Integrated Gradients with
 * respect to a layer's activations instead of the input.
 * <pre>
 * a = layer(x), a' = layer(b)          (b the input-space baseline)
 * LIG_j(x) = (a_j - a'_j) * sum_k w_k * d head(a' + alpha_k (a - a')) / d a_j
 * </pre>
 * with the quadrature, batching, backend and {@code multiplyByInputs} of the wrapped
 * {@link IntegratedGradients} (its code does the integration, on the model's head). The attribution
 * has the layer's shape; completeness holds in the input space, so the convergence delta is
 * {@code sum(attr) - (F_t(x) - F_t(b))}. Sundararajan et al. 2017 applied at a layer (as in
 * "Did the model understand the question?", Mudrakarta et al., ACL 2018). Use it to ask which
 * channels or units of a layer carry the evidence, or on token models at the embedding output,
 * where the input (token ids) has no gradient.
 */
public final class LayerIntegratedGradients implements AttributionMethod {
    /** Name recorded in provenance. */
    public static final String NAME = "LayerIntegratedGradients";
    /** Name in a method spec. */
    public static final String SPEC_NAME = "layer-ig";

    /**
     * The options of Layer Integrated Gradients: the layer, then those of {@link IntegratedGradients} (Captum's
     * defaults), the baseline being in input space.
     *
     * @param layer the layer (a name from {@code LayerModel.layerNames()}), or {@code null} for the model's only layer
     * @param steps number of integration steps
     * @param rule the integration rule
     * @param baseline the reference input (in input space)
     * @param internalBatchSize most path points per model call; 0 runs all steps in one call
     * @param multiplyByInputs multiply the integrated gradient by {@code a - a'}
     */
    public record Options(
            @Doc("the layer whose activations are attributed; unset: the model's only layer") String layer,
            @Doc("number of integration steps (at least 2 for a Riemann rule)") int steps,
            @Doc("the integration rule") IntegrationRule rule,
            @Doc("the reference input, in input space") Baseline baseline,
            @Doc("most path points per model call; 0 runs all steps in one call") int internalBatchSize,
            @Doc("multiply the integrated gradient by layer(x) - layer(baseline)") boolean multiplyByInputs)
            implements MethodOptions {
        /** The model's only layer and Integrated Gradients' defaults (Captum's). */
        public static final Options DEFAULTS = of(null, IntegratedGradients.Options.DEFAULTS);

        /** @throws InvalidOptionException for a blank layer name or an invalid Integrated Gradients option */
        public Options {
            LayerPass.checkName(layer);
            new IntegratedGradients.Options(steps, rule, baseline, internalBatchSize, multiplyByInputs);
        }

        /** {@code layer} with these Integrated Gradients options. */
        public static Options of(String layer, IntegratedGradients.Options ig) {
            return new Options(layer, ig.steps(), ig.rule(), ig.baseline(), ig.internalBatchSize(), ig.multiplyByInputs());
        }

        /** The Integrated Gradients options, run on the head after the layer. */
        public IntegratedGradients.Options integratedGradients() {
            return new IntegratedGradients.Options(steps, rule, baseline, internalBatchSize, multiplyByInputs);
        }
    }

    private final Options options;
    private final IntegratedGradients ig;

    /** Layer Integrated Gradients with these options and the arithmetic on {@code backend}. */
    public LayerIntegratedGradients(Options options, Backend backend) {
        this.options = GradientPass.require(options, "options");
        this.ig = new IntegratedGradients(options.integratedGradients(), backend);
    }

    /** A builder with Captum's defaults (those of {@link IntegratedGradients#withDefaults()}). */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The layer asked for, or {@code null} to use the model's only layer. */
    public String layer() {
        return options.layer();
    }

    public IntegratedGradients integratedGradients() {
        return ig;
    }

    public Options options() {
        return options;
    }

    @Override
    public MethodSpec spec() {
        return GradientMethods.LAYER_IG.spec(options);
    }

    @Override
    public Attribution attribute(ForwardModel model, Tensor input, Target target) {
        LayerModel layers = LayerPass.validate(model, input, target, NAME);
        String at = LayerPass.layer(layers, options.layer(), NAME);
        Tensor base = ig.baseline().resolve(input);
        int n = input.batch();
        Tensor both = layers.layerActivation(Tensor.concatRows(List.of(input, base)), at);
        MethodRun run = new MethodRun();
        Tensor attr = ig.integrate(run, LayerPass.fromLayer(layers, at), both.rows(0, n), both.rows(n, 2 * n), target,
                ig.rule().quadrature(ig.steps()));
        float[] delta = ConvergenceDelta.compute(run, model, target, base, input, attr);
        return new Attribution(attr, delta, run.provenance(this, Map.of("layer", at), target, model, ig.backend()));
    }

    /** Options of {@link LayerIntegratedGradients}; {@link #build()} validates them into an {@link Options} record. */
    public static final class Builder {
        private String layer;
        private IntegratedGradients ig = IntegratedGradients.withDefaults();

        private Builder() {}

        /** The layer (a name from {@code LayerModel.layerNames()}); may be unset when the model has one layer. */
        public Builder optLayer(String layer) {
            this.layer = layer;
            return this;
        }

        /** The integration settings: steps, rule, baseline (in input space), batching, backend. */
        public Builder optIntegratedGradients(IntegratedGradients ig) {
            this.ig = ig;
            return this;
        }

        /**
         * @throws InvalidOptionException for a blank layer name or null settings
         */
        public LayerIntegratedGradients build() {
            GradientPass.require(ig, "integratedGradients");
            return new LayerIntegratedGradients(Options.of(layer, ig.options()), ig.backend());
        }
    }
}
