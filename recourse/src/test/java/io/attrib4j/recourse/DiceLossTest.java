package io.attrib4j.recourse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.attrib4j.engine.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The DiCE objective's hand-written gradient against central differences, and the small linear algebra it uses. */
class DiceLossTest {

    @Test
    void proximityAndDiversityGradientMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(3);
        int d = 4;
        int k = 3;
        float[] data = new float[200 * d];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextGaussian() * (1 + i % d);
        }
        FeatureSpace space = FeatureSpace.of(Tensor.of(data, 200, d));
        float[] x = {0.1f, -0.3f, 0.7f, 1.1f};
        DiceLoss loss = new DiceLoss(CounterfactualOptions.builder().optCount(k).build(), space, x, 1);
        List<float[]> cfs = new ArrayList<>();
        List<float[]> logits = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            float[] c = new float[d];
            for (int j = 0; j < d; j++) {
                c[j] = (float) (x[j] + r.nextGaussian());
            }
            cfs.add(c);
            logits.add(new float[] {0.2f, 0.5f}); // fixed logits: the y-loss is a constant here
        }
        double[][] grad = new double[k][d];
        loss.addProximityAndDiversityGradient(cfs, grad);
        float h = 1e-3f;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < d; j++) {
                float keep = cfs.get(i)[j];
                cfs.get(i)[j] = keep + h;
                double up = loss.objective(cfs, logits);
                cfs.get(i)[j] = keep - h;
                double down = loss.objective(cfs, logits);
                cfs.get(i)[j] = keep;
                double fd = (up - down) / ((double) (keep + h) - (double) (keep - h));
                // central differences of a piecewise-smooth function away from its kinks: error O(h^2) plus the
                // float32 rounding of c +- h (relative 1e-4 of h); 1e-3 of the gradient's scale covers both
                assertEquals(fd, grad[i][j], 1e-3 * Math.max(1e-2, Math.abs(fd)), "d L / d c[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void determinantAndInverseAgree() {
        double[][] a = {{2, 1, 0.5}, {1, 3, 0.2}, {0.5, 0.2, 1}};
        double[][] inv = DiceLoss.inverse(a);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int l = 0; l < 3; l++) {
                    s += a[i][l] * inv[l][j];
                }
                assertEquals(i == j ? 1 : 0, s, 1e-12);
            }
        }
        // cofactor expansion along the first row
        double det = 2 * (3 * 1 - 0.2 * 0.2) - 1 * (1 * 1 - 0.2 * 0.5) + 0.5 * (1 * 0.2 - 3 * 0.5);
        assertEquals(det, DiceLoss.det(a), 1e-12);
    }

    @Test
    void hingeAndLogLossFollowTheMargin() {
        FeatureSpace space = FeatureSpace.of(Tensor.of(new float[] {0, 1, 2, 3}, 2, 2));
        DiceLoss hinge = new DiceLoss(CounterfactualOptions.defaults(), space, new float[] {0, 0}, 1);
        assertEquals(0.5, hinge.margin(new float[] {1f, 1.5f}), 1e-7);
        assertEquals(0.5, hinge.yLoss(0.5), 1e-12);
        assertEquals(0, hinge.yLoss(2), 0);
        DiceLoss log = new DiceLoss(CounterfactualOptions.builder().optYLoss(CounterfactualOptions.YLoss.LOG).build(),
                space, new float[] {0, 0}, 1);
        assertEquals(Math.log(2), log.yLoss(0), 1e-12);
        assertEquals(-0.5, log.yLossSlope(0), 1e-12);
    }
}
