package io.attrib4j.serving;

import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.gradients.IntegratedGradients;
import io.attrib4j.gradients.Saliency;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One step of an {@link Explainer}'s fallback chain: a method, the options it was built with (part of the
 * cache key and of the audit record), and an optional first guess of its cost, used until the step has
 * measured latencies of its own.
 *
 * @param name a short unique label ("ig32"), recorded in responses
 * @param method the attribution method
 * @param parameters the method's options, by name
 * @param expectedCost the cost assumed before the first measurement; {@link Duration#ZERO}: unknown, try it
 */
public record FallbackStep(String name, AttributionMethod method, Map<String, Object> parameters,
        Duration expectedCost) {

    public FallbackStep {
        if (name == null || name.isBlank() || method == null || parameters == null || expectedCost == null
                || expectedCost.isNegative()) {
            throw new InvalidOptionException("a fallback step needs a non-blank name, a method, its parameters and a "
                    + "non-negative expected cost; build it with FallbackStep.of(name, method, parameters)");
        }
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** A step with no prior cost estimate. */
    public static FallbackStep of(String name, AttributionMethod method, Map<String, Object> parameters) {
        return new FallbackStep(name, method, parameters, Duration.ZERO);
    }

    /** Integrated Gradients with {@code steps} Gauss-Legendre steps and Captum's other defaults. */
    public static FallbackStep integratedGradients(int steps) {
        return of("ig" + steps, IntegratedGradients.builder().optSteps(steps).build(), Map.of("steps", steps));
    }

    /** Saliency with Captum's default (absolute gradients). */
    public static FallbackStep saliency() {
        return of("saliency", Saliency.withDefaults(), Map.of("abs", true));
    }

    /** This step with a first guess of its cost. */
    public FallbackStep withExpectedCost(Duration cost) {
        return new FallbackStep(name, method, parameters, cost);
    }

    /** Method name and options in a canonical order, e.g. {@code IntegratedGradients{steps=32}}. */
    public String methodKey() {
        return method.name() + new TreeMap<>(parameters);
    }
}
