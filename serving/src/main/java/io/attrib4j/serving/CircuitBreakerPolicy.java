package io.attrib4j.serving;

import io.attrib4j.engine.InvalidOptionException;
import java.time.Duration;

/**
 * When a fallback step's circuit breaker opens and for how long: it opens after {@code failureThreshold}
 * consecutive failures (errors and timeouts), lets one trial call through after {@code coolDown}
 * (half-open), and closes again on the first success.
 */
public final class CircuitBreakerPolicy {
    private final int failureThreshold;
    private final Duration coolDown;

    private CircuitBreakerPolicy(Builder b) {
        this.failureThreshold = b.failureThreshold;
        this.coolDown = b.coolDown;
    }

    /** Defaults: open after 5 consecutive failures, half-open after 30 s. */
    public static Builder builder() {
        return new Builder();
    }

    public static CircuitBreakerPolicy defaults() {
        return builder().build();
    }

    public int failureThreshold() {
        return failureThreshold;
    }

    public Duration coolDown() {
        return coolDown;
    }

    /** Options of {@link CircuitBreakerPolicy}; {@link #build()} validates them. */
    public static final class Builder {
        private int failureThreshold = 5;
        private Duration coolDown = Duration.ofSeconds(30);

        private Builder() {}

        public Builder optFailureThreshold(int failureThreshold) {
            this.failureThreshold = failureThreshold;
            return this;
        }

        public Builder optCoolDown(Duration coolDown) {
            this.coolDown = coolDown;
            return this;
        }

        public CircuitBreakerPolicy build() {
            if (failureThreshold < 1) {
                throw new InvalidOptionException("circuit breaker failure threshold is " + failureThreshold
                        + "; use 1 or more consecutive failures");
            }
            if (coolDown == null || coolDown.isNegative()) {
                throw new InvalidOptionException("circuit breaker cool-down is " + coolDown
                        + "; use a non-negative duration such as Duration.ofSeconds(30)");
            }
            return new CircuitBreakerPolicy(this);
        }
    }
}
