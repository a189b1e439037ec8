package io.attrib4j.gradients;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.BaselineMethod;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.Provenance;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.Backends;
import io.attrib4j.engine.model.ForwardModel;
import java.time.Instant;
import java.util.LinkedHashMap;
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
 * <p>No convergence delta: Captum returns none for smoothgrad_sq and vargrad; for simplicity this class
 * returns none for any type. Immutable and thread-safe when its base method is.
 */
public final class NoiseTunnel implements AttributionMethod {
    /** Name recorded in provenance. */
    public static final String NAME = "NoiseTunnel";
    /** The seed used when none is given, so that results are reproducible by default. */
    public static final long DEFAULT_SEED = 42L;

    private final AttributionMethod base;
    private final NoiseTunnelType type;
    private final int samples;
    private final double stdev;
    private final int samplesPerBatch;
    private final long seed;
    private final Tensor noise;
    private final Backend backend;

    private NoiseTunnel(Builder b, Backend backend) {
        this.base = b.base;
        this.type = b.type;
        this.samples = b.samples;
        this.stdev = b.stdev;
        this.samplesPerBatch = b.samplesPerBatch;
        this.seed = b.seed;
        this.noise = b.noise;
        this.backend = backend;
    }

    /** A builder around {@code base}, with Captum's defaults: SmoothGrad, 5 samples, stdev 1.0. */
    public static Builder builder(AttributionMethod base) {
        return new Builder(base);
    }

    @Override
    public String name() {
        return NAME;
    }

    public AttributionMethod base() {
        return base;
    }

    public NoiseTunnelType type() {
        return type;
    }

    public int samples() {
        return samples;
    }

    public double stdev() {
        return stdev;
    }

    public long seed() {
        return seed;
    }

    @Override
    public Attribution attribute(ForwardModel model, Tensor input, Target target) {
        MethodRun.validate(model, input, target);
        int rows = input.batch() * samples;
        if (noise != null) {
            NoiseSamples.checkRows(noise, input, samples, "noise");
        }
        int chunk = samplesPerBatch == 0 ? rows : samplesPerBatch * input.batch();
        Tensor baselines = base instanceof BaselineMethod b ? b.baseline().resolve(input) : null;
        MethodRun run = new MethodRun();
        NoiseSamples.Stats stats = new NoiseSamples.Stats(backend, input.batch(), samples);
        Provenance baseRecord = null;
        long modelNanos = 0;
        int modelCalls = 0;
        long modelEvaluations = 0;
        for (int from = 0; from < rows; from += chunk) {
            int to = Math.min(rows, from + chunk);
            Tensor eps = noise != null ? noise.rows(from, to)
                    : NoiseSamples.seededNoise(backend, input, from, to - from, stdev, seed);
            Tensor noisy = NoiseSamples.addNoise(input, eps, from, samples);
            int[] owners = NoiseSamples.owners(from, to, samples);
            AttributionMethod method = baselines == null ? base
                    : ((BaselineMethod) base).withBaseline(Baseline.of(baselines.gatherRows(owners)));
            Attribution a = method.attribute(model, noisy, target.gather(owners));
            stats.add(from, a.values());
            baseRecord = a.provenance();
            modelNanos += baseRecord.timing().modelNanos();
            modelCalls += baseRecord.timing().modelCalls();
            modelEvaluations += baseRecord.timing().modelEvaluations();
        }
        Tensor values = switch (type) {
            case SMOOTHGRAD -> stats.mean();
            case SMOOTHGRAD_SQ -> stats.meanOfSquares();
            case VARGRAD -> stats.variance();
        };
        Provenance.Timing timing = new Provenance.Timing(run.timing().totalNanos(), modelNanos, modelCalls,
                modelEvaluations);
        Provenance p = new Provenance(NAME, parameters(baseRecord), target.describe(), model.info().name(),
                model.info().format(), model.info().contentHash(), baseRecord.backend(), noise == null ? seed : null,
                baseRecord.libraryVersion(), timing, Instant.now());
        return new Attribution(values, null, p);
    }

    /** This tunnel's options, then the base method's, prefixed with "base.". */
    private Map<String, Object> parameters(Provenance baseRecord) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("base", base.name());
        baseRecord.parameters().forEach((k, v) -> p.put("base." + k, v));
        if (base instanceof BaselineMethod b) {
            p.put("base.baseline", b.baseline().describe()); // not the expanded rows each chunk was given
        }
        p.put("type", type.captumName());
        p.put("samples", samples);
        p.put("stdev", stdev);
        p.put("samplesPerBatch", samplesPerBatch == 0 ? "all" : samplesPerBatch);
        p.put("noise", noise == null ? "seeded" : "recorded " + noise.shape());
        return p;
    }

    /** Options of {@link NoiseTunnel}; {@link #build()} validates them. */
    public static final class Builder {
        private final AttributionMethod base;
        private NoiseTunnelType type = NoiseTunnelType.SMOOTHGRAD;
        private int samples = 5;
        private double stdev = 1.0;
        private int samplesPerBatch;
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
         * not applied to it. Its shape is checked against each call's input.
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

        /**
         * @throws InvalidOptionException for a missing base method or type, fewer than one sample, or a
         *     negative or non-finite stdev
         */
        public NoiseTunnel build() {
            GradientPass.require(base, "base method");
            GradientPass.require(type, "type");
            if (samples < 1) {
                throw new InvalidOptionException("samples = " + samples + "; use at least 1 noisy copy per example "
                        + "(Captum's default is 5)");
            }
            if (!(stdev >= 0) || Double.isInfinite(stdev)) {
                throw new InvalidOptionException("stdev = " + stdev + "; use a finite standard deviation >= 0 "
                        + "(absolute, in input units; Captum's default is 1.0)");
            }
            if (noise != null && noise.batch() % samples != 0) {
                throw new InvalidOptionException("noise has " + noise.batch() + " rows, not a multiple of samples = "
                        + samples + "; recorded noise needs one row per (example, sample) pair");
            }
            return new NoiseTunnel(this, backend != null ? backend : Backends.get());
        }
    }
}
