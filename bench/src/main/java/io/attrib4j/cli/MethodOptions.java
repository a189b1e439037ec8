package io.attrib4j.cli;

import io.attrib4j.attention.TokenPooling;
import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.export.Npy;
import io.attrib4j.gradients.IntegrationRule;
import io.attrib4j.gradients.NoiseTunnelType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * Every method option of the command line, as given (a {@code null} field was not given, so the
 * method keeps its Captum default). Each {@link MethodChoice} names the options it takes; the others
 * are rejected with a message that says which methods take them.
 */
final class MethodOptions {

    @Option(names = "--baseline", paramLabel = "b.npy",
            description = "Baseline: the input's shape, one example, or one example without batch (default zeros).")
    Path baseline;

    @Option(names = "--baselines", paramLabel = "dist.npy",
            description = "Baseline set [m, ...] for gradshap and deepliftshap.")
    Path baselines;

    @Option(names = "--steps", paramLabel = "N", description = "Integration steps (default 50).")
    Integer steps;

    @Option(names = "--rule", paramLabel = "RULE", description = "Integration rule: gausslegendre (default), "
            + "riemann_trapezoid, riemann_left, riemann_right, riemann_middle.")
    String rule;

    @Option(names = "--internal-batch-size", paramLabel = "B", description = "Path points per model call.")
    Integer internalBatchSize;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of a stochastic method (default 42).")
    Long seed;

    @Option(names = "--nt-type", paramLabel = "TYPE", description = "smoothgrad (default), smoothgrad_sq or vargrad.")
    String ntType;

    @Option(names = "--nt-samples", paramLabel = "N", description = "Noise samples (smoothgrad default 5, gradshap 5).")
    Integer samples;

    @Option(names = "--nt-base", paramLabel = "METHOD",
            description = "Method inside the noise tunnel: saliency (default), ixg or ig.")
    String ntBase;

    @Option(names = "--stdevs", paramLabel = "SD",
            description = "Gaussian noise standard deviation (smoothgrad default 1.0, gradshap 0.0).")
    Double stdev;

    @Option(names = "--tolerance", paramLabel = "TOL",
            description = "adaptive-ig: largest relative completeness error |delta| / |F(x) - F(b)| (default 0.01).")
    Double tolerance;

    @Option(names = "--initial-steps", paramLabel = "N", description = "adaptive-ig: steps of the first round (default 8).")
    Integer initialSteps;

    @Option(names = "--max-steps", paramLabel = "N", description = "adaptive-ig: most steps for any example (default 512).")
    Integer maxSteps;

    @Option(names = "--captum-compatible", paramLabel = "true|false", arity = "0..1", fallbackValue = "true",
            description = "DeepLIFT: reproduce Captum as-is (its MaxPool rule has no effect after a ReLU).")
    Boolean captumCompatible;

    @Option(names = "--layer", paramLabel = "NAME",
            description = "Layer for gradcam, gradcam++, hirescam, layer-ig (optional when the model has one).")
    String layer;

    @Option(names = "--relu", paramLabel = "true|false", arity = "0..1", fallbackValue = "true",
            description = "Grad-CAM family: apply Captum's optional ReLU to the map.")
    Boolean relu;

    @Option(names = "--window", split = ",", paramLabel = "C,H,W", description = "Occlusion window, one size per example dimension.")
    int[] window;

    @Option(names = "--strides", split = ",", paramLabel = "S", description = "Occlusion strides: one, or one per dimension (default 1).")
    int[] strides;

    @Option(names = "--feature-mask", paramLabel = "mask.npy",
            description = "Feature groups (integer ids) for ablation, kernelshap, lime (default: every element alone).")
    Path featureMask;

    @Option(names = "--samples", paramLabel = "N", description = "Coalitions (kernelshap) or perturbations (lime).")
    Integer coalitions;

    @Option(names = "--perturbations-per-eval", paramLabel = "N", description = "Perturbed copies per model call (default 1).")
    Integer perturbationsPerEval;

    @Option(names = "--attention-output", paramLabel = "K",
            description = "rollout, grad-rollout: index of the model output holding the attention probabilities "
                    + "(layers x batch x heads x seq x seq, or one output per layer from K on).")
    Integer attentionOutput;

    @Option(names = "--pooling", paramLabel = "mean|cls",
            description = "rollout, grad-rollout: token relevance for a mean-pooled (default) or [CLS] classifier.")
    String pooling;

    @Option(names = "--vocab", paramLabel = "vocab.txt",
            description = "Text methods: one word per line, line i = token id i, for tokens.html.")
    Path vocab;

    @Option(names = "--baseline-token", paramLabel = "ID",
            description = "ig-embeddings: the token id of the baseline (PAD or MASK; default 0).")
    Integer baselineToken;

    /** A baseline set given in memory by a caller outside the command line (the sweep's dataset); not an option. */
    Tensor baselineSet;

    /**
     * Options as if given on the command line: {@code given} maps option names ("--steps") to values of the
     * option's type (Integer, Double, String, ...), the inverse of {@link #given()}.
     *
     * @throws InvalidOptionException for a name that is no method option or a value of another type
     */
    static MethodOptions of(Map<String, Object> given) {
        MethodOptions o = new MethodOptions();
        CommandSpec spec = CommandSpec.forAnnotatedObject(o);
        given.forEach((name, value) -> {
            OptionSpec option = spec.findOption(name);
            if (option == null) {
                throw new InvalidOptionException("'" + name + "' is no method option; use one of "
                        + spec.optionsMap().keySet());
            }
            if (!option.type().isInstance(value)) {
                throw new InvalidOptionException(name + " takes " + option.type().getSimpleName() + " values, got "
                        + (value == null ? "null" : value.getClass().getSimpleName() + " " + value));
            }
            option.setValue(value);
        });
        return o;
    }

    /** The options that were given, by name, in declaration order. */
    Map<String, Object> given() {
        Map<String, Object> g = new LinkedHashMap<>();
        put(g, "--baseline", baseline);
        put(g, "--baselines", baselines);
        put(g, "--steps", steps);
        put(g, "--rule", rule);
        put(g, "--internal-batch-size", internalBatchSize);
        put(g, "--seed", seed);
        put(g, "--nt-type", ntType);
        put(g, "--nt-samples", samples);
        put(g, "--nt-base", ntBase);
        put(g, "--stdevs", stdev);
        put(g, "--tolerance", tolerance);
        put(g, "--initial-steps", initialSteps);
        put(g, "--max-steps", maxSteps);
        put(g, "--captum-compatible", captumCompatible);
        put(g, "--layer", layer);
        put(g, "--relu", relu);
        put(g, "--window", window);
        put(g, "--strides", strides);
        put(g, "--feature-mask", featureMask);
        put(g, "--samples", coalitions);
        put(g, "--perturbations-per-eval", perturbationsPerEval);
        put(g, "--attention-output", attentionOutput);
        put(g, "--pooling", pooling);
        put(g, "--vocab", vocab);
        put(g, "--baseline-token", baselineToken);
        return g;
    }

    private static void put(Map<String, Object> g, String name, Object value) {
        if (value != null) {
            g.put(name, value);
        }
    }

    /** --pooling as a {@link TokenPooling}; MEAN when not given. */
    TokenPooling poolingOrDefault() {
        if (pooling == null) {
            return TokenPooling.MEAN;
        }
        return switch (pooling.toLowerCase(Locale.ROOT)) {
            case "mean" -> TokenPooling.MEAN;
            case "cls" -> TokenPooling.CLS;
            default -> throw new InvalidOptionException("--pooling " + pooling + " is not mean or cls; use cls for a "
                    + "classifier reading the first token, mean for one averaging all tokens");
        };
    }

    Baseline baselineOrNull() {
        return baseline == null ? null : Baseline.of(Npy.read(baseline));
    }

    /** The --baselines set (else the in-memory {@link #baselineSet}), required by {@code method}. */
    Tensor requireBaselines(String method) {
        if (baselines == null && baselineSet != null) {
            return baselineSet;
        }
        if (baselines == null) {
            throw new InvalidOptionException("--method " + method + " needs --baselines dist.npy: a batch of baseline "
                    + "examples [m, ...] to average over");
        }
        return Npy.read(baselines);
    }

    IntegrationRule ruleOrNull() {
        return rule == null ? null : IntegrationRule.parse(rule);
    }

    NoiseTunnelType ntTypeOrNull() {
        if (ntType == null) {
            return null;
        }
        for (NoiseTunnelType t : NoiseTunnelType.values()) {
            if (t.captumName().equalsIgnoreCase(ntType) || t.name().equalsIgnoreCase(ntType)) {
                return t;
            }
        }
        throw new InvalidOptionException("unknown --nt-type '" + ntType + "'; use smoothgrad, smoothgrad_sq or vargrad");
    }

    MethodChoice ntBaseOrDefault() {
        if (ntBase == null) {
            return MethodChoice.SALIENCY;
        }
        MethodChoice m = MethodChoice.parse(ntBase.toLowerCase(Locale.ROOT));
        if (!m.canBeNoiseTunnelBase()) {
            throw new InvalidOptionException("--nt-base " + ntBase + " cannot go inside a noise tunnel; use saliency, "
                    + "ixg or ig");
        }
        return m;
    }
}
