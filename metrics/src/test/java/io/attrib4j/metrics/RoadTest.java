package io.attrib4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.testkit.ToyModels;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RoadTest {
    private static final int S = 8;
    private final Road noiseless = Road.builder().optNoiseStdev(0).optTolerance(1e-9).build();

    @Test
    void imputationReproducesALinearRamp() {
        // the weighted neighbour mean of a linear function is the function's value, so the system's
        // solution on a ramp is the ramp itself
        float[] ramp = new float[S * S];
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                ramp[y * S + x] = 0.5f + 0.1f * x + 0.05f * y;
            }
        }
        boolean[] removed = new boolean[S * S];
        for (int y = 2; y < 6; y++) {
            for (int x = 3; x < 7; x++) {
                removed[y * S + x] = true;
            }
        }
        float[] hole = ramp.clone();
        for (int p = 0; p < hole.length; p++) {
            hole[p] = removed[p] ? 99f : hole[p];
        }
        float[] imputed = noiseless.impute(hole, removed, 1, S, S, new SplittableRandom(1)).image();
        for (int p = 0; p < ramp.length; p++) {
            assertEquals(ramp[p], imputed[p], 1e-5, "pixel " + p);
        }
    }

    /**
     * Realistic holes (32 x 32 in 64 x 64, 64 x 64 in 128 x 128, the sizes where 200 Gauss-Seidel sweeps were off by
     * 0.10 and 0.37) against an exact solve: a banded Cholesky factorization of the same system, built here from the
     * definition (each removed pixel the 1/6, 1/12 weighted mean of its in-image neighbours). At the default
     * tolerance (1e-6 per pixel) the reported residual is below it and the imputation is within 1e-4 of the exact
     * solution (the error is at most ||A^-1 D|| times the residual, ~1e2 for these holes); at 1e-10 within 1e-6,
     * float32 rounding of values of order 1 being 6e-8.
     */
    @Test
    void largeHolesMatchAnExactSolve() {
        for (int[] size : new int[][] {{64, 32}, {128, 64}}) {
            int n = size[0];
            int hole = size[1];
            int from = (n - hole) / 2;
            float[] image = new float[n * n];
            boolean[] removed = new boolean[n * n];
            SplittableRandom r = new SplittableRandom(n);
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    image[y * n + x] = (float) (Math.sin(x / 5.0) + Math.cos(y / 7.0) + 0.3 * r.nextDouble());
                    removed[y * n + x] = y >= from && y < from + hole && x >= from && x < from + hole;
                }
            }
            double[] exact = exactHoleSolve(image, n, from, hole);
            for (double tolerance : new double[] {1e-6, 1e-10}) {
                Road road = Road.builder().optNoiseStdev(0).optTolerance(tolerance).build();
                Road.Imputation got = road.impute(image, removed, 1, n, n, new SplittableRandom(1));
                assertTrue(got.residual() <= tolerance, "residual " + got.residual());
                double err = 0;
                for (int i = 0; i < exact.length; i++) {
                    int p = (from + i / hole) * n + from + i % hole;
                    err = Math.max(err, Math.abs(got.image()[p] - exact[i]));
                }
                System.out.printf("ROAD %dx%d hole in %dx%d, tolerance %.0e: %d CG steps, residual %.2e, max error %.2e%n",
                        hole, hole, n, n, tolerance, got.iterations(), got.residual(), err);
                assertTrue(err <= (tolerance < 1e-8 ? 1e-6 : 1e-4), "max error " + err + " at tolerance " + tolerance);
            }
        }
    }

    /** The hole's system {@code A v = b} in row-major order (bandwidth hole + 1), solved by banded Cholesky. */
    private static double[] exactHoleSolve(float[] image, int n, int from, int hole) {
        int m = hole * hole;
        int band = hole + 1;
        double[][] a = new double[m][band + 1]; // a[i][k] = A[i][i - k]
        double[] b = new double[m];
        for (int i = 0; i < m; i++) {
            int y = from + i / hole;
            int x = from + i % hole;
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int yy = y + dy;
                    int xx = x + dx;
                    if ((dy == 0 && dx == 0) || yy < 0 || yy >= n || xx < 0 || xx >= n) {
                        continue;
                    }
                    double w = dy == 0 || dx == 0 ? 1.0 / 6 : 1.0 / 12;
                    a[i][0] += w;
                    boolean inHole = yy >= from && yy < from + hole && xx >= from && xx < from + hole;
                    if (!inHole) {
                        b[i] += w * image[yy * n + xx];
                    } else {
                        int j = (yy - from) * hole + (xx - from);
                        if (j < i) {
                            a[i][i - j] -= w;
                        }
                    }
                }
            }
        }
        // in place: a becomes L (a[i][k] = L[i][i - k])
        for (int i = 0; i < m; i++) {
            for (int k = Math.min(band, i); k >= 0; k--) {
                int j = i - k;
                double s = a[i][k];
                for (int t = 1; t <= band - k && j - t >= 0 && k + t <= band; t++) {
                    s -= a[i][k + t] * a[j][t];
                }
                a[i][k] = k == 0 ? Math.sqrt(s) : s / a[j][0];
            }
        }
        double[] z = new double[m];
        for (int i = 0; i < m; i++) {
            double s = b[i];
            for (int k = 1; k <= Math.min(band, i); k++) {
                s -= a[i][k] * z[i - k];
            }
            z[i] = s / a[i][0];
        }
        double[] v = new double[m];
        for (int i = m - 1; i >= 0; i--) {
            double s = z[i];
            for (int k = 1; k <= band && i + k < m; k++) {
                s -= a[i + k][k] * v[i + k];
            }
            v[i] = s / a[i][0];
        }
        return v;
    }

    /**
     * A batch of two 2-channel images gives each image the curve it gets alone (noise off: the noise draws run on
     * across the batch), and a pixel's relevance is the sum over its channels.
     */
    @Test
    void aBatchOfMultiChannelImagesGivesEachImageItsOwnCurve() {
        int c = 2;
        int d = c * S * S;
        SplittableRandom r = new SplittableRandom(9);
        float[] images = new float[2 * d];
        float[] attr = new float[2 * d];
        double[] w = new double[d];
        for (int e = 0; e < images.length; e++) {
            images[e] = (float) r.nextDouble();
            attr[e] = (float) r.nextDouble(-1, 1);
        }
        for (int j = 0; j < d; j++) {
            w[j] = r.nextDouble(-1, 1);
        }
        ToyModels.Toy model = ToyModels.linear(new double[][] {w}, new double[] {0});
        Road road = Road.builder().optNoiseStdev(0).optSteps(4).build();
        ScoreCurves both = road.evaluate(model, Tensor.of(images, 2, c, S, S), Target.classIndex(0),
                Tensor.of(attr, 2, c, S, S)).curves();
        for (int i = 0; i < 2; i++) {
            float[] image = java.util.Arrays.copyOfRange(images, i * d, (i + 1) * d);
            float[] a = java.util.Arrays.copyOfRange(attr, i * d, (i + 1) * d);
            ScoreCurves alone = road.evaluate(model, Tensor.of(image, 1, c, S, S), Target.classIndex(0),
                    Tensor.of(a, 1, c, S, S)).curves();
            org.junit.jupiter.api.Assertions.assertArrayEquals(alone.scores()[0], both.scores()[i], 0f, "image " + i);
            // swapping the channels' attributions leaves each pixel's sum, so the curve, unchanged
            float[] swapped = new float[d];
            System.arraycopy(a, S * S, swapped, 0, S * S);
            System.arraycopy(a, 0, swapped, S * S, S * S);
            ScoreCurves channelsSwapped = road.evaluate(model, Tensor.of(image, 1, c, S, S), Target.classIndex(0),
                    Tensor.of(swapped, 1, c, S, S)).curves();
            org.junit.jupiter.api.Assertions.assertArrayEquals(alone.scores()[0], channelsSwapped.scores()[0], 0f);
        }
    }

    @Test
    void removingTheEvidenceFirstScoresLowerThanRemovingItLast() {
        // F = sum of a 3x3 square of pixels; the image is bright there and dark elsewhere
        double[] w = new double[S * S];
        float[] image = new float[S * S];
        SplittableRandom r = new SplittableRandom(3);
        for (int p = 0; p < image.length; p++) {
            boolean square = p / S >= 2 && p / S < 5 && p % S >= 2 && p % S < 5;
            w[p] = square ? 1 : 0;
            image[p] = square ? 1 : (float) r.nextDouble(0.1);
        }
        ToyModels.Toy model = ToyModels.linear(new double[][] {w}, new double[] {0});
        Tensor input = Tensor.of(image, 1, 1, S, S);
        Tensor attr = Tensor.of(image.clone(), 1, 1, S, S); // w * x: the exact contribution
        Road.RoadCurves road = Road.builder().build().evaluate(model, input, Target.classIndex(0), attr);
        assertTrue(road.converged(), "residual " + road.residual());
        ScoreCurves morf = road.curves();
        ScoreCurves lerf = Road.builder().optOrder(RemovalOrder.LERF).build().evaluate(model, input, Target.classIndex(0), attr)
                .curves();
        assertEquals(9, morf.scores()[0][0], 1e-5);
        assertTrue(morf.auc()[0] < 0.5 * lerf.auc()[0], "MoRF " + morf.auc()[0] + " vs LeRF " + lerf.auc()[0]);
        assertThrows(InvalidInputException.class,
                () -> Road.builder().build().evaluate(model, Tensor.of(image, 1, S * S), Target.classIndex(0), attr));
    }
}
