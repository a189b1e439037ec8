package io.attrib4j.serving;

import static io.attrib4j.serving.HttpClients.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.attrib4j.engine.Shape;
import io.attrib4j.testkit.ToyModels;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplanationServerTest {
    static final String GOOD = "{\"model\": \"toy\", \"input\": [[1, 2, -1, 0.5]]}";

    @TempDir
    Path dir;
    AuditTrail audit;
    Explainer explainer;
    ExplanationServer server;

    /** The linear toy of ExplainerTest behind a server; FakeMethod's attribution of class k is W[k]. */
    HttpClients start(FakeMethod method, int workers, int queue, String apiKey) {
        audit = AuditTrail.h2(dir.resolve("audit"));
        explainer = Explainer.builder().setModel(ToyModels.linear(ExplainerTest.W, ExplainerTest.C))
                .optChain(List.of(method.step())).optWorkers(workers).optQueueCapacity(queue).build();
        ReasonCodes codes = ReasonCodes.builder().setDictionary(Map.of(1, "too many inquiries", 3, "debt too high"))
                .optTopK(2).build();
        ExplanationServer.Builder b = ExplanationServer.builder().setAuditTrail(audit).optPort(0)
                .optMaxRequestBytes(4096).addModel(ServedModel.of("toy", Shape.of(4), explainer).withReasonCodes(codes));
        server = (apiKey == null ? b : b.optApiKey(apiKey)).build();
        return new HttpClients(server.port(), apiKey);
    }

    @AfterEach
    void stop() {
        server.close();
        explainer.close();
        audit.close();
    }

    @Test
    void explainsAuditsAndReportsMetrics() {
        HttpClients http = start(FakeMethod.fast("grad"), 2, 8, null);
        HttpResponse<String> r = http.post("/v1/explain", GOOD);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode a = json(r);
        assertEquals("live", a.get("source").asText());
        assertEquals(1, a.get("predictedClasses").get(0).asInt()); // OUT = (-1.4, 4.8, 0.8)
        assertEquals(4.8, a.get("output").get("data").get(1).asDouble(), 1e-5);
        JsonNode att = a.get("attribution");
        assertEquals("[1,4]", att.get("shape").toString());
        assertEquals("[0.5,1.0,-1.0,3.0]", att.get("data").toString()); // W[1]
        // reasons: positive attributions, largest first, through the dictionary
        assertEquals("debt too high", a.get("reasonCodes").get(0).get("reason").asText());
        assertEquals(0.5, a.get("reasonCodes").get(0).get("value").asDouble(), 0);
        assertEquals("too many inquiries", a.get("reasonCodes").get(1).get("reason").asText());
        assertEquals(2, a.get("reasonCodes").size());
        assertEquals(1, a.get("auditRecord").asLong());

        // the same question as flat data: served from the cache, audited too
        HttpResponse<String> flat = http.post("/v1/explain",
                "{\"model\": \"toy\", \"data\": [1, 2, -1, 0.5], \"shape\": [1, 4], \"budgetMs\": 500}");
        assertEquals(200, flat.statusCode(), flat.body());
        assertEquals("cache", json(flat).get("source").asText());

        List<AuditTrail.Record> records = audit.records();
        assertEquals(2, records.size());
        assertEquals(a.get("requestId").asText(), records.get(0).entry().requestId());
        assertEquals("LIVE", records.get(0).entry().source());
        assertEquals("CACHE", records.get(1).entry().source());
        assertTrue(audit.verify().ok());

        JsonNode models = json(http.get("/v1/models"));
        assertEquals("toy", models.get(0).get("name").asText());
        assertEquals("[4]", models.get(0).get("exampleShape").toString());
        assertEquals("ok", http.get("/health").body());
        String metrics = http.get("/metrics").body();
        assertTrue(metrics.contains("attrib4j_http_requests_total{status=\"200\"} 3"), metrics); // + /v1/models
        assertTrue(metrics.contains("attrib4j_cache_hits_total{model=\"toy\"} 1"), metrics);
        assertTrue(metrics.contains("attrib4j_explanations_total{model=\"toy\",source=\"live\"} 1"), metrics);
        assertTrue(metrics.contains("attrib4j_audit_records_total 2"), metrics);
        assertTrue(metrics.contains("attrib4j_request_duration_seconds_count 3"), metrics);
        assertTrue(metrics.contains("attrib4j_request_duration_seconds_bucket{le=\"+Inf\"} 3"), metrics);
        assertTrue(metrics.contains("attrib4j_circuit_breaker_state{model=\"toy\",chain=\"default\",step=\"grad\","
                + "state=\"closed\"} 1"), metrics);
        assertTrue(metrics.contains("attrib4j_queue_depth{model=\"toy\",chain=\"default\"} 0"), metrics);
    }

    @Test
    void badRequestsAreRefusedClearlyAndLeaveNoAuditRecord() {
        HttpClients http = start(FakeMethod.fast("grad"), 2, 8, null);
        assertRefused(http, "{\"model\": \"toy\", \"input\": [[1, 2", 400, "malformed JSON");
        assertRefused(http, "[1, 2]", 400, "JSON object");
        assertRefused(http, "{\"model\": \"toy\", \"input\": [[1, 2, 3]]}", 400, "takes examples of shape [4]");
        assertRefused(http, "{\"model\": \"toy\", \"input\": [1, 2, -1, 0.5]}", 400, "batch first");
        assertRefused(http, "{\"model\": \"toy\", \"input\": [[1, 2, 3, 4], [1, 2]]}", 400, "ragged");
        assertRefused(http, "{\"model\": \"toy\", \"input\": [[1, \"a\", 3, 4]]}", 400, "not a number");
        assertRefused(http, "{\"model\": \"toy\", \"data\": [1, 2, 3], \"shape\": [1, 4]}", 400, "needs 4");
        assertRefused(http, "{\"model\": \"toy\", \"input\": [[1, 2, -1, 0.5]], \"target\": 7}", 400, "7");
        assertRefused(http, "{\"model\": \"toy\", \"input\": [[1, 2, -1, 0.5]], \"budgetMs\": -3}", 400, "budgetMs");
        assertRefused(http, "{\"model\": \"toy\", \"input\": [[1, 2, -1, 0.5]], \"chain\": \"x\"}", 400, "chains are");
        assertRefused(http, "{\"model\": \"/etc/model.pt\", \"input\": [[1, 2, -1, 0.5]]}", 404, "unknown model");
        assertRefused(http, "{\"model\": \"toy\", \"input\": [[" + "1.0,".repeat(2000) + "1]]}", 413, "");
        assertEquals(404, http.get("/v1/explanations/nope").statusCode());
        assertEquals(0, audit.count());
        assertEquals(200, http.post("/v1/explain", GOOD).statusCode()); // still serving
        assertEquals(1, audit.count());
        String metrics = http.get("/metrics").body();
        assertTrue(metrics.contains("attrib4j_http_requests_total{status=\"400\"} 10"), metrics);
        assertTrue(metrics.contains("attrib4j_http_requests_total{status=\"413\"} 1"), metrics);
    }

    private static void assertRefused(HttpClients http, String body, int status, String fragment) {
        HttpResponse<String> r = http.post("/v1/explain", body);
        assertEquals(status, r.statusCode(), r.body());
        if (!fragment.isEmpty()) {
            String error = json(r).get("error").asText();
            assertTrue(error.contains(fragment), error);
        }
    }

    @Test
    void aFullQueueAnswers429WithRetryAfter() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpClients http = start(FakeMethod.blockedUntil("grad", started, release), 1, 1, null);
        CompletableFuture<HttpResponse<String>> first = http.postAsync("/v1/explain", GOOD); // holds the worker
        assertTrue(started.await(10, TimeUnit.SECONDS));
        CompletableFuture<HttpResponse<String>> second = http.postAsync("/v1/explain", GOOD); // fills the queue
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (explainer.queueDepth() < 1 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        HttpResponse<String> third = http.post("/v1/explain", GOOD);
        assertEquals(429, third.statusCode(), third.body());
        assertEquals("1", third.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(json(third).get("error").asText().contains("queue is full"));
        release.countDown();
        assertEquals(200, first.get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(200, second.get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(2, audit.count()); // the refused request wrote nothing
    }

    @Test
    void anApiKeyIsEnforced() {
        HttpClients keyed = start(FakeMethod.fast("grad"), 2, 8, "s3cret");
        HttpClients none = new HttpClients(server.port(), null);
        HttpClients wrong = new HttpClients(server.port(), "guess");
        assertEquals(401, none.post("/v1/explain", GOOD).statusCode());
        assertEquals(401, wrong.post("/v1/explain", GOOD).statusCode());
        assertEquals(401, none.get("/metrics").statusCode());
        assertEquals(401, none.get("/v1/models").statusCode());
        assertEquals(200, none.get("/health").statusCode());
        assertEquals(0, audit.count());
        assertEquals(200, keyed.post("/v1/explain", GOOD).statusCode());
        assertEquals(1, audit.count());
    }

    @Test
    void asyncAnswersAtOnceAndIsRetrievableAndAudited() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpClients http = start(FakeMethod.blockedUntil("grad", started, release), 2, 8, null);
        HttpResponse<String> r = http.post("/v1/explain", GOOD.replace("}", ", \"async\": true}"));
        assertEquals(202, r.statusCode(), r.body());
        JsonNode a = json(r);
        assertEquals("pending", a.get("source").asText());
        assertEquals(1, a.get("predictedClasses").get(0).asInt());
        String id = a.get("requestId").asText();
        assertEquals("pending", json(http.get("/v1/explanations/" + id)).get("source").asText());
        release.countDown();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (audit.count() < 2 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        JsonNode done = json(http.get("/v1/explanations/" + id));
        assertEquals("live", done.get("source").asText());
        assertEquals("[0.5,1.0,-1.0,3.0]", done.get("attribution").get("data").toString());
        List<AuditTrail.Record> records = audit.records();
        assertEquals(List.of("PENDING", "LIVE"), records.stream().map(x -> x.entry().source()).toList());
        assertTrue(records.stream().allMatch(x -> x.entry().requestId().equals(id)));
    }
}
