package io.attrib4j.engine;

import io.attrib4j.engine.model.ForwardModel;

/**
 * An attribution method: given a model, a batch of inputs and a target, says how much each input
 * element contributed to the target scalar. Methods are immutable and thread-safe; their options are
 * fixed at construction. Gradient methods require a {@link io.attrib4j.engine.model.GradientModel}
 * and say so with {@link UnsupportedModelException} otherwise.
 *
 * <p>Every implementation's entry point reads: validate, plan, compute, check, wrap.
 */
public interface AttributionMethod {

    /** The method's name as recorded in provenance. */
    String name();

    /**
     * This method as a value: its registered name and every option ({@link io.attrib4j.engine.spec.Methods}
     * builds the same method from it). Methods outside the registry (ad-hoc test methods) have only a name.
     */
    default io.attrib4j.engine.spec.MethodSpec spec() {
        return io.attrib4j.engine.spec.MethodSpec.of(name());
    }

    /**
     * Attributes the target of each example of {@code input}.
     *
     * @param model the model, reached only through the model seam
     * @param input batch-first input
     * @param target one target scalar per example
     */
    Attribution attribute(ForwardModel model, Tensor input, Target target);
}
