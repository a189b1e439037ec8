package io.attrib4j.serving;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link Explainer}'s fallback policy: for each step of the chain, its circuit breaker and the moving
 * average of its latencies, and the rule for whether a step may run with the budget that is left. Every step
 * but the last must finish before the budget's last {@code reserve} share, which is kept for the steps after it.
 */
final class FallbackPolicy {
    private final List<Step> steps;
    private final double reserve;

    private record Step(FallbackStep step, CircuitBreaker breaker, LatencyAverage latency) {}

    FallbackPolicy(List<FallbackStep> chain, double reserve, CircuitBreakerPolicy breakers, Clock clock) {
        List<Step> s = new ArrayList<>();
        for (FallbackStep f : chain) {
            s.add(new Step(f, new CircuitBreaker(breakers, clock), new LatencyAverage(f.expectedCost())));
        }
        this.steps = List.copyOf(s);
        this.reserve = reserve;
    }

    int size() {
        return steps.size();
    }

    FallbackStep step(int i) {
        return steps.get(i).step();
    }

    /** The nanoseconds a request's reserve holds, of a budget of {@code budgetNanos}. */
    long reserveNanos(long budgetNanos) {
        return Math.round(reserve * budgetNanos);
    }

    /** When step {@code i} must be done: the deadline for the last step, the deadline less the reserve before. */
    long endNanos(int i, long deadlineNanos, long reserveNanos) {
        return i == steps.size() - 1 ? deadlineNanos : deadlineNanos - reserveNanos;
    }

    /**
     * Why step {@code i} must not run now with {@code left} nanoseconds of its budget, or null when it may. Takes
     * the breaker's trial slot when it may.
     */
    String skipReason(int i, long left) {
        Step s = steps.get(i);
        if (left <= 0) {
            return "budget exhausted";
        }
        long estimate = s.latency().estimateNanos();
        if (estimate > left) {
            return "estimated cost " + millis(estimate) + " exceeds the " + millis(left) + " left of the budget";
        }
        if (!s.breaker().tryAcquire()) {
            return s.breaker().describeOpen();
        }
        return null;
    }

    void onSuccess(int i, long elapsedNanos) {
        steps.get(i).latency().record(elapsedNanos);
        steps.get(i).breaker().onSuccess();
    }

    /** A timeout: a failure, and its elapsed time a lower bound of the true cost. */
    void onTimeout(int i, long elapsedNanos) {
        steps.get(i).breaker().onFailure();
        steps.get(i).latency().record(elapsedNanos);
    }

    void onFailure(int i) {
        steps.get(i).breaker().onFailure();
    }

    /** The step could not run (the queue was full): its breaker's trial slot is given back. */
    void onNotRun(int i) {
        steps.get(i).breaker().onNotRun();
    }

    /** The state of each step's circuit breaker, by step name. */
    Map<String, CircuitBreaker.State> breakerStates() {
        Map<String, CircuitBreaker.State> states = new LinkedHashMap<>();
        for (Step s : steps) {
            states.put(s.step().name(), s.breaker().state());
        }
        return states;
    }

    static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
}
