package io.attrib4j.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.models.zoo.Zoo;
import io.attrib4j.testkit.ToyModels;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 16 clients against the server on loopback for a bounded time; every answered 200 must have its audit
 * record, the chain must verify; then the server is stopped while clients run and restarted on the same
 * H2 file: the chain still verifies and no acknowledged request is missing. Every request carries a different
 * seeded random input, so the measurement is of live explanations, never of cache hits (asserted: no answer
 * comes from the cache).
 *
 * <p>The unit test runs 10 s with a small MLP. The closing-note measurement:
 * {@code mvn -o test -pl serving -am -Dtest=ServerLoadTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dattrib4j.load.seconds=60 -Dattrib4j.load.model=resnet18}
 */
class ServerLoadTest {
    static final int CLIENTS = 16;

    @TempDir
    Path dir;

    record Run(List<String> acknowledged, List<Double> latencyMillis, Map<String, Integer> sources, int refused,
            int failed, double seconds) {}

    @Test
    void sixteenClientsLoseNoAuditRecordEvenWhenTheServerStops() throws Exception {
        int seconds = Integer.getInteger("attrib4j.load.seconds", 10);
        boolean resnet = "resnet18".equals(System.getProperty("attrib4j.load.model", "mlp"));
        int imageSize = Integer.getInteger("attrib4j.load.imageSize", 224);
        Shape example = resnet ? Shape.of(3, imageSize, imageSize) : Shape.of(32);
        Path db = dir.resolve("audit");
        try (ForwardModel model = resnet ? Zoo.resnet18(1000, imageSize, 1) : ToyModels.tanhMlp(32, 64, 10, 7)) {
            Explainer.Builder eb = Explainer.builder().setModel(model).optWorkers(2).optQueueCapacity(64)
                    .optDefaultBudget(Duration.ofMillis(resnet ? 2000 : 200));
            Run steady;
            try (AuditTrail audit = AuditTrail.h2(db); Explainer explainer = eb.build();
                    ExplanationServer server = serve(audit, explainer, example)) {
                steady = load(server.port(), example, seconds * 1000L, null, 0);
                report(resnet ? "resnet18 " + example : "mlp " + example, steady);
                assertTrue(steady.acknowledged().size() > 0);
                assertTrue(steady.sources().keySet().stream().noneMatch(k -> k.startsWith("cache")),
                        "distinct inputs must all be computed, never served from the cache: " + steady.sources());
                assertEquals(steady.acknowledged().size(), audit.count(), "every 200 has exactly one audit row");
                assertTrue(audit.verify().ok(), audit.verify().reason());
            }
            Run stopped;
            try (AuditTrail audit = AuditTrail.h2(db); Explainer explainer = eb.build()) {
                ExplanationServer server = serve(audit, explainer, example);
                stopped = load(server.port(), example, Math.min(seconds, 10) * 1000L, server, CLIENTS); // closed halfway
                report("stopped mid-load", stopped);
            }
            try (AuditTrail reopened = AuditTrail.h2(db)) {
                AuditTrail.Verification v = reopened.verify();
                assertTrue(v.ok(), v.reason());
                Set<String> ids = reopened.records().stream().map(r -> r.entry().requestId()).collect(Collectors.toSet());
                assertTrue(ids.containsAll(steady.acknowledged()));
                assertTrue(ids.containsAll(stopped.acknowledged()), "an acknowledged request is missing after restart");
                // answers cut off by the stop were audited but never acknowledged: more rows than 200s is fine
                long unacknowledged = reopened.count() - steady.acknowledged().size() - stopped.acknowledged().size();
                assertTrue(unacknowledged >= 0);
                System.out.printf("load: %d audit rows, %d answered 200, %d audited but cut off by the stop; chain %s%n",
                        reopened.count(), steady.acknowledged().size() + stopped.acknowledged().size(), unacknowledged,
                        v.reason());
            }
        }
    }

    static ExplanationServer serve(AuditTrail audit, Explainer explainer, Shape example) {
        return ExplanationServer.builder().setAuditTrail(audit).optPort(0).optMaxRequestBytes(16L << 20)
                .addModel(ServedModel.of("m", example, explainer)).build();
    }

    /** A request for one example of uniform random numbers in [-1, 1] with 4 decimals, drawn from {@code rng}. */
    static String body(Shape example, SplittableRandom rng) {
        StringBuilder sb = new StringBuilder(8 * example.size() + 64).append("{\"model\": \"m\", \"data\": [");
        for (int i = 0; i < example.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(rng.nextInt(-10_000, 10_001) / 1e4);
        }
        sb.append("], \"shape\": [1");
        for (int d : example.dims()) {
            sb.append(", ").append(d);
        }
        return sb.append("]}").toString();
    }

    /**
     * {@link #CLIENTS} clients posting for {@code millis}, each request a fresh random input (client {@code c}
     * draws from seed {@code firstSeed + c}); with {@code stop}, the server is closed halfway.
     */
    static Run load(int port, Shape example, long millis, ExplanationServer stop, int firstSeed) throws Exception {
        HttpClients http = new HttpClients(port, null);
        List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        Map<String, Integer> sources = new ConcurrentSkipListMap<>();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long start = System.nanoTime();
        long end = start + TimeUnit.MILLISECONDS.toNanos(millis);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            SplittableRandom rng = new SplittableRandom(firstSeed + c);
            clients.execute(() -> {
                while (System.nanoTime() < end) {
                    String body = body(example, rng);
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.post("/v1/explain", body);
                        if (r.statusCode() == 200) {
                            latencies.add((System.nanoTime() - t0) / 1e6);
                            JsonNode answer = HttpClients.json(r);
                            acknowledged.add(answer.get("requestId").asText());
                            JsonNode step = answer.path("step"); // live/ig32, degraded/saliency, degraded (none)
                            sources.merge(answer.get("source").asText() + (step.isTextual() ? "/" + step.asText() : ""),
                                    1, Integer::sum);
                        } else if (r.statusCode() == 429) {
                            refused.incrementAndGet();
                            Thread.sleep(50);
                        } else {
                            failed.incrementAndGet();
                        }
                    } catch (RuntimeException e) { // connection refused or reset once the server stopped
                        failed.incrementAndGet();
                        sleepQuietly();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }
        if (stop != null) {
            Thread.sleep(millis / 2);
            stop.close();
        }
        clients.shutdown();
        assertTrue(clients.awaitTermination(millis + 60_000, TimeUnit.MILLISECONDS));
        return new Run(List.copyOf(acknowledged), List.copyOf(latencies), Map.copyOf(sources), refused.get(), failed.get(),
                (System.nanoTime() - start) / 1e9);
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void report(String what, Run run) {
        double[] sorted = run.latencyMillis().stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "load [%s]: %d clients, %.1f s, %d answered 200 (%.1f req/s), %d refused 429, "
                + "%d failed; latency p50 %.1f ms, p99 %.1f ms; sources %s%n", what, CLIENTS, run.seconds(),
                run.acknowledged().size(), run.acknowledged().size() / run.seconds(), run.refused(), run.failed(),
                AuditReport.percentile(sorted, 0.5), AuditReport.percentile(sorted, 0.99), run.sources());
    }
}
