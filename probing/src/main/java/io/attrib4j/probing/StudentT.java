package io.attrib4j.probing;

/**
 * Student's t distribution: CDF through the regularized incomplete beta function (continued fraction,
 * Numerical Recipes §6.4) and quantiles by bisection.
 */
final class StudentT {
    private StudentT() {}

    /** {@code P(T <= t)} for {@code df} degrees of freedom. */
    static double cdf(double t, double df) {
        double tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
        return t >= 0 ? 1 - tail : tail;
    }

    /** The {@code p}-quantile, {@code 0 < p < 1}. */
    static double quantile(double p, double df) {
        if (p == 0.5) {
            return 0;
        }
        if (p < 0.5) {
            return -quantile(1 - p, df);
        }
        double lo = 0;
        double hi = 1;
        while (cdf(hi, df) < p) {
            hi *= 2;
        }
        for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
            double mid = 0.5 * (lo + hi);
            if (cdf(mid, df) < p) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /**
     * The two-sided p-value of Student's two-sample t-test with pooled variance (SciPy's
     * {@code ttest_ind}, the test the TCAV paper uses): {@code t = (mean_a - mean_b) / (s_p √(1/n_a + 1/n_b))},
     * {@code n_a + n_b - 2} degrees of freedom, {@code p = 2 P(T >= |t|) = I_{df/(df+t²)}(df/2, 1/2)}, the
     * upper tail taken directly from the regularized incomplete beta function (not as {@code 1 - cdf}, which
     * loses every digit below 1e-16). When both samples are constant the test is degenerate, and the answer is
     * SciPy's: NaN ("not testable", {@code t = 0/0}) for equal means, 0 ({@code t = ±∞}) for different ones.
     */
    static double twoSampleP(double[] a, double[] b) {
        if (a.length < 2 || b.length < 2) {
            throw new IllegalArgumentException("a two-sample t-test needs at least 2 values per sample, got "
                    + a.length + " and " + b.length);
        }
        double ma = mean(a);
        double mb = mean(b);
        double ss = sumOfSquares(a, ma) + sumOfSquares(b, mb);
        int df = a.length + b.length - 2;
        double se = Math.sqrt(ss / df * (1.0 / a.length + 1.0 / b.length));
        if (!(se > 0)) {
            return ma == mb ? Double.NaN : 0;
        }
        double t = (ma - mb) / se;
        return Math.min(1, regularizedBeta(df / (df + t * t), df / 2.0, 0.5));
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Sample standard deviation ({@code n - 1}); 0 for fewer than 2 values. */
    static double sampleStd(double[] v) {
        return v.length < 2 ? 0 : Math.sqrt(sumOfSquares(v, mean(v)) / (v.length - 1));
    }

    private static double sumOfSquares(double[] v, double mean) {
        double s = 0;
        for (double x : v) {
            s += (x - mean) * (x - mean);
        }
        return s;
    }

    /** {@code I_x(a, b)}. */
    static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        double front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
        if (x < (a + 1) / (a + b + 2)) {
            return front * continuedFraction(x, a, b) / a;
        }
        return 1 - front * continuedFraction(1 - x, b, a) / b;
    }

    private static double continuedFraction(double x, double a, double b) {
        final double tiny = 1e-300;
        double c = 1;
        double d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.abs(d) < tiny ? tiny : d);
        double h = d;
        for (int m = 1; m <= 300; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + aa * d;
            d = 1 / (Math.abs(d) < tiny ? tiny : d);
            c = 1 + aa / c;
            c = Math.abs(c) < tiny ? tiny : c;
            h *= d * c;
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + aa * d;
            d = 1 / (Math.abs(d) < tiny ? tiny : d);
            c = 1 + aa / c;
            c = Math.abs(c) < tiny ? tiny : c;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < 1e-15) {
                break;
            }
        }
        return h;
    }

    /** Lanczos approximation (g = 7, 9 terms), accurate to about 1e-15 for x > 0. */
    static double logGamma(double x) {
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7};
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        x -= 1;
        double s = c[0];
        for (int i = 1; i < 9; i++) {
            s += c[i] / (x + i);
        }
        double t = x + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s);
    }
}
