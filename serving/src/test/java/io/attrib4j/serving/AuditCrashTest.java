package io.attrib4j.serving;

import static io.attrib4j.serving.HttpClients.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server process under load from 4 clients, killed with SIGKILL ({@link Process#destroyForcibly()} on
 * Linux) once 200 answers were acknowledged, then restarted on the same files: every request that got a 200 is
 * served by {@code GET /v1/decisions/{id}} with the record number it was acknowledged with, new records get
 * numbers never handed out before, and the trail verifies against its signed checkpoints. Runs once; more with
 * {@code -Dattrib4j.crash.runs=20}.
 */
class AuditCrashTest {
    static final int CLIENTS = 4;
    static final int ACKNOWLEDGED_BEFORE_KILL = 200;

    @TempDir
    Path dir;

    @Test
    void noAcknowledgedRecordIsLostOrRenumberedBySigkill() throws Exception {
        Checkpoint.generateKeys(dir.resolve("keys"));
        int runs = Integer.getInteger("attrib4j.crash.runs", 1);
        Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        for (int run = 0; run < runs; run++) {
            long t0 = System.nanoTime(); // for the printed diagnostics only; nothing asserts on time
            Process server = start(run);
            int before = acknowledged.size();
            try {
                int port = port(run, server);
                System.out.printf("crash run %d: server up after %.1f s%n", run + 1, (System.nanoTime() - t0) / 1e9);
                load(port, acknowledged, server);
            } finally {
                server.destroyForcibly(); // SIGKILL
                server.waitFor(30, TimeUnit.SECONDS);
            }
            System.out.printf("crash run %d: %d answers acknowledged before SIGKILL, %.1f s%n", run + 1,
                    acknowledged.size() - before, (System.nanoTime() - t0) / 1e9);
        }
        Process server = start(runs);
        try {
            HttpClients http = new HttpClients(port(runs, server), null);
            long newest = 0;
            for (Map.Entry<String, Long> a : acknowledged.entrySet()) {
                HttpResponse<String> r = http.get("/v1/decisions/" + a.getKey());
                assertEquals(200, r.statusCode(), "acknowledged request " + a.getKey() + " was lost: " + r.body());
                JsonNode records = json(r).get("records");
                assertEquals(1, records.size());
                assertEquals(a.getValue(), records.get(0).get("seq").asLong(), "request " + a.getKey()
                        + " was acknowledged with record " + a.getValue() + " but the trail has it elsewhere");
                newest = Math.max(newest, a.getValue());
            }
            Set<Long> handedOut = new HashSet<>(acknowledged.values());
            assertEquals(acknowledged.size(), handedOut.size(), "two acknowledged requests share a record number");
            for (int i = 0; i < 20; i++) {
                JsonNode a = json(http.post("/v1/explain", body(new SplittableRandom(-1 - i))));
                long seq = a.get("auditRecord").asLong();
                assertTrue(seq > newest && handedOut.add(seq), "record number " + seq + " was handed out before");
            }
        } finally {
            server.destroy(); // SIGTERM: signs a last checkpoint
            assertTrue(server.waitFor(120, TimeUnit.SECONDS), "the server did not stop on SIGTERM");
            System.out.println("last server's log:\n" + CrashTestServer.log(dir, "" + runs));
        }
        try (AuditTrail t = AuditTrail.h2(dir.resolve("audit"))) {
            AuditTrail.Verification v = t.verify(Checkpoint.readPublicKey(dir.resolve("keys/audit.pub")),
                    CheckpointLog.read(dir.resolve("checkpoints.jsonl")));
            assertTrue(v.ok(), v.reason());
            System.out.printf("after %d SIGKILLs: %d acknowledged, all served from the trail; %d records; %s%n", runs,
                    acknowledged.size(), v.recordsChecked(), v.reason());
        }
    }

    private Process start(int run) throws Exception {
        return CrashTestServer.start(dir, dir.resolve("audit").toString(), dir.resolve("checkpoints.jsonl"), "" + run);
    }

    private int port(int run, Process server) throws Exception {
        return CrashTestServer.port(dir, "" + run, server);
    }

    static String body(SplittableRandom rng) {
        return "{\"model\": \"m\", \"input\": [[" + rng.nextInt(1000) + ", " + rng.nextInt(1000) + ", "
                + rng.nextInt(1000) + ", " + rng.nextInt(1000) + "]]}";
    }

    /** Clients post until {@link #ACKNOWLEDGED_BEFORE_KILL} more answers were acknowledged, then the kill. */
    private static void load(int port, Map<String, Long> acknowledged, Process server) throws Exception {
        HttpClients http = new HttpClients(port, null);
        int target = acknowledged.size() + ACKNOWLEDGED_BEFORE_KILL;
        AtomicBoolean killed = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            SplittableRandom rng = new SplittableRandom(System.nanoTime() + c);
            clients.execute(() -> {
                while (!killed.get()) {
                    try {
                        HttpResponse<String> r = http.post("/v1/explain", body(rng));
                        if (r.statusCode() == 200) {
                            JsonNode a = json(r);
                            acknowledged.put(a.get("requestId").asText(), a.get("auditRecord").asLong());
                            if (acknowledged.size() >= target && killed.compareAndSet(false, true)) {
                                server.destroyForcibly(); // while the other clients' requests are in flight
                            }
                        }
                    } catch (RuntimeException e) { // the connection died with the server
                        if (!server.isAlive()) {
                            killed.set(true);
                        }
                    }
                }
            });
        }
        clients.shutdown();
        assertTrue(clients.awaitTermination(5, TimeUnit.MINUTES));
    }
}
