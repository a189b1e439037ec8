package io.attrib4j.models;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidTargetException;
import io.attrib4j.engine.ModelExecutionException;
import io.attrib4j.engine.ModelLoadException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.testkit.Oracle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad files, inputs and targets give typed errors that say what is wrong. */
class ModelErrorsTest {
    @TempDir
    Path tmp;

    @Test
    void missingFile() {
        Path p = tmp.resolve("nope.pt");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> TorchScriptModel.load(p));
        assertMentions(e, p.toString(), "does not exist");
    }

    @Test
    void directory() {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> TorchScriptModel.load(tmp));
        assertMentions(e, tmp.toString(), "directory");
    }

    @Test
    void corruptFile() throws Exception {
        byte[] junk = new byte[4096];
        new SplittableRandom(7).nextBytes(junk);
        Path p = Files.write(tmp.resolve("junk.pt"), junk);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> TorchScriptModel.load(p));
        assertMentions(e, p.toString(), "torch.jit.save");
    }

    @Test
    void wrongInputShapeFromTheEngine() {
        try (TorchScriptModel m = TorchScriptModel.load(Oracle.modelFile("mlp.pt"))) {
            Tensor bad = Tensor.zeros(Shape.of(4, 13));
            ModelExecutionException f = assertThrows(ModelExecutionException.class, () -> m.forward(bad));
            assertMentions(f, "mlp.pt", "[4, 13]");
            ModelExecutionException g = assertThrows(ModelExecutionException.class,
                    () -> m.gradients(bad, Target.classIndex(0)));
            assertMentions(g, "mlp.pt", "[4, 13]");
            // the model still works after the failure (the collector was released)
            m.gradients(Oracle.load("mlp/x"), Target.classIndex(0));
        }
    }

    @Test
    void wrongInputShapeCheckedEarlyWhenTheShapeIsKnown() {
        try (TorchScriptModel m = TorchScriptModel.load(Oracle.modelFile("mlp.pt"), Shape.of(12))) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> m.forward(Tensor.zeros(Shape.of(4, 13))));
            assertMentions(e, "[4, 13]", "[12]");
        }
    }

    @Test
    void targetOutOfRange() {
        try (TorchScriptModel m = TorchScriptModel.load(Oracle.modelFile("mlp.pt"))) {
            InvalidTargetException e = assertThrows(InvalidTargetException.class,
                    () -> m.gradients(Oracle.load("mlp/x"), Target.classIndex(7)));
            assertMentions(e, "7", "3 outputs");
            m.gradients(Oracle.load("mlp/x"), Target.classIndex(2)); // still usable
        }
    }

    @Test
    void integerInputHasNoGradient() {
        try (TorchScriptModel m = TorchScriptModel.load(Oracle.modelFile("mlp.pt"))) {
            Tensor ids = Tensor.ofInt64(new long[12], Shape.of(1, 12));
            UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                    () -> m.gradients(ids, Target.classIndex(0)));
            assertMentions(e, "INT64", "embedding");
        }
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message should mention '" + p + "': " + e.getMessage());
        }
    }
}
