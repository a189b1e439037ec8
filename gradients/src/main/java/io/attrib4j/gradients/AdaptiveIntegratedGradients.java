package io.attrib4j.gradients;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Baseline;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Integrated Gradients that chooses the number of steps per example: it refines the Gauss-Legendre rule
 * until each example's completeness gap is small relative to the output change it explains.
 * (An attrib4j feature; Captum has no equivalent.)
 *
 * <p>Attributions are those of {@link IntegratedGradients} (Sundararajan et al., ICML 2017) with the
 * Gauss-Legendre rule and {@code multiplyByInputs}; only the step count varies. Example {@code i}
 * <em>converges</em> at {@code n} steps when
 * <pre>
 * |delta_i| &lt;= tolerance * max(|F_t(x_i) - F_t(b_i)|, absoluteFloor),
 * delta_i = sum(attr_i) - (F_t(x_i) - F_t(b_i))          (the convergence delta)
 * </pre>
 * i.e. the relative completeness error is at most {@code tolerance} (default 0.01); when the output
 * barely changes between baseline and input, the absolute floor (default 1e-3, so an absolute gap of
 * 1e-5 with the default tolerance) stands in for it, since a relative error of a near-zero change is
 * meaningless and float32 cannot resolve it.
 *
 * <p>Plan: {@code F(x) - F(b)} is computed once (one forward). Every example starts at
 * {@code initialSteps} (default 8); the examples that have not converged run again with twice the steps
 * (capped at {@code maxSteps}, default 512), and only those: converged examples keep their result.
 * Gauss-Legendre points are not nested, so each round recomputes its examples from scratch; the total
 * cost of an example that stops at {@code n} steps is below {@code 2n} gradient evaluations. An example
 * still above the tolerance at {@code maxSteps} keeps its {@code maxSteps} result and is reported as not
 * converged (no exception: the delta says how far off it is).
 *
 * <p>Provenance parameters, besides the options: {@code stepsUsed} ({@code int[]}, per example),
 * {@code converged} ({@code boolean[]}, per example) and {@code gradientEvaluations} (path points
 * evaluated in total, {@code long}). The convergence delta is the one of the final step count.
 *
 * <p>Use it in place of a fixed step count when inputs vary in difficulty (most examples need few steps,
 * a few need many) or when a stated completeness error is required.
 */
public final class AdaptiveIntegratedGradients implements AttributionMethod {
    /** Name recorded in provenance. */
    public static final String NAME = "AdaptiveIntegratedGradients";
    /** Name in a method spec. */
    public static final String SPEC_NAME = "adaptive-ig";

    /**
     * The options of adaptive Integrated Gradients, with the defaults in {@link #DEFAULTS}. The rule is always
     * Gauss-Legendre and the gradients are always multiplied by {@code x - b}.
     *
     * @param tolerance largest accepted {@code |delta| / max(|F(x) - F(b)|, absoluteFloor)}
     * @param absoluteFloor stands in for {@code |F(x) - F(b)|} when that is smaller
     * @param initialSteps steps of the first round
     * @param maxSteps most steps for any example
     * @param baseline the reference input
     * @param internalBatchSize most path points per model call; 0 runs a whole round in one call
     */
    public record Options(
            @Doc("largest accepted relative completeness error |delta| / |F(x) - F(b)|") double tolerance,
            @Doc("stands in for |F(x) - F(b)| when that is smaller") double absoluteFloor,
            @Doc("Gauss-Legendre steps of the first round") int initialSteps,
            @Doc("most steps for any example (steps double per round up to this)") int maxSteps,
            @Doc("the reference input") Baseline baseline,
            @Doc("most path points per model call; 0 runs a whole round in one call") int internalBatchSize)
            implements MethodOptions {
        /** Tolerance 0.01, floor 1e-3, 8 to 512 steps, zero baseline, one call per round. */
        public static final Options DEFAULTS = new Options(0.01, 1e-3, 8, 512, Baseline.zeros(), 0);

        /** @throws InvalidOptionException for a non-positive tolerance or floor, steps out of range or a null baseline */
        public Options {
            if (!(tolerance > 0) || Double.isInfinite(tolerance)) {
                throw new InvalidOptionException("tolerance = " + tolerance
                        + "; use a positive relative completeness error such as 0.01");
            }
            if (!(absoluteFloor > 0) || Double.isInfinite(absoluteFloor)) {
                throw new InvalidOptionException("absoluteFloor = " + absoluteFloor + "; use a small positive number such as 1e-3");
            }
            if (initialSteps < 1 || maxSteps < initialSteps) {
                throw new InvalidOptionException("initialSteps = " + initialSteps + ", maxSteps = " + maxSteps
                        + "; use 1 <= initialSteps <= maxSteps");
            }
            integrator(initialSteps, baseline, internalBatchSize); // baseline and batch size are IG's: checked there
        }

        /** The Integrated Gradients options of the first round. */
        private static IntegratedGradients.Options integrator(int steps, Baseline baseline, int internalBatchSize) {
            return new IntegratedGradients.Options(steps, IntegrationRule.GAUSS_LEGENDRE, baseline, internalBatchSize, true);
        }
    }

    private final Options options;
    private final IntegratedGradients integrator;

    /** Adaptive Integrated Gradients with these options and its arithmetic on {@code backend}. */
    public AdaptiveIntegratedGradients(Options options, Backend backend) {
        this.options = GradientPass.require(options, "options");
        this.integrator = new IntegratedGradients(
                Options.integrator(options.initialSteps(), options.baseline(), options.internalBatchSize()),
                backend != null ? backend : Backends.get());
    }

    /** A builder with the defaults: tolerance 0.01, floor 1e-3, 8 to 512 steps, zero baseline. */
    public static Builder builder() {
        return new Builder();
    }

    /** Adaptive Integrated Gradients with the defaults. */
    public static AdaptiveIntegratedGradients withDefaults() {
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
        return GradientMethods.ADAPTIVE_IG.spec(options);
    }

    @Override
    public Attribution attribute(ForwardModel model, Tensor input, Target target) {
        GradientModel gradientModel = GradientPass.validate(model, input, target, NAME);
        Tensor base = integrator.baseline().resolve(input);
        MethodRun run = new MethodRun();
        float[] change = ConvergenceDelta.outputChange(run, model, target, base, input);

        int n = input.batch();
        int rowSize = input.rowSize();
        float[] values = new float[input.size()];
        float[] delta = new float[n];
        int[] stepsUsed = new int[n];
        boolean[] converged = new boolean[n];
        long evaluations = 0;
        int[] pending = IntStream.range(0, n).toArray();
        int steps = options.initialSteps();
        while (true) {
            Tensor attr = integrator.integrate(run, gradientModel, input.gatherRows(pending), base.gatherRows(pending),
                    target.gather(pending), IntegrationRule.GAUSS_LEGENDRE.quadrature(steps));
            evaluations += (long) steps * pending.length;
            float[] pendingChange = new float[pending.length];
            for (int r = 0; r < pending.length; r++) {
                pendingChange[r] = change[pending[r]];
            }
            float[] pendingDelta = ConvergenceDelta.fromChange(pendingChange, attr);
            int[] next = new int[pending.length];
            int left = 0;
            for (int r = 0; r < pending.length; r++) {
                int i = pending[r];
                System.arraycopy(attr.data(), r * rowSize, values, i * rowSize, rowSize);
                delta[i] = pendingDelta[r];
                stepsUsed[i] = steps;
                converged[i] = Math.abs(delta[i])
                        <= options.tolerance() * Math.max(Math.abs(change[i]), options.absoluteFloor());
                if (!converged[i]) {
                    next[left++] = i;
                }
            }
            if (left == 0 || steps >= options.maxSteps()) {
                break;
            }
            pending = Arrays.copyOf(next, left);
            steps = (int) Math.min(2L * steps, options.maxSteps());
        }

        Map<String, Object> measured = new LinkedHashMap<>();
        measured.put("stepsUsed", stepsUsed);
        measured.put("converged", converged);
        measured.put("gradientEvaluations", evaluations);
        return new Attribution(Tensor.of(values, input.shape()), delta,
                run.provenance(this, measured, target, model, integrator.backend()));
    }

    /** Options of {@link AdaptiveIntegratedGradients}; {@link #build()} validates them into an {@link Options} record. */
    public static final class Builder {
        private double tolerance = Options.DEFAULTS.tolerance();
        private double absoluteFloor = Options.DEFAULTS.absoluteFloor();
        private int initialSteps = Options.DEFAULTS.initialSteps();
        private int maxSteps = Options.DEFAULTS.maxSteps();
        private Baseline baseline = Options.DEFAULTS.baseline();
        private int internalBatchSize = Options.DEFAULTS.internalBatchSize();
        private Backend backend;

        private Builder() {}

        /** Largest accepted {@code |delta| / |F(x) - F(b)|} (default 0.01). */
        public Builder optTolerance(double tolerance) {
            this.tolerance = tolerance;
            return this;
        }

        /** Stands in for {@code |F(x) - F(b)|} when that is smaller (default 1e-3). */
        public Builder optAbsoluteFloor(double absoluteFloor) {
            this.absoluteFloor = absoluteFloor;
            return this;
        }

        /** Steps of the first round (default 8). */
        public Builder optInitialSteps(int initialSteps) {
            this.initialSteps = initialSteps;
            return this;
        }

        /** Most steps for any example (default 512). */
        public Builder optMaxSteps(int maxSteps) {
            this.maxSteps = maxSteps;
            return this;
        }

        /** The baseline (default zeros). */
        public Builder optBaseline(Baseline baseline) {
            this.baseline = baseline;
            return this;
        }

        /** Most path points per model call (default: a whole round in one call). */
        public Builder optInternalBatchSize(int internalBatchSize) {
            if (internalBatchSize < 1) {
                throw new InvalidOptionException("internalBatchSize = " + internalBatchSize
                        + "; use a positive number of path points per model call, or leave it unset for one call");
            }
            this.internalBatchSize = internalBatchSize;
            return this;
        }

        /** The backend (default {@link io.attrib4j.engine.backend.Backends#get()}). */
        public Builder optBackend(Backend backend) {
            this.backend = backend;
            return this;
        }

        /** The options record these settings describe. */
        public Options options() {
            return new Options(tolerance, absoluteFloor, initialSteps, maxSteps, baseline, internalBatchSize);
        }

        /**
         * @throws InvalidOptionException for a non-positive tolerance or floor, or steps out of range
         */
        public AdaptiveIntegratedGradients build() {
            return new AdaptiveIntegratedGradients(options(), backend);
        }
    }
}
