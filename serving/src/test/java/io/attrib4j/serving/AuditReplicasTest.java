package io.attrib4j.serving;

import static io.attrib4j.serving.HttpClients.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server processes appending to one real PostgreSQL (Debian's server on loopback, see
 * {@link ThrowawayPostgres}) under 8 concurrent clients: no answer but 200 (no collision on the sequence), every
 * record number handed out once, one trail that verifies against each replica's signed checkpoints.
 */
class AuditReplicasTest {
    static final int REQUESTS = 400;

    @TempDir
    Path dir;

    @Test
    void twoReplicasOnOnePostgresqlKeepOneVerifiableTrail() throws Exception {
        ThrowawayPostgres.Result pg = ThrowawayPostgres.start();
        if (pg.server() == null) {
            System.out.println("SKIPPED two-replica audit test: " + pg.whyNot());
            Assumptions.abort(pg.whyNot());
        }
        try (ThrowawayPostgres server = pg.server()) {
            try (Connection c = DriverManager.getConnection(server.url()); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS audit_log");
            }
            Checkpoint.generateKeys(dir.resolve("keys"));
            List<Process> replicas = new ArrayList<>();
            try {
                List<Integer> ports = new ArrayList<>();
                for (int r = 0; r < 2; r++) {
                    replicas.add(CrashTestServer.start(dir, server.url(), dir.resolve("checkpoints-" + r), "" + r));
                }
                for (int r = 0; r < 2; r++) {
                    ports.add(CrashTestServer.port(dir, "" + r, replicas.get(r)));
                }
                Map<String, Long> acknowledged = new ConcurrentHashMap<>();
                Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
                AtomicInteger next = new AtomicInteger();
                ExecutorService clients = Executors.newFixedThreadPool(8);
                for (int c = 0; c < 8; c++) {
                    HttpClients http = new HttpClients(ports.get(c % 2), null);
                    SplittableRandom rng = new SplittableRandom(c);
                    clients.execute(() -> {
                        while (next.incrementAndGet() <= REQUESTS) {
                            HttpResponse<String> r = http.post("/v1/explain", AuditCrashTest.body(rng));
                            statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                            if (r.statusCode() == 200) {
                                JsonNode a = json(r);
                                acknowledged.put(a.get("requestId").asText(), a.get("auditRecord").asLong());
                            }
                        }
                    });
                }
                clients.shutdown();
                assertTrue(clients.awaitTermination(5, TimeUnit.MINUTES));
                assertEquals(Map.of(200, REQUESTS), Map.copyOf(statuses.entrySet().stream().collect(
                        java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()))));
                assertEquals(REQUESTS, acknowledged.values().stream().distinct().count(), "a record number was reused");
                // each replica answers the other's decisions from the shared trail
                String someId = acknowledged.keySet().iterator().next();
                for (int port : ports) {
                    assertEquals(200, new HttpClients(port, null).get("/v1/decisions/" + someId).statusCode());
                }
            } finally {
                for (Process p : replicas) {
                    p.destroy(); // SIGTERM: each signs a last checkpoint
                }
                for (Process p : replicas) {
                    p.waitFor(60, TimeUnit.SECONDS);
                }
            }
            PublicKey key = Checkpoint.readPublicKey(dir.resolve("keys/audit.pub"));
            try (AuditTrail t = AuditTrail.open(server.url(), null, null)) {
                assertEquals(REQUESTS, t.count());
                for (int r = 0; r < 2; r++) {
                    AuditTrail.Verification v = t.verify(key, CheckpointLog.read(dir.resolve("checkpoints-" + r)));
                    assertTrue(v.ok(), v.reason());
                    System.out.println("replica " + r + ": " + v.reason());
                }
            }
        }
    }
}
