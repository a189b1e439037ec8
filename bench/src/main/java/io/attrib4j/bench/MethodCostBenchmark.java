package io.attrib4j.bench;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ModelGradients;
import io.attrib4j.gradients.GradCam;
import io.attrib4j.gradients.GradientShap;
import io.attrib4j.gradients.NoiseTunnel;
import io.attrib4j.gradients.Saliency;
import io.attrib4j.gradients.Upsample;
import io.attrib4j.models.DjlBlockModel;
import io.attrib4j.models.zoo.Zoo;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Question: what does each method cost on a ResNet-18 (3x224x224, one image) next to the model's own
 * batched forward+backward over the same number of evaluations?
 *
 * <ul>
 *   <li>{@code gradientShap10} (10 samples: one gradient call of 10 rows, then the deltas' forward of
 *       20 rows) and {@code smoothGrad10} (10 noisy copies, one gradient call) against
 *       {@code raw10} (one forward+backward of 10 rows);</li>
 *   <li>{@code gradCamLastStage} (layer activation and gradient at the last residual stage, bilinear
 *       upsampling to 224x224) and {@code saliency} against {@code raw1}.</li>
 * </ul>
 * Integrated Gradients has its own question: {@link IgVsRawBenchmark}. DeepLIFT needs a chain of
 * layers and ResNet's residual blocks are not one, so it is not measured here.
 *
 * <pre>
 * java -Dai.djl.offline=true -cp "bench/target/classes:bench/target/lib/*" org.openjdk.jmh.Main MethodCostBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Dai.djl.offline=true", "-Dai.djl.onnx.disable_alternative=true",
        "-DOPT_OUT_TRACKING=true"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
public class MethodCostBenchmark {
    private static final int SIZE = 224;
    private static final String LAST_STAGE = "12ParallelBlock";

    private DjlBlockModel model;
    private Tensor input;
    private Tensor batch10;
    private final Target target = Target.classIndex(0);
    private GradientShap gradientShap;
    private NoiseTunnel smoothGrad;
    private GradCam gradCam;
    private Saliency saliency;

    @Setup(Level.Trial)
    public void setUp() {
        model = Zoo.resnet18(10, SIZE, 42L);
        input = random(1, 7);
        batch10 = random(10, 8);
        gradientShap = GradientShap.builder().optBaselines(random(4, 9)).optSamples(10).optStdev(0.1).build();
        saliency = Saliency.withDefaults();
        smoothGrad = NoiseTunnel.builder(saliency).optSamples(10).optStdev(0.1).build();
        // DJL names ResNetV1's top-level blocks by position; 12ParallelBlock is the last residual unit, [512, 7, 7]
        gradCam = GradCam.builder().optLayer(LAST_STAGE).optUpsample(Upsample.BILINEAR).build();
    }

    private static Tensor random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 3 * SIZE * SIZE];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        return Tensor.of(x, Shape.of(n, 3, SIZE, SIZE));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
    }

    @Benchmark
    public Attribution gradientShap10() {
        return gradientShap.attribute(model, input, target);
    }

    @Benchmark
    public Attribution smoothGrad10() {
        return smoothGrad.attribute(model, input, target);
    }

    @Benchmark
    public ModelGradients raw10() {
        return model.gradients(batch10, target);
    }

    @Benchmark
    public Attribution gradCamLastStage() {
        return gradCam.attribute(model, input, target);
    }

    @Benchmark
    public Attribution saliency() {
        return saliency.attribute(model, input, target);
    }

    @Benchmark
    public ModelGradients raw1() {
        return model.gradients(input, target);
    }
}
