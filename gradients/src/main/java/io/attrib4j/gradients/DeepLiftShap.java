package io.attrib4j.gradients;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Inputs;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.StagedModel;
import java.util.LinkedHashMap;
import java.util.Map;

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
 * <p>Immutable and thread-safe (given a thread-safe model).
 */
public final class DeepLiftShap implements AttributionMethod {
    /** Name recorded in provenance. */
    public static final String NAME = "DeepLiftShap";

    private final Tensor baselines;
    private final DeepLift deepLift;

    private DeepLiftShap(Tensor baselines, DeepLift deepLift) {
        this.baselines = baselines;
        this.deepLift = deepLift;
    }

    /** A builder; {@link Builder#setBaselines(Tensor)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The baseline distribution, {@code [m, ...example shape]}. */
    public Tensor baselines() {
        return baselines;
    }

    /** The DeepLift run on each (input, baseline) pair. */
    public DeepLift deepLift() {
        return deepLift;
    }

    @Override
    public Attribution attribute(ForwardModel model, Tensor input, Target target) {
        StagedModel staged = DeepLift.validate(model, input, target, NAME);
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
        return GradientPass.wrap(run, NAME, parameters(), mean, pairs.delta(), target, model, deepLift.backend());
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

    private Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("baselines", baselines.shape().toString());
        p.putAll(deepLift.parameters());
        p.remove("baseline");
        return p;
    }

    /** Options of {@link DeepLiftShap}; {@link #build()} validates them. */
    public static final class Builder {
        private Tensor baselines;
        private final DeepLift.Builder deepLift = DeepLift.builder();

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
            deepLift.optBackend(backend);
            return this;
        }

        /**
         * @throws InvalidOptionException for missing or empty baselines, or an invalid DeepLift option
         * @throws InvalidInputException for baselines with non-finite values
         */
        public DeepLiftShap build() {
            GradientPass.require(baselines, "baselines");
            if (baselines.shape().rank() < 2) {
                throw new InvalidOptionException("baselines of shape " + baselines.shape() + " have no batch "
                        + "dimension; give a tensor [m, ...example shape] (one reference of shape [12] is [1, 12])");
            }
            if (baselines.batch() == 0) {
                throw new InvalidOptionException("empty baseline set (baselines of shape " + baselines.shape()
                        + "); give at least one reference, as a tensor [m, ...example shape] with m >= 1");
            }
            Inputs.requireFinite(baselines, "baselines");
            return new DeepLiftShap(baselines, deepLift.build());
        }
    }
}
