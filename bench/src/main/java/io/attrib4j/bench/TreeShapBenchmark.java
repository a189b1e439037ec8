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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Question: how many rows per second does TreeSHAP explain on a 200-tree, depth-6, 40-feature XGBoost model
 * (binary:logistic, 5% NaN) over 5,000 rows on 2 threads, next to XGBoost's own {@code pred_contribs} with
 * {@code nthread=2} on the same model and rows? The score is rows/s (one operation = one row). The XGBoost side and
 * the model come from {@code bench/scripts/treeshap_xgboost_baseline.py}, which writes
 * {@code bench/target/treeshap/model.json} and {@code rows.npy} and prints XGBoost's rows/s; run it first:
 *
 * <pre>
 * /usr/bin/python3 bench/scripts/treeshap_xgboost_baseline.py
 * java -cp "bench/target/classes:bench/target/lib/*" org.openjdk.jmh.Main TreeShapBenchmark
 * </pre>
 * {@code -Dtreeshap.dir=...} points at another folder. The Fast TreeSHAP v2 tables are built in the first
 * (warm-up) call and cached per tree, as in a service that explains many batches with one model.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class TreeShapBenchmark {
    private static final int ROWS = 5000;

    @Param({"FAST_V2", "RECURSIVE"})
    public String algorithm;

    @Param({"2"})
    public int threads;

    private ForwardModel model;
    private Tensor rows;
    private TreeShap shap;
    private final Target target = Target.classIndex(0);

    @Setup(Level.Trial)
    public void setUp() {
        Path dir = Path.of(System.getProperty("treeshap.dir", "bench/target/treeshap"));
        model = TreeModels.load(dir.resolve("model.json"));
        rows = Npy.read(dir.resolve("rows.npy"));
        if (rows.batch() != ROWS) {
            throw new IllegalStateException("rows.npy has " + rows.batch() + " rows; the benchmark explains " + ROWS);
        }
        shap = new TreeShap(TreeShap.Options.builder().optAlgorithm(TreeShap.Algorithm.valueOf(algorithm))
                .optThreads(threads).build());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public Object treeShap5000Rows() {
        return shap.attribute(model, rows, target);
    }
}
