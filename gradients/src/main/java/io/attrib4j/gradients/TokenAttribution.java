package io.attrib4j.gradients;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.DType;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Provenance;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.Backends;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.LayerModel;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token attributions for a text model: a gradient method applied at the output of the embedding layer
 * (token ids have no gradient), then summed over the embedding dimension, one score per token.
 * <pre>
 *   e = embed(ids)  [batch, seq, dim]
 *   IG:               a = LIG(e; e' = embed(baseline ids))     baseline ids: every token = baselineToken
 *   Saliency:         a = |d y_t / d e|
 *   InputXGradient:   a = e ⊙ d y_t / d e
 *   score[b, s] = sum_d a[b, s, d]
 * </pre>
 * The IG variant keeps completeness ({@code sum_s score = F_t(x) - F_t(baseline)}, the convergence
 * delta is carried over), because summing over {@code d} preserves the total. The baseline token is a
 * PAD or MASK id; positions stay, so only the words differ from the baseline.
 *
 * <p>Papers: Sundararajan et al. 2017 (IG), Simonyan et al. 2014 (Saliency), Shrikumar et al. 2016
 * (Input x Gradient); on embeddings as in Mudrakarta et al., ACL 2018. Use IG when the scores must add up
 * to the prediction; Saliency and Input x Gradient cost one backward pass.
 */
public final class TokenAttribution implements AttributionMethod {
    /** The gradient method applied at the embedding output. */
    public enum Kind { INTEGRATED_GRADIENTS, SALIENCY, INPUT_X_GRADIENT }

    private final Kind kind;
    private final String layer;
    private final int baselineToken;
    private final int steps;
    private final Backend backend;

    private TokenAttribution(Builder b) {
        this.kind = b.kind;
        this.layer = b.layer;
        this.baselineToken = b.baselineToken;
        this.steps = b.steps;
        this.backend = b.backend;
    }

    /** A builder for {@code kind} at the model's only layer, baseline token 0, 50 IG steps. */
    public static Builder builder(Kind kind) {
        return new Builder(kind);
    }

    @Override
    public String name() {
        return "Token" + base(1).name();
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public Attribution attribute(ForwardModel model, Tensor ids, Target target) {
        if (ids == null || ids.dtype() != DType.INT64 || ids.shape().rank() != 2) {
            throw new InvalidInputException("token attributions need token ids, an INT64 tensor [batch, seq]; got "
                    + (ids == null ? "null" : ids + "") + " (read ids from an int64 .npy file or Tensor.ofInt64)");
        }
        Attribution perDimension;
        if (kind == Kind.INTEGRATED_GRADIENTS) {
            perDimension = base(ids.shape().dim(1)).attribute(model, ids, target);
        } else {
            LayerModel layers = LayerPass.validate(model, ids, target, name());
            String at = LayerPass.layer(layers, layer, name());
            perDimension = base(ids.shape().dim(1)).attribute(LayerPass.fromLayer(layers, at), layers.layerActivation(ids, at), target);
        }
        return new Attribution(sumLastAxis(perDimension.values()), perDimension.convergenceDelta().orElse(null),
                renamed(perDimension.provenance(), model));
    }

    /** The wrapped method, for sequences of {@code seq} tokens (IG's baseline ids have that length). */
    private AttributionMethod base(int seq) {
        return switch (kind) {
            case INTEGRATED_GRADIENTS -> LayerIntegratedGradients.builder().optLayer(layer)
                    .optIntegratedGradients(IntegratedGradients.builder().optSteps(steps)
                            .optBaseline(tokenBaseline(seq)).optBackend(backend).build())
                    .build();
            case SALIENCY -> Saliency.builder().optBackend(backend).build();
            case INPUT_X_GRADIENT -> InputXGradient.builder().optBackend(backend).build();
        };
    }

    /** Every position of every example holds {@code baselineToken}. */
    private Baseline tokenBaseline(int seq) {
        long[] ids = new long[seq];
        Arrays.fill(ids, baselineToken);
        return Baseline.of(Tensor.ofInt64(ids, Shape.of(seq)));
    }

    /** {@code [batch, seq, dim] -> [batch, seq]}: the sum over the last axis. */
    static Tensor sumLastAxis(Tensor t) {
        int[] d = t.shape().dims();
        if (d.length != 3) {
            throw new InvalidInputException("the embedding layer's output has shape " + t.shape()
                    + "; token attributions need an embedding layer with output [batch, seq, dim]");
        }
        float[] out = new float[d[0] * d[1]];
        for (int i = 0; i < out.length; i++) {
            double s = 0;
            for (int k = 0; k < d[2]; k++) {
                s += t.data()[i * d[2] + k];
            }
            out[i] = (float) s;
        }
        return Tensor.of(out, d[0], d[1]);
    }

    private Provenance renamed(Provenance p, ForwardModel model) {
        Map<String, Object> parameters = new LinkedHashMap<>(p.parameters());
        parameters.put("layer", layer == null ? p.parameters().getOrDefault("layer", "(only layer)") : layer);
        parameters.put("baselineToken", baselineToken);
        parameters.put("reduction", "sum over the embedding dimension");
        return new Provenance(name(), parameters, p.target(), model.info().name(), model.info().format(),
                model.info().contentHash(), p.backend(), p.seed(), p.libraryVersion(), p.timing(), p.createdAt());
    }

    /** Options of {@link TokenAttribution}; every one optional. */
    public static final class Builder {
        private final Kind kind;
        private String layer;
        private int baselineToken;
        private int steps = 50;
        private Backend backend = Backends.get("auto");

        private Builder(Kind kind) {
            this.kind = kind;
        }

        /** The embedding layer (a name from {@code LayerModel.layerNames()}); may be unset when the model has one. */
        public Builder optLayer(String layer) {
            this.layer = layer;
            return this;
        }

        /** The token id of the IG baseline, e.g. PAD or MASK (default 0). */
        public Builder optBaselineToken(int baselineToken) {
            this.baselineToken = baselineToken;
            return this;
        }

        /** IG steps (default 50). */
        public Builder optSteps(int steps) {
            this.steps = steps;
            return this;
        }

        public Builder optBackend(Backend backend) {
            this.backend = backend;
            return this;
        }

        public TokenAttribution build() {
            if (kind == null) {
                throw new InvalidOptionException("token attribution kind is null; choose INTEGRATED_GRADIENTS, "
                        + "SALIENCY or INPUT_X_GRADIENT");
            }
            if (baselineToken < 0) {
                throw new InvalidOptionException("baseline token " + baselineToken + " is negative; give the PAD or "
                        + "MASK id of the vocabulary (often 0)");
            }
            LayerPass.checkName(layer);
            GradientPass.require(backend, "backend");
            TokenAttribution built = new TokenAttribution(this);
            built.base(1); // validates the wrapped method's options now, not at the first call
            return built;
        }
    }
}
