package io.attrib4j.attention;

import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.Backends;
import io.attrib4j.engine.model.AttentionGradients;
import io.attrib4j.engine.model.AttentionModel;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.spec.Doc;
import io.attrib4j.engine.spec.MethodOptions;
import io.attrib4j.engine.spec.MethodSpec;
import java.util.List;

/**
 * Gradient-weighted attention rollout: class-specific relevance propagated through self-attention.
 *
 * <p>Per layer {@code l} and example, with attention probabilities {@code A_l [heads, seq, seq]} and
 * the gradient {@code G_l = ∂y_t/∂A_l} of the target output (same shape):
 * <pre>
 *   Ā_l = mean_heads( relu(G_l ⊙ A_l) )
 *   R_0 = I,   R_l = R_{l-1} + Ā_l · R_{l-1}          (layer 1 first, nearest the input)
 *   i.e. R = (I + Ā_L) ··· (I + Ā_1)
 * </pre>
 * This is the self-attention update rule (eq. 6) of the paper. Rows of {@code R} do not sum to 1, and
 * {@code R} keeps the identity it starts from: {@code R[i,i] >= 1}. For a [CLS] classifier the usual
 * relevance is {@code R[0, 1:]}, i.e. {@link TokenPooling#CLS} without its first entry.
 *
 * <p>As a {@link TokenRollout} (spec {@code grad-rollout}) it takes the attention of a model for token ids
 * and its gradient for the target in one forward and backward pass, and pools the rollout into one
 * relevance per token ({@code pooling}).
 *
 * <p>Paper: H. Chefer, S. Gur and L. Wolf, "Generic Attention-model Explainability for Interpreting
 * Bi-Modal and Encoder-Decoder Transformers", ICCV 2021. Use it when the explanation must depend on
 * the target class; it needs one backward pass of the model to get {@code G}.
 *
 * <p>Computation: all layers and examples at once on the backend, {@code positiveGradientMean} on the
 * {@code [layers*batch, heads, seq, seq]} stacks, {@code add} of the identity, then {@code chainProduct}
 * (accumulated in double); {@code I + Ā_l} is float32 between the steps.
 *
 * <p>The attention must be probabilities (checked as in {@link AttentionRollout}); the gradients only
 * finite and of the same shape.
 */
public final class GradientWeightedRollout implements TokenRollout {
    /** Name recorded in provenance. */
    public static final String NAME = "GradientWeightedRollout";
    /** Name in a method spec. */
    public static final String SPEC_NAME = "grad-rollout";

    /**
     * The options of gradient-weighted rollout: the paper's rule has none; as a {@link TokenRollout} only the
     * token pooling.
     *
     * @param pooling how the rollout becomes one relevance per token
     */
    public record Options(
            @Doc("token relevance for a mean-pooled classifier (mean over query rows) or a [CLS] one (row 0)")
                    TokenPooling pooling)
            implements MethodOptions {
        /** Mean pooling. */
        public static final Options DEFAULTS = new Options(TokenPooling.MEAN);

        /** @throws InvalidOptionException for a null pooling */
        public Options {
            if (pooling == null) {
                throw new InvalidOptionException("pooling is null; choose TokenPooling.CLS or TokenPooling.MEAN");
            }
        }
    }

    private final Options options;
    private final Backend backend;

    /** Gradient-weighted rollout with these options and the map arithmetic on {@code backend} (null: the default). */
    public GradientWeightedRollout(Options options, Backend backend) {
        if (options == null) {
            throw new InvalidOptionException("options are null; pass GradientWeightedRollout.Options.DEFAULTS");
        }
        this.options = options;
        this.backend = backend != null ? backend : Backends.get();
    }

    /** The method on the default backend with mean pooling; the rule itself has no options. */
    public static GradientWeightedRollout create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
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
        return AttentionMethods.GRAD_ROLLOUT.spec(options);
    }

    @Override
    public TokenPooling pooling() {
        return options.pooling();
    }

    /** This rollout with another token pooling. */
    public GradientWeightedRollout withPooling(TokenPooling pooling) {
        return new GradientWeightedRollout(new Options(pooling), backend);
    }

    public Backend backend() {
        return backend;
    }

    /**
     * @param attention {@code [layers, batch, heads, seq, seq]} probabilities, layer 0 nearest the input
     * @param gradients the target's gradient with respect to {@code attention}, same shape
     * @return {@code R [batch, seq, seq]}
     */
    public RolloutResult rollout(Tensor attention, Tensor gradients) {
        return rollout(new MethodRun(), AttentionStack.of(attention, "attention"),
                AttentionStack.of(gradients, "attention gradients"), Rollout.FROM_GRADIENTS, Rollout.GIVEN_MAPS);
    }

    /** As {@link #rollout(Tensor, Tensor)}, with one {@code [batch, heads, seq, seq]} tensor per layer. */
    public RolloutResult rollout(List<Tensor> attentionPerLayer, List<Tensor> gradientsPerLayer) {
        return rollout(new MethodRun(), AttentionStack.of(attentionPerLayer, "attention"),
                AttentionStack.of(gradientsPerLayer, "attention gradients"), Rollout.FROM_GRADIENTS,
                Rollout.GIVEN_MAPS);
    }

    /** Rolls out the attention of {@code model} for {@code ids}, weighted by its gradient for {@code target}. */
    @Override
    public RolloutResult rollout(ForwardModel model, Tensor ids, Target target) {
        AttentionModel m = Rollout.requireAttention(model, NAME);
        target.validateBatch(ids.batch());
        MethodRun run = new MethodRun();
        AttentionGradients g = run.call(ids.batch(), () -> m.attentionGradients(ids, target));
        return rollout(run, AttentionStack.of(g.attention(), "attention"),
                AttentionStack.of(g.gradient(), "attention gradients"), target, model);
    }

    private RolloutResult rollout(MethodRun run, AttentionStack a, AttentionStack g, Target target,
            ForwardModel model) {
        a.requireSameShape(g);
        a.requireProbabilities();
        Tensor steps = backend.add(backend.positiveGradientMean(a.maps(), g.maps()),
                Rollout.identities(a.layers * a.batch, a.seq));
        return RolloutResult.of(run, this, backend.chainProduct(steps, a.layers), target, model, backend);
    }

    /** Options of {@link GradientWeightedRollout}: the token pooling and the backend. */
    public static final class Builder {
        private TokenPooling pooling = Options.DEFAULTS.pooling();
        private Backend backend;

        private Builder() {}

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
            return new Options(pooling);
        }

        /** @throws InvalidOptionException for a null pooling */
        public GradientWeightedRollout build() {
            return new GradientWeightedRollout(options(), backend);
        }
    }
}
