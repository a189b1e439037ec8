package io.attrib4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.export.Npy;
import io.attrib4j.models.zoo.PatchModel;
import io.attrib4j.testkit.Oracle;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** attrib4j compare: one sheet per example, one panel per method, layer maps resized to the image. */
class CompareCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesOneSheetPerExampleWithAPanelPerMethod() throws Exception {
        Path x = dir.resolve("x.npy");
        Npy.write(x, PatchModel.samples(2, 3L).images());
        Path out = dir.resolve("out");
        CliRun two = CliRun.of("compare", "--model", "zoo:patch", "--input", x.toString(), "--methods", "ig,saliency",
                "--out", dir.resolve("two").toString());
        CliRun four = CliRun.of("compare", "--model", "zoo:patch", "--input", x.toString(), "--methods",
                "ig,gradcam,smoothgrad,deeplift", "--stdevs", "0.1", "--layer", "features.4", "--out", out.toString());
        assertEquals(0, two.exitCode(), two.err());
        assertEquals(0, four.exitCode(), four.err());
        BufferedImage sheet2 = ImageIO.read(dir.resolve("two").resolve("compare_0.png").toFile());
        BufferedImage sheet4 = ImageIO.read(out.resolve("compare_1.png").toFile());
        assertEquals(sheet2.getHeight(), sheet4.getHeight(), "same rows");
        assertTrue(sheet4.getWidth() > sheet2.getWidth() * 3 / 2, "two more panels: " + sheet2.getWidth() + " vs "
                + sheet4.getWidth());
    }

    @Test
    void anOptionNoChosenMethodUsesIsNamed() {
        Path x = dir.resolve("x.npy");
        Npy.write(x, PatchModel.samples(1, 3L).images());
        CliRun r = CliRun.of("compare", "--model", "zoo:patch", "--input", x.toString(), "--methods", "saliency",
                "--steps", "8");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--steps"), r.err());
        assertFalse(r.hasStackTrace(), r.err());
    }

    @Test
    void tabularInputIsRefused() {
        Path x = dir.resolve("x.npy");
        Npy.write(x, Oracle.load("mlp/x"));
        CliRun r = CliRun.of("compare", "--model", Oracle.modelFile("mlp.pt").toString(), "--input", x.toString(),
                "--methods", "ig");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("images"), r.err());
    }
}
