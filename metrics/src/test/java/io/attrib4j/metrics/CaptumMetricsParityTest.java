package io.attrib4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.gradients.Saliency;
import io.attrib4j.testkit.Oracle;
import io.attrib4j.testkit.OracleMlp;
import org.junit.jupiter.api.Test;

/**
 * Infidelity and max-sensitivity against Captum 0.8.0's {@code captum.metrics} on the oracle's {@code mlp}
 * (pure-Java {@link OracleMlp}), two examples, Saliency attributions, with Captum's perturbations replayed
 * ({@code src/test/resources/oracle/captum-metrics/}, written by
 * {@code perturbation/src/test/resources/oracle/captum-perturbation/generate.py}).
 *
 * <p>Tolerances, relative to Captum's value: infidelity is a mean of squared differences of float32 logits (Torch)
 * and float64 ones (here); the largest relative difference seen is 2.6e-6 (the smaller example, whose value is
 * 2e-5), so 2e-5. Max-sensitivity is a ratio of norms of float32 gradients: largest seen 2e-7, so 2e-6. Averaging
 * infidelity over {@code samples - 1} instead of {@code samples} is off by 11 %.
 */
class CaptumMetricsParityTest {
    private static final String DIR = "captum-metrics/";
    private final OracleMlp mlp = new OracleMlp();
    private final Tensor x = Oracle.load(DIR + "x");
    private final Target targets = Target.perExample(0, 1);
    private final Tensor saliency = Oracle.load(DIR + "saliency");

    @Test
    void theAttributionsScoredAreCaptumsSaliency() {
        assertRelative(saliency.data(), Saliency.withDefaults().attribute(mlp, x, targets).values().data(), 1e-5,
                "saliency");
    }

    @Test
    void infidelityMatchesCaptum() {
        for (boolean normalize : new boolean[] {false, true}) {
            String name = normalize ? "infidelity_normalized" : "infidelity";
            float[] got = Infidelity.builder().optSamples(10).optNormalize(normalize)
                    .optDraws(Oracle.load(DIR + name + "_noise")).build().compute(mlp, x, targets, saliency);
            assertRelative(Oracle.load(DIR + name).data(), got, 2e-5, name);
        }
    }

    @Test
    void sensitivityMaxMatchesCaptum() {
        float[] got = SensitivityMax.builder().optSamples(10).optDraws(Oracle.load(DIR + "sensitivity_max_deltas"))
                .build().compute(Saliency.withDefaults(), mlp, x, targets);
        assertRelative(Oracle.load(DIR + "sensitivity_max").data(), got, 2e-6, "sensitivity_max");
    }

    private static void assertRelative(float[] want, float[] got, double relative, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            double err = Math.abs(want[i] - got[i]) / Math.abs(want[i]);
            if (i < 2) {
                System.out.printf("%s[%d]: Captum %.6g, attrib4j %.6g, relative difference %.2g%n", what, i, want[i],
                        got[i], err);
            }
            assertEquals(want[i], got[i], relative * Math.abs(want[i]), what + "[" + i + "]");
        }
    }
}
