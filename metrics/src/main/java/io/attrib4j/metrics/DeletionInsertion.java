package io.attrib4j.metrics;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;

/**
 * Deletion and insertion curves (Petsiuk, Das &amp; Saenko, "RISE: Randomized Input Sampling for
 * Explanation of Black-box Models", BMVC 2018), in MoRF or LeRF order (Samek et al. 2017).
 *
 * <p>Features (input elements) are ranked by attribution ({@link RemovalOrder}). At point
 * {@code k = 0..steps}, the first {@code m_k = round(k d / steps)} ranked features of the {@code d} are
 * <ul>
 *   <li>{@link Mode#DELETION}: replaced by the baseline's values, starting from the input;</li>
 *   <li>{@link Mode#INSERTION}: copied from the input, starting from the baseline,</li>
 * </ul>
 * and the target score {@code F_t} is recorded against the fraction {@code m_k / d}. The area under the
 * curve is the trapezoid rule over that fraction. With MoRF, a faithful attribution gives a
 * <em>low</em> deletion AUC and a <em>high</em> insertion AUC.
 *
 * <p>All {@code n (steps + 1)} perturbed inputs go through the model in batches of {@code batchSize}.
 * Use it to compare attribution maps of one model on one data set: the numbers depend on the baseline
 * and on how the model treats out-of-distribution inputs ({@link Road} reduces that effect).
 */
public final class DeletionInsertion {

    /** Remove features from the input, or insert them into the baseline. */
    public enum Mode { DELETION, INSERTION }

    private final Mode mode;
    private final RemovalOrder order;
    private final int steps;
    private final Baseline baseline;
    private final int batchSize;

    private DeletionInsertion(Builder b) {
        this.mode = b.mode;
        this.order = b.order;
        this.steps = b.steps;
        this.baseline = b.baseline;
        this.batchSize = b.batchSize;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The curves of each example of {@code input} for {@code attribution}'s values. */
    public ScoreCurves evaluate(ForwardModel model, Tensor input, Target target, Attribution attribution) {
        return evaluate(model, input, target, attribution.values());
    }

    /** The curves of each example of {@code input}, features ranked by {@code attributions}. */
    public ScoreCurves evaluate(ForwardModel model, Tensor input, Target target, Tensor attributions) {
        MetricInputs.validate(model, input, target, attributions);
        int n = input.batch();
        int d = input.rowSize();
        Tensor base = baseline.resolve(input);
        float[] from = (mode == Mode.DELETION ? input : base).data();
        float[] to = (mode == Mode.DELETION ? base : input).data();
        float[] variants = new float[n * (steps + 1) * d];
        double[] fractions = new double[steps + 1];
        for (int i = 0; i < n; i++) {
            float[] row = java.util.Arrays.copyOfRange(attributions.data(), i * d, (i + 1) * d);
            int[] ranked = order.rank(row);
            float[] current = java.util.Arrays.copyOfRange(from, i * d, (i + 1) * d);
            int done = 0;
            for (int k = 0; k <= steps; k++) {
                int m = (int) Math.round((double) k * d / steps);
                for (; done < m; done++) {
                    current[ranked[done]] = to[i * d + ranked[done]];
                }
                fractions[k] = (double) m / d;
                System.arraycopy(current, 0, variants, (i * (steps + 1) + k) * d, d);
            }
        }
        Tensor batch = Tensor.of(variants, input.shape().withBatch(n * (steps + 1)));
        float[] s = MetricInputs.scores(model, batch, target, steps + 1, batchSize);
        float[][] scores = new float[n][steps + 1];
        for (int i = 0; i < n; i++) {
            System.arraycopy(s, i * (steps + 1), scores[i], 0, steps + 1);
        }
        return ScoreCurves.of(fractions, scores);
    }

    /** Options; {@link #build()} validates them. */
    public static final class Builder {
        private Mode mode = Mode.DELETION;
        private RemovalOrder order = RemovalOrder.MORF;
        private int steps = 20;
        private Baseline baseline = Baseline.zeros();
        private int batchSize = 64;

        private Builder() {}

        /** Deletion (default) or insertion. */
        public Builder optMode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /** MoRF (default) or LeRF. */
        public Builder optOrder(RemovalOrder order) {
            this.order = order;
            return this;
        }

        /** Number of chunks the features are removed in (default 20): the curve has steps + 1 points. */
        public Builder optSteps(int steps) {
            this.steps = steps;
            return this;
        }

        /** The values removed features take (default zeros). */
        public Builder optBaseline(Baseline baseline) {
            this.baseline = baseline;
            return this;
        }

        /** Most perturbed inputs per model call (default 64). */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public DeletionInsertion build() {
            if (mode == null || order == null || baseline == null) {
                throw new InvalidOptionException("mode, order and baseline must not be null; leave them unset for "
                        + "the defaults (deletion, MoRF, zeros)");
            }
            if (steps < 1) {
                throw new InvalidOptionException("steps must be at least 1, got " + steps);
            }
            if (batchSize < 1) {
                throw new InvalidOptionException("batchSize must be at least 1, got " + batchSize);
            }
            return new DeletionInsertion(this);
        }
    }
}
