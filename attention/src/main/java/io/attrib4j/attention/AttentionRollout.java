package io.attrib4j.attention;

import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.Backends;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * <p>Paper: S. Abnar and W. Zuidema, "Quantifying Attention Flow in Transformers", ACL 2020.
 * Use it for a fast, gradient-free, class-agnostic view of token mixing; use
 * {@link GradientWeightedRollout} when the explanation must depend on the predicted class.
 *
 * <p>Inputs must be attention probabilities: values below {@code -1e-6} or rows whose sum is off 1 by
 * more than {@code 1e-3} raise {@link io.attrib4j.engine.InvalidInputException}.
 */
public final class AttentionRollout {
    private final HeadFusion headFusion;
    private final double residualWeight;
    private final double discardRatio;
    private final Backend backend;

    private AttentionRollout(Builder b, Backend backend) {
        this.headFusion = b.headFusion;
        this.residualWeight = b.residualWeight;
        this.discardRatio = b.discardRatio;
        this.backend = backend;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** MEAN head fusion, residual weight 0.5, no discard. */
    public static AttentionRollout withDefaults() {
        return builder().build();
    }

    /**
     * Rolls out a stack of attention probabilities.
     *
     * @param attention {@code [layers, batch, heads, seq, seq]}, layer 0 nearest the input
     * @return rollout {@code [batch, seq, seq]}
     */
    public RolloutResult rollout(Tensor attention) {
        return rollout(AttentionStack.of(attention, "attention"));
    }

    /**
     * Rolls out attention probabilities given one {@code [batch, heads, seq, seq]} tensor per layer,
     * layer 0 nearest the input.
     */
    public RolloutResult rollout(List<Tensor> attentionPerLayer) {
        return rollout(AttentionStack.of(attentionPerLayer, "attention"));
    }

    private RolloutResult rollout(AttentionStack a) {
        long start = System.nanoTime();
        a.requireProbabilities();
        Tensor mixed = backend.mixResidual(backend.fuseHeads(a.maps(), headFusion.reduction()), residualWeight,
                discardRatio);
        Rollout.requireNormalized(mixed, a.batch);
        return RolloutResult.of(backend.chainProduct(mixed, a.layers), "AttentionRollout", parameters(),
                "none (class-agnostic)", backend, start);
    }

    public HeadFusion headFusion() {
        return headFusion;
    }

    public double residualWeight() {
        return residualWeight;
    }

    public double discardRatio() {
        return discardRatio;
    }

    public Backend backend() {
        return backend;
    }

    /** The options by name, as recorded in provenance. */
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("headFusion", headFusion.name());
        p.put("residualWeight", residualWeight);
        p.put("discardRatio", discardRatio);
        return p;
    }

    /** Options of {@link AttentionRollout}; every one optional. */
    public static final class Builder {
        private HeadFusion headFusion = HeadFusion.MEAN;
        private double residualWeight = 0.5;
        private double discardRatio = 0;
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

        /** The backend for the map arithmetic (default {@link Backends#get()}). */
        public Builder optBackend(Backend backend) {
            this.backend = backend;
            return this;
        }

        public AttentionRollout build() {
            if (headFusion == null) {
                throw new InvalidOptionException("head fusion is null; choose HeadFusion.MEAN, MAX or MIN");
            }
            if (!(residualWeight >= 0 && residualWeight <= 1)) {
                throw new InvalidOptionException("residual weight " + residualWeight
                        + " is outside [0, 1]; use 0.5 (Abnar & Zuidema) or 0 for no residual");
            }
            if (!(discardRatio >= 0 && discardRatio < 1)) {
                throw new InvalidOptionException("discard ratio " + discardRatio
                        + " is outside [0, 1); use 0 to keep every weight, or e.g. 0.9 to keep the top 10% per row");
            }
            return new AttentionRollout(this, backend != null ? backend : Backends.get());
        }
    }
}
