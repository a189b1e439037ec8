package io.attrib4j.engine;

import io.attrib4j.engine.spec.MethodSpec;
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
 * @param spec the method as a value, every option included ({@link io.attrib4j.engine.spec.Methods#resolve}):
 *     building {@code Methods.create(spec)} gives the same method; {@code null} for results made outside a method
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
        Instant createdAt,
        MethodSpec spec) {

    public Provenance {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** This provenance with the timing replaced (a wrapper reports its own total). */
    public Provenance withTiming(Timing timing) {
        return new Provenance(method, parameters, target, modelName, modelFormat, modelHash, backend, seed,
                libraryVersion, timing, createdAt, spec);
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
