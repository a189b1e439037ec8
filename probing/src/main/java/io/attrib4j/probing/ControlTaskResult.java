package io.attrib4j.probing;

/**
 * A probe scored on the real task and on its control task, on the same folds.
 *
 * @param task cross-validated scores on the real labels
 * @param control cross-validated scores on the control labels
 * @param controlLabels the control label of each example
 */
public record ControlTaskResult(CrossValidationResult task, CrossValidationResult control, int[] controlLabels) {

    public ControlTaskResult {
        controlLabels = controlLabels.clone();
    }

    @Override
    public int[] controlLabels() {
        return controlLabels.clone();
    }

    /** Selectivity: mean task accuracy minus mean control accuracy. */
    public double selectivity() {
        return task.meanAccuracy() - control.meanAccuracy();
    }

    /** Task minus control accuracy on each fold, with its 95% t-interval (a paired comparison). */
    public ConfidenceInterval selectivityInterval() {
        double[] t = task.foldAccuracy();
        double[] c = control.foldAccuracy();
        double[] d = new double[t.length];
        for (int f = 0; f < t.length; f++) {
            d[f] = t[f] - c[f];
        }
        return ConfidenceInterval.t95(d);
    }
}
