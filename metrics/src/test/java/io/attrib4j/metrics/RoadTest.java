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
    private final Road noiseless = Road.builder().optNoiseStdev(0).optTolerance(1e-9).optIterations(5000).build();

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
        float[] imputed = noiseless.impute(hole, removed, 1, S, S, new SplittableRandom(1));
        for (int p = 0; p < ramp.length; p++) {
            assertEquals(ramp[p], imputed[p], 1e-5, "pixel " + p);
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
        ScoreCurves morf = Road.builder().build().evaluate(model, input, Target.classIndex(0), attr);
        ScoreCurves lerf = Road.builder().optOrder(RemovalOrder.LERF).build().evaluate(model, input, Target.classIndex(0), attr);
        assertEquals(9, morf.scores()[0][0], 1e-5);
        assertTrue(morf.auc()[0] < 0.5 * lerf.auc()[0], "MoRF " + morf.auc()[0] + " vs LeRF " + lerf.auc()[0]);
        assertThrows(InvalidInputException.class,
                () -> Road.builder().build().evaluate(model, Tensor.of(image, 1, S * S), Target.classIndex(0), attr));
    }
}
