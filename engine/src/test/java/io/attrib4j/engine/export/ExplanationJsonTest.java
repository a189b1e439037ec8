package io.attrib4j.engine.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.Provenance;
import io.attrib4j.engine.Tensor;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplanationJsonTest {
    @TempDir
    Path dir;

    enum Rule { GAUSS_LEGENDRE }

    @Test
    void parsesBackWithAllFields() throws Exception {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("steps", 50);
        params.put("rule", Rule.GAUSS_LEGENDRE);
        params.put("baseline", "zeros");
        Provenance p = new Provenance("IntegratedGradients", params, "classes [3, 1]", "cnn.pt", "torchscript",
                "abc123", "cpu-nd4j", 7L, "0.1.0-SNAPSHOT",
                new Provenance.Timing(12_500_000L, 10_000_000L, 2, 100), Instant.parse("2026-11-23T10:00:00Z"), null);
        Attribution a = new Attribution(Tensor.zeros(io.attrib4j.engine.Shape.of(2, 3, 4, 4)),
                new float[] {1.5e-6f, -2e-7f}, p);
        Path f = dir.resolve("out/explanation.json");
        ExplanationJson.write(f, a, Map.of("predictions", List.of(
                new ExplanationJson.Prediction(0, 3, "red", 0.97), new ExplanationJson.Prediction(1, 1, "blue", 0.5))));

        String text = java.nio.file.Files.readString(f);
        assertTrue(text.contains("\n  \"method\""), "pretty-printed");
        JsonNode j = new ObjectMapper().readTree(text);
        assertEquals("IntegratedGradients", j.get("method").asText());
        assertEquals(50, j.get("parameters").get("steps").asInt());
        assertEquals("GAUSS_LEGENDRE", j.get("parameters").get("rule").asText());
        assertEquals("classes [3, 1]", j.get("target").asText());
        assertEquals("cnn.pt", j.get("model").get("name").asText());
        assertEquals("torchscript", j.get("model").get("format").asText());
        assertEquals("abc123", j.get("model").get("hash").asText());
        assertEquals("cpu-nd4j", j.get("backend").asText());
        assertEquals(7, j.get("seed").asLong());
        assertEquals("0.1.0-SNAPSHOT", j.get("libraryVersion").asText());
        assertEquals(12.5, j.get("timing").get("totalMs").asDouble(), 1e-9);
        assertEquals(10.0, j.get("timing").get("modelMs").asDouble(), 1e-9);
        assertEquals(2, j.get("timing").get("modelCalls").asInt());
        assertEquals(100, j.get("timing").get("modelEvaluations").asLong());
        assertEquals("[2,3,4,4]", j.get("shape").toString());
        assertEquals(1.5e-6, j.get("convergenceDelta").get(0).asDouble(), 1e-12);
        assertEquals(-2e-7, j.get("convergenceDelta").get(1).asDouble(), 1e-12);
        JsonNode pred = j.get("predictions").get(0);
        assertEquals(3, pred.get("classIndex").asInt());
        assertEquals("red", pred.get("label").asText());
        assertEquals(0.97, pred.get("score").asDouble(), 1e-12);
        assertEquals("2026-11-23T10:00:00Z", j.get("createdAt").asText());
    }

    @Test
    void missingDeltaAndSeedAreNull() throws Exception {
        Provenance p = new Provenance("Saliency", Map.of(), "class 0", "m", "f", "h", "cpu", null, "v",
                new Provenance.Timing(1, 1, 1, 1), Instant.EPOCH, null);
        JsonNode j = new ObjectMapper().readTree(
                ExplanationJson.toJson(new Attribution(Tensor.zeros(io.attrib4j.engine.Shape.of(1, 2)), null, p), Map.of()));
        assertTrue(j.get("convergenceDelta").isNull());
        assertTrue(j.get("seed").isNull());
    }
}
