package io.attrib4j.engine.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import org.junit.jupiter.api.Test;

/** {@link SampleSums} and the CPU backend's {@code accumulateSamples}. */
class SampleSumsTest {
    // 2 examples x 3 samples, rows i*3 + j, 2 values each
    private static final Tensor ROWS = Tensor.of(new float[] {1, 2, 3, -4, 5, 6, 0.5f, 0, -1, 1, 2, 3}, 6, 2);

    @Test
    void sumsAndSquaresPerExampleByHand() {
        SampleSums s = Backends.get("cpu").accumulateSamples(SampleSums.zeros(2, Shape.of(2)), ROWS, 0, 3);
        assertEquals(Shape.of(2, 2), s.shape());
        assertArrayEquals(new double[] {1 + 3 + 5, 2 - 4 + 6, 0.5 - 1 + 2, 0 + 1 + 3}, s.sum(), 0);
        assertArrayEquals(new double[] {1 + 9 + 25, 4 + 16 + 36, 0.25 + 1 + 4, 0 + 1 + 9}, s.sumOfSquares(), 0);
    }

    @Test
    void chunksThatCrossExamplesGiveTheSameSumsAndLeaveTheInputUnchanged() {
        Backend cpu = Backends.get("cpu");
        SampleSums zero = SampleSums.zeros(2, Shape.of(2));
        SampleSums whole = cpu.accumulateSamples(zero, ROWS, 0, 3);
        SampleSums first = cpu.accumulateSamples(zero, ROWS.rows(0, 4), 0, 3);
        SampleSums both = cpu.accumulateSamples(first, ROWS.rows(4, 6), 4, 3);
        assertArrayEquals(whole.sum(), both.sum(), 0);
        assertArrayEquals(whole.sumOfSquares(), both.sumOfSquares(), 0);
        assertArrayEquals(new double[4], zero.sum(), 0, "accumulating does not change its operand");
    }

    @Test
    void rowsOutsideTheBatchAreRejected() {
        Backend cpu = Backends.get("cpu");
        SampleSums zero = SampleSums.zeros(2, Shape.of(2));
        assertThrows(IllegalArgumentException.class, () -> cpu.accumulateSamples(zero, ROWS, 1, 3));
        assertThrows(IllegalArgumentException.class, () -> cpu.accumulateSamples(zero, ROWS, 0, 2));
        assertThrows(IllegalArgumentException.class,
                () -> cpu.accumulateSamples(zero, Tensor.of(new float[18], 6, 3), 0, 3));
    }
}
