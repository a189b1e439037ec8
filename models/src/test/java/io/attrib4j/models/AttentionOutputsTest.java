package io.attrib4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttentionOutputsTest {
    private static final Tensor LOGITS = Tensor.zeros(Shape.of(1, 2));

    @Test
    void aFiveDimensionalOutputIsTakenAsIs() {
        Tensor a = Tensor.filled(Shape.of(2, 1, 2, 3, 3), 1f / 3);
        assertSame(a, AttentionOutputs.select(List.of(LOGITS, a), 1, "m"));
    }

    @Test
    void perLayerOutputsAreStackedInOrder() {
        Tensor l0 = Tensor.filled(Shape.of(1, 1, 2, 2), 0.5f);
        Tensor l1 = Tensor.of(new float[] {1, 0, 0, 1}, 1, 1, 2, 2);
        Tensor a = AttentionOutputs.select(List.of(LOGITS, l0, l1), 1, "m");
        assertEquals(Shape.of(2, 1, 1, 2, 2), a.shape());
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f, 0.5f, 1, 0, 0, 1}, a.data());
    }

    @Test
    void outOfRangeIndexIsAnOptionError() {
        InvalidOptionException e = assertThrows(InvalidOptionException.class,
                () -> AttentionOutputs.select(List.of(LOGITS), 1, "m"));
        assertTrue(e.getMessage().contains("has 1 output (0 to 0)"), e.getMessage());
        assertThrows(InvalidOptionException.class, () -> AttentionOutputs.select(List.of(LOGITS), -1, "m"));
    }

    @Test
    void inconsistentOrWrongShapesAreInputErrors() {
        Tensor l0 = Tensor.filled(Shape.of(1, 1, 2, 2), 0.5f);
        Tensor l1 = Tensor.filled(Shape.of(1, 1, 3, 3), 1f / 3);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> AttentionOutputs.select(List.of(LOGITS, l0, l1), 1, "m"));
        assertTrue(e.getMessage().contains("inconsistent shapes"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> AttentionOutputs.select(List.of(LOGITS), 0, "m"));
    }

    @Test
    void torchScriptAttentionOutputOutOfRangeIsAnOptionError() {
        try (OutputAttentionModel m = OutputAttentionModel.of(
                TorchScriptModel.load(io.attrib4j.testkit.Oracle.modelFile("mlp.pt")), 1)) {
            Tensor x = io.attrib4j.testkit.Oracle.load("mlp/x");
            InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> m.attention(x));
            assertTrue(e.getMessage().contains("attention output 1 is out of range"), e.getMessage());
            assertThrows(io.attrib4j.engine.UnsupportedModelException.class,
                    () -> m.attentionGradients(x, io.attrib4j.engine.Target.classIndex(0)));
        }
    }
}
