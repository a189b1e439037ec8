package io.attrib4j.serving;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Predict and explain in one call, for Java services: one thread-safe object per model.
 *
 * <p>Every model call (the prediction, each attribution) runs on a bounded worker pool shared by all
 * callers: {@code workers} threads and a queue of {@code queueCapacity}; when the queue is full the request
 * fails at once with {@link OverloadedException}. The explanation walks a <em>fallback chain</em> (by default
 * IG with 32 steps, IG with 8 steps, Saliency) within the request's latency budget; every step but the last
 * must finish before the budget's last {@code fallbackReserve} share (default 25 %), which is kept for the
 * steps after it. For each step in order:
 * <ol>
 *   <li>a cached explanation (same model content hash, method and options, input bytes and target) is
 *       served at once ({@link Source#CACHE});</li>
 *   <li>the step is skipped when the budget is spent, when the moving average of its past latencies
 *       exceeds what is left, or when its circuit breaker is open;</li>
 *   <li>otherwise it runs with the remaining budget as its timeout; success answers {@link Source#LIVE}
 *       (first step) or {@link Source#DEGRADED} (a later step), a failure or timeout moves to the next
 *       step.</li>
 * </ol>
 * Every decision is recorded in {@link ExplainResponse#attempts()}. When no step gives an explanation, the
 * answer is DEGRADED with the prediction alone.
 *
 * <p>{@link #explainAsync} returns the prediction at once ({@link Source#PENDING}) and completes the
 * explanation in the background; {@link #result} retrieves it by request id.
 *
 * <p>A timed-out attribution is cancelled (interrupted); methods that do not check for interruption keep
 * their worker until they finish, which the pool's bound then accounts for. The model is owned by the
 * caller; {@link #close()} stops the workers, not the model.
 */
public final class Explainer implements AutoCloseable {
    private final ForwardModel model;
    private final String modelHash;
    private final FallbackPolicy policy;
    private final ExplanationStore cache;
    private final Duration defaultBudget;
    private final WorkerPool pool;
    private final PendingResults pending;

    /** One request after its prediction: everything the chain needs. */
    private record Call(String id, long startNanos, long deadlineNanos, long reserveNanos, Tensor input,
            Tensor output, int[] predicted, Target target, String inputHash) {}

    private Explainer(Builder b, List<FallbackStep> chain, ExplanationStore cache) {
        this.model = b.modelThreadSafe ? b.model : SerializedModel.wrap(b.model);
        this.modelHash = b.model.info().contentHash();
        this.policy = new FallbackPolicy(chain, b.fallbackReserve, b.breakerPolicy, b.clock);
        this.cache = cache;
        this.defaultBudget = b.defaultBudget;
        this.pool = new WorkerPool(b.workers, b.queueCapacity);
        this.pending = new PendingResults(b.maxPending, b.resultRetention);
    }

    /** A builder; {@link Builder#setModel} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Predicts and explains within the request's budget.
     *
     * @throws io.attrib4j.engine.InvalidInputException for a malformed input (nothing ran)
     * @throws io.attrib4j.engine.InvalidTargetException for a target that does not fit the model output
     * @throws OverloadedException when the worker queue is full
     */
    public ExplainResponse explain(ExplainRequest request) {
        return WorkerPool.await(explainChain(predict(request)));
    }

    /**
     * Predicts now and explains in the background: the answer is {@link Source#PENDING} with the prediction
     * and an id for {@link #result}.
     */
    public ExplainResponse explainAsync(ExplainRequest request) {
        Call call = predict(request);
        ExplainResponse answer = respond(call, Source.PENDING, Optional.empty(), null, List.of());
        pending.put(call.id(), answer, explainChain(call));
        return answer;
    }

    /**
     * The answer of an asynchronous request: complete once the explanation is done, PENDING before; empty
     * for an unknown id or one older than the retention time.
     */
    public Optional<ExplainResponse> result(String requestId) {
        return pending.result(requestId);
    }

    /** Like {@link #result}, waiting up to {@code timeout} for the explanation. */
    public Optional<ExplainResponse> awaitResult(String requestId, Duration timeout) {
        return pending.awaitResult(requestId, timeout);
    }

    /** The state of each step's circuit breaker, by step name. */
    public Map<String, CircuitBreaker.State> breakerStates() {
        return policy.breakerStates();
    }

    /** Model calls waiting for a worker now (a gauge for metrics and back-pressure). */
    public int queueDepth() {
        return pool.queueDepth();
    }

    /** The model's content hash. */
    public String modelHash() {
        return modelHash;
    }

    /** Stops the workers (running attributions are interrupted); the model stays open. */
    @Override
    public void close() {
        pool.close();
    }

    private Call predict(ExplainRequest request) {
        long start = System.nanoTime();
        // any target passes the batch check; the real one is known after the prediction
        MethodRun.validate(model, request.input(), request.target().orElse(Target.classIndex(0)));
        Tensor output = WorkerPool.await(pool.submit(() -> model.forward(request.input())).result());
        int[] predicted = output.argmaxRows();
        Target target = request.target().orElseGet(() -> Target.perExample(predicted));
        target.validate(output.shape());
        long budget = request.budget().orElse(defaultBudget).toNanos();
        return new Call(UUID.randomUUID().toString(), start, start + budget, policy.reserveNanos(budget),
                request.input(), output, predicted, target, Hashing.inputHash(request.input(), target));
    }

    private CompletableFuture<ExplainResponse> explainChain(Call call) {
        return attempt(call, 0, new ArrayList<>());
    }

    /** Step {@code i} of the chain, then the next ones if it gives nothing. */
    private CompletableFuture<ExplainResponse> attempt(Call call, int i, List<String> attempts) {
        if (i == policy.size()) {
            attempts.add("no step of the chain gave an explanation");
            return CompletableFuture.completedFuture(respond(call, Source.DEGRADED, Optional.empty(), null, attempts));
        }
        FallbackStep step = policy.step(i);
        String name = step.name();
        ExplanationStore.Key key = new ExplanationStore.Key(modelHash, step.methodKey(), call.inputHash());
        Optional<Attribution> hit = cache.get(key);
        if (hit.isPresent()) {
            return CompletableFuture.completedFuture(respond(call, Source.CACHE, hit, name, attempts));
        }
        long end = policy.endNanos(i, call.deadlineNanos(), call.reserveNanos());
        String skip = policy.skipReason(i, end - System.nanoTime());
        if (skip != null) {
            attempts.add(name + ": skipped, " + skip);
            return attempt(call, i + 1, attempts);
        }
        long t0 = System.nanoTime();
        WorkerPool.Submitted<Attribution> run;
        try {
            run = pool.submit(() -> step.method().attribute(model, call.input(), call.target()));
        } catch (OverloadedException e) {
            policy.onNotRun(i);
            attempts.add(name + ": skipped, worker queue full");
            return attempt(call, i + 1, attempts);
        }
        long left = end - t0;
        return run.result().orTimeout(left, TimeUnit.NANOSECONDS).handle((attribution, error) -> {
            long elapsed = System.nanoTime() - t0;
            if (error == null) {
                policy.onSuccess(i, elapsed);
                cache.put(key, attribution);
                Source source = i == 0 ? Source.LIVE : Source.DEGRADED;
                return CompletableFuture.completedFuture(respond(call, source, Optional.of(attribution), name, attempts));
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof TimeoutException) {
                pool.cancel(run);
                policy.onTimeout(i, elapsed);
                attempts.add(name + ": timed out after " + FallbackPolicy.millis(elapsed) + " (budget left "
                        + FallbackPolicy.millis(left) + ")");
            } else {
                policy.onFailure(i);
                attempts.add(name + ": failed, " + cause);
            }
            return attempt(call, i + 1, attempts);
        }).thenCompose(f -> f);
    }

    private ExplainResponse respond(Call call, Source source, Optional<Attribution> attribution, String step,
            List<String> attempts) {
        return new ExplainResponse(call.id(), modelHash, call.output(), call.predicted(), call.target().describe(),
                source, attribution, Optional.ofNullable(step), attempts,
                Duration.ofNanos(System.nanoTime() - call.startNanos()));
    }

    /** Options of {@link Explainer}; {@link #build()} validates them. */
    public static final class Builder {
        private ForwardModel model;
        private List<FallbackStep> chain;
        private Duration defaultBudget = Duration.ofSeconds(1);
        private int workers = Runtime.getRuntime().availableProcessors();
        private int queueCapacity = 64;
        private ExplanationStore cache;
        private CircuitBreakerPolicy breakerPolicy = CircuitBreakerPolicy.defaults();
        private Clock clock = Clock.systemUTC();
        private boolean modelThreadSafe;
        private Duration resultRetention = Duration.ofHours(1);
        private long maxPending = 100_000;
        private double fallbackReserve = 0.25;

        private Builder() {}

        /** The model to predict with and explain (required). */
        public Builder setModel(ForwardModel model) {
            this.model = model;
            return this;
        }

        /** The fallback chain, best first; default IG 32 steps, IG 8 steps, Saliency. */
        public Builder optChain(List<FallbackStep> chain) {
            this.chain = List.copyOf(chain);
            return this;
        }

        /** The budget of requests that bring none; default 1 s. */
        public Builder optDefaultBudget(Duration defaultBudget) {
            this.defaultBudget = defaultBudget;
            return this;
        }

        /**
         * The share of each request's budget that every step but the last leaves to the steps after it (its
         * timeout ends that much before the deadline); default 0.25.
         */
        public Builder optFallbackReserve(double fallbackReserve) {
            this.fallbackReserve = fallbackReserve;
            return this;
        }

        /** Worker threads; default the number of processors. */
        public Builder optWorkers(int workers) {
            this.workers = workers;
            return this;
        }

        /** Model calls waiting for a worker before {@link OverloadedException}; default 64. */
        public Builder optQueueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
            return this;
        }

        /**
         * Where explanations are cached (share one between model versions if you like): default a new in-process
         * {@link ExplanationCache} of 10,000 entries for 1 h; a {@link RedisExplanationCache} to share them
         * between replicas; {@link ExplanationStore#none()} to compute every request; null for the default.
         */
        public Builder optCache(ExplanationStore cache) {
            this.cache = cache;
            return this;
        }

        /** The circuit breaker of every step; default 5 failures, 30 s cool-down. */
        public Builder optBreakerPolicy(CircuitBreakerPolicy breakerPolicy) {
            this.breakerPolicy = breakerPolicy;
            return this;
        }

        /** The clock of the circuit breakers; default the system clock. */
        public Builder optClock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Whether the model may be called from several threads at once; default false (calls take a lock). */
        public Builder optModelThreadSafe(boolean modelThreadSafe) {
            this.modelThreadSafe = modelThreadSafe;
            return this;
        }

        /** How long asynchronous results stay retrievable; default 1 h. */
        public Builder optResultRetention(Duration resultRetention) {
            this.resultRetention = resultRetention;
            return this;
        }

        /** The chain of a builder given none: IG 32 steps, IG 8 steps, Saliency. */
        private static List<FallbackStep> defaultChain() {
            return List.of(FallbackStep.integratedGradients(32), FallbackStep.integratedGradients(8),
                    FallbackStep.saliency());
        }

        /** Validates the options and builds the explainer; the builder itself is left as it was. */
        public Explainer build() {
            if (model == null) {
                throw new InvalidOptionException("an explainer needs a model; call setModel(model)");
            }
            List<FallbackStep> chain = this.chain != null ? this.chain : defaultChain();
            if (chain.isEmpty()) {
                throw new InvalidOptionException("the fallback chain is empty; give at least one FallbackStep");
            }
            if (chain.stream().map(FallbackStep::name).distinct().count() != chain.size()) {
                throw new InvalidOptionException("fallback step names repeat in " + chain.stream()
                        .map(FallbackStep::name).toList() + "; give each step a unique name");
            }
            if (defaultBudget == null || defaultBudget.isNegative() || defaultBudget.isZero()) {
                throw new InvalidOptionException("default budget is " + defaultBudget
                        + "; use a positive duration such as Duration.ofMillis(500)");
            }
            if (!(fallbackReserve >= 0 && fallbackReserve < 1)) {
                throw new InvalidOptionException("fallback reserve is " + fallbackReserve
                        + "; use a share of the budget in [0, 1), such as 0.25");
            }
            if (workers < 1 || queueCapacity < 1) {
                throw new InvalidOptionException("workers = " + workers + ", queue capacity = " + queueCapacity
                        + "; both must be at least 1");
            }
            if (breakerPolicy == null || clock == null || resultRetention == null || resultRetention.isNegative()) {
                throw new InvalidOptionException("breaker policy, clock and a non-negative result retention are "
                        + "required; leave them unset for the defaults");
            }
            return new Explainer(this, chain, cache != null ? cache : ExplanationCache.builder().build());
        }
    }
}
