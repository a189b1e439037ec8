package io.attrib4j.bench;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.Backends;
import io.attrib4j.engine.model.GradientModel;
import io.attrib4j.engine.model.ModelGradients;
import io.attrib4j.gradients.IntegratedGradients;
import io.attrib4j.gradients.IntegrationRule;
import io.attrib4j.models.zoo.Zoo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Question: how much does Integrated Gradients cost on top of the model's own work?
 *
 * <p>{@code integratedGradients} runs IG (Gauss–Legendre, {@code steps} points, chunks of
 * {@code internalBatchSize}, convergence delta included) on one 3x224x224 image through a ResNet-18
 * (DJL's ResNetV1, random seeded weights). {@code rawForwardBackward} runs only the model's batched
 * forward+backward over the very same path points, prepared outside the timing. Their ratio is IG's
 * overhead; the target is at most 1.05. Each runs for several chunk sizes; {@link PeakMemory} reports
 * the peak resident memory of each, which grows with the chunk.
 *
 * <p>How to run (after {@code ./attrib4j --help} or {@code mvn -DskipTests package} built the jars):
 * <pre>
 * java -Dai.djl.offline=true -cp "bench/target/classes:bench/target/lib/*" org.openjdk.jmh.Main IgVsRawBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Dai.djl.offline=true", "-Dai.djl.onnx.disable_alternative=true",
        "-DOPT_OUT_TRACKING=true"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
public class IgVsRawBenchmark {

    @Param({"50"})
    public int steps;

    @Param({"5", "10", "25", "50"})
    public int internalBatchSize;

    @Param({"224"})
    public int imageSize;

    private GradientModel model;
    private IntegratedGradients ig;
    private Tensor input;
    private final Target target = Target.classIndex(0);
    private final List<Tensor> pathChunks = new ArrayList<>();

    @Setup(Level.Trial)
    public void setUp() {
        model = Zoo.resnet18(10, imageSize, 42L);
        SplittableRandom r = new SplittableRandom(7);
        float[] x = new float[3 * imageSize * imageSize];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        input = Tensor.of(x, Shape.of(1, 3, imageSize, imageSize));
        Backend backend = Backends.get();
        ig = IntegratedGradients.builder()
                .optSteps(steps)
                .optRule(IntegrationRule.GAUSS_LEGENDRE)
                .optInternalBatchSize(internalBatchSize)
                .optBackend(backend)
                .build();
        double[] alphas = IntegrationRule.GAUSS_LEGENDRE.quadrature(steps).alphas();
        Tensor baseline = Tensor.zeros(input.shape());
        for (int from = 0; from < steps; from += internalBatchSize) {
            double[] chunk = Arrays.copyOfRange(alphas, from, Math.min(steps, from + internalBatchSize));
            float[] a = new float[chunk.length];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) chunk[i];
            }
            pathChunks.add(backend.interpolate(input, baseline, a));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
    }

    @Benchmark
    public Attribution integratedGradients(PeakMemory memory) {
        Attribution a = ig.attribute(model, input, target);
        memory.sample();
        return a;
    }

    @Benchmark
    public float rawForwardBackward(PeakMemory memory) {
        float sink = 0;
        for (Tensor chunk : pathChunks) {
            ModelGradients g = model.gradients(chunk, target);
            sink += g.inputGradient().data()[0];
        }
        memory.sample();
        return sink;
    }
}
