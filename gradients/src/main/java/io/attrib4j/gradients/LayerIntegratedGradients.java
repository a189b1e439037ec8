package io.attrib4j.gradients;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.ConvergenceDelta;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.LayerModel;
import java.util.LinkedHashMap;
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

    private final String layer;
    private final IntegratedGradients ig;

    private LayerIntegratedGradients(Builder b) {
        this.layer = b.layer;
        this.ig = b.ig;
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
        return layer;
    }

    public IntegratedGradients integratedGradients() {
        return ig;
    }

    @Override
    public Attribution attribute(ForwardModel model, Tensor input, Target target) {
        LayerModel layers = LayerPass.validate(model, input, target, NAME);
        String at = LayerPass.layer(layers, layer, NAME);
        Tensor base = ig.baseline().resolve(input);
        int n = input.batch();
        Tensor both = layers.layerActivation(Tensor.concatRows(List.of(input, base)), at);
        MethodRun run = new MethodRun();
        Tensor attr = ig.integrate(run, LayerPass.fromLayer(layers, at), both.rows(0, n), both.rows(n, 2 * n), target,
                ig.rule().quadrature(ig.steps()));
        float[] delta = ConvergenceDelta.compute(run, model, target, base, input, attr);
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("layer", at);
        parameters.putAll(ig.parameters());
        return GradientPass.wrap(run, NAME, parameters, attr, delta, target, model, ig.backend());
    }

    /** Options of {@link LayerIntegratedGradients}; {@link #build()} validates them. */
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
            LayerPass.checkName(layer);
            GradientPass.require(ig, "integratedGradients");
            return new LayerIntegratedGradients(this);
        }
    }
}
