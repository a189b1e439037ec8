package io.attrib4j.probing;

/**
 * Scores of a probe over the folds of a {@link CrossValidation}.
 *
 * @param foldAccuracy accuracy on each held-out fold
 * @param foldMacroF1 macro-F1 on each held-out fold
 * @param accuracy mean accuracy and its 95% t-interval across folds
 * @param macroF1 mean macro-F1 and its 95% t-interval across folds
 */
public record CrossValidationResult(double[] foldAccuracy, double[] foldMacroF1, ConfidenceInterval accuracy,
        ConfidenceInterval macroF1) {

    public CrossValidationResult {
        foldAccuracy = foldAccuracy.clone();
        foldMacroF1 = foldMacroF1.clone();
    }

    static CrossValidationResult of(double[] foldAccuracy, double[] foldMacroF1) {
        return new CrossValidationResult(foldAccuracy, foldMacroF1, ConfidenceInterval.t95(foldAccuracy),
                ConfidenceInterval.t95(foldMacroF1));
    }

    @Override
    public double[] foldAccuracy() {
        return foldAccuracy.clone();
    }

    @Override
    public double[] foldMacroF1() {
        return foldMacroF1.clone();
    }

    public double meanAccuracy() {
        return accuracy.mean();
    }

    public double meanMacroF1() {
        return macroF1.mean();
    }
}
