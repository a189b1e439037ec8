package io.attrib4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RankCorrelationTest {
    @Test
    void tiesShareTheirMeanRank() {
        // scipy.stats.spearmanr([1,2,3,4,5],[5,6,7,8,7]) = 0.8207826816681233 (= 8 / sqrt(95))
        assertEquals(8 / Math.sqrt(95), RankCorrelation.spearman(new float[] {1, 2, 3, 4, 5},
                new float[] {5, 6, 7, 8, 7}), 1e-12);
    }

    @Test
    void monotoneMapsCorrelatePerfectly() {
        assertEquals(1, RankCorrelation.spearman(new float[] {1, 5, 2, 9}, new float[] {10, 50, 20, 90}), 1e-12);
        assertEquals(-1, RankCorrelation.spearman(new float[] {1, 5, 2, 9}, new float[] {-1, -5, -2, -9}), 1e-12);
        assertTrue(Double.isNaN(RankCorrelation.spearman(new float[] {1, 1, 1}, new float[] {1, 2, 3})));
    }
}
