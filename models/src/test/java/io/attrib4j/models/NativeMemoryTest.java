package io.attrib4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.BaseNDManager;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.testkit.Oracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * 200 gradient calls (and 50 forward calls) leave the model's native arrays and the process's resident
 * memory flat. Each gradient call allocates about 0.8 MB of native arrays (a [8,3,32,32] input, its
 * gradient, the activations), so leaking them would add ~160 MB, above the RSS bound; and the array
 * count check catches even a single leaked array per call (checked: creating the input in the model's
 * manager instead of the per-call one fails it).
 */
class NativeMemoryTest {

    @Test
    void gradientLoopKeepsNativeMemoryFlat() throws IOException {
        Tensor x = Tensor.concatRows(java.util.Collections.nCopies(4, Oracle.load("cnn/x")));
        Target target = Target.classIndex(3);
        try (TorchScriptModel m = TorchScriptModel.load(Oracle.modelFile("cnn_full.pt"))) {
            BaseNDManager manager = (BaseNDManager) m.djlModel().getNDManager();
            for (int i = 0; i < 20; i++) { // warm-up: allocator pools, lazy initialization
                m.gradients(x, target);
            }
            int arraysBefore = manager.getManagedArrays().size();
            long rssBefore = rssKb();
            for (int i = 0; i < 200; i++) {
                m.gradients(x, target);
                if (i % 4 == 0) {
                    m.forward(x);
                }
            }
            long rssAfter = rssKb();
            assertEquals(arraysBefore, manager.getManagedArrays().size(), "arrays still attached to the model's manager");
            assertTrue(rssAfter - rssBefore < 100_000,
                    "resident memory grew by " + (rssAfter - rssBefore) + " kB over 200 gradient calls");
        }
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
