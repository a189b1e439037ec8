package io.attrib4j.bench;

import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.export.Npy;
import io.attrib4j.models.TorchScriptModel;
import io.attrib4j.recourse.AnchorOptions;
import io.attrib4j.recourse.Anchors;
import io.attrib4j.recourse.Constraints;
import io.attrib4j.recourse.CounterfactualOptions;
import io.attrib4j.recourse.Counterfactuals;
import io.attrib4j.recourse.FeatureSpace;
import io.attrib4j.recourse.SimilarCases;
import io.attrib4j.recourse.SimilarCasesOptions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * How long the recourse methods take on the breast-cancer MLP (30-16-2, TorchScript through DJL, CPU): 5
 * counterfactuals of one row (Adam, and the genetic search on the same model seen forward-only), one anchor, and
 * similar cases of one row over 100,000 rows (the training rows resampled with noise; the index is built once,
 * outside the timing). Prints the median and the range over rows, after one warm-up row.
 *
 * <p>Run (after {@code mvn -pl bench -am package -DskipTests}):
 * <pre>
 * java -Dai.djl.offline=true -cp bench/target/classes:bench/target/lib/* io.attrib4j.bench.RecourseTimings \
 *     recourse/src/test/resources/breast-cancer
 * </pre>
 */
public final class RecourseTimings {
    private RecourseTimings() {}

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "recourse/src/test/resources/breast-cancer");
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        FeatureSpace space = FeatureSpace.of(Npy.read(dir.resolve("train_x.npy")));
        Tensor test = Npy.read(dir.resolve("test_x.npy"));
        System.out.printf(Locale.ROOT, "cores %d, load average %.1f%n", Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        try (TorchScriptModel model = TorchScriptModel.load(dir.resolve("mlp.pt"))) {
            Counterfactuals cf = new Counterfactuals(CounterfactualOptions.builder().optCount(5).build());
            time("5 counterfactuals, Adam", rows, i ->
                    cf.explain(model, test.row(i).data(), space, Constraints.none(), Counterfactuals.OPPOSITE));
            Counterfactuals genetic = new Counterfactuals(cf.options().toBuilder()
                    .optSearch(CounterfactualOptions.Search.GENETIC).build());
            time("5 counterfactuals, genetic (forward passes only)", rows, i ->
                    genetic.explain(model, test.row(i).data(), space, Constraints.none(), Counterfactuals.OPPOSITE));
            Anchors anchors = new Anchors(AnchorOptions.defaults());
            time("one anchor", rows, i -> anchors.explain(model, test.row(i).data(), space));
            Tensor big = resample(space.tensor(), 100_000, 1);
            long t0 = System.nanoTime();
            SimilarCases index = SimilarCases.index(model, big, null, SimilarCasesOptions.defaults());
            System.out.printf(Locale.ROOT, "index of %d rows built in %.0f ms%n", index.size(),
                    (System.nanoTime() - t0) / 1e6);
            time("similar cases, one row over 100,000", 50, i -> index.query(test.row(i % test.batch())));
        }
    }

    private static void time(String what, int rows, IntConsumer run) {
        run.accept(rows); // warm-up on a row not timed
        double[] ms = new double[rows];
        for (int i = 0; i < rows; i++) {
            long t0 = System.nanoTime();
            run.accept(i);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "%-45s median %8.1f ms  min %8.1f  max %8.1f  (%d rows)%n", what,
                ms[rows / 2], ms[0], ms[rows - 1], rows);
    }

    private static Tensor resample(Tensor rows, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = rows.rowSize();
        float[] out = new float[n * d];
        for (int i = 0; i < n; i++) {
            int src = r.nextInt(rows.batch());
            for (int j = 0; j < d; j++) {
                out[i * d + j] = rows.data()[src * d + j] + (float) (0.05 * r.nextGaussian());
            }
        }
        return Tensor.of(out, n, d);
    }
}
