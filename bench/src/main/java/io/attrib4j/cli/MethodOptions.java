package io.attrib4j.cli;

import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.spec.MethodDescriptor;
import io.attrib4j.engine.spec.MethodSpec;
import io.attrib4j.engine.spec.Methods;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * Every method flag of the command line, as given (a {@code null} field was not given, so the method keeps
 * its Captum default). {@link #toSpec} turns them into the method's {@link MethodSpec}: the command line only
 * translates flags, the library's registry builds the method.
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

    /**
     * The flags and the spec option each sets: the methods' own option names, so {@code --steps 32} is
     * {@code steps=32}. {@code --attention-output} and {@code --vocab} describe the model and the output, not
     * the method.
     */
    private static final Map<String, String> FLAG_OPTIONS = new LinkedHashMap<>();

    static {
        FLAG_OPTIONS.put("--baseline", "baseline");
        FLAG_OPTIONS.put("--baselines", "baselines");
        FLAG_OPTIONS.put("--steps", "steps");
        FLAG_OPTIONS.put("--rule", "rule");
        FLAG_OPTIONS.put("--internal-batch-size", "internalBatchSize");
        FLAG_OPTIONS.put("--seed", "seed");
        FLAG_OPTIONS.put("--nt-type", "type");
        FLAG_OPTIONS.put("--nt-samples", "samples");
        FLAG_OPTIONS.put("--nt-base", "base");
        FLAG_OPTIONS.put("--stdevs", "stdevs");
        FLAG_OPTIONS.put("--tolerance", "tolerance");
        FLAG_OPTIONS.put("--initial-steps", "initialSteps");
        FLAG_OPTIONS.put("--max-steps", "maxSteps");
        FLAG_OPTIONS.put("--captum-compatible", "captumCompatible");
        FLAG_OPTIONS.put("--layer", "layer");
        FLAG_OPTIONS.put("--relu", "relu");
        FLAG_OPTIONS.put("--window", "window");
        FLAG_OPTIONS.put("--strides", "strides");
        FLAG_OPTIONS.put("--feature-mask", "featureMask");
        FLAG_OPTIONS.put("--samples", "samples");
        FLAG_OPTIONS.put("--perturbations-per-eval", "perturbationsPerEval");
        FLAG_OPTIONS.put("--pooling", "pooling");
        FLAG_OPTIONS.put("--baseline-token", "baselineToken");
    }

    /** Flags that, with smoothgrad, go to the method inside the noise tunnel. */
    private static final Set<String> BASE_FLAGS = Set.of("--baseline", "--steps", "--rule", "--internal-batch-size");

    /** The method flags that were given, by flag, in declaration order (model and output flags left out). */
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
        put(g, "--window", window == null ? null : Arrays.stream(window).boxed().toList());
        put(g, "--strides", strides == null ? null : Arrays.stream(strides).boxed().toList());
        put(g, "--feature-mask", featureMask);
        put(g, "--samples", coalitions);
        put(g, "--perturbations-per-eval", perturbationsPerEval);
        put(g, "--pooling", pooling);
        put(g, "--baseline-token", baselineToken);
        return g;
    }

    private static void put(Map<String, Object> g, String name, Object value) {
        if (value != null) {
            g.put(name, value instanceof Path p ? p.toString() : value);
        }
    }

    /**
     * The method {@code method} (a name, {@code ig}, or a spec, {@code ig(steps=32)}) with the flags given: each
     * flag sets the method's option of the same meaning; with smoothgrad, the base method's flags go to the base.
     * A flag the method does not take is refused, naming the methods that take it.
     */
    MethodSpec toSpec(String method) {
        return toSpec(MethodSpec.parse(method), given());
    }

    static MethodSpec toSpec(MethodSpec spec, Map<String, Object> flags) {
        Map<String, Object> own = new LinkedHashMap<>();
        Map<String, Object> base = new LinkedHashMap<>();
        boolean tunnel = spec.name().equals("smoothgrad");
        flags.forEach((flag, value) -> (tunnel && BASE_FLAGS.contains(flag) ? base : own).put(flag, value));
        MethodSpec result = apply(spec, own);
        if (!base.isEmpty()) {
            Object inner = result.options().get("base");
            MethodSpec innerSpec = inner instanceof MethodSpec m ? m : MethodSpec.parse(inner == null ? "saliency" : inner.toString());
            result = result.with("base", apply(innerSpec, base));
        }
        Methods.resolve(result); // refuses unknown options and ill-typed values now, with the method's words
        return result;
    }

    private static MethodSpec apply(MethodSpec spec, Map<String, Object> flags) {
        List<String> takes = optionNames(spec.name());
        MethodSpec result = spec;
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Object> e : flags.entrySet()) {
            String option = FLAG_OPTIONS.get(e.getKey());
            if (option == null || !takes.contains(option)) {
                wrong.add(e.getKey() + " (used by " + usersOf(option) + ")");
                continue;
            }
            if (spec.options().containsKey(option)) {
                throw new InvalidOptionException(e.getKey() + " and '" + option + "=' in --method " + spec.toText()
                        + " set the same option; give it once");
            }
            result = result.with(option, e.getValue());
        }
        if (!wrong.isEmpty()) {
            throw new InvalidOptionException("--method " + spec.name() + " does not take " + String.join(", ", wrong)
                    + "; remove " + (wrong.size() == 1 ? "it" : "them") + " or choose a method that uses "
                    + (wrong.size() == 1 ? "it" : "them"));
        }
        return result;
    }

    private static List<String> optionNames(String method) {
        return Methods.describe(method).optionNames();
    }

    private static String usersOf(String option) {
        List<String> users = new ArrayList<>();
        if (option != null) {
            for (MethodDescriptor<?> d : Methods.descriptors()) {
                if (d.takes(option)) {
                    users.add(d.name());
                }
            }
        }
        return users.isEmpty() ? "no method" : String.join(", ", users);
    }

    /** True if {@code method} takes the flag (smoothgrad: its own, and those it passes to its base method). */
    static boolean takes(String method, String flag) {
        String option = FLAG_OPTIONS.get(flag);
        return option != null && (optionNames(method).contains(option)
                || method.equals("smoothgrad") && BASE_FLAGS.contains(flag));
    }
}
