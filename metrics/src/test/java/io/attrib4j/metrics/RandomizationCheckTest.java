package io.attrib4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Provenance;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.gradients.Saliency;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomizationCheckTest {
    private static final int S = 8;

    /** A Sobel edge detector: the gradient magnitude of the image, whatever the model. */
    static final class Sobel implements AttributionMethod {
        @Override
        public String name() {
            return "Sobel";
        }

        @Override
        public Attribution attribute(ForwardModel model, Tensor input, Target target) {
            float[] x = input.data();
            float[] out = new float[x.length];
            for (int i = 0; i < input.batch(); i++) {
                int o = i * S * S;
                for (int y = 1; y < S - 1; y++) {
                    for (int c = 1; c < S - 1; c++) {
                        float gx = x[o + (y - 1) * S + c + 1] + 2 * x[o + y * S + c + 1] + x[o + (y + 1) * S + c + 1]
                                - x[o + (y - 1) * S + c - 1] - 2 * x[o + y * S + c - 1] - x[o + (y + 1) * S + c - 1];
                        float gy = x[o + (y + 1) * S + c - 1] + 2 * x[o + (y + 1) * S + c] + x[o + (y + 1) * S + c + 1]
                                - x[o + (y - 1) * S + c - 1] - 2 * x[o + (y - 1) * S + c] - x[o + (y - 1) * S + c + 1];
                        out[o + y * S + c] = (float) Math.hypot(gx, gy);
                    }
                }
            }
            return new Attribution(Tensor.of(out, input.shape()), null, new Provenance("Sobel", Map.of(), "-", "-", "-",
                    "-", "none", null, "test", new Provenance.Timing(0, 0, 0, 0), Instant.now(), null));
        }
    }

    private static Tensor images() {
        SplittableRandom r = new SplittableRandom(5);
        float[] x = new float[3 * S * S];
        for (int e = 0; e < x.length; e++) {
            x[e] = (float) r.nextDouble();
        }
        return Tensor.of(x, 3, 1, S, S);
    }

    @Test
    void gradientsDecorrelateAndAnEdgeDetectorDoesNot() {
        try (DjlRandomizableMlp model = new DjlRandomizableMlp()) {
            Tensor x = images();
            Target t = Target.classIndex(1);
            RandomizationCheck check = RandomizationCheck.withDefaults();
            Map<String, double[]> saliency = check.run(model, Saliency.builder().build(), x, t);
            Map<String, double[]> sobel = check.run(model, new Sobel(), x, t);
            assertEquals(List.of("fc3", "fc2", "fc1"), List.copyOf(saliency.keySet()));
            for (double rho : saliency.get("fc1")) {
                assertTrue(Math.abs(rho) < 0.5, "saliency after randomizing every layer: rho " + rho);
            }
            for (double[] layer : sobel.values()) {
                for (double rho : layer) {
                    assertEquals(1.0, rho, 1e-12);
                }
            }
        }
    }
}
