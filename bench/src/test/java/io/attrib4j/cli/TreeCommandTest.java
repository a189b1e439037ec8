package io.attrib4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.export.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code explain --method treeshap} on an XGBoost file: XGBoost's own pred_contribs, from the command line. */
class TreeCommandTest {
    private static final Path BINARY = Path.of("..", "trees", "src", "test", "resources", "trees", "binary");

    @TempDir
    Path dir;

    @Test
    void treeShapOnAnXgboostModelEqualsXgboostsPredContribs() throws IOException {
        Path out = dir.resolve("shap");
        CliRun r = CliRun.of("explain", "--model", BINARY.resolve("model.json").toString(), "--input",
                BINARY.resolve("X.npy").toString(), "--method", "treeshap", "--target", "0", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        Tensor phi = Npy.read(out.resolve("attributions.npy"));
        Tensor contribs = Npy.read(BINARY.resolve("contribs.npy")); // [rows, features + 1]: the last is the bias
        assertEquals(Shape.of(12, 30), phi.shape());
        for (int i = 0; i < 12; i++) {
            for (int j = 0; j < 30; j++) {
                float want = contribs.get(i, j);
                // XGBoost's float32 sums in another order: 1e-5 of the margin scale, as the library's parity test
                assertEquals(want, phi.get(i, j), 1e-5 * Math.max(1, Math.abs(want)), "row " + i + " feature " + j);
            }
        }
        String json = Files.readString(out.resolve("explanation.json"));
        assertTrue(json.contains("expectedValue"), json);
        assertTrue(json.contains("treeshap("), json);
        Path inter = dir.resolve("inter");
        CliRun ri = CliRun.of("explain", "--model", BINARY.resolve("model.ubj").toString(), "--input",
                BINARY.resolve("X.npy").toString(), "--method", "treeshap-interactions", "--target", "0", "--out",
                inter.toString());
        assertEquals(0, ri.exitCode(), ri.err());
        assertEquals(Shape.of(12, 30, 30), Npy.read(inter.resolve("attributions.npy")).shape());
    }

    @Test
    void aRowOfTheWrongWidthSaysBothNumbers() {
        Path x = dir.resolve("x.npy");
        Npy.write(x, Tensor.zeros(Shape.of(2, 7)));
        CliRun r = CliRun.of("explain", "--model", BINARY.resolve("model.json").toString(), "--input", x.toString(),
                "--method", "treeshap", "--out", dir.resolve("bad").toString());
        assertEquals(Main.EXIT_USAGE, r.exitCode(), r.out());
        assertTrue(r.err().contains("7") && r.err().contains("30"), r.err());
    }
}
