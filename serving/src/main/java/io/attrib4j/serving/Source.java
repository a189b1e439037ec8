package io.attrib4j.serving;

/** Where the explanation in an {@link ExplainResponse} came from. */
public enum Source {
    /** Computed now by the first (preferred) step of the fallback chain. */
    LIVE,
    /** Served from the explanation cache (same model version, method and options, input and target). */
    CACHE,
    /**
     * Computed now by a later step of the chain because the earlier ones could not fit the budget, failed or
     * were stopped by their circuit breaker; or no explanation at all when every step was unavailable.
     */
    DEGRADED,
    /** Asynchronous request: the prediction is final, the explanation is still being computed. */
    PENDING
}
