package io.attrib4j.probing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearProbeTest {

    @Test
    void lossGradientMatchesFiniteDifferences() {
        Random rnd = new Random(1);
        double[][] z = new double[7][4];
        int[] y = new int[7];
        for (int i = 0; i < 7; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 4; j++) {
                z[i][j] = rnd.nextGaussian();
            }
        }
        SoftmaxLoss loss = new SoftmaxLoss(z, y, 3, 0.3);
        double[] theta = new double[loss.parameterCount()];
        for (int q = 0; q < theta.length; q++) {
            theta[q] = rnd.nextGaussian();
        }
        double[] g = new double[theta.length];
        loss.valueAndGradient(theta, g);
        double[] scratch = new double[theta.length];
        for (int q = 0; q < theta.length; q++) {
            double[] p = theta.clone();
            double[] m = theta.clone();
            p[q] += 1e-6;
            m[q] -= 1e-6;
            double fd = (loss.valueAndGradient(p, scratch) - loss.valueAndGradient(m, scratch)) / 2e-6;
            assertEquals(fd, g[q], 1e-6, "d/dtheta[" + q + "]");
        }
    }

    @Test
    void lbfgsReachesTheMinimumOfAQuadratic() {
        // f(x) = sum_i c_i (x_i - i)^2, minimum at x_i = i
        double[] c = {1, 10, 100, 0.5, 3};
        Lbfgs.Result r = Lbfgs.minimize((x, g) -> {
            double f = 0;
            for (int i = 0; i < x.length; i++) {
                f += c[i] * (x[i] - i) * (x[i] - i);
                g[i] = 2 * c[i] * (x[i] - i);
            }
            return f;
        }, new double[5], 200, 1e-9);
        assertTrue(r.converged());
        for (int i = 0; i < 5; i++) {
            assertEquals(i, r.x()[i], 1e-8);
        }
    }

    @Test
    void knownDirectionsAreDecodedWithHighAccuracy() {
        Synthetic s = Synthetic.make(7, 3, 20, 100, 3.0, 1, 0);
        CrossValidationResult cv = CrossValidation.withDefaults().run(LinearProbe.withDefaults(), s.x, s.labels);
        assertTrue(cv.meanAccuracy() > 0.9, "held-out accuracy " + cv.meanAccuracy());
        assertTrue(cv.meanMacroF1() > 0.9, "held-out macro-F1 " + cv.meanMacroF1());
        FittedProbe p = LinearProbe.withDefaults().fit(s.x, s.labels);
        assertTrue(p.converged(), "L-BFGS converged within the budget");
        assertEquals(Shape.of(3, 20), p.weights().shape());
        assertTrue(p.accuracy(s.x, s.labels) > 0.9);
    }

    @Test
    void binaryWeightVectorAlignsWithTheEncodingDirection() {
        Random rnd = new Random(11);
        int d = 20;
        int n = 400;
        double[] u = Synthetic.unitVector(rnd, d);
        float[] x = new float[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            double sign = y[i] == 1 ? 1 : -1;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (1.5 * sign * u[j] + rnd.nextGaussian() + 4.0); // offset: standardization
            }
        }
        FittedProbe p = LinearProbe.withDefaults().fit(Tensor.of(x, n, d), y);
        double cos = Synthetic.cosine(p.binaryDirection(), u);
        assertTrue(cos > 0.9, "cosine(probe direction, encoding direction) = " + cos);
    }

    @Test
    void shuffledLabelsGiveChanceAccuracy() {
        Synthetic s = Synthetic.make(13, 3, 20, 100, 3.0, 1, 0);
        int[] shuffled = s.labels.clone();
        Random rnd = new Random(5);
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        CrossValidationResult cv = CrossValidation.withDefaults().run(LinearProbe.withDefaults(), s.x, shuffled);
        assertTrue(cv.meanAccuracy() < 0.45 && cv.meanAccuracy() > 0.2, "accuracy " + cv.meanAccuracy()
                + " should be near chance (1/3)");
    }

    @Test
    void predictionsAreInvariantToPerFeatureAffineRescaling() {
        Synthetic s = Synthetic.make(17, 3, 10, 40, 1.5, 1, 0);
        float[] scaled = s.x.data().clone();
        for (int i = 0; i < scaled.length; i++) {
            int j = i % 10;
            scaled[i] = scaled[i] * (float) Math.pow(10, j - 5) + 3 * j;
        }
        Tensor t = Tensor.of(scaled, s.x.shape());
        int[] a = LinearProbe.withDefaults().fit(s.x, s.labels).predict(s.x);
        int[] b = LinearProbe.withDefaults().fit(t, s.labels).predict(t);
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            same += a[i] == b[i] ? 1 : 0;
        }
        assertTrue(same >= a.length - 1, same + " of " + a.length + " predictions agree");
    }

    @Test
    void strongerRegularizationShrinksWeights() {
        Synthetic s = Synthetic.make(19, 3, 20, 50, 2.0, 1, 0);
        double weak = LinearProbe.withDefaults().fit(s.x, s.labels).weights().maxAbs();
        double strong = LinearProbe.withDefaults().withL2(1.0).fit(s.x, s.labels).weights().maxAbs();
        assertTrue(strong < weak, "max|W| " + strong + " with lambda 1 vs " + weak + " with the default 1e-2");
    }

    @Test
    void trainingIsDeterministic() {
        Synthetic s = Synthetic.make(23, 3, 8, 30, 1.0, 1, 0);
        assertArrayEquals(LinearProbe.withDefaults().fit(s.x, s.labels).weights().data(),
                LinearProbe.withDefaults().fit(s.x, s.labels).weights().data());
    }
}
