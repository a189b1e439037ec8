package io.attrib4j.engine;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What produced an {@link Attribution}: enough to reproduce it and to audit it.
 *
 * @param method the method's name ("IntegratedGradients")
 * @param parameters the method's options, by name, in a stable order (they double as its record)
 * @param target the target, described
 * @param modelName the model's display name
 * @param modelFormat the model's format
 * @param modelHash SHA-256 of the model content
 * @param backend the backend that did the arithmetic
 * @param seed the seed of a stochastic method, or {@code null}
 * @param libraryVersion attrib4j's version
 * @param timing where the time went
 * @param createdAt when the attribution finished
 */
public record Provenance(
        String method,
        Map<String, Object> parameters,
        String target,
        String modelName,
        String modelFormat,
        String modelHash,
        String backend,
        Long seed,
        String libraryVersion,
        Timing timing,
        Instant createdAt) {

    public Provenance {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /**
     * Time spent, split between the model and everything else.
     *
     * @param totalNanos wall time of the whole call
     * @param modelNanos wall time inside model calls (forward, backward)
     * @param modelCalls number of model calls
     * @param modelEvaluations number of examples the model evaluated over all calls
     */
    public record Timing(long totalNanos, long modelNanos, int modelCalls, long modelEvaluations) {
        public double totalMillis() {
            return totalNanos / 1e6;
        }

        public double modelMillis() {
            return modelNanos / 1e6;
        }
    }
}
