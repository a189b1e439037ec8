package io.attrib4j.recourse;

import java.util.List;

/**
 * The counterfactuals of one row, or the reason there are none.
 *
 * @param row the explained row
 * @param originalClass the model's class for the row
 * @param desiredClass the class the counterfactuals should get
 * @param status whether counterfactuals were found, and if not why
 * @param message the status in words
 * @param counterfactuals the k counterfactuals (empty unless {@link Status#FOUND}); invalid ones are kept and flagged
 * @param diversity mean pairwise MAD-scaled L1 distance between the counterfactuals (0 for fewer than two)
 * @param search "adam" or "genetic"
 * @param steps Adam iterations or genetic generations the search ran
 * @param options the options that made it
 */
public record CounterfactualResult(float[] row, int originalClass, int desiredClass, Status status, String message,
        List<Counterfactual> counterfactuals, double diversity, String search, int steps,
        CounterfactualOptions options) {

    /** Why a result has or lacks counterfactuals. */
    public enum Status {
        /** The search returned counterfactuals (see each one's {@code valid}). */
        FOUND,
        /** The constraints leave nothing to change: no counterfactual exists under them. */
        INFEASIBLE,
        /** The row already has the desired class. */
        ALREADY_DESIRED
    }

    public CounterfactualResult {
        row = row.clone();
        counterfactuals = List.copyOf(counterfactuals);
    }

    @Override
    public float[] row() {
        return row.clone();
    }

    /** Fraction of the counterfactuals that are valid (0 when there are none). */
    public double validity() {
        return counterfactuals.isEmpty() ? 0
                : counterfactuals.stream().filter(Counterfactual::valid).count() / (double) counterfactuals.size();
    }
}
