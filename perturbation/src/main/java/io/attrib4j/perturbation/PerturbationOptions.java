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
