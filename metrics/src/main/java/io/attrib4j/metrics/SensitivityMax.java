package io.attrib4j.metrics;

import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Max-sensitivity (Yeh, Hsieh, Suggala, Inouye &amp; Ravikumar, "On the (In)fidelity and Sensitivity
 * of Explanations", NeurIPS 2019), as Captum's {@code captum.metrics.sensitivity_max} with its default
 * perturbation and {@code norm_ord='fro'}:
 * <pre>
 * SENS_MAX(x) = max_{j = 1..samples} || attr(x + d_j) - attr(x) ||_2 / || attr(x) ||_2,
 * d_j ~ U[-radius, radius] per element
 * </pre>
 * (a Monte-Carlo estimate of the maximum over the L-infinity ball of radius {@code radius}; the norms
 * are over the whole flattened example; a zero {@code ||attr(x)||} is replaced by 1, Captum's
 * {@code safe_div}). The explanation of the perturbed inputs uses the same target, repeated per sample.
 * Defaults are Captum's: {@code radius} 0.02, {@code samples} 10. Lower is more robust.
 *
 * <p>The method is called once on the input and on the {@code n * samples} perturbed inputs in batches
 * of {@code batchSize} examples (Captum's {@code max_examples_per_batch}). Use it to compare how
 * stable methods are under imperceptible noise (SmoothGrad should score lower than Saliency).
 */
public final class SensitivityMax {
    private final double radius;
    private final int samples;
    private final long seed;
    private final int batchSize;
    private final Tensor draws;

    private SensitivityMax(Builder b) {
        this.radius = b.radius;
        this.samples = b.samples;
        this.seed = b.seed;
        this.batchSize = b.batchSize;
        this.draws = b.draws;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The max-sensitivity of {@code method}'s attribution of each example. */
    public float[] compute(AttributionMethod method, ForwardModel model, Tensor input, Target target) {
        MethodRun.validate(model, input, target);
        int n = input.batch();
        int d = input.rowSize();
        Tensor original = method.attribute(model, input, target).values();
        SplittableRandom random = new SplittableRandom(seed);
        int[] owner = MetricInputs.repeatInterleave(n, samples);
        Tensor repeated = input.gatherRows(owner);
        float[] noisy = repeated.data().clone();
        float[] recorded = draws == null ? null : MetricInputs.requireDraws(draws, input, samples, "perturbations").data();
        for (int e = 0; e < noisy.length; e++) {
            noisy[e] += recorded == null ? (float) random.nextDouble(-radius, radius) : recorded[e];
        }
        Tensor perturbed = Tensor.of(noisy, repeated.shape());
        Target expanded = target.gather(owner);
        List<Tensor> parts = new ArrayList<>();
        for (int from = 0; from < owner.length; from += batchSize) {
            int to = Math.min(owner.length, from + batchSize);
            int[] rows = java.util.stream.IntStream.range(from, to).toArray();
            parts.add(method.attribute(model, perturbed.rows(from, to), expanded.gather(rows)).values());
        }
        float[] changed = Tensor.concatRows(parts).data();
        float[] a = original.data();
        float[] result = new float[n];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int j = 0; j < d; j++) {
                norm += (double) a[i * d + j] * a[i * d + j];
            }
            norm = norm == 0 ? 1 : Math.sqrt(norm);
            double worst = 0;
            for (int s = 0; s < samples; s++) {
                int off = (i * samples + s) * d;
                double diff = 0;
                for (int j = 0; j < d; j++) {
                    double delta = changed[off + j] - a[i * d + j];
                    diff += delta * delta;
                }
                worst = Math.max(worst, Math.sqrt(diff) / norm);
            }
            result[i] = (float) worst;
        }
        return result;
    }

    /** Options; {@link #build()} validates them. */
    public static final class Builder {
        private double radius = 0.02;
        private int samples = 10;
        private long seed = 42L;
        private int batchSize = 64;
        private Tensor draws;

        private Builder() {}

        /** Half-width of the uniform perturbation (default 0.02, Captum's perturb_radius). */
        public Builder optRadius(double radius) {
            this.radius = radius;
            return this;
        }

        /** Perturbations per example (default 10, Captum's n_perturb_samples). */
        public Builder optSamples(int samples) {
            this.samples = samples;
            return this;
        }

        /** Seed of the perturbations (default 42). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Most perturbed examples per call of the method (default 64). */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Recorded perturbations {@code d} to add instead of drawing ({@code [N * samples, ...]}, row
         * {@code i * samples + s}, as Captum's {@code repeat_interleave} lays them out; the radius and seed are not
         * used). Checked against each call's input.
         */
        public Builder optDraws(Tensor draws) {
            this.draws = draws;
            return this;
        }

        public SensitivityMax build() {
            MetricInputs.requirePositive("radius", radius);
            if (samples < 1 || batchSize < 1) {
                throw new InvalidOptionException("samples and batchSize must be at least 1, got samples=" + samples
                        + ", batchSize=" + batchSize);
            }
            return new SensitivityMax(this);
        }
    }
}
