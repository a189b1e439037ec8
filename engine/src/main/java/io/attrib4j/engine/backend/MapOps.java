package io.attrib4j.engine.backend;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import java.util.Arrays;

/**
 * The CPU implementation of the map operations of {@link Backend} (class activation maps and attention
 * rollout), in plain Java: each is a short loop nest that ND4J has no single op for (rank selection,
 * PyTorch's resize indexing) or that must accumulate in double. The CUDA kernels ({@code cam.cu},
 * {@code rollout.cu}) are their twins, loop for loop.
 */
final class MapOps {
    private MapOps() {}

    static Tensor spatialMean(Tensor maps) {
        BackendChecks.requireMaps(maps, "spatialMean");
        Shape s = maps.shape();
        int planes = s.dim(0) * s.dim(1);
        int hw = s.dim(2) * s.dim(3);
        float[] in = maps.data();
        float[] out = new float[planes];
        for (int p = 0; p < planes; p++) {
            double sum = 0;
            for (int e = p * hw; e < (p + 1) * hw; e++) {
                sum += in[e];
            }
            out[p] = (float) (sum / hw);
        }
        return Tensor.of(out, Shape.of(s.dim(0), s.dim(1)));
    }

    static Tensor weightedChannelSum(Tensor activation, Tensor weights, boolean relu) {
        BackendChecks.requireCamWeights(activation, weights);
        Shape s = activation.shape();
        int n = s.dim(0);
        int c = s.dim(1);
        int hw = s.dim(2) * s.dim(3);
        boolean perChannel = weights.shape().rank() == 2;
        float[] a = activation.data();
        float[] w = weights.data();
        float[] out = new float[n * hw];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < hw; p++) {
                double sum = 0;
                for (int k = 0; k < c; k++) {
                    int e = (i * c + k) * hw + p;
                    sum += (double) w[perChannel ? i * c + k : e] * a[e];
                }
                float v = (float) sum;
                out[i * hw + p] = relu ? Math.max(v, 0f) : v;
            }
        }
        return Tensor.of(out, Shape.of(n, 1, s.dim(2), s.dim(3)));
    }

    static Tensor resize(Tensor maps, int outH, int outW, Resize mode) {
        BackendChecks.requireResize(maps, outH, outW);
        Shape s = maps.shape();
        int planes = s.dim(0) * s.dim(1);
        int h = s.dim(2);
        int w = s.dim(3);
        float[] in = maps.data();
        float[] out = new float[planes * outH * outW];
        Axis ys = Axis.of(mode, h, outH);
        Axis xs = Axis.of(mode, w, outW);
        for (int p = 0; p < planes; p++) {
            int src = p * h * w;
            int dst = p * outH * outW;
            for (int y = 0; y < outH; y++) {
                int r0 = src + ys.i0[y] * w;
                int r1 = src + ys.i1[y] * w;
                for (int x = 0; x < outW; x++) {
                    float top = xs.l0[x] * in[r0 + xs.i0[x]] + xs.l1[x] * in[r0 + xs.i1[x]];
                    float bottom = xs.l0[x] * in[r1 + xs.i0[x]] + xs.l1[x] * in[r1 + xs.i1[x]];
                    out[dst + y * outW + x] = ys.l0[y] * top + ys.l1[y] * bottom;
                }
            }
        }
        return Tensor.of(out, Shape.of(s.dim(0), s.dim(1), outH, outW));
    }

    /**
     * For each output index along one axis: two source indices and their weights (see {@link Resize}).
     * Nearest puts all weight on one source, so both rules share the separable loop.
     */
    private record Axis(int[] i0, int[] i1, float[] l0, float[] l1) {
        static Axis of(Resize mode, int in, int out) {
            int[] i0 = new int[out];
            int[] i1 = new int[out];
            float[] l0 = new float[out];
            float[] l1 = new float[out];
            float scale = (float) in / out;
            for (int d = 0; d < out; d++) {
                if (mode == Resize.NEAREST) {
                    i0[d] = Math.min((int) Math.floor(d * scale), in - 1);
                    i1[d] = i0[d];
                    l0[d] = 1f;
                } else {
                    float src = Math.max(scale * (d + 0.5f) - 0.5f, 0f);
                    i0[d] = Math.min((int) src, in - 1);
                    i1[d] = Math.min(i0[d] + 1, in - 1);
                    l1[d] = src - i0[d];
                    l0[d] = 1f - l1[d];
                }
            }
            return new Axis(i0, i1, l0, l1);
        }
    }

    static Tensor fuseHeads(Tensor attention, HeadReduction mode) {
        BackendChecks.requireAttention(attention, 4, "fuseHeads");
        Shape s = attention.shape();
        int maps = s.dim(0);
        int heads = s.dim(1);
        int n = s.dim(2) * s.dim(3);
        float[] a = attention.data();
        float[] out = new float[maps * n];
        for (int m = 0; m < maps; m++) {
            for (int k = 0; k < n; k++) {
                int first = m * heads * n + k;
                double f = a[first];
                for (int h = 1; h < heads; h++) {
                    double v = a[first + h * n];
                    f = switch (mode) {
                        case MEAN -> f + v;
                        case MAX -> Math.max(f, v);
                        case MIN -> Math.min(f, v);
                    };
                }
                out[m * n + k] = (float) (mode == HeadReduction.MEAN ? f / heads : f);
            }
        }
        return Tensor.of(out, Shape.of(maps, s.dim(2), s.dim(3)));
    }

    static Tensor positiveGradientMean(Tensor attention, Tensor gradients) {
        BackendChecks.requireAttention(attention, 4, "positiveGradientMean");
        BackendChecks.requireSameShape(attention, gradients, "positiveGradientMean");
        Shape s = attention.shape();
        int maps = s.dim(0);
        int heads = s.dim(1);
        int n = s.dim(2) * s.dim(3);
        float[] a = attention.data();
        float[] g = gradients.data();
        float[] out = new float[maps * n];
        for (int m = 0; m < maps; m++) {
            for (int k = 0; k < n; k++) {
                double f = 0;
                for (int h = 0; h < heads; h++) {
                    int e = (m * heads + h) * n + k;
                    f += Math.max(0.0, (double) g[e] * a[e]);
                }
                out[m * n + k] = (float) (f / heads);
            }
        }
        return Tensor.of(out, Shape.of(maps, s.dim(2), s.dim(3)));
    }

    static Tensor mixResidual(Tensor maps, double residualWeight, double discardRatio) {
        BackendChecks.requireAttention(maps, 3, "mixResidual");
        BackendChecks.requireMixing(residualWeight, discardRatio);
        int seq = maps.shape().dim(1);
        int drop = (int) Math.floor(discardRatio * (seq - 1));
        float[] in = maps.data();
        float[] out = new float[in.length];
        double[] row = new double[seq];
        Integer[] cols = new Integer[Math.max(seq - 1, 0)];
        for (int r = 0; r < maps.shape().dim(0) * seq; r++) {
            int i = r % seq;
            for (int j = 0; j < seq; j++) {
                row[j] = in[r * seq + j];
            }
            if (drop > 0) {
                int c = 0;
                for (int j = 0; j < seq; j++) {
                    if (j != i) {
                        cols[c++] = j;
                    }
                }
                Arrays.sort(cols, (x, y) -> {
                    int byValue = Double.compare(row[x], row[y]);
                    return byValue != 0 ? byValue : Integer.compare(x, y);
                });
                for (int k = 0; k < drop; k++) {
                    row[cols[k]] = 0;
                }
            }
            double sum = 0;
            for (int j = 0; j < seq; j++) {
                row[j] = (1 - residualWeight) * row[j] + (i == j ? residualWeight : 0);
                sum += row[j];
            }
            for (int j = 0; j < seq; j++) {
                out[r * seq + j] = sum > 0 ? (float) (row[j] / sum) : Float.NaN;
            }
        }
        return Tensor.of(out, maps.shape());
    }

    static Tensor chainProduct(Tensor maps, int layers) {
        BackendChecks.requireChain(maps, layers);
        int batch = maps.shape().dim(0) / layers;
        int seq = maps.shape().dim(1);
        int n = seq * seq;
        float[] in = maps.data();
        float[] out = new float[batch * n];
        for (int b = 0; b < batch; b++) {
            double[] r = new double[n];
            for (int k = 0; k < n; k++) {
                r[k] = in[b * n + k];
            }
            for (int l = 1; l < layers; l++) {
                int m = (l * batch + b) * n;
                double[] next = new double[n];
                for (int i = 0; i < seq; i++) {
                    for (int k = 0; k < seq; k++) {
                        double aik = in[m + i * seq + k];
                        for (int j = 0; j < seq; j++) {
                            next[i * seq + j] += aik * r[k * seq + j];
                        }
                    }
                }
                r = next;
            }
            for (int k = 0; k < n; k++) {
                out[b * n + k] = (float) r[k];
            }
        }
        return Tensor.of(out, Shape.of(batch, seq, seq));
    }
}
