package io.attrib4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.export.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The counterfactual, anchor and similar commands on the recourse module's breast-cancer fixture. */
class RecourseCommandsTest {
    private static final Path FIXTURE = Path.of("..", "recourse", "src", "test", "resources", "breast-cancer");

    private static String[] common(Path input, Path out) {
        return new String[] {"--model", FIXTURE.resolve("mlp.pt").toString(), "--input", input.toString(), "--data",
            FIXTURE.resolve("train_x.npy").toString(), "--feature-names", FIXTURE.resolve("features.txt").toString(),
            "--class-names", "malignant,benign", "--out", out.toString()};
    }

    private static String[] args(String command, Path input, Path out, String... more) {
        String[] c = common(input, out);
        String[] all = new String[1 + c.length + more.length];
        all[0] = command;
        System.arraycopy(c, 0, all, 1, c.length);
        System.arraycopy(more, 0, all, 1 + c.length, more.length);
        return all;
    }

    @Test
    void counterfactualAnchorAndSimilarWriteTheirFiles(@TempDir Path dir) throws Exception {
        Tensor test = Npy.read(FIXTURE.resolve("test_x.npy"));
        Path input = dir.resolve("rows.npy");
        Npy.write(input, test.rows(0, 2));
        CliRun cf = CliRun.of(args("counterfactual", input, dir.resolve("cf"), "--count", "3", "--immutable",
                "mean radius,2"));
        assertEquals(0, cf.exitCode(), cf.err());
        assertTrue(cf.out().contains("the decision would be"), cf.out());
        assertEquals(Shape.of(2, 3, 30), Npy.read(dir.resolve("cf/counterfactuals.npy")).shape());
        String json = Files.readString(dir.resolve("cf/counterfactuals.json"));
        assertTrue(json.contains("\"narrative\"") && json.contains("\"proximity\""), json);
        assertTrue(Files.readString(dir.resolve("cf/counterfactuals.html")).contains("<table>"));
        Tensor cfs = Npy.read(dir.resolve("cf/counterfactuals.npy"));
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(test.get(r, 0), cfs.get(r, c, 0), "--immutable by name");
                assertEquals(test.get(r, 2), cfs.get(r, c, 2), "--immutable by index");
            }
        }

        CliRun anchor = CliRun.of(args("anchor", input, dir.resolve("anchor")));
        assertEquals(0, anchor.exitCode(), anchor.err());
        assertTrue(anchor.out().contains("THEN "), anchor.out());
        assertTrue(Files.exists(dir.resolve("anchor/anchors.json")));

        CliRun similar = CliRun.of(args("similar", input, dir.resolve("similar"), "--labels",
                FIXTURE.resolve("train_y.npy").toString(), "--k", "3"));
        assertEquals(0, similar.exitCode(), similar.err());
        assertTrue(Files.readString(dir.resolve("similar/similar.json")).contains("\"prediction\""));
    }

    @Test
    void desiredClassOutOfRangeIsAUsageError(@TempDir Path dir) {
        Path input = dir.resolve("rows.npy");
        Npy.write(input, Npy.read(FIXTURE.resolve("test_x.npy")).rows(0, 1));
        CliRun run = CliRun.of(args("counterfactual", input, dir.resolve("cf"), "--desired-class", "5"));
        assertEquals(Main.EXIT_USAGE, run.exitCode());
        assertTrue(run.err().contains("desired class 5 is out of range"), run.err());
        assertFalse(run.hasStackTrace());
    }
}
