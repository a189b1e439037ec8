package io.attrib4j.cli;

import io.attrib4j.attention.AttentionRollout;
import io.attrib4j.attention.GradientWeightedRollout;
import io.attrib4j.attention.TokenRollout;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.export.HeatmapOptions;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.gradients.AdaptiveIntegratedGradients;
import io.attrib4j.gradients.DeepLift;
import io.attrib4j.gradients.DeepLiftShap;
import io.attrib4j.engine.export.Npy;
import io.attrib4j.gradients.CamMethod;
import io.attrib4j.gradients.GradCam;
import io.attrib4j.gradients.GradCamPlusPlus;
import io.attrib4j.gradients.GradientShap;
import io.attrib4j.gradients.HiResCam;
import io.attrib4j.gradients.LayerIntegratedGradients;
import io.attrib4j.perturbation.FeatureAblation;
import io.attrib4j.perturbation.KernelShap;
import io.attrib4j.perturbation.Lime;
import io.attrib4j.perturbation.Occlusion;
import io.attrib4j.perturbation.PerturbationBuilder;
import io.attrib4j.models.DjlBlockModel;
import io.attrib4j.models.DjlStages;
import io.attrib4j.models.onnx.OnnxModel;
import io.attrib4j.models.onnx.OnnxStages;
import io.attrib4j.gradients.InputXGradient;
import io.attrib4j.gradients.IntegratedGradients;
import io.attrib4j.gradients.NoiseTunnel;
import io.attrib4j.gradients.Saliency;
import io.attrib4j.gradients.TokenAttribution;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The methods the command line offers: each with its name, the options it takes, the heatmap sign
 * that suits its values, and how it is built from {@link MethodOptions}.
 */
enum MethodChoice {
    /** Integrated Gradients: signed, complete (has a convergence delta). */
    IG("ig", HeatmapOptions.Sign.ALL, "--baseline", "--steps", "--rule", "--internal-batch-size") {
        @Override
        AttributionMethod create(MethodOptions o, Backend backend) {
            IntegratedGradients.Builder b = IntegratedGradients.builder();
            ifGiven(o.steps, b::optSteps);
            ifGiven(o.ruleOrNull(), b::optRule);
            ifGiven(o.baselineOrNull(), b::optBaseline);
            ifGiven(o.internalBatchSize, b::optInternalBatchSize);
            return b.optBackend(backend).build();
        }
    },
    /** Adaptive Integrated Gradients: Gauss-Legendre steps doubled per example until |delta| is within --tolerance. */
    ADAPTIVE_IG("adaptive-ig", HeatmapOptions.Sign.ALL, "--baseline", "--tolerance", "--initial-steps", "--max-steps",
            "--internal-batch-size") {
        @Override
        AttributionMethod create(MethodOptions o, Backend backend) {
            AdaptiveIntegratedGradients.Builder b = AdaptiveIntegratedGradients.builder();
            ifGiven(o.tolerance, b::optTolerance);
            ifGiven(o.initialSteps, b::optInitialSteps);
            ifGiven(o.maxSteps, b::optMaxSteps);
            ifGiven(o.baselineOrNull(), b::optBaseline);
            ifGiven(o.internalBatchSize, b::optInternalBatchSize);
            return b.optBackend(backend).build();
        }
    },
    /** Saliency: absolute gradients (Captum's default). */
    SALIENCY("saliency", HeatmapOptions.Sign.ABSOLUTE) {
        @Override
        AttributionMethod create(MethodOptions o, Backend backend) {
            return Saliency.builder().optBackend(backend).build();
        }
    },
    /** Input times gradient: signed. */
    IXG("ixg", HeatmapOptions.Sign.ALL) {
        @Override
        AttributionMethod create(MethodOptions o, Backend backend) {
            return InputXGradient.builder().optBackend(backend).build();
        }
    },
    /** NoiseTunnel around --nt-base (default saliency). */
    SMOOTHGRAD("smoothgrad", HeatmapOptions.Sign.ABSOLUTE, "--nt-type", "--nt-samples", "--nt-base", "--stdevs",
            "--seed", "--baseline", "--steps", "--rule", "--internal-batch-size") {
        @Override
        AttributionMethod create(MethodOptions o, Backend backend) {
            MethodChoice base = o.ntBaseOrDefault();
            base.checkApplicable(withoutNoiseTunnelOptions(o));
            NoiseTunnel.Builder b = NoiseTunnel.builder(base.create(o, backend)).optBackend(backend);
            ifGiven(o.ntTypeOrNull(), b::optType);
            ifGiven(o.samples, b::optSamples);
            ifGiven(o.stdev, b::optStdev);
            ifGiven(o.seed, b::optSeed);
            return b.build();
        }
    },
    /** DeepLIFT, Rescale rule, on models whose graph is visible (zoo models, DJL blocks, ONNX chains). */
    DEEPLIFT("deeplift", HeatmapOptions.Sign.ALL, "--baseline", "--captum-compatible") {
        @Override
        AttributionMethod create(MethodOptions o, Backend backend) {
            DeepLift.Builder b = DeepLift.builder().optCaptumCompatible(o.captumCompatible != null && o.captumCompatible);
            ifGiven(o.baselineOrNull(), b::optBaseline);
            return b.optBackend(backend).build();
        }

        @Override
        ForwardModel prepare(ForwardModel model) {
            return staged(model);
        }
    },
    /** DeepLIFT averaged over a baseline set (--baselines). */
    DEEPLIFTSHAP("deepliftshap", HeatmapOptions.Sign.ALL, "--baselines", "--captum-compatible") {
        @Override
        AttributionMethod create(MethodOptions o, Backend backend) {
            return DeepLiftShap.builder().setBaselines(o.requireBaselines(cliName()))
                    .optCaptumCompatible(o.captumCompatible != null && o.captumCompatible)
                    .optBackend(backend).build();
        }

        @Override
        ForwardModel prepare(ForwardModel model) {
            return staged(model);
        }
    },
    /** Grad-CAM (Captum's LayerGradCam) on --layer. */
    GRADCAM("gradcam", HeatmapOptions.Sign.ALL, "--layer", "--relu") {
        @Override
        AttributionMethod create(MethodOptions o, Backend backend) {
            return cam(GradCam.builder(), o, backend);
        }
    },
    /** Grad-CAM++ on --layer. */
    GRADCAM_PLUS_PLUS("gradcam++", HeatmapOptions.Sign.ALL, "--layer", "--relu") {
        @Override
        AttributionMethod create(MethodOptions o, Backend backend) {
            return cam(GradCamPlusPlus.builder(), o, backend);
        }
    },
    /** HiResCAM on --layer. */
    HIRESCAM("hirescam", HeatmapOptions.Sign.ALL, "--layer", "--relu") {
        @Override
        AttributionMethod create(MethodOptions o, Backend backend) {
            return cam(HiResCam.builder(), o, backend);
        }
    },
    /** Integrated Gradients with respect to --layer's activations. */
    LAYER_IG("layer-ig", HeatmapOptions.Sign.ALL, "--layer", "--baseline", "--steps", "--rule", "--internal-batch-size") {
        @Override
        AttributionMethod create(MethodOptions o, Backend backend) {
            LayerIntegratedGradients.Builder b = LayerIntegratedGradients.builder()
                    .optIntegratedGradients((IntegratedGradients) IG.create(o, backend));
            ifGiven(o.layer, b::optLayer);
            return b.build();
        }
    },
    /** Occlusion: sliding --window with --strides. */
    OCCLUSION("occlusion", HeatmapOptions.Sign.ALL, "--window", "--strides", "--baseline", "--perturbations-per-eval") {
        @Override
        AttributionMethod create(MethodOptions o, Backend backend) {
            if (o.window == null) {
                throw new InvalidOptionException("--method occlusion needs --window, one size per example dimension "
                        + "(for a 3x32x32 image, e.g. --window 3,4,4)");
            }
            Occlusion.Builder b = perturbation(Occlusion.builder(), o).setSlidingWindowShape(o.window);
            ifGiven(o.strides, b::optStrides);
            return b.build();
        }
    },
    /** Feature ablation over --feature-mask groups. */
    ABLATION("ablation", HeatmapOptions.Sign.ALL, "--feature-mask", "--baseline", "--perturbations-per-eval") {
        @Override
        AttributionMethod create(MethodOptions o, Backend backend) {
            return grouped(FeatureAblation.builder(), o).build();
        }
    },
    /** KernelSHAP over --feature-mask groups. */
    KERNELSHAP("kernelshap", HeatmapOptions.Sign.ALL, "--feature-mask", "--samples", "--seed", "--baseline",
            "--perturbations-per-eval") {
        @Override
        AttributionMethod create(MethodOptions o, Backend backend) {
            KernelShap.Builder b = grouped(KernelShap.builder(), o);
            ifGiven(o.coalitions, b::optSamples);
            ifGiven(o.seed, b::optSeed);
            return b.build();
        }
    },
    /** LIME with a ridge surrogate over --feature-mask groups. */
    LIME("lime", HeatmapOptions.Sign.ALL, "--feature-mask", "--samples", "--seed", "--baseline",
            "--perturbations-per-eval") {
        @Override
        AttributionMethod create(MethodOptions o, Backend backend) {
            Lime.Builder b = grouped(Lime.builder(), o);
            ifGiven(o.coalitions, b::optSamples);
            ifGiven(o.seed, b::optSeed);
            return b.build();
        }
    },
    /** GradientSHAP over a baseline distribution (--baselines). */
    GRADSHAP("gradshap", HeatmapOptions.Sign.ALL, "--baselines", "--nt-samples", "--stdevs", "--seed") {
        @Override
        AttributionMethod create(MethodOptions o, Backend backend) {
            GradientShap.Builder b = GradientShap.builder().optBaselines(o.requireBaselines(cliName()));
            ifGiven(o.samples, b::optSamples);
            ifGiven(o.stdev, b::optStdev);
            ifGiven(o.seed, b::optSeed);
            return b.optBackend(backend).build();
        }
    },
    /** Attention rollout (Abnar & Zuidema) on the model's attention output: token relevance [N, seq]. */
    ROLLOUT("rollout", HeatmapOptions.Sign.ABSOLUTE, "--attention-output", "--pooling", "--vocab") {
        @Override
        AttributionMethod create(MethodOptions o, Backend backend) {
            return TokenRollout.attention(AttentionRollout.builder().optBackend(backend).build(), o.poolingOrDefault());
        }
    },
    /** Gradient-weighted rollout (Chefer et al.) for the target: token relevance [N, seq]. */
    GRAD_ROLLOUT("grad-rollout", HeatmapOptions.Sign.ABSOLUTE, "--attention-output", "--pooling", "--vocab") {
        @Override
        AttributionMethod create(MethodOptions o, Backend backend) {
            return TokenRollout.gradientWeighted(GradientWeightedRollout.builder().optBackend(backend).build(),
                    o.poolingOrDefault());
        }
    },
    /** Integrated Gradients at the embedding output (--layer), summed per token: signed, complete. */
    IG_EMBEDDINGS("ig-embeddings", HeatmapOptions.Sign.ALL, "--layer", "--steps", "--baseline-token", "--vocab") {
        @Override
        AttributionMethod create(MethodOptions o, Backend backend) {
            TokenAttribution.Builder b = TokenAttribution.builder(TokenAttribution.Kind.INTEGRATED_GRADIENTS)
                    .optLayer(o.layer).optBackend(backend);
            ifGiven(o.steps, b::optSteps);
            ifGiven(o.baselineToken, b::optBaselineToken);
            return b.build();
        }
    };

    private final String cliName;
    private final HeatmapOptions.Sign sign;
    private final Set<String> accepts;

    MethodChoice(String cliName, HeatmapOptions.Sign sign, String... accepts) {
        this.cliName = cliName;
        this.sign = sign;
        this.accepts = Set.of(accepts);
    }

    /** Builds the method; options it does not take were rejected by {@link #checkApplicable}. */
    abstract AttributionMethod create(MethodOptions options, Backend backend);

    /** The view of the model this method needs (DeepLIFT sees the stages of a DJL block or ONNX chain); the model itself by default. */
    ForwardModel prepare(ForwardModel model) {
        return model;
    }

    /** True for methods on token ids whose values are one score per token (written as tokens.html). */
    boolean text() {
        return this == ROLLOUT || this == GRAD_ROLLOUT || this == IG_EMBEDDINGS;
    }

    /** True for methods whose values are a layer map ([N, 1, h, w]) rather than one value per input element. */
    boolean layerMap() {
        return this == GRADCAM || this == GRADCAM_PLUS_PLUS || this == HIRESCAM;
    }

    /** Passes an option to the builder when it was given; a null value (not given) leaves the method's default. */
    private static <T> void ifGiven(T value, Consumer<? super T> set) {
        if (value != null) {
            set.accept(value);
        }
    }

    private static <M extends CamMethod> M cam(CamMethod.Builder<M> b, MethodOptions o, Backend backend) {
        ifGiven(o.layer, b::optLayer);
        return b.optRelu(o.relu != null && o.relu).optBackend(backend).build();
    }

    private static <B extends PerturbationBuilder<B>> B perturbation(B b, MethodOptions o) {
        ifGiven(o.baselineOrNull(), b::optBaseline);
        ifGiven(o.perturbationsPerEval, b::optPerturbationsPerEval);
        return b;
    }

    private static <B extends PerturbationBuilder.Grouped<B>> B grouped(B b, MethodOptions o) {
        if (o.featureMask != null) {
            b.optFeatureMask(Npy.read(o.featureMask));
        }
        return perturbation(b, o);
    }

    /** A DJL block or ONNX chain as its stages; other models unchanged (DeepLIFT then says what it needs). */
    private static ForwardModel staged(ForwardModel model) {
        if (model instanceof OnnxModel onnx) {
            return OnnxStages.of(onnx);
        }
        return model instanceof DjlBlockModel djl ? DjlStages.of(djl) : model;
    }

    String cliName() {
        return cliName;
    }

    HeatmapOptions.Sign sign() {
        return sign;
    }

    boolean canBeNoiseTunnelBase() {
        return this == SALIENCY || this == IXG || this == IG;
    }

    /** True if this method uses the option {@code name} ("--steps"). */
    boolean takes(String name) {
        return accepts.contains(name);
    }

    /** Rejects given options this method does not take, naming the methods that do. */
    void checkApplicable(MethodOptions options) {
        List<String> wrong = new ArrayList<>();
        for (String name : options.given().keySet()) {
            if (!accepts.contains(name)) {
                wrong.add(name + " (used by " + usersOf(name) + ")");
            }
        }
        if (!wrong.isEmpty()) {
            throw new InvalidOptionException("--method " + cliName + " does not take " + String.join(", ", wrong)
                    + "; remove " + (wrong.size() == 1 ? "it" : "them") + " or choose a method that uses "
                    + (wrong.size() == 1 ? "it" : "them"));
        }
    }

    /** The method named on the command line ("ig", "gradshap", ...). */
    static MethodChoice parse(String name) {
        for (MethodChoice m : values()) {
            if (m.cliName.equals(name)) {
                return m;
            }
        }
        throw new InvalidOptionException("unknown method '" + name + "'; use one of " + names());
    }

    static String names() {
        return Arrays.stream(values()).map(MethodChoice::cliName).toList().toString();
    }

    private static String usersOf(String option) {
        List<String> users = new ArrayList<>();
        for (MethodChoice m : values()) {
            if (m.accepts.contains(option)) {
                users.add(m.cliName);
            }
        }
        return users.isEmpty() ? "no method" : String.join(", ", users);
    }

    /** The options left for the base method once the noise tunnel has taken its own. */
    private static MethodOptions withoutNoiseTunnelOptions(MethodOptions o) {
        MethodOptions base = new MethodOptions();
        base.baseline = o.baseline;
        base.steps = o.steps;
        base.rule = o.rule;
        base.internalBatchSize = o.internalBatchSize;
        return base;
    }

    @Override
    public String toString() {
        return cliName.toLowerCase(Locale.ROOT);
    }
}
