package io.attrib4j.trees;

/**
 * The path arithmetic of TreeSHAP (Lundberg et al. 2020, Algorithm 2: EXTEND, UNWIND and the unwound sum), over a
 * flat workspace of path segments. A path element holds a feature, its zero fraction {@code z} (the share of the
 * training weight that follows this path when the feature is unknown: the product of cover ratios of its splits),
 * its one fraction {@code o} (1 when the explained row follows the path at every split on it, else 0) and the
 * permutation weight {@code pw}: after EXTENDing elements {@code 0..d}, {@code pw[i]} is the weight of the subsets
 * of size {@code i} in the Shapley sum,
 * <pre>
 *   pw_i = sum_{|S| = i} prod_{e in S} o_e prod_{e not in S} z_e * |S|! (d - |S|)! / (d + 1)!
 * </pre>
 * Not thread-safe: one per thread.
 */
final class ShapPath {
    final int[] feature;
    final double[] zero;
    final double[] one;
    final double[] pw;

    /** A workspace for trees of at most {@code depth} levels. */
    ShapPath(int depth) {
        // each recursion level moves the segment by at most depth + 2 (conditioning keeps the depth)
        int size = (depth + 2) * (depth + 3) + 1;
        feature = new int[size];
        zero = new double[size];
        one = new double[size];
        pw = new double[size];
    }

    /** Copies the {@code len} elements of the segment at {@code from} to the segment at {@code to}. */
    void copy(int from, int to, int len) {
        System.arraycopy(feature, from, feature, to, len);
        System.arraycopy(zero, from, zero, to, len);
        System.arraycopy(one, from, one, to, len);
        System.arraycopy(pw, from, pw, to, len);
    }

    /** EXTEND: appends element {@code d} (feature {@code f}, fractions z, o) to the path at {@code p}. */
    void extend(int p, int d, double z, double o, int f) {
        feature[p + d] = f;
        zero[p + d] = z;
        one[p + d] = o;
        pw[p + d] = d == 0 ? 1.0 : 0.0;
        for (int i = d - 1; i >= 0; i--) {
            pw[p + i + 1] += o * pw[p + i] * (i + 1) / (d + 1);
            pw[p + i] = z * pw[p + i] * (d - i) / (d + 1);
        }
    }

    /** UNWIND: removes element {@code index} from the path at {@code p} of elements {@code 0..d}. */
    void unwind(int p, int d, int index) {
        double o = one[p + index];
        double z = zero[p + index];
        double next = pw[p + d];
        for (int i = d - 1; i >= 0; i--) {
            if (o != 0) {
                double tmp = pw[p + i];
                pw[p + i] = next * (d + 1) / ((i + 1) * o);
                next = tmp - pw[p + i] * z * (d - i) / (d + 1);
            } else {
                pw[p + i] = pw[p + i] * (d + 1) / (z * (d - i));
            }
        }
        for (int i = index; i < d; i++) {
            feature[p + i] = feature[p + i + 1];
            zero[p + i] = zero[p + i + 1];
            one[p + i] = one[p + i + 1];
        }
    }

    /** The total permutation weight of the path at {@code p} (elements {@code 0..d}) without element {@code index}. */
    double unwoundSum(int p, int d, int index) {
        double o = one[p + index];
        double z = zero[p + index];
        double next = pw[p + d];
        double total = 0;
        for (int i = d - 1; i >= 0; i--) {
            if (o != 0) {
                double tmp = next * (d + 1) / ((i + 1) * o);
                total += tmp;
                next = pw[p + i] - tmp * z * (d - i) / (d + 1);
            } else {
                total += pw[p + i] / z / ((d - i) / (double) (d + 1));
            }
        }
        return total;
    }
}
