package io.attrib4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditSigningCommandTest {
    @TempDir
    Path dir;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
        return Main.execute(new PrintWriter(out), new PrintWriter(err), args);
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
}
