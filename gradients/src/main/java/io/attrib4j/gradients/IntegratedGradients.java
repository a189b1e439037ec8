package io.attrib4j.gradients;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.BaselineMethod;
import io.attrib4j.engine.ConvergenceDelta;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.Backends;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.GradientModel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Integrated Gradients: the path integral of the gradient from a baseline to the input.
 *
 * <pre>
 * IG_j(x) = (x_j - b_j) * integral_0^1 dF_t(b + a (x - b)) / dx_j da
 *         ~ (x_j - b_j) * sum_k w_k * dF_t(b + alpha_k (x - b)) / dx_j
 * </pre>
 *
 * with {@code (alpha_k, w_k)} from an {@link IntegrationRule} (Captum's default: 50-point
 * Gauss-Legendre). Sundararajan, Taly and Yan, "Axiomatic Attribution for Deep Networks", ICML 2017.
 * Use it when the model is differentiable and a meaningful baseline exists; its attributions satisfy
 * completeness ({@code sum_j IG_j = F_t(x) - F_t(b)}) up to the integration error, reported per example
 * as the convergence delta {@code sum(attr) - (F_t(x) - F_t(b))}.
 *
 * <p>Computation, exactly as Captum's: the path points {@code b + alpha_k (x - b)} are built by the backend,
 * step-major (row {@code k*N + i} is step {@code k} of example {@code i}), the target is expanded the same
 * way, the model gives their gradients, the backend sums them with the float32 weights and multiplies by
 * {@code x - b} ({@code multiplyByInputs}; off, the result is the weighted gradient sum alone). With
 * {@code internalBatchSize = B} the steps are processed in chunks of {@code max(1, B / N)} steps, so at most
 * that many path points exist at once; each chunk's (multiplied) attribution is added to the total.
 *
 * <p>Immutable and thread-safe (given a thread-safe model).
 */
public final class IntegratedGradients implements BaselineMethod {
    /** Name recorded in provenance. */
    public static final String NAME = "IntegratedGradients";

    private final int steps;
    private final IntegrationRule rule;
    private final Baseline baseline;
    private final int internalBatchSize;
    private final boolean multiplyByInputs;
    private final Backend backend;

    private IntegratedGradients(Builder b, Backend backend) {
        this.steps = b.steps;
        this.rule = b.rule;
        this.baseline = b.baseline;
        this.internalBatchSize = b.internalBatchSize;
        this.multiplyByInputs = b.multiplyByInputs;
        this.backend = backend;
    }

    /** A copy of {@code o} with another baseline. */
    private IntegratedGradients(IntegratedGradients o, Baseline baseline) {
        this.steps = o.steps;
        this.rule = o.rule;
        this.baseline = baseline;
        this.internalBatchSize = o.internalBatchSize;
        this.multiplyByInputs = o.multiplyByInputs;
        this.backend = o.backend;
    }

    /** A builder with Captum's defaults: 50 Gauss-Legendre steps, zero baseline, one batch, multiply by inputs. */
    public static Builder builder() {
        return new Builder();
    }

    /** Integrated Gradients with Captum's defaults. */
    public static IntegratedGradients withDefaults() {
        return builder().build();
    }

    @Override
    public String name() {
        return NAME;
    }

    public int steps() {
        return steps;
    }

    public IntegrationRule rule() {
        return rule;
    }

    @Override
    public Baseline baseline() {
        return baseline;
    }

    @Override
    public IntegratedGradients withBaseline(Baseline baseline) {
        GradientPass.require(baseline, "baseline");
        return new IntegratedGradients(this, baseline);
    }

    /** The internal batch size, or 0 when all steps run in one batch. */
    public int internalBatchSize() {
        return internalBatchSize;
    }

    public boolean multiplyByInputs() {
        return multiplyByInputs;
    }

    public Backend backend() {
        return backend;
    }

    @Override
    public Attribution attribute(ForwardModel model, Tensor input, Target target) {
        GradientModel gradientModel = GradientPass.validate(model, input, target, NAME);
        Tensor base = baseline.resolve(input);
        Quadrature quadrature = rule.quadrature(steps);
        MethodRun run = new MethodRun();
        Tensor attr = integrate(run, gradientModel, input, base, target, quadrature);
        float[] delta = ConvergenceDelta.compute(run, model, target, base, input, attr);
        return GradientPass.wrap(run, NAME, parameters(), attr, delta, target, model, backend);
    }

    /**
     * The attribution of every row of {@code input} against the same row of {@code base}, with this
     * method's batching, backend and {@code multiplyByInputs}, and the given quadrature. Inputs are
     * already validated. Shared with {@link AdaptiveIntegratedGradients}.
     */
    Tensor integrate(MethodRun run, GradientModel model, Tensor input, Tensor base, Target target,
            Quadrature quadrature) {
        int n = input.batch();
        int k = quadrature.size();
        int chunk = internalBatchSize == 0 ? k : Math.max(1, internalBatchSize / n);
        Tensor diff = multiplyByInputs ? backend.subtract(input, base) : null;
        Tensor total = null;
        for (int from = 0; from < k; from += chunk) {
            int to = Math.min(k, from + chunk);
            Tensor path = backend.interpolate(input, base, quadrature.alphasF32(from, to));
            Tensor grads = GradientPass.inputGradient(run, model, path, target.gather(stepMajorRows(to - from, n)));
            Tensor part = backend.weightedStepSum(grads, quadrature.weightsF32(from, to), n);
            if (diff != null) {
                part = backend.multiply(part, diff);
            }
            total = total == null ? part : backend.add(total, part);
        }
        return total;
    }

    /** Row {@code s*n + i} of a step-major batch belongs to example {@code i}. */
    private static int[] stepMajorRows(int stepCount, int n) {
        int[] rows = new int[stepCount * n];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = r % n;
        }
        return rows;
    }

    /** The options, by name, as recorded in provenance. */
    Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("steps", steps);
        p.put("rule", rule.captumName());
        p.put("baseline", baseline.describe());
        p.put("internalBatchSize", internalBatchSize == 0 ? "all" : internalBatchSize);
        p.put("multiplyByInputs", multiplyByInputs);
        return p;
    }

    /** Options of {@link IntegratedGradients}; {@link #build()} validates them. */
    public static final class Builder {
        private int steps = 50;
        private IntegrationRule rule = IntegrationRule.GAUSS_LEGENDRE;
        private Baseline baseline = Baseline.zeros();
        private int internalBatchSize;
        private boolean multiplyByInputs = true;
        private Backend backend;

        private Builder() {}

        /** Number of integration steps (default 50; at least 1, at least 2 for a Riemann rule). */
        public Builder optSteps(int steps) {
            this.steps = steps;
            return this;
        }

        /** The integration rule (default {@link IntegrationRule#GAUSS_LEGENDRE}). */
        public Builder optRule(IntegrationRule rule) {
            this.rule = rule;
            return this;
        }

        /** The baseline (default zeros). */
        public Builder optBaseline(Baseline baseline) {
            this.baseline = baseline;
            return this;
        }

        /**
         * Most path points per model call (default: all steps in one call). The steps are split into
         * chunks of {@code max(1, internalBatchSize / N)} steps for a batch of N examples.
         */
        public Builder optInternalBatchSize(int internalBatchSize) {
            if (internalBatchSize < 1) {
                throw new InvalidOptionException("internalBatchSize = " + internalBatchSize
                        + "; use a positive number of path points per model call, or leave it unset for one call");
            }
            this.internalBatchSize = internalBatchSize;
            return this;
        }

        /** Multiply the integrated gradient by {@code x - b} (default true, Captum's default). */
        public Builder optMultiplyByInputs(boolean multiplyByInputs) {
            this.multiplyByInputs = multiplyByInputs;
            return this;
        }

        /** The backend for the path and sum arithmetic (default {@link Backends#get()}). */
        public Builder optBackend(Backend backend) {
            this.backend = backend;
            return this;
        }

        /**
         * @throws InvalidOptionException for steps out of range or a null option
         */
        public IntegratedGradients build() {
            GradientPass.require(rule, "rule");
            GradientPass.require(baseline, "baseline");
            rule.checkSteps(steps);
            return new IntegratedGradients(this, backend != null ? backend : Backends.get());
        }
    }
}
