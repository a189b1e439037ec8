package io.attrib4j.engine.model;

/**
 * Capability of a linear or generalized linear model: {@code margin_o = b_o + sum_j w[o][j] x_j} and
 * {@code prediction = transform(margin)}. Linear SHAP reads it; ask for it with
 * {@code model.capability(LinearWeights.class)}.
 */
public interface LinearWeights {

    /** Number of outputs (margins). */
    int outputs();

    /** Number of input features. */
    int features();

    /** The weight of feature {@code feature} in output {@code output}. */
    double weight(int output, int feature);

    /** The intercept of output {@code output}. */
    double intercept(int output);

    /** Margin to prediction. */
    OutputTransform transform();
}
