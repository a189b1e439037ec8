package io.attrib4j.models.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidTargetException;
import io.attrib4j.engine.ModelExecutionException;
import io.attrib4j.engine.ModelLoadException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.Backends;
import io.attrib4j.engine.model.LayerGradients;
import io.attrib4j.engine.model.ModelGradients;
import io.attrib4j.testkit.Close;
import io.attrib4j.testkit.Oracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oracle's {@code mlp}, exported as a SavedModel by TensorFlow Java ({@link DenseSavedModel}) and
 * loaded back: forward and input gradients equal PyTorch's (the oracle logits and Captum's signed
 * saliency, which the TorchScript and DJL models also match), the gradient equals central finite
 * differences, layers split the model, and bad input fails with typed errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TensorFlowModelTest {
    @TempDir
    static Path tmp;

    private Path dir;
    private TensorFlowModel model;
    private final Tensor x = Oracle.load("mlp/x");
    private final Target targets = Target.perExample(Oracle.loadInts("mlp/targets"));

    /** The oracle mlp's weights ({@code fc1..fc3}, PyTorch layout) as a SavedModel in {@code dir}. */
    static Path exportOracleMlp(Path dir) {
        List<Tensor> w = IntStream.rangeClosed(1, 3).mapToObj(l -> Oracle.load("mlp/weights/fc" + l + ".weight")).toList();
        List<Tensor> b = IntStream.rangeClosed(1, 3).mapToObj(l -> Oracle.load("mlp/weights/fc" + l + ".bias")).toList();
        return DenseSavedModel.export(dir, w, b);
    }

    @BeforeAll
    void export() {
        dir = exportOracleMlp(tmp.resolve("mlp_savedmodel"));
        model = TensorFlowModel.load(dir);
    }

    @AfterAll
    void close() {
        model.close();
    }

    @Test
    void infoNamesTheDirectoryFormatAndExampleShape() {
        assertEquals("mlp_savedmodel", model.info().name());
        assertEquals("tensorflow-savedmodel", model.info().format());
        assertEquals(Shape.of(12), model.info().exampleShape().orElseThrow());
        assertTrue(model.info().contentHash().matches("[0-9a-f]{64}"), model.info().contentHash());
    }

    @Test
    void contentHashFollowsTheFilesNotTheLocation() throws IOException {
        Path copy = tmp.resolve("copy");
        try (var files = Files.walk(dir)) {
            for (Path p : files.toList()) {
                Files.copy(p, copy.resolve(dir.relativize(p).toString()));
            }
        }
        assertEquals(model.info().contentHash(), SavedModelHash.of(copy));
        Files.writeString(copy.resolve("extra.txt"), "x");
        assertNotEquals(model.info().contentHash(), SavedModelHash.of(copy));
    }

    @Test
    void forwardEqualsTheOracleLogits() {
        Close.relative(Oracle.load("mlp/logits"), model.forward(x), 1e-5, "TF forward vs PyTorch logits");
    }

    @Test
    void inputGradientsEqualCaptumSignedSaliency() {
        ModelGradients g = model.gradients(x, targets);
        Close.relative(Oracle.load("mlp/logits"), g.output(), 1e-5, "output of the gradient pass");
        Close.relative(Oracle.load("mlp/saliency_signed"), g.inputGradient(), 1e-4, "TF gradient vs Captum saliency");
    }

    @Test
    void inputGradientsEqualCentralFiniteDifferences() {
        int[] t = Oracle.loadInts("mlp/targets");
        Tensor grad = model.gradients(x, targets).inputGradient();
        float h = 1e-2f; // the mlp is piecewise linear; no ReLU of these inputs is within h of its kink
        float[] fd = new float[x.data().length];
        for (int j = 0; j < fd.length; j++) {
            float[] plus = x.data().clone();
            float[] minus = x.data().clone();
            plus[j] += h;
            minus[j] -= h;
            Tensor fPlus = model.forward(Tensor.of(plus, x.shape()));
            Tensor fMinus = model.forward(Tensor.of(minus, x.shape()));
            int row = j / 12;
            int k = row * 3 + t[row];
            fd[j] = (fPlus.data()[k] - fMinus.data()[k]) / (2 * h);
        }
        Close.relative(Tensor.of(fd, x.shape()), grad, 1e-3, "TF gradient vs central differences");
    }

    @Test
    void batchedGradientsEqualOneRowAtATime() {
        int[] t = Oracle.loadInts("mlp/targets");
        Tensor batched = model.gradients(x, targets).inputGradient();
        for (int i = 0; i < x.batch(); i++) {
            float[] row = java.util.Arrays.copyOfRange(x.data(), i * 12, (i + 1) * 12);
            Tensor single = model.gradients(Tensor.of(row, 1, 12), Target.classIndex(t[i])).inputGradient();
            float[] want = java.util.Arrays.copyOfRange(batched.data(), i * 12, (i + 1) * 12);
            Close.absolute(want, single.data(), 1e-7, "row " + i);
        }
    }

    @Test
    void layersAreTheGraphOperationsBetweenInputAndOutput() {
        assertEquals(List.of("matmul1", "fc1", "relu1", "matmul2", "fc2", "relu2", "matmul3", "fc3", "logits"),
                model.layerNames());
    }

    @Test
    void gradientAtTheLastHiddenLayerIsTheTargetRowOfTheLastWeight() {
        int[] t = Oracle.loadInts("mlp/targets");
        Tensor w3 = Oracle.load("mlp/weights/fc3.weight"); // [3, 32]: d logits_t / d relu2 = W3[t, :]
        LayerGradients g = model.layerGradients(x, "relu2", targets);
        float[] want = new float[x.batch() * 32];
        for (int i = 0; i < x.batch(); i++) {
            System.arraycopy(w3.data(), t[i] * 32, want, i * 32, 32);
        }
        assertEquals(Shape.of(4, 32), g.activation().shape());
        Close.absolute(want, g.gradient().data(), 1e-7, "gradient at relu2");
        Close.relative(Oracle.load("mlp/logits"), g.output(), 1e-5, "output from the layer");
        for (float a : g.activation().data()) {
            assertTrue(a >= 0, "relu2 activations are non-negative");
        }
    }

    @Test
    void ndj4AndTensorFlowShareOneJvm() {
        model.forward(x); // TensorFlow's natives are loaded
        Backend cpu = Backends.get("cpu");
        Tensor sum = cpu.add(Tensor.of(new float[] {1, 2}, 1, 2), Tensor.of(new float[] {3, 5}, 1, 2));
        Close.absolute(new float[] {4, 7}, sum.data(), 0, "ND4J add after TensorFlow");
        Close.relative(Oracle.load("mlp/saliency_signed"), model.gradients(x, targets).inputGradient(), 1e-4,
                "TF gradient after ND4J");
    }

    @Test
    void wrongInputWidthIsAModelExecutionErrorNamingBothShapes() {
        ModelExecutionException e = assertThrows(ModelExecutionException.class,
                () -> model.forward(Tensor.zeros(Shape.of(2, 13))));
        assertTrue(e.getMessage().contains("[2, 13]") && e.getMessage().contains("12"), e.getMessage());
        assertThrows(ModelExecutionException.class, () -> model.gradients(Tensor.zeros(Shape.of(2, 3, 4)), Target.classIndex(0)));
    }

    @Test
    void badTargetsAndLayersAreTypedErrors() {
        assertThrows(InvalidTargetException.class, () -> model.gradients(x, Target.classIndex(3)));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> model.layerActivation(x, "conv9"));
        assertTrue(e.getMessage().contains("relu1"), e.getMessage());
    }

    @Test
    void missingOrNonSavedModelPathsAreModelLoadErrors() throws IOException {
        ModelLoadException missing = assertThrows(ModelLoadException.class,
                () -> TensorFlowModel.load(tmp.resolve("nowhere")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        ModelLoadException notSaved = assertThrows(ModelLoadException.class, () -> TensorFlowModel.load(empty));
        assertTrue(notSaved.getMessage().contains("saved_model.pb"), notSaved.getMessage());
        Path garbage = Files.createDirectories(tmp.resolve("garbage"));
        Files.write(garbage.resolve("saved_model.pb"), new byte[] {1, 2, 3, 4, 5});
        assertThrows(ModelLoadException.class, () -> TensorFlowModel.load(garbage));
        Path file = Files.writeString(tmp.resolve("model.pb"), "x");
        assertThrows(ModelLoadException.class, () -> TensorFlowModel.load(file));
        ModelLoadException signature = assertThrows(ModelLoadException.class,
                () -> TensorFlowModel.load(dir, "no_such_signature"));
        assertTrue(signature.getMessage().contains("serving_default"), signature.getMessage());
    }

    /**
     * 400 gradient calls on a [512, 12] batch feed and fetch about 100 kB of TensorFlow tensors each, so
     * leaking them would add about 40 MB of resident memory; it must stay within 20 MB.
     */
    @Test
    void gradientLoopKeepsNativeMemoryFlat() throws IOException {
        Tensor big = Tensor.concatRows(java.util.Collections.nCopies(128, x));
        Target target = Target.classIndex(1);
        for (int i = 0; i < 50; i++) { // warm-up: allocator pools, session caches
            model.gradients(big, target);
        }
        long before = rssKb();
        for (int i = 0; i < 400; i++) {
            model.gradients(big, target);
        }
        long grown = rssKb() - before;
        assertTrue(grown < 20_000, "resident memory grew by " + grown + " kB over 400 gradient calls");
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
