package io.attrib4j.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.export.Npy;
import io.attrib4j.models.OutputAttentionModel;
import io.attrib4j.models.TorchScriptModel;
import io.attrib4j.models.onnx.OnnxModel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Attention captured from a real TorchScript transformer (2 layers, 2 heads, 8 tokens, vocabulary 20) that
 * returns {@code (logits, attentions)}, against the attentions PyTorch recorded and the float64 numpy rollout,
 * both written by {@code models/src/test/resources/fixtures/make_attention_model.py}.
 */
class TorchScriptAttentionTest {
    static final Path FIXTURES = Path.of("..", "models", "src", "test", "resources", "fixtures");

    private static OutputAttentionModel model(int k) {
        return OutputAttentionModel.of(TorchScriptModel.load(FIXTURES.resolve("attention_model.pt")), k);
    }

    @Test
    void capturesTheAttentionPyTorchRecordedAndRollsItOutLikeNumpy() {
        Tensor ids = Npy.read(FIXTURES.resolve("attention_ids.npy"));
        Tensor expected = Npy.read(FIXTURES.resolve("attention_probs.npy"));
        Tensor reference = Npy.read(FIXTURES.resolve("attention_rollout.npy"));
        try (OutputAttentionModel m = model(1)) {
            Tensor attention = m.attention(ids);
            assertEquals(Shape.of(2, 2, 2, 8, 8), attention.shape());
            assertArrayEquals(expected.data(), attention.data(), 1e-6f);
            Tensor rollout = AttentionRollout.withDefaults().rollout(attention).rollout();
            assertEquals(Shape.of(2, 8, 8), rollout.shape());
            assertArrayEquals(reference.data(), rollout.data(), 1e-6f);
            assertTrue(rollout.maxAbs() > 0.2, "the reference is not all zeros");
        }
    }

    @Test
    void theOnnxExportOfTheSameModelGivesTheSameAttentionAndRollout() {
        Tensor ids = Npy.read(FIXTURES.resolve("attention_ids.npy"));
        Tensor expected = Npy.read(FIXTURES.resolve("attention_probs.npy"));
        try (OutputAttentionModel onnx = OutputAttentionModel.of(OnnxModel.load(FIXTURES.resolve("attention_model.onnx")), 1);
                OutputAttentionModel torch = model(1)) {
            Tensor fromOnnx = onnx.attention(ids);
            // float32 executors that order the same sums differently: PyTorch's attention probabilities are
            // below 1, and the two agree to a few float32 ulps of 1
            assertArrayEquals(expected.data(), fromOnnx.data(), 1e-5f);
            Tensor a = AttentionRollout.withDefaults().rollout(fromOnnx).rollout();
            Tensor b = AttentionRollout.withDefaults().rollout(torch.attention(ids)).rollout();
            assertArrayEquals(b.data(), a.data(), 1e-5f);
            assertArrayEquals(torch.forward(ids).data(), onnx.forward(ids).data(), 1e-5f);
        }
    }

    @Test
    void attentionOutputOutOfRangeIsATypedError() {
        Tensor ids = Npy.read(FIXTURES.resolve("attention_ids.npy"));
        try (OutputAttentionModel m = model(2)) {
            InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> m.attention(ids));
            assertTrue(e.getMessage().contains("--attention-output"), e.getMessage());
        }
    }
}
