package io.attrib4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Tensor;

/** Assertions for comparing attributions with references. */
public final class Close {
    private Close() {}

    /**
     * {@code max|got - ref| <= relTol * max|ref|}, the oracle README's suggested comparison for float32
     * engines (relTol = 1e-4). Shapes must match exactly.
     */
    public static void relative(Tensor ref, Tensor got, double relTol, String what) {
        assertEquals(ref.shape(), got.shape(), what + ": shape");
        double maxRef = ref.maxAbs();
        double maxDiff = maxDiff(ref.data(), got.data());
        assertTrue(maxDiff <= relTol * maxRef,
                what + ": max|got-ref| = " + maxDiff + " > " + relTol + " * max|ref| (" + maxRef + ")");
    }

    /** {@code max|got - ref| <= absTol}. */
    public static void absolute(float[] ref, float[] got, double absTol, String what) {
        assertEquals(ref.length, got.length, what + ": length");
        double maxDiff = maxDiff(ref, got);
        assertTrue(maxDiff <= absTol, what + ": max|got-ref| = " + maxDiff + " > " + absTol);
    }

    public static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }
}
