package io.attrib4j.metrics;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.ConvergenceDelta;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;

/**
 * Completeness error: how far an attribution's sum is from the output change it explains,
 * <pre>e_i = | sum_j attr_ij - (F_t(x_i) - F_t(b_i)) |</pre>
 * the absolute value of the convergence delta ({@link ConvergenceDelta}, the one shared function).
 *
 * <p>Completeness is the axiom of Integrated Gradients (Sundararajan, Taly &amp; Yan, "Axiomatic
 * Attribution for Deep Networks", ICML 2017) and DeepLIFT's summation-to-delta. Use it to compare
 * integration rules and step counts, or to check that a method meant to be complete is; it says nothing
 * about methods that do not claim completeness (Saliency).
 */
public final class CompletenessError {
    private CompletenessError() {}

    /**
     * The completeness error of each example.
     *
     * @param baseline the reference the attribution was computed against
     * @param attributions {@code [n, ...]}, the input's shape
     * @return one error per example, one model forward in all
     */
    public static float[] compute(ForwardModel model, Tensor input, Baseline baseline, Target target,
            Tensor attributions) {
        MetricInputs.validate(model, input, target, attributions);
        float[] delta = ConvergenceDelta.compute(new MethodRun(), model, target, baseline.resolve(input), input,
                attributions);
        return abs(delta);
    }

    /** The completeness error recorded with an attribution (its convergence delta, made absolute). */
    public static float[] of(Attribution attribution) {
        return abs(attribution.convergenceDelta().orElseThrow(() -> new InvalidInputException(
                attribution.provenance().method() + " records no convergence delta; call compute(model, input, "
                        + "baseline, target, attributions) to measure its completeness error")));
    }

    private static float[] abs(float[] delta) {
        float[] e = new float[delta.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = Math.abs(delta[i]);
        }
        return e;
    }
}
