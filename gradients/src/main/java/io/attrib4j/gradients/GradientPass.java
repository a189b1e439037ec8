package io.attrib4j.gradients;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.ModelExecutionException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.GradientModel;
import io.attrib4j.engine.model.Models;
import java.util.Map;
import java.util.function.BinaryOperator;

/**
 * The steps every gradient method of this package shares: validate the call, take one shape-checked
 * gradient through the model seam, and wrap the result with its provenance.
 */
final class GradientPass {
    private GradientPass() {}

    /** Validates input and target and returns the model's gradient view (or a typed error). */
    static GradientModel validate(ForwardModel model, Tensor input, Target target, String method) {
        MethodRun.validate(model, input, target);
        return Models.requireGradients(model, method);
    }

    /** d target / d input for each row of {@code input}, checked to have the input's shape. */
    static Tensor inputGradient(MethodRun run, GradientModel model, Tensor input, Target target) {
        Tensor g = run.gradients(model, input, target).inputGradient();
        if (g == null || !g.shape().equals(input.shape())) {
            throw new ModelExecutionException("model '" + model.info().name() + "' returned an input gradient of shape "
                    + (g == null ? "null" : g.shape()) + " for an input of shape " + input.shape()
                    + "; a GradientModel must return one gradient element per input element");
        }
        return g;
    }

    /** The attribution with this run's provenance, built from the method's spec. */
    static Attribution wrap(MethodRun run, AttributionMethod method, Tensor values, float[] delta, Target target,
            ForwardModel model, Backend backend) {
        return new Attribution(values, delta, run.provenance(method, target, model, backend));
    }

    /**
     * The plain-gradient pipeline: validate, one gradient at the input, {@code values = combine(input,
     * gradient)}, wrap (no convergence delta).
     */
    static Attribution atInput(AttributionMethod method, Backend backend, ForwardModel model, Tensor input,
            Target target, BinaryOperator<Tensor> combine) {
        GradientModel gradientModel = validate(model, input, target, method.name());
        MethodRun run = new MethodRun();
        Tensor gradient = inputGradient(run, gradientModel, input, target);
        return wrap(run, method, combine.apply(input, gradient), null, target, model, backend);
    }

    /** The attribution with this run's provenance. */
    static Attribution wrap(MethodRun run, String method, Map<String, Object> parameters, Tensor values,
            float[] delta, Target target, ForwardModel model, Backend backend) {
        return wrap(run, method, parameters, values, delta, target, model, backend, null);
    }

    /** The attribution with this run's provenance, recording the seed of a stochastic method. */
    static Attribution wrap(MethodRun run, String method, Map<String, Object> parameters, Tensor values,
            float[] delta, Target target, ForwardModel model, Backend backend, Long seed) {
        return new Attribution(values, delta, run.provenance(method, parameters, target, model, backend, seed));
    }

    /**
     * The plain-gradient pipeline: validate, one gradient at the input, {@code values = combine(input,
     * gradient)}, wrap (no convergence delta).
     */
    static Attribution atInput(String method, Map<String, Object> parameters, Backend backend, ForwardModel model,
            Tensor input, Target target, BinaryOperator<Tensor> combine) {
        GradientModel gradientModel = validate(model, input, target, method);
        MethodRun run = new MethodRun();
        Tensor gradient = inputGradient(run, gradientModel, input, target);
        return wrap(run, method, parameters, combine.apply(input, gradient), null, target, model, backend);
    }

    /** Rejects a null option with a message naming it. */
    static <T> T require(T value, String option) {
        if (value == null) {
            throw new InvalidOptionException(option + " is null; pass a value or leave the default");
        }
        return value;
    }
}
