package io.attrib4j.serving;

import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.spec.MethodSpec;
import io.attrib4j.engine.spec.Methods;
import java.time.Duration;

/**
 * One step of an {@link Explainer}'s fallback chain: a method and an optional first guess of its cost, used
 * until the step has measured latencies of its own. The method's {@link AttributionMethod#spec() spec} (every
 * option, defaults included) is the step's cache key and what the audit record stores, so two steps that
 * differ in any option (a rule, a baseline) never share a cached explanation.
 *
 * @param name a short unique label ("ig32", or the spec's text), recorded in responses
 * @param method the attribution method
 * @param expectedCost the cost assumed before the first measurement; {@link Duration#ZERO}: unknown, try it
 */
public record FallbackStep(String name, AttributionMethod method, Duration expectedCost) {

    public FallbackStep {
        if (name == null || name.isBlank() || method == null || expectedCost == null || expectedCost.isNegative()) {
            throw new InvalidOptionException("a fallback step needs a non-blank name, a method and a non-negative "
                    + "expected cost; build it with FallbackStep.of(spec) or FallbackStep.of(name, method)");
        }
    }

    /** A step with no prior cost estimate. */
    public static FallbackStep of(String name, AttributionMethod method) {
        return new FallbackStep(name, method, Duration.ZERO);
    }

    /** The step {@code spec} describes, named by its text form ({@code ig(steps=32)}). */
    public static FallbackStep of(MethodSpec spec) {
        return of(spec.toText(), Methods.create(spec));
    }

    /** The step the text form describes ({@code "ig(steps=32)"}, {@code "kernelshap(samples=256)"}). */
    public static FallbackStep of(String spec) {
        return of(MethodSpec.parse(spec));
    }

    /** Integrated Gradients with {@code steps} Gauss-Legendre steps and Captum's other defaults. */
    public static FallbackStep integratedGradients(int steps) {
        return of("ig" + steps, Methods.create(MethodSpec.of("ig").with("steps", steps)));
    }

    /** Saliency with Captum's default (absolute gradients). */
    public static FallbackStep saliency() {
        return of("saliency", Methods.create(MethodSpec.of("saliency")));
    }

    /** This step with a first guess of its cost. */
    public FallbackStep withExpectedCost(Duration cost) {
        return new FallbackStep(name, method, cost);
    }

    /** The method as a value: every option, defaults included. */
    public MethodSpec spec() {
        return method.spec();
    }

    /** The cache key of the method: its spec's key, e.g. {@code ig(steps=32, rule=gausslegendre, ...)}. */
    public String methodKey() {
        return spec().key();
    }
}
