package io.attrib4j.cli;

import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.serving.AuditReport;
import io.attrib4j.serving.AuditTrail;
import io.attrib4j.serving.Checkpoint;
import io.attrib4j.serving.CheckpointLog;
import io.attrib4j.serving.DecisionProof;
import io.attrib4j.serving.ServeConfig;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code attrib4j audit verify|report|keygen|check-proof}: check the audit chain and its signed checkpoints, write
 * a compliance report, make a signing key, check one decision's proof without the database.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Checks and reports on the audit trail.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Report.class, AuditCommand.Keygen.class,
            AuditCommand.CheckProof.class})
final class AuditCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** An H2 file path, or a JDBC URL ("jdbc:postgresql://host/db?user=u&password=p", "jdbc:h2:..."). */
    static AuditTrail open(String db) {
        return io.attrib4j.serving.ServeConfig.openAudit(db);
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Walks the hash chain and, with --public-key, checks every signed checkpoint and that the "
                    + "store holds everything they cover; exit 0 when intact, 1 naming the first bad record.")
    static final class Verify implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--db", required = true, description = "H2 file path or JDBC URL of the audit store")
        String db;

        @Option(names = "--public-key", description = "audit.pub of the server's signing key")
        Path publicKey;

        @Option(names = "--checkpoints", description = "checkpoint log(s), one per replica (default: the H2 file + "
                + ".checkpoints.jsonl)")
        List<Path> checkpoints;

        @Override
        public Integer call() {
            try (AuditTrail trail = open(db)) {
                AuditTrail.Verification v;
                if (publicKey == null) {
                    v = trail.verify();
                } else {
                    PublicKey key = Checkpoint.readPublicKey(publicKey);
                    List<Path> logs = checkpoints != null ? checkpoints : List.of(ServeConfig.defaultCheckpointLog(db));
                    v = null;
                    for (Path log : logs) {
                        v = trail.verify(key, CheckpointLog.read(log));
                        if (!v.ok()) {
                            break;
                        }
                    }
                }
                if (v.ok()) {
                    spec.commandLine().getOut().println("audit chain intact: " + v.recordsChecked() + " records, head "
                            + trail.head() + (publicKey == null ? " (unsigned check: give --public-key to catch "
                            + "truncation and rewrites)" : "; " + v.reason()));
                    return 0;
                }
                spec.commandLine().getErr().println("audit chain BROKEN at record " + v.firstBadRecord().get() + ": "
                        + v.reason() + " (" + v.recordsChecked() + " records before it verified)");
                return Main.EXIT_FAILURE;
            }
        }
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Writes a fresh Ed25519 signing key: DIR/audit.key (owner-only) and DIR/audit.pub.")
    static final class Keygen implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--out", required = true, description = "folder (created)")
        Path out;

        @Override
        public Integer call() {
            Checkpoint.generateKeys(out);
            spec.commandLine().getOut().println("wrote " + out.resolve("audit.key") + " (keep it secret; serve "
                    + "--signing-key) and " + out.resolve("audit.pub") + " (give it to auditors)");
            return 0;
        }
    }

    @Command(name = "check-proof", mixinStandardHelpOptions = true,
            description = "Checks a saved GET /v1/decisions/{id}/proof answer with the public key alone.")
    static final class CheckProof implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--proof", required = true, description = "the proof JSON")
        Path proof;

        @Option(names = "--public-key", required = true, description = "audit.pub of the server's signing key")
        Path publicKey;

        @Override
        public Integer call() {
            DecisionProof p;
            try {
                p = DecisionProof.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().readTree(proof.toFile()));
            } catch (IOException e) {
                throw new InvalidOptionException("cannot read proof " + proof + ": " + e.getMessage());
            }
            Optional<String> problem = p.verify(Checkpoint.readPublicKey(publicKey));
            if (problem.isPresent()) {
                spec.commandLine().getErr().println("proof INVALID: " + problem.get());
                return Main.EXIT_FAILURE;
            }
            spec.commandLine().getOut().println("record " + p.seq() + " is in the signed audit tree of " + p.treeSize()
                    + " records (checkpoint " + p.checkpoint().time() + "): " + p.record());
            return 0;
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Writes audit-report.json and audit-report.html for a time range.")
    static final class Report implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--db", required = true, description = "H2 file path or JDBC URL of the audit store")
        String db;

        @Option(names = "--from", required = true, description = "start, ISO-8601 instant (inclusive)")
        String from;

        @Option(names = "--to", required = true, description = "end, ISO-8601 instant (exclusive)")
        String to;

        @Option(names = "--adverse-class", defaultValue = "1", description = "the class counted as adverse (default 1)")
        int adverseClass;

        @Option(names = "--out", required = true, description = "output folder (created)")
        Path out;

        @Override
        public Integer call() {
            AuditReport report;
            try (AuditTrail trail = open(db)) {
                report = AuditReport.of(trail, instant(from, "--from"), instant(to, "--to"), adverseClass);
            }
            try {
                Files.createDirectories(out);
                Files.writeString(out.resolve("audit-report.json"), report.toJson());
                Files.writeString(out.resolve("audit-report.html"), report.toHtml());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the report to " + out, e);
            }
            spec.commandLine().getOut().printf("%d requests, adverse rate %.4f, coverage %.4f, p50 %.1f ms, p99 %.1f ms;"
                    + " chain %s; wrote %s%n", report.requests(), report.adverseRate(), report.explanationCoverage(),
                    report.latencyP50Millis(), report.latencyP99Millis(), report.chainIntact() ? "intact" : "BROKEN",
                    out.resolve("audit-report.html"));
            return report.chainIntact() ? 0 : Main.EXIT_FAILURE;
        }

        private static Instant instant(String text, String option) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new InvalidOptionException(option + " '" + text + "' is not an ISO-8601 instant; write it like "
                        + "2026-03-01T00:00:00Z");
            }
        }
    }
}
