package io.attrib4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.ModelLoadException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.AttentionModel;
import io.attrib4j.engine.model.GradientModel;
import io.attrib4j.engine.model.LayerModel;
import io.attrib4j.engine.model.StagedModel;
import io.attrib4j.engine.export.Npy;
import io.attrib4j.testkit.Oracle;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Models as values: one loader for every format, chosen by the location or named, capabilities by lookup. */
class ModelsTest {
    private static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures");

    @Test
    void theFormatsAreFoundByServiceLoaderInPriorityOrder() {
        assertEquals(List.of("zoo", "tensorflow", "trees", "onnx", "onnx-runtime", "torchscript"),
                Models.formats().stream().map(ModelFormat::name).toList());
    }

    @Test
    void anOnnxFileOpensWithGradientsOrForwardOnlyWhenThatFormatIsNamed() {
        Path mlp = Oracle.modelFile("mlp.onnx");
        float[] v = new float[24];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i % 7 - 3) * 0.4f;
        }
        Tensor x = Tensor.of(v, 2, 12);
        try (LoadedModel ours = Models.load(ModelSpec.of(mlp.toString()));
                LoadedModel ort = Models.load(ModelSpec.of(mlp.toString()).withFormat("onnx-runtime"))) {
            assertEquals("onnx", ours.model().info().format());
            assertTrue(ours.model().capability(GradientModel.class).isPresent());
            assertTrue(ours.model().capability(LayerModel.class).isPresent());
            assertTrue(ours.model().capability(StagedModel.class).isPresent(), "a Gemm/Relu chain has DeepLIFT's stages");
            assertTrue(ort.model().capability(GradientModel.class).isEmpty(), "ONNX Runtime runs forward only");
            // two float32 executors of the same graph (the oracle's check is 1e-5 of the output scale)
            assertArrayEquals(ort.model().forward(x).data(), ours.model().forward(x).data(), 1e-5f);
        }
    }

    @Test
    void anOnnxTransformerHandsOutItsAttentionOutputLikeTheTorchScriptFile() {
        Tensor ids = Npy.read(FIXTURES.resolve("attention_ids.npy"));
        try (LoadedModel onnx = Models.load(ModelSpec.of(FIXTURES.resolve("attention_model.onnx").toString())
                        .withAttentionOutput(1));
                LoadedModel torch = Models.load(ModelSpec.of(FIXTURES.resolve("attention_model.pt").toString())
                        .withAttentionOutput(1))) {
            AttentionModel a = onnx.model().capability(AttentionModel.class).orElseThrow();
            AttentionModel b = torch.model().capability(AttentionModel.class).orElseThrow();
            // float32 sums in another order; probabilities below 1
            assertArrayEquals(b.attention(ids).data(), a.attention(ids).data(), 1e-5f);
            assertTrue(onnx.model().capability(LayerModel.class).isPresent(), "the view forwards the graph's layers");
        }
    }

    @Test
    void aGivenExampleShapeIsCheckedBeforeAnyModelCall() {
        try (LoadedModel m = Models.load(ModelSpec.of(Oracle.modelFile("mlp.pt").toString())
                .withExampleShape(Shape.of(12)))) {
            assertEquals(Shape.of(12), m.model().info().exampleShape().orElseThrow());
            assertTrue(m.model().capability(GradientModel.class).isPresent(), "capabilities survive the wrapper");
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> io.attrib4j.engine.MethodRun.validate(m.model(), Tensor.zeros(Shape.of(1, 5)),
                            io.attrib4j.engine.Target.classIndex(0)));
            assertTrue(e.getMessage().contains("[12]"), e.getMessage());
        }
    }

    @Test
    void badSpecsAreTypedErrorsThatSayWhatToDo() {
        InvalidOptionException format = assertThrows(InvalidOptionException.class,
                () -> Models.load(ModelSpec.of("m.onnx").withFormat("keras")));
        assertTrue(format.getMessage().contains("unknown model format 'keras'")
                && format.getMessage().contains("onnx-runtime"), format.getMessage());
        InvalidOptionException head = assertThrows(InvalidOptionException.class,
                () -> Models.load(ModelSpec.of(Oracle.modelFile("mlp.onnx").toString()).withHead(Path.of("h.pt"))));
        assertTrue(head.getMessage().contains("--layer"), head.getMessage());
        ModelLoadException zoo = assertThrows(ModelLoadException.class, () -> Models.load("zoo:nope"));
        assertTrue(zoo.getMessage().contains("zoo:patch"), zoo.getMessage());
        InvalidOptionException gpu = assertThrows(InvalidOptionException.class,
                () -> Models.load(ModelSpec.of("zoo:patch").withDevice(ModelDevice.GPU)));
        assertTrue(gpu.getMessage().contains("--device gpu"), gpu.getMessage());
        assertThrows(InvalidOptionException.class, () -> ModelSpec.of(" "));
        assertThrows(InvalidOptionException.class, () -> ModelSpec.of("m.pt").withAttentionOutput(0));
    }
}
