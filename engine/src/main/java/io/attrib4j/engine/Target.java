package io.attrib4j.engine;

import java.util.Arrays;

/**
 * Which scalar of the model output an attribution explains, for each example of a batch.
 *
 * <p>Captum's convention: the scalar is the <em>raw</em> output at the target index (a logit, no
 * softmax). Three kinds:
 * <ul>
 *   <li>{@link #classIndex(int)}: the same output index for every example;</li>
 *   <li>{@link #perExample(int...)}: one index per example;</li>
 *   <li>{@link #of(OutputScalar)}: any differentiable scalar of an example's output row (a softmax
 *       probability, a margin between two logits).</li>
 * </ul>
 *
 * <p>A target knows the value of its scalar and the scalar's gradient with respect to the output row
 * (the "seed" of backpropagation); models use the seed, so one model call serves every kind of target.
 * When a method expands a batch (integration steps, noise samples), it {@link #gather gathers} the
 * target the same way as the rows.
 */
public abstract class Target {

    /** A differentiable scalar of one example's output row. */
    public interface OutputScalar {
        /** The scalar for the output row {@code out}. */
        float value(float[] out);

        /** d value / d out, written into {@code grad} (same length as {@code out}). */
        void gradient(float[] out, float[] grad);

        /** A short description for provenance records. */
        default String describe() {
            return "custom";
        }
    }

    private Target() {}

    /** The same output index for every example. */
    public static Target classIndex(int index) {
        if (index < 0) {
            throw new InvalidTargetException("target index " + index + " is negative; use an output index from 0");
        }
        return new Indices(null, index);
    }

    /** One output index per example, in batch order. */
    public static Target perExample(int... indices) {
        if (indices.length == 0) {
            throw new InvalidTargetException("no per-example targets given; give one output index per example");
        }
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0) {
                throw new InvalidTargetException(
                        "target index " + indices[i] + " for example " + i + " is negative; use an output index from 0");
            }
        }
        return new Indices(indices.clone(), -1);
    }

    /** A custom scalar of each example's output. */
    public static Target of(OutputScalar scalar) {
        return new Custom(scalar);
    }

    /**
     * Checks that this target can be applied to a model output of shape {@code outputShape}
     * (batch first).
     *
     * @throws InvalidTargetException naming the index or count that does not fit
     */
    public abstract void validate(Shape outputShape);

    /**
     * Checks that this target has a value for each of {@code batch} examples, before any model runs.
     *
     * @throws InvalidTargetException when a per-example target list has the wrong length
     */
    public abstract void validateBatch(int batch);

    /** The target seen through a rearranged batch: row {@code r} takes the target of row {@code rowMap[r]}. */
    public abstract Target gather(int[] rowMap);

    /** The target scalar of each row of {@code output}. */
    public abstract float[] select(Tensor output);

    /** d(scalar of each row) / d(output), same shape as {@code output}: what a model backpropagates. */
    public abstract Tensor seed(Tensor output);

    /** The index for example {@code row}, or -1 for a custom scalar. */
    public abstract int indexOf(int row);

    /** Human-readable form for provenance records and messages. */
    public abstract String describe();

    @Override
    public String toString() {
        return describe();
    }

    private static final class Indices extends Target {
        private final int[] perRow; // null: same index everywhere
        private final int single;

        Indices(int[] perRow, int single) {
            this.perRow = perRow;
            this.single = single;
        }

        @Override
        public int indexOf(int row) {
            return perRow == null ? single : perRow[row];
        }

        @Override
        public void validateBatch(int n) {
            if (perRow != null && perRow.length != n) {
                throw new InvalidTargetException("got " + perRow.length + " per-example targets for a batch of " + n
                        + " examples; give exactly one target per example, or one class index for all");
            }
        }

        @Override
        public void validate(Shape outputShape) {
            int n = outputShape.batch();
            int width = outputShape.rowSize();
            validateBatch(n);
            for (int i = 0; i < n; i++) {
                int t = indexOf(i);
                if (t >= width) {
                    throw new InvalidTargetException("target index " + t + (perRow == null ? "" : " for example " + i)
                            + " is out of range: the model has " + width + " outputs per example (valid: 0.."
                            + (width - 1) + ")");
                }
            }
        }

        @Override
        public Target gather(int[] rowMap) {
            if (perRow == null) {
                return this;
            }
            int[] g = new int[rowMap.length];
            for (int r = 0; r < rowMap.length; r++) {
                g[r] = perRow[rowMap[r]];
            }
            return new Indices(g, -1);
        }

        @Override
        public float[] select(Tensor output) {
            validate(output.shape());
            int w = output.rowSize();
            float[] out = new float[output.batch()];
            for (int i = 0; i < out.length; i++) {
                out[i] = output.data()[i * w + indexOf(i)];
            }
            return out;
        }

        @Override
        public Tensor seed(Tensor output) {
            validate(output.shape());
            int w = output.rowSize();
            float[] s = new float[output.size()];
            for (int i = 0; i < output.batch(); i++) {
                s[i * w + indexOf(i)] = 1f;
            }
            return Tensor.of(s, output.shape());
        }

        @Override
        public String describe() {
            return perRow == null ? "class " + single : "classes " + Arrays.toString(perRow);
        }
    }

    private static final class Custom extends Target {
        private final OutputScalar scalar;

        Custom(OutputScalar scalar) {
            this.scalar = scalar;
        }

        @Override
        public int indexOf(int row) {
            return -1;
        }

        @Override
        public void validateBatch(int batch) {
            // one scalar function serves every row
        }

        @Override
        public void validate(Shape outputShape) {
            // any output row is a valid argument of a custom scalar
        }

        @Override
        public Target gather(int[] rowMap) {
            return this;
        }

        @Override
        public float[] select(Tensor output) {
            int w = output.rowSize();
            float[] out = new float[output.batch()];
            for (int i = 0; i < out.length; i++) {
                out[i] = scalar.value(Arrays.copyOfRange(output.data(), i * w, (i + 1) * w));
            }
            return out;
        }

        @Override
        public Tensor seed(Tensor output) {
            int w = output.rowSize();
            float[] s = new float[output.size()];
            float[] g = new float[w];
            for (int i = 0; i < output.batch(); i++) {
                Arrays.fill(g, 0f);
                scalar.gradient(Arrays.copyOfRange(output.data(), i * w, (i + 1) * w), g);
                System.arraycopy(g, 0, s, i * w, w);
            }
            return Tensor.of(s, output.shape());
        }

        @Override
        public String describe() {
            return scalar.describe();
        }
    }
}
