package io.attrib4j.bench;

import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.export.Npy;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.models.trees.TreeModels;
import io.attrib4j.trees.TreeShap;
import java.nio.file.Path;
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
 * Question: how long does one decision take to explain with TreeSHAP on a 60-tree, depth-4, 40-feature XGBoost
 * model (one row, the default options: AUTO picks the recursive algorithm for a single row)? Goal: at most 1 ms.
 * The model is {@code bench/target/treeshap/model60.json}, written by
 * {@code bench/scripts/treeshap_xgboost_baseline.py}:
 *
 * <pre>
 * /usr/bin/python3 bench/scripts/treeshap_xgboost_baseline.py
 * java -cp "bench/target/classes:bench/target/lib/*" org.openjdk.jmh.Main TreeShapLatencyBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class TreeShapLatencyBenchmark {
    private ForwardModel model;
    private Tensor row;
    private final TreeShap shap = TreeShap.create();
    private final Target target = Target.classIndex(0);

    @Setup(Level.Trial)
    public void setUp() {
        Path dir = Path.of(System.getProperty("treeshap.dir", "bench/target/treeshap"));
        model = TreeModels.load(dir.resolve("model60.json"));
        row = Npy.read(dir.resolve("rows.npy")).rows(0, 1);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
    }

    @Benchmark
    public Object oneDecision() {
        return shap.attribute(model, row, target);
    }
}
