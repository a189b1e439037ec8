package io.attrib4j.bench.sweep;

import static io.attrib4j.bench.sweep.GridParameter.INITIAL_STEPS;
import static io.attrib4j.bench.sweep.GridParameter.INTERNAL_BATCH_SIZE;
import static io.attrib4j.bench.sweep.GridParameter.MAX_STEPS;
import static io.attrib4j.bench.sweep.GridParameter.RULE;
import static io.attrib4j.bench.sweep.GridParameter.SAMPLES;
import static io.attrib4j.bench.sweep.GridParameter.SEED;
import static io.attrib4j.bench.sweep.GridParameter.STDEV;
import static io.attrib4j.bench.sweep.GridParameter.STEPS;
import static io.attrib4j.bench.sweep.GridParameter.TOLERANCE;

import io.attrib4j.cli.MethodFactory;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The methods a sweep can run and the grid parameters each takes. A grid setting becomes the command-line
 * options of the method of the same name, and the command line builds it ({@link MethodFactory}).
 */
enum SweepMethod {
    IG("ig", STEPS, RULE, INTERNAL_BATCH_SIZE),
    SALIENCY("saliency"),
    IXG("ixg"),
    /** SmoothGrad: Captum's NoiseTunnel(smoothgrad) around Saliency (absolute gradients). */
    SMOOTHGRAD("smoothgrad", SAMPLES, STDEV, SEED),
    /** GradientSHAP with the whole dataset as the baseline distribution. */
    GRADSHAP("gradshap", SAMPLES, STDEV, SEED),
    ADAPTIVE_IG("adaptive-ig", TOLERANCE, INITIAL_STEPS, MAX_STEPS);

    private final String cliName;
    private final List<GridParameter> parameters;

    SweepMethod(String cliName, GridParameter... parameters) {
        this.cliName = cliName;
        this.parameters = List.of(parameters);
    }

    /**
     * Builds the method for one grid setting (its parameters were checked by {@link #checkParameter}).
     *
     * @param data the whole dataset (GradientSHAP's baseline distribution)
     * @throws InvalidOptionException for a value of the wrong type
     */
    AttributionMethod create(Map<String, Object> setting, Tensor data) {
        Map<String, Object> options = new LinkedHashMap<>();
        setting.forEach((name, value) -> {
            GridParameter p = parameter(name);
            options.put(p.option(), p.value(value));
        });
        return MethodFactory.create(cliName, options, data);
    }

    String cliName() {
        return cliName;
    }

    void checkParameter(String name) {
        parameter(name);
    }

    private GridParameter parameter(String name) {
        for (GridParameter p : parameters) {
            if (p.gridName().equals(name)) {
                return p;
            }
        }
        throw new InvalidOptionException("method " + cliName + " has no grid parameter '" + name + "'; "
                + (parameters.isEmpty() ? "it takes none"
                        : "it takes " + parameters.stream().map(GridParameter::gridName).toList()));
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
}
