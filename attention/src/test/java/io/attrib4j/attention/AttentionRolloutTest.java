package io.attrib4j.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AttentionRolloutTest {

    static void assertMatches(double[][] ref, Tensor got, int b, String what) {
        int n = ref.length;
        double scale = 1;
        for (double[] row : ref) {
            for (double v : row) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double diff = Math.abs(ref[i][j] - got.get(b, i, j));
                assertTrue(diff <= 1e-6 * scale, what + " example " + b + " [" + i + "," + j + "]: got "
                        + got.get(b, i, j) + ", reference " + ref[i][j]);
            }
        }
    }

    // ---- invariants first ----

    @ParameterizedTest
    @CsvSource({"MEAN,0.5,0", "MAX,0.5,0", "MIN,0.5,0", "MEAN,0,0", "MAX,0.2,0.6", "MEAN,0.5,0.9"})
    void rolloutRowsSumToOne(HeadFusion fusion, double w, double discard) {
        Tensor attn = Reference.randomAttention(new Random(1), 4, 3, 5, 9, 2.0);
        Tensor r = AttentionRollout.builder().optHeadFusion(fusion).optResidualWeight(w).optDiscardRatio(discard)
                .build().rollout(attn).rollout();
        assertEquals(Shape.of(3, 9, 9), r.shape());
        for (int b = 0; b < 3; b++) {
            for (int i = 0; i < 9; i++) {
                double s = 0;
                for (int j = 0; j < 9; j++) {
                    assertTrue(r.get(b, i, j) >= 0, "non-negative");
                    s += r.get(b, i, j);
                }
                assertEquals(1.0, s, 1e-6, "row " + i + " of example " + b);
            }
        }
    }

    @Test
    void oneLayerWithoutResidualIsTheMeanOfTheHeads() {
        Tensor attn = Reference.randomAttention(new Random(2), 1, 2, 4, 6, 1.5);
        Tensor r = AttentionRollout.builder().optResidualWeight(0).build().rollout(attn).rollout();
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < 6; i++) {
                for (int j = 0; j < 6; j++) {
                    double mean = 0;
                    for (int h = 0; h < 4; h++) {
                        mean += attn.get(0, b, h, i, j) / 4.0;
                    }
                    assertEquals(mean, r.get(b, i, j), 1e-6);
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"0.5", "0", "1"})
    void identityAttentionRollsOutToIdentity(double w) {
        int layers = 3;
        int batch = 2;
        int heads = 2;
        int n = 5;
        float[] d = new float[layers * batch * heads * n * n];
        for (int m = 0; m < layers * batch * heads; m++) {
            for (int i = 0; i < n; i++) {
                d[m * n * n + i * n + i] = 1;
            }
        }
        Tensor r = AttentionRollout.builder().optResidualWeight(w).build()
                .rollout(Tensor.of(d, layers, batch, heads, n, n)).rollout();
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    assertEquals(i == j ? 1f : 0f, r.get(b, i, j), 0f);
                }
            }
        }
    }

    @Test
    void fullResidualIgnoresAttention() {
        Tensor attn = Reference.randomAttention(new Random(3), 2, 1, 3, 4, 1.0);
        Tensor r = AttentionRollout.builder().optResidualWeight(1).build().rollout(attn).rollout();
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(i == j ? 1f : 0f, r.get(0, i, j), 0f);
            }
        }
    }

    @Test
    void listAndStackedInputsAgree() {
        Tensor attn = Reference.randomAttention(new Random(4), 3, 2, 2, 5, 1.0);
        List<Tensor> layers = new ArrayList<>();
        int block = 2 * 2 * 5 * 5;
        for (int l = 0; l < 3; l++) {
            float[] d = new float[block];
            System.arraycopy(attn.data(), l * block, d, 0, block);
            layers.add(Tensor.of(d, 2, 2, 5, 5));
        }
        AttentionRollout method = AttentionRollout.withDefaults();
        assertArrayEquals(method.rollout(attn).rollout().data(), method.rollout(layers).rollout().data());
    }

    @Test
    void discardDropsTheSmallestOffDiagonalWeightsOfEachRow() {
        // one layer, one head, residual 0: the result is the discarded map renormalized
        float[] d = {
            0.1f, 0.2f, 0.3f, 0.4f,
            0.4f, 0.05f, 0.25f, 0.3f,
            0.25f, 0.25f, 0.25f, 0.25f,
            0.7f, 0.1f, 0.1f, 0.1f};
        Tensor r = AttentionRollout.builder().optResidualWeight(0).optDiscardRatio(0.5).build()
                .rollout(Tensor.of(d, 1, 1, 1, 4, 4)).rollout();
        // floor(0.5 * 3) = 1 off-diagonal weight dropped per row; the diagonal stays even when smallest
        float[][] expected = {
            {0.1f / 0.8f, 0, 0.3f / 0.8f, 0.4f / 0.8f},
            {0.4f / 0.75f, 0.05f / 0.75f, 0, 0.3f / 0.75f},
            {0, 0.25f / 0.75f, 0.25f / 0.75f, 0.25f / 0.75f},
            {0.7f / 0.9f, 0, 0.1f / 0.9f, 0.1f / 0.9f}};
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(expected[i][j], r.get(0, i, j), 1e-6, "[" + i + "," + j + "]");
            }
        }
    }

    // ---- against the independent float64 reference ----

    @ParameterizedTest
    @CsvSource({
        "1,1,1,2,MEAN,0.5,0", "2,3,4,5,MEAN,0.5,0", "4,2,3,7,MAX,0.5,0", "6,1,12,10,MIN,0.5,0",
        "3,2,4,8,MEAN,0,0", "3,2,4,8,MEAN,0.3,0.5", "5,2,2,6,MAX,0.5,0.9", "12,1,4,16,MEAN,0.5,0"})
    void matchesFloat64Reference(int layers, int batch, int heads, int seq, HeadFusion fusion, double w,
            double discard) {
        Tensor attn = Reference.randomAttention(new Random(layers * 1000L + seq), layers, batch, heads, seq, 2.0);
        Tensor got = AttentionRollout.builder().optHeadFusion(fusion).optResidualWeight(w).optDiscardRatio(discard)
                .build().rollout(attn).rollout();
        for (int b = 0; b < batch; b++) {
            assertMatches(Reference.rollout(attn, b, fusion, w, discard), got, b, "rollout");
        }
    }

    @Test
    void tokenRelevanceIsRowZeroOrTheMeanOverQueries() {
        Tensor attn = Reference.randomAttention(new Random(5), 3, 2, 4, 6, 2.0);
        RolloutResult result = AttentionRollout.withDefaults().rollout(attn);
        Tensor cls = result.tokenRelevance(TokenPooling.CLS);
        Tensor mean = result.tokenRelevance(TokenPooling.MEAN);
        assertEquals(Shape.of(2, 6), cls.shape());
        assertEquals(Shape.of(2, 6), mean.shape());
        for (int b = 0; b < 2; b++) {
            double[][] ref = Reference.rollout(attn, b, HeadFusion.MEAN, 0.5, 0);
            for (int j = 0; j < 6; j++) {
                double m = 0;
                for (int i = 0; i < 6; i++) {
                    m += ref[i][j] / 6;
                }
                assertEquals(ref[0][j], cls.get(b, j), 1e-6);
                assertEquals(m, mean.get(b, j), 1e-6);
            }
        }
    }

    @Test
    void provenanceRecordsTheOptions() {
        RolloutResult r = AttentionRollout.builder().optHeadFusion(HeadFusion.MAX).optDiscardRatio(0.25).build()
                .rollout(Reference.randomAttention(new Random(6), 1, 1, 1, 3, 1.0));
        assertEquals("AttentionRollout", r.provenance().method());
        assertEquals("max", r.provenance().parameters().get("headFusion"));
        assertEquals(0.5, r.provenance().parameters().get("residualWeight"));
        assertEquals(0.25, r.provenance().parameters().get("discardRatio"));
    }
}
