package io.attrib4j.serving;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link Explainer}'s registry of asynchronous answers: by request id, the PENDING answer given at once and
 * the explanation being computed, kept for a retention time and up to a number of entries.
 */
final class PendingResults {
    private final Cache<String, Pending> pending;

    private record Pending(ExplainResponse pendingAnswer, CompletableFuture<ExplainResponse> future) {}

    PendingResults(long maxEntries, Duration retention) {
        this.pending = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(retention).build();
    }

    void put(String requestId, ExplainResponse pendingAnswer, CompletableFuture<ExplainResponse> explanation) {
        pending.put(requestId, new Pending(pendingAnswer, explanation));
    }

    /** The complete answer once the explanation is done, the PENDING one before; empty for an unknown id. */
    Optional<ExplainResponse> result(String requestId) {
        Pending p = pending.getIfPresent(requestId);
        if (p == null) {
            return Optional.empty();
        }
        return Optional.of(p.future().isDone() ? WorkerPool.await(p.future()) : p.pendingAnswer());
    }

    /** Like {@link #result}, waiting up to {@code timeout} for the explanation. */
    Optional<ExplainResponse> awaitResult(String requestId, Duration timeout) {
        Pending p = pending.getIfPresent(requestId);
        if (p == null) {
            return Optional.empty();
        }
        try {
            p.future().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // still pending, or failed: result() reports which
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return result(requestId);
    }
}
