package io.attrib4j.engine.model;

/**
 * A model capability: why a model that runs forward only has no gradients (for example, the ONNX operators the
 * differentiable executor lacks, by node). Methods that need gradients or stages put it in their refusal, so a
 * user reads what is missing and what to use instead rather than only "runs forward only".
 */
public interface ForwardOnly {

    /** Why this model gives no gradients, and what to do instead. */
    String whyNoGradients();
}
