package io.attrib4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.export.Npy;
import io.attrib4j.engine.spec.MethodDocs;
import io.attrib4j.testkit.Oracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line speaks method specs: flags and the text form are two spellings of the same method. */
class SpecCommandTest {
    private static final Path FIXTURES = Path.of("..", "models", "src", "test", "resources", "fixtures");

    @TempDir
    Path dir;

    private Path input() {
        Path x = dir.resolve("x.npy");
        Npy.write(x, Oracle.load("mlp/x"));
        return x;
    }

    private Tensor explain(String name, String... method) {
        Path out = dir.resolve(name);
        String[] args = new String[9 + method.length];
        System.arraycopy(new String[] {"explain", "--model", Oracle.modelFile("mlp.onnx").toString(), "--input",
                input().toString(), "--target", "0,1,2,1", "--out", out.toString()}, 0, args, 0, 9);
        System.arraycopy(method, 0, args, 9, method.length);
        CliRun r = CliRun.of(args);
        assertEquals(0, r.exitCode(), r.err());
        return Npy.read(out.resolve("attributions.npy"));
    }

    @Test
    void aSpecAndTheSameFlagsGiveTheSameAttributionsBitForBit() throws IOException {
        Tensor flags = explain("flags", "--method", "ig", "--steps", "16", "--rule", "riemann_trapezoid");
        Tensor spec = explain("spec", "--method", "ig(steps=16, rule=riemann_trapezoid)");
        assertArrayEquals(flags.data(), spec.data());
        Tensor other = explain("other", "--method", "ig(steps=16, rule=riemann_left)");
        assertFalse(java.util.Arrays.equals(flags.data(), other.data()), "the rule reaches the method");
        String json = Files.readString(dir.resolve("spec").resolve("explanation.json"));
        assertTrue(json.contains("riemann_trapezoid"), json);
        Tensor tunnel = explain("tunnel", "--method", "smoothgrad(base=ig(steps=4), samples=2, stdevs=0.1)");
        Tensor tunnelFlags = explain("tunnelflags", "--method", "smoothgrad", "--nt-base", "ig", "--steps", "4",
                "--nt-samples", "2", "--stdevs", "0.1");
        assertArrayEquals(tunnelFlags.data(), tunnel.data(), "nested specs and --nt-base flags are one method");
    }

    @Test
    void aFlagTheMethodDoesNotTakeOrGivesTwiceIsAOneLineError() {
        CliRun notTaken = CliRun.of("explain", "--model", Oracle.modelFile("mlp.onnx").toString(), "--input",
                input().toString(), "--method", "saliency", "--steps", "8", "--out", dir.resolve("a").toString());
        assertEquals(Main.EXIT_USAGE, notTaken.exitCode());
        assertTrue(notTaken.err().contains("does not take --steps (used by"), notTaken.err());
        assertFalse(notTaken.hasStackTrace());
        CliRun twice = CliRun.of("explain", "--model", Oracle.modelFile("mlp.onnx").toString(), "--input",
                input().toString(), "--method", "ig(steps=8)", "--steps", "8", "--out", dir.resolve("b").toString());
        assertEquals(Main.EXIT_USAGE, twice.exitCode());
        assertTrue(twice.err().contains("set the same option"), twice.err());
        CliRun unknown = CliRun.of("explain", "--model", Oracle.modelFile("mlp.onnx").toString(), "--input",
                input().toString(), "--method", "ig(stepz=8)", "--out", dir.resolve("c").toString());
        assertEquals(Main.EXIT_USAGE, unknown.exitCode());
        assertTrue(unknown.err().contains("has no option 'stepz'; its options are steps"), unknown.err());
    }

    @Test
    void rolloutOnAnOnnxTransformerMatchesTheTorchScriptFile() {
        Path ids = FIXTURES.resolve("attention_ids.npy");
        Path onnx = dir.resolve("onnx");
        Path torch = dir.resolve("torch");
        for (String[] run : new String[][] {{"attention_model.onnx", onnx.toString()},
                {"attention_model.pt", torch.toString()}}) {
            CliRun r = CliRun.of("explain", "--model", FIXTURES.resolve(run[0]).toString(), "--input", ids.toString(),
                    "--method", "rollout", "--attention-output", "1", "--out", run[1]);
            assertEquals(0, r.exitCode(), r.err());
        }
        // two float32 executors of the same graph; rollout values are below 1
        assertArrayEquals(Npy.read(torch.resolve("attributions.npy")).data(),
                Npy.read(onnx.resolve("attributions.npy")).data(), 1e-5f);
        assertArrayEquals(Npy.read(torch.resolve("rollout.npy")).data(), Npy.read(onnx.resolve("rollout.npy")).data(),
                1e-5f);
    }

    @Test
    void theMethodsCommandAndTheReadmeTableComeFromTheRegistry() throws IOException {
        CliRun r = CliRun.of("methods", "--markdown");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(MethodDocs.markdown(), r.out());
        String readme = Files.readString(Path.of("..", "README.md"));
        int from = readme.indexOf("<!-- methods:begin -->\n");
        int to = readme.indexOf("<!-- methods:end -->");
        assertTrue(from >= 0 && to > from, "README.md has the methods table between its markers");
        Files.writeString(Path.of("target", "methods.md"), MethodDocs.markdown()); // what to paste when stale
        assertEquals(MethodDocs.markdown(), readme.substring(from + "<!-- methods:begin -->\n".length(), to),
                "the README's methods table is stale: paste the output of ./attrib4j methods --markdown");
        CliRun one = CliRun.of("methods", "ig");
        assertTrue(one.out().startsWith("ig: Integrated Gradients"), one.out());
        assertTrue(one.out().contains("steps"), one.out());
    }
}
