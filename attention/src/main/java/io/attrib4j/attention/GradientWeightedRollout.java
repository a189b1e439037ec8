package io.attrib4j.attention;

import io.attrib4j.engine.Tensor;
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
 * </pre>
 * This is the self-attention update rule (eq. 6) of the paper. Rows of {@code R} do not sum to 1, and
 * {@code R} keeps the identity it starts from: {@code R[i,i] >= 1}. For a [CLS] classifier the usual
 * relevance is {@code R[0, 1:]}, i.e. {@link TokenPooling#CLS} without its first entry.
 *
 * <p>Paper: H. Chefer, S. Gur and L. Wolf, "Generic Attention-model Explainability for Interpreting
 * Bi-Modal and Encoder-Decoder Transformers", ICCV 2021. Use it when the explanation must depend on
 * the target class; it needs one backward pass of the model to get {@code G}.
 *
 * <p>The attention must be probabilities (checked as in {@link AttentionRollout}); the gradients only
 * finite and of the same shape.
 */
public final class GradientWeightedRollout {

    private GradientWeightedRollout() {}

    /** The method; it has no options. */
    public static GradientWeightedRollout create() {
        return new GradientWeightedRollout();
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
        float[] out = new float[a.batch * a.seq * a.seq];
        for (int b = 0; b < a.batch; b++) {
            double[] r = Rollout.identity(a.seq);
            for (int l = 0; l < a.layers; l++) {
                double[] update = Rollout.multiply(Rollout.positiveGradientMean(a, g, l, b), r, a.seq);
                for (int k = 0; k < r.length; k++) {
                    r[k] += update[k];
                }
            }
            Rollout.store(r, out, b);
        }
        return RolloutResult.of(out, a.batch, a.seq, "GradientWeightedRollout", Map.of(),
                "given by the attention gradients", start);
    }
}
