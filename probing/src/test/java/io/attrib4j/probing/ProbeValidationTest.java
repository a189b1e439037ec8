package io.attrib4j.probing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Tensor;
import org.junit.jupiter.api.Test;

class ProbeValidationTest {
    private final Synthetic s = Synthetic.make(1, 3, 5, 10, 2.0, 1, 0);
    private final LinearProbe probe = LinearProbe.withDefaults();

    private static void assertMessage(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
        }
    }

    @Test
    void labelCountMustMatchActivations() {
        int[] short_ = java.util.Arrays.copyOf(s.labels, 29);
        var e = assertThrows(InvalidInputException.class, () -> probe.fit(s.x, short_));
        assertMessage(e, "30 examples", "29 labels");
        assertThrows(InvalidInputException.class, () -> CrossValidation.withDefaults().run(probe, s.x, short_));
    }

    @Test
    void oneClassIsRejected() {
        var e = assertThrows(InvalidInputException.class, () -> probe.fit(s.x, new int[30]));
        assertMessage(e, "only one class");
    }

    @Test
    void nanActivationsAreRejected() {
        float[] d = s.x.data().clone();
        d[17] = Float.NaN;
        var e = assertThrows(InvalidInputException.class, () -> probe.fit(Tensor.of(d, s.x.shape()), s.labels));
        assertMessage(e, "NaN");
    }

    @Test
    void moreFoldsThanTheSmallestClassIsRejected() {
        int[] labels = s.labels.clone();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == 2) {
                labels[i] = 1;
            }
        }
        labels[0] = 2;
        labels[3] = 2; // class 2 has 2 examples
        var e = assertThrows(InvalidOptionException.class,
                () -> CrossValidation.builder().optFolds(3).build().run(probe, s.x, labels));
        assertMessage(e, "class 2", "2 examples", "at most 2 folds");
        assertThrows(InvalidOptionException.class, () -> CrossValidation.builder().optFolds(1).build());
    }

    @Test
    void otherBadInputsAreRejected() {
        assertThrows(InvalidInputException.class, () -> probe.fit(Tensor.zeros(io.attrib4j.engine.Shape.of(30, 5, 1)),
                s.labels));
        int[] negative = s.labels.clone();
        negative[4] = -1;
        assertThrows(InvalidInputException.class, () -> probe.fit(s.x, negative));
        FittedProbe fitted = probe.fit(s.x, s.labels);
        var e = assertThrows(InvalidInputException.class,
                () -> fitted.predict(Tensor.zeros(io.attrib4j.engine.Shape.of(2, 6))));
        assertMessage(e, "6 features", "trained on 5");
        assertThrows(InvalidInputException.class,
                () -> ControlTask.withSeed(0).controlLabels(s.labels, new int[3]));
        assertThrows(InvalidOptionException.class, () -> LinearProbe.builder().optL2(-1).build());
        assertThrows(InvalidOptionException.class, () -> LinearProbe.builder().optMaxIterations(0).build());
    }
}
