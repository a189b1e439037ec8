package io.attrib4j.serving;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@link ExplanationServer}'s metrics in the Prometheus text exposition format (version 0.0.4), written
 * by hand: HTTP answers by status, explanations by model and source, a request latency histogram, cache
 * hits, audit records, and gauges read at scrape time (queue depth, circuit breakers, drifted features).
 * Thread-safe.
 */
final class ServerMetrics {
    /** Upper bounds of the latency histogram, in seconds. */
    static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final Map<Integer, LongAdder> byStatus = new ConcurrentSkipListMap<>();
    private final Map<String, LongAdder> bySource = new ConcurrentSkipListMap<>();
    private final Map<String, LongAdder> cacheHits = new ConcurrentHashMap<>();
    private final LongAdder[] buckets = new LongAdder[BUCKETS.length + 1];
    private final DoubleAdder latencySum = new DoubleAdder();
    private final LongAdder latencyCount = new LongAdder();
    private final LongAdder auditRecords = new LongAdder();

    ServerMetrics() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    /** One HTTP answer to an API request. */
    void answered(int status, double seconds) {
        byStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
        int b = 0;
        while (b < BUCKETS.length && seconds > BUCKETS[b]) {
            b++;
        }
        buckets[b].increment();
        latencySum.add(seconds);
        latencyCount.increment();
    }

    /** One explanation answer of {@code model}, by source. */
    void explained(String model, Source source) {
        bySource.computeIfAbsent(label("model", model) + "," + label("source", source.name().toLowerCase(Locale.ROOT)),
                k -> new LongAdder()).increment();
        if (source == Source.CACHE) {
            cacheHits.computeIfAbsent(model, k -> new LongAdder()).increment();
        }
    }

    void audited() {
        auditRecords.increment();
    }

    /** The exposition text, with the gauges of {@code models} read now. */
    String render(Collection<ServedModel> models) {
        StringBuilder sb = new StringBuilder();
        header(sb, "attrib4j_http_requests_total", "counter", "API requests answered, by HTTP status");
        byStatus.forEach((s, n) -> line(sb, "attrib4j_http_requests_total", label("status", s.toString()), n.sum()));
        header(sb, "attrib4j_explanations_total", "counter", "explanation answers, by model and source");
        bySource.forEach((k, n) -> line(sb, "attrib4j_explanations_total", k, n.sum()));
        header(sb, "attrib4j_cache_hits_total", "counter", "explanations served from the cache, by model");
        for (ServedModel m : models) {
            LongAdder n = cacheHits.get(m.name());
            line(sb, "attrib4j_cache_hits_total", label("model", m.name()), n == null ? 0 : n.sum());
        }
        header(sb, "attrib4j_request_duration_seconds", "histogram", "API request latency");
        long cumulative = 0;
        for (int b = 0; b < buckets.length; b++) {
            cumulative += buckets[b].sum();
            String le = b < BUCKETS.length ? Double.toString(BUCKETS[b]) : "+Inf";
            line(sb, "attrib4j_request_duration_seconds_bucket", label("le", le), cumulative);
        }
        sb.append("attrib4j_request_duration_seconds_sum ").append(latencySum.sum()).append('\n');
        sb.append("attrib4j_request_duration_seconds_count ").append(latencyCount.sum()).append('\n');
        header(sb, "attrib4j_audit_records_total", "counter", "audit records appended by this server");
        sb.append("attrib4j_audit_records_total ").append(auditRecords.sum()).append('\n');
        header(sb, "attrib4j_queue_depth", "gauge", "model calls waiting for a worker, by model and chain");
        models.forEach(m -> m.chains().forEach((chain, e) -> line(sb, "attrib4j_queue_depth",
                label("model", m.name()) + "," + label("chain", chain), e.queueDepth())));
        header(sb, "attrib4j_circuit_breaker_state", "gauge", "1 for the state each step's breaker is in");
        models.forEach(m -> m.chains().forEach((chain, e) -> e.breakerStates().forEach((step, state) -> {
            for (CircuitBreaker.State s : CircuitBreaker.State.values()) {
                line(sb, "attrib4j_circuit_breaker_state", label("model", m.name()) + "," + label("chain", chain) + ","
                        + label("step", step) + "," + label("state", s.name().toLowerCase(Locale.ROOT)),
                        s == state ? 1 : 0);
            }
        })));
        header(sb, "attrib4j_drifted_features", "gauge", "features whose attributions drifted in the newest window");
        models.forEach(m -> m.drift().ifPresent(w -> line(sb, "attrib4j_drifted_features", label("model", m.name()),
                w.driftedFeatures().size())));
        return sb.toString();
    }

    private static void header(StringBuilder sb, String name, String type, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void line(StringBuilder sb, String name, String labels, long value) {
        sb.append(name).append('{').append(labels).append("} ").append(value).append('\n');
    }

    private static String label(String name, String value) {
        return name + "=\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
