package io.attrib4j.recourse;

import io.attrib4j.engine.Target;
import java.util.List;

/**
 * The DiCE objective of a set of k counterfactuals c_1..c_k of row x (Mothilal, Sharma and Tan 2020, eq. 4), and
 * its gradient with respect to the counterfactuals for everything but the model:
 * <pre>
 * L(c)     = (1/k) sum_i yloss(m_i) + lambda_1 (1/(d k)) sum_i dist(c_i, x) - lambda_2 det(K)
 * m_i      = z_desired(c_i) - max_(c != desired) z_c(c_i)                    the logit margin
 * K_ij     = 1 / (1 + dist(c_i, c_j)) + 1e-4 [i = j]                        (DiCE's dpp_style:inverse_dist)
 * d det(K) / d K = det(K) K^-T
 * </pre>
 * For a two-class softmax model the margin is DiCE's {@code log(p / (1 - p))} of the desired class.
 */
final class DiceLoss {
    private final CounterfactualOptions options;
    private final FeatureSpace space;
    private final float[] row;
    private final int desired;

    DiceLoss(CounterfactualOptions options, FeatureSpace space, float[] row, int desired) {
        this.options = options;
        this.space = space;
        this.row = row;
        this.desired = desired;
    }

    /** The margin as a differentiable target, so one gradient call gives d m_i / d c_i for every row. */
    Target marginTarget() {
        return Target.of(new Target.OutputScalar() {
            @Override
            public float value(float[] out) {
                return (float) margin(out);
            }

            @Override
            public void gradient(float[] out, float[] grad) {
                grad[desired] = 1;
                grad[runnerUp(out)] = -1;
            }

            @Override
            public String describe() {
                return "margin of class " + desired;
            }
        });
    }

    double margin(float[] logits) {
        return logits[desired] - logits[runnerUp(logits)];
    }

    private int runnerUp(float[] logits) {
        int best = desired == 0 ? 1 : 0;
        for (int c = 0; c < logits.length; c++) {
            if (c != desired && logits[c] > logits[best]) {
                best = c;
            }
        }
        return best;
    }

    double yLoss(double m) {
        return options.yLoss() == CounterfactualOptions.YLoss.HINGE ? Math.max(0, 1 - m) : softplus(-m);
    }

    /** d yloss / d m. */
    double yLossSlope(double m) {
        return options.yLoss() == CounterfactualOptions.YLoss.HINGE ? (m < 1 ? -1 : 0) : -1 / (1 + Math.exp(m));
    }

    private static double softplus(double v) {
        return v > 30 ? v : Math.log1p(Math.exp(v));
    }

    /** One counterfactual's own part of the objective: its y-loss and weighted proximity, as in the k-average. */
    double individual(float[] c, float[] logits) {
        return yLoss(margin(logits)) + options.proximityWeight() * space.distance(c, row) / row.length;
    }

    /** The whole objective of a set. */
    double objective(List<float[]> cfs, List<float[]> logits) {
        double s = 0;
        for (int i = 0; i < cfs.size(); i++) {
            s += individual(cfs.get(i), logits.get(i));
        }
        return s / cfs.size() - options.diversityWeight() * dppDiversity(cfs);
    }

    /** det(K), 0 for a single counterfactual (DiCE's convention). */
    double dppDiversity(List<float[]> cfs) {
        return cfs.size() < 2 ? 0 : det(kernel(cfs));
    }

    private double[][] kernel(List<float[]> cfs) {
        int k = cfs.size();
        double[][] m = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                m[i][j] = 1 / (1 + space.distance(cfs.get(i), cfs.get(j))) + (i == j ? 1e-4 : 0);
            }
        }
        return m;
    }

    /**
     * Adds d L / d c for the proximity and diversity terms to {@code grad} (the y-loss part comes from the model).
     */
    void addProximityAndDiversityGradient(List<float[]> cfs, double[][] grad) {
        int k = cfs.size();
        int d = row.length;
        double w = options.proximityWeight() / ((double) d * k);
        for (int i = 0; i < k; i++) {
            float[] c = cfs.get(i);
            for (int j = 0; j < d; j++) {
                grad[i][j] += w * Math.signum(c[j] - row[j]) / space.mad(j);
            }
        }
        if (k < 2 || options.diversityWeight() == 0) {
            return;
        }
        double[][] kk = kernel(cfs);
        double det = det(kk);
        double[][] inv = inverse(kk);
        for (int i = 0; i < k; i++) {
            for (int l = 0; l < k; l++) {
                if (l == i) {
                    continue;
                }
                double dist = space.distance(cfs.get(i), cfs.get(l));
                // d det / d K_il = det * inv_li, and K is symmetric: K_il and K_li both move with c_i
                double coef = -options.diversityWeight() * 2 * det * inv[l][i] * (-1 / ((1 + dist) * (1 + dist)));
                for (int j = 0; j < d; j++) {
                    grad[i][j] += coef * Math.signum(cfs.get(i)[j] - cfs.get(l)[j]) / space.mad(j);
                }
            }
        }
    }

    /** Determinant by Gaussian elimination with partial pivoting. */
    static double det(double[][] a) {
        int n = a.length;
        double[][] m = copy(a);
        double det = 1;
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                p = Math.abs(m[r][c]) > Math.abs(m[p][c]) ? r : p;
            }
            if (m[p][c] == 0) {
                return 0;
            }
            if (p != c) {
                double[] t = m[p];
                m[p] = m[c];
                m[c] = t;
                det = -det;
            }
            det *= m[c][c];
            for (int r = c + 1; r < n; r++) {
                double f = m[r][c] / m[c][c];
                for (int j = c; j < n; j++) {
                    m[r][j] -= f * m[c][j];
                }
            }
        }
        return det;
    }

    /** Inverse by Gauss-Jordan elimination (K is positive definite: always invertible). */
    static double[][] inverse(double[][] a) {
        int n = a.length;
        double[][] m = copy(a);
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            inv[i][i] = 1;
        }
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                p = Math.abs(m[r][c]) > Math.abs(m[p][c]) ? r : p;
            }
            double[] t = m[p];
            m[p] = m[c];
            m[c] = t;
            t = inv[p];
            inv[p] = inv[c];
            inv[c] = t;
            double piv = m[c][c];
            for (int j = 0; j < n; j++) {
                m[c][j] /= piv;
                inv[c][j] /= piv;
            }
            for (int r = 0; r < n; r++) {
                if (r != c) {
                    double f = m[r][c];
                    for (int j = 0; j < n; j++) {
                        m[r][j] -= f * m[c][j];
                        inv[r][j] -= f * inv[c][j];
                    }
                }
            }
        }
        return inv;
    }

    private static double[][] copy(double[][] a) {
        double[][] m = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            m[i] = a[i].clone();
        }
        return m;
    }
}
