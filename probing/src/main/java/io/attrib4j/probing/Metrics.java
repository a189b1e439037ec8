package io.attrib4j.probing;

/** Classification scores of one fold. */
final class Metrics {
    private Metrics() {}

    static double accuracy(int[] truth, int[] predicted) {
        int hits = 0;
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] == predicted[i]) {
                hits++;
            }
        }
        return (double) hits / truth.length;
    }

    /**
     * Macro-averaged F1 over the classes that occur in {@code truth} or {@code predicted} (as
     * scikit-learn's {@code f1_score(average="macro")}): {@code F1_c = 2TP / (2TP + FP + FN)}.
     */
    static double macroF1(int[] truth, int[] predicted, int classes) {
        int[] tp = new int[classes];
        int[] fp = new int[classes];
        int[] fn = new int[classes];
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] == predicted[i]) {
                tp[truth[i]]++;
            } else {
                fp[predicted[i]]++;
                fn[truth[i]]++;
            }
        }
        double sum = 0;
        int present = 0;
        for (int c = 0; c < classes; c++) {
            int denom = 2 * tp[c] + fp[c] + fn[c];
            if (denom > 0) {
                sum += 2.0 * tp[c] / denom;
                present++;
            }
        }
        return sum / present;
    }
}
