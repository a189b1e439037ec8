package io.attrib4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.export.Npy;
import io.attrib4j.serving.AuditEntry;
import io.attrib4j.serving.AuditTrail;
import io.attrib4j.serving.Checkpoint;
import io.attrib4j.serving.CheckpointLog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditDriftCommandTest {
    @TempDir
    Path dir;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
        return Main.execute(new PrintWriter(out), new PrintWriter(err), args);
    }

    @Test
    void verifyPassesThenNamesTheFirstEditedRecordAndReportIsWritten() throws Exception {
        Path db = dir.resolve("audit");
        try (AuditTrail t = AuditTrail.h2(db)) {
            for (int i = 1; i <= 3; i++) {
                t.append(new AuditEntry("r" + i, "2026-03-01T10:00:0" + i + "Z", "m", "0.1.0", "IG", "{}", null, "h",
                        "[" + (i % 2) + "]", "[]", null, 1000L * i, "LIVE"));
            }
        }
        assertEquals(0, run("audit", "verify", "--db", db.toString()), err.toString());
        assertTrue(out.toString().contains("intact: 3 records"), out.toString());
        assertEquals(0, run("audit", "report", "--db", db.toString(), "--from", "2026-03-01T00:00:00Z", "--to",
                "2026-03-02T00:00:00Z", "--out", dir.resolve("report").toString()), err.toString());
        // classes 1, 0, 1 with class 1 adverse
        assertTrue(Files.readString(dir.resolve("report/audit-report.json")).contains("\"adverseDecisions\" : 2"));
        assertTrue(Files.readString(dir.resolve("report/audit-report.html")).contains("<td>66.67 %</td>"));
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + db.toAbsolutePath(), "sa", "");
                Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE audit_log SET prediction = '[5]' WHERE seq = 2");
        }
        assertEquals(Main.EXIT_FAILURE, run("audit", "verify", "--db", db.toString()));
        assertTrue(err.toString().contains("BROKEN at record 2"), err.toString());
    }

    @Test
    void keygenThenVerifyWithThePublicKeyCatchesTruncation() throws Exception {
        assertEquals(0, run("audit", "keygen", "--out", dir.resolve("keys").toString()), err.toString());
        assertTrue(Files.exists(dir.resolve("keys/audit.pub")));
        Path db = dir.resolve("audit");
        Path log = dir.resolve("cp/checkpoints.jsonl");
        try (AuditTrail t = AuditTrail.h2(db).startSigning(Checkpoint.readPrivateKey(dir.resolve("keys/audit.key")),
                CheckpointLog.open(log))) {
            for (int i = 1; i <= 5; i++) {
                t.append(new AuditEntry("r" + i, "2026-03-01T10:00:0" + i + "Z", "m", "0.1.0", "ig(steps=32)", "{}",
                        null, "h", "[1]", "[]", null, 1000L, "LIVE"));
            }
        }
        String[] verify = {"audit", "verify", "--db", db.toString(), "--public-key",
            dir.resolve("keys/audit.pub").toString(), "--checkpoints", log.toString()};
        assertEquals(0, run(verify), err.toString());
        assertTrue(out.toString().contains("records 1..5 match the newest checkpoint"), out.toString());
        try (Connection c = DriverManager.getConnection(AuditTrail.h2Url(db), "sa", "");
                Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM audit_log WHERE seq >= 4");
        }
        assertEquals(0, run("audit", "verify", "--db", db.toString()), "the chain alone cannot see it");
        assertEquals(Main.EXIT_FAILURE, run(verify));
        assertTrue(err.toString().contains("BROKEN at record 4: records 4..5 were deleted"), err.toString());
    }

    @Test
    void driftFlagsThePlantedFeature() throws Exception {
        SplittableRandom rng = new SplittableRandom(5);
        float[] ref = new float[2000 * 3];
        float[] win = new float[2000 * 3];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = (float) rng.nextDouble();
            win[i] = (float) rng.nextDouble() + (i % 3 == 1 ? 2 : 0); // feature 1 shifted
        }
        Npy.write(dir.resolve("ref.npy"), Tensor.of(ref, 2000, 3));
        Npy.write(dir.resolve("win.npy"), Tensor.of(win, 2000, 3));
        assertEquals(0, run("drift", "--reference", dir.resolve("ref.npy").toString(), "--window",
                dir.resolve("win.npy").toString(), "--out", dir.resolve("drift").toString()), err.toString());
        assertTrue(out.toString().contains("drifted: [feature 1]"), out.toString());
        assertTrue(Files.readString(dir.resolve("drift/drift.html")).contains("data:image/png;base64,"));
        assertTrue(Files.exists(dir.resolve("drift/drift.json")));
    }
}
