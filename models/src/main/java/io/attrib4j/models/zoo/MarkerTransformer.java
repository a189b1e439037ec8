package io.attrib4j.models.zoo;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The demo text model: a 2-layer, 2-head transformer that reads a [CLS] token and 11 filler words and
 * says whether the sentence holds the marker word "good" (class 1, positive) or "bad" (class 0,
 * negative). Each sentence holds one or two copies of exactly one marker, never at position 0, so the
 * evidence is exactly the marker positions: {@link Samples} records them, and tests check that
 * attributions find them. The classifier reads position 0 only, so the marker can reach it only
 * through attention.
 *
 * @param model the trained classifier, input token ids [N, 12] (INT64), output [N, 2] logits; also an
 *     attention model and cut at layer {@value #EMBEDDING}; shared by every caller (closing does nothing)
 * @param vocabulary word of each token id
 * @param classNames "negative", "positive"
 * @param heldOutAccuracy accuracy on held-out sentences drawn with a seed not used for training
 */
public record MarkerTransformer(TextClassifier model, List<String> vocabulary, List<String> classNames,
        double heldOutAccuracy) {
    /** Tokens per sentence, [CLS] included. */
    public static final int LENGTH = 12;
    /** The padding id (never in generated sentences; the baseline token for Integrated Gradients). */
    public static final int PAD = 0;
    /** The [CLS] id, always at position 0. */
    public static final int CLS = 1;
    /** The marker of class 1. */
    public static final int GOOD = 2;
    /** The marker of class 0. */
    public static final int BAD = 3;
    /** The layer whose output is the token embedding (plus positions), {@code [N, 12, 32]}. */
    public static final String EMBEDDING = "embedding";
    /** The words: ids 0-3 as above, then 46 filler words. */
    public static final List<String> VOCABULARY = words();

    public MarkerTransformer {
        vocabulary = List.copyOf(vocabulary);
        classNames = List.copyOf(classNames);
    }

    /**
     * Generated sentences.
     *
     * @param ids token ids [n, 12] (INT64)
     * @param labels 1 when the marker is "good", 0 when "bad"
     * @param markers for each sentence, the positions of its marker tokens (one or two)
     */
    public record Samples(Tensor ids, int[] labels, int[][] markers) {
        /** Whether position {@code p} of sentence {@code i} holds a marker. */
        public boolean isMarker(int i, int p) {
            for (int m : markers[i]) {
                if (m == p) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Share of sentences whose highest-scored tokens ([CLS] at position 0 excluded) are markers: with
         * {@code allMarkers}, the top {@code m} tokens must be exactly the {@code m} markers; without, the
         * top token must be a marker. Ties go to the earlier position.
         *
         * @param scores token scores [n, seq], higher = more relevant
         */
        public double markerHitRate(Tensor scores, boolean allMarkers) {
            int hits = 0;
            for (int i = 0; i < labels.length; i++) {
                List<Integer> order = new ArrayList<>();
                for (int p = 1; p < LENGTH; p++) {
                    order.add(p);
                }
                final int row = i;
                order.sort((x, y) -> Float.compare(scores.get(row, y), scores.get(row, x)));
                int needed = allMarkers ? markers[i].length : 1;
                boolean hit = true;
                for (int k = 0; k < needed; k++) {
                    hit &= isMarker(i, order.get(k));
                }
                hits += hit ? 1 : 0;
            }
            return (double) hits / labels.length;
        }
    }

    /** {@code n} sentences drawn from {@code seed}: the same seed gives the same sentences. */
    public static Samples samples(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] ids = new long[n * LENGTH];
        int[] labels = new int[n];
        int[][] markers = new int[n][];
        for (int i = 0; i < n; i++) {
            ids[i * LENGTH] = CLS;
            for (int p = 1; p < LENGTH; p++) {
                ids[i * LENGTH + p] = 4 + random.nextInt(VOCABULARY.size() - 4);
            }
            labels[i] = random.nextInt(2);
            int first = 1 + random.nextInt(LENGTH - 1);
            int second = 1 + random.nextInt(LENGTH - 1);
            markers[i] = random.nextBoolean() || second == first ? new int[] {first} : new int[] {first, second};
            for (int p : markers[i]) {
                ids[i * LENGTH + p] = labels[i] == 1 ? GOOD : BAD;
            }
        }
        return new Samples(Tensor.ofInt64(ids, Shape.of(n, LENGTH)), labels, markers);
    }

    /** The words of sentence {@code i} of a [n, seq] id tensor. */
    public List<String> words(Tensor ids, int i) {
        List<String> w = new ArrayList<>();
        for (int p = 0; p < ids.shape().dim(1); p++) {
            w.add(vocabulary.get((int) ids.get(i, p)));
        }
        return w;
    }

    /** Fraction of {@code samples} whose predicted class is the label. */
    public double accuracy(Samples samples) {
        int[] predicted = model.forward(samples.ids()).argmaxRows();
        int right = 0;
        for (int i = 0; i < predicted.length; i++) {
            right += predicted[i] == samples.labels()[i] ? 1 : 0;
        }
        return (double) right / predicted.length;
    }

    private static List<String> words() {
        List<String> v = new ArrayList<>(List.of("[PAD]", "[CLS]", "good", "bad"));
        String[] filler = ("the a of to and in is it that was for on are with as his they be at one have this from "
                + "or had by word but what some we can out other were all there when up use your how said an each "
                + "she which do their time if").split(" ");
        v.addAll(List.of(filler).subList(0, 46));
        return List.copyOf(v);
    }
}
