package io.attrib4j.trees;

import io.attrib4j.engine.model.DecisionTree;
import io.attrib4j.engine.model.Forest;
import java.util.function.ToDoubleFunction;

/**
 * Shapley values by enumeration of every coalition: the independent reference for the tree algorithms (written
 * from the definition, sharing no code with them). Exponential: only for up to about 12 features.
 */
final class BruteShapley {
    private BruteShapley() {}

    /** phi_j = sum_{S not containing j} |S|! (M - |S| - 1)! / M! (v(S + j) - v(S)). */
    static double[] shapley(int m, ToDoubleFunction<boolean[]> v) {
        double[] fact = new double[m + 1];
        fact[0] = 1;
        for (int i = 1; i <= m; i++) {
            fact[i] = fact[i - 1] * i;
        }
        double[] values = new double[1 << m];
        for (int s = 0; s < values.length; s++) {
            values[s] = v.applyAsDouble(members(s, m));
        }
        double[] phi = new double[m];
        for (int j = 0; j < m; j++) {
            for (int s = 0; s < values.length; s++) {
                if ((s >> j & 1) == 0) {
                    int size = Integer.bitCount(s);
                    phi[j] += fact[size] * fact[m - size - 1] / fact[m] * (values[s | 1 << j] - values[s]);
                }
            }
        }
        return phi;
    }

    private static boolean[] members(int s, int m) {
        boolean[] in = new boolean[m];
        for (int j = 0; j < m; j++) {
            in[j] = (s >> j & 1) != 0;
        }
        return in;
    }

    /** E[margin_g | x_S] with the unknown features integrated out by cover (the path-dependent value function). */
    static double pathDependentValue(Forest f, float[] x, int off, int g, boolean[] known) {
        double v = f.baseMargin(g);
        for (DecisionTree t : f.trees()) {
            int k = g - t.firstGroup();
            if (k >= 0 && k < t.width()) {
                v += f.scale() * conditional(t, 0, x, off, k, known);
            }
        }
        return v;
    }

    private static double conditional(DecisionTree t, int n, float[] x, int off, int k, boolean[] known) {
        if (t.isLeaf(n)) {
            return t.value(n, k);
        }
        int feat = t.feature(n);
        if (known[feat]) {
            return conditional(t, t.next(n, x[off + feat]), x, off, k, known);
        }
        int l = t.left(n);
        int r = t.right(n);
        return (t.cover(l) * conditional(t, l, x, off, k, known) + t.cover(r) * conditional(t, r, x, off, k, known))
                / t.cover(n);
    }

    /** mean over background rows z of margin_g(x on S, z elsewhere) (the interventional value function). */
    static double interventionalValue(Forest f, float[] x, int off, float[] background, int rows, int g,
            boolean[] known) {
        int m = f.features();
        double[] out = new double[f.groups()];
        float[] hybrid = new float[m];
        double sum = 0;
        for (int b = 0; b < rows; b++) {
            for (int j = 0; j < m; j++) {
                hybrid[j] = known[j] ? x[off + j] : background[b * m + j];
            }
            f.margins(hybrid, 0, out);
            sum += out[g];
        }
        return sum / rows;
    }
}
