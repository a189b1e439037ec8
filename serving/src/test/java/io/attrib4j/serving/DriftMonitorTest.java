package io.attrib4j.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DriftMonitorTest {

    @Test
    void psiOnAHandComputedCase() {
        double[] ref = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}; // 2 bins: the median cut 5.5 -> shares 0.5 / 0.5
        double[] win = {1, 1, 1, 1, 1, 1, 1, 1, 9, 10}; // shares 0.8 / 0.2
        double expected = 0.3 * Math.log(0.8 / 0.5) + (-0.3) * Math.log(0.2 / 0.5); // 0.415888...
        assertEquals(expected, DriftMonitor.psi(ref, win, 2), 1e-12);
        assertEquals(0, DriftMonitor.psi(ref, ref, 10), 1e-12);
        assertEquals(5.5, DriftMonitor.quantile(ref, 0.5), 1e-12);
    }

    @Test
    void ksStatisticAndPValueOnKnownValues() {
        // F_a(2) = 0.5, F_b(2) = 0: the largest gap
        assertEquals(0.5, DriftMonitor.ksStatistic(new double[] {1, 2, 3, 4}, new double[] {3, 4, 5, 6}), 1e-12);
        assertEquals(0, DriftMonitor.ksStatistic(new double[] {1, 2, 3}, new double[] {3, 2, 1}), 1e-12);
        // the classic critical values of the Kolmogorov distribution: Q(1.3581) = 0.05, Q(1.6276) = 0.01
        assertEquals(0.05, DriftMonitor.kolmogorovQ(1.3581), 1e-4);
        assertEquals(0.01, DriftMonitor.kolmogorovQ(1.6276), 1e-4);
        assertEquals(1, DriftMonitor.kolmogorovQ(0), 0);
    }

    @Test
    void aPlantedShiftInOneFeatureIsFlaggedByPsiKsAndStabilityAndNoOtherIs() throws Exception {
        int features = 8;
        int planted = 5;
        float[][] reference = gaussianRows(new SplittableRandom(1), 3000, features, -1, 0);
        float[][] window = gaussianRows(new SplittableRandom(2), 3000, features, planted, 1.0);
        DriftReport report = DriftMonitor.builder().build().compare(reference, window);

        assertEquals(List.of(planted), report.psiFlagged(PsiBand.MODERATE));
        assertEquals(PsiBand.SIGNIFICANT, report.features().get(planted).psiBand());
        assertEquals(List.of(planted), report.ksFlagged());
        assertEquals(List.of(planted), report.unstable());

        JsonNode json = new ObjectMapper().readTree(report.toJson());
        assertEquals(3000, json.get("windowSize").asInt());
        assertEquals("SIGNIFICANT", json.get("features").get(planted).get("psiBand").asText());
        assertEquals(features, json.get("features").size());
    }

    @Test
    void noShiftFlagsNothing() {
        float[][] reference = gaussianRows(new SplittableRandom(3), 3000, 6, -1, 0);
        float[][] window = gaussianRows(new SplittableRandom(4), 3000, 6, -1, 0);
        DriftReport report = DriftMonitor.builder().build().compare(reference, window);
        assertEquals(List.of(), report.psiFlagged(PsiBand.MODERATE));
        assertEquals(List.of(), report.unstable());
    }

    @Test
    void timestampedRowsAreCutIntoWindows() {
        float[][] reference = gaussianRows(new SplittableRandom(5), 2000, 3, -1, 0);
        float[][] calm = gaussianRows(new SplittableRandom(6), 2000, 3, -1, 0);
        float[][] shifted = gaussianRows(new SplittableRandom(7), 2000, 3, 0, 2.0);
        float[][] rows = new float[4000][];
        Instant[] times = new Instant[4000];
        Instant day = Instant.parse("2026-03-01T00:00:00Z");
        for (int i = 0; i < 2000; i++) {
            rows[i] = calm[i];
            times[i] = day.plusSeconds(i);
            rows[2000 + i] = shifted[i];
            times[2000 + i] = day.plus(Duration.ofDays(1)).plusSeconds(i);
        }
        List<DriftReport> reports = DriftMonitor.builder().build().compareWindows(reference, times, rows,
                Duration.ofDays(1));
        assertEquals(2, reports.size());
        assertEquals("2026-03-01T00:00:00Z", reports.get(0).windowStart());
        assertEquals(List.of(), reports.get(0).psiFlagged(PsiBand.MODERATE));
        assertEquals(List.of(0), reports.get(1).psiFlagged(PsiBand.SIGNIFICANT));
    }

    @Test
    void badWindowsAndOptionsAreTypedErrors() {
        DriftMonitor m = DriftMonitor.builder().build();
        assertThrows(InvalidInputException.class, () -> m.compare(new float[0][], new float[][] {{1}}));
        assertThrows(InvalidInputException.class, () -> m.compare(new float[][] {{1, 2}}, new float[][] {{1}}));
        assertThrows(InvalidInputException.class, () -> m.compare(new float[][] {{Float.NaN}}, new float[][] {{1}}));
        assertThrows(InvalidOptionException.class, () -> DriftMonitor.builder().optBins(1).build());
        assertThrows(InvalidOptionException.class, () -> DriftMonitor.builder().optPsiBands(0.2, 0.1).build());
        assertTrue(m.band(0.15) == PsiBand.MODERATE && m.band(0.05) == PsiBand.STABLE);
    }

    /** Rows of N(0, s_j^2) attributions with s_j = 1 + j/4; feature {@code shifted} moved by {@code shift} s_j. */
    private static float[][] gaussianRows(SplittableRandom r, int n, int d, int shifted, double shift) {
        float[][] rows = new float[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double s = 1 + j / 4.0;
                rows[i][j] = (float) (s * (gaussian(r) + (j == shifted ? shift : 0)));
            }
        }
        return rows;
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
