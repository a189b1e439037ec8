package io.attrib4j.attention;

import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.Backends;
import java.util.List;
import java.util.Map;

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
public final class GradientWeightedRollout {
    private final Backend backend;

    private GradientWeightedRollout(Backend backend) {
        this.backend = backend;
    }

    /** The method on the default backend; it has no other options. */
    public static GradientWeightedRollout create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
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
        return rollout(AttentionStack.of(attention, "attention"), AttentionStack.of(gradients, "attention gradients"));
    }

    /** As {@link #rollout(Tensor, Tensor)}, with one {@code [batch, heads, seq, seq]} tensor per layer. */
    public RolloutResult rollout(List<Tensor> attentionPerLayer, List<Tensor> gradientsPerLayer) {
        return rollout(AttentionStack.of(attentionPerLayer, "attention"),
                AttentionStack.of(gradientsPerLayer, "attention gradients"));
    }

    private RolloutResult rollout(AttentionStack a, AttentionStack g) {
        long start = System.nanoTime();
        a.requireSameShape(g);
        a.requireProbabilities();
        Tensor steps = backend.add(backend.positiveGradientMean(a.maps(), g.maps()),
                Rollout.identities(a.layers * a.batch, a.seq));
        return RolloutResult.of(backend.chainProduct(steps, a.layers), "GradientWeightedRollout", Map.of(),
                "given by the attention gradients", backend, start);
    }

    /** Options of {@link GradientWeightedRollout}: only the backend. */
    public static final class Builder {
        private Backend backend;

        private Builder() {}

        /** The backend for the map arithmetic (default {@link Backends#get()}). */
        public Builder optBackend(Backend backend) {
            this.backend = backend;
            return this;
        }

        public GradientWeightedRollout build() {
            return new GradientWeightedRollout(backend != null ? backend : Backends.get());
        }
    }
}
