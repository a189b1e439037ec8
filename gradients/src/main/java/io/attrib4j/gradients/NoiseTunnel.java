package io.attrib4j.gradients;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.BaselineMethod;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.Backends;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.spec.Doc;
import io.attrib4j.engine.spec.MethodOptions;
import io.attrib4j.engine.spec.MethodSpec;
import io.attrib4j.engine.spec.Methods;
import java.util.Map;

/**
 * NoiseTunnel: runs any attribution method on noisy copies of each input and combines the results,
 * <pre>
 * x~_{i,j} = x_i + eps_{i,j},   eps ~ N(0, stdev^2),   j = 0..n-1
 * smoothgrad    = (sum_j A(x~_{i,j})) / n
 * smoothgrad_sq = (sum_j A(x~_{i,j})^2) / n
 * vargrad       = smoothgrad_sq - smoothgrad^2
 * </pre>
 * Smilkov, Thorat, Kim, Viegas and Wattenberg, "SmoothGrad: removing noise by adding noise", 2017;
 * Adebayo, Gilmer, Goodfellow and Kim, "Local Explanation Methods for Deep Neural Networks Lack
 * Sensitivity to Parameter Values", 2018 (VarGrad). Use it to smooth the visually noisy gradients of
 * {@link Saliency}, {@link InputXGradient} or {@link IntegratedGradients}.
 *
 * <p>Exactly Captum's {@code NoiseTunnel} (oracle README 6.6): the noisy batch is laid out like
 * {@code repeat_interleave}, row {@code k = i*n + j} being sample {@code j} of example {@code i}; the
 * target is gathered the same way; {@code stdev} is absolute (not relative to the input range). A base
 * method with a baseline ({@link BaselineMethod}: IG, DeepLIFT) gets the baseline row of each sample's
 * example, expanded the same way (Captum's {@code baselines} expansion), so a baseline with one row per
 * example works as well as zeros, a constant or one shared row.
 *
 * <p>Noise: drawn by the backend ({@link Backend#gaussian}: Philox4x32-10 keyed by the seed, Box-Muller),
 * row {@code k} of the expanded batch taking values {@code k*rowSize ...} of the seed's stream, so the
 * same seed gives bit-identical results on every call, and chunking ({@link Builder#optSamplesPerBatch})
 * does not change the draws. Recorded noise ({@link Builder#optNoise}) replaces the draws, to reproduce
 * Captum. The per-example sums over the samples are accumulated by the backend too
 * ({@link Backend#accumulateSamples}, in double, rows in order, so chunks do not change them).
 *
 * <p>The base method is an option like the others, a nested spec ({@code smoothgrad(base=ig(steps=8), samples=10)},
 * default {@code saliency}): the registry builds it ({@link Methods#create}); the builder, given a method instance,
 * records that method's spec and keeps the instance. Provenance reports the tunnel's spec with the base's inside
 * it; the model time and calls are the base runs', added up.
 *
 * <p>No convergence delta: Captum returns none for smoothgrad_sq and vargrad; for simplicity this class
 * returns none for any type. Immutable and thread-safe when its base method is.
 */
public final class NoiseTunnel implements AttributionMethod {
    /** Name recorded in provenance. */
    public static final String NAME = "NoiseTunnel";
    /** Name in a method spec. */
    public static final String SPEC_NAME = "smoothgrad";
    /** The seed used when none is given, so that results are reproducible by default. */
    public static final long DEFAULT_SEED = MethodOptions.DEFAULT_SEED;

    /**
     * The options of NoiseTunnel, with Captum's defaults in {@link #DEFAULTS}.
     *
     * @param base the method run on the noisy copies, as a spec (resolved: every option of it given)
     * @param type how the samples are combined
     * @param samples noisy copies per example, {@code n} (Captum's {@code nt_samples})
     * @param stdevs absolute standard deviation of the Gaussian noise (Captum's {@code stdevs})
     * @param samplesPerBatch samples per example in one base-method call; 0 runs all in one call
     * @param seed seed of the noise; {@code null} when recorded noise is replayed
     * @param noise recorded noise {@code [N*n, ...]} to replay instead of drawing it, or {@code null}
     */
    public record Options(
            @Doc("the method run on the noisy copies (a nested spec)") MethodSpec base,
            @Doc("how the samples are combined") NoiseTunnelType type,
            @Doc("noisy copies per example (Captum's nt_samples)") int samples,
            @Doc("absolute standard deviation of the Gaussian noise, in input units") double stdevs,
            @Doc("samples per example in one base-method call; 0 runs all in one call") int samplesPerBatch,
            @Doc("seed of the noise (unset when recorded noise is replayed)") Long seed,
            @Doc("recorded noise [N*n, ...] to replay instead of drawing it, already scaled") Tensor noise)
            implements MethodOptions {
        /**
         * The default base, Saliency with its defaults, written out resolved (the registry is not asked for it, so that
         * building these defaults never waits for the registry, which holds them).
         */
        public static final MethodSpec DEFAULT_BASE = MethodSpec.of(Saliency.SPEC_NAME,
                Map.of("abs", Saliency.Options.DEFAULTS.abs()));
        /** Captum's defaults: SmoothGrad over Saliency, 5 samples, stdev 1.0, one call, seed 42. */
        public static final Options DEFAULTS = new Options(DEFAULT_BASE, NoiseTunnelType.SMOOTHGRAD, 5, 1.0, 0,
                DEFAULT_SEED, null);

        /**
         * A registered base is resolved (every option given, as its provenance reports it); recorded noise takes the
         * place of the seed, which is then unset.
         *
         * @throws InvalidOptionException for a missing base or type, fewer than one sample, a negative or non-finite
         *     stdevs, a negative samplesPerBatch, or recorded noise whose rows are not a multiple of samples
         */
        public Options {
            GradientPass.require(base, "base method");
            GradientPass.require(type, "type");
            if (!base.equals(DEFAULT_BASE) && Methods.has(base.name())) {
                base = Methods.resolve(base);
            }
            NoiseSamples.checkSampling(samples, stdevs, "Captum's defaults: 5 samples, stdevs 1.0");
            if (samplesPerBatch < 0) {
                throw new InvalidOptionException("samplesPerBatch = " + samplesPerBatch
                        + "; use a positive number of samples per call, or 0 for one call");
            }
            if (noise != null && noise.batch() % samples != 0) {
                throw new InvalidOptionException("noise has " + noise.batch() + " rows, not a multiple of samples = "
                        + samples + "; recorded noise needs one row per (example, sample) pair");
            }
            seed = NoiseSamples.seedUnlessReplayed(seed, noise != null);
        }
    }

    private final Options options;
    private final AttributionMethod base;
    private final Backend backend;

    /** NoiseTunnel with these options, its base built by the registry, the noise and sums on {@code backend}. */
    public NoiseTunnel(Options options, Backend backend) {
        this(options, Methods.create(GradientPass.require(options, "options").base(),
                backend != null ? backend : Backends.get()), backend);
    }

    private NoiseTunnel(Options options, AttributionMethod base, Backend backend) {
        this.options = options;
        this.base = base;
        this.backend = backend != null ? backend : Backends.get();
    }

    /** A builder around {@code base}, with Captum's defaults: SmoothGrad, 5 samples, stdev 1.0. */
    public static Builder builder(AttributionMethod base) {
        return new Builder(base);
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
        return GradientMethods.NOISE_TUNNEL.spec(options);
    }

    public AttributionMethod base() {
        return base;
    }

    public NoiseTunnelType type() {
        return options.type();
    }

    public int samples() {
        return options.samples();
    }

    public double stdev() {
        return options.stdevs();
    }

    /** The seed of the noise, or {@code null} when recorded noise is replayed. */
    public Long seed() {
        return options.seed();
    }

    @Override
    public Attribution attribute(ForwardModel model, Tensor input, Target target) {
        MethodRun.validate(model, input, target);
        int samples = options.samples();
        Tensor noise = options.noise();
        int rows = input.batch() * samples;
        if (noise != null) {
            NoiseSamples.checkRows(noise, input, samples, "noise");
        }
        int chunk = options.samplesPerBatch() == 0 ? rows : options.samplesPerBatch() * input.batch();
        Tensor baselines = base instanceof BaselineMethod b ? b.baseline().resolve(input) : null;
        MethodRun run = new MethodRun();
        NoiseSamples.Stats stats = new NoiseSamples.Stats(backend, input.batch(), samples);
        for (int from = 0; from < rows; from += chunk) {
            int to = Math.min(rows, from + chunk);
            Tensor eps = noise != null ? noise.rows(from, to)
                    : NoiseSamples.seededNoise(backend, input, from, to - from, options.stdevs(), options.seed());
            Tensor noisy = NoiseSamples.addNoise(input, eps, from, samples);
            int[] owners = NoiseSamples.owners(from, to, samples);
            AttributionMethod method = baselines == null ? base
                    : ((BaselineMethod) base).withBaseline(Baseline.of(baselines.gatherRows(owners)));
            Attribution a = method.attribute(model, noisy, target.gather(owners));
            stats.add(from, a.values());
            run.absorb(a.provenance().timing());
        }
        Tensor values = switch (options.type()) {
            case SMOOTHGRAD -> stats.mean();
            case SMOOTHGRAD_SQ -> stats.meanOfSquares();
            case VARGRAD -> stats.variance();
        };
        return new Attribution(values, null, run.provenance(this, target, model, backend));
    }

    /** Options of {@link NoiseTunnel}; {@link #build()} validates them into an {@link Options} record. */
    public static final class Builder {
        private final AttributionMethod base;
        private NoiseTunnelType type = Options.DEFAULTS.type();
        private int samples = Options.DEFAULTS.samples();
        private double stdev = Options.DEFAULTS.stdevs();
        private int samplesPerBatch = Options.DEFAULTS.samplesPerBatch();
        private long seed = DEFAULT_SEED;
        private Tensor noise;
        private Backend backend;

        private Builder(AttributionMethod base) {
            this.base = base;
        }

        /** How the samples are combined (default {@link NoiseTunnelType#SMOOTHGRAD}). */
        public Builder optType(NoiseTunnelType type) {
            this.type = type;
            return this;
        }

        /** Noisy copies per example, {@code n} (default 5, Captum's {@code nt_samples}). */
        public Builder optSamples(int samples) {
            this.samples = samples;
            return this;
        }

        /** Absolute standard deviation of the Gaussian noise (default 1.0, Captum's default; 0 gives the base method). */
        public Builder optStdev(double stdev) {
            this.stdev = stdev;
            return this;
        }

        /**
         * Samples per example in one base-method call (default: all): the {@code N*n} noisy rows are
         * processed in chunks of {@code samplesPerBatch * N} rows (Captum's {@code nt_samples_batch_size})
         * and their sums accumulated, so memory is bounded; the result is the same as unchunked.
         */
        public Builder optSamplesPerBatch(int samplesPerBatch) {
            if (samplesPerBatch < 1) {
                throw new InvalidOptionException("samplesPerBatch = " + samplesPerBatch
                        + "; use a positive number of samples per call, or leave it unset for one call");
            }
            this.samplesPerBatch = samplesPerBatch;
            return this;
        }

        /** Seed of the noise (default {@value NoiseTunnel#DEFAULT_SEED}); recorded in provenance. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Recorded noise to replay instead of drawing it (for example Captum's {@code nt_noise}): shape
         * {@code [N*n, ...]}, row {@code i*n + j} added to example {@code i}. Already scaled: the stdev is
         * not applied to it, and the seed is not used. Its shape is checked against each call's input.
         */
        public Builder optNoise(Tensor noise) {
            this.noise = noise;
            return this;
        }

        /** The backend that draws the noise and accumulates the samples (default {@link Backends#get()}). */
        public Builder optBackend(Backend backend) {
            this.backend = backend;
            return this;
        }

        /** The options record these settings describe, the base method as its spec. */
        public Options options() {
            return new Options(GradientPass.require(base, "base method").spec(), type, samples, stdev, samplesPerBatch,
                    seed, noise);
        }

        /**
         * @throws InvalidOptionException for a missing base method or type, fewer than one sample, or a
         *     negative or non-finite stdev
         */
        public NoiseTunnel build() {
            return new NoiseTunnel(options(), base, backend);
        }
    }
}
