package io.attrib4j.engine.model;

/**
 * How a tree ensemble or linear model turns its margins (raw scores, one per output group) into its
 * prediction. TreeSHAP and Linear SHAP explain the margin; the transform says how to read it.
 */
public enum OutputTransform {
    /** prediction = margin (regression, raw scores). */
    IDENTITY,
    /** prediction = 1 / (1 + exp(-margin)), per group (binary classification, one group). */
    SIGMOID,
    /** prediction_k = exp(margin_k) / sum_j exp(margin_j) over the groups (multiclass). */
    SOFTMAX;

    /** Applies the transform to {@code margins} in place. */
    public void apply(double[] margins) {
        switch (this) {
            case IDENTITY -> { }
            case SIGMOID -> {
                for (int k = 0; k < margins.length; k++) {
                    margins[k] = 1.0 / (1.0 + Math.exp(-margins[k]));
                }
            }
            case SOFTMAX -> {
                double max = Double.NEGATIVE_INFINITY;
                for (double m : margins) {
                    max = Math.max(max, m);
                }
                double sum = 0;
                for (int k = 0; k < margins.length; k++) {
                    margins[k] = Math.exp(margins[k] - max);
                    sum += margins[k];
                }
                for (int k = 0; k < margins.length; k++) {
                    margins[k] /= sum;
                }
            }
        }
    }
}
