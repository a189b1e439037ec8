package io.attrib4j.recourse;

import java.util.List;

/**
 * One counterfactual of a row, with the measures of the issue, all computed from a final forward pass of the
 * model on {@link #values()} (never from the search's own bookkeeping).
 *
 * @param values the counterfactual row
 * @param predictedClass the model's class for it (argmax of its output)
 * @param probability softmax probability of the desired class
 * @param valid whether {@code predictedClass} is the desired class
 * @param proximity MAD-scaled L1 distance to the row, {@code sum_j |c_j - x_j| / MAD_j}
 * @param sparsity number of changed features
 * @param plausibility mean MAD-scaled L1 distance to the nearest training rows (smaller: nearer the data)
 * @param changes the changed features, largest scaled change first
 * @param narrative the change in words
 */
public record Counterfactual(float[] values, int predictedClass, double probability, boolean valid,
        double proximity, int sparsity, double plausibility, List<Change> changes, String narrative) {

    public Counterfactual {
        values = values.clone();
        changes = List.copyOf(changes);
    }

    @Override
    public float[] values() {
        return values.clone();
    }

    /** A changed feature: its index, name, and old and new values. */
    public record Change(int feature, String name, float from, float to) {}
}
