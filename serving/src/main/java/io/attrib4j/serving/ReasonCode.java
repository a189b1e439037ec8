package io.attrib4j.serving;

/**
 * One adverse-action reason: a feature that pushed the decision toward the adverse outcome.
 *
 * @param rank 1 for the strongest reason
 * @param feature the feature's index in the input row
 * @param reason the human-readable reason from the feature dictionary
 * @param value the feature's value in the input
 * @param attribution its signed attribution toward the adverse class (positive)
 */
public record ReasonCode(int rank, int feature, String reason, float value, float attribution) {}
