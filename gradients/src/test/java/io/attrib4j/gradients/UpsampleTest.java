package io.attrib4j.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import org.junit.jupiter.api.Test;

/**
 * PyTorch's interpolation rules (oracle README 6.7) on small hand-made maps. The expected 1-D weights
 * are derived by hand from the formulas, written here as matrices M (out x in); the 2-D result is
 * M_h X M_w^T for each plane.
 */
class UpsampleTest {
    // nearest, src = floor(dst * in/out): 2->4 gives 0,0,1,1; 3->7 gives 0,0,0,1,1,2,2
    private static final double[][] NEAREST_2_4 = {{1, 0}, {1, 0}, {0, 1}, {0, 1}};
    private static final double[][] NEAREST_3_7 = {
        {1, 0, 0}, {1, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 1, 0}, {0, 0, 1}, {0, 0, 1}};
    // bilinear, src = max((dst + 0.5) in/out - 0.5, 0): 2->4 src = 0, 0.25, 0.75, 1.25 (clamped to 1)
    private static final double[][] BILINEAR_2_4 = {{1, 0}, {0.75, 0.25}, {0.25, 0.75}, {0, 1}};
    // 3->7 src = 0 (clamped), 1/7, 4/7, 1, 10/7, 13/7, 16/7 (i0 = 2 = last: all weight on it)
    private static final double[][] BILINEAR_3_7 = {
        {1, 0, 0}, {6 / 7.0, 1 / 7.0, 0}, {3 / 7.0, 4 / 7.0, 0}, {0, 1, 0},
        {0, 4 / 7.0, 3 / 7.0}, {0, 1 / 7.0, 6 / 7.0}, {0, 0, 1}};

    @Test
    void nearestTwoToFour() {
        check(Upsample.NEAREST, 2, 4, NEAREST_2_4);
    }

    @Test
    void nearestThreeToSeven() {
        check(Upsample.NEAREST, 3, 7, NEAREST_3_7);
    }

    @Test
    void bilinearTwoToFour() {
        check(Upsample.BILINEAR, 2, 4, BILINEAR_2_4);
    }

    @Test
    void bilinearThreeToSeven() {
        check(Upsample.BILINEAR, 3, 7, BILINEAR_3_7);
    }

    @Test
    void noneReturnsTheMapAndOnlyFourDimensionalMapsResize() {
        Tensor map = Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
        assertSame(map, Upsample.NONE.apply(map, 8, 8));
        assertThrows(InvalidInputException.class, () -> Upsample.BILINEAR.apply(Tensor.of(new float[4], 1, 4), 8, 8));
    }

    /** Two planes (N=1, C=2) of distinct values; each must become M X M^T. */
    private static void check(Upsample mode, int in, int out, double[][] m) {
        float[] data = new float[2 * in * in];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (i * i * 0.37 - 3 * i + 1.5); // not linear, so interpolation weights matter
        }
        Tensor got = mode.apply(Tensor.of(data, 1, 2, in, in), out, out);
        assertEquals(Shape.of(1, 2, out, out), got.shape());
        for (int plane = 0; plane < 2; plane++) {
            for (int y = 0; y < out; y++) {
                for (int x = 0; x < out; x++) {
                    double expected = 0;
                    for (int i = 0; i < in; i++) {
                        for (int j = 0; j < in; j++) {
                            expected += m[y][i] * m[x][j] * data[plane * in * in + i * in + j];
                        }
                    }
                    assertEquals(expected, got.get(0, plane, y, x), 1e-5 * (1 + Math.abs(expected)),
                            mode + " " + in + "->" + out + " plane " + plane + " at (" + y + "," + x + ")");
                }
            }
        }
    }
}
