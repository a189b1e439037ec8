package io.attrib4j.engine;

import io.attrib4j.engine.model.ForwardModel;

/**
 * Several targets for the same inputs in one call. Each (example, target) pair becomes one row of an
 * expanded batch, row {@code i*k + c} holding example {@code i} with target {@code classes[c]}, and the
 * method runs once on that batch: one batched pass through the model (per chunk, for methods that
 * chunk), not a loop over targets.
 *
 * <p>The method's baseline must not be per-example (a tensor with one row per original example): use
 * zeros, a constant, or a single-row baseline, which apply to every row.
 */
public final class MultiTarget {
    private MultiTarget() {}

    /**
     * @param classes the output indices to explain for every example (at least one)
     * @return attributions with {@code N * classes.length} rows, row {@code i*k + c} for example
     *     {@code i} and target {@code classes[c]}; deltas likewise
     */
    public static Attribution attribute(AttributionMethod method, ForwardModel model, Tensor input, int... classes) {
        if (classes.length == 0) {
            throw new InvalidTargetException("no targets given; name at least one output index to explain");
        }
        Inputs.requireFinite(input, "input");
        int n = input.batch();
        int k = classes.length;
        int[] rows = new int[n * k];
        int[] targets = new int[n * k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                rows[i * k + c] = i;
                targets[i * k + c] = classes[c];
            }
        }
        return method.attribute(model, input.gatherRows(rows), Target.perExample(targets));
    }
}
