package io.attrib4j.serving;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import java.time.Duration;
import java.util.Optional;

/**
 * One "predict and explain" request.
 *
 * @param input batch-first input
 * @param target the scalar to explain; empty: each example's predicted class (arg max of the output)
 * @param budget the latency budget; empty: the explainer's default
 */
public record ExplainRequest(Tensor input, Optional<Target> target, Optional<Duration> budget) {

    public ExplainRequest {
        if (input == null || target == null || budget == null) {
            throw new InvalidInputException("an explain request needs an input; build it with ExplainRequest.of(input)");
        }
        if (budget.isPresent() && (budget.get().isNegative() || budget.get().isZero())) {
            throw new InvalidInputException("latency budget " + budget.get() + " is not positive; give a positive "
                    + "budget such as Duration.ofMillis(200), or none for the explainer's default");
        }
    }

    /** Explain the predicted class within the default budget. */
    public static ExplainRequest of(Tensor input) {
        return new ExplainRequest(input, Optional.empty(), Optional.empty());
    }

    public ExplainRequest withTarget(Target t) {
        return new ExplainRequest(input, Optional.of(t), budget);
    }

    public ExplainRequest withBudget(Duration b) {
        return new ExplainRequest(input, target, Optional.of(b));
    }
}
