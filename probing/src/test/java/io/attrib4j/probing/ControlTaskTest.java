package io.attrib4j.probing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControlTaskTest {

    @Test
    void controlLabelsAreConstantPerTypeAndDrawnFromTheLabels() {
        Synthetic s = Synthetic.make(1, 3, 10, 50, 2.0, 8, 0.5);
        int[] control = ControlTask.withSeed(4).controlLabels(s.labels, s.types);
        Map<Integer, Integer> seen = new HashMap<>();
        for (int i = 0; i < control.length; i++) {
            assertTrue(control[i] >= 0 && control[i] < 3);
            Integer before = seen.putIfAbsent(s.types[i], control[i]);
            if (before != null) {
                assertEquals(before, control[i], "type " + s.types[i] + " has one control label");
            }
        }
        assertTrue(seen.values().stream().distinct().count() > 1, "24 types should not all draw one label");
    }

    @Test
    void selectivityIsPositiveWhenTheLabelIsEncodedLinearly() {
        // 3 classes x 8 types; the class direction is strong, type identity weak
        Synthetic s = Synthetic.make(2, 3, 20, 80, 4.0, 8, 0.7);
        ControlTaskResult r = ControlTask.withSeed(0).run(LinearProbe.withDefaults(), CrossValidation.withDefaults(),
                s.x, s.labels, s.types);
        assertTrue(r.task().meanAccuracy() > 0.9, "task accuracy " + r.task().meanAccuracy());
        assertTrue(r.selectivity() > 0.2, "selectivity " + r.selectivity() + " (control accuracy "
                + r.control().meanAccuracy() + ")");
        assertEquals(r.task().meanAccuracy() - r.control().meanAccuracy(), r.selectivity(), 1e-12);
        assertTrue(r.selectivityInterval().low() > 0);
    }
}
