package io.attrib4j.metrics;

import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.testkit.ToyModels;
import java.util.SplittableRandom;

/** A linear model F(x) = w.x + 0.5 with one output, and inputs, shared by the metric tests. */
final class LinearCase {
    static final int D = 16;
    final double[] w = new double[D];
    final ToyModels.Toy model;
    final Tensor input;
    final Target target = Target.classIndex(0);

    LinearCase(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int j = 0; j < D; j++) {
            w[j] = r.nextDouble(0.1, 2);
        }
        model = ToyModels.linear(new double[][] {w}, new double[] {0.5});
        float[] x = new float[n * D];
        for (int e = 0; e < x.length; e++) {
            x[e] = (float) r.nextDouble(0.1, 1);
        }
        input = Tensor.of(x, n, D);
    }

    /** The exact IG attribution against zeros, w * x, computed by hand. */
    Tensor exactIg() {
        float[] a = new float[input.size()];
        for (int e = 0; e < a.length; e++) {
            a[e] = (float) (w[e % D] * input.data()[e]);
        }
        return Tensor.of(a, input.shape());
    }

    /** The gradient w for every example. */
    Tensor gradient() {
        float[] a = new float[input.size()];
        for (int e = 0; e < a.length; e++) {
            a[e] = (float) w[e % D];
        }
        return Tensor.of(a, input.shape());
    }

    Tensor random(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[input.size()];
        for (int e = 0; e < a.length; e++) {
            a[e] = (float) r.nextDouble(-1, 1);
        }
        return Tensor.of(a, input.shape());
    }
}
