package io.attrib4j.engine.backend;

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
}
