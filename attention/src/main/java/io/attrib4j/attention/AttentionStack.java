package io.attrib4j.attention;

import io.attrib4j.engine.Inputs;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import java.util.List;

/**
 * Validated per-layer attention maps (probabilities or their gradients), held as one row-major block
 * {@code [layers, batch, heads, seq, seq]}: the single input format of the rollout arithmetic.
 */
final class AttentionStack {
    /** Largest tolerated {@code |sum_j A[.., i, j] - 1|} for attention probabilities. */
    static final double ROW_SUM_TOLERANCE = 1e-3;
    /** Most negative tolerated attention probability (float32 rounding of a softmax is never below 0). */
    static final double NEGATIVE_TOLERANCE = 1e-6;

    private static final String LAYOUT =
            "[layers, batch, heads, seq, seq] (query rows, key columns), or a list with one [batch, heads, seq, seq]"
                    + " tensor per layer";

    final int layers;
    final int batch;
    final int heads;
    final int seq;
    final float[] data;
    private final String what;

    private AttentionStack(int layers, int batch, int heads, int seq, float[] data, String what) {
        this.layers = layers;
        this.batch = batch;
        this.heads = heads;
        this.seq = seq;
        this.data = data;
        this.what = what;
    }

    /** From one tensor {@code [layers, batch, heads, seq, seq]}. */
    static AttentionStack of(Tensor t, String what) {
        if (t == null) {
            throw new InvalidInputException(what + " is null; pass a tensor of shape " + LAYOUT);
        }
        Inputs.requireRank(t, 5, what, LAYOUT);
        Inputs.requireFinite(t, what);
        Shape s = t.shape();
        requireSquare(s.dim(3), s.dim(4), what, s);
        return new AttentionStack(s.dim(0), s.dim(1), s.dim(2), s.dim(3), t.data(), what);
    }

    /** From one tensor {@code [batch, heads, seq, seq]} per layer; all layers must share that shape. */
    static AttentionStack of(List<Tensor> perLayer, String what) {
        if (perLayer == null || perLayer.isEmpty()) {
            throw new InvalidInputException(what + " has no layers; pass one [batch, heads, seq, seq] tensor per layer");
        }
        Shape first = null;
        for (int l = 0; l < perLayer.size(); l++) {
            Tensor t = perLayer.get(l);
            String name = what + " of layer " + l;
            if (t == null) {
                throw new InvalidInputException(name + " is null; pass one [batch, heads, seq, seq] tensor per layer");
            }
            Inputs.requireRank(t, 4, name, "[batch, heads, seq, seq] (query rows, key columns)");
            if (first == null) {
                first = t.shape();
                requireSquare(first.dim(2), first.dim(3), name, first);
            } else if (!t.shape().equals(first)) {
                throw new InvalidInputException(name + " has shape " + t.shape() + " but layer 0 has shape " + first
                        + "; every layer must have the same [batch, heads, seq, seq] shape");
            }
        }
        int block = first.size();
        float[] data = new float[block * perLayer.size()];
        for (int l = 0; l < perLayer.size(); l++) {
            System.arraycopy(perLayer.get(l).data(), 0, data, l * block, block);
        }
        Tensor stacked = Tensor.of(data, first.prependBatch(perLayer.size()));
        Inputs.requireFinite(stacked, what + " (stacked as [layers, batch, heads, seq, seq])");
        return new AttentionStack(perLayer.size(), first.dim(0), first.dim(1), first.dim(2), data, what);
    }

    private static void requireSquare(int rows, int cols, String what, Shape s) {
        if (rows != cols) {
            throw new InvalidInputException(what + " has shape " + s + " whose last two dimensions " + rows + " x "
                    + cols + " are not square; self-attention maps are [seq, seq] (query rows, key columns)");
        }
        if (rows == 0) {
            throw new InvalidInputException(what + " has shape " + s + " with no tokens; give at least one token");
        }
    }

    /** The stack as the backend's head-map batch {@code [layers * batch, heads, seq, seq]}, layer-major (no copy). */
    Tensor maps() {
        return Tensor.of(data, Shape.of(layers * batch, heads, seq, seq));
    }

    /** Offset of the {@code [seq, seq]} map of (layer, example, head). */
    int offset(int layer, int example, int head) {
        return ((layer * batch + example) * heads + head) * seq * seq;
    }

    /**
     * Rejects values below {@code -1e-6} and rows whose sum is off 1 by more than {@code 1e-3}: rollout
     * of anything but attention probabilities is meaningless, so this is an error, not a warning.
     */
    void requireProbabilities() {
        for (int l = 0; l < layers; l++) {
            for (int b = 0; b < batch; b++) {
                for (int h = 0; h < heads; h++) {
                    int base = offset(l, b, h);
                    for (int i = 0; i < seq; i++) {
                        double sum = 0;
                        for (int j = 0; j < seq; j++) {
                            float v = data[base + i * seq + j];
                            if (v < -NEGATIVE_TOLERANCE) {
                                throw new InvalidInputException(what + " has the negative value " + v + " at [layer "
                                        + l + ", example " + b + ", head " + h + ", row " + i + ", column " + j
                                        + "]; pass attention probabilities (after softmax), not scores or logits");
                            }
                            sum += v;
                        }
                        if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE) {
                            throw new InvalidInputException(what + " row [layer " + l + ", example " + b + ", head "
                                    + h + ", row " + i + "] sums to " + sum + ", not 1 (tolerance "
                                    + ROW_SUM_TOLERANCE + "); pass attention probabilities softmaxed over the last"
                                    + " axis (key columns), with masked keys at 0 rather than removed");
                        }
                    }
                }
            }
        }
    }

    /** Requires {@code other} (the gradients) to have this stack's shape. */
    void requireSameShape(AttentionStack other) {
        if (layers != other.layers || batch != other.batch || heads != other.heads || seq != other.seq) {
            throw new InvalidInputException(other.what + " has shape " + other.shape() + " but " + what
                    + " has shape " + shape() + "; pass the gradient of the target with respect to each attention map,"
                    + " layer for layer, in the same layout");
        }
    }

    String shape() {
        return "[layers " + layers + ", batch " + batch + ", heads " + heads + ", seq " + seq + ", seq " + seq + "]";
    }
}
