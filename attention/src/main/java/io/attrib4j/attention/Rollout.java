package io.attrib4j.attention;

import io.attrib4j.engine.InvalidInputException;
import java.util.Arrays;

/**
 * The arithmetic of every rollout, in one place, on {@code [seq, seq]} maps held row-major in
 * {@code double[]} (float64 accumulation; results are rounded to float32 once, at the end). A GPU
 * backend replaces these few operations: head fusion, per-row discard, residual mixing with row
 * normalization, the positive gradient-weighted head mean, a square matrix product, and pooling.
 */
final class Rollout {
    private Rollout() {}

    /** The identity map. */
    static double[] identity(int seq) {
        double[] m = new double[seq * seq];
        for (int i = 0; i < seq; i++) {
            m[i * seq + i] = 1;
        }
        return m;
    }

    /** Heads of one (layer, example) fused element-wise: {@code F[i,j] = fuse_h A[h,i,j]}. */
    static double[] fuseHeads(AttentionStack a, int layer, int example, HeadFusion fusion) {
        int n = a.seq * a.seq;
        double[] f = new double[n];
        int first = a.offset(layer, example, 0);
        for (int k = 0; k < n; k++) {
            f[k] = a.data[first + k];
        }
        for (int h = 1; h < a.heads; h++) {
            int base = a.offset(layer, example, h);
            for (int k = 0; k < n; k++) {
                double v = a.data[base + k];
                f[k] = switch (fusion) {
                    case MEAN -> f[k] + v;
                    case MAX -> Math.max(f[k], v);
                    case MIN -> Math.min(f[k], v);
                };
            }
        }
        if (fusion == HeadFusion.MEAN) {
            for (int k = 0; k < n; k++) {
                f[k] /= a.heads;
            }
        }
        return f;
    }

    /**
     * In each row {@code i}, sets to 0 the {@code floor(ratio * (seq - 1))} smallest off-diagonal
     * entries (ties: lower column first). The diagonal is never discarded.
     */
    static void discardLowest(double[] m, int seq, double ratio) {
        int drop = (int) Math.floor(ratio * (seq - 1));
        if (drop == 0) {
            return;
        }
        Integer[] cols = new Integer[seq - 1];
        for (int i = 0; i < seq; i++) {
            int row = i * seq;
            int c = 0;
            for (int j = 0; j < seq; j++) {
                if (j != i) {
                    cols[c++] = j;
                }
            }
            Arrays.sort(cols, (x, y) -> {
                int byValue = Double.compare(m[row + x], m[row + y]);
                return byValue != 0 ? byValue : Integer.compare(x, y);
            });
            for (int k = 0; k < drop; k++) {
                m[row + cols[k]] = 0;
            }
        }
    }

    /**
     * {@code M <- (1 - w) * M + w * I}, then each row divided by its sum.
     *
     * @param where names the map in the error raised when a row sums to 0
     */
    static void mixResidualAndNormalize(double[] m, int seq, double residualWeight, String where) {
        for (int i = 0; i < seq; i++) {
            double sum = 0;
            for (int j = 0; j < seq; j++) {
                int k = i * seq + j;
                m[k] = (1 - residualWeight) * m[k] + (i == j ? residualWeight : 0);
                sum += m[k];
            }
            if (!(sum > 0)) {
                throw new InvalidInputException("row " + i + " of the fused attention of " + where
                        + " sums to 0 and cannot be normalized; use a residual weight above 0, MEAN or MAX head fusion,"
                        + " or a smaller discard ratio");
            }
            for (int j = 0; j < seq; j++) {
                m[i * seq + j] /= sum;
            }
        }
    }

    /** {@code mean_h relu(G[h] * A[h])} for one (layer, example): Chefer et al.'s gradient-weighted map. */
    static double[] positiveGradientMean(AttentionStack a, AttentionStack g, int layer, int example) {
        int n = a.seq * a.seq;
        double[] f = new double[n];
        for (int h = 0; h < a.heads; h++) {
            int base = a.offset(layer, example, h);
            for (int k = 0; k < n; k++) {
                f[k] += Math.max(0.0, (double) g.data[base + k] * a.data[base + k]);
            }
        }
        for (int k = 0; k < n; k++) {
            f[k] /= a.heads;
        }
        return f;
    }

    /** The matrix product {@code a @ b} of two {@code [seq, seq]} maps. */
    static double[] multiply(double[] a, double[] b, int seq) {
        double[] c = new double[seq * seq];
        for (int i = 0; i < seq; i++) {
            for (int k = 0; k < seq; k++) {
                double aik = a[i * seq + k];
                if (aik == 0) {
                    continue;
                }
                for (int j = 0; j < seq; j++) {
                    c[i * seq + j] += aik * b[k * seq + j];
                }
            }
        }
        return c;
    }

    /** Writes map {@code m} as example {@code example} of a {@code [batch, seq, seq]} float block. */
    static void store(double[] m, float[] out, int example) {
        int base = example * m.length;
        for (int k = 0; k < m.length; k++) {
            out[base + k] = (float) m[k];
        }
    }

    /** One relevance per token from a {@code [batch, seq, seq]} rollout block: {@code [batch, seq]}. */
    static float[] tokenRelevance(float[] rollout, int batch, int seq, TokenPooling pooling) {
        float[] out = new float[batch * seq];
        for (int b = 0; b < batch; b++) {
            int base = b * seq * seq;
            for (int j = 0; j < seq; j++) {
                double v;
                if (pooling == TokenPooling.CLS) {
                    v = rollout[base + j];
                } else {
                    double s = 0;
                    for (int i = 0; i < seq; i++) {
                        s += rollout[base + i * seq + j];
                    }
                    v = s / seq;
                }
                out[b * seq + j] = (float) v;
            }
        }
        return out;
    }
}
