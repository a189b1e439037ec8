package io.attrib4j.gradients;

/**
 * Gauss-Legendre nodes and weights on [-1, 1] in double, as {@code numpy.polynomial.legendre.leggauss(n)}
 * returns them (ascending nodes, weights summing to 2, symmetrized).
 *
 * <p>Each node is a root of the Legendre polynomial {@code P_n}, found by Newton's method from the
 * Tricomi-style guess {@code cos(pi (k + 3/4) / (n + 1/2))}; {@code P_n} and {@code P_n'} come from the
 * three-term recurrence {@code (j+1) P_{j+1} = (2j+1) t P_j - j P_{j-1}}. The weight of node {@code t} is
 * {@code 2 / ((1 - t^2) P_n'(t)^2)}. Like numpy, the result is symmetrized ({@code t_k = -t_{n-1-k}},
 * {@code w_k = w_{n-1-k}}) and the weights are rescaled to sum to exactly 2.
 */
final class GaussLegendre {
    private static final int MAX_NEWTON = 100;

    private GaussLegendre() {}

    /** {@code [nodes, weights]} for {@code n >= 1} points. */
    static double[][] nodesAndWeights(int n) {
        double[] t = new double[n];
        double[] w = new double[n];
        for (int k = 0; k < n; k++) {
            // k = 0 is the largest root; stored at n-1-k to ascend
            double x = Math.cos(Math.PI * (k + 0.75) / (n + 0.5));
            double dp = 1;
            for (int it = 0; it < MAX_NEWTON; it++) {
                double[] p = legendre(n, x);
                dp = p[1];
                double dx = p[0] / dp;
                x -= dx;
                if (Math.abs(dx) <= 1e-16 * Math.max(1, Math.abs(x))) {
                    break;
                }
            }
            dp = legendre(n, x)[1];
            t[n - 1 - k] = x;
            w[n - 1 - k] = 2 / ((1 - x * x) * dp * dp);
        }
        double[] ts = new double[n];
        double[] ws = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            ts[k] = (t[k] - t[n - 1 - k]) / 2;
            ws[k] = (w[k] + w[n - 1 - k]) / 2;
            sum += ws[k];
        }
        for (int k = 0; k < n; k++) {
            ws[k] *= 2 / sum;
        }
        return new double[][] {ts, ws};
    }

    /** {@code [P_n(x), P_n'(x)]}. */
    private static double[] legendre(int n, double x) {
        double p0 = 1;
        double p1 = x;
        if (n == 0) {
            return new double[] {1, 0};
        }
        for (int j = 1; j < n; j++) {
            double p2 = ((2 * j + 1) * x * p1 - j * p0) / (j + 1);
            p0 = p1;
            p1 = p2;
        }
        // P_n'(x) = n (x P_n - P_{n-1}) / (x^2 - 1)
        double d = n * (x * p1 - p0) / (x * x - 1);
        return new double[] {p1, d};
    }
}
