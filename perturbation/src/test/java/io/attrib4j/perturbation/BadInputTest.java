package io.attrib4j.perturbation;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.AttributionException;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.testkit.ToyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad options and inputs give typed errors that say what is wrong and what to do, before any model call. */
class BadInputTest {
    private final ToyModels.Toy model = ToyModels.linear(new double[][] {new double[16]}, new double[1]);
    private final Tensor image = Tensor.zeros(Shape.of(1, 1, 4, 4));

    private static void fails(Class<? extends AttributionException> type, String mentions, Executable call) {
        AttributionException e = assertThrows(type, call);
        assertTrue(e.getMessage().contains(mentions), e.getMessage());
    }

    @Test
    void windowLargerThanInput() {
        Occlusion o = Occlusion.builder().setSlidingWindowShape(1, 5, 2).build();
        fails(InvalidInputException.class, "no larger than the input", () -> o.attribute(model, image, Target.classIndex(0)));
        assertTrue(model.callBatchSizes().isEmpty());
    }

    @Test
    void windowOfWrongRankOrMissing() {
        Occlusion o = Occlusion.builder().setSlidingWindowShape(2, 2).build();
        fails(InvalidOptionException.class, "one entry per example dimension",
                () -> o.attribute(model, image, Target.classIndex(0)));
        fails(InvalidOptionException.class, "setSlidingWindowShape", () -> Occlusion.builder().build());
    }

    @Test
    void strideBelowOneOrLargerThanWindow() {
        fails(InvalidOptionException.class, "stride = 0",
                () -> Occlusion.builder().setSlidingWindowShape(1, 2, 2).optStrides(0).build());
        Occlusion wide = Occlusion.builder().setSlidingWindowShape(1, 2, 2).optStrides(1, 3, 1).build();
        fails(InvalidOptionException.class, "larger than the window",
                () -> wide.attribute(model, image, Target.classIndex(0)));
    }

    @Test
    void maskOfWrongShapeOrNonIntegerIds() {
        Tensor flat = Tensor.zeros(Shape.of(2, 8));
        Tensor badMask = Tensor.ofInt64(new long[] {0, 1, 2}, Shape.of(3));
        fails(InvalidInputException.class, "does not fit input shape", () -> FeatureAblation.builder()
                .optFeatureMask(badMask).build().attribute(model, Tensor.zeros(Shape.of(2, 16)), Target.classIndex(0)));
        Tensor fractional = Tensor.of(new float[] {0, 0.5f, 1, 1, 0, 0, 1, 1}, 8);
        ToyModels.Toy eight = ToyModels.linear(new double[][] {new double[8]}, new double[1]);
        fails(InvalidInputException.class, "whole-number", () -> KernelShap.builder().optFeatureMask(fractional).build()
                .attribute(eight, flat, Target.classIndex(0)));
    }

    @Test
    void samplesBelowOne() {
        fails(InvalidOptionException.class, "samples = 0", () -> KernelShap.builder().optSamples(0).build());
        fails(InvalidOptionException.class, "samples = -3", () -> Lime.builder().optSamples(-3).build());
        fails(InvalidOptionException.class, "perturbationsPerEval = 0",
                () -> FeatureAblation.builder().optPerturbationsPerEval(0).build());
        fails(InvalidOptionException.class, "alpha", () -> Lime.builder().optAlpha(-1).build());
    }

    @Test
    void emptyInput() {
        Tensor empty = Tensor.zeros(Shape.of(0, 16));
        fails(InvalidInputException.class, "empty", () -> FeatureAblation.builder().build()
                .attribute(model, empty, Target.classIndex(0)));
        fails(InvalidInputException.class, "empty", () -> Lime.builder().build()
                .attribute(model, empty, Target.classIndex(0)));
    }

    @Test
    void targetCountMustMatchBatch() {
        fails(io.attrib4j.engine.InvalidTargetException.class, "one target per example", () -> KernelShap.builder()
                .build().attribute(model, Tensor.zeros(Shape.of(2, 16)), Target.perExample(0, 0, 0)));
    }
}
