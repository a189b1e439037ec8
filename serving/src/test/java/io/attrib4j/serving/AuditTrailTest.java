package io.attrib4j.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Tensor;
import io.attrib4j.testkit.ToyModels;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditTrailTest {
    @TempDir
    Path dir;

    static AuditEntry entry(int i) {
        return new AuditEntry("req-" + i, "2026-03-01T00:00:0" + i + "Z", "model-v1", "0.1.0", "IntegratedGradients",
                "{\"steps\":32}", i % 2 == 0 ? null : (long) i, "input-" + i, "[" + (i % 3) + "]",
                "[[0," + i + ".5]]", i % 2 == 0 ? 1e-7 * i : null, 1000L + i, "LIVE");
    }

    private void fill(AuditTrail t, int n) {
        for (int i = 1; i <= n; i++) {
            assertEquals(i, t.append(entry(i)));
        }
    }

    private void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("audit").toAbsolutePath(), "sa", "");
                Statement s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }

    @Test
    void anIntactChainVerifiesAndSurvivesARestart() {
        try (AuditTrail t = AuditTrail.h2(dir.resolve("audit"))) {
            fill(t, 5);
            assertEquals(new AuditTrail.Verification(5, Optional.empty(), "chain intact"), t.verify());
        }
        try (AuditTrail t = AuditTrail.h2(dir.resolve("audit"))) { // a restart continues the same chain
            assertEquals(6, t.append(entry(6)));
            assertTrue(t.verify().ok());
            assertEquals(6, t.count());
            assertNotEquals(AuditTrail.GENESIS, t.head());
        }
    }

    /** Five records, then {@code statements} run behind the trail's back, then a verification. */
    private AuditTrail.Verification tamper(String... statements) throws Exception {
        try (AuditTrail t = AuditTrail.h2(dir.resolve("audit"))) {
            fill(t, 5);
        }
        for (String statement : statements) {
            sql(statement);
        }
        try (AuditTrail t = AuditTrail.h2(dir.resolve("audit"))) {
            return t.verify();
        }
    }

    @Test
    void anEditedRecordIsNamed() throws Exception {
        AuditTrail.Verification v = tamper("UPDATE audit_log SET prediction = '[2]' WHERE seq = 3");
        assertFalse(v.ok());
        assertEquals(Optional.of(3L), v.firstBadRecord());
        assertEquals(2, v.recordsChecked());
        assertTrue(v.reason().contains("edited"), v.reason());
    }

    @Test
    void aDeletedRecordIsNamed() throws Exception {
        AuditTrail.Verification v = tamper("DELETE FROM audit_log WHERE seq = 2");
        assertEquals(Optional.of(2L), v.firstBadRecord());
        assertTrue(v.reason().contains("missing"), v.reason());
    }

    @Test
    void aRenumberedDeletionBreaksTheLink() throws Exception {
        AuditTrail.Verification v = tamper("DELETE FROM audit_log WHERE seq = 2",
                "UPDATE audit_log SET seq = seq - 1 WHERE seq > 2");
        assertEquals(Optional.of(2L), v.firstBadRecord());
        assertTrue(v.reason().contains("does not link"), v.reason());
    }

    @Test
    void explainerAnswersAreAuditable() {
        try (AuditTrail t = AuditTrail.h2(dir.resolve("audit"));
                Explainer e = Explainer.builder().setModel(ToyModels.linear(ExplainerTest.W, ExplainerTest.C))
                        .optChain(List.of(FakeMethod.fast("grad").step())).build()) {
            ExplainResponse r = e.explain(ExplainRequest.of(ExplainerTest.x()));
            AuditEntry entry = AuditEntry.of(r, "input-hash", 2);
            assertEquals("[1]", entry.prediction());
            // the two largest |W[1]| entries: 3 at index 3, 1 at index 1 (tie with -1 at 2 goes to the lower index)
            assertEquals("[[3,3.0],[1,1.0]]", entry.topK());
            assertEquals("LIVE", entry.source());
            t.append(entry);
            assertTrue(t.verify().ok());
        }
    }

    @Test
    void postgresqlPassesTheSameChainTests() throws Exception {
        ThrowawayPostgres.Result pg = ThrowawayPostgres.start();
        if (pg.server() == null) {
            System.out.println("SKIPPED PostgreSQL audit tests: " + pg.whyNot());
            Assumptions.abort(pg.whyNot());
        }
        try (ThrowawayPostgres server = pg.server()) {
            chainTestsOn(server.url());
        }
    }

    private void chainTestsOn(String url) throws Exception {
        Supplier<AuditTrail> open = () -> AuditTrail.open(url, null, null);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS audit_log");
        } catch (java.sql.SQLException e) {
            System.out.println("SKIPPED PostgreSQL audit tests: " + url + " is not reachable: " + e.getMessage());
            Assumptions.abort("no PostgreSQL server reachable at " + url + " (" + e.getMessage() + ")");
        }
        try (AuditTrail t = open.get()) {
            fill(t, 4);
            assertTrue(t.verify().ok());
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE audit_log SET source = 'CACHE' WHERE seq = 3");
        }
        try (AuditTrail t = open.get()) {
            assertEquals(Optional.of(3L), t.verify().firstBadRecord());
            assertEquals(4, t.records().size());
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE audit_log SET source = 'LIVE' WHERE seq = 3");
            s.executeUpdate("DELETE FROM audit_log WHERE seq = 2");
        }
        try (AuditTrail t = open.get()) {
            AuditTrail.Verification v = t.verify();
            assertEquals(Optional.of(2L), v.firstBadRecord());
            assertTrue(v.reason().contains("missing"), v.reason());
        }
    }
}
