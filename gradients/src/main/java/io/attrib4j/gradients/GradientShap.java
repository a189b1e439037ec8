package io.attrib4j.gradients;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.ConvergenceDelta;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.Backends;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.GradientModel;
import io.attrib4j.engine.spec.Doc;
import io.attrib4j.engine.spec.MethodOptions;
import io.attrib4j.engine.spec.MethodSpec;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * GradientSHAP (expected gradients): the gradient at a random point between a noisy input and a
 * baseline drawn from a distribution, times their difference, averaged over samples,
 * <pre>
 * x~_k  = x_i + eps_k,  eps_k ~ N(0, stdev^2)       b_k ~ uniform over the baseline set
 * xs_k  = alpha_k * x~_k + (1 - alpha_k) * b_k,     alpha_k ~ U[0, 1)
 * attr_k = (x~_k - b_k) * dF_t(xs_k) / dx
 * GS_i  = (sum_j attr_{i*n+j}) / n
 * </pre>
 * Lundberg and Lee, "A Unified Approach to Interpreting Model Predictions", NeurIPS 2017; Erion et al.,
 * "Improving performance of deep learning models with axiomatic attribution priors and expected
 * gradients", 2021. Use it when no single baseline is meaningful: it approximates SHAP values, the
 * expectation of Integrated Gradients over the baseline distribution, with few model calls.
 *
 * <p>Exactly Captum's {@code GradientShap} (oracle README 6.4): row {@code k = i*n + j} is sample
 * {@code j} of example {@code i}; the draws happen in Captum's order (baseline indices, then the noise,
 * which is added to the input first, then the alphas, used as float32); the sampled point is
 * {@code alpha*x~ + (1-alpha)*b} in that form; all {@code N*n} points go through the model in one
 * gradient call. The draws come from a {@link SplittableRandom} created afresh from the seed on every
 * call (indices {@code nextInt(m)}, then alphas {@code (float) nextDouble()}), and the noise from the
 * backend's counter-based stream of the same seed ({@link io.attrib4j.engine.backend.Backend#gaussian},
 * offset 0, row {@code k} taking values {@code k*rowSize ...}), so a seed gives bit-identical results on a
 * backend; {@link Builder#optDraws} replays recorded draws instead (options {@code baselineIndex}, {@code noise},
 * {@code alphas}; a run that replays them records no seed). The indices and alphas stay in Java:
 * they are {@code N*n} numbers, not worth a device round trip.
 *
 * <p>The convergence delta has one entry per (example, sample) pair, <b>indexed {@code i*n + j}</b>:
 * {@code delta_k = sum(attr_k) - (F(x~_k)[t] - F(b_k)[t])}, its end point being the noisy input.
 * Immutable and thread-safe (given a thread-safe model).
 */
public final class GradientShap implements AttributionMethod {
    /** Name recorded in provenance. */
    public static final String NAME = "GradientShap";
    /** Name in a method spec. */
    public static final String SPEC_NAME = "gradshap";
    /** The seed used when none is given, so that results are reproducible by default. */
    public static final long DEFAULT_SEED = MethodOptions.DEFAULT_SEED;

    /**
     * The options of GradientSHAP, with Captum's defaults in {@link #DEFAULTS}.
     *
     * @param baselines the baseline distribution {@code [m, ...]}, {@code m >= 1} rows of the input's example shape;
     *     required
     * @param samples samples per example, {@code n} (Captum's {@code n_samples})
     * @param stdevs absolute standard deviation of the noise added to the input
     * @param seed seed of the draws; {@code null} when recorded draws are replayed
     * @param multiplyByInputs multiply the gradients by {@code x~ - b}; false returns the gradients
     * @param baselineIndex recorded draws: the baseline row of each row {@code k = i*n + j}, or {@code null}
     * @param noise recorded draws: the noise {@code [N*n, ...]}, already scaled, or {@code null}
     * @param alphas recorded draws: the float32 alphas {@code [N*n]}, or {@code null}
     */
    public record Options(
            @Doc("the baseline set [m, ...example shape] (required; a .npy file in a spec)") Tensor baselines,
            @Doc("samples per example (Captum's n_samples)") int samples,
            @Doc("absolute standard deviation of the Gaussian noise added to the input") double stdevs,
            @Doc("seed of the draws (unset when recorded draws are replayed)") Long seed,
            @Doc("multiply the gradients by x~ - baseline (false: the gradients)") boolean multiplyByInputs,
            @Doc("recorded draws to replay: the baseline row of each (example, sample) row i*n+j") int[] baselineIndex,
            @Doc("recorded draws to replay: the noise [N*n, ...], already scaled") Tensor noise,
            @Doc("recorded draws to replay: the float32 alphas [N*n]") Tensor alphas)
            implements MethodOptions {
        /** Captum's defaults: 5 samples, no noise, multiply by inputs, seed 42; the baselines are required. */
        public static final Options DEFAULTS = new Options(null, 5, 0.0, DEFAULT_SEED, true, null, null, null);

        /**
         * Replayed draws need all three of {@code baselineIndex}, {@code noise} and {@code alphas}, and take the place
         * of the seed, which is then unset.
         *
         * @throws InvalidOptionException for an empty baseline set, fewer than one sample, a negative or non-finite
         *     stdevs, or some but not all recorded draws
         * @throws io.attrib4j.engine.InvalidInputException for baselines with non-finite values
         */
        public Options {
            GradientPass.checkBaselineSet(baselines);
            NoiseSamples.checkSampling(samples, stdevs, "Captum's defaults: 5 samples, stdevs 0, no noise");
            int given = (baselineIndex == null ? 0 : 1) + (noise == null ? 0 : 1) + (alphas == null ? 0 : 1);
            if (given != 0 && given != 3) {
                throw new InvalidOptionException("recorded draws need baselineIndex, noise and alphas together; give "
                        + "all three (e.g. Captum's gradshap_* references) or none, to draw them from the seed");
            }
            baselineIndex = given == 3 ? baselineIndex.clone() : null;
            seed = NoiseSamples.seedUnlessReplayed(seed, given == 3);
        }

        @Override
        public int[] baselineIndex() {
            return baselineIndex == null ? null : baselineIndex.clone();
        }
    }

    private final Options options;
    private final Draws draws;
    private final Backend backend;

    /**
     * GradientSHAP with these options and the point and product arithmetic on {@code backend}.
     *
     * @throws InvalidOptionException when the baselines are not given
     */
    public GradientShap(Options options, Backend backend) {
        this.options = GradientPass.require(options, "options");
        GradientPass.requireBaselineSet(options.baselines(), SPEC_NAME);
        this.draws = options.noise() == null ? null
                : new Draws(options.baselineIndex(), options.noise(), options.alphas().data());
        this.backend = backend != null ? backend : Backends.get();
    }

    /** A builder with Captum's defaults: 5 samples, stdev 0, multiply by inputs; the baselines are required. */
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
        return GradientMethods.GRADSHAP.spec(options);
    }

    public int samples() {
        return options.samples();
    }

    public double stdev() {
        return options.stdevs();
    }

    /** The seed of the draws, or {@code null} when recorded draws are replayed. */
    public Long seed() {
        return options.seed();
    }

    @Override
    public Attribution attribute(ForwardModel model, Tensor input, Target target) {
        GradientModel gradientModel = GradientPass.validate(model, input, target, NAME);
        Tensor baselines = options.baselines();
        int samples = options.samples();
        if (!baselines.shape().dropBatch().equals(input.shape().dropBatch())) {
            throw new InvalidInputException("baselines have examples of shape " + baselines.shape().dropBatch()
                    + " but the input has examples of shape " + input.shape().dropBatch()
                    + "; give a baseline set of shape " + input.shape().withBatch(baselines.batch()));
        }
        int rows = input.batch() * samples;
        Draws d = draws != null ? draws.checked(input, samples, baselines.batch()) : Draws.sample(backend, options.seed(),
                input, samples, baselines.batch(), options.stdevs());
        Tensor base = baselines.gatherRows(d.baselineIndex());
        Tensor noisy = NoiseSamples.addNoise(input, d.noise(), 0, samples);
        Tensor points = backend.add(backend.multiply(perRow(d.alphas(), 0, input.rowSize(), base), noisy),
                backend.multiply(perRow(d.alphas(), 1, input.rowSize(), base), base));
        Target expanded = target.gather(NoiseSamples.owners(0, rows, samples));

        MethodRun run = new MethodRun();
        Tensor gradients = GradientPass.inputGradient(run, gradientModel, points, expanded);
        Tensor attr = options.multiplyByInputs() ? backend.multiply(backend.subtract(noisy, base), gradients) : gradients;
        float[] delta = ConvergenceDelta.compute(run, model, expanded, base, noisy, attr);
        NoiseSamples.Stats stats = new NoiseSamples.Stats(backend, input.batch(), samples);
        stats.add(0, attr);
        return GradientPass.wrap(run, this, stats.mean(), delta, target, model, backend);
    }

    /**
     * A tensor shaped like {@code like} whose row {@code k} is filled with {@code alphas[k]}
     * ({@code complement = 0}) or the float32 {@code 1 - alphas[k]} ({@code complement = 1}).
     */
    private static Tensor perRow(float[] alphas, int complement, int rowSize, Tensor like) {
        float[] d = new float[like.size()];
        for (int k = 0; k < alphas.length; k++) {
            float a = complement == 0 ? alphas[k] : 1f - alphas[k];
            Arrays.fill(d, k * rowSize, (k + 1) * rowSize, a);
        }
        return Tensor.of(d, like.shape());
    }

    /** The random draws of one call, row {@code k = i*n + j}. */
    private record Draws(int[] baselineIndex, Tensor noise, float[] alphas) {

        /** Captum's order: baseline indices, then noise (from the backend's stream), then alphas. */
        static Draws sample(Backend backend, long seed, Tensor input, int samples, int baselineCount, double stdev) {
            int rows = input.batch() * samples;
            SplittableRandom random = new SplittableRandom(seed);
            int[] index = new int[rows];
            for (int k = 0; k < rows; k++) {
                index[k] = random.nextInt(baselineCount);
            }
            Tensor noise = NoiseSamples.seededNoise(backend, input, 0, rows, stdev, seed);
            float[] alphas = new float[rows];
            for (int k = 0; k < rows; k++) {
                alphas[k] = (float) random.nextDouble();
            }
            return new Draws(index, noise, alphas);
        }

        /** These recorded draws, checked to fit a call on {@code input}. */
        Draws checked(Tensor input, int samples, int baselineCount) {
            int rows = input.batch() * samples;
            if (baselineIndex.length != rows || alphas.length != rows) {
                throw new InvalidOptionException("recorded draws have " + baselineIndex.length + " baseline indices and "
                        + alphas.length + " alphas but this call needs " + rows + " of each (" + input.batch()
                        + " examples x " + samples + " samples); record the draws for this batch or use a seed");
            }
            NoiseSamples.checkRows(noise, input, samples, "recorded noise");
            for (int k = 0; k < rows; k++) {
                if (baselineIndex[k] < 0 || baselineIndex[k] >= baselineCount) {
                    throw new InvalidOptionException("recorded baseline index " + baselineIndex[k] + " at row " + k
                            + " is out of range; the baseline set has " + baselineCount + " rows (0.."
                            + (baselineCount - 1) + ")");
                }
            }
            return this;
        }
    }

    /** Options of {@link GradientShap}; {@link #build()} validates them into an {@link Options} record. */
    public static final class Builder {
        private Tensor baselines;
        private int samples = Options.DEFAULTS.samples();
        private double stdev = Options.DEFAULTS.stdevs();
        private long seed = DEFAULT_SEED;
        private int[] baselineIndex;
        private Tensor noise;
        private Tensor alphas;
        private boolean multiplyByInputs = Options.DEFAULTS.multiplyByInputs();
        private Backend backend;

        private Builder() {}

        /** The baseline distribution, {@code [m, ...]} with {@code m >= 1} rows of the input's example shape (required). */
        public Builder optBaselines(Tensor baselines) {
            this.baselines = baselines;
            return this;
        }

        /** Samples per example, {@code n} (default 5, Captum's {@code n_samples}). */
        public Builder optSamples(int samples) {
            this.samples = samples;
            return this;
        }

        /** Absolute standard deviation of the noise added to the input (default 0.0: no noise). */
        public Builder optStdev(double stdev) {
            this.stdev = stdev;
            return this;
        }

        /** Seed of the draws (default {@value GradientShap#DEFAULT_SEED}); recorded in provenance. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Recorded draws to replay (for example Captum's {@code gradshap_*}), row {@code k = i*n + j}: the
         * baseline index of each row, the noise {@code [N*n, ...]} (already scaled; the stdev is not applied)
         * and the float32 alphas. Checked against each call's input; the seed is then not used.
         */
        public Builder optDraws(int[] baselineIndex, Tensor noise, float[] alphas) {
            this.baselineIndex = GradientPass.require(baselineIndex, "baselineIndex").clone();
            this.noise = GradientPass.require(noise, "noise");
            this.alphas = Tensor.of(GradientPass.require(alphas, "alphas").clone(), Shape.of(alphas.length));
            return this;
        }

        /** Multiply the gradients by {@code x~ - b} (default true, Captum's default); false returns the gradients. */
        public Builder optMultiplyByInputs(boolean multiplyByInputs) {
            this.multiplyByInputs = multiplyByInputs;
            return this;
        }

        /** The backend for the point and product arithmetic (default {@link Backends#get()}). */
        public Builder optBackend(Backend backend) {
            this.backend = backend;
            return this;
        }

        /** The options record these settings describe. */
        public Options options() {
            return new Options(baselines, samples, stdev, seed, multiplyByInputs, baselineIndex, noise, alphas);
        }

        /**
         * @throws InvalidOptionException for a missing or empty baseline set, fewer than one sample, or a
         *     negative or non-finite stdev
         */
        public GradientShap build() {
            return new GradientShap(options(), backend);
        }
    }
}
