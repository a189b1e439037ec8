package io.attrib4j.engine.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The ND4J backend against the definitions, written out as plain loops. */
class Nd4jBackendTest {
    private final Backend cpu = Backends.get("cpu");

    private static Tensor random(Shape s, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[s.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextDouble(-2, 2);
        }
        return Tensor.of(d, s);
    }

    @Test
    void interpolateIsStepMajorStraightPath() {
        Tensor x = random(Shape.of(3, 2, 5), 1);
        Tensor b = random(Shape.of(3, 2, 5), 2);
        float[] alphas = {0f, 0.25f, 1f, 0.7f};
        Tensor path = cpu.interpolate(x, b, alphas);
        assertEquals(Shape.of(12, 2, 5), path.shape());
        int d = 10;
        for (int s = 0; s < alphas.length; s++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < d; j++) {
                    float xb = x.data()[i * d + j] - b.data()[i * d + j];
                    float want = b.data()[i * d + j] + alphas[s] * xb;
                    assertEquals(want, path.data()[(s * 3 + i) * d + j], 1e-6f, "step " + s + " example " + i);
                }
            }
        }
        // alpha 0 is the baseline and alpha 1 the input, exactly
        assertArrayEquals(b.data(), path.rows(0, 3).data());
        assertArrayEquals(x.data(), path.rows(6, 9).data(), 1e-6f);
    }

    @Test
    void weightedStepSumSumsEachExampleOverSteps() {
        Tensor g = random(Shape.of(6, 7), 3); // 3 steps x 2 examples
        float[] w = {0.5f, -1f, 2f};
        Tensor sum = cpu.weightedStepSum(g, w, 2);
        assertEquals(Shape.of(2, 7), sum.shape());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 7; j++) {
                double want = 0;
                for (int s = 0; s < 3; s++) {
                    want += w[s] * g.data()[(s * 2 + i) * 7 + j];
                }
                assertEquals(want, sum.data()[i * 7 + j], 1e-5);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> cpu.weightedStepSum(g, w, 3));
    }

    @Test
    void elementwiseOperations() {
        Tensor a = random(Shape.of(2, 3), 4);
        Tensor b = random(Shape.of(2, 3), 5);
        for (int i = 0; i < 6; i++) {
            assertEquals(a.data()[i] + b.data()[i], cpu.add(a, b).data()[i], 0f);
            assertEquals(a.data()[i] - b.data()[i], cpu.subtract(a, b).data()[i], 0f);
            assertEquals(a.data()[i] * b.data()[i], cpu.multiply(a, b).data()[i], 0f);
            assertEquals(Math.abs(a.data()[i]), cpu.abs(a).data()[i], 0f);
        }
        assertThrows(IllegalArgumentException.class, () -> cpu.add(a, random(Shape.of(3, 2), 6)));
    }

    @Test
    void manyCallsKeepNativeMemoryFlat() {
        Tensor x = random(Shape.of(4, 3, 32, 32), 7);
        Tensor b = Tensor.zeros(x.shape());
        float[] alphas = new float[16];
        for (int i = 0; i < 3; i++) {
            cpu.interpolate(x, b, alphas); // warm up allocator
        }
        long before = org.bytedeco.javacpp.Pointer.totalBytes();
        for (int i = 0; i < 300; i++) {
            cpu.weightedStepSum(cpu.interpolate(x, b, alphas), alphas, 4);
        }
        System.out.println("javacpp-tracked bytes before/after: " + before + " / " + org.bytedeco.javacpp.Pointer.totalBytes());
        long grown = org.bytedeco.javacpp.Pointer.totalBytes() - before;
        // each iteration allocates ~1 MB natively; 300 leaked iterations would be ~300 MB
        org.junit.jupiter.api.Assertions.assertTrue(grown < 64L << 20, "native memory grew by " + (grown >> 20) + " MB");
    }

    @Test
    void unknownBackendNamesTheAvailableOnes() {
        var e = assertThrows(io.attrib4j.engine.BackendException.class, () -> Backends.get("tpu"));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("cpu"), e.getMessage());
        assertEquals("cpu-nd4j", Backends.get("auto").name());
    }
}
