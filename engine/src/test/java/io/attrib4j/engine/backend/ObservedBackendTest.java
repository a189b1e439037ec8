package io.attrib4j.engine.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The observing decorator computes through its delegate and reports each operation, failed ones too. */
class ObservedBackendTest {
    private final Backend cpu = Backends.get("cpu");

    @Test
    void forwardsEveryOperationAndReportsItsNameAndTime() {
        List<String> heard = new ArrayList<>();
        long[] nanos = new long[1];
        Backend observed = ObservedBackend.of(cpu, "watched", (operation, took) -> {
            heard.add(operation);
            nanos[0] += took;
        });
        Tensor a = Tensor.of(new float[] {1f, -2f, 3f}, 3);
        Tensor b = Tensor.of(new float[] {0.5f, 4f, -1f}, 3);
        assertEquals("watched", observed.name());
        assertArrayEquals(new float[] {1.5f, 2f, 2f}, observed.add(a, b).data());
        assertArrayEquals(new float[] {1f, 2f, 3f}, observed.abs(a).data());
        assertEquals(List.of("add", "abs"), heard, "name() is not an operation");
        assertTrue(nanos[0] > 0);
    }

    @Test
    void theDelegatesExceptionPassesThroughUnwrappedAndIsReported() {
        List<String> heard = new ArrayList<>();
        Backend observed = ObservedBackend.of(cpu, "watched", (operation, took) -> heard.add(operation));
        Tensor a = Tensor.of(new float[] {1f, 2f}, 2);
        Tensor b = Tensor.of(new float[] {1f, 2f, 3f}, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> observed.subtract(a, b));
        assertTrue(e.getMessage().startsWith("subtract:"), e.getMessage());
        assertEquals(List.of("subtract"), heard);
    }
}
