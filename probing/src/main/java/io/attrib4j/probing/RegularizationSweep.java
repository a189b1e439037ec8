package io.attrib4j.probing;

import java.util.List;

/**
 * Cross-validated scores of a probe for each L2 strength, and the one chosen: the highest mean CV
 * accuracy, ties going to the larger {@code λ} (the simpler probe). Every {@code λ} is scored on the
 * same folds. The chosen {@code λ}'s own score is optimistically biased (it was selected on those
 * folds); report it on held-out data, or nest this sweep inside an outer {@link CrossValidation}.
 *
 * @param lambdas the L2 strengths tried, in the order given
 * @param results the cross-validation result of each
 * @param bestLambda the chosen strength
 * @param best the chosen strength's result
 */
public record RegularizationSweep(List<Double> lambdas, List<CrossValidationResult> results, double bestLambda,
        CrossValidationResult best) {

    public RegularizationSweep {
        lambdas = List.copyOf(lambdas);
        results = List.copyOf(results);
    }
}
