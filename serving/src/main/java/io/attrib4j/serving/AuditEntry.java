package io.attrib4j.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.Provenance;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * What the audit trail stores about one explanation (before chaining).
 *
 * @param requestId the request's id
 * @param time when it was answered (ISO-8601 instant)
 * @param modelHash content hash of the model
 * @param libraryVersion attrib4j's version
 * @param method the method's spec in its text form ({@code ig(steps=32, rule=gausslegendre, ...)}, every option,
 *     tensors by content hash), its name for results without a spec, or "none" when no explanation was given
 * @param optionsJson the method's options as JSON
 * @param seed the seed of a stochastic method, or null
 * @param inputHash SHA-256 of the input bytes and target
 * @param prediction the predicted classes
 * @param topK the top-k attributions by magnitude of the first example, as JSON {@code [[index, value], ...]}
 * @param delta the first example's convergence delta, or null
 * @param latencyMicros answer latency
 * @param source LIVE, CACHE, DEGRADED or PENDING
 */
public record AuditEntry(String requestId, String time, String modelHash, String libraryVersion, String method,
        String optionsJson, Long seed, String inputHash, String prediction, String topK, Double delta,
        long latencyMicros, String source) {
    static final ObjectMapper JSON = new ObjectMapper();

    /** The entry for an explainer's answer, keeping the {@code k} largest attributions by magnitude. */
    public static AuditEntry of(ExplainResponse r, String inputHash, int k) {
        Attribution a = r.attribution().orElse(null);
        Provenance p = a == null ? null : a.provenance();
        return new AuditEntry(r.requestId(), Instant.now().toString(), r.modelHash(),
                io.attrib4j.engine.Version.get(),
                p == null ? "none" : p.spec() != null ? p.spec().toText() : p.method(),
                json(p == null ? Map.of() : p.parameters()), p == null ? null : p.seed(), inputHash,
                Arrays.toString(r.predictedClasses()), a == null ? "[]" : topK(a, k),
                a == null ? null : a.convergenceDelta().map(d -> (double) d[0]).orElse(null),
                r.latency().toNanos() / 1000, r.source().name());
    }

    /** The canonical JSON of this entry: fixed field order, what the chain hashes. */
    String canonicalJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requestId", requestId);
        m.put("time", time);
        m.put("modelHash", modelHash);
        m.put("libraryVersion", libraryVersion);
        m.put("method", method);
        m.put("options", optionsJson);
        m.put("seed", seed);
        m.put("inputHash", inputHash);
        m.put("prediction", prediction);
        m.put("topK", topK);
        m.put("delta", delta);
        m.put("latencyMicros", latencyMicros);
        m.put("source", source);
        return json(m);
    }

    private static String topK(Attribution a, int k) {
        float[] v = a.values().data();
        int d = a.values().rowSize();
        Object[] top = IntStream.range(0, d).boxed()
                .sorted(Comparator.comparingDouble((Integer j) -> -Math.abs(v[j])).thenComparingInt(j -> j)).limit(k)
                .map(j -> new Object[] {j, v[j]}).toArray();
        return json(top);
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit fields are strings, numbers and maps of them", e);
        }
    }
}
