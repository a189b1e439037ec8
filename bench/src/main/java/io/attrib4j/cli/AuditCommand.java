package io.attrib4j.cli;

import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.serving.AuditReport;
import io.attrib4j.serving.AuditTrail;
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

/** {@code attrib4j audit verify|report}: check the audit chain, write a compliance report. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Checks and reports on the audit trail.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Report.class})
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
            description = "Walks the hash chain; exit 0 when intact, 1 naming the first bad record.")
    static final class Verify implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--db", required = true, description = "H2 file path or JDBC URL of the audit store")
        String db;

        @Override
        public Integer call() {
            try (AuditTrail trail = open(db)) {
                AuditTrail.Verification v = trail.verify();
                if (v.ok()) {
                    spec.commandLine().getOut().println("audit chain intact: " + v.recordsChecked() + " records, head "
                            + trail.head());
                    return 0;
                }
                spec.commandLine().getErr().println("audit chain BROKEN at record " + v.firstBadRecord().get() + ": "
                        + v.reason() + " (" + v.recordsChecked() + " records before it verified)");
                return Main.EXIT_FAILURE;
            }
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
