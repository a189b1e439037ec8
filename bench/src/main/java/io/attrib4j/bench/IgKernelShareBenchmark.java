package io.attrib4j.bench;

import static io.attrib4j.bench.KernelTraffic.IMAGE;
import static io.attrib4j.bench.KernelTraffic.STEPS;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.Provenance;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.gradients.IntegratedGradients;
import io.attrib4j.gradients.IntegrationRule;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Question: what share of Integrated Gradients' wall time is spent in our backend (on {@code cuda}:
 * kernels plus host-device copies) and what share in the model?
 *
 * <p>IG (Gauss–Legendre, 50 steps, all steps in one model call, convergence delta included) on one
 * 3x224x224 input through {@link DenseTanhModel}, a pure-Java dense tanh layer of {@code hidden}
 * units, so that no engine shares the GPU or the timing. Per call: the model's time from the result's
 * {@link Provenance.Timing} ({@code modelNanos}), the backend's from a {@link TimedBackend} wrapped
 * around the backend, the rest (IG's own bookkeeping) is {@code totalNanos} minus both. {@link Share}
 * adds them up beside the time, and {@link KernelTable} reports them per call with the backend's
 * share of the total. A faster model (a GPU one) raises the backend's
 * share; this model is the slow end.
 *
 * <pre>
 * java -cp "bench/target/classes:bench/target/lib/*" org.openjdk.jmh.Main IgKernelShareBenchmark -rf json -rff ig-share.json
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class IgKernelShareBenchmark {

    @Param({"cuda", "cpu"})
    public String backend;

    @Param({"16"})
    public int hidden;

    private DenseTanhModel model;
    private TimedBackend timed;
    private IntegratedGradients ig;
    private Tensor input;
    private final Target target = Target.classIndex(0);

    @Setup(Level.Trial)
    public void setUp() {
        Shape shape = Shape.of(IMAGE);
        model = new DenseTanhModel(shape.dropBatch(), hidden, 10, 42L);
        SplittableRandom r = new SplittableRandom(5);
        float[] x = new float[shape.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        input = Tensor.of(x, shape);
        timed = new TimedBackend(CudaKernelBenchmark.open(backend));
        ig = IntegratedGradients.builder()
                .optSteps(STEPS)
                .optRule(IntegrationRule.GAUSS_LEGENDRE)
                .optInternalBatchSize(STEPS)
                .optBackend(timed.backend())
                .build();
    }

    /**
     * Where the time of the calls went, as totals over an iteration: JMH adds {@code EVENTS} counters
     * up over the iterations, so only totals (never averages or ratios) are kept here;
     * {@link KernelTable} divides them.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Share {
        public long calls;
        public double totalMs;
        public double modelMs;
        public double backendMs;

        @Setup(Level.Iteration)
        public void reset() {
            calls = 0;
            totalMs = 0;
            modelMs = 0;
            backendMs = 0;
        }

        void add(Provenance.Timing timing, long backendNanos) {
            calls++;
            totalMs += timing.totalNanos() / 1e6;
            modelMs += timing.modelNanos() / 1e6;
            backendMs += backendNanos / 1e6;
        }
    }

    @Benchmark
    public Attribution integratedGradients(Share share) {
        timed.takeNanos();
        Attribution a = ig.attribute(model, input, target);
        share.add(a.provenance().timing(), timed.takeNanos());
        return a;
    }
}
