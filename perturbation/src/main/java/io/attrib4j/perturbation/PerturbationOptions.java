package io.attrib4j.perturbation;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import java.util.Map;

/**
 * The options every method of this package shares, as components of each method's own options record:
 * the baseline an absent feature takes and the batching ({@code perturbationsPerEval}); {@link Grouped}
 * adds the feature mask of the group-based methods. Their defaults, checks and the result wrapping live here
 * once, for the records, the builders ({@link PerturbationBuilder}) and {@link PerturbedEvaluation}.
 */
interface PerturbationOptions {
    /** Captum's default baseline: zeros. */
    Baseline DEFAULT_BASELINE = Baseline.zeros();
    /** Captum's default {@code perturbations_per_eval}: one perturbed copy of the batch per model call. */
    int DEFAULT_PERTURBATIONS_PER_EVAL = 1;

    /** The value an absent (ablated, occluded) feature takes. */
    Baseline baseline();

    /** Perturbed copies of the batch per model call. */
    int perturbationsPerEval();

    /** The options of the methods whose features are groups given by a mask. */
    interface Grouped extends PerturbationOptions {
        /** Integer group ids, or {@code null}: every element its own group. */
        Tensor featureMask();
    }

    /** Checks the shared options (every record's compact constructor calls this). */
    static void checkShared(Baseline baseline, int perturbationsPerEval) {
        require(baseline, "baseline");
        requirePositive(perturbationsPerEval, "perturbationsPerEval", "perturbed copies per model call");
    }

    /** Rejects a null option with a message naming it. */
    /** Recorded binary draws (one row per sample) as a [samples, groups] 0/1 tensor option. */
    static Tensor drawsTensor(boolean[][] draws) {
        require(draws, "draws");
        int m = draws.length == 0 ? 0 : require(draws[0], "draws[0]").length;
        float[] v = new float[draws.length * m];
        for (int s = 0; s < draws.length; s++) {
            if (require(draws[s], "draws[" + s + "]").length != m) {
                throw new InvalidOptionException("recorded draw " + s + " has " + draws[s].length + " entries but draw 0 "
                        + "has " + m + "; every draw has one entry per feature group");
            }
            for (int g = 0; g < m; g++) {
                v[s * m + g] = draws[s][g] ? 1 : 0;
            }
        }
        return Tensor.of(v, draws.length, m);
    }

    /** The recorded draws of a {@code draws} option, checked against the input's {@code m} feature groups. */
    static boolean[][] draws(Tensor draws, int m) {
        if (draws.shape().rank() != 2 || draws.shape().dim(1) != m) {
            throw new InvalidOptionException("recorded draws have shape " + draws.shape() + " but the input has " + m
                    + " feature groups; record them with the same feature mask, as [samples, " + m + "]");
        }
        boolean[][] on = new boolean[draws.batch()][m];
        for (int s = 0; s < on.length; s++) {
            for (int g = 0; g < m; g++) {
                on[s][g] = draws.get(s, g) != 0;
            }
        }
        return on;
    }

    static <T> T require(T value, String option) {
        if (value == null) {
            throw new InvalidOptionException(option + " is null; pass a value or leave the default");
        }
        return value;
    }

    /** Rejects {@code value < 1} with a message naming the option and what it counts. */
    static int requirePositive(int value, String option, String counts) {
        if (value < 1) {
            throw new InvalidOptionException(option + " = " + value + "; use a positive number of " + counts);
        }
        return value;
    }

    /**
     * The attribution with this run's provenance, built from the method's spec, followed by what the run
     * measured ({@code outputs}); no backend: the arithmetic is plain Java.
     */
    static Attribution wrap(MethodRun run, AttributionMethod method, Map<String, Object> outputs, Tensor values,
            float[] delta, Target target, ForwardModel model) {
        return new Attribution(values, delta, run.provenance(method, outputs, target, model, null));
    }
}
