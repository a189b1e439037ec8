package io.attrib4j.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.InvalidTargetException;
import io.attrib4j.engine.ModelExecutionException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.GradientModel;
import io.attrib4j.testkit.ToyModels;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ExplainerTest {
    // F(x) = W x + c: output k of x = (1, 2, -1, 0.5) is W[k].x + c[k]
    static final double[][] W = {{1, 0, 2, -1}, {0.5, 1, -1, 3}, {-2, 1, 0, 1}};
    static final double[] C = {0.1, -0.2, 0.3};
    static final float[] X = {1, 2, -1, 0.5f};
    // W.x + c by hand: [1 - 2 - 0.5 + 0.1, 0.5 + 2 + 1 + 1.5 - 0.2, -2 + 2 + 0.5 + 0.3]
    static final float[] OUT = {-1.4f, 4.8f, 0.8f};

    static Tensor x() {
        return Tensor.of(X.clone(), 1, 4);
    }

    static float[] row(double[] w) {
        float[] f = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            f[i] = (float) w[i];
        }
        return f;
    }

    static Explainer.Builder explainer(GradientModel model, FallbackStep... chain) {
        return Explainer.builder().setModel(model).optChain(List.of(chain)).optWorkers(2);
    }

    @Test
    void predictsAndExplainsLiveThenFromCache() {
        FakeMethod m = FakeMethod.fast("grad");
        try (Explainer e = explainer(ToyModels.linear(W, C), m.step()).build()) {
            ExplainResponse first = e.explain(ExplainRequest.of(x()));
            assertEquals(Source.LIVE, first.source());
            assertArrayEquals(OUT, first.output().data(), 1e-6f);
            assertArrayEquals(new int[] {1}, first.predictedClasses());
            // the gradient of a linear model's output 1 is W[1]
            assertArrayEquals(row(W[1]), first.attribution().orElseThrow().values().data(), 1e-6f);
            assertEquals("grad", first.step().orElseThrow());

            ExplainResponse second = e.explain(ExplainRequest.of(x()));
            assertEquals(Source.CACHE, second.source());
            assertArrayEquals(row(W[1]), second.attribution().orElseThrow().values().data(), 1e-6f);
            assertEquals(1, m.calls.get());
            assertNotEquals(first.requestId(), second.requestId());

            // another target is another question: computed, not cached
            ExplainResponse other = e.explain(ExplainRequest.of(x()).withTarget(Target.classIndex(2)));
            assertEquals(Source.LIVE, other.source());
            assertArrayEquals(row(W[2]), other.attribution().orElseThrow().values().data(), 1e-6f);
        }
    }

    @Test
    void newModelVersionNeverGetsAnOldVersionsExplanation() {
        ExplanationCache shared = ExplanationCache.builder().build();
        double[][] w2 = {{1, 1, 1, 1}, {-1, -1, 5, 2}, {0, 0, 0, 0}};
        GradientModel v1 = FakeMethod.versioned(ToyModels.linear(W, C), "hash-v1");
        GradientModel v2 = FakeMethod.versioned(ToyModels.linear(w2, C), "hash-v2");
        Target t1 = Target.classIndex(1);
        try (Explainer e1 = explainer(v1, FakeMethod.fast("grad").step()).optCache(shared).build();
                Explainer e2 = explainer(v2, FakeMethod.fast("grad").step()).optCache(shared).build();
                Explainer e1Again = explainer(FakeMethod.versioned(ToyModels.linear(W, C), "hash-v1"),
                        FakeMethod.fast("grad").step()).optCache(shared).build()) {
            assertEquals(Source.LIVE, e1.explain(ExplainRequest.of(x()).withTarget(t1)).source());
            ExplainResponse fromV2 = e2.explain(ExplainRequest.of(x()).withTarget(t1));
            assertEquals(Source.LIVE, fromV2.source());
            assertArrayEquals(row(w2[1]), fromV2.attribution().orElseThrow().values().data(), 1e-6f);
            // same version, same cache: the entry is there, so the key (not an empty cache) kept v2 out
            ExplainResponse sameVersion = e1Again.explain(ExplainRequest.of(x()).withTarget(t1));
            assertEquals(Source.CACHE, sameVersion.source());
            assertArrayEquals(row(W[1]), sameVersion.attribution().orElseThrow().values().data(), 1e-6f);
        }
    }

    @Test
    void budgetBelowTheFirstStepsCostFallsBackAndIsMarkedDegraded() {
        FakeMethod slow = FakeMethod.sleeping("slow", 10_000);
        FakeMethod fast = FakeMethod.fast("fast");
        try (Explainer e = explainer(ToyModels.linear(W, C), slow.step(), fast.step()).build()) {
            ExplainRequest request = ExplainRequest.of(x()).withBudget(Duration.ofMillis(2000));
            ExplainResponse timedOut = e.explain(request);
            assertEquals(Source.DEGRADED, timedOut.source());
            assertEquals("fast", timedOut.step().orElseThrow());
            assertArrayEquals(row(W[1]), timedOut.attribution().orElseThrow().values().data(), 1e-6f);
            assertTrue(timedOut.attempts().get(0).startsWith("slow: timed out"), timedOut.reason());

            // its measured cost (the 1.5 s it was given, less the prediction) cannot fit the 450 ms a 600 ms budget
            // leaves it: skipped without running
            ExplainResponse skipped = e.explain(ExplainRequest.of(Tensor.of(new float[] {0, 0, 1, 1}, 1, 4))
                    .withBudget(Duration.ofMillis(600)));
            assertEquals(Source.DEGRADED, skipped.source());
            assertTrue(skipped.attempts().get(0).startsWith("slow: skipped, estimated cost"), skipped.reason());
            assertEquals(1, slow.calls.get());
        }
        assertEquals(1, slow.interrupted.get(), "the timed-out attribution is cancelled");
    }

    @Test
    void expectedCostSkipsAStepBeforeItHasRun() {
        FakeMethod slow = FakeMethod.fast("slow");
        FakeMethod fast = FakeMethod.fast("fast");
        try (Explainer e = explainer(ToyModels.linear(W, C), slow.step().withExpectedCost(Duration.ofSeconds(5)),
                fast.step()).build()) {
            ExplainResponse r = e.explain(ExplainRequest.of(x()).withBudget(Duration.ofSeconds(1)));
            assertEquals(Source.DEGRADED, r.source());
            assertEquals(0, slow.calls.get());
            // a larger budget lets it run
            ExplainResponse big = e.explain(ExplainRequest.of(x()).withBudget(Duration.ofSeconds(30)));
            assertEquals(Source.LIVE, big.source());
            assertEquals("slow", big.step().orElseThrow());
        }
    }

    @Test
    void circuitBreakerOpensAfterConsecutiveFailuresHalfOpensAfterCoolDownAndClosesOnSuccess() {
        AtomicBoolean failing = new AtomicBoolean(true);
        FakeMethod flaky = new FakeMethod("flaky", () -> {
            if (failing.get()) {
                throw new ModelExecutionException("model down");
            }
        });
        MutableClock clock = new MutableClock();
        CircuitBreakerPolicy policy = CircuitBreakerPolicy.builder().optFailureThreshold(2)
                .optCoolDown(Duration.ofSeconds(30)).build();
        try (Explainer e = explainer(ToyModels.linear(W, C), flaky.step(), FakeMethod.fast("fast").step())
                .optBreakerPolicy(policy).optClock(clock).build()) {
            for (int i = 0; i < 2; i++) {
                ExplainResponse r = e.explain(ExplainRequest.of(x()).withTarget(Target.classIndex(i)));
                assertEquals(Source.DEGRADED, r.source());
                assertTrue(r.attempts().get(0).startsWith("flaky: failed"), r.reason());
            }
            assertEquals(CircuitBreaker.State.OPEN, e.breakerStates().get("flaky"));
            ExplainResponse open = e.explain(ExplainRequest.of(x()).withTarget(Target.classIndex(2)));
            assertTrue(open.attempts().get(0).contains("circuit breaker open"), open.reason());
            assertEquals(2, flaky.calls.get(), "an open breaker does not call the method");

            clock.advance(Duration.ofSeconds(31));
            assertEquals(CircuitBreaker.State.HALF_OPEN, e.breakerStates().get("flaky"));
            // a failed trial opens it again for another cool-down
            e.explain(ExplainRequest.of(Tensor.of(new float[] {1, 1, 1, 1}, 1, 4)));
            assertEquals(3, flaky.calls.get());
            assertEquals(CircuitBreaker.State.OPEN, e.breakerStates().get("flaky"));

            clock.advance(Duration.ofSeconds(31));
            failing.set(false);
            ExplainResponse recovered = e.explain(ExplainRequest.of(Tensor.of(new float[] {2, 2, 2, 2}, 1, 4)));
            assertEquals(Source.LIVE, recovered.source());
            assertEquals(CircuitBreaker.State.CLOSED, e.breakerStates().get("flaky"));
        }
    }

    @Test
    void asyncReturnsThePredictionAtOnceAndTheExplanationLaterById() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FakeMethod blocked = FakeMethod.blockedUntil("blocked", started, release);
        try (Explainer e = explainer(ToyModels.linear(W, C), blocked.step()).optDefaultBudget(Duration.ofSeconds(30))
                .build()) {
            ExplainResponse pending = e.explainAsync(ExplainRequest.of(x()));
            assertEquals(Source.PENDING, pending.source());
            assertArrayEquals(OUT, pending.output().data(), 1e-6f);
            assertTrue(pending.attribution().isEmpty());
            assertTrue(started.await(10, TimeUnit.SECONDS));
            assertEquals(Source.PENDING, e.result(pending.requestId()).orElseThrow().source());

            release.countDown();
            ExplainResponse done = e.awaitResult(pending.requestId(), Duration.ofSeconds(10)).orElseThrow();
            assertEquals(Source.LIVE, done.source());
            assertEquals(pending.requestId(), done.requestId());
            assertArrayEquals(row(W[1]), done.attribution().orElseThrow().values().data(), 1e-6f);
            assertTrue(e.result("no-such-id").isEmpty());
        }
    }

    @Test
    void fullQueueRejectsWithOverloaded() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FakeMethod blocked = FakeMethod.blockedUntil("blocked", started, release);
        ExecutorService client = Executors.newSingleThreadExecutor();
        try (Explainer e = Explainer.builder().setModel(ToyModels.linear(W, C)).optChain(List.of(blocked.step()))
                .optWorkers(1).optQueueCapacity(1).optDefaultBudget(Duration.ofSeconds(30)).build()) {
            e.explainAsync(ExplainRequest.of(x())); // occupies the only worker
            assertTrue(started.await(10, TimeUnit.SECONDS));
            Future<ExplainResponse> queued = client.submit(() -> e.explain(ExplainRequest.of(x())));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (e.queueDepth() < 1 && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertEquals(1, e.queueDepth());
            OverloadedException over = assertThrows(OverloadedException.class, () -> e.explain(ExplainRequest.of(x())));
            assertTrue(over.getMessage().contains("retry later"), over.getMessage());
            release.countDown();
            assertEquals(Source.CACHE, queued.get(10, TimeUnit.SECONDS).source());
        } finally {
            client.shutdownNow();
        }
    }

    @Test
    void defaultChainOnATanhMlpIsIntegratedGradientsAndComplete() {
        ToyModels.Toy mlp = ToyModels.tanhMlp(5, 8, 3, 7);
        float[] in = {0.5f, -1f, 0.25f, 2f, -0.75f};
        try (Explainer e = Explainer.builder().setModel(mlp).optDefaultBudget(Duration.ofSeconds(60)).build()) {
            ExplainResponse r = e.explain(ExplainRequest.of(Tensor.of(in.clone(), 1, 5)));
            assertEquals(Source.LIVE, r.source());
            assertEquals("ig32", r.step().orElseThrow());
            int t = r.predictedClasses()[0];
            double[] xd = new double[in.length];
            for (int i = 0; i < in.length; i++) {
                xd[i] = in[i];
            }
            double change = mlp.outputOf(xd)[t] - mlp.outputOf(new double[in.length])[t];
            Attribution a = r.attribution().orElseThrow();
            assertEquals(change, a.values().rowSums()[0], 1e-4 * Math.max(1, Math.abs(change)));
            assertEquals(Map.of("steps", 32), Map.of("steps", a.provenance().parameters().get("steps")));
        }
    }

    @Test
    void concurrentCallersGetCorrectAnswers() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(6);
        try (Explainer e = explainer(ToyModels.linear(W, C), FakeMethod.fast("grad").step()).optQueueCapacity(256)
                .build()) {
            List<Future<ExplainResponse>> answers = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                int t = i % 3;
                answers.add(clients.submit(() -> e.explain(ExplainRequest.of(x()).withTarget(Target.classIndex(t)))));
            }
            for (int i = 0; i < answers.size(); i++) {
                ExplainResponse r = answers.get(i).get(30, TimeUnit.SECONDS);
                assertTrue(r.source() == Source.LIVE || r.source() == Source.CACHE, r.source().toString());
                assertArrayEquals(row(W[i % 3]), r.attribution().orElseThrow().values().data(), 1e-6f);
            }
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void badRequestsAndOptionsAreTypedErrors() {
        try (Explainer e = explainer(ToyModels.linear(W, C), FakeMethod.fast("grad").step()).build()) {
            assertThrows(InvalidInputException.class,
                    () -> e.explain(ExplainRequest.of(Tensor.of(new float[] {1, Float.NaN, 0, 0}, 1, 4))));
            InvalidTargetException t = assertThrows(InvalidTargetException.class,
                    () -> e.explain(ExplainRequest.of(x()).withTarget(Target.classIndex(7))));
            assertTrue(t.getMessage().contains("out of range"), t.getMessage());
        }
        assertThrows(InvalidInputException.class, () -> ExplainRequest.of(x()).withBudget(Duration.ZERO));
        assertThrows(InvalidOptionException.class, () -> Explainer.builder().build());
        assertThrows(InvalidOptionException.class,
                () -> Explainer.builder().setModel(ToyModels.linear(W, C)).optChain(List.of()).build());
        assertThrows(InvalidOptionException.class,
                () -> Explainer.builder().setModel(ToyModels.linear(W, C)).optFallbackReserve(1.0).build());
        assertThrows(InvalidOptionException.class, () -> Explainer.builder().setModel(ToyModels.linear(W, C))
                .optChain(List.of(FakeMethod.fast("a").step(), FakeMethod.fast("a").step())).build());
        assertThrows(InvalidOptionException.class, () -> CircuitBreakerPolicy.builder().optFailureThreshold(0).build());
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
