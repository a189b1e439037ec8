package io.attrib4j.probing;

/**
 * A two-sided 95% confidence interval for the mean of per-fold scores, from the t distribution with
 * {@code k - 1} degrees of freedom: {@code mean ± t_{0.975, k-1} · s / √k}, {@code s} the sample
 * standard deviation. (Folds share training data, so this interval is narrower than the truth; it
 * is the conventional report, not an exact one.)
 *
 * @param mean the mean score
 * @param low the lower bound
 * @param high the upper bound
 */
public record ConfidenceInterval(double mean, double low, double high) {

    /** The interval for {@code values} (at least two). */
    public static ConfidenceInterval t95(double[] values) {
        int k = values.length;
        if (k < 2) {
            throw new IllegalArgumentException("a confidence interval needs at least 2 values, got " + k);
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= k;
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        double half = StudentT.quantile(0.975, k - 1) * Math.sqrt(ss / (k - 1)) / Math.sqrt(k);
        return new ConfidenceInterval(mean, mean - half, mean + half);
    }

    public double halfWidth() {
        return (high - low) / 2;
    }
}
