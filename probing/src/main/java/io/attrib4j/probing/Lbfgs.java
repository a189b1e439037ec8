package io.attrib4j.probing;

/**
 * Limited-memory BFGS (Nocedal 1980; Liu &amp; Nocedal 1989) with a backtracking Armijo line search,
 * for smooth convex objectives. Deterministic: no randomness, fixed iteration budget.
 */
final class Lbfgs {
    /** A differentiable objective: returns {@code f(x)} and writes {@code ∇f(x)} into {@code grad}. */
    interface Objective {
        double valueAndGradient(double[] x, double[] grad);
    }

    /** Where it stopped. */
    record Result(double[] x, double value, int iterations, boolean converged) {}

    private static final int MEMORY = 10;

    private Lbfgs() {}

    /**
     * Minimizes {@code f} from {@code x0}, stopping when {@code max|∇f| <= gradientTolerance}, when no
     * step along the search direction decreases {@code f}, or after {@code maxIterations} iterations.
     */
    static Result minimize(Objective f, double[] x0, int maxIterations, double gradientTolerance) {
        int n = x0.length;
        double[] x = x0.clone();
        double[] g = new double[n];
        double fx = f.valueAndGradient(x, g);
        double[][] s = new double[MEMORY][];
        double[][] y = new double[MEMORY][];
        double[] rho = new double[MEMORY];
        int stored = 0;
        int next = 0;
        double[] alpha = new double[MEMORY];
        for (int iter = 0; iter < maxIterations; iter++) {
            if (maxAbs(g) <= gradientTolerance) {
                return new Result(x, fx, iter, true);
            }
            // two-loop recursion: direction d = -H g
            double[] d = g.clone();
            for (int k = 0; k < stored; k++) {
                int m = Math.floorMod(next - 1 - k, MEMORY);
                alpha[m] = rho[m] * dot(s[m], d);
                axpy(-alpha[m], y[m], d);
            }
            double gamma = 1;
            if (stored > 0) {
                int last = Math.floorMod(next - 1, MEMORY);
                gamma = dot(s[last], y[last]) / dot(y[last], y[last]);
            } else {
                gamma = 1 / Math.max(1, norm(g));
            }
            for (int i = 0; i < n; i++) {
                d[i] *= gamma;
            }
            for (int k = stored - 1; k >= 0; k--) {
                int m = Math.floorMod(next - 1 - k, MEMORY);
                double beta = rho[m] * dot(y[m], d);
                axpy(alpha[m] - beta, s[m], d);
            }
            for (int i = 0; i < n; i++) {
                d[i] = -d[i];
            }
            double slope = dot(g, d);
            if (slope >= 0) { // not a descent direction: restart from steepest descent
                stored = 0;
                for (int i = 0; i < n; i++) {
                    d[i] = -g[i] / Math.max(1, norm(g));
                }
                slope = dot(g, d);
            }
            // backtracking line search (Armijo, c = 1e-4)
            double step = 1;
            double[] xNew = new double[n];
            double[] gNew = new double[n];
            double fNew = Double.NaN;
            boolean accepted = false;
            for (int tries = 0; tries < 40; tries++) {
                for (int i = 0; i < n; i++) {
                    xNew[i] = x[i] + step * d[i];
                }
                fNew = f.valueAndGradient(xNew, gNew);
                if (fNew <= fx + 1e-4 * step * slope) {
                    accepted = true;
                    break;
                }
                step *= 0.5;
            }
            if (!accepted) {
                return new Result(x, fx, iter, false);
            }
            double[] sk = new double[n];
            double[] yk = new double[n];
            for (int i = 0; i < n; i++) {
                sk[i] = xNew[i] - x[i];
                yk[i] = gNew[i] - g[i];
            }
            double sy = dot(sk, yk);
            if (sy > 1e-12) {
                s[next] = sk;
                y[next] = yk;
                rho[next] = 1 / sy;
                next = (next + 1) % MEMORY;
                stored = Math.min(stored + 1, MEMORY);
            }
            boolean stalled = !(fNew < fx);
            x = xNew;
            g = gNew;
            fx = fNew;
            if (stalled) {
                return new Result(x, fx, iter + 1, maxAbs(g) <= gradientTolerance);
            }
        }
        return new Result(x, fx, maxIterations, maxAbs(g) <= gradientTolerance);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
