package io.attrib4j.attention;

import io.attrib4j.engine.Tensor;
import java.util.Random;

/**
 * Float64 rollouts written from the papers' formulas with plain nested loops on {@code double[][]}
 * matrices, independently of the code under test, plus random attention tensors.
 */
final class Reference {
    private Reference() {}

    /** Softmax of standard-normal logits (times {@code scale}) over the last axis: [layers, batch, heads, seq, seq]. */
    static Tensor randomAttention(Random rnd, int layers, int batch, int heads, int seq, double scale) {
        float[] d = new float[layers * batch * heads * seq * seq];
        for (int row = 0; row < d.length / seq; row++) {
            double[] e = new double[seq];
            double sum = 0;
            for (int j = 0; j < seq; j++) {
                e[j] = Math.exp(scale * rnd.nextGaussian());
                sum += e[j];
            }
            for (int j = 0; j < seq; j++) {
                d[row * seq + j] = (float) (e[j] / sum);
            }
        }
        return Tensor.of(d, layers, batch, heads, seq, seq);
    }

    static Tensor randomGaussian(Random rnd, int... dims) {
        int n = 1;
        for (int x : dims) {
            n *= x;
        }
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = (float) rnd.nextGaussian();
        }
        return Tensor.of(d, dims);
    }

    /** A[l][b][h] as a double matrix. */
    static double[][] map(Tensor t, int l, int b, int h) {
        int[] s = t.shape().dims();
        double[][] m = new double[s[3]][s[4]];
        for (int i = 0; i < s[3]; i++) {
            for (int j = 0; j < s[4]; j++) {
                m[i][j] = t.get(l, b, h, i, j);
            }
        }
        return m;
    }

    static double[][] matmul(double[][] a, double[][] b) {
        int n = a.length;
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += a[i][k] * b[k][j];
                }
                c[i][j] = s;
            }
        }
        return c;
    }

    /** Abnar & Zuidema rollout of example b: fuse, discard per row (never diagonal), residual, renormalize, product. */
    static double[][] rollout(Tensor attn, int b, HeadFusion fusion, double w, double discard) {
        int[] s = attn.shape().dims();
        int layers = s[0];
        int heads = s[2];
        int n = s[3];
        double[][] r = null;
        for (int l = 0; l < layers; l++) {
            double[][] f = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = fusion == HeadFusion.MEAN ? 0
                            : fusion == HeadFusion.MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                    for (int h = 0; h < heads; h++) {
                        double v = attn.get(l, b, h, i, j);
                        acc = fusion == HeadFusion.MEAN ? acc + v / heads
                                : fusion == HeadFusion.MAX ? Math.max(acc, v) : Math.min(acc, v);
                    }
                    f[i][j] = acc;
                }
            }
            int drop = (int) Math.floor(discard * (n - 1));
            for (int i = 0; i < n; i++) {
                // selection: repeatedly remove the smallest remaining off-diagonal entry (first index wins ties)
                boolean[] gone = new boolean[n];
                for (int k = 0; k < drop; k++) {
                    int best = -1;
                    for (int j = 0; j < n; j++) {
                        if (j != i && !gone[j] && (best < 0 || f[i][j] < f[i][best])) {
                            best = j;
                        }
                    }
                    gone[best] = true;
                }
                for (int j = 0; j < n; j++) {
                    if (gone[j]) {
                        f[i][j] = 0;
                    }
                }
            }
            double[][] ahat = new double[n][n];
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    ahat[i][j] = (1 - w) * f[i][j] + (i == j ? w : 0);
                    sum += ahat[i][j];
                }
                for (int j = 0; j < n; j++) {
                    ahat[i][j] /= sum;
                }
            }
            r = r == null ? ahat : matmul(ahat, r);
        }
        return r;
    }

    /** Chefer et al. rule of example b: R = I; R += mean_h(relu(G ⊙ A)) · R per layer. */
    static double[][] gradientRollout(Tensor attn, Tensor grad, int b) {
        int[] s = attn.shape().dims();
        int n = s[3];
        double[][] r = new double[n][n];
        for (int i = 0; i < n; i++) {
            r[i][i] = 1;
        }
        for (int l = 0; l < s[0]; l++) {
            double[][] abar = new double[n][n];
            for (int h = 0; h < s[2]; h++) {
                double[][] a = map(attn, l, b, h);
                double[][] g = map(grad, l, b, h);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        abar[i][j] += Math.max(0, a[i][j] * g[i][j]) / s[2];
                    }
                }
            }
            double[][] add = matmul(abar, r);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    r[i][j] += add[i][j];
                }
            }
        }
        return r;
    }
}
