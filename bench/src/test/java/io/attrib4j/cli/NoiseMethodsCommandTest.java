package io.attrib4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.export.Npy;
import io.attrib4j.testkit.Close;
import io.attrib4j.testkit.Oracle;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The noise-based methods from the command line: smoothgrad (NoiseTunnel) and gradshap. */
class NoiseMethodsCommandTest {
    @TempDir
    Path dir;

    private final Path mlp = Oracle.modelFile("mlp.pt");

    private Path write(String name, Tensor t) {
        Path f = dir.resolve(name);
        Npy.write(f, t);
        return f;
    }

    private Tensor run(String out, String... args) {
        String[] all = new String[args.length + 7];
        System.arraycopy(new String[] {"explain", "--model", mlp.toString(), "--input",
                write("x.npy", Oracle.load("mlp/x")).toString(), "--out", dir.resolve(out).toString()}, 0, all, 0, 7);
        System.arraycopy(args, 0, all, 7, args.length);
        CliRun r = CliRun.of(all);
        assertEquals(0, r.exitCode(), r.err());
        return Npy.read(dir.resolve(out).resolve("attributions.npy"));
    }

    @Test
    void smoothGradWithoutNoiseIsItsBaseMethod() {
        Tensor saliency = run("sal", "--method", "saliency", "--target", "0,1,2,1");
        Tensor smooth = run("sg", "--method", "smoothgrad", "--stdevs", "0", "--nt-samples", "3", "--target", "0,1,2,1");
        Close.relative(Oracle.load("mlp/saliency_abs"), saliency, 1e-4, "saliency");
        Close.relative(saliency, smooth, 1e-6, "smoothgrad with stdev 0");
    }

    @Test
    void smoothGradSeedsAreReproducible() {
        Tensor a = run("a", "--method", "smoothgrad", "--nt-base", "ixg", "--stdevs", "0.3", "--seed", "7");
        Tensor b = run("b", "--method", "smoothgrad", "--nt-base", "ixg", "--stdevs", "0.3", "--seed", "7");
        Tensor c = run("c", "--method", "smoothgrad", "--nt-base", "ixg", "--stdevs", "0.3", "--seed", "8");
        assertTrue(Arrays.equals(a.data(), b.data()), "same seed, same numbers");
        assertFalse(Arrays.equals(a.data(), c.data()), "another seed, other numbers");
    }

    @Test
    void gradientShapWritesOneDeltaPerExampleAndSample() throws Exception {
        Path baselines = write("dist.npy", Oracle.load("mlp/baseline_dist"));
        Tensor attr = run("gs", "--method", "gradshap", "--baselines", baselines.toString(), "--nt-samples", "8",
                "--stdevs", "0.1");
        assertEquals(Oracle.load("mlp/x").shape(), attr.shape());
        JsonNode j = new ObjectMapper().readTree(dir.resolve("gs").resolve("explanation.json").toFile());
        assertEquals("GradientShap", j.get("method").asText());
        assertEquals(4 * 8, j.get("convergenceDelta").size());
    }

    @Test
    void optionsOfOtherMethodsAreRejectedNamingTheirUsers() {
        CliRun r = CliRun.of("explain", "--model", mlp.toString(), "--input",
                write("x.npy", Oracle.load("mlp/x")).toString(), "--method", "saliency", "--stdevs", "0.2");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--stdevs (used by smoothgrad, gradshap)"), r.err());
        assertFalse(r.hasStackTrace(), r.err());

        CliRun missing = CliRun.of("explain", "--model", mlp.toString(), "--input",
                write("x2.npy", Oracle.load("mlp/x")).toString(), "--method", "gradshap");
        assertNotEquals(0, missing.exitCode());
        assertTrue(missing.err().contains("--baselines"), missing.err());
    }
}
