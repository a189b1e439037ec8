package io.attrib4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.export.Npy;
import io.attrib4j.models.zoo.MarkerTransformer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextCommandTest {

    private static Path ids(Path dir) {
        Path file = dir.resolve("ids.npy");
        Npy.write(file, MarkerTransformer.samples(3, 99).ids());
        return file;
    }

    @Test
    void gradRolloutWritesRolloutAttributionsAndTokens(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("explain", "--model", "zoo:transformer", "--input", ids(dir).toString(),
                "--method", "grad-rollout", "--pooling", "cls", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(Shape.of(3, 12, 12), Npy.read(out.resolve("rollout.npy")).shape());
        Tensor relevance = Npy.read(out.resolve("attributions.npy"));
        assertEquals(Shape.of(3, 12), relevance.shape());
        String html = Files.readString(out.resolve("tokens.html"));
        assertTrue(html.contains("[CLS]") && (html.contains(">good<") || html.contains(">bad<")), html);
        assertTrue(Files.exists(out.resolve("tokens.json")));
    }

    @Test
    void igEmbeddingsWritesTokenScores(@TempDir Path dir) {
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("explain", "--model", "zoo:transformer", "--input", ids(dir).toString(),
                "--method", "ig-embeddings", "--layer", "embedding", "--steps", "16", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(Shape.of(3, 12), Npy.read(out.resolve("attributions.npy")).shape());
        assertFalse(Files.exists(out.resolve("rollout.npy")));
    }

    /** The TorchScript fixture and its float64 numpy rollout, from models/.../fixtures/make_attention_model.py. */
    @Test
    void rolloutOfATorchScriptModelMatchesTheNumpyReference(@TempDir Path dir) {
        Path fixtures = Path.of("..", "models", "src", "test", "resources", "fixtures");
        String model = fixtures.resolve("attention_model.pt").toString();
        String ids = fixtures.resolve("attention_ids.npy").toString();
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("explain", "--model", model, "--input", ids, "--method", "rollout",
                "--attention-output", "1", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        Tensor rollout = Npy.read(out.resolve("rollout.npy"));
        assertEquals(Shape.of(2, 8, 8), rollout.shape());
        assertArrayEquals(Npy.read(fixtures.resolve("attention_rollout.npy")).data(), rollout.data(), 1e-6f);
        CliRun outOfRange = CliRun.of("explain", "--model", model, "--input", ids, "--method", "rollout",
                "--attention-output", "2", "--out", dir.resolve("o2").toString());
        assertTrue(outOfRange.exitCode() != 0 && outOfRange.err().contains("out of range"),
                outOfRange.err());
        assertFalse(outOfRange.hasStackTrace());
    }

    @Test
    void badTextInputsAreClearErrors(@TempDir Path dir) {
        long[] ids = new long[12];
        ids[4] = 77;
        Path bad = dir.resolve("bad.npy");
        Npy.write(bad, Tensor.ofInt64(ids, Shape.of(1, 12)));
        CliRun outOfVocab = CliRun.of("explain", "--model", "zoo:transformer", "--input", bad.toString(),
                "--method", "rollout", "--out", dir.resolve("o1").toString());
        assertTrue(outOfVocab.exitCode() != 0 && outOfVocab.err().contains("outside the vocabulary"), outOfVocab.err());
        assertFalse(outOfVocab.hasStackTrace());
        CliRun attentionOnZoo = CliRun.of("explain", "--model", "zoo:transformer", "--input", ids(dir).toString(),
                "--method", "rollout", "--attention-output", "3", "--out", dir.resolve("o2").toString());
        assertTrue(attentionOnZoo.exitCode() != 0 && attentionOnZoo.err().contains("--attention-output"),
                attentionOnZoo.err());
    }
}
