package io.attrib4j.metrics;

/**
 * The target score of each example as a growing fraction of its features is perturbed, and the area
 * under each curve.
 *
 * @param fractions the fraction of features perturbed at each point, increasing from 0 to at most 1
 * @param scores {@code scores[i][k]}: the target score of example {@code i} at {@code fractions[k]}
 * @param auc the area under each example's curve, trapezoid rule over {@code fractions}
 */
public record ScoreCurves(double[] fractions, float[][] scores, double[] auc) {

    /** Builds the curves and their areas. */
    static ScoreCurves of(double[] fractions, float[][] scores) {
        double[] auc = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            auc[i] = trapezoid(fractions, scores[i]);
        }
        return new ScoreCurves(fractions.clone(), scores, auc);
    }

    /** {@code sum_k (x_{k+1} - x_k) (y_k + y_{k+1}) / 2}. */
    static double trapezoid(double[] x, float[] y) {
        double area = 0;
        for (int k = 0; k + 1 < x.length; k++) {
            area += (x[k + 1] - x[k]) * (y[k] + (double) y[k + 1]) / 2;
        }
        return area;
    }

    /** The mean area over examples. */
    public double meanAuc() {
        double s = 0;
        for (double a : auc) {
            s += a;
        }
        return auc.length == 0 ? Double.NaN : s / auc.length;
    }
}
