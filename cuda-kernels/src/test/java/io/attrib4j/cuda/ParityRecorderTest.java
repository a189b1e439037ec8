package io.attrib4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.Backends;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs everywhere (no GPU): the recorded parity reference equals the live ND4J results case by case, so a GPU
 * run against recorded files checks the same thing as one against ND4J; and the comparison rules can fail.
 */
class ParityRecorderTest {

    @Test
    void recordedFilesEqualTheLiveCpuResults(@TempDir Path dir) throws Exception {
        Backend cpu = Backends.get("cpu");
        List<ParityCases.Case> cases = ParityCases.all();
        assertEquals(cases.size(), ParityRecorder.record(cpu, dir));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(cases.size(), files.count(), "one file per case");
        }
        for (ParityCases.Case c : cases) {
            Tensor live = c.setup().get().op().apply(cpu);
            ParityCases.EXACT.verify(live, ParityRecorder.recorded(dir, c), c.name() + " recorded vs live");
        }
    }

    @Test
    void caseNamesAreUniqueAndFileSafe() {
        Set<String> names = new HashSet<>();
        for (ParityCases.Case c : ParityCases.all()) {
            assertTrue(names.add(c.name()), "duplicate case " + c.name());
            assertTrue(c.name().matches("[A-Za-z0-9_.-]+"), c.name());
        }
    }

    @Test
    void everyBackendOperationHasParityCases() {
        Set<String> operations = new TreeSet<>();
        for (Method m : Backend.class.getMethods()) {
            if (Modifier.isAbstract(m.getModifiers()) && !m.getName().equals("name")) {
                operations.add(m.getName());
            }
        }
        Set<String> covered = new TreeSet<>();
        Set<String> methods = new TreeSet<>();
        for (ParityCases.Case c : ParityCases.all()) {
            String[] parts = c.name().split("_");
            (parts[0].equals("method") ? methods : covered).add(parts[0].equals("method") ? parts[1] : parts[0]);
        }
        assertEquals(operations, covered);
        assertEquals(Set.of("IntegratedGradients", "SmoothGrad", "GradientShap", "GradCam", "AttentionRollout",
                "GradientWeightedRollout"), methods, "the methods the issue names run through both backends");
    }

    @Test
    void aMissingCaseFileFailsNamingTheFileAndTheFix(@TempDir Path dir) {
        ParityCases.Case c = ParityCases.all().get(0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ParityRecorder.recorded(dir, c));
        assertTrue(e.getMessage().contains(ParityRecorder.file(dir, c).toString()), e.getMessage());
        assertTrue(e.getMessage().contains("ParityRecorder"), e.getMessage());
    }

    @Test
    void theRulesRejectWhatTheyShould() {
        Tensor ref = Tensor.of(new float[] {1000f, 0.5f, Float.NaN}, 3);
        ParityCases.RELATIVE.verify(ref, Tensor.of(new float[] {1000.0009f, 0.5000009f, Float.NaN}, 3), "within");
        assertThrows(AssertionError.class, () -> ParityCases.RELATIVE.verify(ref,
                Tensor.of(new float[] {1000.002f, 0.5f, Float.NaN}, 3), "2e-6 relative"));
        assertThrows(AssertionError.class, () -> ParityCases.RELATIVE.verify(ref,
                Tensor.of(new float[] {1000f, 0.500002f, Float.NaN}, 3), "2e-6 absolute below 1"));
        assertThrows(AssertionError.class, () -> ParityCases.RELATIVE.verify(ref,
                Tensor.of(new float[] {1000f, 0.5f, 0f}, 3), "NaN lost"));
        assertThrows(AssertionError.class, () -> ParityCases.EXACT.verify(ref,
                Tensor.of(new float[] {Math.nextUp(1000f), 0.5f, Float.NaN}, 3), "one ulp"));
        assertThrows(AssertionError.class, () -> ParityCases.EXACT.verify(Tensor.of(new float[] {0f}, 1),
                Tensor.of(new float[] {-0f}, 1), "signed zero"));
        float[] two = {1f, 2f};
        ParityCases.GAUSSIAN.verify(Tensor.of(two, 2), Tensor.of(new float[] {Math.nextUp(1f), 2f}, 2), "one ulp once");
        assertThrows(AssertionError.class, () -> ParityCases.GAUSSIAN.verify(Tensor.of(two, 2),
                Tensor.of(new float[] {Math.nextUp(1f), Math.nextUp(2f)}, 2), "two values off"));
        assertThrows(AssertionError.class, () -> ParityCases.GAUSSIAN.verify(Tensor.of(two, 2),
                Tensor.of(new float[] {Math.nextUp(Math.nextUp(1f)), 2f}, 2), "two ulps"));
        assertThrows(AssertionError.class, () -> ParityCases.scaled(10).verify(Tensor.of(two, 2),
                Tensor.of(new float[] {1f, 2.00002f}, 2), "2e-5 > 1e-6 * 10"));
    }

    @Test
    void doubleBitsKeepEveryBit() {
        double[] values = {Math.PI, -0.0, Double.MIN_VALUE, -1e300, Double.longBitsToDouble(-1L)};
        float[] q = ParityCases.doubleBits(values, new double[5]).data();
        for (int e = 0; e < values.length; e++) {
            long back = (long) q[3 * e] | (long) q[3 * e + 1] << 22 | (long) q[3 * e + 2] << 43;
            assertEquals(Double.doubleToRawLongBits(values[e]), back, "value " + e);
        }
    }
}
