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
import io.attrib4j.engine.spec.Doc;
import io.attrib4j.engine.spec.MethodOptions;
import io.attrib4j.engine.spec.MethodSpec;

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
    /** Name in a method spec. */
    public static final String SPEC_NAME = "ig";

    /**
     * The options of Integrated Gradients, with Captum's defaults in {@link #DEFAULTS}.
     *
     * @param steps number of integration steps
     * @param rule the integration rule
     * @param baseline the reference input
     * @param internalBatchSize most path points per model call; 0 runs all steps in one call
     * @param multiplyByInputs multiply the integrated gradient by {@code x - b}
     */
    public record Options(
            @Doc("number of integration steps (at least 2 for a Riemann rule)") int steps,
            @Doc("the integration rule") IntegrationRule rule,
            @Doc("the reference input") Baseline baseline,
            @Doc("most path points per model call; 0 runs all steps in one call") int internalBatchSize,
            @Doc("multiply the integrated gradient by x - baseline") boolean multiplyByInputs)
            implements MethodOptions {
        /** Captum's defaults: 50 Gauss-Legendre steps, zero baseline, one batch, multiply by inputs. */
        public static final Options DEFAULTS = new Options(50, IntegrationRule.GAUSS_LEGENDRE, Baseline.zeros(), 0, true);

        /** @throws InvalidOptionException for steps out of range, a negative batch size or a null option */
        public Options {
            GradientPass.require(rule, "rule");
            GradientPass.require(baseline, "baseline");
            rule.checkSteps(steps);
            if (internalBatchSize < 0) {
                throw new InvalidOptionException("internalBatchSize = " + internalBatchSize
                        + "; use a positive number of path points per model call, or 0 for one call");
            }
        }

        public Options withBaseline(Baseline baseline) {
            return new Options(steps, rule, baseline, internalBatchSize, multiplyByInputs);
        }
    }

    private final Options options;
    private final Backend backend;

    /** Integrated Gradients with these options and the arithmetic on {@code backend}. */
    public IntegratedGradients(Options options, Backend backend) {
        this.options = GradientPass.require(options, "options");
        this.backend = backend != null ? backend : Backends.get();
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

    public Options options() {
        return options;
    }

    @Override
    public MethodSpec spec() {
        return GradientMethods.IG.spec(options);
    }

    public int steps() {
        return options.steps();
    }

    public IntegrationRule rule() {
        return options.rule();
    }

    @Override
    public Baseline baseline() {
        return options.baseline();
    }

    @Override
    public IntegratedGradients withBaseline(Baseline baseline) {
        return new IntegratedGradients(options.withBaseline(baseline), backend);
    }

    /** The internal batch size, or 0 when all steps run in one batch. */
    public int internalBatchSize() {
        return options.internalBatchSize();
    }

    public boolean multiplyByInputs() {
        return options.multiplyByInputs();
    }

    public Backend backend() {
        return backend;
    }

    @Override
    public Attribution attribute(ForwardModel model, Tensor input, Target target) {
        GradientModel gradientModel = GradientPass.validate(model, input, target, NAME);
        Tensor base = options.baseline().resolve(input);
        Quadrature quadrature = options.rule().quadrature(options.steps());
        MethodRun run = new MethodRun();
        Tensor attr = integrate(run, gradientModel, input, base, target, quadrature);
        float[] delta = ConvergenceDelta.compute(run, model, target, base, input, attr);
        return GradientPass.wrap(run, this, attr, delta, target, model, backend);
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
        int internalBatchSize = options.internalBatchSize();
        int chunk = internalBatchSize == 0 ? k : Math.max(1, internalBatchSize / n);
        Tensor diff = options.multiplyByInputs() ? backend.subtract(input, base) : null;
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

    /** Options of {@link IntegratedGradients}; {@link #build()} validates them into an {@link Options} record. */
    public static final class Builder {
        private int steps = Options.DEFAULTS.steps();
        private IntegrationRule rule = Options.DEFAULTS.rule();
        private Baseline baseline = Options.DEFAULTS.baseline();
        private int internalBatchSize = Options.DEFAULTS.internalBatchSize();
        private boolean multiplyByInputs = Options.DEFAULTS.multiplyByInputs();
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

        /** The options record these settings describe. */
        public Options options() {
            return new Options(steps, rule, baseline, internalBatchSize, multiplyByInputs);
        }

        /**
         * @throws InvalidOptionException for steps out of range or a null option
         */
        public IntegratedGradients build() {
            return new IntegratedGradients(options(), backend);
        }
    }
}
