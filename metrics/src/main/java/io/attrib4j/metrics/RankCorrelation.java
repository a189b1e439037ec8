package io.attrib4j.metrics;

import io.attrib4j.engine.InvalidInputException;
import java.util.Arrays;

/**
 * Spearman's rank correlation with ties: the Pearson correlation of the two samples' ranks, tied values
 * sharing the mean of the ranks they span (Spearman 1904; as {@code scipy.stats.spearmanr}).
 */
public final class RankCorrelation {
    private RankCorrelation() {}

    /** Spearman's rho of {@code a} and {@code b}; NaN when either is constant (no ranking). */
    public static double spearman(float[] a, float[] b) {
        if (a.length != b.length || a.length < 2) {
            throw new InvalidInputException("rank correlation needs two samples of the same length >= 2, got "
                    + a.length + " and " + b.length + " values");
        }
        return pearson(ranks(a), ranks(b));
    }

    /** Ranks 1..n, ties averaged. */
    static double[] ranks(float[] v) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (x, y) -> Float.compare(v[x], v[y]));
        double[] r = new double[v.length];
        int i = 0;
        while (i < idx.length) {
            int j = i;
            while (j + 1 < idx.length && Float.compare(v[idx[j + 1]], v[idx[i]]) == 0) {
                j++;
            }
            double mean = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[idx[k]] = mean;
            }
            i = j + 1;
        }
        return r;
    }

    private static double pearson(double[] x, double[] y) {
        double mx = Arrays.stream(x).average().orElse(0);
        double my = Arrays.stream(y).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }
}
