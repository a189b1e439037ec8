package io.attrib4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.testkit.Oracle;
import org.junit.jupiter.api.Test;

/** {@code --device}: parsing, AUTO's fallback, and GPU's error where PyTorch sees no GPU. */
class ModelDeviceTest {

    @Test
    void parsesTheThreeChoicesInAnyCase() {
        assertEquals(ModelDevice.CPU, ModelDevice.parse("cpu"));
        assertEquals(ModelDevice.GPU, ModelDevice.parse("GPU"));
        assertEquals(ModelDevice.AUTO, ModelDevice.parse(" Auto "));
    }

    @Test
    void anythingElseNamesTheChoices() {
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> ModelDevice.parse("cuda:1"));
        assertTrue(e.getMessage().contains("cpu, gpu, auto"), e.getMessage());
        assertThrows(InvalidOptionException.class, () -> ModelDevice.parse(null));
    }

    @Test
    void autoIsTheCpuWhenPyTorchSeesNoGpu() {
        assumeTrue(ModelDevice.gpuCount() == 0, "PyTorch sees a GPU: AUTO picks it");
        assertFalse(ModelDevice.AUTO.djl().isGpu());
    }

    @Test
    void gpuWithoutOneFailsBeforeLoadingWithTheFix() {
        assumeTrue(ModelDevice.gpuCount() == 0, "PyTorch sees a GPU: --device gpu works here");
        InvalidOptionException e = assertThrows(InvalidOptionException.class,
                () -> TorchScriptModel.load(Oracle.modelFile("mlp.pt"), ModelDevice.GPU));
        assertTrue(e.getMessage().contains("-Pgpu") && e.getMessage().contains("--device cpu"), e.getMessage());
    }

    @Test
    void aTorchScriptModelOnTheGpuGivesTheCpuOutputs() {
        assumeTrue(ModelDevice.gpuCount() > 0, "PyTorch sees no GPU (CPU natives or no NVIDIA driver): "
                + "the GPU model test runs on a GPU machine with mvn -Pgpu");
        try (TorchScriptModel cpu = TorchScriptModel.load(Oracle.modelFile("mlp.pt"));
             TorchScriptModel gpu = TorchScriptModel.load(Oracle.modelFile("mlp.pt"), ModelDevice.GPU)) {
            float[] a = cpu.forward(Oracle.load("mlp/x")).data();
            float[] b = gpu.forward(Oracle.load("mlp/x")).data();
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-5 * Math.max(1, Math.abs(a[i])), "output " + i);
            }
        }
    }
}
