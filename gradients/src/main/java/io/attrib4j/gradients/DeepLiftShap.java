package io.attrib4j.gradients;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.StagedModel;
import io.attrib4j.engine.spec.Doc;
import io.attrib4j.engine.spec.MethodOptions;
import io.attrib4j.engine.spec.MethodSpec;

/**
 * DeepLIFT-SHAP: {@link DeepLift} against each reference of a baseline distribution, averaged,
 * <pre>attr_i = (1/m) * sum_j DeepLift(x_i; reference b_j)</pre>
 * an approximation of SHAP values with the baselines as the background distribution (Lundberg and Lee,
 * "A Unified Approach to Interpreting Model Predictions", NeurIPS 2017; DeepLIFT: Shrikumar et al., ICML
 * 2017). Use it instead of DeepLift when no single reference is meaningful.
 *
 * <p>As Captum's {@code DeepLiftShap}: the pairs are formed with row {@code i*m + j} = (x_i, b_j) (inputs
 * repeated per baseline, baselines tiled), DeepLift runs on all pairs in one batched pass, and the result
 * is the mean over j. The convergence delta has one entry per pair, index {@code i*m + j}.
 *
 * <p>Its options are the baseline set and DeepLIFT's own options, flattened ({@code deepliftshap(baselines=dist.npy,
 * captumCompatible=true)}); DeepLIFT's single {@code baseline} has no meaning here and is not an option.
 *
 * <p>Immutable and thread-safe (given a thread-safe model).
 */
public final class DeepLiftShap implements AttributionMethod {
    /** Name recorded in provenance. */
    public static final String NAME = "DeepLiftShap";
    /** Name in a method spec. */
    public static final String SPEC_NAME = "deepliftshap";

    /**
     * The options of DeepLIFT-SHAP: the baseline set (required) and {@link DeepLift.Options DeepLIFT's} options but
     * its baseline, with Captum's defaults in {@link #DEFAULTS}.
     *
     * @param baselines the baseline distribution {@code [m, ...example shape]}, {@code m >= 1}; required
     * @param multiplyByInputs as {@link DeepLift.Options#multiplyByInputs()}
     * @param captumCompatible as {@link DeepLift.Options#captumCompatible()}
     * @param eps as {@link DeepLift.Options#eps()}
     */
    public record Options(
            @Doc("the baseline set [m, ...example shape] (required; a .npy file in a spec)") Tensor baselines,
            @Doc(DeepLift.MULTIPLY_DOC) boolean multiplyByInputs,
            @Doc(DeepLift.CAPTUM_DOC) boolean captumCompatible,
            @Doc(DeepLift.EPS_DOC) double eps)
            implements MethodOptions {
        /** DeepLIFT's defaults; no baselines (they are required). */
        public static final Options DEFAULTS = of(null, DeepLift.Options.DEFAULTS);

        /**
         * @throws InvalidOptionException for a baseline set without rows or batch dimension, or an invalid eps
         * @throws InvalidInputException for baselines with non-finite values
         */
        public Options {
            GradientPass.checkBaselineSet(baselines);
            deepLift(multiplyByInputs, captumCompatible, eps);
        }

        /** {@code baselines} with DeepLIFT's options (its baseline is not used). */
        public static Options of(Tensor baselines, DeepLift.Options deepLift) {
            return new Options(baselines, deepLift.multiplyByInputs(), deepLift.captumCompatible(), deepLift.eps());
        }

        private static DeepLift.Options deepLift(boolean multiplyByInputs, boolean captumCompatible, double eps) {
            return new DeepLift.Options(Baseline.zeros(), multiplyByInputs, captumCompatible, eps);
        }
    }

    private final Options options;
    private final DeepLift deepLift;

    /**
     * DeepLIFT-SHAP with these options and its arithmetic on {@code backend}.
     *
     * @throws InvalidOptionException when the baselines are not given
     */
    public DeepLiftShap(Options options, Backend backend) {
        this.options = GradientPass.require(options, "options");
        GradientPass.requireBaselineSet(options.baselines(), SPEC_NAME);
        this.deepLift = new DeepLift(
                Options.deepLift(options.multiplyByInputs(), options.captumCompatible(), options.eps()), backend);
    }

    /** A builder; {@link Builder#setBaselines(Tensor)} is required. */
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
        return GradientMethods.DEEPLIFTSHAP.spec(options);
    }

    /** The baseline distribution, {@code [m, ...example shape]}. */
    public Tensor baselines() {
        return options.baselines();
    }

    /** The DeepLift run on each (input, baseline) pair. */
    public DeepLift deepLift() {
        return deepLift;
    }

    @Override
    public Attribution attribute(ForwardModel model, Tensor input, Target target) {
        StagedModel staged = DeepLift.validate(model, input, target, NAME);
        Tensor baselines = options.baselines();
        if (!baselines.shape().dropBatch().equals(input.shape().dropBatch())) {
            throw new InvalidInputException("baselines have shape " + baselines.shape() + " but the input has shape "
                    + input.shape() + "; give baselines of shape " + input.shape().withBatch(baselines.batch())
                    + " (m references of the example shape)");
        }
        int n = input.batch();
        int m = baselines.batch();
        int[] example = new int[n * m];
        int[] reference = new int[n * m];
        for (int r = 0; r < example.length; r++) {
            example[r] = r / m;
            reference[r] = r % m;
        }
        MethodRun run = new MethodRun();
        DeepLift.Result pairs = deepLift.compute(run, staged, input.gatherRows(example), baselines.gatherRows(reference),
                target.gather(example));
        Tensor mean = meanOverBaselines(pairs.attributions(), n, m);
        return GradientPass.wrap(run, this, mean, pairs.delta(), target, model, deepLift.backend());
    }

    /** Row i of the result is the mean of rows {@code i*m .. i*m+m-1}. */
    private static Tensor meanOverBaselines(Tensor pairs, int n, int m) {
        int rs = pairs.rowSize();
        float[] p = pairs.data();
        float[] out = new float[n * rs];
        for (int i = 0; i < n; i++) {
            for (int e = 0; e < rs; e++) {
                double sum = 0;
                for (int j = 0; j < m; j++) {
                    sum += p[(i * m + j) * rs + e];
                }
                out[i * rs + e] = (float) (sum / m);
            }
        }
        return Tensor.of(out, pairs.shape().withBatch(n));
    }

    /** Options of {@link DeepLiftShap}; {@link #build()} validates them into an {@link Options} record. */
    public static final class Builder {
        private Tensor baselines;
        private final DeepLift.Builder deepLift = DeepLift.builder();
        private Backend backend;

        private Builder() {}

        /** The baseline distribution {@code [m, ...example shape]}, m &gt;= 1 (required). */
        public Builder setBaselines(Tensor baselines) {
            this.baselines = baselines;
            return this;
        }

        /** As {@link DeepLift.Builder#optMultiplyByInputs(boolean)} (default true). */
        public Builder optMultiplyByInputs(boolean multiplyByInputs) {
            deepLift.optMultiplyByInputs(multiplyByInputs);
            return this;
        }

        /** As {@link DeepLift.Builder#optCaptumCompatible(boolean)} (default false). */
        public Builder optCaptumCompatible(boolean captumCompatible) {
            deepLift.optCaptumCompatible(captumCompatible);
            return this;
        }

        /** As {@link DeepLift.Builder#optEps(double)} (default 1e-10). */
        public Builder optEps(double eps) {
            deepLift.optEps(eps);
            return this;
        }

        /** As {@link DeepLift.Builder#optBackend(Backend)}. */
        public Builder optBackend(Backend backend) {
            this.backend = backend;
            return this;
        }

        /** The options record these settings describe. */
        public Options options() {
            return Options.of(baselines, deepLift.options());
        }

        /**
         * @throws InvalidOptionException for missing or empty baselines, or an invalid DeepLift option
         * @throws InvalidInputException for baselines with non-finite values
         */
        public DeepLiftShap build() {
            return new DeepLiftShap(options(), backend);
        }
    }
}
