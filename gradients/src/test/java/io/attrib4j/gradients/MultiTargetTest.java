package io.attrib4j.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.InvalidTargetException;
import io.attrib4j.engine.MultiTarget;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.testkit.Close;
import io.attrib4j.testkit.ToyModels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Several targets of the same inputs in one batched call equal one call per target. */
class MultiTargetTest {
    private final Tensor x = Tensor.of(new float[] {0.2f, -0.4f, 0.9f, 0.1f, 0.5f, 0.3f, -0.7f, 0.8f}, Shape.of(2, 4));

    @Test
    void oneCallForAllTargetsEqualsOneCallPerTarget() {
        ToyModels.Toy model = ToyModels.tanhMlp(4, 6, 3, 11L);
        IntegratedGradients ig = IntegratedGradients.builder().optSteps(16).build();
        Attribution all = MultiTarget.attribute(ig, model, x, 0, 2);
        assertEquals(Shape.of(4, 4), all.values().shape());
        assertEquals(List.of(4 * 16, 2 * 4), model.callBatchSizes(),
                "one gradient call over every (example, target, step), one forward for the deltas");

        for (int c : new int[] {0, 2}) {
            Attribution one = ig.attribute(model, x, Target.classIndex(c));
            int col = c == 0 ? 0 : 1;
            for (int i = 0; i < 2; i++) {
                Close.relative(one.values().row(i), all.values().row(i * 2 + col), 1e-6, "example " + i + " class " + c);
                assertEquals(one.convergenceDelta().orElseThrow()[i], all.convergenceDelta().orElseThrow()[i * 2 + col],
                        1e-6);
            }
        }
    }

    @Test
    void noTargetIsAnError() {
        ToyModels.Toy model = ToyModels.tanhMlp(4, 6, 3, 11L);
        assertThrows(InvalidTargetException.class, () -> MultiTarget.attribute(Saliency.withDefaults(), model, x));
    }
}
