package io.attrib4j.perturbation;

import io.attrib4j.testkit.ToyModels;

/**
 * Shapley values by their definition, in double, for the tests: for one example with one element per
 * player, phi_j = sum over S not containing j of |S|! (M - |S| - 1)! / M! (v(S + j) - v(S)), where v(S) is
 * the model output at x on S and b elsewhere. Independent of the code under test.
 */
final class ExactShapley {
    private ExactShapley() {}

    static double[] of(ToyModels.Toy model, double[] x, double[] b, int output) {
        int m = x.length;
        double[] v = new double[1 << m];
        for (int s = 0; s < v.length; s++) {
            double[] z = new double[m];
            for (int j = 0; j < m; j++) {
                z[j] = (s >> j & 1) == 1 ? x[j] : b[j];
            }
            v[s] = model.outputOf(z)[output];
        }
        double[] phi = new double[m];
        for (int j = 0; j < m; j++) {
            for (int s = 0; s < v.length; s++) {
                if ((s >> j & 1) == 0) {
                    int k = Integer.bitCount(s);
                    phi[j] += factorial(k) * factorial(m - k - 1) / factorial(m) * (v[s | 1 << j] - v[s]);
                }
            }
        }
        return phi;
    }

    private static double factorial(int n) {
        double f = 1;
        for (int i = 2; i <= n; i++) {
            f *= i;
        }
        return f;
    }
}
