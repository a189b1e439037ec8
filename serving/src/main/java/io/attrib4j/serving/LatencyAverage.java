package io.attrib4j.serving;

import java.time.Duration;

/**
 * Exponentially weighted moving average of a step's latencies, {@code avg <- avg + a (x - avg)} with
 * {@code a = 0.3}, seeded by the first measurement (or the step's expected cost). Thread-safe.
 */
final class LatencyAverage {
    static final double ALPHA = 0.3;

    private double nanos;
    private boolean known;

    LatencyAverage(Duration expected) {
        if (!expected.isZero()) {
            nanos = expected.toNanos();
            known = true;
        }
    }

    synchronized void record(long observedNanos) {
        nanos = known ? nanos + ALPHA * (observedNanos - nanos) : observedNanos;
        known = true;
    }

    /** The estimate, or {@code -1} when nothing is known yet. */
    synchronized long estimateNanos() {
        return known ? Math.round(nanos) : -1;
    }
}
