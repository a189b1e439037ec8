package io.attrib4j.perturbation;

/**
 * Closed-form weighted (ridge) least squares in double, for the surrogate fits of {@link KernelShap} and
 * {@link Lime}:
 * <pre>
 * beta = argmin  sum_s w_s (y_s - X_s . beta)^2 + sum_k penalty_k beta_k^2
 *      = (X^T W X + diag(penalty))^-1 X^T W y
 * </pre>
 * solved by Gaussian elimination with partial pivoting.
 */
final class WeightedLeastSquares {
    private static final double SINGULAR = 1e-12;

    private WeightedLeastSquares() {}

    /** The coefficients, or {@code null} when the normal equations are singular (too few distinct samples). */
    static double[] fit(double[][] x, double[] y, double[] w, double[] penalty) {
        int k = penalty.length;
        double[][] a = new double[k][k + 1];
        for (int s = 0; s < x.length; s++) {
            for (int p = 0; p < k; p++) {
                double wx = w[s] * x[s][p];
                if (wx == 0) {
                    continue;
                }
                for (int q = 0; q < k; q++) {
                    a[p][q] += wx * x[s][q];
                }
                a[p][k] += wx * y[s];
            }
        }
        double scale = 0;
        for (int p = 0; p < k; p++) {
            a[p][p] += penalty[p];
            scale = Math.max(scale, Math.abs(a[p][p]));
        }
        return eliminate(a, SINGULAR * Math.max(scale, Double.MIN_NORMAL));
    }

    /** Solves the augmented system {@code a = [A | b]} in place; null when a pivot is below {@code tiny}. */
    private static double[] eliminate(double[][] a, double tiny) {
        int k = a.length;
        for (int c = 0; c < k; c++) {
            int pivot = c;
            for (int r = c + 1; r < k; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
                    pivot = r;
                }
            }
            if (Math.abs(a[pivot][c]) <= tiny) {
                return null;
            }
            double[] t = a[c];
            a[c] = a[pivot];
            a[pivot] = t;
            for (int r = c + 1; r < k; r++) {
                double f = a[r][c] / a[c][c];
                for (int q = c; q <= k; q++) {
                    a[r][q] -= f * a[c][q];
                }
            }
        }
        double[] beta = new double[k];
        for (int r = k - 1; r >= 0; r--) {
            double v = a[r][k];
            for (int q = r + 1; q < k; q++) {
                v -= a[r][q] * beta[q];
            }
            beta[r] = v / a[r][r];
        }
        return beta;
    }

    /**
     * The weighted coefficient of determination {@code 1 - sum w (y - X beta)^2 / sum w (y - mean_w y)^2};
     * 1 when the fit is exact, including when {@code y} is constant.
     */
    static double weightedR2(double[][] x, double[] y, double[] w, double[] beta) {
        double sw = 0;
        double swy = 0;
        for (int s = 0; s < y.length; s++) {
            sw += w[s];
            swy += w[s] * y[s];
        }
        double mean = swy / sw;
        double res = 0;
        double tot = 0;
        for (int s = 0; s < y.length; s++) {
            double fit = 0;
            for (int q = 0; q < beta.length; q++) {
                fit += x[s][q] * beta[q];
            }
            res += w[s] * (y[s] - fit) * (y[s] - fit);
            tot += w[s] * (y[s] - mean) * (y[s] - mean);
        }
        return tot == 0 ? (res == 0 ? 1 : 0) : 1 - res / tot;
    }
}
