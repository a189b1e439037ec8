package io.attrib4j.gradients;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Inputs;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.ModelExecutionException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.GradientModel;
import io.attrib4j.engine.model.Models;
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

    /**
     * A baseline distribution option ({@code baselines} of GradientSHAP and DeepLIFT-SHAP) when given:
     * {@code [m, ...example shape]} with {@code m >= 1} finite rows; {@code null} (not given) passes.
     *
     * @throws InvalidOptionException for a tensor without a batch dimension or with no rows
     * @throws io.attrib4j.engine.InvalidInputException for non-finite values
     */
    static Tensor checkBaselineSet(Tensor baselines) {
        if (baselines == null) {
            return null;
        }
        if (baselines.shape().rank() < 2) {
            throw new InvalidOptionException("baselines of shape " + baselines.shape() + " have no batch dimension; "
                    + "give a tensor [m, ...example shape] (one reference of shape [12] is [1, 12])");
        }
        if (baselines.batch() == 0) {
            throw new InvalidOptionException("empty baseline set (baselines of shape " + baselines.shape() + "); give "
                    + "at least one reference, as a tensor [m, ...example shape] with m >= 1");
        }
        Inputs.requireFinite(baselines, "baselines");
        return baselines;
    }

    /** The required {@code baselines} option of method {@code specName}, or an error that says how to give it. */
    static Tensor requireBaselineSet(Tensor baselines, String specName) {
        if (baselines == null) {
            throw new InvalidOptionException(specName + " needs option 'baselines': a baseline set [m, ...] of m >= 1 "
                    + "reference examples, e.g. a sample of training inputs; in a spec a .npy file, e.g. " + specName
                    + "(baselines=dist.npy) (--baselines dist.npy on the command line), in Java the builder's "
                    + "baselines option");
        }
        return baselines;
    }

    /** Rejects a null option with a message naming it. */
    static <T> T require(T value, String option) {
        if (value == null) {
            throw new InvalidOptionException(option + " is null; pass a value or leave the default");
        }
        return value;
    }
}
