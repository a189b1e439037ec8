package io.attrib4j.gradients;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.BaselineMethod;
import io.attrib4j.engine.ConvergenceDelta;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.ModelExecutionException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.Backends;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.Stage;
import io.attrib4j.engine.model.StagedModel;
import io.attrib4j.engine.spec.Doc;
import io.attrib4j.engine.spec.MethodOptions;
import io.attrib4j.engine.spec.MethodSpec;
import java.util.List;

/**
 * DeepLIFT with the Rescale rule: backpropagation in which every nonlinearity's derivative is replaced
 * by its finite-difference multiplier between the input and a reference,
 * <pre>
 * m = (f(x) - f(r)) / (x - r)      where |x - r| &gt;= eps, else the ordinary derivative f'(x)
 * attr_j = (x_j - b_j) * m_total_j  where m_total = the chain of multipliers (linear layers: their gradient)
 * </pre>
 * Shrikumar, Greenside and Kundaje, "Learning Important Features Through Propagating Activation
 * Differences", ICML 2017. The multipliers compose by the chain rule, so the attributions sum to
 * {@code F_t(x) - F_t(b)} (completeness; the convergence delta measures the float error). One forward of
 * the input and reference halves and one backward: much cheaper than Integrated Gradients, and exact on
 * piecewise-linear networks. Use it for ReLU/sigmoid/tanh networks whose layers are visible.
 *
 * <p>Semantics are Captum 0.8's {@code DeepLift} (oracle README 6.5): input and reference run as one
 * batch {@code [x; b]} of 2N rows, the target seeds both halves, multipliers are computed per element with
 * {@code eps = 1e-10}, and where {@code |Δin| < eps} each half takes its own ordinary gradient.
 * <ul>
 *   <li>{@code LINEAR} stages (linear, conv, average pool, flatten): their vector-Jacobian product.</li>
 *   <li>{@code RELU, LEAKY_RELU, ELU, SIGMOID, TANH, SOFTPLUS}: the Rescale multiplier above.</li>
 *   <li>{@code SOFTMAX}: Captum's rule: the elementwise Rescale multiplier, then its mean is subtracted.
 *       Captum subtracts the mean over the whole 2N batch ({@code captumCompatible}); the default subtracts
 *       the mean over each softmax group (the last dimension of each row), so examples stay independent.
 *       Neither is complete in general (the Rescale rule is not defined for a vector function).</li>
 *   <li>{@code MAX_POOL}, default ({@code captumCompatible=false}): Captum's max-pool rule as intended
 *       (what the oracle's {@code deeplift_maxpoolrule_*} references hold):
 *       {@code Δout_x = max(o, o_r) - o_r}, {@code Δout_r = o - max(o, o_r)}; {@code g·Δout_x} is routed to the
 *       argmax of x's windows, {@code g·Δout_r} to the argmax of the reference's, the two are summed and divided by
 *       {@code Δin}; complete. Where {@code |Δin| < eps} each half takes its own plain gradient (Captum takes
 *       batch element 0's, a quirk without effect when a ReLU feeds the pool).</li>
 *   <li>{@code MAX_POOL} with {@code captumCompatible=true}: the plain gradient, which is what Captum 0.8 with
 *       torch 1.13 actually computes when a ReLU module feeds the max pool (oracle {@code deeplift_*}); then
 *       completeness fails for non-constant references.</li>
 * </ul>
 *
 * <p>The model must be a {@link StagedModel} (a visible chain of layers). This package does not depend on
 * the model adapters: callers wrap a DJL block model with {@code io.attrib4j.models.DjlStages.of(model)}.
 * Other models raise {@link UnsupportedModelException} saying so.
 *
 * <p>Immutable and thread-safe (given a thread-safe model).
 */
public final class DeepLift implements BaselineMethod {
    /** Name recorded in provenance. */
    public static final String NAME = "DeepLift";

    /** Name in a method spec. */
    public static final String SPEC_NAME = "deeplift";
    /** What DeepLIFT's options mean (DeepLIFT-SHAP has them too). */
    static final String MULTIPLY_DOC = "multiply the multipliers by x - baseline (false: the multipliers)";
    static final String CAPTUM_DOC = "reproduce Captum 0.8 as it behaves: plain max-pool gradient, batch-wide softmax mean";
    static final String EPS_DOC = "below this |x - r| at a nonlinearity the ordinary gradient replaces the multiplier";

    /**
     * The options of DeepLIFT, with Captum's defaults in {@link #DEFAULTS}.
     *
     * @param baseline the reference
     * @param multiplyByInputs multiply the multipliers by {@code x - b}; off, the result is the multipliers
     * @param captumCompatible reproduce Captum 0.8 as it behaves (max pools take their plain gradient, the softmax
     *     normalization spans the whole batch); see the class comment
     * @param eps below this {@code |Δin|} the ordinary gradient replaces the multiplier
     */
    public record Options(
            @Doc("the reference input") Baseline baseline,
            @Doc(MULTIPLY_DOC) boolean multiplyByInputs,
            @Doc(CAPTUM_DOC) boolean captumCompatible,
            @Doc(EPS_DOC) double eps)
            implements MethodOptions {
        /** Captum's defaults: zero baseline, multiply by inputs, the max-pool rule as intended, eps 1e-10. */
        public static final Options DEFAULTS = new Options(Baseline.zeros(), true, false, 1e-10);

        /** @throws InvalidOptionException for a null baseline or an eps that is negative or not finite */
        public Options {
            GradientPass.require(baseline, "baseline");
            if (!(eps >= 0) || Double.isInfinite(eps)) {
                throw new InvalidOptionException("eps = " + eps + "; use a small non-negative number such as 1e-10 "
                        + "(the |Δin| below which the ordinary gradient replaces the multiplier)");
            }
        }

        public Options withBaseline(Baseline baseline) {
            return new Options(baseline, multiplyByInputs, captumCompatible, eps);
        }
    }

    private final Options options;
    private final Backend backend;

    /** DeepLIFT with these options and {@code (x - b) · m} on {@code backend}. */
    public DeepLift(Options options, Backend backend) {
        this.options = GradientPass.require(options, "options");
        this.backend = backend != null ? backend : Backends.get();
    }

    /** A builder with Captum's defaults: zero baseline, multiply by inputs, eps 1e-10, textbook max-pool rule. */
    public static Builder builder() {
        return new Builder();
    }

    /** DeepLift with the defaults. */
    public static DeepLift withDefaults() {
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
        return GradientMethods.DEEPLIFT.spec(options);
    }

    @Override
    public Baseline baseline() {
        return options.baseline();
    }

    @Override
    public DeepLift withBaseline(Baseline baseline) {
        return new DeepLift(options.withBaseline(baseline), backend);
    }

    public boolean multiplyByInputs() {
        return options.multiplyByInputs();
    }

    public boolean captumCompatible() {
        return options.captumCompatible();
    }

    public double eps() {
        return options.eps();
    }

    public Backend backend() {
        return backend;
    }

    @Override
    public Attribution attribute(ForwardModel model, Tensor input, Target target) {
        StagedModel staged = validate(model, input, target, NAME);
        Tensor base = options.baseline().resolve(input);
        MethodRun run = new MethodRun();
        Result r = compute(run, staged, input, base, target);
        return GradientPass.wrap(run, this, r.attributions(), r.delta(), target, model, backend);
    }

    /** Attributions (one row per input row) and the convergence delta of each row. */
    record Result(Tensor attributions, float[] delta) {}

    /**
     * Validates the call and returns the staged view of the model, or a typed error that says which models
     * DeepLIFT supports.
     */
    static StagedModel validate(ForwardModel model, Tensor input, Target target, String method) {
        MethodRun.validate(model, input, target);
        model.capability(io.attrib4j.engine.model.ForwardOnly.class).ifPresent(f -> {
            throw new UnsupportedModelException(method + " needs the model's layers and gradients, but model '"
                    + model.info().name() + "' runs forward only: " + f.whyNoGradients());
        });
        return model.capability(StagedModel.class).orElseThrow(() -> new UnsupportedModelException(method + " needs the model's layers, but model '" + model.info().name()
                + "' (format " + model.info().format() + ") does not expose them (it is not a StagedModel). DeepLIFT "
                + "supports DJL sequential blocks and ONNX chains: wrap a DjlBlockModel with "
                + "io.attrib4j.models.DjlStages.of(model), an OnnxModel with io.attrib4j.models.onnx.OnnxStages.of(model)"
                + ". For a TorchScript file, rebuild the network as DJL blocks, or use "
                + "IntegratedGradients or GradientShap, which need only gradients"));
    }

    /**
     * DeepLIFT of every row of {@code input} against the same row of {@code base}: one forward of the 2N
     * batch {@code [input; base]} through the stages, one backward with the DeepLIFT rules. Inputs are
     * already validated. Shared with {@link DeepLiftShap}. {@code run} counts the forward as one model call
     * of 2N examples and times the backward through the stages (the rules included) as model time.
     */
    Result compute(MethodRun run, StagedModel model, Tensor input, Tensor base, Target target) {
        int n = input.batch();
        List<Stage> stages = model.stages();
        Tensor[] acts = new Tensor[stages.size() + 1];
        acts[0] = Tensor.concatRows(List.of(input, base));
        Tensor output = run.call(2 * n, () -> {
            for (int s = 0; s < stages.size(); s++) {
                acts[s + 1] = checked(stages.get(s), acts[s].batch(), stages.get(s).forward(acts[s]), "output");
            }
            return acts[stages.size()];
        });
        int[] twice = new int[2 * n];
        for (int i = 0; i < twice.length; i++) {
            twice[i] = i % n;
        }
        Target both = target.gather(twice);
        Tensor seed = both.seed(output);
        Tensor multipliers = run.time(() -> {
            Tensor g = seed;
            for (int s = stages.size() - 1; s >= 0; s--) {
                Tensor in = acts[s];
                g = checked(stages.get(s), in.shape(), backprop(stages.get(s), in, acts[s + 1], g));
            }
            return g.rows(0, n);
        });
        Tensor attr = options.multiplyByInputs() ? backend.multiply(backend.subtract(input, base), multipliers) : multipliers;
        float[] f = both.select(output);
        float[] change = new float[n];
        for (int i = 0; i < n; i++) {
            change[i] = f[i] - f[n + i];
        }
        return new Result(attr, ConvergenceDelta.fromChange(change, attr));
    }

    /** The gradient at a stage's input from the gradient at its output, by the stage's DeepLIFT rule. */
    private Tensor backprop(Stage stage, Tensor in, Tensor out, Tensor g) {
        return switch (stage.kind()) {
            case LINEAR -> stage.backward(in, g);
            case MAX_POOL -> options.captumCompatible() ? stage.backward(in, g) : maxPool(stage, in, out, g);
            case SOFTMAX -> softmax(rescale(stage, in, out, g), out.shape().dim(out.shape().rank() - 1));
            default -> rescale(stage, in, out, g);
        };
    }

    /** Elementwise Rescale rule: {@code g · Δout / Δin}, or the plain gradient where {@code |Δin| < eps}. */
    private Tensor rescale(Stage stage, Tensor in, Tensor out, Tensor g) {
        float[] plain = stage.backward(in, g).data();
        float[] x = in.data();
        float[] y = out.data();
        float[] gd = g.data();
        int half = x.length / 2;
        float[] m = new float[x.length];
        for (int j = 0; j < x.length; j++) {
            int k = j % half;
            float dIn = x[k] - x[k + half];
            m[j] = Math.abs(dIn) < options.eps() ? plain[j] : gd[j] * (y[k] - y[k + half]) / dIn;
        }
        return Tensor.of(m, in.shape());
    }

    /** Captum's softmax normalization: subtract the mean of the multipliers (see the class comment). */
    private Tensor softmax(Tensor unnormalized, int groupSize) {
        float[] u = unnormalized.data();
        int group = options.captumCompatible() ? u.length : groupSize;
        float[] m = new float[u.length];
        for (int from = 0; from < u.length; from += group) {
            double sum = 0;
            for (int j = from; j < from + group; j++) {
                sum += u[j];
            }
            float mean = (float) (sum / group);
            for (int j = from; j < from + group; j++) {
                m[j] = u[j] - mean;
            }
        }
        return Tensor.of(m, unnormalized.shape());
    }

    /**
     * The max-pool rule: the output differences, split at the cross maximum, routed to the argmax of each
     * half (the stage's own backward does the routing), summed and divided by {@code Δin}.
     */
    private Tensor maxPool(Stage stage, Tensor in, Tensor out, Tensor g) {
        float[] y = out.data();
        float[] gd = g.data();
        int halfOut = y.length / 2;
        float[] routed = new float[y.length];
        for (int k = 0; k < halfOut; k++) {
            float cross = Math.max(y[k], y[k + halfOut]);
            routed[k] = gd[k] * (cross - y[k + halfOut]);
            routed[k + halfOut] = gd[k + halfOut] * (y[k] - cross);
        }
        float[] unpooled = stage.backward(in, Tensor.of(routed, out.shape())).data();
        float[] plain = stage.backward(in, g).data();
        float[] x = in.data();
        int half = x.length / 2;
        float[] m = new float[x.length];
        for (int j = 0; j < x.length; j++) {
            int k = j % half;
            float dIn = x[k] - x[k + half];
            m[j] = Math.abs(dIn) < options.eps() ? plain[j] : (unpooled[k] + unpooled[k + half]) / dIn;
        }
        return Tensor.of(m, in.shape());
    }

    private static Tensor checked(Stage stage, int batch, Tensor out, String what) {
        if (out.shape().rank() == 0 || out.batch() != batch) {
            throw new ModelExecutionException("stage '" + stage.name() + "' returned an " + what + " of shape "
                    + out.shape() + " for a batch of " + batch + "; every stage must keep the batch dimension");
        }
        return out;
    }

    private static Tensor checked(Stage stage, Shape inputShape, Tensor grad) {
        if (!grad.shape().equals(inputShape)) {
            throw new ModelExecutionException("stage '" + stage.name() + "' returned an input gradient of shape "
                    + grad.shape() + " for an input of shape " + inputShape
                    + "; a stage's backward must return one element per input element");
        }
        return grad;
    }

    /** Options of {@link DeepLift}; {@link #build()} validates them. */
    public static final class Builder {
        private Baseline baseline = Options.DEFAULTS.baseline();
        private boolean multiplyByInputs = Options.DEFAULTS.multiplyByInputs();
        private boolean captumCompatible = Options.DEFAULTS.captumCompatible();
        private double eps = Options.DEFAULTS.eps();
        private Backend backend;

        private Builder() {}

        /** The reference (default zeros). */
        public Builder optBaseline(Baseline baseline) {
            this.baseline = baseline;
            return this;
        }

        /** Multiply the multipliers by {@code x - b} (default true); off, the result is the multipliers. */
        public Builder optMultiplyByInputs(boolean multiplyByInputs) {
            this.multiplyByInputs = multiplyByInputs;
            return this;
        }

        /**
         * Reproduce Captum 0.8 as it behaves (default false): max pools take their plain gradient, and the
         * softmax normalization spans the whole batch. See the class comment.
         */
        public Builder optCaptumCompatible(boolean captumCompatible) {
            this.captumCompatible = captumCompatible;
            return this;
        }

        /** Below this {@code |Δin|} the ordinary gradient replaces the multiplier (default 1e-10). */
        public Builder optEps(double eps) {
            this.eps = eps;
            return this;
        }

        /** The backend for {@code (x - b) · m} (default {@link Backends#get()}). */
        public Builder optBackend(Backend backend) {
            this.backend = backend;
            return this;
        }

        /** The options record these settings describe. */
        public Options options() {
            return new Options(baseline, multiplyByInputs, captumCompatible, eps);
        }

        /**
         * @throws InvalidOptionException for a null baseline or an eps that is negative or not finite
         */
        public DeepLift build() {
            return new DeepLift(options(), backend);
        }
    }
}
