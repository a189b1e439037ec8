package io.attrib4j.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DriftWatchTest {
    /** At alpha 0.05, one of twenty unshifted features fails KS by chance; alerting uses a stricter alpha. */
    static final DriftMonitor MONITOR = DriftMonitor.builder().optKsAlpha(0.001).build();

    /** {@code n} rows of 4 features ~ N(1, 0.1); feature {@code shifted} (if >= 0) gets +1. */
    static float[][] rows(int n, int shifted, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] r = new float[n][4];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 4; j++) {
                r[i][j] = (float) (1 + 0.1 * gaussian(rng) + (j == shifted ? 1 : 0));
            }
        }
        return r;
    }

    static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    @Test
    void aPlantedShiftIsFlaggedInItsFeatureOnlyAndRendered() {
        DriftWatch watch = new DriftWatch(MONITOR, rows(4000, -1, 1), 2000);
        float[][] window = rows(2000, 2, 2);
        for (int i = 0; i < 1999; i++) {
            assertEquals(Optional.empty(), watch.observe("m", window[i]));
        }
        assertEquals(List.of(), watch.driftedFeatures()); // no complete window yet
        DriftReport report = watch.observe("m", window[1999]).orElseThrow();
        assertEquals(List.of("feature 2"), watch.driftedFeatures());
        assertEquals(List.of(2), report.psiFlagged(PsiBand.SIGNIFICANT));
        assertEquals(List.of(2), report.ksFlagged());

        String html = DriftHtml.render(report);
        assertTrue(html.contains("Drifted: feature 2"), html);
        assertTrue(html.contains("data:image/png;base64,"), "the chart is embedded");
        byte[] png = DriftHtml.chart(report);
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
    }

    @Test
    void aWindowLikeTheReferenceDriftsNowhere() {
        DriftWatch watch = new DriftWatch(MONITOR, rows(4000, -1, 1), 2000);
        for (float[] row : rows(2000, -1, 3)) {
            watch.observe("m", row);
        }
        assertTrue(watch.lastReport().isPresent());
        assertEquals(List.of(), watch.driftedFeatures());
        assertTrue(DriftHtml.render(watch.lastReport().get()).contains("No feature drifted."));
    }
}
