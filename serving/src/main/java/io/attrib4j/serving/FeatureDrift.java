package io.attrib4j.serving;

/**
 * How one feature's attribution distribution moved between the reference window and a window.
 *
 * @param feature the feature's index
 * @param name its name
 * @param psi population stability index over bins from the reference quantiles
 * @param psiBand STABLE, MODERATE or SIGNIFICANT
 * @param ksStatistic two-sample Kolmogorov-Smirnov statistic {@code D = sup |F_ref - F_win|}
 * @param ksPValue its asymptotic p-value
 * @param ksDrift {@code ksPValue < alpha}
 * @param referenceMeanAbs mean |attribution| in the reference
 * @param windowMeanAbs mean |attribution| in the window
 * @param stabilityChange {@code |windowMeanAbs - referenceMeanAbs| / referenceMeanAbs}
 * @param unstable {@code stabilityChange > threshold} (20 % by default)
 */
public record FeatureDrift(int feature, String name, double psi, PsiBand psiBand, double ksStatistic,
        double ksPValue, boolean ksDrift, double referenceMeanAbs, double windowMeanAbs, double stabilityChange,
        boolean unstable) {

    /** Whether any of the three tests flags the feature (PSI at least MODERATE, KS, stability). */
    public boolean drifted() {
        return psiBand != PsiBand.STABLE || ksDrift || unstable;
    }
}
