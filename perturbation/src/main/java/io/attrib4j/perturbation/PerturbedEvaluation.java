package io.attrib4j.perturbation;

import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.ModelExecutionException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;

/**
 * The "perturb and evaluate in batches" machinery every method of this package shares (Captum's
 * {@code perturbations_per_eval}): perturbed copies of the input batch go through the model
 * {@code perEval} copies at a time, so at most {@code perEval * N} perturbed rows exist at once.
 *
 * <p>Batch layout, as Captum's: within one model call, row {@code q*N + i} is perturbation {@code q}
 * of example {@code i}; the target is gathered the same way.
 */
final class PerturbedEvaluation {
    private PerturbedEvaluation() {}

    /** Writes perturbation {@code p} of example {@code i} into {@code rows[offset ..]}, which holds a copy of the example. */
    interface Perturber {
        void perturb(int p, int example, float[] rows, int offset);
    }

    /** The element indices (within one example) that perturbation {@code p} of example {@code i} sets to the baseline. */
    interface ElementSets {
        int[] elements(int p, int example);
    }

    /** {@code F(x_i)[t_i]} for every example, from one model call. */
    static float[] targetValues(MethodRun run, ForwardModel model, Tensor input, Target target) {
        return select(run.forward(model, input), input.batch(), target, model);
    }

    /**
     * {@code F(perturbation p of x_i)[t_i]} as {@code [count][N]}, from {@code ceil(count / perEval)} model
     * calls of at most {@code perEval * N} rows each.
     */
    static float[][] evaluate(MethodRun run, ForwardModel model, Tensor input, Target target, int count, int perEval,
            Perturber perturber) {
        int n = input.batch();
        int rs = input.rowSize();
        float[] x = input.data();
        float[][] out = new float[count][];
        for (int from = 0; from < count; from += perEval) {
            int copies = Math.min(perEval, count - from);
            float[] rows = new float[copies * n * rs];
            int[] rowMap = new int[copies * n];
            for (int q = 0; q < copies; q++) {
                System.arraycopy(x, 0, rows, q * n * rs, n * rs);
                for (int i = 0; i < n; i++) {
                    rowMap[q * n + i] = i;
                    perturber.perturb(from + q, i, rows, (q * n + i) * rs);
                }
            }
            Tensor batch = Tensor.of(rows, input.shape().withBatch(copies * n));
            float[] f = select(run.forward(model, batch), copies * n, target.gather(rowMap), model);
            for (int q = 0; q < copies; q++) {
                out[from + q] = java.util.Arrays.copyOfRange(f, q * n, (q + 1) * n);
            }
        }
        return out;
    }

    /**
     * Ablation attribution, shared by {@link FeatureAblation} and {@link Occlusion}: for each element,
     * the mean over the perturbations that ablate it of {@code F(x)[t] - F(x with the set at baseline)[t]};
     * elements no perturbation touches get 0. Uses {@code 1 + ceil(count / perEval)} model calls.
     */
    static Tensor ablation(MethodRun run, ForwardModel model, Tensor input, Tensor base, Target target, int count,
            int perEval, ElementSets sets) {
        int n = input.batch();
        int rs = input.rowSize();
        float[] b = base.data();
        float[] original = targetValues(run, model, input, target);
        float[][] ablated = evaluate(run, model, input, target, count, perEval, (p, i, rows, off) -> {
            for (int j : sets.elements(p, i)) {
                rows[off + j] = b[i * rs + j];
            }
        });
        double[] total = new double[n * rs];
        int[] times = new int[n * rs];
        for (int p = 0; p < count; p++) {
            for (int i = 0; i < n; i++) {
                double diff = (double) original[i] - ablated[p][i];
                for (int j : sets.elements(p, i)) {
                    total[i * rs + j] += diff;
                    times[i * rs + j]++;
                }
            }
        }
        float[] attr = new float[n * rs];
        for (int e = 0; e < attr.length; e++) {
            attr[e] = times[e] == 0 ? 0f : (float) (total[e] / times[e]);
        }
        return Tensor.of(attr, input.shape());
    }

    private static float[] select(Tensor output, int rows, Target target, ForwardModel model) {
        if (output.shape().rank() < 1 || output.batch() != rows) {
            throw new ModelExecutionException("model '" + model.info().name() + "' returned output of shape "
                    + output.shape() + " for a batch of " + rows + " rows; a model must return one output row per "
                    + "input row");
        }
        return target.select(output);
    }
}
