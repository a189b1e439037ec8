package io.attrib4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.export.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo runs with no arguments but an output folder and writes every file it promises. */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesSheetsDataAndASelfContainedPage() throws Exception {
        CliRun r = CliRun.of("demo", "--samples", "2", "--out", dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.size(dir.resolve("sample_0.png")) > 0);
        assertTrue(Files.size(dir.resolve("sample_1.png")) > 0);
        assertEquals(Shape.of(2, 3, 32, 32), Npy.read(dir.resolve("attributions.npy")).shape());
        JsonNode j = new ObjectMapper().readTree(dir.resolve("explanation.json").toFile());
        assertEquals("IntegratedGradients", j.get("method").asText());
        assertEquals(2, j.get("predictions").size());
        assertTrue(j.get("predictions").get(0).get("label").isTextual());
        String html = Files.readString(dir.resolve("index.html"));
        assertTrue(html.contains("data:image/png;base64,"));
        assertFalse(html.matches("(?s).*(src|href)=\"https?://.*"));
    }
}
