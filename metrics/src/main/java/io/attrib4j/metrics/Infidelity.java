package io.attrib4j.metrics;

import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import java.util.SplittableRandom;

/**
 * Infidelity (Yeh, Hsieh, Suggala, Inouye &amp; Ravikumar, "On the (In)fidelity and Sensitivity of
 * Explanations", NeurIPS 2019), computed as Captum's {@code captum.metrics.infidelity}:
 * <pre>
 * INFD(attr, F, x) = E_I [ (beta I . attr - (F_t(x) - F_t(x - I)))^2 ]
 * </pre>
 * estimated with {@code samples} perturbations {@code I ~ N(0, stdev^2)} per element (seeded), perturbed
 * inputs {@code x - I}. Without {@code normalize}, {@code beta = 1}; with it, {@code beta} is Captum's
 * least-squares scale {@code sum_j a_j b_j / sum_j a_j^2} over the samples ({@code a = I . attr},
 * {@code b} the output change), which removes the attribution's overall scale.
 *
 * <p>Attributions multiplied by {@code (x - baseline)} (Integrated Gradients, GradientSHAP and DeepLIFT
 * with {@code multiplyByInputs}) are compared with the perturbation divided by {@code (x - baseline)},
 * as Captum's {@code infidelity_perturb_func_decorator(multiply_by_inputs=True)} does (0 where
 * {@code x = baseline}); set that with {@link Builder#optMultipliedByInputs}. Then for a linear model
 * {@code F = w.x + c} both the gradient ({@code attr = w}) and exact IG ({@code attr = w (x - b)}) have
 * infidelity 0: {@code I . w = F(x) - F(x - I)}.
 *
 * <p>Lower is better. Captum has no default perturbation; this class draws Gaussian noise of
 * {@code stdev} (default 0.1), {@code samples} (default 10, Captum's {@code n_perturb_samples}).
 * All {@code n * samples} perturbed inputs are evaluated in batches of {@code batchSize}.
 */
public final class Infidelity {
    private final int samples;
    private final double stdev;
    private final boolean normalize;
    private final boolean multipliedByInputs;
    private final Baseline baseline;
    private final long seed;
    private final int batchSize;
    private final Tensor draws;

    private Infidelity(Builder b) {
        this.samples = b.samples;
        this.stdev = b.stdev;
        this.normalize = b.normalize;
        this.multipliedByInputs = b.multipliedByInputs;
        this.baseline = b.baseline;
        this.seed = b.seed;
        this.batchSize = b.batchSize;
        this.draws = b.draws;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The infidelity of each example's attribution. */
    public float[] compute(ForwardModel model, Tensor input, Target target, Tensor attributions) {
        MetricInputs.validate(model, input, target, attributions);
        int n = input.batch();
        int d = input.rowSize();
        float[] x = input.data();
        float[] b = baseline.resolve(input).data();
        float[] attr = attributions.data();
        float[] recorded = draws == null ? null : MetricInputs.requireDraws(draws, input, samples, "perturbations").data();
        SplittableRandom random = new SplittableRandom(seed);
        float[] perturbed = new float[n * (samples + 1) * d];
        double[] dot = new double[n * samples];
        for (int i = 0; i < n; i++) {
            int rowBase = i * (samples + 1);
            System.arraycopy(x, i * d, perturbed, rowBase * d, d);
            for (int s = 0; s < samples; s++) {
                int off = (rowBase + 1 + s) * d;
                double a = 0;
                for (int j = 0; j < d; j++) {
                    int e = i * d + j;
                    float noise = recorded == null ? (float) (stdev * random.nextGaussian())
                            : recorded[(i * samples + s) * d + j];
                    perturbed[off + j] = x[e] - noise;
                    float scaled = multipliedByInputs ? safeDivide(noise, x[e] - b[e]) : noise;
                    a += (double) scaled * attr[e];
                }
                dot[i * samples + s] = a;
            }
        }
        Tensor batch = Tensor.of(perturbed, input.shape().withBatch(n * (samples + 1)));
        float[] f = MetricInputs.scores(model, batch, target, samples + 1, batchSize);
        float[] result = new float[n];
        for (int i = 0; i < n; i++) {
            double aa = 0;
            double ab = 0;
            double bb = 0;
            for (int s = 0; s < samples; s++) {
                double a = dot[i * samples + s];
                double change = (double) f[i * (samples + 1)] - f[i * (samples + 1) + 1 + s];
                aa += a * a;
                ab += a * change;
                bb += change * change;
            }
            double beta = normalize ? (aa == 0 ? ab : ab / aa) : 1;
            result[i] = (float) ((beta * beta * aa - 2 * beta * ab + bb) / samples);
        }
        return result;
    }

    /** The perturbation scaled by 1 / (x - b), 0 where x = b (so that element contributes nothing). */
    private static float safeDivide(float num, float den) {
        return den == 0 ? 0f : num / den;
    }

    /** Options; {@link #build()} validates them. */
    public static final class Builder {
        private int samples = 10;
        private double stdev = 0.1;
        private boolean normalize;
        private boolean multipliedByInputs;
        private Baseline baseline = Baseline.zeros();
        private long seed = 42L;
        private int batchSize = 64;
        private Tensor draws;

        private Builder() {}

        /** Perturbations per example (default 10). */
        public Builder optSamples(int samples) {
            this.samples = samples;
            return this;
        }

        /** Standard deviation of the Gaussian perturbation (default 0.1). */
        public Builder optStdev(double stdev) {
            this.stdev = stdev;
            return this;
        }

        /** Captum's {@code normalize}: rescale the attribution by the least-squares beta (default false). */
        public Builder optNormalize(boolean normalize) {
            this.normalize = normalize;
            return this;
        }

        /**
         * Whether the attributions were multiplied by {@code (x - baseline)} (default false); the
         * baseline is {@link #optBaseline}'s.
         */
        public Builder optMultipliedByInputs(boolean multipliedByInputs) {
            this.multipliedByInputs = multipliedByInputs;
            return this;
        }

        /** The baseline the attributions were computed against (default zeros); used with multipliedByInputs. */
        public Builder optBaseline(Baseline baseline) {
            this.baseline = baseline;
            return this;
        }

        /** Seed of the perturbations (default 42). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Most perturbed inputs per model call (default 64). */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Recorded perturbations {@code I} to use instead of drawing ({@code [N * samples, ...]}, row
         * {@code i * samples + s}, as Captum's {@code repeat_interleave} lays them out; already scaled, the stdev and
         * seed are not used). Checked against each call's input.
         */
        public Builder optDraws(Tensor draws) {
            this.draws = draws;
            return this;
        }

        public Infidelity build() {
            if (samples < 1 || batchSize < 1) {
                throw new InvalidOptionException("samples and batchSize must be at least 1, got samples=" + samples
                        + ", batchSize=" + batchSize);
            }
            MetricInputs.requirePositive("stdev", stdev);
            if (baseline == null) {
                throw new InvalidOptionException("baseline must not be null; leave it unset for zeros");
            }
            return new Infidelity(this);
        }
    }
}
