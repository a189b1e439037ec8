package io.attrib4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ModelGradients;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/** A caller's own block: on a linear layer the input gradient of output t is row t of the weights. */
class DjlBlockModelTest {

    @Test
    void linearBlockGradientIsTheWeightRow() {
        float[] w = {1, -2, 3, 0.5f, 4, -1, 2, 0}; // [2 outputs, 4 inputs]
        float[] b = {0.25f, -0.5f};
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Block linear = Linear.builder().setUnits(2).build();
            linear.initialize(manager, DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 4));
            for (var p : linear.getParameters()) {
                Parameter param = p.getValue();
                param.getArray().set(FloatBuffer.wrap(p.getKey().equals("weight") ? w : b));
            }
            try (DjlBlockModel m = DjlBlockModel.of("linear", linear, Shape.of(4))) {
                Tensor x = Tensor.of(new float[] {1, 2, 3, 4, -1, 0, 1, 2}, 2, 4);
                ModelGradients g = m.gradients(x, Target.perExample(1, 0));
                // row 0 wants output 1: weights row 1; row 1 wants output 0: weights row 0
                assertEquals(x.shape(), g.inputGradient().shape());
                assertArrayEquals(new float[] {4, -1, 2, 0, 1, -2, 3, 0.5f}, g.inputGradient().data(), 0f);
                // y = W x + b, by hand
                assertArrayEquals(
                        new float[] {1 - 4 + 9 + 2 + 0.25f, 4 - 2 + 6 - 0.5f, -1 + 0 + 3 + 1 + 0.25f, -4 + 0 + 2 - 0.5f},
                        g.output().data(), 1e-6f);
                assertEquals("djl-block", m.info().format());
            }
            // the caller still owns the parameters: they survive closing the model
            assertFalse(linear.getParameters().get("weight").getArray().isReleased());
        }
    }

    @Test
    void defaultLayerNamesComeFromDjlAndUnknownNamesAreListed() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            SequentialBlock net = new SequentialBlock().add(Linear.builder().setUnits(3).build()).add(Activation.reluBlock());
            net.initialize(manager, DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 2));
            try (DjlBlockModel m = DjlBlockModel.of("tiny", net, Shape.of(2))) {
                assertEquals(2, m.layers().size());
                InvalidInputException e = assertThrows(InvalidInputException.class, () -> m.layer("fc9"));
                assertTrue(e.getMessage().contains(m.layers().keySet().iterator().next()), e.getMessage());
            }
        }
    }

    @Test
    void uninitializedBlockIsRefused() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> DjlBlockModel.of("raw", Linear.builder().setUnits(2).build(), Shape.of(4)));
        assertTrue(e.getMessage().contains("initialize"), e.getMessage());
    }
}
