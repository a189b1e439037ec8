package io.attrib4j.serving;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Explanation drift: compares each feature's attribution distribution in a window with a reference window.
 *
 * <ul>
 *   <li><b>PSI</b>, population stability index, over bins cut at the reference's quantiles
 *       {@code 1/B, ..., (B-1)/B} (linear interpolation; repeated cuts merged):
 *       {@code PSI = sum_b (w_b - r_b) ln(w_b / r_b)}, bin shares floored at 1e-4. Bands: below 0.1 STABLE,
 *       below 0.2 MODERATE, else SIGNIFICANT (Siddiqi, "Credit Risk Scorecards", 2006).</li>
 *   <li><b>KS</b>, two-sample Kolmogorov-Smirnov: {@code D = sup_x |F_ref(x) - F_win(x)|}, p-value from the
 *       asymptotic distribution {@code Q(l) = 2 sum_j (-1)^(j-1) exp(-2 j^2 l^2)} at
 *       {@code l = (sqrt(ne) + 0.12 + 0.11/sqrt(ne)) D}, {@code ne = n m / (n + m)} (Numerical Recipes 14.3);
 *       flagged when {@code p < alpha}.</li>
 *   <li><b>Stability</b>: relative change of mean |attribution|, flagged above 20 %.</li>
 * </ul>
 *
 * Use it on the attributions a service has produced (one row per explanation, one column per feature,
 * region or token position) to see when a model starts attributing its decisions differently. Immutable and
 * thread-safe.
 */
public final class DriftMonitor {
    static final double MIN_SHARE = 1e-4;

    private final int bins;
    private final double moderate;
    private final double significant;
    private final double ksAlpha;
    private final double stabilityThreshold;
    private final List<String> featureNames;

    private DriftMonitor(Builder b) {
        this.bins = b.bins;
        this.moderate = b.moderate;
        this.significant = b.significant;
        this.ksAlpha = b.ksAlpha;
        this.stabilityThreshold = b.stabilityThreshold;
        this.featureNames = b.featureNames;
    }

    /** Defaults: 10 bins, bands 0.1 / 0.2, KS alpha 0.05, stability threshold 0.2. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Drift of {@code window} against {@code reference}.
     *
     * @param reference attributions {@code [explanations][features]} of the reference window
     * @param window attributions of the window to check, same number of features
     */
    public DriftReport compare(float[][] reference, float[][] window) {
        return compare(null, reference, window);
    }

    /**
     * Cuts timestamped attributions into consecutive windows of length {@code window} (aligned to the epoch)
     * and compares each with the reference, in time order.
     */
    public List<DriftReport> compareWindows(float[][] reference, Instant[] times, float[][] rows, Duration window) {
        if (times.length != rows.length || window.isNegative() || window.isZero()) {
            throw new InvalidInputException("got " + times.length + " times for " + rows.length + " rows and window "
                    + window + "; give one time per row and a positive window");
        }
        Map<Long, List<float[]>> byWindow = new TreeMap<>();
        long w = window.toMillis();
        for (int i = 0; i < rows.length; i++) {
            byWindow.computeIfAbsent(Math.floorDiv(times[i].toEpochMilli(), w), k -> new ArrayList<>()).add(rows[i]);
        }
        List<DriftReport> out = new ArrayList<>();
        byWindow.forEach((k, list) -> out.add(
                compare(Instant.ofEpochMilli(k * w).toString(), reference, list.toArray(float[][]::new))));
        return out;
    }

    private DriftReport compare(String windowStart, float[][] reference, float[][] window) {
        int d = checkedWidth(reference, "reference");
        if (checkedWidth(window, "window") != d) {
            throw new InvalidInputException("reference has " + d + " features but the window has "
                    + window[0].length + "; compare attributions of the same model input layout");
        }
        if (featureNames != null && featureNames.size() != d) {
            throw new InvalidInputException(featureNames.size() + " feature names for " + d
                    + " features; give one name per feature");
        }
        List<FeatureDrift> features = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            double[] r = column(reference, j);
            double[] w = column(window, j);
            double psi = psi(r, w, bins);
            double ks = ksStatistic(r, w);
            double p = ksPValue(ks, r.length, w.length);
            double mr = meanAbs(r);
            double mw = meanAbs(w);
            double change = mr == 0 ? (mw == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.abs(mw - mr) / mr;
            features.add(new FeatureDrift(j, featureNames == null ? "feature " + j : featureNames.get(j), psi,
                    band(psi), ks, p, p < ksAlpha, mr, mw, change, change > stabilityThreshold));
        }
        return new DriftReport(windowStart, reference.length, window.length, features);
    }

    PsiBand band(double psi) {
        return psi < moderate ? PsiBand.STABLE : psi < significant ? PsiBand.MODERATE : PsiBand.SIGNIFICANT;
    }

    /** PSI of {@code window} against {@code reference} over {@code bins} reference-quantile bins. */
    static double psi(double[] reference, double[] window, int bins) {
        double[] sorted = reference.clone();
        Arrays.sort(sorted);
        double[] cuts = new double[bins - 1];
        for (int b = 1; b < bins; b++) {
            cuts[b - 1] = quantile(sorted, (double) b / bins);
        }
        cuts = Arrays.stream(cuts).distinct().toArray();
        double[] r = shares(reference, cuts);
        double[] w = shares(window, cuts);
        double psi = 0;
        for (int b = 0; b < r.length; b++) {
            psi += (w[b] - r[b]) * Math.log(w[b] / r[b]);
        }
        return psi;
    }

    /** Share of {@code values} in each bin (-inf, c0], (c0, c1], ..., (c_last, inf), floored at 1e-4. */
    private static double[] shares(double[] values, double[] cuts) {
        double[] counts = new double[cuts.length + 1];
        for (double v : values) {
            int b = 0;
            while (b < cuts.length && v > cuts[b]) {
                b++;
            }
            counts[b]++;
        }
        for (int b = 0; b < counts.length; b++) {
            counts[b] = Math.max(counts[b] / values.length, MIN_SHARE);
        }
        return counts;
    }

    /** The {@code q} quantile of sorted values, interpolated linearly between order statistics (numpy's default). */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Two-sample KS statistic {@code sup |F_a - F_b|} over the empirical distribution functions. */
    static double ksStatistic(double[] a, double[] b) {
        double[] x = a.clone();
        double[] y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < x.length && j < y.length) {
            double v = Math.min(x[i], y[j]);
            while (i < x.length && x[i] == v) {
                i++;
            }
            while (j < y.length && y[j] == v) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / x.length - (double) j / y.length));
        }
        return d;
    }

    /** Asymptotic p-value of the two-sample KS statistic {@code d} for sample sizes n and m. */
    static double ksPValue(double d, int n, int m) {
        double ne = Math.sqrt((double) n * m / (n + m));
        return kolmogorovQ((ne + 0.12 + 0.11 / ne) * d);
    }

    /** {@code Q(l) = 2 sum_{j>=1} (-1)^(j-1) exp(-2 j^2 l^2)}, the Kolmogorov survival function. */
    static double kolmogorovQ(double lambda) {
        if (lambda < 0.2) {
            return 1; // the series converges too slowly here and the value is 1 to many digits
        }
        double sum = 0;
        double sign = 1;
        for (int j = 1; j <= 100; j++) {
            double term = sign * 2 * Math.exp(-2.0 * j * j * lambda * lambda);
            sum += term;
            if (Math.abs(term) < 1e-12) {
                break;
            }
            sign = -sign;
        }
        return Math.min(1, Math.max(0, sum));
    }

    private static double meanAbs(double[] v) {
        double s = 0;
        for (double x : v) {
            s += Math.abs(x);
        }
        return s / v.length;
    }

    private static double[] column(float[][] rows, int j) {
        double[] c = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            c[i] = rows[i][j];
        }
        return c;
    }

    private static int checkedWidth(float[][] rows, String what) {
        if (rows.length == 0 || rows[0].length == 0) {
            throw new InvalidInputException("the " + what + " window has no attributions; give at least one row "
                    + "with at least one feature");
        }
        for (float[] row : rows) {
            if (row.length != rows[0].length) {
                throw new InvalidInputException("rows of the " + what + " window differ in length (" + row.length
                        + " vs " + rows[0].length + "); give one attribution per feature in every row");
            }
            for (float v : row) {
                if (!Float.isFinite(v)) {
                    throw new InvalidInputException("the " + what + " window holds " + v
                            + "; drop explanations with non-finite attributions before monitoring");
                }
            }
        }
        return rows[0].length;
    }

    /** Options of {@link DriftMonitor}; {@link #build()} validates them. */
    public static final class Builder {
        private int bins = 10;
        private double moderate = 0.1;
        private double significant = 0.2;
        private double ksAlpha = 0.05;
        private double stabilityThreshold = 0.2;
        private List<String> featureNames;

        private Builder() {}

        public Builder optBins(int bins) {
            this.bins = bins;
            return this;
        }

        /** PSI bands: MODERATE from {@code moderate}, SIGNIFICANT from {@code significant}. */
        public Builder optPsiBands(double moderate, double significant) {
            this.moderate = moderate;
            this.significant = significant;
            return this;
        }

        public Builder optKsAlpha(double ksAlpha) {
            this.ksAlpha = ksAlpha;
            return this;
        }

        public Builder optStabilityThreshold(double stabilityThreshold) {
            this.stabilityThreshold = stabilityThreshold;
            return this;
        }

        public Builder optFeatureNames(List<String> featureNames) {
            this.featureNames = List.copyOf(featureNames);
            return this;
        }

        public DriftMonitor build() {
            if (bins < 2) {
                throw new InvalidOptionException("PSI needs at least 2 bins, got " + bins + "; 10 is usual");
            }
            if (!(moderate > 0 && significant > moderate)) {
                throw new InvalidOptionException("PSI bands " + moderate + " / " + significant
                        + " must satisfy 0 < moderate < significant; the usual bands are 0.1 / 0.2");
            }
            if (!(ksAlpha > 0 && ksAlpha < 1) || !(stabilityThreshold > 0)) {
                throw new InvalidOptionException("KS alpha " + ksAlpha + " must lie in (0, 1) and the stability "
                        + "threshold " + stabilityThreshold + " must be positive; the usual values are 0.05 and 0.2");
            }
            return new DriftMonitor(this);
        }
    }
}
