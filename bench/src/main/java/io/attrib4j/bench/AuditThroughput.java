package io.attrib4j.bench;

import io.attrib4j.serving.AuditEntry;
import io.attrib4j.serving.AuditTrail;
import io.attrib4j.serving.Checkpoint;
import io.attrib4j.serving.CheckpointLog;
import io.attrib4j.serving.ServeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Audited records per second with durable commits and checkpoint signing on, as the server appends them:
 * {@code threads} callers each appending and waiting for its record's commit (group commit batches them).
 * Prints the rate of every tenth of the run, so a rate falling with the table's size shows.
 *
 * <pre>java -cp ... io.attrib4j.bench.AuditThroughput DB RECORDS THREADS   (DB: H2 path or JDBC URL)</pre>
 */
public final class AuditThroughput {
    private AuditThroughput() {}

    public static void main(String[] args) throws Exception {
        String db = args[0];
        long records = Long.parseLong(args[1]);
        int threads = Integer.parseInt(args[2]);
        Path keys = Files.createTempDirectory("attrib4j-keys");
        Checkpoint.generateKeys(keys);
        Path log = Files.createTempDirectory("attrib4j-cp").resolve("checkpoints.jsonl");
        AtomicLong next = new AtomicLong();
        long window = Math.max(1, records / 10);
        try (AuditTrail trail = ServeConfig.openAudit(db).startSigning(Checkpoint.readPrivateKey(
                keys.resolve("audit.key")), CheckpointLog.open(log))) {
            long[] windowStart = {System.nanoTime()};
            long start = windowStart[0];
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            for (int t = 0; t < threads; t++) {
                pool.execute(() -> {
                    long i;
                    while ((i = next.incrementAndGet()) <= records) {
                        trail.append(new AuditEntry("req-" + i, "2026-03-01T00:00:00Z", "model-" + (i % 7), "0.1.0",
                                "ig(steps=32, rule=gausslegendre)", "{\"steps\":32}", null,
                                "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "[" + (i % 2) + "]",
                                "[[3,0.41],[1,-0.22],[0,0.05]]", 1e-4, 1500L, "LIVE"));
                        if (i % window == 0) {
                            synchronized (windowStart) {
                                long now = System.nanoTime();
                                System.out.printf("%,d records: %,.0f records/s over the last %,d%n", i,
                                        window / ((now - windowStart[0]) / 1e9), window);
                                windowStart[0] = now;
                            }
                        }
                    }
                });
            }
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.DAYS);
            System.out.printf("total: %,d records in %.1f s = %,.0f records/s (%d threads, durable, signed)%n", records,
                    (System.nanoTime() - start) / 1e9, records / ((System.nanoTime() - start) / 1e9), threads);
        }
        System.out.println("checkpoints: " + CheckpointLog.read(log).size() + " in " + log);
    }
}
