package io.attrib4j.serving;

import io.attrib4j.engine.InvalidOptionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Explanation drift of a served model, checked as it serves: collects the first row of each explanation's
 * attributions, and every {@code windowSize} explanations compares the window with the reference through
 * a {@link DriftMonitor}. Each feature that drifts (PSI at least MODERATE, KS, or stability) is logged at
 * WARN and counted in {@link #driftedFeatures()}, which the server exports as a metric. Thread-safe.
 */
public final class DriftWatch {
    private static final Logger LOG = LoggerFactory.getLogger(DriftWatch.class);

    private final DriftMonitor monitor;
    private final float[][] reference;
    private final int windowSize;
    private final List<float[]> window = new ArrayList<>();
    private DriftReport last;

    /**
     * @param monitor the tests and their thresholds
     * @param reference attributions {@code [explanations][features]} of the reference period
     * @param windowSize explanations per window (at least 2)
     */
    public DriftWatch(DriftMonitor monitor, float[][] reference, int windowSize) {
        if (monitor == null || reference == null || reference.length < 2 || windowSize < 2) {
            throw new InvalidOptionException("a drift watch needs a monitor, a reference of at least 2 explanations "
                    + "and a window of at least 2; got window " + windowSize);
        }
        this.monitor = monitor;
        this.reference = reference.clone();
        this.windowSize = windowSize;
    }

    /** Adds one explanation's attributions; returns the window's report when this row completed a window. */
    public synchronized Optional<DriftReport> observe(String model, float[] attributions) {
        window.add(attributions.clone());
        if (window.size() < windowSize) {
            return Optional.empty();
        }
        DriftReport report = monitor.compare(reference, window.toArray(float[][]::new));
        window.clear();
        last = report;
        for (FeatureDrift f : report.features()) {
            if (f.drifted()) {
                LOG.warn("explanation drift in model {}: {} (PSI {} {}, KS p {}, mean |attribution| {} -> {})", model,
                        f.name(), fmt(f.psi()), f.psiBand(), fmt(f.ksPValue()), fmt(f.referenceMeanAbs()),
                        fmt(f.windowMeanAbs()));
            }
        }
        return Optional.of(report);
    }

    /** The newest complete window's report, if any. */
    public synchronized Optional<DriftReport> lastReport() {
        return Optional.ofNullable(last);
    }

    /** Names of the features that drifted in the newest complete window (empty before the first). */
    public synchronized List<String> driftedFeatures() {
        return last == null ? List.of()
                : last.features().stream().filter(FeatureDrift::drifted).map(FeatureDrift::name).toList();
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.4g", v);
    }
}
