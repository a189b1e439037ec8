package io.attrib4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.export.Npy;
import io.attrib4j.testkit.Oracle;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** explain --method adaptive-ig on the oracle MLP: the completeness gap is within --tolerance. */
class AdaptiveIgCommandTest {
    @TempDir
    Path dir;

    private final Path mlp = Oracle.modelFile("mlp.pt");

    private Path x() {
        Path f = dir.resolve("x.npy");
        Npy.write(f, Oracle.load("mlp/x"));
        return f;
    }

    @Test
    void theCompletenessGapIsWithinTheTolerance() throws Exception {
        double tolerance = 0.05;
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("explain", "--model", mlp.toString(), "--input", x().toString(), "--method", "adaptive-ig",
                "--tolerance", String.valueOf(tolerance), "--initial-steps", "2", "--max-steps", "512",
                "--target", "0,1,2,1", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());

        // F_t(x) - F_t(0) from Captum's 50-step Gauss-Legendre IG: sum of its attributions minus its delta
        Tensor captum = Oracle.load("mlp/ig_gausslegendre_attr");
        float[] captumDelta = Oracle.loadFloats("mlp/ig_gausslegendre_delta");
        JsonNode j = new ObjectMapper().readTree(out.resolve("explanation.json").toFile());
        assertEquals("AdaptiveIntegratedGradients", j.get("method").asText());
        assertEquals(tolerance, j.get("parameters").get("tolerance").asDouble());
        int mostSteps = 0;
        for (int i = 0; i < captum.batch(); i++) {
            double change = -captumDelta[i];
            for (int k = 0; k < captum.rowSize(); k++) {
                change += captum.get(i, k);
            }
            double delta = j.get("convergenceDelta").get(i).asDouble();
            assertTrue(Math.abs(delta) <= tolerance * Math.max(Math.abs(change), 1e-3) + 1e-6,
                    "example " + i + ": |delta| " + delta + " within " + tolerance + " of |F(x) - F(0)| " + change);
            assertTrue(j.get("parameters").get("converged").get(i).asBoolean(), "example " + i + " converged");
            mostSteps = Math.max(mostSteps, j.get("parameters").get("stepsUsed").get(i).asInt());
        }
        assertTrue(mostSteps > 2, "some example needed more than the first round of 2 steps: " + j.get("parameters"));
        assertEquals(captum.shape(), Npy.read(out.resolve("attributions.npy")).shape());
        assertTrue(r.out().contains("delta"), r.out());
    }

    @Test
    void itsOptionsAreRejectedForOtherMethods() {
        CliRun r = CliRun.of("explain", "--model", mlp.toString(), "--input", x().toString(), "--method", "ig",
                "--tolerance", "0.01");
        assertEquals(Main.EXIT_USAGE, r.exitCode());
        assertTrue(r.err().contains("--tolerance (used by adaptive-ig)"), r.err());
        assertFalse(r.hasStackTrace(), r.err());
    }
}
