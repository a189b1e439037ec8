package io.attrib4j.serving;

import java.time.Clock;
import java.time.Instant;

/**
 * The circuit breaker of one fallback step: CLOSED (calls pass) until {@link CircuitBreakerPolicy#failureThreshold()}
 * consecutive failures, then OPEN (calls skipped) for the cool-down, then HALF_OPEN: one trial call passes;
 * its success closes the breaker, its failure opens it for another cool-down. Thread-safe.
 */
public final class CircuitBreaker {
    /** The breaker's state. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final CircuitBreakerPolicy policy;
    private final Clock clock;
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private Instant openedAt;
    private boolean trialInFlight;

    CircuitBreaker(CircuitBreakerPolicy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    /** The state now (an open breaker whose cool-down has passed reads HALF_OPEN). */
    public synchronized State state() {
        if (state == State.OPEN && !clock.instant().isBefore(openedAt.plus(policy.coolDown()))) {
            state = State.HALF_OPEN;
            trialInFlight = false;
        }
        return state;
    }

    /** Whether a call may start now; in HALF_OPEN only one trial call is let through at a time. */
    synchronized boolean tryAcquire() {
        switch (state()) {
            case CLOSED:
                return true;
            case HALF_OPEN:
                if (trialInFlight) {
                    return false;
                }
                trialInFlight = true;
                return true;
            default:
                return false;
        }
    }

    synchronized void onSuccess() {
        state = State.CLOSED;
        consecutiveFailures = 0;
        trialInFlight = false;
    }

    synchronized void onFailure() {
        consecutiveFailures++;
        if (state == State.HALF_OPEN || consecutiveFailures >= policy.failureThreshold()) {
            state = State.OPEN;
            openedAt = clock.instant();
            trialInFlight = false;
        }
    }

    /** Releases a half-open trial slot taken by a call that never ran (queue full). */
    synchronized void onNotRun() {
        trialInFlight = false;
    }

    /** Why calls are skipped, for responses. */
    synchronized String describeOpen() {
        return "circuit breaker open after " + consecutiveFailures + " consecutive failures, retried after "
                + openedAt.plus(policy.coolDown());
    }
}
