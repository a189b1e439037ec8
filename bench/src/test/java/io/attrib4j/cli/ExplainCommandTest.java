package io.attrib4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.export.Npy;
import io.attrib4j.testkit.Close;
import io.attrib4j.testkit.Oracle;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The explain command end to end on the oracle's TorchScript models, checked against Captum's numbers. */
class ExplainCommandTest {
    private static Path cnn;
    private static Path mlp;

    @TempDir
    Path dir;

    @BeforeAll
    static void models() {
        cnn = Oracle.modelFile("cnn_full.pt");
        mlp = Oracle.modelFile("mlp.pt");
    }

    private Path npy(String name, Tensor t) {
        Path f = dir.resolve(name);
        Npy.write(f, t);
        return f;
    }

    @Test
    void integratedGradientsWritesTheThreeOutputsMatchingCaptum() throws Exception {
        Path x = npy("x.npy", Oracle.load("cnn/x"));
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("explain", "--model", cnn.toString(), "--input", x.toString(), "--method", "ig",
                "--target", "0", "5", "--rule", "riemann_trapezoid", "--steps", "50", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());

        Tensor attr = Npy.read(out.resolve("attributions.npy"));
        assertEquals(Shape.of(2, 3, 32, 32), attr.shape());
        Close.relative(Oracle.load("cnn/ig_riemann_trapezoid_attr"), attr, 1e-4, "IG attributions");

        JsonNode j = new ObjectMapper().readTree(out.resolve("explanation.json").toFile());
        assertEquals("IntegratedGradients", j.get("method").asText());
        assertEquals("[2,3,32,32]", j.get("shape").toString());
        float[] delta = {(float) j.get("convergenceDelta").get(0).asDouble(),
                (float) j.get("convergenceDelta").get(1).asDouble()};
        Close.absolute(Oracle.loadFloats("cnn/ig_riemann_trapezoid_delta"), delta, 1e-5, "IG delta");
        assertEquals(5, j.get("explained").get(1).get("classIndex").asInt());
        assertEquals(2, j.get("predictions").size());

        BufferedImage heat = ImageIO.read(out.resolve("heatmap.png").toFile());
        assertTrue(heat.getHeight() >= 2 * 256, "one 256-px row per example, got " + heat.getHeight());
        assertTrue(r.out().contains("delta"), r.out());
    }

    @Test
    void noTargetExplainsThePredictedClass() throws Exception {
        Tensor logits = Oracle.load("mlp/logits");
        int[] argmax = new int[logits.batch()];
        for (int i = 0; i < argmax.length; i++) {
            for (int k = 1; k < logits.rowSize(); k++) {
                if (logits.get(i, k) > logits.get(i, argmax[i])) {
                    argmax[i] = k;
                }
            }
        }
        Path x = npy("x.npy", Oracle.load("mlp/x"));
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("explain", "--model", mlp.toString(), "--input", x.toString(), "--method", "saliency",
                "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = new ObjectMapper().readTree(out.resolve("explanation.json").toFile());
        int[] explained = new int[argmax.length];
        for (int i = 0; i < explained.length; i++) {
            explained[i] = j.get("explained").get(i).get("classIndex").asInt();
        }
        assertArrayEquals(argmax, explained);
        assertEquals(Shape.of(4, 12), Npy.read(out.resolve("attributions.npy")).shape());
        assertFalse(Files.exists(out.resolve("heatmap.png")), "no heatmap for tabular input");
    }

    @Test
    void imageInputGivesAHeatmap() throws Exception {
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        SplittableRandom rnd = new SplittableRandom(3);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                img.setRGB(x, y, rnd.nextInt(0x1000000));
            }
        }
        Path png = dir.resolve("in.png");
        ImageIO.write(img, "png", png.toFile());
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("explain", "--model", cnn.toString(), "--input", png.toString(), "--method", "ixg",
                "--mean", "0.5,0.5,0.5", "--std", "0.5,0.5,0.5", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(Shape.of(1, 3, 32, 32), Npy.read(out.resolve("attributions.npy")).shape());
        assertTrue(Files.size(out.resolve("heatmap.png")) > 0);
    }

    @Test
    void missingModelFileIsAUsageErrorWithoutStackTrace() {
        Path x = npy("x.npy", Oracle.load("mlp/x"));
        Path missing = dir.resolve("nope.pt");
        CliRun r = CliRun.of("explain", "--model", missing.toString(), "--input", x.toString(), "--out",
                dir.resolve("o").toString());
        assertEquals(Main.EXIT_USAGE, r.exitCode());
        assertTrue(r.err().contains("nope.pt"), r.err());
        assertFalse(r.hasStackTrace(), r.err());
    }

    @Test
    void nanInInputIsRejected() {
        float[] d = Oracle.load("mlp/x").data().clone();
        d[13] = Float.NaN;
        Path x = npy("nan.npy", Tensor.of(d, 4, 12));
        CliRun r = CliRun.of("explain", "--model", mlp.toString(), "--input", x.toString(), "--out",
                dir.resolve("o").toString());
        assertEquals(Main.EXIT_USAGE, r.exitCode());
        assertTrue(r.err().contains("NaN"), r.err());
        assertTrue(r.err().contains("[1, 1]"), "names the element: " + r.err());
        assertFalse(r.hasStackTrace(), r.err());
        assertFalse(Files.exists(dir.resolve("o/attributions.npy")));
    }

    @Test
    void targetOutOfRangeIsRejected() {
        Path x = npy("x.npy", Oracle.load("mlp/x"));
        CliRun r = CliRun.of("explain", "--model", mlp.toString(), "--input", x.toString(), "--target", "7",
                "--out", dir.resolve("o").toString());
        assertEquals(Main.EXIT_USAGE, r.exitCode());
        assertTrue(r.err().contains("out of range"), r.err());
        assertFalse(r.hasStackTrace(), r.err());
    }

    @Test
    void usageErrorsExitTwo() {
        CliRun unknown = CliRun.of("explain", "--model", "m.pt", "--input", "x.npy", "--bogus");
        assertEquals(Main.EXIT_USAGE, unknown.exitCode());
        assertTrue(unknown.err().contains("--bogus"), unknown.err());
        CliRun badMethod = CliRun.of("explain", "--model", "m.pt", "--input", "x.npy", "--method", "lrp");
        assertEquals(Main.EXIT_USAGE, badMethod.exitCode());
        Path x = npy("x.npy", Oracle.load("mlp/x"));
        CliRun igOnly = CliRun.of("explain", "--model", mlp.toString(), "--input", x.toString(), "--method",
                "saliency", "--steps", "10");
        assertEquals(Main.EXIT_USAGE, igOnly.exitCode());
        assertTrue(igOnly.err().contains("--steps"), igOnly.err());
        assertFalse(igOnly.hasStackTrace());
    }

    @Test
    void verboseShowsTheStackTrace() {
        Path x = npy("x.npy", Oracle.load("mlp/x"));
        CliRun r = CliRun.of("explain", "--verbose", "--model", dir.resolve("nope.pt").toString(), "--input",
                x.toString());
        assertNotEquals(0, r.exitCode());
        assertTrue(r.hasStackTrace(), r.err());
    }
}
