package io.attrib4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attrib4j.engine.export.Npy;
import io.attrib4j.models.zoo.PatchModel;
import io.attrib4j.testkit.Oracle;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DeepLIFT from the command line: on a built-in model whose graph is visible, and refused on a TorchScript file. */
class DeepLiftCommandTest {
    @TempDir
    Path dir;

    @Test
    void deepLiftOnTheZooModelIsComplete() throws Exception {
        Path x = dir.resolve("x.npy");
        Npy.write(x, PatchModel.samples(3, 5L).images());
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("explain", "--model", "zoo:patch", "--input", x.toString(), "--method", "deeplift",
                "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = new ObjectMapper().readTree(out.resolve("explanation.json").toFile());
        assertEquals("DeepLift", j.get("method").asText());
        for (JsonNode d : j.get("convergenceDelta")) {
            assertTrue(Math.abs(d.asDouble()) < 1e-4, "DeepLIFT is complete: delta " + d);
        }
        String label = j.get("predictions").get(0).get("label").asText();
        assertTrue(label.equals("red") || label.equals("green") || label.equals("blue"), label);
        assertTrue(out.resolve("heatmap.png").toFile().isFile());
    }

    @Test
    void deepLiftShapNeedsABaselineSet() {
        Path x = dir.resolve("x.npy");
        Npy.write(x, PatchModel.samples(1, 5L).images());
        CliRun r = CliRun.of("explain", "--model", "zoo:patch", "--input", x.toString(), "--method", "deepliftshap");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--baselines"), r.err());
    }

    @Test
    void deepLiftOnATorchScriptFileSaysWhichFormatsWork() {
        Path x = dir.resolve("x.npy");
        Npy.write(x, Oracle.load("mlp/x"));
        CliRun r = CliRun.of("explain", "--model", Oracle.modelFile("mlp.pt").toString(), "--input", x.toString(),
                "--method", "deeplift");
        assertTrue(r.exitCode() != 0);
        assertTrue(r.err().contains("DeepLift") && r.err().contains("TorchScript") || r.err().contains("torchscript"),
                r.err());
        assertFalse(r.hasStackTrace(), r.err());
    }

    @Test
    void unknownZooModelListsTheBuiltInOnes() {
        Path x = dir.resolve("x.npy");
        Npy.write(x, Oracle.load("mlp/x"));
        CliRun r = CliRun.of("explain", "--model", "zoo:vgg", "--input", x.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("zoo:patch"), r.err());
    }
}
