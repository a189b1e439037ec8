package io.attrib4j.bench.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.spec.Methods;
import io.attrib4j.gradients.AdaptiveIntegratedGradients;
import io.attrib4j.gradients.GradientShap;
import io.attrib4j.gradients.InputXGradient;
import io.attrib4j.gradients.IntegratedGradients;
import io.attrib4j.gradients.IntegrationRule;
import io.attrib4j.gradients.NoiseTunnel;
import io.attrib4j.gradients.Saliency;
import io.attrib4j.models.zoo.PatchModel;
import io.attrib4j.models.zoo.Zoo;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A grid setting is a method spec: it builds, through the library's registry, the same method as its library
 * builder with the same values, so every grid parameter reaches the method.
 */
class SweepSpecTest {
    private static final Tensor DATA = PatchModel.samples(3, 7).images();
    private static final Target TARGET = Target.classIndex(1);

    private static float[] values(AttributionMethod method) {
        try (ForwardModel model = Zoo.patchClassifier().model()) {
            Attribution a = method.attribute(model, DATA.row(0), TARGET);
            return a.values().data();
        }
    }

    private static Map<String, Object> setting(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static AttributionMethod sweep(String method, Map<String, Object> setting) {
        return Methods.create(SweepRunner.spec(method, setting, DATA));
    }

    private static void same(AttributionMethod expected, String method, Map<String, Object> setting) {
        float[] want = values(expected);
        float[] got = values(sweep(method, setting));
        assertArrayEquals(want, got, method + " " + setting);
    }

    @Test
    void integratedGradientsTakesStepsRuleAndBatchSize() {
        same(IntegratedGradients.builder().optSteps(7).optRule(IntegrationRule.RIEMANN_TRAPEZOID)
                .optInternalBatchSize(3).build(), "ig",
                setting("steps", 7, "rule", "riemann_trapezoid", "internalBatchSize", 3));
        // YAML may write a whole number as 7.0
        same(IntegratedGradients.builder().optSteps(7).build(), "ig", setting("steps", 7.0));
        assertFalse(Arrays.equals(values(IntegratedGradients.builder().optSteps(7).build()),
                values(sweep("ig", setting("steps", 4)))), "the step count changes the result");
    }

    @Test
    void parameterlessMethodsAreTheirDefaults() {
        same(Saliency.builder().build(), "saliency", setting());
        same(InputXGradient.builder().build(), "ixg", setting());
    }

    @Test
    void smoothGradIsANoiseTunnelAroundSaliencyWithSamplesStdevAndSeed() {
        same(NoiseTunnel.builder(Saliency.builder().build()).optSamples(3).optStdev(0.3).optSeed(11).build(),
                "smoothgrad", setting("samples", 3, "stdevs", 0.3, "seed", 11));
    }

    @Test
    void gradientShapAveragesOverTheWholeDataset() {
        same(GradientShap.builder().optBaselines(DATA).optSamples(4).optStdev(0.05).optSeed(3).build(),
                "gradshap", setting("samples", 4, "stdevs", 0.05, "seed", 3));
        float[] oneBaseline = values(GradientShap.builder().optBaselines(DATA.row(2)).optSamples(4).optStdev(0.05)
                .optSeed(3).build());
        assertFalse(Arrays.equals(oneBaseline, values(sweep("gradshap", setting("samples", 4, "stdevs", 0.05,
                "seed", 3)))), "the baseline set matters");
    }

    @Test
    void adaptiveIntegratedGradientsTakesToleranceAndStepBounds() {
        same(AdaptiveIntegratedGradients.builder().optTolerance(0.05).optInitialSteps(2).optMaxSteps(16).build(),
                "adaptive-ig", setting("tolerance", 0.05, "initialSteps", 2, "maxSteps", 16));
    }

    @Test
    void wrongValuesNameTheOption() {
        InvalidOptionException steps = assertThrows(InvalidOptionException.class,
                () -> sweep("ig", setting("steps", 7.5)));
        assertEquals("option 'steps' of method 'ig' takes int, not '7.5'", steps.getMessage());
        InvalidOptionException stdev = assertThrows(InvalidOptionException.class,
                () -> sweep("smoothgrad", setting("stdevs", "wide")));
        assertEquals("option 'stdevs' of method 'smoothgrad' takes double, not 'wide'", stdev.getMessage());
        InvalidOptionException other = assertThrows(InvalidOptionException.class,
                () -> sweep("saliency", setting("steps", 7)));
        assertEquals("method 'saliency' has no option 'steps'; its options are abs", other.getMessage());
    }
}
