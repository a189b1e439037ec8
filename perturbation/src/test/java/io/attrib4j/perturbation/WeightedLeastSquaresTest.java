package io.attrib4j.perturbation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The weighted least-squares solve and its weighted R^2 (LIME's {@code surrogateR2}) on numbers done by hand. */
class WeightedLeastSquaresTest {

    @Test
    void weightedR2ByHand() {
        // fit = x beta = 1, 2, 3; residuals 0, 1, -1 weighted 1, 2, 1: 3. Weighted mean of y = 9 / 4 = 2.25;
        // total 1 (1.25)^2 + 2 (0.75)^2 + 1 (0.25)^2 = 2.75. R^2 = 1 - 3 / 2.75 = -1/11 (a fit worse than the mean).
        double r2 = WeightedLeastSquares.weightedR2(new double[][] {{1}, {2}, {3}}, new double[] {1, 3, 2},
                new double[] {1, 2, 1}, new double[] {1});
        assertEquals(-1.0 / 11, r2, 1e-15);
        // constant y: 1 for an exact fit, 0 otherwise
        assertEquals(1, WeightedLeastSquares.weightedR2(new double[][] {{1}, {1}}, new double[] {2, 2},
                new double[] {1, 1}, new double[] {2}));
        assertEquals(0, WeightedLeastSquares.weightedR2(new double[][] {{1}, {1}}, new double[] {2, 2},
                new double[] {1, 1}, new double[] {1}));
    }

    @Test
    void weightedFitByHand() {
        // y = c + a z on z = 0, 1, 2 with weights 1, 1, 2 and y = 1, 2, 4: normal equations
        // [sum w z^2, sum w z; sum w z, sum w] = [9, 5; 5, 4], [sum w z y, sum w y] = [18, 11]: a = 17/11, c = 9/11
        double[] beta = WeightedLeastSquares.fit(new double[][] {{0, 1}, {1, 1}, {2, 1}}, new double[] {1, 2, 4},
                new double[] {1, 1, 2}, new double[2]);
        assertArrayEquals(new double[] {17.0 / 11, 9.0 / 11}, beta, 1e-12);
    }
}
