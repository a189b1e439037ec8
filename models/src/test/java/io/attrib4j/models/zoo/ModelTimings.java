package io.attrib4j.models.zoo;

import ai.djl.engine.Engine;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.models.DjlBlockModel;
import io.attrib4j.models.TorchScriptModel;
import io.attrib4j.testkit.Oracle;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test (skipped unless asked for): prints how long the expensive steps take on this machine.
 * The property must reach the forked test JVM, so pass it through the parent POM's argLine property:
 * <pre>
 * mvn -o test -pl models -Dtest=ModelTimings \
 *     -Dtest.argLine="-Xmx4g -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -Dattrib4j.timings=true"
 * </pre>
 * The lines start with {@code TIMING} in {@code target/surefire-reports/*ModelTimings-output.txt}.
 */
@EnabledIfSystemProperty(named = "attrib4j.timings", matches = "true")
class ModelTimings {

    @Test
    void printTimings() {
        long t0 = System.nanoTime();
        Engine.getEngine("PyTorch");
        report("PyTorch engine start", t0);

        t0 = System.nanoTime();
        TorchScriptModel.load(Oracle.modelFile("cnn_full.pt")).close();
        report("TorchScript load cnn_full.pt", t0);
        t0 = System.nanoTime();
        PatchModel patch = Zoo.patchClassifier();
        report("patch classifier training (accuracy " + patch.heldOutAccuracy() + ")", t0);

        t0 = System.nanoTime();
        try (DjlBlockModel resnet = Zoo.resnet18(1000, 224, 42)) {
            report("resnet18 build + seeded init", t0);
            float[] d = new float[10 * 3 * 224 * 224];
            SplittableRandom r = new SplittableRandom(1);
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) r.nextDouble();
            }
            Tensor x = Tensor.of(d, 10, 3, 224, 224);
            for (int rep = 0; rep < 4; rep++) {
                t0 = System.nanoTime();
                resnet.gradients(x, Target.classIndex(7));
                report("resnet18 forward+backward, batch 10 at 224x224 (run " + rep + ")", t0);
            }
            t0 = System.nanoTime();
            resnet.forward(x);
            report("resnet18 forward only, batch 10 at 224x224", t0);
        }
    }

    private static void report(String what, long start) {
        System.out.printf("TIMING %-70s %8.1f ms%n", what, (System.nanoTime() - start) / 1e6);
    }
}
