package io.attrib4j.engine.backend;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;

/** The operand checks every {@link Backend} implementation makes, in one place so messages agree. */
public final class BackendChecks {
    private BackendChecks() {}

    /** Element-wise operands must have the same shape. */
    public static void requireSameShape(Tensor a, Tensor b, String op) {
        if (!a.shape().equals(b.shape())) {
            throw new IllegalArgumentException(op + ": shapes " + a.shape() + " and " + b.shape() + " differ");
        }
    }

    /** A step-major gradient batch must hold {@code steps * n} rows. */
    public static void requireStepBatch(Tensor grads, int steps, int n) {
        if (grads.batch() != steps * n) {
            throw new IllegalArgumentException("gradient batch " + grads.batch() + " is not " + steps + " steps x " + n
                    + " examples");
        }
    }

    /** A noise draw needs a non-negative stream offset. */
    public static void requireNoiseOffset(Shape shape, long offset) {
        if (offset < 0 || offset > Long.MAX_VALUE - shape.size()) {
            throw new IllegalArgumentException("gaussian: offset " + offset + " is outside [0, 2^63 - size); use the "
                    + "index of the draw's first value in the seed's stream");
        }
    }

    /** Rows {@code [fromRow, fromRow + rows.batch())} of an expanded batch must fit the sums' examples and shape. */
    public static void requireSampleRows(SampleSums sums, Tensor rows, int fromRow, int samples) {
        int examples = sums.shape().batch();
        if (samples < 1 || fromRow < 0 || (long) fromRow + rows.batch() > (long) examples * samples
                || rows.rowSize() * examples != sums.shape().size()) {
            throw new IllegalArgumentException("accumulateSamples: rows [" + fromRow + ", " + (fromRow + rows.batch())
                    + ") of shape " + rows.shape() + " do not fit " + examples + " examples x " + samples
                    + " samples of sums " + sums.shape());
        }
    }

    /** A map batch must be laid out {@code [N, C, h, w]}. */
    public static void requireMaps(Tensor maps, String op) {
        if (maps.shape().rank() != 4) {
            throw new IllegalArgumentException(op + ": shape " + maps.shape() + " is not [N, C, h, w]");
        }
    }

    /** CAM weights are {@code [N, C]} or shaped like the activation. */
    public static void requireCamWeights(Tensor activation, Tensor weights) {
        requireMaps(activation, "weightedChannelSum");
        Shape a = activation.shape();
        boolean perChannel = weights.shape().equals(Shape.of(a.dim(0), a.dim(1)));
        if (!perChannel && !weights.shape().equals(a)) {
            throw new IllegalArgumentException("weightedChannelSum: weights " + weights.shape() + " are neither [N, C] = ["
                    + a.dim(0) + ", " + a.dim(1) + "] nor the activation's shape " + a);
        }
    }

    /** A resize target must be at least 1 x 1. */
    public static void requireResize(Tensor maps, int outH, int outW) {
        requireMaps(maps, "resize");
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("resize: target " + outH + "x" + outW + " is empty");
        }
        if (maps.shape().dim(2) < 1 || maps.shape().dim(3) < 1) {
            throw new IllegalArgumentException("resize: the maps " + maps.shape() + " have empty planes");
        }
    }

    /** Attention maps are {@code [M, H, S, S]} (heads) or {@code [M, S, S]} (fused), square in the last two axes. */
    public static void requireAttention(Tensor maps, int rank, String op) {
        Shape s = maps.shape();
        if (s.rank() != rank || s.dim(rank - 1) != s.dim(rank - 2)) {
            throw new IllegalArgumentException(op + ": shape " + s + " is not " + (rank == 4 ? "[M, H, S, S]" : "[M, S, S]"));
        }
        if (rank == 4 && s.dim(1) < 1) {
            throw new IllegalArgumentException(op + ": shape " + s + " has no heads");
        }
    }

    /** A rollout chain needs {@code layers >= 1} dividing the number of maps. */
    public static void requireChain(Tensor maps, int layers) {
        requireAttention(maps, 3, "chainProduct");
        if (layers < 1 || maps.shape().dim(0) % layers != 0) {
            throw new IllegalArgumentException("chainProduct: " + maps.shape().dim(0) + " maps are not " + layers
                    + " layers x a batch");
        }
    }

    /** Residual weight in [0, 1], discard ratio in [0, 1). */
    public static void requireMixing(double residualWeight, double discardRatio) {
        if (!(residualWeight >= 0 && residualWeight <= 1) || !(discardRatio >= 0 && discardRatio < 1)) {
            throw new IllegalArgumentException("mixResidual: residual weight " + residualWeight + " must be in [0, 1] and "
                    + "discard ratio " + discardRatio + " in [0, 1)");
        }
    }
}
