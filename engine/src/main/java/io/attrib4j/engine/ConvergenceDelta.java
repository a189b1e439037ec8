package io.attrib4j.engine;

import io.attrib4j.engine.model.ForwardModel;
import java.util.List;

/**
 * The completeness gap, computed one way for every method (Captum's
 * {@code compute_convergence_delta}): for each row,
 * <pre>delta = sum(attr) - (F(end)[t] - F(start)[t])</pre>
 * signed, with {@code end} the input and {@code start} the baseline of that row. Methods that satisfy
 * completeness (Integrated Gradients, DeepLIFT) have deltas near zero; the size of the delta measures
 * the integration error.
 */
public final class ConvergenceDelta {
    private ConvergenceDelta() {}

    /**
     * @param run the method run (the forward is timed with it)
     * @param model the model
     * @param target the target of each row
     * @param start the baseline of each row, {@code [n, ...]}
     * @param end the input of each row, {@code [n, ...]}
     * @param attributions {@code [n, ...]} (any per-row shape: only row sums are used)
     * @return one delta per row
     */
    public static float[] compute(MethodRun run, ForwardModel model, Target target, Tensor start, Tensor end,
            Tensor attributions) {
        return fromChange(outputChange(run, model, target, start, end), attributions);
    }

    /** {@code sum(attr_i) - change_i} per row, for callers that already have the output change. */
    public static float[] fromChange(float[] change, Tensor attributions) {
        float[] sums = attributions.rowSums();
        float[] delta = new float[change.length];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = sums[i] - change[i];
        }
        return delta;
    }

    /**
     * {@code F(end)[t] - F(start)[t]} per row (signed), from one forward over both batches: what a
     * complete attribution sums to.
     */
    public static float[] outputChange(MethodRun run, ForwardModel model, Target target, Tensor start, Tensor end) {
        int n = end.batch();
        Tensor both = run.forward(model, Tensor.concatRows(List.of(end, start)));
        int[] twice = new int[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            twice[i] = i % n;
        }
        float[] f = target.gather(twice).select(both);
        float[] change = new float[n];
        for (int i = 0; i < n; i++) {
            change[i] = f[i] - f[n + i];
        }
        return change;
    }
}
