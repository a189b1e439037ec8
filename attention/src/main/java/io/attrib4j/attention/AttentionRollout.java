package io.attrib4j.attention;

import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.Backends;
import io.attrib4j.engine.model.AttentionModel;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.spec.Doc;
import io.attrib4j.engine.spec.MethodOptions;
import io.attrib4j.engine.spec.MethodSpec;
import java.util.List;

/**
 * Attention rollout: how much each input token flows into each position after all layers, assuming
 * attention mixes linearly and the residual connection carries the rest.
 *
 * <p>Per layer {@code l} and example, with attention probabilities {@code A_l [heads, seq, seq]}
 * (query rows, key columns):
 * <pre>
 *   F_l = fuse_heads(A_l)                         MEAN (default), MAX or MIN, element-wise
 *   F_l = discard(F_l)                            optional: see below
 *   Â_l = (1 - w)·F_l + w·I,  Â_l[i,:] /= sum_j Â_l[i,j]     w = residual weight (default 0.5)
 *   R_1 = Â_1,   R_l = Â_l · R_{l-1}                rollout = R_L = Â_L ··· Â_1
 * </pre>
 * Rows of every {@code Â_l} sum to 1, so rows of the rollout do too. With the defaults this is the
 * reference formula of the oracle README, section 6.8.
 *
 * <p>Computation: all layers and examples at once on the backend, {@code fuseHeads} then
 * {@code mixResidual} (discard, residual, row normalization) on the {@code [layers*batch, ...]} stack,
 * then {@code chainProduct} (accumulated in double). The fused and mixed maps are float32 between the
 * steps.
 *
 * <p><b>Discard.</b> With ratio {@code r} in [0, 1), in each query row {@code i} of the fused map the
 * {@code floor(r·(seq-1))} smallest off-diagonal weights are set to 0 (ties: lower key index first)
 * before the residual is mixed in and the row renormalized; the diagonal {@code F[i,i]} is never
 * discarded. (The ViT recipe of Gildenblat drops the lowest weights over the whole map instead; per-row
 * keeps every query's strongest keys.)
 *
 * <p>As a {@link TokenRollout} (spec {@code rollout}) it takes the attention of a model for token ids and
 * pools the rollout into one relevance per token ({@code pooling}); the target is ignored.
 *
 * <p>Paper: S. Abnar and W. Zuidema, "Quantifying Attention Flow in Transformers", ACL 2020.
 * Use it for a fast, gradient-free, class-agnostic view of token mixing; use
 * {@link GradientWeightedRollout} when the explanation must depend on the predicted class.
 *
 * <p>Inputs must be attention probabilities: values below {@code -1e-6} or rows whose sum is off 1 by
 * more than {@code 1e-3} raise {@link io.attrib4j.engine.InvalidInputException}.
 */
public final class AttentionRollout implements TokenRollout {
    /** Name recorded in provenance. */
    public static final String NAME = "AttentionRollout";
    /** Name in a method spec. */
    public static final String SPEC_NAME = "rollout";

    /**
     * The options of attention rollout, with Abnar &amp; Zuidema's defaults in {@link #DEFAULTS}.
     *
     * @param headFusion how the heads of a layer are fused
     * @param residualWeight weight {@code w} of the identity in {@code (1-w)·A + w·I}, in [0, 1]
     * @param discardRatio fraction of off-diagonal weights dropped per row, in [0, 1)
     * @param pooling how the rollout becomes one relevance per token (as a {@link TokenRollout})
     */
    public record Options(
            @Doc("how the heads of a layer are fused, element-wise") HeadFusion headFusion,
            @Doc("weight w of the identity in (1-w) A + w I, in [0, 1]") double residualWeight,
            @Doc("fraction of off-diagonal weights dropped per query row, in [0, 1)") double discardRatio,
            @Doc("token relevance for a mean-pooled classifier (mean over query rows) or a [CLS] one (row 0)")
                    TokenPooling pooling)
            implements MethodOptions {
        /** Abnar &amp; Zuidema's rollout: mean head fusion, residual weight 0.5, no discard; mean pooling. */
        public static final Options DEFAULTS = new Options(HeadFusion.MEAN, 0.5, 0, TokenPooling.MEAN);

        /** @throws InvalidOptionException for a null fusion or pooling, or a weight or ratio out of range */
        public Options {
            if (headFusion == null) {
                throw new InvalidOptionException("head fusion is null; choose HeadFusion.MEAN, MAX or MIN");
            }
            if (pooling == null) {
                throw new InvalidOptionException("pooling is null; choose TokenPooling.CLS or TokenPooling.MEAN");
            }
            if (!(residualWeight >= 0 && residualWeight <= 1)) {
                throw new InvalidOptionException("residual weight " + residualWeight
                        + " is outside [0, 1]; use 0.5 (Abnar & Zuidema) or 0 for no residual");
            }
            if (!(discardRatio >= 0 && discardRatio < 1)) {
                throw new InvalidOptionException("discard ratio " + discardRatio
                        + " is outside [0, 1); use 0 to keep every weight, or e.g. 0.9 to keep the top 10% per row");
            }
        }

        public Options withPooling(TokenPooling pooling) {
            return new Options(headFusion, residualWeight, discardRatio, pooling);
        }
    }

    private final Options options;
    private final Backend backend;

    /** Attention rollout with these options and the map arithmetic on {@code backend} (null: the default). */
    public AttentionRollout(Options options, Backend backend) {
        if (options == null) {
            throw new InvalidOptionException("options are null; pass AttentionRollout.Options.DEFAULTS or a record");
        }
        this.options = options;
        this.backend = backend != null ? backend : Backends.get();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** MEAN head fusion, residual weight 0.5, no discard, MEAN pooling. */
    public static AttentionRollout withDefaults() {
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
        return AttentionMethods.ROLLOUT.spec(options);
    }

    /** This rollout with another token pooling. */
    public AttentionRollout withPooling(TokenPooling pooling) {
        return new AttentionRollout(options.withPooling(pooling), backend);
    }

    /**
     * Rolls out a stack of attention probabilities.
     *
     * @param attention {@code [layers, batch, heads, seq, seq]}, layer 0 nearest the input
     * @return rollout {@code [batch, seq, seq]}
     */
    public RolloutResult rollout(Tensor attention) {
        return rollout(new MethodRun(), AttentionStack.of(attention, "attention"), Rollout.GIVEN_MAPS);
    }

    /**
     * Rolls out attention probabilities given one {@code [batch, heads, seq, seq]} tensor per layer,
     * layer 0 nearest the input.
     */
    public RolloutResult rollout(List<Tensor> attentionPerLayer) {
        return rollout(new MethodRun(), AttentionStack.of(attentionPerLayer, "attention"), Rollout.GIVEN_MAPS);
    }

    /** Rolls out the attention {@code model} gives for the token ids {@code ids} (class-agnostic: no target). */
    @Override
    public RolloutResult rollout(ForwardModel model, Tensor ids, Target target) {
        AttentionModel m = Rollout.requireAttention(model, NAME);
        MethodRun run = new MethodRun();
        Tensor attention = run.call(ids.batch(), () -> m.attention(ids));
        return rollout(run, AttentionStack.of(attention, "attention"), model);
    }

    private RolloutResult rollout(MethodRun run, AttentionStack a, ForwardModel model) {
        a.requireProbabilities();
        Tensor mixed = backend.mixResidual(backend.fuseHeads(a.maps(), options.headFusion().reduction()),
                options.residualWeight(), options.discardRatio());
        Rollout.requireNormalized(mixed, a.batch);
        return RolloutResult.of(run, this, backend.chainProduct(mixed, a.layers), Rollout.CLASS_AGNOSTIC, model,
                backend);
    }

    public HeadFusion headFusion() {
        return options.headFusion();
    }

    public double residualWeight() {
        return options.residualWeight();
    }

    public double discardRatio() {
        return options.discardRatio();
    }

    @Override
    public TokenPooling pooling() {
        return options.pooling();
    }

    public Backend backend() {
        return backend;
    }

    /** Options of {@link AttentionRollout}; every one optional; {@link #build()} validates them into an {@link Options} record. */
    public static final class Builder {
        private HeadFusion headFusion = Options.DEFAULTS.headFusion();
        private double residualWeight = Options.DEFAULTS.residualWeight();
        private double discardRatio = Options.DEFAULTS.discardRatio();
        private TokenPooling pooling = Options.DEFAULTS.pooling();
        private Backend backend;

        private Builder() {}

        /** How heads are fused (default MEAN). */
        public Builder optHeadFusion(HeadFusion headFusion) {
            this.headFusion = headFusion;
            return this;
        }

        /** Weight {@code w} of the identity in {@code (1-w)·A + w·I}, in [0, 1] (default 0.5). */
        public Builder optResidualWeight(double residualWeight) {
            this.residualWeight = residualWeight;
            return this;
        }

        /** Fraction of off-diagonal weights dropped per row, in [0, 1) (default 0). */
        public Builder optDiscardRatio(double discardRatio) {
            this.discardRatio = discardRatio;
            return this;
        }

        /** How the rollout becomes one relevance per token as a {@link TokenRollout} (default MEAN). */
        public Builder optPooling(TokenPooling pooling) {
            this.pooling = pooling;
            return this;
        }

        /** The backend for the map arithmetic (default {@link Backends#get()}). */
        public Builder optBackend(Backend backend) {
            this.backend = backend;
            return this;
        }

        /** The options record these settings describe. */
        public Options options() {
            return new Options(headFusion, residualWeight, discardRatio, pooling);
        }

        /** @throws InvalidOptionException for a null fusion or pooling, or a weight or ratio out of range */
        public AttentionRollout build() {
            return new AttentionRollout(options(), backend);
        }
    }
}
