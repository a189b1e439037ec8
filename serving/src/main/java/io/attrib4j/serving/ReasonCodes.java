package io.attrib4j.serving;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Tensor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Adverse-action reason codes for tabular models: the top-k features pushing toward the adverse decision,
 * read from the <em>signed</em> attributions of the adverse class (for example Integrated Gradients with
 * {@code Target.classIndex(adverse)}), mapped through a feature dictionary to human-readable reasons,
 * with each feature's value.
 *
 * <pre>reasons = top_k { j : a_j > 0 } by a_j descending (ties: lower index first)</pre>
 *
 * Features with zero or negative attribution argue against the adverse decision and are never reasons.
 * Use it on attributions that are signed (not Saliency's absolute values) and on flat feature rows.
 */
public final class ReasonCodes {
    private final Map<Integer, String> dictionary;
    private final int topK;

    private ReasonCodes(Builder b) {
        this.dictionary = Map.copyOf(b.dictionary);
        this.topK = b.topK;
    }

    /** {@link Builder#setDictionary} is required; top 4 reasons by default (the usual adverse-action count). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The reasons for example {@code example} of {@code input}.
     *
     * @param input the explained batch, one flat feature row per example
     * @param attribution its signed attributions toward the adverse class, same shape
     * @param example the row to explain
     */
    public List<ReasonCode> reasons(Tensor input, Attribution attribution, int example) {
        Tensor values = attribution.values();
        if (!values.shape().equals(input.shape())) {
            throw new InvalidInputException("attribution shape " + values.shape() + " differs from input shape "
                    + input.shape() + "; pass the input that was explained with its attribution");
        }
        if (example < 0 || example >= input.batch()) {
            throw new InvalidInputException("example " + example + " is outside the batch of " + input.batch()
                    + "; use 0.." + (input.batch() - 1));
        }
        int d = input.rowSize();
        int off = example * d;
        float[] a = values.data();
        int[] order = IntStream.range(0, d).filter(j -> a[off + j] > 0).boxed()
                .sorted(Comparator.comparingDouble((Integer j) -> -a[off + j]).thenComparingInt(j -> j))
                .mapToInt(Integer::intValue).limit(topK).toArray();
        List<ReasonCode> out = new ArrayList<>();
        for (int r = 0; r < order.length; r++) {
            int j = order[r];
            out.add(new ReasonCode(r + 1, j, dictionary.getOrDefault(j, "feature " + j), input.data()[off + j],
                    a[off + j]));
        }
        return out;
    }

    /** Options of {@link ReasonCodes}; {@link #build()} validates them. */
    public static final class Builder {
        private Map<Integer, String> dictionary;
        private int topK = 4;

        private Builder() {}

        /** Feature index to reason text ("debt-to-income ratio too high"); unmapped features read "feature j". */
        public Builder setDictionary(Map<Integer, String> dictionary) {
            this.dictionary = new TreeMap<>(dictionary);
            return this;
        }

        public Builder optTopK(int topK) {
            this.topK = topK;
            return this;
        }

        public ReasonCodes build() {
            if (dictionary == null) {
                throw new InvalidOptionException("reason codes need a feature dictionary; call setDictionary(map of "
                        + "feature index to reason)");
            }
            if (dictionary.keySet().stream().anyMatch(j -> j < 0)) {
                throw new InvalidOptionException("feature dictionary has a negative index; index features from 0");
            }
            if (topK < 1) {
                throw new InvalidOptionException("top-k is " + topK + "; ask for at least 1 reason");
            }
            return new ReasonCodes(this);
        }
    }
}
