package io.attrib4j.bench.sweep;

import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Tensor;
import io.attrib4j.gradients.AdaptiveIntegratedGradients;
import io.attrib4j.gradients.GradientShap;
import io.attrib4j.gradients.InputXGradient;
import io.attrib4j.gradients.IntegratedGradients;
import io.attrib4j.gradients.IntegrationRule;
import io.attrib4j.gradients.NoiseTunnel;
import io.attrib4j.gradients.Saliency;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The methods a sweep can run, the grid parameters each takes, and how each is built from one setting. */
enum SweepMethod {
    IG("ig", "steps", "rule", "internalBatchSize") {
        @Override
        AttributionMethod create(Map<String, Object> p, Tensor data) {
            IntegratedGradients.Builder b = IntegratedGradients.builder();
            if (p.containsKey("steps")) {
                b.optSteps(integer(p, "steps"));
            }
            if (p.containsKey("rule")) {
                b.optRule(IntegrationRule.parse(p.get("rule").toString()));
            }
            if (p.containsKey("internalBatchSize")) {
                b.optInternalBatchSize(integer(p, "internalBatchSize"));
            }
            return b.build();
        }
    },
    SALIENCY("saliency") {
        @Override
        AttributionMethod create(Map<String, Object> p, Tensor data) {
            return Saliency.builder().build();
        }
    },
    IXG("ixg") {
        @Override
        AttributionMethod create(Map<String, Object> p, Tensor data) {
            return InputXGradient.builder().build();
        }
    },
    /** SmoothGrad: Captum's NoiseTunnel(smoothgrad) around Saliency (absolute gradients). */
    SMOOTHGRAD("smoothgrad", "samples", "stdev", "seed") {
        @Override
        AttributionMethod create(Map<String, Object> p, Tensor data) {
            NoiseTunnel.Builder b = NoiseTunnel.builder(Saliency.builder().build());
            if (p.containsKey("samples")) {
                b.optSamples(integer(p, "samples"));
            }
            if (p.containsKey("stdev")) {
                b.optStdev(number(p, "stdev"));
            }
            if (p.containsKey("seed")) {
                b.optSeed(integer(p, "seed"));
            }
            return b.build();
        }
    },
    /** GradientSHAP with the whole dataset as the baseline distribution. */
    GRADSHAP("gradshap", "samples", "stdev", "seed") {
        @Override
        AttributionMethod create(Map<String, Object> p, Tensor data) {
            GradientShap.Builder b = GradientShap.builder().optBaselines(data);
            if (p.containsKey("samples")) {
                b.optSamples(integer(p, "samples"));
            }
            if (p.containsKey("stdev")) {
                b.optStdev(number(p, "stdev"));
            }
            if (p.containsKey("seed")) {
                b.optSeed(integer(p, "seed"));
            }
            return b.build();
        }
    },
    ADAPTIVE_IG("adaptive-ig", "tolerance", "initialSteps", "maxSteps") {
        @Override
        AttributionMethod create(Map<String, Object> p, Tensor data) {
            AdaptiveIntegratedGradients.Builder b = AdaptiveIntegratedGradients.builder();
            if (p.containsKey("tolerance")) {
                b.optTolerance(number(p, "tolerance"));
            }
            if (p.containsKey("initialSteps")) {
                b.optInitialSteps(integer(p, "initialSteps"));
            }
            if (p.containsKey("maxSteps")) {
                b.optMaxSteps(integer(p, "maxSteps"));
            }
            return b.build();
        }
    };

    private final String cliName;
    private final Set<String> parameters;

    SweepMethod(String cliName, String... parameters) {
        this.cliName = cliName;
        this.parameters = Set.of(parameters);
    }

    /**
     * Builds the method for one grid setting.
     *
     * @param data the whole dataset (GradientSHAP's baseline distribution)
     */
    abstract AttributionMethod create(Map<String, Object> setting, Tensor data);

    String cliName() {
        return cliName;
    }

    void checkParameter(String name) {
        if (!parameters.contains(name)) {
            throw new InvalidOptionException("method " + cliName + " has no grid parameter '" + name + "'; "
                    + (parameters.isEmpty() ? "it takes none" : "it takes " + List.copyOf(parameters)));
        }
    }

    static SweepMethod parse(String name) {
        for (SweepMethod m : values()) {
            if (m.cliName.equals(name)) {
                return m;
            }
        }
        throw new InvalidOptionException("unknown method '" + name + "' in sweep config; use one of " + names());
    }

    static String names() {
        return Arrays.stream(values()).map(SweepMethod::cliName).toList().toString();
    }

    private static int integer(Map<String, Object> p, String key) {
        Object v = p.get(key);
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.intValue();
        }
        throw new InvalidOptionException("grid parameter '" + key + "' must be a whole number, got '" + v + "'");
    }

    private static double number(Map<String, Object> p, String key) {
        if (p.get(key) instanceof Number n) {
            return n.doubleValue();
        }
        throw new InvalidOptionException("grid parameter '" + key + "' must be a number, got '" + p.get(key) + "'");
    }
}
