package io.attrib4j.perturbation;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.spec.Doc;
import io.attrib4j.engine.spec.MethodOptions;
import io.attrib4j.engine.spec.MethodSpec;
import java.util.Arrays;
import java.util.Map;

/**
 * Occlusion: slide a window over the example, replace what it covers by the baseline, and credit the
 * drop of the target to the covered elements.
 *
 * <pre>
 * attr_j(x) = mean over windows W containing j of ( F(x)[t] - F(x with W set to b)[t] )
 * </pre>
 *
 * Zeiler and Fergus, "Visualizing and Understanding Convolutional Networks", ECCV 2014; Captum's
 * {@code Occlusion}. The window has one size per example dimension (for an image {@code [C, H, W]}, e.g.
 * {@code 3, 4, 4}); along dimension {@code d} it starts at {@code 0, s_d, 2 s_d, ...}, with
 * {@code ceil((D_d - w_d) / s_d) + 1} positions, the last one clipped at the edge, exactly as Captum. Use it
 * for images and sequences on any model (forward-only included) when local patches are meaningful;
 * it costs {@code 1 + ceil(windows / perturbationsPerEval)} model calls. No convergence delta.
 *
 * <p>Immutable and thread-safe (given a thread-safe model).
 */
public final class Occlusion implements AttributionMethod {
    /** Name recorded in provenance. */
    public static final String NAME = "Occlusion";
    /** Name in a method spec. */
    public static final String SPEC_NAME = "occlusion";

    /**
     * The options of Occlusion, with Captum's defaults in {@link #DEFAULTS} (the window has none: it is required).
     *
     * @param window the window size along each example dimension (Captum's {@code sliding_window_shapes})
     * @param strides the step along each example dimension, or one step for all
     * @param baseline the value an occluded element takes
     * @param perturbationsPerEval perturbed copies of the batch per model call
     */
    public record Options(
            @Doc("required: the window size along each example dimension, e.g. [3,4,4] for [3, H, W] images")
                    int[] window,
            @Doc("the step along each example dimension, or one step for all") int[] strides,
            @Doc("the value an occluded element takes") Baseline baseline,
            @Doc("perturbed copies of the batch per model call") int perturbationsPerEval)
            implements MethodOptions, PerturbationOptions {
        /** Captum's defaults: no window (required), strides 1, zero baseline, one perturbation per model call. */
        public static final Options DEFAULTS = new Options(null, new int[] {1}, PerturbationOptions.DEFAULT_BASELINE,
                PerturbationOptions.DEFAULT_PERTURBATIONS_PER_EVAL);

        /**
         * @throws InvalidOptionException for non-positive window sizes or strides, no strides, a null baseline or
         *     perturbationsPerEval below 1 (a missing window is refused when the method is constructed)
         */
        public Options {
            if (window != null) {
                window = window.clone();
                for (int w : window) {
                    PerturbationOptions.requirePositive(w, "sliding window size", "elements per window dimension");
                }
            }
            PerturbationOptions.require(strides, "strides");
            if (strides.length == 0) {
                throw new InvalidOptionException("no strides given; give one stride, or one per example dimension");
            }
            strides = strides.clone();
            for (int s : strides) {
                PerturbationOptions.requirePositive(s, "stride", "elements per step");
            }
            PerturbationOptions.checkShared(baseline, perturbationsPerEval);
        }

        @Override
        public int[] window() {
            return window == null ? null : window.clone();
        }

        @Override
        public int[] strides() {
            return strides.clone();
        }

        /** Equal when the specs are: the window and strides by content, a tensor baseline by content. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Options other && PerturbationMethods.OCCLUSION.spec(this)
                    .equals(PerturbationMethods.OCCLUSION.spec(other));
        }

        @Override
        public int hashCode() {
            return PerturbationMethods.OCCLUSION.spec(this).hashCode();
        }

        /** The options as their spec's text form. */
        @Override
        public String toString() {
            return PerturbationMethods.OCCLUSION.spec(this).toText();
        }
    }

    private final Options options;
    private final int[] window;
    private final int[] strides;

    /**
     * Occlusion with these options.
     *
     * @throws InvalidOptionException when the options have no window
     */
    public Occlusion(Options options) {
        this.options = PerturbationOptions.require(options, "options");
        this.window = options.window();
        if (window == null || window.length == 0) {
            throw new InvalidOptionException("occlusion has no sliding window: option 'window' is required, one size "
                    + "per example dimension, e.g. occlusion(window=[3,4,4]) or "
                    + "Occlusion.builder().setSlidingWindowShape(3, 4, 4) for [3, H, W] images");
        }
        this.strides = options.strides();
    }

    /** A builder; the window shape is required, the rest has Captum's defaults (strides 1, zero baseline). */
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
        return PerturbationMethods.OCCLUSION.spec(options);
    }

    @Override
    public Attribution attribute(ForwardModel model, Tensor input, Target target) {
        MethodRun.validate(model, input, target);
        int[][] windows = windows(input.shape().dropBatch());
        Tensor base = options.baseline().resolve(input);
        MethodRun run = new MethodRun();
        Tensor attr = PerturbedEvaluation.ablation(run, model, input, base, target, windows.length,
                options.perturbationsPerEval(), (p, i) -> windows[p]);
        return PerturbationOptions.wrap(run, this, Map.of(), attr, null, target, model);
    }

    /** The flat element indices covered by each window position, in Captum's order (dimension 0 fastest). */
    int[][] windows(Shape example) {
        int rank = example.rank();
        int[] w = window;
        int[] s = strides.length == 1 ? filled(rank, strides[0]) : strides;
        if (w.length != rank || s.length != rank) {
            throw new InvalidOptionException("sliding window " + Arrays.toString(window) + " and strides "
                    + Arrays.toString(strides) + " must have one entry per example dimension " + example
                    + "; give " + rank + " window sizes (and 1 or " + rank + " strides)");
        }
        int[] shifts = new int[rank];
        int positions = 1;
        for (int d = 0; d < rank; d++) {
            int room = example.dim(d) - w[d];
            if (room < 0) {
                throw new InvalidInputException("sliding window " + Arrays.toString(w) + " is larger than the example "
                        + example + " along dimension " + d + "; use a window no larger than the input");
            }
            if (room > 0 && s[d] > w[d]) {
                throw new InvalidOptionException("stride " + s[d] + " along dimension " + d + " is larger than the window "
                        + w[d] + ", so some elements would never be occluded; use a stride no larger than the window");
            }
            shifts[d] = (room + s[d] - 1) / s[d] + 1;
            positions *= shifts[d];
        }
        int[][] out = new int[positions][];
        for (int p = 0; p < positions; p++) {
            int[] from = new int[rank];
            int[] to = new int[rank];
            int size = 1;
            int rest = p;
            for (int d = 0; d < rank; d++) {
                from[d] = (rest % shifts[d]) * s[d];
                rest /= shifts[d];
                to[d] = Math.min(example.dim(d), from[d] + w[d]);
                size *= to[d] - from[d];
            }
            out[p] = box(example, from, to, size);
        }
        return out;
    }

    /** Flat indices of the box {@code [from, to)} in row-major order. */
    private static int[] box(Shape example, int[] from, int[] to, int size) {
        int rank = example.rank();
        int[] idx = from.clone();
        int[] out = new int[size];
        for (int k = 0; k < size; k++) {
            int flat = 0;
            for (int d = 0; d < rank; d++) {
                flat = flat * example.dim(d) + idx[d];
            }
            out[k] = flat;
            for (int d = rank - 1; d >= 0 && ++idx[d] == to[d]; d--) {
                idx[d] = from[d];
            }
        }
        return out;
    }

    private static int[] filled(int n, int v) {
        int[] a = new int[n];
        Arrays.fill(a, v);
        return a;
    }

    /** Options of {@link Occlusion}; {@link #build()} validates them. */
    public static final class Builder extends PerturbationBuilder<Builder> {
        private int[] window;
        private int[] strides = Options.DEFAULTS.strides();

        private Builder() {}

        @Override
        Builder self() {
            return this;
        }

        /** Required: the window size along each example dimension (Captum's {@code sliding_window_shapes}). */
        public Builder setSlidingWindowShape(int... window) {
            this.window = window;
            return this;
        }

        /** The step along each example dimension, or one step for all (default 1). */
        public Builder optStrides(int... strides) {
            this.strides = strides;
            return this;
        }

        /** The options record these settings describe. */
        public Options options() {
            return new Options(window, strides, baseline, perturbationsPerEval);
        }

        /** @throws InvalidOptionException for a missing or non-positive window, strides below 1, a null baseline */
        public Occlusion build() {
            return new Occlusion(options());
        }
    }
}
