package io.attrib4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.export.Npy;
import io.attrib4j.models.zoo.StripesModel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeCommandTest {

    @Test
    void layerSweepOnTheStripesModelWritesJsonCsvAndALegiblePng(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("sweep");
        CliRun r = CliRun.of("probe", "--model", "zoo:stripes", "--sweep", "--pooling", "mean-spatial", "--out",
                out.toString());
        assertEquals(0, r.exitCode(), r.err());
        System.out.print(r.out());
        JsonNode json = new ObjectMapper().readTree(out.resolve("layers.json").toFile());
        assertEquals(StripesModel.LAYERS.size(), json.get("layers").size());
        JsonNode logits = json.get("layers").get(StripesModel.LAYERS.size() - 1);
        assertEquals("logits", logits.get("layer").asText());
        assertTrue(logits.get("accuracy").get("mean").asDouble() > 0.9, logits.toString());
        assertEquals(StripesModel.LAYERS.size() + 1, Files.readAllLines(out.resolve("layers.csv")).size());
        BufferedImage png = ImageIO.read(out.resolve("layers.png").toFile());
        assertEquals(900, png.getWidth());
        assertEquals(500, png.getHeight());
    }

    @Test
    void tcavFromTheCommandLine(@TempDir Path dir) throws IOException {
        Path concept = dir.resolve("concept.npy");
        Path random = dir.resolve("random");
        Files.createDirectories(random);
        Npy.write(concept, StripesModel.conceptImages(10, 13)); // 6 disjoint random sets of 10 fill the pool of 60
        Tensor pool = StripesModel.randomImages(60, 12);
        Npy.write(random.resolve("a.npy"), pool.rows(0, 30));
        Npy.write(random.resolve("b.npy"), pool.rows(30, 60));
        Path json = dir.resolve("tcav.json");
        CliRun r = CliRun.of("tcav", "--model", "zoo:stripes", "--layer", "relu2", "--concept", concept.toString(),
                "--random", random.toString(), "--class", "1", "--random-sets", "5", "--pooling", "mean-spatial", "--out", json.toString());
        assertEquals(0, r.exitCode(), r.err());
        System.out.print(r.out());
        assertTrue(r.out().contains("p-value"), r.out());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(5, j.get("conceptScores").size());
        assertTrue(j.get("score").asDouble() > 0.7, j.toString());
    }

    @Test
    void probeOnGivenActivationsReportsSelectivity(@TempDir Path dir) throws IOException {
        int n = 200;
        SplittableRandom rnd = new SplittableRandom(3);
        float[] x = new float[n * 4];
        float[] y = new float[n];
        float[] types = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            types[i] = i; // every example its own type: control labels are random
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = (float) rnd.nextGaussian() + (j == 0 ? 3 * y[i] : 0);
            }
        }
        Npy.write(dir.resolve("x.npy"), Tensor.of(x, n, 4));
        Npy.write(dir.resolve("y.npy"), Tensor.of(y, n));
        Npy.write(dir.resolve("t.npy"), Tensor.of(types, n));
        Path json = dir.resolve("probe.json");
        CliRun r = CliRun.of("probe", "--activations", dir.resolve("x.npy").toString(), "--labels",
                dir.resolve("y.npy").toString(), "--control-types", dir.resolve("t.npy").toString(), "--out",
                json.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertTrue(j.get("accuracy").get("mean").asDouble() > 0.85, j.toString());
        assertTrue(j.get("selectivity").asDouble() > 0.2, j.toString());
        assertTrue(r.out().contains("selectivity"), r.out());
    }

    @Test
    void mismatchedCountsAndMissingOptionsAreUsageErrors(@TempDir Path dir) {
        Npy.write(dir.resolve("x.npy"), Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2));
        Npy.write(dir.resolve("y.npy"), Tensor.of(new float[] {0, 1}, 2));
        CliRun r = CliRun.of("probe", "--activations", dir.resolve("x.npy").toString(), "--labels",
                dir.resolve("y.npy").toString(), "--out", dir.resolve("p.json").toString());
        assertEquals(Main.EXIT_USAGE, r.exitCode());
        assertTrue(r.err().contains("3 examples of activations but 2 labels"), r.err());
        assertFalse(r.hasStackTrace());
        CliRun none = CliRun.of("probe");
        assertEquals(Main.EXIT_USAGE, none.exitCode());
        assertTrue(none.err().contains("--activations"), none.err());
        // a random pool large enough for TCAV's 11 disjoint sets of 3, so the layer is what is wrong
        Npy.write(dir.resolve("pool.npy"), Tensor.zeros(io.attrib4j.engine.Shape.of(33, 2)));
        CliRun noLayers = CliRun.of("tcav", "--model", "zoo:stripes", "--layer", "nope", "--concept",
                dir.resolve("x.npy").toString(), "--random", dir.resolve("pool.npy").toString(), "--class", "1");
        assertEquals(Main.EXIT_USAGE, noLayers.exitCode(), noLayers.err());
        assertTrue(noLayers.err().contains("conv1"), noLayers.err());
    }
}
