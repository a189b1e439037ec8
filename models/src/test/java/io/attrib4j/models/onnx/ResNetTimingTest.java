package io.attrib4j.models.onnx;

import static io.attrib4j.models.onnx.OnnxBuilder.attr;
import static io.attrib4j.models.onnx.OnnxBuilder.in;
import static io.attrib4j.models.onnx.OnnxBuilder.ints;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.GradientModel;
import io.attrib4j.models.zoo.Zoo;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The model work of Integrated Gradients (50 steps, internal batch 10: five gradient calls on 10 images)
 * on one 3x224x224 input, through a ResNet-18-shaped ONNX graph with random weights run by
 * {@link OnnxModel}, and through the zoo's DJL ResNet-18 (the same architecture as PyTorch blocks).
 * Prints the median of 5 runs after 1 warm-up. Run with {@code mvn -o test -pl models -am
 * -Dtest=ResNetTimingTest -Dattrib4j.timing=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ResNetTimingTest {

    /** torchvision's resnet18 layout (BasicBlock x [2,2,2,2]) with inference batch norms. */
    static Path resnet18(int classes) {
        OnnxBuilder b = new OnnxBuilder(18).input("x", 3, 224, 224);
        String h = convBn(b, "x", 3, 64, 7, 2);
        h = b.node("MaxPool", in(b.node("Relu", in(h))), ints("kernel_shape", 3, 3), ints("strides", 2, 2),
                ints("pads", 1, 1, 1, 1));
        int channels = 64;
        for (int stage = 0; stage < 4; stage++) {
            int out = 64 << stage;
            for (int block = 0; block < 2; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                String y = b.node("Relu", in(convBn(b, h, channels, out, 3, stride)));
                y = convBn(b, y, out, out, 3, 1);
                String skip = stride != 1 || channels != out ? convBn(b, h, channels, out, 1, stride) : h;
                h = b.node("Relu", in(b.node("Add", in(y, skip))));
                channels = out;
            }
        }
        String pooled = b.node("Flatten", in(b.node("GlobalAveragePool", in(h))));
        b.output(b.node("Gemm", in(pooled, b.random(0.05f, classes, 512), b.random(0.01f, classes)),
                attr("transB", 1L)));
        return b.write();
    }

    private static String convBn(OnnxBuilder b, String x, int in, int out, int k, int stride) {
        float scale = (float) Math.sqrt(2.0 / (in * k * k));
        String conv = b.node("Conv", in(x, b.random(scale, out, in, k, k)), ints("kernel_shape", k, k),
                ints("strides", stride, stride), ints("pads", k / 2, k / 2, k / 2, k / 2));
        float[] var = new float[out];
        Arrays.fill(var, 1f);
        return b.node("BatchNormalization", in(conv, b.random(1f, out), b.random(0.1f, out), b.random(0.1f, out),
                b.floats(var, out)));
    }

    @Test
    @EnabledIfSystemProperty(named = "attrib4j.timing", matches = "true")
    void integratedGradientsModelWorkOnResNet18() {
        Tensor batch = Tensor.zeros(Shape.of(10, 3, 224, 224));
        Target target = Target.classIndex(3);
        for (String which : new String[] {"resnet18.onnx (OnnxModel)", "zoo resnet18 (DJL blocks)"}) {
            try (GradientModel m = which.endsWith("(OnnxModel)") ? OnnxModel.load(resnet18(10))
                    : Zoo.resnet18(10, 224, 42)) {
                long[] ns = new long[6];
                for (int i = 0; i < ns.length; i++) {
                    long t0 = System.nanoTime();
                    for (int call = 0; call < 5; call++) {
                        m.gradients(batch, target);
                    }
                    ns[i] = System.nanoTime() - t0;
                }
                long[] timed = Arrays.copyOfRange(ns, 1, ns.length);
                Arrays.sort(timed);
                System.out.printf("IG model work (5 gradient calls x 10 images 3x224x224) on %s: median %.0f ms, "
                        + "min %.0f ms%n", which, timed[timed.length / 2] / 1e6, timed[0] / 1e6);
            }
        }
    }
}
