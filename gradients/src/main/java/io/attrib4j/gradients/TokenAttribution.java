package io.attrib4j.gradients;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.DType;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.Backends;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.LayerModel;
import io.attrib4j.engine.spec.Doc;
import io.attrib4j.engine.spec.MethodOptions;
import io.attrib4j.engine.spec.MethodSpec;
import io.attrib4j.engine.spec.SpecName;
import java.util.Arrays;
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
 * (Input x Gradient); on embeddings as in Mudrakarta et al., ACL 2018. In a spec: {@code ig-embeddings(steps=50,
 * baselineToken=0)}; {@code kind=saliency} or {@code kind=ixg} chooses another gradient method. Use IG when the scores must add up
 * to the prediction; Saliency and Input x Gradient cost one backward pass.
 */
public final class TokenAttribution implements AttributionMethod {
    /** Name in a method spec. */
    public static final String SPEC_NAME = "ig-embeddings";

    /** The gradient method applied at the embedding output; in a spec by that method's spec name. */
    public enum Kind implements SpecName {
        INTEGRATED_GRADIENTS(IntegratedGradients.SPEC_NAME),
        SALIENCY(Saliency.SPEC_NAME),
        INPUT_X_GRADIENT(InputXGradient.SPEC_NAME);

        private final String specName;

        Kind(String specName) {
            this.specName = specName;
        }

        @Override
        public String specName() {
            return specName;
        }
    }

    /**
     * The options of token attributions, with the defaults in {@link #DEFAULTS}.
     *
     * @param kind the gradient method at the embedding output
     * @param layer the embedding layer (a name from {@code LayerModel.layerNames()}), or {@code null} for the model's
     *     only layer
     * @param baselineToken the token id of the IG baseline, e.g. PAD or MASK
     * @param steps Integrated Gradients steps (Gauss-Legendre)
     */
    public record Options(
            @Doc("the gradient method at the embedding output") Kind kind,
            @Doc("the embedding layer; unset: the model's only layer") String layer,
            @Doc("token id of the IG baseline (PAD or MASK)") int baselineToken,
            @Doc("Integrated Gradients steps (Gauss-Legendre)") int steps)
            implements MethodOptions {
        /** Integrated Gradients, the model's only layer, baseline token 0, 50 steps (Captum's IG default). */
        public static final Options DEFAULTS = new Options(Kind.INTEGRATED_GRADIENTS, null, 0,
                IntegratedGradients.Options.DEFAULTS.steps());

        /** @throws InvalidOptionException for a null kind, a negative baseline token, a blank layer or bad steps */
        public Options {
            if (kind == null) {
                throw new InvalidOptionException("token attribution kind is null; choose INTEGRATED_GRADIENTS, "
                        + "SALIENCY or INPUT_X_GRADIENT");
            }
            if (baselineToken < 0) {
                throw new InvalidOptionException("baseline token " + baselineToken + " is negative; give the PAD or "
                        + "MASK id of the vocabulary (often 0)");
            }
            LayerPass.checkName(layer);
            if (kind == Kind.INTEGRATED_GRADIENTS) {
                integratedGradients(steps, Baseline.zeros());
            }
        }

        private static IntegratedGradients.Options integratedGradients(int steps, Baseline baseline) {
            IntegratedGradients.Options d = IntegratedGradients.Options.DEFAULTS;
            return new IntegratedGradients.Options(steps, d.rule(), baseline, d.internalBatchSize(), d.multiplyByInputs());
        }
    }

    private final Options options;
    private final Backend backend;

    /** Token attributions with these options and the arithmetic on {@code backend}. */
    public TokenAttribution(Options options, Backend backend) {
        this.options = GradientPass.require(options, "options");
        this.backend = backend != null ? backend : Backends.get();
    }

    /** A builder for {@code kind} at the model's only layer, baseline token 0, 50 IG steps. */
    public static Builder builder(Kind kind) {
        return new Builder(kind);
    }

    @Override
    public String name() {
        return "Token" + base(options.layer(), 1).name();
    }

    public Kind kind() {
        return options.kind();
    }

    public Options options() {
        return options;
    }

    @Override
    public MethodSpec spec() {
        return GradientMethods.IG_EMBEDDINGS.spec(options);
    }

    @Override
    public Attribution attribute(ForwardModel model, Tensor ids, Target target) {
        if (ids == null || ids.dtype() != DType.INT64 || ids.shape().rank() != 2) {
            throw new InvalidInputException("token attributions need token ids, an INT64 tensor [batch, seq]; got "
                    + (ids == null ? "null" : ids + "") + " (read ids from an int64 .npy file or Tensor.ofInt64)");
        }
        LayerModel layers = LayerPass.validate(model, ids, target, name());
        String at = LayerPass.layer(layers, options.layer(), name());
        MethodRun run = new MethodRun();
        Attribution perDimension = options.kind() == Kind.INTEGRATED_GRADIENTS
                ? base(at, ids.shape().dim(1)).attribute(model, ids, target)
                : base(at, ids.shape().dim(1)).attribute(LayerPass.fromLayer(layers, at), layers.layerActivation(ids, at),
                        target);
        run.absorb(perDimension.provenance().timing());
        return new Attribution(sumLastAxis(perDimension.values()), perDimension.convergenceDelta().orElse(null),
                run.provenance(this, Map.of("layer", at), target, model, backend));
    }

    /**
     * The wrapped method at {@code layer}, for sequences of {@code seq} tokens (IG's baseline ids have that length):
     * Layer IG on the whole model, the others on the model after the layer.
     */
    private AttributionMethod base(String layer, int seq) {
        return switch (options.kind()) {
            case INTEGRATED_GRADIENTS -> new LayerIntegratedGradients(LayerIntegratedGradients.Options.of(layer,
                    Options.integratedGradients(options.steps(), tokenBaseline(seq))), backend);
            case SALIENCY -> new Saliency(Saliency.Options.DEFAULTS, backend);
            case INPUT_X_GRADIENT -> new InputXGradient(InputXGradient.Options.DEFAULTS, backend);
        };
    }

    /** Every position of every example holds {@code baselineToken}. */
    private Baseline tokenBaseline(int seq) {
        long[] ids = new long[seq];
        Arrays.fill(ids, options.baselineToken());
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

    /** Options of {@link TokenAttribution}; every one optional. {@link #build()} validates them. */
    public static final class Builder {
        private final Kind kind;
        private String layer = Options.DEFAULTS.layer();
        private int baselineToken = Options.DEFAULTS.baselineToken();
        private int steps = Options.DEFAULTS.steps();
        private Backend backend;

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

        /** The backend (default {@link Backends#get()}). */
        public Builder optBackend(Backend backend) {
            this.backend = backend;
            return this;
        }

        /** The options record these settings describe. */
        public Options options() {
            return new Options(kind, layer, baselineToken, steps);
        }

        public TokenAttribution build() {
            return new TokenAttribution(options(), backend);
        }
    }
}
