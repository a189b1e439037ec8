package io.attrib4j.engine;

import java.util.Arrays;

/**
 * The dimensions of a {@link Tensor}, batch first. Immutable.
 *
 * <p>Dimension 0 is the batch for every tensor that crosses the model seam; {@link #rowSize()} is the
 * number of elements in one example.
 */
public final class Shape {
    private final int[] dims;

    private Shape(int[] dims) {
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(dims));
            }
        }
        this.dims = dims;
    }

    /** A shape with the given dimensions. */
    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    /** A shape from {@code long} dimensions, as DJL and ND4J report them. */
    public static Shape of(long... dims) {
        int[] d = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("dimension too large for a heap tensor: " + dims[i]);
            }
            d[i] = (int) dims[i];
        }
        return new Shape(d);
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int axis) {
        return dims[axis];
    }

    /** A copy of the dimensions. */
    public int[] dims() {
        return dims.clone();
    }

    public long[] toLongArray() {
        return Arrays.stream(dims).asLongStream().toArray();
    }

    /** Number of elements. */
    public int size() {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + this + " has more than 2^31 elements");
        }
        return (int) n;
    }

    /** The batch size (dimension 0). */
    public int batch() {
        if (dims.length == 0) {
            throw new IllegalStateException("a scalar shape has no batch dimension");
        }
        return dims[0];
    }

    /** Elements per example: the product of all dimensions but the first. */
    public int rowSize() {
        return batch() == 0 ? dropBatch().size() : size() / batch();
    }

    /** The same shape with a different batch size. */
    public Shape withBatch(int batch) {
        int[] d = dims.clone();
        d[0] = batch;
        return new Shape(d);
    }

    /** The dimensions after the batch. */
    public Shape dropBatch() {
        return new Shape(Arrays.copyOfRange(dims, 1, dims.length));
    }

    /** The shape of {@code batch} examples of this example shape. */
    public Shape prependBatch(int batch) {
        int[] d = new int[dims.length + 1];
        d[0] = batch;
        System.arraycopy(dims, 0, d, 1, dims.length);
        return new Shape(d);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
