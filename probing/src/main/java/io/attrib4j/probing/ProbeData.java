package io.attrib4j.probing;

import io.attrib4j.engine.Inputs;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Tensor;

/** Validation and conversion of probe inputs: activations {@code [n, d]} and integer labels. */
final class ProbeData {
    private ProbeData() {}

    /** Activations as {@code double[n][d]}, after checking rank 2, non-empty and finite. */
    static double[][] rows(Tensor activations) {
        if (activations == null) {
            throw new InvalidInputException("activations are null; pass a [examples, features] tensor");
        }
        Inputs.requireRank(activations, 2, "activations", "[examples, features]; flatten each example's layer "
                + "activation (e.g. [n, c, h, w] -> [n, c*h*w]) or pool it first");
        Inputs.requireFinite(activations, "activations");
        int n = activations.shape().dim(0);
        int d = activations.shape().dim(1);
        float[] a = activations.data();
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = a[i * d + j];
            }
        }
        return x;
    }

    /**
     * Checks one label per example, none negative, at least two distinct classes.
     *
     * @return the number of classes, {@code max(label) + 1}
     */
    static int numClasses(int[] labels, int examples, String what) {
        if (labels == null) {
            throw new InvalidInputException(what + " are null; pass one class index per example");
        }
        if (labels.length != examples) {
            throw new InvalidInputException("there are " + examples + " examples of activations but " + labels.length
                    + " " + what + "; pass exactly one label per activation row, in the same order");
        }
        int max = -1;
        int first = labels.length == 0 ? 0 : labels[0];
        boolean twoClasses = false;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new InvalidInputException(what + " hold the negative class " + labels[i] + " at example " + i
                        + "; classes are numbered 0, 1, 2, ...");
            }
            max = Math.max(max, labels[i]);
            twoClasses |= labels[i] != first;
        }
        if (!twoClasses) {
            throw new InvalidInputException(what + " contain only one class (" + first
                    + "); a probe needs at least two classes to separate, so add examples of another class");
        }
        return max + 1;
    }

    /** Examples per class, for {@code numClasses} classes. */
    static int[] classCounts(int[] labels, int numClasses) {
        int[] c = new int[numClasses];
        for (int y : labels) {
            c[y]++;
        }
        return c;
    }

    /** The rows of {@code x} at {@code idx}. */
    static double[][] select(double[][] x, int[] idx) {
        double[][] out = new double[idx.length][];
        for (int i = 0; i < idx.length; i++) {
            out[i] = x[idx[i]];
        }
        return out;
    }

    static int[] select(int[] y, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = y[idx[i]];
        }
        return out;
    }
}
