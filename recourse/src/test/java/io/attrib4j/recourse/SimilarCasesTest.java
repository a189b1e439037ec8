package io.attrib4j.recourse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.models.zoo.PatchModel;
import io.attrib4j.models.zoo.Zoo;
import io.attrib4j.recourse.SimilarCasesOptions.Metric;
import io.attrib4j.testkit.ToyModels;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Exact kNN against a brute-force sort, and the activation space of the zoo CNN against its input space. */
class SimilarCasesTest {

    private static double brute(float[] a, float[] b, Metric m) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        double ss = 0;
        for (int j = 0; j < a.length; j++) {
            dot += (double) a[j] * b[j];
            na += (double) a[j] * a[j];
            nb += (double) b[j] * b[j];
            ss += ((double) a[j] - b[j]) * ((double) a[j] - b[j]);
        }
        return m == Metric.L2 ? Math.sqrt(ss) : 1 - dot / Math.sqrt(na * nb);
    }

    @Test
    void exactNeighboursEqualBruteForce() {
        SplittableRandom r = new SplittableRandom(4);
        int n = 2000;
        int d = 7;
        float[] data = new float[n * d];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextGaussian();
        }
        Tensor rows = Tensor.of(data, n, d);
        int[] labels = IntStream.range(0, n).map(i -> i % 3).toArray();
        ToyModels.Toy toy = ToyModels.linear(new double[][] {{1, 0, 0, 0, 0, 0, 0}, {0, 1, 0, 0, 0, 0, 0}}, new double[2]);
        for (Metric m : Metric.values()) {
            SimilarCases index = SimilarCases.index(toy, rows, labels,
                    SimilarCasesOptions.builder().optK(10).optMetric(m).build());
            Tensor queries = rows.rows(0, 5);
            List<List<SimilarCase>> got = index.query(Tensor.of(new float[] {0.1f, -0.2f, 0.3f, 0, 1, 2, -1}, 1, d));
            got = new java.util.ArrayList<>(got);
            got.addAll(index.query(queries));
            for (int q = 0; q < got.size(); q++) {
                float[] qv = q == 0 ? new float[] {0.1f, -0.2f, 0.3f, 0, 1, 2, -1} : queries.row(q - 1).data();
                Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
                double[] dist = new double[n];
                for (int i = 0; i < n; i++) {
                    dist[i] = brute(qv, rows.row(i).data(), m);
                }
                Arrays.sort(order, Comparator.comparingDouble((Integer i) -> dist[i]).thenComparing(i -> i));
                for (int p = 0; p < 10; p++) {
                    SimilarCase c = got.get(q).get(p);
                    assertEquals(order[p], c.index(), m + " query " + q + " rank " + p);
                    // the index sums in double like the reference; only the final sqrt/cos rounding differs
                    assertEquals(dist[order[p]], c.distance(), 1e-9);
                    assertEquals(labels[c.index()], c.label());
                    assertEquals(toy.forward(rows.row(c.index())).argmaxRows()[0], c.prediction());
                }
            }
            // a query equal to an indexed row finds itself first at distance 0
            assertEquals(3, index.query(rows.row(3)).get(0).get(0).index());
        }
        assertThrows(UnsupportedModelException.class, () -> SimilarCases.index(BreastCancer.forwardOnly(toy), rows,
                labels, SimilarCasesOptions.builder().optLayer("features").build()));
    }

    /** Fraction of the k nearest indexed examples that have the query's label, over all queries. */
    private static double sameClassFirst(SimilarCases index, PatchModel.Samples queries) {
        List<List<SimilarCase>> got = index.query(queries.images());
        int same = 0;
        int all = 0;
        for (int q = 0; q < got.size(); q++) {
            for (SimilarCase c : got.get(q)) {
                same += c.label() == queries.labels()[q] ? 1 : 0;
                all++;
            }
        }
        return same / (double) all;
    }

    @Test
    void activationSpaceOfTheZooCnnPutsSameClassFirstMoreOftenThanInputSpace() {
        PatchModel patch = Zoo.patchClassifier();
        // few cases per class: in input space only a same-colour square that overlaps the query's is nearer than
        // any other square, so most of the 5 nearest are chance; the pooled activations see the colour
        PatchModel.Samples data = PatchModel.samples(30, 101);
        PatchModel.Samples queries = PatchModel.samples(60, 202);
        SimilarCases input = SimilarCases.index(patch.model(), data.images(), data.labels(),
                SimilarCasesOptions.defaults());
        SimilarCases layer = SimilarCases.index(patch.model(), data.images(), data.labels(),
                SimilarCasesOptions.builder().optLayer("head.1").build());
        double inInput = sameClassFirst(input, queries);
        double inLayer = sameClassFirst(layer, queries);
        assertTrue(inLayer > inInput, "same class first: layer " + inLayer + ", input " + inInput);
        assertTrue(inLayer >= 0.9, "the pooled features separate the colours: " + inLayer);
    }
}
