package io.attrib4j.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuditReportTest {
    static AuditTrail.Record rec(long seq, String id, String time, String method, String prediction, long micros,
            String source) {
        return new AuditTrail.Record(seq, new AuditEntry(id, time, "m", "0.1.0", method, "{}", null, "h", prediction,
                "[]", null, micros, source));
    }

    static final List<AuditTrail.Record> RECORDS = List.of(
            rec(1, "a", "2026-03-01T09:59:59Z", "IG", "[1]", 1000, "LIVE"), // before the range
            rec(2, "b", "2026-03-01T10:00:00Z", "IG", "[1]", 2000, "LIVE"),
            rec(3, "c", "2026-03-01T10:00:01.5Z", "Saliency", "[0]", 4000, "DEGRADED"),
            rec(4, "d", "2026-03-01T10:00:02Z", "none", "[1, 0]", 8000, "PENDING"),
            rec(5, "d", "2026-03-01T10:00:03Z", "IG", "[1, 0]", 16000, "LIVE"), // d's explanation completed
            rec(6, "e", "2026-03-01T10:00:04Z", "IG", "[0]", 3000, "CACHE"),
            rec(7, "f", "2026-03-01T11:00:00Z", "IG", "[1]", 5000, "LIVE")); // the end is exclusive

    @Test
    void countsDecisionsAndRatesByHand() {
        AuditReport r = AuditReport.of(RECORDS, Instant.parse("2026-03-01T10:00:00Z"),
                Instant.parse("2026-03-01T11:00:00Z"), 1, new AuditTrail.Verification(7, Optional.empty(), "chain intact"));
        assertEquals(4, r.requests()); // b, c, d (counted once, by its newest record), e
        assertEquals(5, r.decisions()); // d predicted two examples
        assertEquals(2, r.adverseDecisions()); // b's 1 and d's first 1
        assertEquals(2 / 5.0, r.adverseRate(), 1e-12);
        assertEquals(1.0, r.explanationCoverage(), 1e-12);
        assertEquals(0.25, r.fallbackRate(), 1e-12);
        assertEquals(0.25, r.cacheRate(), 1e-12);
        // latencies 2, 4, 16, 3 ms -> sorted 2, 3, 4, 16: p50 = 2nd, p99 = 4th
        assertEquals(3.0, r.latencyP50Millis(), 1e-12);
        assertEquals(16.0, r.latencyP99Millis(), 1e-12);
        assertTrue(r.chainIntact());
        assertTrue(r.toJson().contains("\"adverseRate\" : 0.4"), r.toJson());
        String html = r.toHtml();
        assertTrue(html.contains("<td>40.00 %</td>"), html);
        assertTrue(html.contains("verified"), html);
    }

    @Test
    void aBrokenChainIsInTheReport() {
        AuditReport r = AuditReport.of(RECORDS, Instant.parse("2026-03-01T00:00:00Z"),
                Instant.parse("2026-03-02T00:00:00Z"), 1,
                new AuditTrail.Verification(2, Optional.of(3L), "record 3 was edited"));
        assertFalse(r.chainIntact());
        assertTrue(r.toHtml().contains("BROKEN, record 3 was edited"));
        assertEquals(6, r.requests());
    }

    @Test
    void percentileUsesTheNearestRank() {
        double[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(5, AuditReport.percentile(v, 0.5));
        assertEquals(10, AuditReport.percentile(v, 0.99));
        assertEquals(1, AuditReport.percentile(v, 0.01));
        assertEquals(0, AuditReport.percentile(new double[0], 0.5));
    }
}
