package io.attrib4j.models.onnx;

import static io.attrib4j.models.onnx.OnnxBuilder.attr;
import static io.attrib4j.models.onnx.OnnxBuilder.in;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.ModelLoadException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.ModelGradients;
import io.attrib4j.testkit.Close;
import io.attrib4j.testkit.Oracle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import onnx.Onnx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ONNX executor against a hand-derived gradient, ONNX Runtime, and Captum's reference numbers. */
class OnnxModelTest {

    /** Axiom first: for y = x W^T + b (Gemm, transB=1) the gradient of y_t is row t of W, for any x. */
    @Test
    void gemmGradientIsTheWeightRow() {
        OnnxBuilder b = new OnnxBuilder(1).input("x", 3);
        float[] w = {1, 2, 3, -4, 5, -6};
        b.output(b.node("Gemm", in("x", b.floats(w, 2, 3), b.floats(new float[] {0.5f, -0.5f}, 2)), attr("transB", 1L)));
        Path file = b.write();
        try (OnnxModel m = OnnxModel.load(file)) {
            Tensor x = Tensor.of(new float[] {0.1f, -2f, 7f, 3f, 0f, 1f}, 2, 3);
            ModelGradients g = m.gradients(x, Target.perExample(1, 0));
            assertArrayEquals(new float[] {-4, 5, -6, 1, 2, 3}, g.inputGradient().data());
            assertArrayEquals(new float[] {0.1f - 4 + 21 + 0.5f, -0.4f - 10 - 42 - 0.5f, 3 + 3 + 0.5f, -12 - 6 - 0.5f},
                    g.output().data(), 1e-5f);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"mlp.onnx, mlp", "cnn_full.onnx, cnn"})
    void forwardMatchesOnnxRuntimeAndTheOracleLogits(String file, String data) {
        Path path = Oracle.modelFile(file);
        Tensor x = Oracle.load(data + "/x");
        try (OnnxModel ours = OnnxModel.load(path); OnnxRuntimeModel ort = OnnxRuntimeModel.load(path)) {
            Tensor reference = ort.forward(x);
            Close.relative(reference, ours.forward(x), 1e-5, file + " vs ONNX Runtime");
            Close.relative(Oracle.load(data + "/logits"), ours.forward(x), 1e-5, file + " vs oracle logits");
            Close.relative(Oracle.load(data + "/logits"), reference, 1e-5, file + " ONNX Runtime vs oracle logits");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"mlp.onnx, mlp", "cnn_full.onnx, cnn"})
    void inputGradientMatchesCaptumSignedSaliency(String file, String data) {
        try (OnnxModel m = OnnxModel.load(Oracle.modelFile(file))) {
            ModelGradients g = m.gradients(Oracle.load(data + "/x"), Target.perExample(Oracle.loadInts(data + "/targets")));
            Close.relative(Oracle.load(data + "/logits"), g.output(), 1e-5, file + " output of the gradient pass");
            Close.relative(Oracle.load(data + "/saliency_signed"), g.inputGradient(), 1e-4, file + " input gradient");
        }
    }

    /** Split at the second ReLU (the Grad-CAM layer): activation and its gradient against Captum's. */
    @Test
    void splitsAtANamedValue() throws Exception {
        Path file = Oracle.modelFile("cnn_full.onnx");
        String secondRelu = Onnx.ModelProto.parseFrom(Files.readAllBytes(file)).getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("Relu")).skip(1).findFirst().orElseThrow().getOutput(0);
        Tensor x = Oracle.load("cnn/x");
        Target t = Target.perExample(Oracle.loadInts("cnn/targets"));
        try (OnnxModel m = OnnxModel.load(file)) {
            assertTrue(m.layerNames().contains(secondRelu), m.layerNames().toString());
            Tensor activation = m.layerActivation(x, secondRelu);
            Close.relative(Oracle.load("cnn/gradcam_layer_activation"), activation, 1e-5, "layer activation");
            ModelGradients g = m.gradientsFromLayer(secondRelu, activation, t);
            Close.relative(Oracle.load("cnn/logits"), g.output(), 1e-5, "output from the layer");
            Close.relative(Oracle.load("cnn/gradcam_layer_grad"), g.inputGradient(), 1e-4, "layer gradient");
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> m.layerActivation(x, "nope"));
            assertTrue(e.getMessage().contains("no value named 'nope'"), e.getMessage());
        }
    }

    @Test
    void infoNamesTheFileHashesItsBytesAndReadsTheExampleShape() throws Exception {
        Path file = Oracle.modelFile("cnn_full.onnx");
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        try (OnnxModel m = OnnxModel.load(file); OnnxRuntimeModel ort = OnnxRuntimeModel.load(file)) {
            for (var info : List.of(m.info(), ort.info())) {
                assertEquals("cnn_full.onnx", info.name());
                assertEquals("onnx", info.format());
                assertEquals(expected, info.contentHash());
                assertEquals(Shape.of(3, 32, 32), info.exampleShape().orElseThrow());
            }
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> m.forward(Tensor.zeros(Shape.of(1, 3, 16, 16))));
            assertTrue(e.getMessage().contains("[3, 32, 32]"), e.getMessage());
        }
    }

    @Test
    void unsupportedOperatorIsRefusedNamingOperatorNodeAndTheForwardOnlyRoute() {
        OnnxBuilder b = new OnnxBuilder(2).input("x", 4);
        b.output(b.node("NonMaxSuppression", in("x", "x")));
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class, () -> OnnxModel.load(b.write()));
        assertTrue(e.getMessage().contains("NonMaxSuppression"), e.getMessage());
        assertTrue(e.getMessage().contains("NonMaxSuppression_1"), e.getMessage());
        assertTrue(e.getMessage().contains("OnnxRuntimeModel"), e.getMessage());
        assertTrue(e.getMessage().contains("TorchScript"), e.getMessage());
    }

    /** The forward-only fallback keeps the refusal, so a gradient method can name the operator and node. */
    @Test
    void forwardOnlyFallbackKeepsWhyGradientsAreMissing() {
        OnnxBuilder b = new OnnxBuilder(4).input("x", 4);
        b.output(b.node("Round", in(b.node("MatMul", in("x", b.random(1f, 4, 2))))));
        Path file = b.write();
        UnsupportedModelException refusal = assertThrows(UnsupportedModelException.class, () -> OnnxModel.load(file));
        try (OnnxRuntimeModel plain = OnnxRuntimeModel.load(file);
                OnnxRuntimeModel fallback = OnnxRuntimeModel.loadForwardOnly(file, refusal)) {
            assertTrue(plain.whyNoGradients().isEmpty());
            String why = fallback.whyNoGradients().orElseThrow();
            assertTrue(why.contains("Round") && why.contains("Round_3") && why.contains("TorchScript"), why);
            Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 4);
            assertArrayEquals(plain.forward(x).data(), fallback.forward(x).data());
        }
        // through the model loader: the ONNX format falls back, and a gradient method names the operator
        try (io.attrib4j.models.LoadedModel m = io.attrib4j.models.Models.load(file.toString())) {
            UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                    () -> io.attrib4j.engine.model.Models.requireGradients(m.model(), "IntegratedGradients"));
            assertTrue(e.getMessage().contains("Round_3") && e.getMessage().contains("TorchScript"), e.getMessage());
        }
    }

    @Test
    void corruptFilesRaiseModelLoadException() throws Exception {
        byte[] whole = Files.readAllBytes(Oracle.modelFile("mlp.onnx"));
        Path truncated = Files.createTempFile("attrib4j-truncated", ".onnx");
        Files.write(truncated, Arrays.copyOf(whole, whole.length / 2));
        Path text = Files.createTempFile("attrib4j-text", ".onnx");
        Files.writeString(text, "this is not an ONNX model\n");
        try {
            for (Path p : List.of(truncated, text)) {
                ModelLoadException e = assertThrows(ModelLoadException.class, () -> OnnxModel.load(p));
                assertTrue(e.getMessage().contains(p.getFileName().toString()), e.getMessage());
                assertThrows(ModelLoadException.class, () -> OnnxRuntimeModel.load(p));
            }
            ModelLoadException missing = assertThrows(ModelLoadException.class,
                    () -> OnnxModel.load(truncated.resolveSibling("absent.onnx")));
            assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        } finally {
            Files.deleteIfExists(truncated);
            Files.deleteIfExists(text);
        }
    }
}
