package io.attrib4j.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.GradientModel;
import io.attrib4j.testkit.ToyModels;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * The Redis explanation cache against a real redis-server on 127.0.0.1 ({@link ThrowawayRedis}, started on a free
 * port for this class). Never skipped: without a server the class fails with the fix ({@code .ci/run} installs
 * Debian's {@code redis-server} when it is missing). Each test uses its own key prefix.
 */
class RedisExplanationCacheTest {
    static final double[][] W2 = {{1, 1, 1, 1}, {-1, -1, 5, 2}, {0, 0, 0, 0}};
    static ThrowawayRedis server;
    static String whyNot;

    @BeforeAll
    static void startRedis() {
        ThrowawayRedis.Result r = ThrowawayRedis.start();
        server = r.server();
        whyNot = r.whyNot();
        assertNotNull(server, () -> "RedisExplanationCacheTest needs a Redis server and could not start one: " + whyNot);
    }

    @AfterAll
    static void stopRedis() {
        if (server != null) {
            server.close();
        }
    }

    static RedisExplanationCache.Builder cache(String prefix) {
        return RedisExplanationCache.builder().setUri(server.url()).optKeyPrefix("test:" + prefix + ":");
    }

    static Explainer explainer(GradientModel model, FakeMethod method, ExplanationStore store) {
        return Explainer.builder().setModel(model).optChain(java.util.List.of(method.step())).optWorkers(1)
                .optCache(store).build();
    }

    static Tensor x() {
        return ExplainerTest.x();
    }

    @Test
    void aSecondReplicaServesWhatTheFirstComputedAndANewModelVersionComputesAgain() {
        Target t1 = Target.classIndex(1);
        FakeMethod m1 = FakeMethod.fast("grad");
        FakeMethod m2 = FakeMethod.fast("grad");
        FakeMethod mV2 = FakeMethod.fast("grad");
        // three replicas, each with its own connection pool, sharing one Redis
        try (RedisExplanationCache c1 = cache("replicas").build(); RedisExplanationCache c2 = cache("replicas").build();
                RedisExplanationCache c3 = cache("replicas").build();
                Explainer e1 = explainer(FakeMethod.versioned(ToyModels.linear(ExplainerTest.W, ExplainerTest.C),
                        "hash-v1"), m1, c1);
                Explainer e2 = explainer(FakeMethod.versioned(ToyModels.linear(ExplainerTest.W, ExplainerTest.C),
                        "hash-v1"), m2, c2);
                Explainer eV2 = explainer(FakeMethod.versioned(ToyModels.linear(W2, ExplainerTest.C), "hash-v2"),
                        mV2, c3)) {
            ExplainResponse first = e1.explain(ExplainRequest.of(x()).withTarget(t1));
            assertEquals(Source.LIVE, first.source());
            ExplainResponse second = e2.explain(ExplainRequest.of(x()).withTarget(t1));
            assertEquals(Source.CACHE, second.source());
            assertEquals(0, m2.calls.get(), "the second replica computed nothing");
            Attribution a1 = first.attribution().orElseThrow();
            Attribution a2 = second.attribution().orElseThrow();
            // the gradient of a linear model's output 1 is W[1], bit for bit what the first replica computed
            assertArrayEquals(ExplainerTest.row(ExplainerTest.W[1]), a2.values().data(), 1e-6f);
            assertArrayEquals(ExplanationCodecTest.bits(a1.values().data()),
                    ExplanationCodecTest.bits(a2.values().data()));
            assertEquals(a1.provenance(), a2.provenance());

            ExplainResponse newVersion = eV2.explain(ExplainRequest.of(x()).withTarget(t1));
            assertEquals(Source.LIVE, newVersion.source(), "a new model version must not get v1's explanation");
            assertEquals(1, mV2.calls.get());
            assertArrayEquals(ExplainerTest.row(W2[1]), newVersion.attribution().orElseThrow().values().data(), 1e-6f);
            // and v1's entry is still there: the key, not an empty cache, kept v2 out
            assertEquals(Source.CACHE, e2.explain(ExplainRequest.of(x()).withTarget(t1)).source());
            assertEquals(0, c1.errors() + c2.errors() + c3.errors());
        }
    }

    /**
     * Two replicas, each with its own cache client on the same Redis, one upgraded to model v2 while the other still
     * serves v1: each replica only ever gets its own version's explanation (the values tell which model made them),
     * whichever replica computed and cached it.
     */
    @Test
    void aNewModelVersionIsNeverServedAnOldExplanationAcrossTwoCacheClients() {
        Target t1 = Target.classIndex(1);
        float[] v1 = ExplainerTest.row(ExplainerTest.W[1]);
        float[] v2 = ExplainerTest.row(W2[1]);
        try (RedisExplanationCache clientA = cache("upgrade").build();
                RedisExplanationCache clientB = cache("upgrade").build();
                Explainer oldA = explainer(FakeMethod.versioned(ToyModels.linear(ExplainerTest.W, ExplainerTest.C),
                        "hash-v1"), FakeMethod.fast("grad"), clientA);
                Explainer newB = explainer(FakeMethod.versioned(ToyModels.linear(W2, ExplainerTest.C), "hash-v2"),
                        FakeMethod.fast("grad"), clientB);
                Explainer oldOnB = explainer(FakeMethod.versioned(ToyModels.linear(ExplainerTest.W, ExplainerTest.C),
                        "hash-v1"), FakeMethod.fast("grad"), clientB);
                Explainer newOnA = explainer(FakeMethod.versioned(ToyModels.linear(W2, ExplainerTest.C), "hash-v2"),
                        FakeMethod.fast("grad"), clientA)) {
            ExplainResponse a = oldA.explain(ExplainRequest.of(x()).withTarget(t1));
            assertEquals(Source.LIVE, a.source());
            assertArrayEquals(v1, a.attribution().orElseThrow().values().data(), 1e-6f);
            ExplainResponse b = newB.explain(ExplainRequest.of(x()).withTarget(t1));
            assertEquals(Source.LIVE, b.source(), "v2 on client B must not get v1's cached explanation");
            assertArrayEquals(v2, b.attribution().orElseThrow().values().data(), 1e-6f);
            // both versions now cached; each client serves each version its own entry
            ExplainResponse oldViaB = oldOnB.explain(ExplainRequest.of(x()).withTarget(t1));
            assertEquals(Source.CACHE, oldViaB.source());
            assertArrayEquals(v1, oldViaB.attribution().orElseThrow().values().data(), 1e-6f);
            ExplainResponse newViaA = newOnA.explain(ExplainRequest.of(x()).withTarget(t1));
            assertEquals(Source.CACHE, newViaA.source());
            assertArrayEquals(v2, newViaA.attribution().orElseThrow().values().data(), 1e-6f);
            assertEquals(0, clientA.errors() + clientB.errors());
        }
    }

    @Test
    void keysCarryTheModelHashAndEntriesExpire() {
        try (RedisExplanationCache c = cache("ttl").optTimeToLive(Duration.ofSeconds(30)).build()) {
            ExplanationStore.Key k1 = new ExplanationStore.Key("hash-v1", "grad{}", "input");
            ExplanationStore.Key k2 = new ExplanationStore.Key("hash-v2", "grad{}", "input");
            assertTrue(new String(c.redisKey(k1), StandardCharsets.UTF_8).startsWith("test:ttl:hash-v1:"));
            assertNotEquals(new String(c.redisKey(k1), StandardCharsets.UTF_8),
                    new String(c.redisKey(k2), StandardCharsets.UTF_8));
            assertEquals(-2, c.millisToLive(k1), "absent before the put");
            c.put(k1, new Attribution(Tensor.of(new float[] {1, 2}, 1, 2), null, ExplanationCodecTest.provenance(1L)));
            long ttl = c.millisToLive(k1);
            assertTrue(ttl > 0 && ttl <= 30_000, "time to live " + ttl + " ms");
            assertTrue(c.get(k1).isPresent());
            assertFalse(c.get(k2).isPresent());
        }
    }

    @Test
    void anUnreadableEntryIsAMissNotAnError() {
        try (RedisExplanationCache c = cache("corrupt").build(); JedisPooled raw = new JedisPooled(
                java.net.URI.create(server.url()))) {
            ExplanationStore.Key k = new ExplanationStore.Key("hash-v1", "grad{}", "input");
            raw.set(c.redisKey(k), "written by something else".getBytes(StandardCharsets.UTF_8));
            assertFalse(c.get(k).isPresent());
            assertEquals(1, c.errors());
        }
    }

    @Test
    void aRedisThatIsDownDegradesToNoCacheAndStopsBeingTried() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        } // nothing listens there now
        FakeMethod m = FakeMethod.fast("grad");
        try (RedisExplanationCache down = RedisExplanationCache.builder().setUri("redis://127.0.0.1:" + closedPort)
                .optBreakerPolicy(CircuitBreakerPolicy.builder().optFailureThreshold(3)
                        .optCoolDown(Duration.ofMinutes(10)).build()).build();
                Explainer e = explainer(ToyModels.linear(ExplainerTest.W, ExplainerTest.C), m, down)) {
            for (int i = 0; i < 4; i++) {
                ExplainResponse r = e.explain(ExplainRequest.of(x()));
                assertEquals(Source.LIVE, r.source(), "no cache, every request computed");
                assertArrayEquals(ExplainerTest.row(ExplainerTest.W[1]), r.attribution().orElseThrow().values().data(),
                        1e-6f);
            }
            assertEquals(4, m.calls.get());
            // a get and a put per request: the breaker opened after 3 errors, later calls never reached the socket
            assertEquals(3, down.errors());
        }
    }

    @Test
    void aUriThatIsNotRedisIsRefusedWithTheFix() {
        for (String bad : new String[] {"127.0.0.1:6379", "http://127.0.0.1:6379", "redis://127.0.0.1", "redis://"}) {
            InvalidOptionException e = assertThrows(InvalidOptionException.class,
                    () -> RedisExplanationCache.builder().setUri(bad).build(), bad);
            assertTrue(e.getMessage().contains("redis://host:port"), e.getMessage());
        }
        assertThrows(InvalidOptionException.class, () -> RedisExplanationCache.builder()
                .setUri("redis://127.0.0.1:6379").optTimeToLive(Duration.ZERO).build());
    }
}
