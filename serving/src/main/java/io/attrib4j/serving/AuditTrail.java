package io.attrib4j.serving;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Append-only audit records of explanations over JDBC, durable before {@link #append} returns, chained and
 * in a Merkle tree whose roots are signed into a {@link CheckpointLog} kept apart from the database.
 *
 * <p><b>Records.</b> Table {@code audit_log}, one row per answer, sequence {@code seq} = 1, 2, ... Each row
 * stores {@code prev_hash} and {@code hash = SHA-256(prev_hash + canonical JSON)}, so an edit or a middle
 * deletion is named by {@link #verify()}. Record {@code seq} is also leaf {@code seq - 1} of an RFC 6962 tree
 * ({@link MerkleTree}) over {@link #recordBytes}; with a signing key ({@link #startSigning}) the tree's root is
 * signed at most every second when it grew, and at {@link #close()}, so truncation, deletion of every row and a
 * rewrite with recomputed hashes are caught by {@link #verify(PublicKey, List)} against the checkpoints.
 *
 * <p><b>Durability and group commit.</b> {@link #append} hands the record to one writer thread that appends
 * everything queued in one transaction and one flush (H2: {@code WRITE_DELAY=0} and {@code CHECKPOINT SYNC},
 * an fsync; PostgreSQL: {@code synchronous_commit = on}) and only then returns the record's number, so an
 * acknowledged record survives a crash and no number is handed out twice. Several processes may append to one
 * PostgreSQL: each batch takes a transaction-scoped advisory lock and reads the newest row, so the chain and
 * the sequence stay one. Connections come from a HikariCP pool (timeouts, reconnect): while the store is down
 * {@link #append} throws {@link AuditException} (the server answers 503) and it recovers when the store returns.
 */
public final class AuditTrail implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
    static final String GENESIS = "0".repeat(64);
    private static final String COLUMNS = "seq, request_id, created_at, model_hash, library_version, method, "
            + "options_json, seed, input_hash, prediction, top_k, delta, latency_micros, source, prev_hash, hash";
    private static final int MAX_BATCH = 1000;
    /** The newest row; H2 scans the table for ORDER BY seq DESC LIMIT 1 but answers MAX from the index. */
    private static final String NEWEST = "SELECT seq, hash FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)";
    private static final long ADVISORY_LOCK = 0x61747472696234L; // "attrib4"
    private static final Duration APPEND_TIMEOUT = Duration.ofSeconds(30);

    private final HikariDataSource pool;
    private final String url;
    private final boolean h2;
    private final boolean postgres;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;
    private final MerkleTree tree = new MerkleTree(); // guarded by itself
    private ScheduledExecutorService signer;
    private PrivateKey signingKey;
    private CheckpointLog checkpointLog;
    private volatile Checkpoint latest;

    private record Pending(AuditEntry entry, CompletableFuture<Long> done) {}

    /** The outcome of {@link #verify()}. */
    public record Verification(long recordsChecked, Optional<Long> firstBadRecord, String reason) {
        public boolean ok() {
            return firstBadRecord.isEmpty();
        }
    }

    /** One stored record with its sequence number. */
    public record Record(long seq, AuditEntry entry) {}

    private AuditTrail(String url, String user, String password) {
        this.url = url;
        this.h2 = url.startsWith("jdbc:h2:");
        this.postgres = url.startsWith("jdbc:postgresql:");
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        if (user != null) {
            c.setUsername(user);
        }
        if (password != null) {
            c.setPassword(password);
        }
        c.setPoolName("attrib4j-audit");
        c.setMaximumPoolSize(4);
        c.setMinimumIdle(1);
        c.setConnectionTimeout(3000);
        c.setValidationTimeout(1000);
        c.setInitializationFailTimeout(3000);
        if (postgres) {
            c.setConnectionInitSql("SET synchronous_commit = on");
        }
        try {
            this.pool = new HikariDataSource(c);
        } catch (RuntimeException e) {
            throw new AuditException("cannot open the audit store at " + url + ": " + e.getMessage()
                    + "; check the URL, credentials and that the database is reachable", e);
        }
        try (Connection conn = pool.getConnection(); Statement s = conn.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS audit_log (seq BIGINT PRIMARY KEY, request_id VARCHAR(64) NOT NULL, "
                    + "created_at VARCHAR(40) NOT NULL, model_hash VARCHAR(128) NOT NULL, library_version VARCHAR(40) "
                    + "NOT NULL, method VARCHAR(4000) NOT NULL, options_json VARCHAR(4000) NOT NULL, seed BIGINT, "
                    + "input_hash VARCHAR(64) NOT NULL, prediction VARCHAR(4000) NOT NULL, top_k VARCHAR(8000) NOT NULL, "
                    + "delta DOUBLE PRECISION, latency_micros BIGINT NOT NULL, source VARCHAR(16) NOT NULL, "
                    + "prev_hash CHAR(64) NOT NULL, hash CHAR(64) NOT NULL)");
            s.execute("CREATE INDEX IF NOT EXISTS audit_log_request ON audit_log (request_id)");
        } catch (SQLException e) {
            if (!postgres || !"23505".equals(e.getSQLState())) { // two replicas creating the table at once
                pool.close();
                throw new AuditException("cannot open the audit store at " + url + ": " + e.getMessage()
                        + "; check the URL, credentials and that the database is reachable", e);
            }
        }
        syncTree();
        this.writer = new Thread(this::writeLoop, "attrib4j-audit-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Opens (creating the table if needed) the trail at a JDBC URL ("jdbc:postgresql://host/db", "jdbc:h2:..."). */
    public static AuditTrail open(String jdbcUrl, String user, String password) {
        return new AuditTrail(jdbcUrl, user, password);
    }

    /**
     * The embedded default: an H2 database file at {@code file} (".mv.db" is appended by H2), commits written at
     * once ({@code WRITE_DELAY=0}), other processes ({@code audit verify}, a second server) reach it through H2's
     * automatic TCP server ({@code AUTO_SERVER=TRUE}) while it is open.
     */
    public static AuditTrail h2(Path file) {
        return open(h2Url(file), "sa", "");
    }

    /** The JDBC URL {@link #h2(Path)} opens. */
    public static String h2Url(Path file) {
        return "jdbc:h2:file:" + file.toAbsolutePath() + ";WRITE_DELAY=0;AUTO_SERVER=TRUE";
    }

    /**
     * Signs a checkpoint with {@code key} into {@code log} now, then every second when the tree grew, and at
     * {@link #close()}; the log is closed with the trail.
     */
    public synchronized AuditTrail startSigning(PrivateKey key, CheckpointLog log) {
        if (signer != null) {
            throw new IllegalStateException("signing is already on");
        }
        this.signingKey = key;
        this.checkpointLog = log;
        Optional<Checkpoint> last = CheckpointLog.read(log.file()).stream().reduce((a, b) -> b);
        last.ifPresent(c -> {
            synchronized (tree) {
                if (c.treeSize() > tree.size()
                        || !HexFormat.of().formatHex(tree.root(c.treeSize())).equals(c.root())) {
                    LOG.error("the audit store does not match the newest checkpoint in {} (tree size {}, signed {}): "
                            + "records were deleted or rewritten; run 'attrib4j audit verify'", log.file(),
                            c.treeSize(), c.time());
                }
            }
        });
        sign(true);
        signer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "attrib4j-audit-signer");
            t.setDaemon(true);
            return t;
        });
        signer.scheduleWithFixedDelay(() -> {
            try {
                sign(false);
            } catch (RuntimeException e) {
                LOG.error("cannot sign an audit checkpoint", e);
            }
        }, 1, 1, TimeUnit.SECONDS);
        return this;
    }

    /** The newest checkpoint this trail signed, if signing is on. */
    public Optional<Checkpoint> latestCheckpoint() {
        return Optional.ofNullable(latest);
    }

    /** Signs the current tree (when it grew, or {@code always}); returns the newest checkpoint. */
    private synchronized Checkpoint sign(boolean always) {
        if (signingKey == null) {
            return null;
        }
        try {
            syncTree();
        } catch (AuditException e) { // at JVM exit H2's own hook may have closed the database already
            LOG.warn("signing the records this process committed; the store is unreadable: {}", e.getMessage());
        }
        long size;
        byte[] root;
        synchronized (tree) {
            size = tree.size();
            root = tree.root(size);
        }
        if (always || latest == null || latest.treeSize() != size) {
            Checkpoint c = Checkpoint.sign(signingKey, size, root, Instant.now().toString());
            checkpointLog.append(c);
            latest = c;
        }
        return latest;
    }

    /**
     * Appends one record, chained to the newest, and returns its sequence number once it is committed to disk
     * (with the records of concurrent callers, in one transaction).
     *
     * @throws AuditException when the store cannot commit it (then nothing may be acknowledged)
     */
    public long append(AuditEntry e) {
        if (closed) {
            throw new AuditException("the audit trail is closed; request " + e.requestId() + " was not recorded", null);
        }
        Pending p = new Pending(e, new CompletableFuture<>());
        queue.add(p);
        try {
            return p.done().get(APPEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException ex) {
            if (ex.getCause() instanceof AuditException a) {
                throw a;
            }
            throw new AuditException("cannot append audit record for request " + e.requestId() + ": " + ex.getCause(),
                    ex.getCause());
        } catch (TimeoutException ex) {
            throw new AuditException("the audit store did not commit request " + e.requestId() + " within "
                    + APPEND_TIMEOUT.toSeconds() + " s; check the audit database — the request must not be "
                    + "acknowledged", ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AuditException("interrupted while recording request " + e.requestId(), ex);
        }
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                writeBatch(batch);
            } catch (InterruptedException e) {
                if (closed) {
                    continue; // drain what is queued
                }
            } catch (RuntimeException e) {
                batch.forEach(p -> p.done().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void writeBatch(List<Pending> batch) {
        SQLException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                long[] seqs = commit(batch);
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).done().complete(seqs[i]);
                }
                return;
            } catch (SQLException ex) {
                last = ex;
                if (!"23505".equals(ex.getSQLState())) { // not a race with another writer: fail closed
                    break;
                }
            }
        }
        AuditException fail = new AuditException("cannot append " + batch.size() + " audit record(s) (first: request "
                + batch.get(0).entry().requestId() + "): " + last.getMessage() + "; check the audit database (disk, "
                + "connection) — the requests were not acknowledged", last);
        batch.forEach(p -> p.done().completeExceptionally(fail));
    }

    /** One transaction for the batch, flushed to disk; the batch's sequence numbers. */
    private long[] commit(List<Pending> batch) throws SQLException {
        long[] seqs = new long[batch.size()];
        List<byte[]> leaves = new ArrayList<>(batch.size());
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.setQueryTimeout(10);
                    if (postgres) {
                        s.execute("SELECT pg_advisory_xact_lock(" + ADVISORY_LOCK + ")");
                    }
                }
                long seq = 0;
                String prev = GENESIS;
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery(NEWEST)) {
                    if (rs.next()) {
                        seq = rs.getLong(1);
                        prev = rs.getString(2);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO audit_log (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                    ps.setQueryTimeout(10);
                    for (int i = 0; i < batch.size(); i++) {
                        AuditEntry e = batch.get(i).entry();
                        seq++;
                        String hash = chainHash(prev, e);
                        bind(ps, seq, e, prev, hash);
                        ps.addBatch();
                        seqs[i] = seq;
                        leaves.add(MerkleTree.leafHash(recordBytes(seq, e)));
                        prev = hash;
                    }
                    ps.executeBatch();
                }
                c.commit();
                if (h2) {
                    try (Statement s = c.createStatement()) {
                        s.execute("CHECKPOINT SYNC"); // fsync: WRITE_DELAY=0 alone reaches the OS, not the disk
                    }
                    c.commit();
                }
            } catch (SQLException ex) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the append error is the one to report
                }
                throw ex;
            }
        }
        synchronized (tree) {
            if (tree.size() == seqs[0] - 1) {
                leaves.forEach(tree::append);
            } // else another writer appended in between: syncTree reads it from the store
        }
        return seqs;
    }

    private static void bind(PreparedStatement ps, long seq, AuditEntry e, String prev, String hash)
            throws SQLException {
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
        ps.setString(16, hash);
    }

    /** Brings the in-memory tree up to the store's newest record (records other writers appended). */
    private void syncTree() {
        synchronized (tree) {
            try (Connection c = pool.getConnection();
                    PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_log WHERE seq > ? "
                            + "ORDER BY seq")) {
                ps.setLong(1, tree.size());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long seq = rs.getLong("seq");
                        if (seq != tree.size() + 1) {
                            LOG.error("audit record {} is missing (found {}); run 'attrib4j audit verify'",
                                    tree.size() + 1, seq);
                            return;
                        }
                        tree.append(MerkleTree.leafHash(recordBytes(seq, read(rs))));
                    }
                }
            } catch (SQLException ex) {
                throw new AuditException("cannot read the audit store: " + ex.getMessage(), ex);
            }
        }
    }

    /** The bytes a record's Merkle leaf hashes: {@code "attrib4j-audit-record v1\n" + seq + "\n" + canonical JSON}. */
    public static byte[] recordBytes(long seq, AuditEntry e) {
        return recordBytes(seq, e.canonicalJson());
    }

    static byte[] recordBytes(long seq, String canonicalJson) {
        return ("attrib4j-audit-record v1\n" + seq + "\n" + canonicalJson).getBytes(StandardCharsets.UTF_8);
    }

    /** Walks the chain from the first record; the first record whose sequence, link or hash is wrong is named. */
    public Verification verify() {
        return walk(new MerkleTree());
    }

    private Verification walk(MerkleTree leaves) {
        long expected = 1;
        String prev = GENESIS;
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
            try (Statement s = c.createStatement()) {
                s.setFetchSize(1000);
                try (ResultSet rs = s.executeQuery("SELECT " + COLUMNS + " FROM audit_log ORDER BY seq")) {
                    while (rs.next()) {
                        long seq = rs.getLong("seq");
                        if (seq != expected) {
                            return bad(expected - 1, expected, "record " + expected + " is missing (deleted)");
                        }
                        if (!rs.getString("prev_hash").equals(prev)) {
                            return bad(expected - 1, seq, "record " + seq + " does not link to record " + (seq - 1));
                        }
                        AuditEntry e = read(rs);
                        String hash = chainHash(prev, e);
                        if (!rs.getString("hash").equals(hash)) {
                            return bad(expected - 1, seq, "record " + seq + " (request " + e.requestId()
                                    + ") was edited: its content does not match its hash");
                        }
                        leaves.append(MerkleTree.leafHash(recordBytes(seq, e)));
                        prev = hash;
                        expected++;
                    }
                }
            } finally {
                c.rollback();
            }
            return new Verification(expected - 1, Optional.empty(), "chain intact");
        } catch (SQLException ex) {
            throw new AuditException("cannot read the audit store: " + ex.getMessage(), ex);
        }
    }

    /**
     * {@link #verify()}, then every checkpoint's signature against {@code key}, and that the store holds exactly
     * the records each checkpoint covers (the same tree root): names the first record deleted or rewritten.
     */
    public Verification verify(PublicKey key, List<Checkpoint> checkpoints) {
        MerkleTree leaves = new MerkleTree();
        Verification chain = walk(leaves);
        if (!chain.ok()) {
            return chain;
        }
        long n = leaves.size();
        if (checkpoints.isEmpty()) {
            return n == 0 ? chain : bad(n, 1, "the checkpoint log is empty but the store holds " + n + " records: "
                    + "nothing vouches for them (give the right --checkpoints file; was signing on?)");
        }
        long covered = 0;
        for (int i = 0; i < checkpoints.size(); i++) {
            Checkpoint cp = checkpoints.get(i);
            String where = "checkpoint " + (i + 1) + " (tree size " + cp.treeSize() + ", signed " + cp.time() + ")";
            if (!cp.verify(key)) {
                return bad(n, Math.max(1, cp.treeSize()), where + " has a bad signature: the checkpoint log was "
                        + "altered, or it was signed with another key than this public key");
            }
            if (cp.treeSize() < covered) {
                return bad(n, cp.treeSize() + 1, where + " covers fewer records than the one before it ("
                        + covered + "): the checkpoint log was reordered or mixes two trails");
            }
            if (cp.treeSize() > n) {
                return bad(n, n + 1, n == 0 ? "every record was deleted: the store is empty but " + where + " covers "
                        + cp.treeSize() + " records" : "records " + (n + 1) + ".." + cp.treeSize() + " were deleted: "
                        + "the store holds " + n + " records but " + where + " covers " + cp.treeSize());
            }
            if (!HexFormat.of().formatHex(leaves.root(cp.treeSize())).equals(cp.root())) {
                return bad(covered, covered + 1, "records " + (covered + 1) + ".." + cp.treeSize() + " were rewritten "
                        + "(hashes recomputed): they do not match the root of " + where);
            }
            covered = cp.treeSize();
        }
        return new Verification(n, Optional.empty(), "chain intact; " + checkpoints.size() + " checkpoint signatures "
                + "valid; records 1.." + covered + " match the newest checkpoint" + (n > covered ? "; " + (n - covered)
                + " newer records not yet covered by a checkpoint" : ""));
    }

    /** The newest record's hash (the genesis hash when empty). */
    public String head() {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(NEWEST)) {
            return rs.next() ? rs.getString(2) : GENESIS;
        } catch (SQLException ex) {
            throw new AuditException("cannot read the audit store: " + ex.getMessage(), ex);
        }
    }

    /** Every record, oldest first (for reports and reconciliation; verify the chain separately). */
    public List<Record> records() {
        return query("SELECT " + COLUMNS + " FROM audit_log ORDER BY seq", null);
    }

    /** The records of one request, oldest first (an asynchronous request has its pending and its final one). */
    public List<Record> records(String requestId) {
        return query("SELECT " + COLUMNS + " FROM audit_log WHERE request_id = ? ORDER BY seq", requestId);
    }

    private List<Record> query(String sql, String arg) {
        List<Record> out = new ArrayList<>();
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (arg != null) {
                ps.setString(1, arg);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Record(rs.getLong("seq"), read(rs)));
                }
            }
            return out;
        } catch (SQLException ex) {
            throw new AuditException("cannot read the audit store: " + ex.getMessage(), ex);
        }
    }

    /**
     * The inclusion proof of record {@code seq} in the tree of the newest checkpoint covering it (signed now when
     * none does yet); without signing, in the current tree and with no checkpoint.
     */
    public DecisionProof proof(Record r) {
        Checkpoint cp = latest;
        if (signingKey != null && (cp == null || cp.treeSize() < r.seq())) {
            cp = sign(true);
        }
        syncTree();
        synchronized (tree) {
            long size = cp != null ? cp.treeSize() : tree.size();
            if (r.seq() > size) {
                throw new AuditException("record " + r.seq() + " is not in the audit tree of " + size + " records",
                        null);
            }
            return new DecisionProof(r.seq(), r.entry().canonicalJson(), size, tree.inclusionProof(r.seq() - 1, size)
                    .stream().map(HexFormat.of()::formatHex).toList(), HexFormat.of().formatHex(tree.root(size)), cp);
        }
    }

    /** Whether the store answers now (a pooled connection and a query within a second). */
    public boolean healthy() {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(1);
            s.execute("SELECT 1");
            return true;
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /** Records queued for the writer, not yet committed. */
    public int pending() {
        return queue.size();
    }

    /** Number of records. */
    public long count() {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM audit_log")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException ex) {
            throw new AuditException("cannot read the audit store: " + ex.getMessage(), ex);
        }
    }

    /** Commits what is queued, signs a last checkpoint, closes the checkpoint log and the pool. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        writer.interrupt();
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (signer != null) {
                signer.shutdownNow();
                try {
                    sign(false);
                } catch (RuntimeException e) {
                    LOG.error("cannot sign the last audit checkpoint", e);
                }
                checkpointLog.close();
            }
        }
        pool.close();
    }

    /** The URL this trail was opened at. */
    public String url() {
        return url;
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
}
