package io.attrib4j.probing;

import io.attrib4j.engine.Tensor;
import java.util.Random;

/** Synthetic activations in which known directions encode the label. */
final class Synthetic {
    final Tensor x;
    final int[] labels;
    final int[] types;
    final double[][] directions;

    private Synthetic(Tensor x, int[] labels, int[] types, double[][] directions) {
        this.x = x;
        this.labels = labels;
        this.types = types;
        this.directions = directions;
    }

    static double[] unitVector(Random rnd, int d) {
        double[] u = new double[d];
        double n = 0;
        for (int j = 0; j < d; j++) {
            u[j] = rnd.nextGaussian();
            n += u[j] * u[j];
        }
        for (int j = 0; j < d; j++) {
            u[j] /= Math.sqrt(n);
        }
        return u;
    }

    /**
     * {@code perClass} examples of each class; example of class c and type t:
     * {@code separation·u_c + typeSpread·v_t + N(0, I)}, with {@code typesPerClass} types per class.
     */
    static Synthetic make(long seed, int classes, int d, int perClass, double separation, int typesPerClass,
            double typeSpread) {
        Random rnd = new Random(seed);
        double[][] u = new double[classes][];
        for (int c = 0; c < classes; c++) {
            u[c] = unitVector(rnd, d);
        }
        double[][] v = new double[classes * typesPerClass][];
        for (int t = 0; t < v.length; t++) {
            v[t] = unitVector(rnd, d);
        }
        int n = classes * perClass;
        float[] data = new float[n * d];
        int[] y = new int[n];
        int[] types = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % classes;
            int t = c * typesPerClass + rnd.nextInt(typesPerClass);
            y[i] = c;
            types[i] = t;
            for (int j = 0; j < d; j++) {
                data[i * d + j] = (float) (separation * u[c][j] + typeSpread * v[t][j] + rnd.nextGaussian());
            }
        }
        return new Synthetic(Tensor.of(data, n, d), y, types, u);
    }

    static double cosine(double[] a, double[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int j = 0; j < a.length; j++) {
            ab += a[j] * b[j];
            aa += a[j] * a[j];
            bb += b[j] * b[j];
        }
        return ab / Math.sqrt(aa * bb);
    }
}
