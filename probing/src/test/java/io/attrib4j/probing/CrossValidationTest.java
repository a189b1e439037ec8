package io.attrib4j.probing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CrossValidationTest {

    @ParameterizedTest
    @CsvSource({"5,0", "3,1", "7,2", "2,3"})
    void foldsAreStratified(int k, long seed) {
        int[] labels = new int[203];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i < 100 ? 0 : i < 170 ? 1 : i < 193 ? 2 : 3; // 100, 70, 23, 10 examples
        }
        int[] fold = CrossValidation.stratifiedFolds(labels, k, seed);
        int[][] count = new int[k][4];
        int[] size = new int[k];
        for (int i = 0; i < labels.length; i++) {
            assertTrue(fold[i] >= 0 && fold[i] < k);
            count[fold[i]][labels[i]]++;
            size[fold[i]]++;
        }
        for (int c = 0; c < 4; c++) {
            int min = Integer.MAX_VALUE;
            int max = 0;
            for (int f = 0; f < k; f++) {
                min = Math.min(min, count[f][c]);
                max = Math.max(max, count[f][c]);
            }
            assertTrue(max - min <= 1, "class " + c + " counts per fold differ by " + (max - min));
        }
        assertTrue(Arrays.stream(size).max().getAsInt() - Arrays.stream(size).min().getAsInt() <= 1);
    }

    @Test
    void foldsFollowTheSeed() {
        int[] labels = new int[60];
        for (int i = 0; i < 60; i++) {
            labels[i] = i % 3;
        }
        assertArrayEquals(CrossValidation.stratifiedFolds(labels, 5, 42), CrossValidation.stratifiedFolds(labels, 5, 42));
        assertFalse(Arrays.equals(CrossValidation.stratifiedFolds(labels, 5, 42),
                CrossValidation.stratifiedFolds(labels, 5, 43)));
    }

    @Test
    void studentTQuantilesMatchTables() {
        // two-sided 95% critical values from standard t tables
        assertEquals(12.7062047, StudentT.quantile(0.975, 1), 1e-6);
        assertEquals(4.30265273, StudentT.quantile(0.975, 2), 1e-6);
        assertEquals(2.77644511, StudentT.quantile(0.975, 4), 1e-6);
        assertEquals(2.26215716, StudentT.quantile(0.975, 9), 1e-6);
        assertEquals(2.04227246, StudentT.quantile(0.975, 30), 1e-6);
        assertEquals(-2.77644511, StudentT.quantile(0.025, 4), 1e-6);
    }

    @Test
    void confidenceIntervalByHand() {
        // mean 3, sample sd sqrt(2.5), t(0.975, 4) = 2.7764451 -> half width 2.7764451 * 1.5811388 / sqrt(5)
        ConfidenceInterval ci = ConfidenceInterval.t95(new double[] {1, 2, 3, 4, 5});
        assertEquals(3, ci.mean(), 1e-12);
        assertEquals(1.9632432, ci.halfWidth(), 1e-6);
        assertEquals(3 - 1.9632432, ci.low(), 1e-6);
    }

    @Test
    void macroF1ByHand() {
        int[] truth = {0, 0, 0, 1, 1, 2};
        int[] pred = {0, 0, 1, 1, 2, 2};
        // class 0: tp 2, fn 1 -> 4/5; class 1: tp 1, fp 1, fn 1 -> 2/4; class 2: tp 1, fp 1 -> 2/3
        assertEquals((0.8 + 0.5 + 2.0 / 3) / 3, Metrics.macroF1(truth, pred, 3), 1e-12);
        assertEquals(4.0 / 6, Metrics.accuracy(truth, pred), 1e-12);
    }

    @Test
    void sweepPicksTheRegularizationWithTheBestMeanAccuracy() {
        // imbalanced: 100 / 15 / 15. With lambda 1e6 the weights are ~0 and the unpenalized intercepts
        // predict the majority class everywhere (accuracy 100/130); with 1e-2 the probe separates the classes.
        Synthetic s = Synthetic.make(3, 3, 20, 100, 4.0, 1, 0);
        int[] keep = new int[130];
        int[] seen = new int[3];
        int m = 0;
        for (int i = 0; i < s.labels.length && m < keep.length; i++) {
            int c = s.labels[i];
            if (c == 0 || seen[c] < 15) {
                seen[c]++;
                keep[m++] = i;
            }
        }
        float[] x = new float[130 * 20];
        int[] y = new int[130];
        for (int r = 0; r < 130; r++) {
            System.arraycopy(s.x.data(), keep[r] * 20, x, r * 20, 20);
            y[r] = s.labels[keep[r]];
        }
        RegularizationSweep sweep = CrossValidation.withDefaults().sweep(LinearProbe.withDefaults(),
                new double[] {1e6, 1e-2}, io.attrib4j.engine.Tensor.of(x, 130, 20), y);
        assertEquals(2, sweep.results().size());
        assertEquals(100.0 / 130, sweep.results().get(0).meanAccuracy(), 0.01, "lambda 1e6 predicts the majority");
        assertTrue(sweep.results().get(1).meanAccuracy() > 0.9, "lambda 1e-2 " + sweep.results().get(1).meanAccuracy());
        assertEquals(1e-2, sweep.bestLambda());
        assertEquals(sweep.results().get(1), sweep.best());
    }

    @Test
    void sweepTiesGoToTheLargerLambda() {
        Synthetic s = Synthetic.make(4, 2, 5, 30, 20.0, 1, 0); // so separable that every lambda scores 1.0
        RegularizationSweep sweep = CrossValidation.withDefaults()
                .sweep(LinearProbe.withDefaults(), new double[] {1e-3, 1e-1, 1e-2}, s.x, s.labels);
        for (CrossValidationResult r : sweep.results()) {
            assertEquals(1.0, r.meanAccuracy());
        }
        assertEquals(1e-1, sweep.bestLambda());
    }

    @Test
    void perFoldScoresAndIntervalAreConsistent() {
        Synthetic s = Synthetic.make(5, 3, 10, 30, 1.0, 1, 0);
        CrossValidationResult r = CrossValidation.builder().optFolds(3).optSeed(9).build()
                .run(LinearProbe.withDefaults(), s.x, s.labels);
        assertEquals(3, r.foldAccuracy().length);
        assertEquals(Arrays.stream(r.foldAccuracy()).average().getAsDouble(), r.meanAccuracy(), 1e-12);
        assertTrue(r.accuracy().low() <= r.meanAccuracy() && r.meanAccuracy() <= r.accuracy().high());
    }
}
