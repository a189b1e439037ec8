package io.attrib4j.gradients;

import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.GradientModel;
import io.attrib4j.models.TorchScriptModel;
import io.attrib4j.models.onnx.OnnxModel;
import io.attrib4j.testkit.Oracle;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Integrated Gradients time through the ONNX executor against TorchScript on the same network
 * ({@code cnn_full.onnx} and {@code cnn_full.pt}): 16 inputs (the oracle's two, repeated), 50
 * Gauss-Legendre steps, 10 steps per model call. Prints the median of 7 calls after 2 warm-up calls.
 * Run with {@code mvn -o test -pl gradients -am -Dtest=OnnxTimingTest -Dattrib4j.timing=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class OnnxTimingTest {
    private static final int INPUTS = 16;

    @Test
    @EnabledIfSystemProperty(named = "attrib4j.timing", matches = "true")
    void integratedGradientsOnnxVersusTorchScript() {
        Tensor two = Oracle.load("cnn/x");
        float[] data = new float[two.size() * INPUTS / 2];
        int[] targets = new int[INPUTS];
        for (int i = 0; i < INPUTS / 2; i++) {
            System.arraycopy(two.data(), 0, data, i * two.size(), two.size());
            targets[2 * i] = 0;
            targets[2 * i + 1] = 5;
        }
        Tensor x = Tensor.of(data, io.attrib4j.engine.Shape.of(INPUTS, 3, 32, 32));
        IntegratedGradients ig = IntegratedGradients.builder().optSteps(50).optInternalBatchSize(10 * INPUTS).build();
        for (String file : new String[] {"cnn_full.onnx", "cnn_full.pt"}) {
            try (GradientModel m = file.endsWith(".onnx") ? OnnxModel.load(Oracle.modelFile(file))
                    : TorchScriptModel.load(Oracle.modelFile(file))) {
                long[] ns = new long[9];
                for (int i = 0; i < ns.length; i++) {
                    long t0 = System.nanoTime();
                    ig.attribute(m, x, Target.perExample(targets));
                    ns[i] = System.nanoTime() - t0;
                }
                long[] timed = Arrays.copyOfRange(ns, 2, ns.length);
                Arrays.sort(timed);
                System.out.printf("IG GL50 chunk 10 steps, %d x 3x32x32 on %s: median %.1f ms, min %.1f ms%n", INPUTS,
                        file, timed[timed.length / 2] / 1e6, timed[0] / 1e6);
            }
        }
    }
}
