package io.attrib4j.bench;

import static io.attrib4j.bench.KernelTraffic.CAM_BATCH;
import static io.attrib4j.bench.KernelTraffic.CHANNELS;
import static io.attrib4j.bench.KernelTraffic.HEADS;
import static io.attrib4j.bench.KernelTraffic.IMAGE;
import static io.attrib4j.bench.KernelTraffic.LAYERS;
import static io.attrib4j.bench.KernelTraffic.MAP;
import static io.attrib4j.bench.KernelTraffic.SEQ;
import static io.attrib4j.bench.KernelTraffic.STEPS;
import static io.attrib4j.bench.KernelTraffic.UPSAMPLED;

import io.attrib4j.engine.BackendException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.Backends;
import io.attrib4j.engine.backend.HeadReduction;
import io.attrib4j.engine.backend.Resize;
import io.attrib4j.engine.backend.SampleSums;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Question: how close does each {@link Backend} operation come to the memory-bandwidth bound, on the
 * GPU ({@code cuda}) and on the CPU ({@code cpu}, ND4J and the Java map loops)?
 *
 * <p>One benchmark method per operation, on the realistic sizes of {@link KernelTraffic} (IG on
 * 3x224x224 with 50 steps, Grad-CAM 16x512x7x7 upsampled to 224x224, rollout 12 layers x 12 heads x
 * 197x197); the inputs are made in the trial setup, outside the timing. A call's time includes what
 * the seam costs: on {@code cuda} the upload of every operand and the download of the result.
 * {@link KernelTable} divides the bytes each call moves by its time and compares them with the GPU's
 * memory peak ({@code -Dattrib4j.gpu.peakGBs}) and its PCIe link ({@code -Dattrib4j.gpu.pcieGBs}).
 *
 * <p>How to run (after {@code mvn -DskipTests package}); {@code -p backend=cuda} for the GPU alone:
 * <pre>
 * java -cp "bench/target/classes:bench/target/lib/*" org.openjdk.jmh.Main CudaKernelBenchmark -rf json -rff kernels.json
 * java -Dattrib4j.gpu.peakGBs=3352 -Dattrib4j.gpu.pcieGBs=63 -cp "bench/target/classes:bench/target/lib/*" \
 *     io.attrib4j.bench.KernelTable kernels.json kernels.md
 * </pre>
 * On a GPU machine without Java the GPU test bundle runs it ({@code cuda-kernels/gpu-bundle.sh}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class CudaKernelBenchmark {

    @Param({"cuda", "cpu"})
    public String backend;

    /**
     * Whether the CUDA backend stages transfers through page-locked memory ({@code -p pinned=true,false}
     * compares; each parameter set runs in its own fork, so the property is set before the backend opens).
     */
    @Param({"true"})
    public String pinned;

    private Backend b;
    private Tensor image;
    private Tensor baseline;
    private float[] alphas;
    private Tensor steps;
    private Tensor other;
    private Shape batchShape;
    private SampleSums sums;
    private Tensor activations;
    private Tensor channelWeights;
    private Tensor camMaps;
    private Tensor attention;
    private Tensor attentionGradients;
    private Tensor fused;

    @Setup(Level.Trial)
    public void setUp() {
        System.setProperty("attrib4j.cuda.pinned", pinned);
        b = open(backend);
        SplittableRandom r = new SplittableRandom(11);
        Shape imageShape = Shape.of(IMAGE);
        image = random(r, imageShape);
        baseline = random(r, imageShape);
        alphas = positive(r, STEPS);
        batchShape = imageShape.withBatch(STEPS);
        steps = random(r, batchShape);
        other = random(r, batchShape);
        sums = SampleSums.zeros(1, imageShape.dropBatch());
        activations = random(r, Shape.of(CAM_BATCH, CHANNELS, MAP, MAP));
        channelWeights = random(r, Shape.of(CAM_BATCH, CHANNELS));
        camMaps = random(r, Shape.of(CAM_BATCH, 1, MAP, MAP));
        Shape heads = Shape.of(LAYERS, HEADS, SEQ, SEQ);
        attention = Tensor.of(positive(r, heads.size()), heads);
        attentionGradients = random(r, heads);
        Shape maps = Shape.of(LAYERS, SEQ, SEQ);
        fused = Tensor.of(positive(r, maps.size()), maps);
    }

    /**
     * The backend {@code id} ({@code cuda} or {@code cpu}), failing with the reason when it cannot run
     * here. The GPU test bundle leaves ND4J out, so there the CPU backend cannot even load.
     */
    static Backend open(String id) {
        try {
            return Backends.get(id);
        } catch (LinkageError e) {
            throw new BackendException("backend '" + id + "' cannot load its classes (" + e
                    + "); the GPU test bundle leaves ND4J out: run -p backend=cuda there, and the cpu rows "
                    + "with bench/target/lib on a build machine");
        }
    }

    private static Tensor random(SplittableRandom r, Shape shape) {
        float[] x = new float[shape.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        return Tensor.of(x, shape);
    }

    /** Values in (0, 1]: path positions and attention probabilities (rows must not sum to 0). */
    private static float[] positive(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (1 - r.nextDouble());
        }
        return x;
    }

    // ---- Integrated Gradients ----

    @Benchmark
    public Tensor interpolate() {
        return b.interpolate(image, baseline, alphas);
    }

    @Benchmark
    public Tensor weightedStepSum() {
        return b.weightedStepSum(steps, alphas, 1);
    }

    // ---- element-wise, on the 50-step batch ----

    @Benchmark
    public Tensor add() {
        return b.add(steps, other);
    }

    @Benchmark
    public Tensor multiply() {
        return b.multiply(steps, other);
    }

    @Benchmark
    public Tensor abs() {
        return b.abs(steps);
    }

    // ---- NoiseTunnel ----

    @Benchmark
    public Tensor gaussian() {
        return b.gaussian(batchShape, 0.1f, 42L, 0L);
    }

    @Benchmark
    public SampleSums accumulateSamples() {
        return b.accumulateSamples(sums, steps, 0, STEPS);
    }

    // ---- Grad-CAM ----

    @Benchmark
    public Tensor spatialMean() {
        return b.spatialMean(activations);
    }

    @Benchmark
    public Tensor weightedChannelSum() {
        return b.weightedChannelSum(activations, channelWeights, true);
    }

    @Benchmark
    public Tensor resize() {
        return b.resize(camMaps, UPSAMPLED, UPSAMPLED, Resize.BILINEAR);
    }

    // ---- attention rollout ----

    @Benchmark
    public Tensor fuseHeads() {
        return b.fuseHeads(attention, HeadReduction.MEAN);
    }

    @Benchmark
    public Tensor positiveGradientMean() {
        return b.positiveGradientMean(attention, attentionGradients);
    }

    @Benchmark
    public Tensor mixResidual() {
        return b.mixResidual(fused, 0.5, 0.9);
    }

    @Benchmark
    public Tensor chainProduct() {
        return b.chainProduct(fused, LAYERS);
    }
}
