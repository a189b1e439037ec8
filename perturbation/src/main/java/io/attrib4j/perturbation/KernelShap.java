package io.attrib4j.perturbation;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.ConvergenceDelta;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.spec.Doc;
import io.attrib4j.engine.spec.MethodOptions;
import io.attrib4j.engine.spec.MethodSpec;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * KernelSHAP: Shapley values of the feature groups, estimated by a weighted linear regression over
 * coalitions.
 *
 * <pre>
 * f(z)   = F(x where z_g = 1, b where z_g = 0)[t]            z in {0,1}^M, M = number of groups
 * phi    = argmin sum_z pi(z) (f(z) - f(0) - z . phi)^2   subject to  sum_g phi_g = f(1) - f(0)
 * pi(z)  = (M - 1) / (C(M, |z|) |z| (M - |z|))              the Shapley kernel
 * </pre>
 *
 * Lundberg and Lee, "A Unified Approach to Interpreting Model Predictions", NeurIPS 2017. With every
 * coalition enumerated the solution is exactly the Shapley values (for a linear model {@code w (x - b)}).
 * Use it when you want additive, efficiency-respecting attributions of a handful of groups of a model
 * that gives no gradients.
 *
 * <p>How: the efficiency constraint is exact, by elimination ({@code phi_M = f(1) - f(0) - sum of the
 * others}), so the reported convergence delta {@code sum_g phi_g - (F(x)[t] - F(b)[t])} (each group counted
 * once, not once per element) is float rounding. When
 * {@code 2^M - 2 <= samples} all proper coalitions are enumerated with their exact kernel weights (the
 * result is then deterministic); otherwise coalition sizes are drawn with probability proportional to
 * {@code 1 / (k (M - k))} and members uniformly, so each drawn coalition has weight 1, optionally in
 * antithetic pairs {@code (z, 1 - z)}. The regression is solved in closed form in double.
 * The coalitions are shared by every example of the batch; each example gets its own regression.
 *
 * <p>Differences from Captum's {@code KernelShap} (which samples 25 coalitions and fits an unconstrained
 * regression with the full and empty coalitions weighted 10^6): the default is {@code 25 * M} samples
 * (25 would not even determine M > 25 coefficients), the constraint is exact, and pairing is available.
 *
 * <p>Immutable and thread-safe (given a thread-safe model).
 */
public final class KernelShap implements AttributionMethod {
    /** Name recorded in provenance. */
    public static final String NAME = "KernelShap";
    /** Name in a method spec. */
    public static final String SPEC_NAME = "kernelshap";

    /**
     * The options of KernelSHAP, with the defaults in {@link #DEFAULTS}.
     *
     * @param samples coalitions evaluated besides the empty and full ones; 0: {@code 25 * groups}
     * @param paired draw coalitions in antithetic pairs {@code (z, 1 - z)}
     * @param seed seed of the coalition draws
     * @param featureMask integer group ids, or {@code null}: every element its own group
     * @param baseline the value an absent feature takes
     * @param perturbationsPerEval perturbed copies of the batch per model call
     */
    public record Options(
            @Doc("coalitions evaluated besides the empty and full ones (0: 25 * groups); at 2^groups - 2 or more "
                    + "every coalition is enumerated") int samples,
            @Doc("draw coalitions in antithetic pairs (z, 1 - z); rounds samples up to even") boolean paired,
            @Doc("seed of the coalition draws") long seed,
            @Doc("integer group ids (.npy) of the input's shape, one row or one example; unset: every element "
                    + "its own group") Tensor featureMask,
            @Doc("the value an absent feature takes") Baseline baseline,
            @Doc("perturbed copies of the batch per model call") int perturbationsPerEval,
            @Doc("recorded draws to replay instead of drawing, [samples, groups] of 0/1 (a .npy file; Captum's, "
                    + "for parity); unset: drawn from the seed") Tensor draws)
            implements MethodOptions, PerturbationOptions.Grouped {
        /** The defaults: 25 * groups samples, paired, the default seed, one group per element, zero baseline. */
        public static final Options DEFAULTS = new Options(0, true, MethodOptions.DEFAULT_SEED, null,
                PerturbationOptions.DEFAULT_BASELINE, PerturbationOptions.DEFAULT_PERTURBATIONS_PER_EVAL, null);

        /** @throws InvalidOptionException for negative samples, a null baseline or perturbationsPerEval below 1 */
        public Options {
            if (samples < 0) {
                throw new InvalidOptionException("samples = " + samples + "; use a positive number of coalitions to "
                        + "evaluate, or 0 for 25 per feature group");
            }
            PerturbationOptions.checkShared(baseline, perturbationsPerEval);
        }
    }

    private final Options options;

    /** KernelSHAP with these options. */
    public KernelShap(Options options) {
        this.options = PerturbationOptions.require(options, "options");
    }

    /** A builder with the defaults: zero baseline, one group per element, 25 * groups samples, paired, seed 42. */
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
        return PerturbationMethods.KERNELSHAP.spec(options);
    }

    @Override
    public Attribution attribute(ForwardModel model, Tensor input, Target target) {
        MethodRun.validate(model, input, target);
        Tensor base = options.baseline().resolve(input);
        FeatureGroups groups = FeatureGroups.of(options.featureMask(), input);
        int m = groups.count();
        int want = options.samples() > 0 ? options.samples() : 25 * m;
        Coalitions coalitions;
        if (options.draws() != null) {
            coalitions = Coalitions.replay(m, PerturbationOptions.draws(options.draws(), m));
        } else if (m <= 30 && (1L << m) - 2 <= want) {
            coalitions = Coalitions.enumerate(m);
        } else {
            coalitions = Coalitions.sample(m, want, options.paired(), new SplittableRandom(options.seed()));
        }

        MethodRun run = new MethodRun();
        float[] full = PerturbedEvaluation.targetValues(run, model, input, target);
        boolean[] none = new boolean[m];
        float[][] f = PerturbedEvaluation.evaluate(run, model, input, target, coalitions.size() + 1,
                options.perturbationsPerEval(), (p, i, rows, off) ->
                        groups.ablateOff(p == 0 ? none : coalitions.on[p - 1], i, base.data(), rows, off));

        int n = input.batch();
        double[][] phi = new double[n][];
        float[] change = new float[n];
        for (int i = 0; i < n; i++) {
            double empty = f[0][i];
            change[i] = full[i] - f[0][i];
            double[] y = new double[coalitions.size()];
            for (int s = 0; s < y.length; s++) {
                y[s] = f[s + 1][i];
            }
            phi[i] = constrainedFit(coalitions, y, empty, (double) full[i] - empty);
        }
        Tensor attr = groups.spread(phi, input.shape());
        float[] delta = ConvergenceDelta.fromChange(change, perGroup(phi, m));
        Map<String, Object> measured = Map.of("coalitions",
                (coalitions.enumerated ? "all " : options.draws() != null ? "recorded " : "sampled ")
                        + coalitions.size());
        return PerturbationOptions.wrap(run, this, measured, attr, delta, target, model);
    }

    /** The group values as {@code [N, M]}: each group counted once, as efficiency counts it. */
    private static Tensor perGroup(double[][] phi, int m) {
        float[] v = new float[phi.length * m];
        for (int i = 0; i < phi.length; i++) {
            for (int g = 0; g < m; g++) {
                v[i * m + g] = (float) phi[i][g];
            }
        }
        return Tensor.of(v, phi.length, m);
    }

    /**
     * Weighted least squares for {@code y - empty ~ z . phi} with {@code sum phi = total}, by eliminating
     * the last coefficient: {@code y - empty - z_last total ~ sum_{g<last} (z_g - z_last) phi_g}.
     */
    private static double[] constrainedFit(Coalitions c, double[] y, double empty, double total) {
        int m = c.features;
        double[] phi = new double[m];
        if (m == 1) {
            phi[0] = total;
            return phi;
        }
        int last = m - 1;
        double[][] x = new double[y.length][last];
        double[] r = new double[y.length];
        for (int s = 0; s < y.length; s++) {
            boolean[] z = c.on[s];
            double zl = z[last] ? 1 : 0;
            for (int g = 0; g < last; g++) {
                x[s][g] = (z[g] ? 1 : 0) - zl;
            }
            r[s] = y[s] - empty - zl * total;
        }
        double[] beta = WeightedLeastSquares.fit(x, r, c.weight, new double[last]);
        if (beta == null) {
            throw new InvalidOptionException(y.length + " coalitions do not determine the Shapley values of " + m
                    + " feature groups; increase optSamples (at least a few times the number of groups)");
        }
        double sum = 0;
        for (int g = 0; g < last; g++) {
            phi[g] = beta[g];
            sum += beta[g];
        }
        phi[last] = total - sum;
        return phi;
    }

    /** The coalitions to evaluate (neither empty nor full) with their regression weights. */
    static final class Coalitions {
        final int features;
        final boolean[][] on;
        final double[] weight;
        final boolean enumerated;

        private Coalitions(int features, boolean[][] on, double[] weight, boolean enumerated) {
            this.features = features;
            this.on = on;
            this.weight = weight;
            this.enumerated = enumerated;
        }

        int size() {
            return on.length;
        }

        /** Every proper, non-empty coalition with its exact Shapley kernel weight. */
        static Coalitions enumerate(int m) {
            int count = (1 << m) - 2;
            boolean[][] on = new boolean[count][m];
            double[] weight = new double[count];
            for (int c = 1; c <= count; c++) {
                int k = Integer.bitCount(c);
                for (int g = 0; g < m; g++) {
                    on[c - 1][g] = (c >> g & 1) == 1;
                }
                weight[c - 1] = (m - 1) / (binomial(m, k) * k * (m - k));
            }
            return new Coalitions(m, on, weight, true);
        }

        /**
         * Recorded coalitions (for example Captum's), each of weight 1 as a drawn one; the full and empty ones are
         * left out, since the fit holds them exactly.
         */
        static Coalitions replay(int m, boolean[][] recorded) {
            java.util.List<boolean[]> kept = new java.util.ArrayList<>();
            for (boolean[] z : recorded) {
                int k = 0;
                for (boolean on : z) {
                    k += on ? 1 : 0;
                }
                if (k > 0 && k < m) {
                    kept.add(z);
                }
            }
            double[] weight = new double[kept.size()];
            java.util.Arrays.fill(weight, 1.0);
            return new Coalitions(m, kept.toArray(new boolean[0][]), weight, false);
        }

        /** Coalitions drawn from the Shapley kernel: size k with probability ~ 1 / (k (M - k)), members uniform. */
        static Coalitions sample(int m, int count, boolean paired, SplittableRandom rng) {
            int total = paired ? count + (count & 1) : count;
            double[] cumulative = new double[m - 1];
            double acc = 0;
            for (int k = 1; k < m; k++) {
                acc += 1.0 / (k * (double) (m - k));
                cumulative[k - 1] = acc;
            }
            boolean[][] on = new boolean[total][];
            int[] order = new int[m];
            for (int s = 0; s < total; s += paired ? 2 : 1) {
                double u = rng.nextDouble() * acc;
                int k = 1;
                while (k < m - 1 && cumulative[k - 1] < u) {
                    k++;
                }
                for (int g = 0; g < m; g++) {
                    order[g] = g;
                }
                boolean[] z = new boolean[m];
                for (int j = 0; j < k; j++) {
                    int pick = j + rng.nextInt(m - j);
                    int t = order[j];
                    order[j] = order[pick];
                    order[pick] = t;
                    z[order[j]] = true;
                }
                on[s] = z;
                if (paired) {
                    boolean[] complement = new boolean[m];
                    for (int g = 0; g < m; g++) {
                        complement[g] = !z[g];
                    }
                    on[s + 1] = complement;
                }
            }
            double[] weight = new double[total];
            java.util.Arrays.fill(weight, 1.0);
            return new Coalitions(m, on, weight, false);
        }

        private static double binomial(int n, int k) {
            double b = 1;
            for (int j = 1; j <= k; j++) {
                b = b * (n - k + j) / j;
            }
            return b;
        }
    }

    /** Options of {@link KernelShap}; {@link #build()} validates them into an {@link Options} record. */
    public static final class Builder extends PerturbationBuilder.Grouped<Builder> {
        private int samples = Options.DEFAULTS.samples();
        private boolean paired = Options.DEFAULTS.paired();
        private long seed = Options.DEFAULTS.seed();
        private Tensor draws;

        private Builder() {}

        @Override
        Builder self() {
            return this;
        }

        /**
         * Number of coalitions evaluated besides the empty and full ones (default {@code 25 * groups}); when
         * it reaches {@code 2^groups - 2} all coalitions are enumerated instead of sampled.
         *
         * @throws InvalidOptionException for {@code samples < 1}
         */
        public Builder optSamples(int samples) {
            this.samples = PerturbationOptions.requirePositive(samples, "samples", "coalitions to evaluate");
            return this;
        }

        /** Draw coalitions in antithetic pairs {@code (z, 1 - z)} (default true; rounds samples up to even). */
        public Builder optPaired(boolean paired) {
            this.paired = paired;
            return this;
        }

        /** Seed of the coalition draws (default {@link MethodOptions#DEFAULT_SEED}): the same seed gives the same numbers. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Recorded coalitions to replay instead of drawing (for example the ones Captum evaluated, read back from
         * its model inputs): {@code draws[s][g]} is true when group {@code g} keeps the input in coalition
         * {@code s}. Each has weight 1, as a drawn one; full and empty coalitions are skipped. Overrides
         * {@link #optSamples} and {@link #optSeed}.
         */
        public Builder optDraws(boolean[][] draws) {
            this.draws = PerturbationOptions.drawsTensor(draws);
            return this;
        }

        /** The options record these settings describe. */
        public Options options() {
            return new Options(samples, paired, seed, featureMask, baseline, perturbationsPerEval, draws);
        }

        /** @throws InvalidOptionException for a null baseline or perturbationsPerEval below 1 */
        public KernelShap build() {
            return new KernelShap(options());
        }
    }
}
