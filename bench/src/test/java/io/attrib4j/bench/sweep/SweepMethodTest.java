package io.attrib4j.bench.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.attrib4j.cli.MethodFactory;
import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
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
 * A grid setting builds, through the command line's method factory, the same method as its library builder
 * with the same values: every grid parameter reaches the method.
 */
class SweepMethodTest {
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

    private static void same(AttributionMethod expected, SweepMethod kind, Map<String, Object> setting) {
        float[] want = values(expected);
        float[] got = values(kind.create(setting, DATA));
        assertArrayEquals(want, got, kind.cliName() + " " + setting);
    }

    @Test
    void integratedGradientsTakesStepsRuleAndBatchSize() {
        same(IntegratedGradients.builder().optSteps(7).optRule(IntegrationRule.RIEMANN_TRAPEZOID)
                .optInternalBatchSize(3).build(), SweepMethod.IG,
                setting("steps", 7, "rule", "riemann_trapezoid", "internalBatchSize", 3));
        // YAML may write a whole number as 7.0
        same(IntegratedGradients.builder().optSteps(7).build(), SweepMethod.IG, setting("steps", 7.0));
        assertFalse(Arrays.equals(values(IntegratedGradients.builder().optSteps(7).build()),
                values(SweepMethod.IG.create(setting("steps", 4), DATA))), "the step count changes the result");
    }

    @Test
    void parameterlessMethodsAreTheirDefaults() {
        same(Saliency.builder().build(), SweepMethod.SALIENCY, setting());
        same(InputXGradient.builder().build(), SweepMethod.IXG, setting());
    }

    @Test
    void smoothGradIsANoiseTunnelAroundSaliencyWithSamplesStdevAndSeed() {
        same(NoiseTunnel.builder(Saliency.builder().build()).optSamples(3).optStdev(0.3).optSeed(11).build(),
                SweepMethod.SMOOTHGRAD, setting("samples", 3, "stdev", 0.3, "seed", 11));
    }

    @Test
    void gradientShapAveragesOverTheWholeDataset() {
        same(GradientShap.builder().optBaselines(DATA).optSamples(4).optStdev(0.05).optSeed(3).build(),
                SweepMethod.GRADSHAP, setting("samples", 4, "stdev", 0.05, "seed", 3));
        float[] oneBaseline = values(GradientShap.builder().optBaselines(DATA.row(2)).optSamples(4).optStdev(0.05)
                .optSeed(3).build());
        assertFalse(Arrays.equals(oneBaseline, values(SweepMethod.GRADSHAP.create(
                setting("samples", 4, "stdev", 0.05, "seed", 3), DATA))), "the baseline set matters");
    }

    @Test
    void adaptiveIntegratedGradientsTakesToleranceAndStepBounds() {
        same(AdaptiveIntegratedGradients.builder().optTolerance(0.05).optInitialSteps(2).optMaxSteps(16).build(),
                SweepMethod.ADAPTIVE_IG, setting("tolerance", 0.05, "initialSteps", 2, "maxSteps", 16));
    }

    @Test
    void wrongValuesNameTheGridParameter() {
        InvalidOptionException steps = assertThrows(InvalidOptionException.class,
                () -> SweepMethod.IG.create(setting("steps", 7.5), DATA));
        assertEquals("grid parameter 'steps' must be a whole number, got '7.5'", steps.getMessage());
        InvalidOptionException stdev = assertThrows(InvalidOptionException.class,
                () -> SweepMethod.SMOOTHGRAD.create(setting("stdev", "wide"), DATA));
        assertEquals("grid parameter 'stdev' must be a number, got 'wide'", stdev.getMessage());
        InvalidOptionException other = assertThrows(InvalidOptionException.class,
                () -> SweepMethod.SALIENCY.checkParameter("steps"));
        assertEquals("method saliency has no grid parameter 'steps'; it takes none", other.getMessage());
        InvalidOptionException listed = assertThrows(InvalidOptionException.class,
                () -> SweepMethod.GRADSHAP.checkParameter("tolerance"));
        assertEquals("method gradshap has no grid parameter 'tolerance'; it takes [samples, stdev, seed]",
                listed.getMessage());
    }

    @Test
    void theFactoryRejectsUnknownOptionsAndWrongTypes() {
        InvalidOptionException type = assertThrows(InvalidOptionException.class,
                () -> MethodFactory.create("ig", Map.of("--steps", 7.0), null));
        assertEquals("--steps takes Integer values, got Double 7.0", type.getMessage());
        InvalidOptionException unknown = assertThrows(InvalidOptionException.class,
                () -> MethodFactory.create("ig", Map.of("--stepz", 7), null));
        assertEquals(true, unknown.getMessage().startsWith("'--stepz' is no method option"), unknown.getMessage());
        InvalidOptionException notTaken = assertThrows(InvalidOptionException.class,
                () -> MethodFactory.create("saliency", Map.of("--steps", 7), null));
        assertEquals(true, notTaken.getMessage().contains("does not take --steps"), notTaken.getMessage());
    }
}
