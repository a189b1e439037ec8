package io.attrib4j.serving;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.Tensor;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The answer to an {@link ExplainRequest}: the prediction, and the explanation with where it came from.
 *
 * @param requestId unique id; asynchronous results are retrieved with it
 * @param modelHash content hash of the model that predicted and explained
 * @param output the model output, one row per example
 * @param predictedClasses arg max of each output row
 * @param target the explained target, described
 * @param source LIVE, CACHE, DEGRADED or PENDING
 * @param attribution the explanation; empty while PENDING, or DEGRADED with every step unavailable
 * @param step the fallback step that produced the explanation, if any
 * @param attempts what happened to each step tried, in order ("ig32: skipped, estimated 80 ms > 20 ms left")
 * @param latency time from the request to this answer
 */
public record ExplainResponse(String requestId, String modelHash, Tensor output, int[] predictedClasses,
        String target, Source source, Optional<Attribution> attribution, Optional<String> step,
        List<String> attempts, Duration latency) {

    public ExplainResponse {
        predictedClasses = predictedClasses.clone();
        attempts = List.copyOf(attempts);
    }

    @Override
    public int[] predictedClasses() {
        return predictedClasses.clone();
    }

    /** Why this source and step: the outcomes of the steps before the chosen one, or "first step". */
    public String reason() {
        return attempts.isEmpty() ? "first step" : String.join("; ", attempts);
    }
}
