package io.attrib4j.engine;

import java.util.Arrays;

/** Checks every method runs on its inputs before touching a model. */
public final class Inputs {
    private Inputs() {}

    /**
     * Rejects an empty batch and any NaN or infinite value.
     *
     * @param what how the message names the tensor ("input", "baseline")
     */
    public static void requireFinite(Tensor t, String what) {
        if (t.shape().rank() == 0 || t.size() == 0) {
            throw new InvalidInputException(what + " is empty (shape " + t.shape() + "); give at least one example");
        }
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i])) {
                throw new InvalidInputException(what + " contains " + d[i] + " at " + indexString(t.shape(), i)
                        + "; attributions of non-finite values are undefined: clean or impute the " + what + " first");
            }
        }
    }

    /** Requires {@code t} to have the given rank, naming the expected layout in the message. */
    public static void requireRank(Tensor t, int rank, String what, String layout) {
        if (t.shape().rank() != rank) {
            throw new InvalidInputException(what + " has shape " + t.shape() + " (rank " + t.shape().rank()
                    + ") but rank " + rank + " is needed: " + layout);
        }
    }

    /** Requires two tensors to have the same shape. */
    public static void requireSameShape(Tensor a, String aName, Tensor b, String bName) {
        if (!a.shape().equals(b.shape())) {
            throw new InvalidInputException(aName + " has shape " + a.shape() + " but " + bName + " has shape "
                    + b.shape() + "; they must match");
        }
    }

    /** The multi-dimensional index of flat position {@code flat}, as "[i, j, ...]". */
    public static String indexString(Shape shape, int flat) {
        int[] idx = new int[shape.rank()];
        for (int a = shape.rank() - 1; a >= 0; a--) {
            idx[a] = flat % shape.dim(a);
            flat /= shape.dim(a);
        }
        return "index " + Arrays.toString(idx);
    }
}
