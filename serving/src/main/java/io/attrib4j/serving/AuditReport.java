package io.attrib4j.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.export.HtmlReport;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A compliance report over the audit trail for the time range {@code [from, to)}: how many automated
 * decisions were made, how many were adverse, how many were explained, how fast, and how often the
 * explanation came from a fallback step or the cache; with the result of the chain verification.
 *
 * <p>A request is counted once, by its newest record (an asynchronous request has a PENDING record, then
 * its explanation's). Each predicted class of a request is one decision. Rates are over requests (adverse
 * rate: over decisions); percentiles use the nearest rank, {@code sorted[ceil(p n) - 1]}.
 *
 * @param from start of the range (inclusive)
 * @param to end of the range (exclusive)
 * @param requests requests answered in the range
 * @param decisions predicted classes in them
 * @param adverseClass the class counted as adverse
 * @param adverseDecisions decisions equal to it
 * @param adverseRate {@code adverseDecisions / decisions}
 * @param explanationCoverage share of requests answered with an explanation
 * @param latencyP50Millis median answer latency
 * @param latencyP99Millis 99th percentile answer latency
 * @param fallbackRate share of requests answered DEGRADED
 * @param cacheRate share of requests answered from the cache
 * @param chainIntact whether the whole audit chain verified
 * @param chainVerification the verification's reason ("chain intact", or the first bad record)
 */
public record AuditReport(String from, String to, long requests, long decisions, int adverseClass,
        long adverseDecisions, double adverseRate, double explanationCoverage, double latencyP50Millis,
        double latencyP99Millis, double fallbackRate, double cacheRate, boolean chainIntact, String chainVerification) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Verifies {@code trail} and reports on its records in {@code [from, to)}. */
    public static AuditReport of(AuditTrail trail, Instant from, Instant to, int adverseClass) {
        AuditTrail.Verification v = trail.verify();
        return of(trail.records(), from, to, adverseClass, v);
    }

    /** The report on {@code records} (oldest first) in {@code [from, to)}, given the chain's verification. */
    public static AuditReport of(List<AuditTrail.Record> records, Instant from, Instant to, int adverseClass,
            AuditTrail.Verification verification) {
        if (!from.isBefore(to)) {
            throw new InvalidInputException("report range " + from + " .. " + to + " is empty; give --from before --to");
        }
        Map<String, AuditEntry> newest = new LinkedHashMap<>();
        for (AuditTrail.Record r : records) {
            Instant t = time(r);
            if (!t.isBefore(from) && t.isBefore(to)) {
                newest.put(r.entry().requestId(), r.entry());
            }
        }
        long n = newest.size();
        long decisions = 0;
        long adverse = 0;
        long explained = 0;
        long degraded = 0;
        long cached = 0;
        double[] latency = new double[(int) n];
        int i = 0;
        for (AuditEntry e : newest.values()) {
            int[] classes = classes(e.prediction());
            decisions += classes.length;
            adverse += Arrays.stream(classes).filter(c -> c == adverseClass).count();
            explained += "none".equals(e.method()) ? 0 : 1;
            degraded += Source.DEGRADED.name().equals(e.source()) ? 1 : 0;
            cached += Source.CACHE.name().equals(e.source()) ? 1 : 0;
            latency[i++] = e.latencyMicros() / 1000.0;
        }
        Arrays.sort(latency);
        return new AuditReport(from.toString(), to.toString(), n, decisions, adverseClass, adverse,
                ratio(adverse, decisions), ratio(explained, n), percentile(latency, 0.50), percentile(latency, 0.99),
                ratio(degraded, n), ratio(cached, n), verification.ok(), verification.reason());
    }

    /** Nearest-rank percentile of sorted {@code values}; 0 when empty. */
    static double percentile(double[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** The report as indented JSON. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an audit report holds only numbers and strings", e);
        }
    }

    /** The report as a self-contained HTML page. */
    public String toHtml() {
        return HtmlReport.builder("attrib4j audit report")
                .paragraph("Decisions answered from " + from + " to " + to + " (end exclusive).")
                .paragraph("Audit chain: " + (chainIntact ? "verified, " : "BROKEN, ") + chainVerification)
                .table(List.of("measure", "value"), List.of(
                        List.of("requests", Long.toString(requests)),
                        List.of("decisions", Long.toString(decisions)),
                        List.of("adverse decisions (class " + adverseClass + ")", Long.toString(adverseDecisions)),
                        List.of("adverse rate", pct(adverseRate)),
                        List.of("explanation coverage", pct(explanationCoverage)),
                        List.of("latency p50", fmt(latencyP50Millis) + " ms"),
                        List.of("latency p99", fmt(latencyP99Millis) + " ms"),
                        List.of("fallback rate (degraded)", pct(fallbackRate)),
                        List.of("cache rate", pct(cacheRate))))
                .build();
    }

    private static Instant time(AuditTrail.Record r) {
        try {
            return Instant.parse(r.entry().time());
        } catch (DateTimeParseException e) {
            throw new AuditException("audit record " + r.seq() + " has time '" + r.entry().time() + "', not an ISO-8601 "
                    + "instant; the record was not written by attrib4j or was edited (run audit verify)", e);
        }
    }

    private static int[] classes(String prediction) {
        String inner = prediction.replace("[", "").replace("]", "").trim();
        return inner.isEmpty() ? new int[0] : Arrays.stream(inner.split(",")).map(String::trim)
                .mapToInt(Integer::parseInt).toArray();
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, "%.2f %%", 100 * share);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
