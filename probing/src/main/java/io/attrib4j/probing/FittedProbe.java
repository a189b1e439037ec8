package io.attrib4j.probing;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Tensor;

/**
 * A trained {@link LinearProbe}: scores {@code s = W x + b} in the original activation space (the
 * training standardization folded into {@code W} and {@code b}), predicted class {@code argmax s}.
 * Immutable.
 */
public final class FittedProbe {
    private final double[][] weights; // [K][d], activation space
    private final double[] intercepts; // [K]
    private final int iterations;
    private final double trainingLoss;
    private final boolean converged;

    private FittedProbe(double[][] weights, double[] intercepts, int iterations, double trainingLoss,
            boolean converged) {
        this.weights = weights;
        this.intercepts = intercepts;
        this.iterations = iterations;
        this.trainingLoss = trainingLoss;
        this.converged = converged;
    }

    /** Folds {@code z = (x - mean) / std} into the parameters: {@code W' = W / std}, {@code b' = b - W'·mean}. */
    static FittedProbe fromStandardized(double[] theta, Standardizer st, int classes, int iterations, double loss,
            boolean converged) {
        int d = st.mean.length;
        double[][] w = new double[classes][d];
        double[] b = new double[classes];
        for (int k = 0; k < classes; k++) {
            b[k] = theta[classes * d + k];
            for (int j = 0; j < d; j++) {
                w[k][j] = theta[k * d + j] / st.std[j];
                b[k] -= w[k][j] * st.mean[j];
            }
        }
        return new FittedProbe(w, b, iterations, loss, converged);
    }

    /** The predicted class of each row of {@code activations [n, d]}. */
    public int[] predict(Tensor activations) {
        return predict(rows(activations));
    }

    int[] predict(double[][] x) {
        int[] out = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < weights.length; k++) {
                double s = intercepts[k];
                for (int j = 0; j < x[i].length; j++) {
                    s += weights[k][j] * x[i][j];
                }
                if (s > bestScore) {
                    bestScore = s;
                    best = k;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** Fraction of rows whose predicted class equals the label. */
    public double accuracy(Tensor activations, int[] labels) {
        double[][] x = rows(activations);
        if (labels == null || labels.length != x.length) {
            throw new InvalidInputException("there are " + x.length + " rows of activations but "
                    + (labels == null ? "no" : String.valueOf(labels.length))
                    + " labels; pass exactly one label per row, in the same order");
        }
        return Metrics.accuracy(labels, predict(x));
    }

    /** The weights {@code W [classes, features]} in activation space (copied). */
    public Tensor weights() {
        int k = weights.length;
        int d = weights[0].length;
        float[] f = new float[k * d];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                f[c * d + j] = (float) weights[c][j];
            }
        }
        return Tensor.of(f, k, d);
    }

    /** The intercepts {@code b [classes]} (copied). */
    public double[] intercepts() {
        return intercepts.clone();
    }

    /**
     * For two classes, the direction that raises class 1 over class 0: {@code W[1] - W[0]} (the
     * logistic-regression weight vector of the binary problem).
     */
    public double[] binaryDirection() {
        if (weights.length != 2) {
            throw new IllegalStateException("the probe has " + weights.length
                    + " classes; binaryDirection() is defined for 2 (use weights() for more)");
        }
        double[] d = new double[weights[0].length];
        for (int j = 0; j < d.length; j++) {
            d[j] = weights[1][j] - weights[0][j];
        }
        return d;
    }

    public int numClasses() {
        return weights.length;
    }

    public int numFeatures() {
        return weights[0].length;
    }

    /** L-BFGS iterations used. */
    public int iterations() {
        return iterations;
    }

    /** The regularized training loss at the end. */
    public double trainingLoss() {
        return trainingLoss;
    }

    /** Whether the gradient tolerance was reached within the iteration budget. */
    public boolean converged() {
        return converged;
    }

    private double[][] rows(Tensor activations) {
        double[][] x = ProbeData.rows(activations);
        if (x.length > 0 && x[0].length != numFeatures()) {
            throw new InvalidInputException("activations have " + x[0].length + " features but the probe was trained"
                    + " on " + numFeatures() + "; pass activations of the same layer, flattened the same way");
        }
        return x;
    }
}
