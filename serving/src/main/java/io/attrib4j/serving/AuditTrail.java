package io.attrib4j.serving;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Append-only, hash-chained audit records of explanations over JDBC: each record stores
 * {@code prev_hash} and {@code hash = SHA-256(prev_hash + canonical JSON of the record)}, so editing or
 * deleting any record breaks the chain at that record. The same SQL runs on H2 (an embedded file, the
 * default, no server) and PostgreSQL. {@link #verify()} names the first bad record.
 *
 * <p>Appends are serialized in this object and made in one transaction each; the sequence number is the
 * primary key, so a second writer on the same table fails rather than forks the chain. Deleting the newest
 * records is only detectable against an externally kept head ({@link #head()}): publish it periodically.
 */
public final class AuditTrail implements AutoCloseable {
    static final String GENESIS = "0".repeat(64);
    private static final String COLUMNS = "seq, request_id, created_at, model_hash, library_version, method, "
            + "options_json, seed, input_hash, prediction, top_k, delta, latency_micros, source, prev_hash, hash";

    private final Connection connection;

    /** The outcome of {@link #verify()}. */
    public record Verification(long recordsChecked, Optional<Long> firstBadRecord, String reason) {
        public boolean ok() {
            return firstBadRecord.isEmpty();
        }
    }

    private AuditTrail(Connection connection) throws SQLException {
        this.connection = connection;
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS audit_log (seq BIGINT PRIMARY KEY, request_id VARCHAR(64) NOT NULL, "
                    + "created_at VARCHAR(40) NOT NULL, model_hash VARCHAR(128) NOT NULL, library_version VARCHAR(40) "
                    + "NOT NULL, method VARCHAR(128) NOT NULL, options_json VARCHAR(4000) NOT NULL, seed BIGINT, "
                    + "input_hash VARCHAR(64) NOT NULL, prediction VARCHAR(4000) NOT NULL, top_k VARCHAR(8000) NOT NULL, "
                    + "delta DOUBLE PRECISION, latency_micros BIGINT NOT NULL, source VARCHAR(16) NOT NULL, "
                    + "prev_hash CHAR(64) NOT NULL, hash CHAR(64) NOT NULL)");
        }
    }

    /** Opens (creating the table if needed) the trail at a JDBC URL ("jdbc:postgresql://host/db", "jdbc:h2:..."). */
    public static AuditTrail open(String jdbcUrl, String user, String password) {
        try {
            return new AuditTrail(DriverManager.getConnection(jdbcUrl, user, password));
        } catch (SQLException e) {
            throw new AuditException("cannot open the audit store at " + jdbcUrl + ": " + e.getMessage()
                    + "; check the URL, credentials and that the database is reachable", e);
        }
    }

    /** The embedded default: an H2 database file at {@code file} (".mv.db" is appended by H2). */
    public static AuditTrail h2(Path file) {
        return open("jdbc:h2:file:" + file.toAbsolutePath(), "sa", "");
    }

    /** Appends one record, chained to the newest; returns its sequence number. */
    public synchronized long append(AuditEntry e) {
        try {
            connection.setAutoCommit(false);
            long seq = 1;
            String prev = GENESIS;
            try (Statement s = connection.createStatement();
                    ResultSet rs = s.executeQuery("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")) {
                if (rs.next()) {
                    seq = rs.getLong(1) + 1;
                    prev = rs.getString(2);
                }
            }
            try (PreparedStatement ps = connection.prepareStatement(
                    "INSERT INTO audit_log (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                ps.setLong(1, seq);
                ps.setString(2, e.requestId());
                ps.setString(3, e.time());
                ps.setString(4, e.modelHash());
                ps.setString(5, e.libraryVersion());
                ps.setString(6, e.method());
                ps.setString(7, e.optionsJson());
                ps.setObject(8, e.seed(), Types.BIGINT);
                ps.setString(9, e.inputHash());
                ps.setString(10, e.prediction());
                ps.setString(11, e.topK());
                ps.setObject(12, e.delta(), Types.DOUBLE);
                ps.setLong(13, e.latencyMicros());
                ps.setString(14, e.source());
                ps.setString(15, prev);
                ps.setString(16, chainHash(prev, e));
                ps.executeUpdate();
            }
            connection.commit();
            return seq;
        } catch (SQLException ex) {
            rollback();
            throw new AuditException("cannot append audit record for request " + e.requestId() + ": " + ex.getMessage()
                    + "; check the audit database (disk, connection) — the request must not be acknowledged", ex);
        }
    }

    /** Walks the chain from the first record; the first record whose sequence, link or hash is wrong is named. */
    public synchronized Verification verify() {
        long expected = 1;
        String prev = GENESIS;
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT " + COLUMNS + " FROM audit_log ORDER BY seq")) {
            while (rs.next()) {
                long seq = rs.getLong("seq");
                if (seq != expected) {
                    return bad(expected - 1, expected, "record " + expected + " is missing (deleted)");
                }
                if (!rs.getString("prev_hash").equals(prev)) {
                    return bad(expected - 1, seq, "record " + seq + " does not link to record " + (seq - 1));
                }
                String hash = chainHash(prev, read(rs));
                if (!rs.getString("hash").equals(hash)) {
                    return bad(expected - 1, seq, "record " + seq + " was edited: its content does not match its hash");
                }
                prev = hash;
                expected++;
            }
            return new Verification(expected - 1, Optional.empty(), "chain intact");
        } catch (SQLException ex) {
            throw new AuditException("cannot read the audit store: " + ex.getMessage(), ex);
        }
    }

    /** The newest record's hash (the genesis hash when empty): keep it outside the database to detect truncation. */
    public synchronized String head() {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1")) {
            return rs.next() ? rs.getString(1) : GENESIS;
        } catch (SQLException ex) {
            throw new AuditException("cannot read the audit store: " + ex.getMessage(), ex);
        }
    }

    /** One stored record with its sequence number. */
    public record Record(long seq, AuditEntry entry) {}

    /** Every record, oldest first (for reports and reconciliation; verify the chain separately). */
    public synchronized List<Record> records() {
        List<Record> out = new ArrayList<>();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT " + COLUMNS + " FROM audit_log ORDER BY seq")) {
            while (rs.next()) {
                out.add(new Record(rs.getLong("seq"), read(rs)));
            }
            return out;
        } catch (SQLException ex) {
            throw new AuditException("cannot read the audit store: " + ex.getMessage(), ex);
        }
    }

    /** Number of records. */
    public synchronized long count() {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM audit_log")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException ex) {
            throw new AuditException("cannot read the audit store: " + ex.getMessage(), ex);
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException ex) {
            throw new AuditException("cannot close the audit store: " + ex.getMessage(), ex);
        }
    }

    static String chainHash(String prev, AuditEntry e) {
        return io.attrib4j.engine.ContentHash.sha256Hex(prev + e.canonicalJson());
    }

    private static AuditEntry read(ResultSet rs) throws SQLException {
        long seed = rs.getLong("seed");
        Long seedOrNull = rs.wasNull() ? null : seed;
        double delta = rs.getDouble("delta");
        Double deltaOrNull = rs.wasNull() ? null : delta;
        return new AuditEntry(rs.getString("request_id"), rs.getString("created_at"), rs.getString("model_hash"),
                rs.getString("library_version"), rs.getString("method"), rs.getString("options_json"), seedOrNull,
                rs.getString("input_hash"), rs.getString("prediction"), rs.getString("top_k"), deltaOrNull,
                rs.getLong("latency_micros"), rs.getString("source"));
    }

    private static Verification bad(long checked, long seq, String reason) {
        return new Verification(checked, Optional.of(seq), reason);
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the append error is the one to report
        }
    }
}
