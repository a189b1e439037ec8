package io.attrib4j.engine.backend;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;

/** The operand checks every {@link Backend} implementation makes, in one place so messages agree. */
public final class BackendChecks {
    private BackendChecks() {}

    /** Element-wise operands must have the same shape. */
    public static void requireSameShape(Tensor a, Tensor b, String op) {
        if (!a.shape().equals(b.shape())) {
            throw new IllegalArgumentException(op + ": shapes " + a.shape() + " and " + b.shape() + " differ");
        }
    }

    /** A step-major gradient batch must hold {@code steps * n} rows. */
    public static void requireStepBatch(Tensor grads, int steps, int n) {
        if (grads.batch() != steps * n) {
            throw new IllegalArgumentException("gradient batch " + grads.batch() + " is not " + steps + " steps x " + n
                    + " examples");
        }
    }

    /** A noise draw needs a non-negative stream offset. */
    public static void requireNoiseOffset(Shape shape, long offset) {
        if (offset < 0 || offset > Long.MAX_VALUE - shape.size()) {
            throw new IllegalArgumentException("gaussian: offset " + offset + " is outside [0, 2^63 - size); use the "
                    + "index of the draw's first value in the seed's stream");
        }
    }

    /** Rows {@code [fromRow, fromRow + rows.batch())} of an expanded batch must fit the sums' examples and shape. */
    public static void requireSampleRows(SampleSums sums, Tensor rows, int fromRow, int samples) {
        int examples = sums.shape().batch();
        if (samples < 1 || fromRow < 0 || (long) fromRow + rows.batch() > (long) examples * samples
                || rows.rowSize() * examples != sums.shape().size()) {
            throw new IllegalArgumentException("accumulateSamples: rows [" + fromRow + ", " + (fromRow + rows.batch())
                    + ") of shape " + rows.shape() + " do not fit " + examples + " examples x " + samples
                    + " samples of sums " + sums.shape());
        }
    }
}
