package io.attrib4j.engine.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link Philox}: the published known answers, then the Gaussian layout and its statistics. */
class PhiloxTest {

    /** Random123's kat_vectors for philox4x32 with 10 rounds: counter (4 words), key (2 words), output. */
    @Test
    void random123KnownAnswers() {
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
                Philox.block(new int[] {0, 0, 0, 0}, new int[] {0, 0}));
        assertArrayEquals(new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
                Philox.block(new int[] {-1, -1, -1, -1}, new int[] {-1, -1}));
        assertArrayEquals(new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
                Philox.block(new int[] {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
                        new int[] {0xa4093822, 0x299f31d0}));
    }

    @Test
    void valueLayoutIsBoxMullerOfTheBlockAtOffsetOverFour() {
        long seed = 0x1234_5678_9ABC_DEF0L;
        long offset = (5L << 32) + 6; // block index above 2^32 uses the counter's second word
        float[] got = Philox.gaussian(Shape.of(6), 0.5f, seed, offset).data();
        int[] key = {0x9ABCDEF0, 0x12345678};
        for (int e = 0; e < got.length; e++) {
            long g = offset + e;
            long blk = g / 4;
            int[] u = Philox.block(new int[] {(int) blk, (int) (blk >>> 32), 0, 0}, key);
            int lane = (int) (g % 4);
            int even = u[lane - lane % 2];
            int odd = u[lane - lane % 2 + 1];
            double r = Math.sqrt(-2 * Math.log((Integer.toUnsignedLong(even) + 1) / 4294967296.0));
            double theta = 2 * Math.PI * Integer.toUnsignedLong(odd) / 4294967296.0;
            double z = lane % 2 == 0 ? r * Math.cos(theta) : r * Math.sin(theta);
            assertEquals(0.5 * z, got[e], 1e-6, "value " + e);
        }
    }

    @Test
    void aDrawSplitAtAnyOffsetEqualsTheWholeDraw() {
        float[] whole = Philox.gaussian(Shape.of(3, 11), 1f, 7, 3).data();
        for (int cut = 0; cut <= 33; cut++) {
            float[] a = Philox.gaussian(Shape.of(cut), 1f, 7, 3).data();
            float[] b = Philox.gaussian(Shape.of(33 - cut), 1f, 7, 3 + cut).data();
            float[] joined = Arrays.copyOf(a, 33);
            System.arraycopy(b, 0, joined, cut, b.length);
            assertArrayEquals(whole, joined, 0f, "cut at " + cut);
        }
    }

    @Test
    void seedsGiveIndependentStandardNormals() {
        int n = 200_000;
        float[] v = Philox.gaussian(Shape.of(n), 2f, 42, 0).data();
        double sum = 0;
        double sq = 0;
        int within1 = 0;
        for (float x : v) {
            sum += x;
            sq += x * (double) x;
            within1 += Math.abs(x) < 2f ? 1 : 0;
        }
        double mean = sum / n;
        double var = sq / n - mean * mean;
        assertEquals(0, mean, 0.02, "mean"); // sd of the mean: 2/sqrt(n) = 0.0045
        assertEquals(4, var, 0.06, "variance"); // sd of the variance: 4*sqrt(2/n) = 0.013
        assertEquals(0.6827, within1 / (double) n, 0.005, "P(|z| < 1 sd)");
        assertFalse(Arrays.equals(v, Philox.gaussian(Shape.of(n), 2f, 43, 0).data()), "another seed");
        assertArrayEquals(v, Philox.gaussian(Shape.of(n), 2f, 42, 0).data(), 0f, "same seed, same draw");
        float[] zero = Philox.gaussian(Shape.of(10), 0f, 42, 0).data();
        for (float z : zero) {
            assertEquals(0f, Math.abs(z), "stdev 0 gives zeros");
        }
    }

    @Test
    void cpuBackendDrawsThePhiloxStreamAndChecksTheOffset() {
        Backend cpu = Backends.get("cpu");
        Tensor t = cpu.gaussian(Shape.of(2, 5), 1.5f, 9, 100);
        assertEquals(Shape.of(2, 5), t.shape());
        assertArrayEquals(Philox.gaussian(Shape.of(10), 1.5f, 9, 100).data(), t.data(), 0f);
        assertThrows(IllegalArgumentException.class, () -> cpu.gaussian(Shape.of(1), 1f, 9, -1));
        assertTrue(Math.abs(t.data()[0]) < 15f);
    }
}
