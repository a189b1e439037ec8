package io.attrib4j.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tampering the database alone cannot hide, once checkpoints are signed into a log kept apart from it. */
class AuditSigningTest {
    @TempDir
    Path dir;
    KeyPair keys;
    Path db;
    Path log;

    @BeforeEach
    void tenSignedRecords() {
        keys = Checkpoint.generateKeys(dir.resolve("keys"));
        db = dir.resolve("audit");
        log = dir.resolve("elsewhere/checkpoints.jsonl");
        // two sessions, so the log holds checkpoints at 4 and at 10 records (and 0 at the first start)
        for (int[] range : new int[][] {{1, 4}, {5, 10}}) {
            try (AuditTrail t = open()) {
                for (int i = range[0]; i <= range[1]; i++) {
                    assertEquals(i, t.append(AuditTrailTest.entry(i)));
                }
            }
        }
    }

    private AuditTrail open() {
        return AuditTrail.h2(db).startSigning(Checkpoint.readPrivateKey(dir.resolve("keys/audit.key")),
                CheckpointLog.open(log));
    }

    private AuditTrail.Verification verify(String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection(AuditTrail.h2Url(db), "sa", ""); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.executeUpdate(statement);
            }
        }
        try (AuditTrail t = AuditTrail.h2(db)) {
            return t.verify(Checkpoint.readPublicKey(dir.resolve("keys/audit.pub")), CheckpointLog.read(log));
        }
    }

    @Test
    void anUntouchedTrailVerifiesAgainstItsCheckpoints() throws Exception {
        List<Checkpoint> cps = CheckpointLog.read(log);
        assertEquals(List.of(0L, 4L, 4L, 10L), cps.stream().map(Checkpoint::treeSize).toList());
        AuditTrail.Verification v = verify();
        assertTrue(v.ok(), v.reason());
        assertEquals(10, v.recordsChecked());
    }

    @Test
    void anEditedFieldIsNamed() throws Exception {
        AuditTrail.Verification v = verify("UPDATE audit_log SET prediction = '[2]' WHERE seq = 3");
        assertEquals(Optional.of(3L), v.firstBadRecord());
        assertTrue(v.reason().contains("record 3 (request req-3) was edited"), v.reason());
    }

    @Test
    void aDeletedMiddleRecordIsNamed() throws Exception {
        AuditTrail.Verification v = verify("DELETE FROM audit_log WHERE seq = 6");
        assertEquals(Optional.of(6L), v.firstBadRecord());
        assertTrue(v.reason().contains("record 6 is missing"), v.reason());
    }

    @Test
    void deletingTheNewestRecordsIsCaught() throws Exception {
        AuditTrail.Verification v = verify("DELETE FROM audit_log WHERE seq > 7");
        assertEquals(Optional.of(8L), v.firstBadRecord());
        assertTrue(v.reason().startsWith("records 8..10 were deleted"), v.reason());
    }

    @Test
    void deletingEveryRecordIsCaught() throws Exception {
        AuditTrail.Verification v = verify("DELETE FROM audit_log");
        assertFalse(v.ok());
        assertTrue(v.reason().startsWith("every record was deleted"), v.reason());
    }

    @Test
    void aRewriteWithRecomputedHashesIsCaughtAndPlaced() throws Exception {
        try (Connection c = DriverManager.getConnection(AuditTrail.h2Url(db), "sa", "")) {
            String prev;
            try (AuditTrail t = AuditTrail.h2(db)) {
                List<AuditTrail.Record> records = t.records();
                prev = chainHashOf(records, 6); // hash of record 6, kept
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE audit_log SET prediction = ?, prev_hash = ?, hash = ? WHERE seq = ?")) {
                    for (AuditTrail.Record r : records.subList(6, 10)) { // records 7..10, re-chained
                        AuditEntry e = r.entry();
                        AuditEntry forged = r.seq() == 7 ? new AuditEntry(e.requestId(), e.time(), e.modelHash(),
                                e.libraryVersion(), e.method(), e.optionsJson(), e.seed(), e.inputHash(), "[0]",
                                e.topK(), e.delta(), e.latencyMicros(), e.source()) : e;
                        String hash = AuditTrail.chainHash(prev, forged);
                        ps.setString(1, forged.prediction());
                        ps.setString(2, prev);
                        ps.setString(3, hash);
                        ps.setLong(4, r.seq());
                        ps.executeUpdate();
                        prev = hash;
                    }
                }
            }
        }
        try (AuditTrail t = AuditTrail.h2(db)) {
            assertTrue(t.verify().ok(), "the chain alone cannot see a re-chained rewrite");
        }
        AuditTrail.Verification v = verify();
        assertEquals(Optional.of(5L), v.firstBadRecord());
        assertTrue(v.reason().startsWith("records 5..10 were rewritten"), v.reason());
    }

    private static String chainHashOf(List<AuditTrail.Record> records, int seq) {
        String prev = AuditTrail.GENESIS;
        for (AuditTrail.Record r : records.subList(0, seq)) {
            prev = AuditTrail.chainHash(prev, r.entry());
        }
        return prev;
    }

    @Test
    void anotherKeyDoesNotVerify() throws Exception {
        Checkpoint.generateKeys(dir.resolve("other"));
        try (AuditTrail t = AuditTrail.h2(db)) {
            AuditTrail.Verification v = t.verify(Checkpoint.readPublicKey(dir.resolve("other/audit.pub")),
                    CheckpointLog.read(log));
            assertTrue(v.reason().contains("bad signature"), v.reason());
        }
    }

    @Test
    void aDecisionProofChecksWithoutTheDatabase() {
        DecisionProof proof;
        try (AuditTrail t = open()) {
            proof = t.proof(t.records("req-7").get(0));
        }
        DecisionProof carried = DecisionProof.fromJson(proof.toJson()); // what a third party receives
        assertEquals(Optional.empty(), carried.verify(keys.getPublic()));
        DecisionProof forged = new DecisionProof(carried.seq(), carried.record().replace("\"[1]\"", "\"[0]\""),
                carried.treeSize(), carried.path(), carried.root(), carried.checkpoint());
        assertTrue(forged.verify(keys.getPublic()).orElseThrow().contains("not in the signed tree"));
    }
}
