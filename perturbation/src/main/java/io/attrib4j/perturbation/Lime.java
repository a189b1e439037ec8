package io.attrib4j.perturbation;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.spec.Doc;
import io.attrib4j.engine.spec.MethodOptions;
import io.attrib4j.engine.spec.MethodSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * LIME: fit a weighted linear surrogate around the input and report its coefficients.
 *
 * <pre>
 * z_s     ~ uniform on {0,1}^M                              M = number of feature groups
 * x~_s    = x where z_g = 1, b where z_g = 0
 * pi_s    = exp(-d(x, x~_s)^2 / (2 width^2))                d = 1 - cos(x, x~_s) (default) or |x - x~_s|
 * (c, a)  = argmin sum_s pi_s (F(x~_s)[t] - c - z_s . a)^2 + alpha |a|^2
 * attr_j  = a_group(j)
 * </pre>
 *
 * Ribeiro, Singh and Guestrin, "Why Should I Trust You?", KDD 2016; Captum's {@code Lime} with its default
 * similarity ({@code get_exp_kernel_similarity_function('cosine', kernel_width=1.0)}, measured between the
 * flattened original and perturbed inputs, as Captum does) and default 50 samples. Captum's default surrogate
 * is a Lasso; this one is ridge (closed form, intercept not penalised), {@code alpha} default 0.01.
 * Use it for a quick local linear explanation of any model over a few interpretable features; check the
 * surrogate's weighted R^2, recorded per example in the provenance parameter {@code surrogateR2}: a low
 * value means the linear story is poor. No convergence delta (LIME promises no completeness).
 *
 * <p>The draws are shared by every example of the batch; each example gets its own surrogate.
 * Immutable and thread-safe (given a thread-safe model).
 */
public final class Lime implements AttributionMethod {
    /** Name recorded in provenance. */
    public static final String NAME = "Lime";
    /** Name in a method spec. */
    public static final String SPEC_NAME = "lime";

    /** How far a perturbed input is from the original (Captum's {@code distance_mode}). */
    public enum Distance {
        /** {@code 1 - cosine similarity} of the flattened inputs (Captum's default). */
        COSINE,
        /** Euclidean norm of the difference of the flattened inputs. */
        EUCLIDEAN
    }

    /**
     * The options of LIME, with the defaults in {@link #DEFAULTS} (Captum's where it has one).
     *
     * @param samples number of perturbed samples (Captum's {@code n_samples})
     * @param alpha ridge penalty on the coefficients (0: ordinary weighted least squares)
     * @param distance distance of the proximity kernel
     * @param kernelWidth width of the exponential kernel
     * @param seed seed of the binary draws
     * @param featureMask integer group ids, or {@code null}: every element its own group
     * @param baseline the value an absent feature takes
     * @param perturbationsPerEval perturbed copies of the batch per model call
     */
    public record Options(
            @Doc("number of perturbed samples (Captum's n_samples)") int samples,
            @Doc("ridge penalty on the coefficients; 0 is ordinary weighted least squares") double alpha,
            @Doc("distance of the proximity kernel") Distance distance,
            @Doc("width of the exponential proximity kernel") double kernelWidth,
            @Doc("seed of the binary draws") long seed,
            @Doc("integer group ids (.npy) of the input's shape, one row or one example; unset: every element "
                    + "its own group") Tensor featureMask,
            @Doc("the value an absent feature takes") Baseline baseline,
            @Doc("perturbed copies of the batch per model call") int perturbationsPerEval,
            @Doc("recorded draws to replay instead of drawing, [samples, groups] of 0/1 (a .npy file; Captum's, "
                    + "for parity); unset: drawn from the seed") Tensor draws)
            implements MethodOptions, PerturbationOptions.Grouped {
        /** The defaults: 50 samples, ridge alpha 0.01, cosine kernel of width 1, the default seed, zero baseline. */
        public static final Options DEFAULTS = new Options(50, 0.01, Distance.COSINE, 1.0, MethodOptions.DEFAULT_SEED,
                null, PerturbationOptions.DEFAULT_BASELINE, PerturbationOptions.DEFAULT_PERTURBATIONS_PER_EVAL, null);

        /**
         * @throws InvalidOptionException for samples or perturbationsPerEval below 1, a negative alpha or width, a
         *     null distance or baseline
         */
        public Options {
            PerturbationOptions.checkShared(baseline, perturbationsPerEval);
            PerturbationOptions.require(distance, "distance");
            PerturbationOptions.requirePositive(samples, "samples", "perturbed samples");
            if (!(alpha >= 0) || Double.isInfinite(alpha)) {
                throw new InvalidOptionException("alpha = " + alpha + "; use a finite ridge penalty >= 0");
            }
            if (!(kernelWidth > 0) || Double.isInfinite(kernelWidth)) {
                throw new InvalidOptionException("kernelWidth = " + kernelWidth + "; use a finite width > 0");
            }
        }
    }

    private final Options options;

    /** LIME with these options. */
    public Lime(Options options) {
        this.options = PerturbationOptions.require(options, "options");
    }

    /** A builder with the defaults: 50 samples, cosine kernel of width 1, ridge alpha 0.01, seed 42. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return NAME;
    }

    public Options options() {
        return options;
    }

    @Override
    public MethodSpec spec() {
        return PerturbationMethods.LIME.spec(options);
    }

    /** {@code samples} uniform draws on {0,1}^m, seeded. */
    private boolean[][] draw(int m) {
        SplittableRandom rng = new SplittableRandom(options.seed());
        boolean[][] on = new boolean[options.samples()][m];
        for (boolean[] row : on) {
            for (int g = 0; g < m; g++) {
                row[g] = rng.nextBoolean();
            }
        }
        return on;
    }

    @Override
    public Attribution attribute(ForwardModel model, Tensor input, Target target) {
        MethodRun.validate(model, input, target);
        Tensor base = options.baseline().resolve(input);
        FeatureGroups groups = FeatureGroups.of(options.featureMask(), input);
        int m = groups.count();
        boolean[][] on = options.draws() == null ? draw(m) : PerturbationOptions.draws(options.draws(), m);
        int samples = on.length;
        double[][] design = new double[samples][m + 1];
        for (int s = 0; s < samples; s++) {
            for (int g = 0; g < m; g++) {
                design[s][g] = on[s][g] ? 1 : 0;
            }
            design[s][m] = 1; // intercept
        }
        MethodRun run = new MethodRun();
        float[][] f = PerturbedEvaluation.evaluate(run, model, input, target, samples, options.perturbationsPerEval(),
                (s, i, rows, off) -> groups.ablateOff(on[s], i, base.data(), rows, off));

        double[] penalty = new double[m + 1];
        java.util.Arrays.fill(penalty, 0, m, options.alpha());
        int n = input.batch();
        int rs = input.rowSize();
        double[][] coef = new double[n][];
        List<Double> r2 = new ArrayList<>();
        float[] row = new float[rs];
        for (int i = 0; i < n; i++) {
            double[] y = new double[samples];
            double[] w = new double[samples];
            for (int s = 0; s < samples; s++) {
                y[s] = f[s][i];
                System.arraycopy(input.data(), i * rs, row, 0, rs);
                groups.ablateOff(on[s], i, base.data(), row, 0);
                w[s] = similarity(input.data(), i * rs, row);
            }
            double[] beta = WeightedLeastSquares.fit(design, y, w, penalty);
            if (beta == null) {
                throw new InvalidOptionException(samples + " samples do not determine a surrogate of " + m
                        + " features; increase optSamples or optAlpha");
            }
            r2.add(WeightedLeastSquares.weightedR2(design, y, w, beta));
            coef[i] = beta; // the last entry (intercept) belongs to no group
        }
        Tensor attr = groups.spread(coef, input.shape());
        return PerturbationOptions.wrap(run, this, Map.of("surrogateR2", r2), attr, null, target, model);
    }

    /** Captum's exponential kernel on the distance between the original row and a perturbed row. */
    double similarity(float[] x, int offset, float[] perturbed) {
        double d;
        if (options.distance() == Distance.COSINE) {
            double dot = 0;
            double nx = 0;
            double np = 0;
            for (int j = 0; j < perturbed.length; j++) {
                dot += (double) x[offset + j] * perturbed[j];
                nx += (double) x[offset + j] * x[offset + j];
                np += (double) perturbed[j] * perturbed[j];
            }
            d = 1 - dot / Math.max(Math.sqrt(nx) * Math.sqrt(np), 1e-8);
        } else {
            double ss = 0;
            for (int j = 0; j < perturbed.length; j++) {
                double e = x[offset + j] - perturbed[j];
                ss += e * e;
            }
            d = Math.sqrt(ss);
        }
        double width = options.kernelWidth();
        return Math.exp(-d * d / (2 * width * width));
    }

    /** Options of {@link Lime}; {@link #build()} validates them into an {@link Options} record. */
    public static final class Builder extends PerturbationBuilder.Grouped<Builder> {
        private int samples = Options.DEFAULTS.samples();
        private double alpha = Options.DEFAULTS.alpha();
        private Distance distance = Options.DEFAULTS.distance();
        private double kernelWidth = Options.DEFAULTS.kernelWidth();
        private long seed = Options.DEFAULTS.seed();
        private Tensor draws;

        private Builder() {}

        @Override
        Builder self() {
            return this;
        }

        /** Number of perturbed samples (Captum's {@code n_samples}, default 50). */
        public Builder optSamples(int samples) {
            this.samples = samples;
            return this;
        }

        /** Ridge penalty on the coefficients (default 0.01; 0 is ordinary weighted least squares). */
        public Builder optAlpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /** Distance of the proximity kernel (default {@link Distance#COSINE}). */
        public Builder optDistance(Distance distance) {
            this.distance = distance;
            return this;
        }

        /** Width of the exponential kernel (default 1.0). */
        public Builder optKernelWidth(double kernelWidth) {
            this.kernelWidth = kernelWidth;
            return this;
        }

        /** Seed of the binary draws (default {@link MethodOptions#DEFAULT_SEED}): the same seed gives the same numbers. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Recorded samples to replay instead of drawing (for example the ones Captum evaluated):
         * {@code draws[s][g]} is true when group {@code g} keeps the input in sample {@code s}. Overrides
         * {@link #optSamples} and {@link #optSeed}.
         */
        public Builder optDraws(boolean[][] draws) {
            this.draws = PerturbationOptions.drawsTensor(draws);
            return this;
        }

        /** The options record these settings describe. */
        public Options options() {
            return new Options(samples, alpha, distance, kernelWidth, seed, featureMask, baseline,
                    perturbationsPerEval, draws);
        }

        /** @throws InvalidOptionException for samples or perturbationsPerEval below 1, a negative alpha or width */
        public Lime build() {
            return new Lime(options());
        }
    }
}
