package io.attrib4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The README table is built from JMH's JSON, ratios included. */
class PerfTableTest {
    private static final String JMH = "["
            + "{\"benchmark\":\"io.attrib4j.bench.IgVsRawBenchmark.integratedGradients\",\"params\":{\"steps\":\"50\"},"
            + "\"primaryMetric\":{\"score\":1050.0,\"scoreError\":20.0},"
            + "\"secondaryMetrics\":{\"peakRssMb\":{\"score\":3603.2,\"rawData\":[[1180.1,1234.4,1188.7]]}}},"
            + "{\"benchmark\":\"io.attrib4j.bench.IgVsRawBenchmark.rawForwardBackward\",\"params\":{\"steps\":\"50\"},"
            + "\"primaryMetric\":{\"score\":1000.0,\"scoreError\":10.0}}]";

    @Test
    void tableListsEveryBenchmarkAndTheIgOverRawRatio() throws Exception {
        JsonNode results = new ObjectMapper().readTree(JMH);
        String md = PerfTable.table(results, "a test machine");
        assertTrue(md.contains("| IgVsRawBenchmark.integratedGradients |  steps=50 | 1050.0 | 20.0 | 1234 |"), md);
        assertTrue(md.contains("| IgVsRawBenchmark.rawForwardBackward |  steps=50 | 1000.0 | 10.0 | - |"), md);
        assertTrue(md.contains("IG / raw forward+backward of the same steps steps=50: **1.050**"), md);
        assertTrue(md.startsWith("Measured on a test machine."), md);
    }

    /** JMH's score of the EVENTS counter is the sum over iterations (here 3603): the table shows the highest one. */
    @Test
    void peakMemoryIsTheHighestIterationNotJmhsSum() throws Exception {
        JsonNode results = new ObjectMapper().readTree(JMH);
        assertEquals(1234.4, PerfTable.peakRssMb(results.get(0).path("secondaryMetrics").path("peakRssMb")), 1e-9);
        assertTrue(Double.isNaN(PerfTable.peakRssMb(results.get(1).path("secondaryMetrics").path("peakRssMb"))));
    }

    @Test
    void onlyTheTextBetweenTheMarkersIsReplaced() {
        String before = "# title\n" + PerfTable.BEGIN + "\nold\n" + PerfTable.END + "\nafter\n";
        String after = PerfTable.replaceBetweenMarkers(before, "new\n");
        assertEquals("# title\n" + PerfTable.BEGIN + "\nnew\n" + PerfTable.END + "\nafter\n", after);
        assertThrows(IllegalArgumentException.class, () -> PerfTable.replaceBetweenMarkers("no markers", "x"));
    }
}
