package io.attrib4j.cli;

import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.export.ExplanationJson.Prediction;
import java.util.ArrayList;
import java.util.List;

/** A classifier's answers: softmax probabilities of chosen classes, with labels when known. */
final class Predictions {
    private Predictions() {}

    /** Softmax of row {@code row} of {@code logits} at {@code index}, computed stably. */
    static double probability(Tensor logits, int row, int index) {
        int k = logits.rowSize();
        float[] d = logits.data();
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            max = Math.max(max, d[row * k + j]);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            sum += Math.exp(d[row * k + j] - max);
        }
        return Math.exp(d[row * k + index] - max) / sum;
    }

    /** One prediction per row: the class in {@code classes[row]} with its probability and label. */
    static List<Prediction> of(Tensor logits, int[] classes, List<String> labels) {
        List<Prediction> out = new ArrayList<>();
        for (int i = 0; i < classes.length; i++) {
            out.add(new Prediction(i, classes[i], label(labels, classes[i]), probability(logits, i, classes[i])));
        }
        return out;
    }

    /** The label of class {@code index}, or "class N" when there are no labels. */
    static String label(List<String> labels, int index) {
        return labels != null && index >= 0 && index < labels.size() ? labels.get(index) : "class " + index;
    }
}
