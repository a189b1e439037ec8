package io.attrib4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.attrib4j.engine.backend.BackendProvider;
import io.attrib4j.engine.backend.Backends;
import io.attrib4j.engine.export.Npy;
import io.attrib4j.models.ModelDevice;
import io.attrib4j.testkit.Oracle;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --backend cpu|cuda|auto} (the attribution arithmetic) and {@code --device cpu|gpu|auto} (the model):
 * on a machine without a GPU, {@code cuda} and {@code gpu} fail with a message naming the fix, and
 * {@code auto} falls back to the CPU with the same numbers.
 */
class DeviceOptionsTest {
    @TempDir
    Path dir;

    private String[] explain(String... extra) {
        Path x = dir.resolve("x.npy");
        Npy.write(x, Oracle.load("mlp/x"));
        String[] base = {"explain", "--model", Oracle.modelFile("mlp.pt").toString(), "--input", x.toString(),
            "--target", "1", "--out", dir.resolve("out").toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return args;
    }

    private static String cudaUnavailableReason() {
        return Backends.providers().stream().filter(p -> p.id().equals("cuda")).findFirst()
                .map(BackendProvider::unavailableReason).orElse("no cuda provider on the class path");
    }

    @Test
    void backendCudaWithoutAGpuIsAClearError() {
        String why = cudaUnavailableReason();
        assumeTrue(why != null, "a CUDA GPU is present: --backend cuda works here");
        CliRun r = CliRun.of(explain("--backend", "cuda"));
        assertEquals(Main.EXIT_FAILURE, r.exitCode(), r.err());
        assertTrue(r.err().contains("CUDA") && r.err().contains("--backend cpu"), r.err());
        assertFalse(r.hasStackTrace(), r.err());
    }

    @Test
    void backendAutoPicksTheCpuWithoutAGpuAndGivesTheCpuNumbers() throws Exception {
        assumeTrue(cudaUnavailableReason() != null, "a CUDA GPU is present: auto picks it");
        CliRun auto = CliRun.of(explain("--backend", "auto"));
        assertEquals(0, auto.exitCode(), auto.err());
        String backend = new ObjectMapper().readTree(dir.resolve("out/explanation.json").toFile())
                .at("/backend").asText();
        assertEquals("cpu-nd4j", backend);
        float[] viaAuto = Npy.read(dir.resolve("out/attributions.npy")).data();
        CliRun cpu = CliRun.of(explain("--backend", "cpu"));
        assertEquals(0, cpu.exitCode(), cpu.err());
        assertEquals(java.util.Arrays.toString(viaAuto),
                java.util.Arrays.toString(Npy.read(dir.resolve("out/attributions.npy")).data()));
    }

    @Test
    void deviceGpuWithoutACudaPyTorchIsAUsageErrorNamingTheFix() {
        assumeTrue(ModelDevice.gpuCount() == 0, "PyTorch sees a GPU here: --device gpu works");
        CliRun r = CliRun.of(explain("--device", "gpu"));
        assertEquals(Main.EXIT_USAGE, r.exitCode(), r.err());
        assertTrue(r.err().contains("-Pgpu") && r.err().contains("--device cpu"), r.err());
        assertFalse(r.hasStackTrace(), r.err());
    }

    @Test
    void deviceAutoRunsOnTheCpuWithoutAGpu() {
        assumeTrue(ModelDevice.gpuCount() == 0, "PyTorch sees a GPU here: auto picks it");
        CliRun r = CliRun.of(explain("--device", "auto"));
        assertEquals(0, r.exitCode(), r.err());
    }

    @Test
    void deviceGpuWithACpuOnlyModelSaysWhichModelsCanUseIt() {
        String[] args = explain("--device", "gpu");
        args[2] = "zoo:patch";
        CliRun r = CliRun.of(args);
        assertEquals(Main.EXIT_USAGE, r.exitCode(), r.err());
        assertTrue(r.err().contains("zoo:patch") && r.err().contains("drop --device gpu"), r.err());
    }

    @Test
    void unknownDeviceListsTheChoices() {
        CliRun r = CliRun.of(explain("--device", "tpu"));
        assertEquals(Main.EXIT_USAGE, r.exitCode(), r.err());
        assertTrue(r.err().contains("'tpu'") && r.err().contains("cpu, gpu, auto"), r.err());
    }
}
