package io.attrib4j.engine;

import java.util.List;

/**
 * A dense, row-major (C order) block of numbers with a {@link Shape}, batch first: the currency of both
 * seams. Data lives on the Java heap as one {@code float[]}; adapters copy it once into the engine they
 * drive (DJL, ND4J, a GPU) and once back.
 *
 * <p>Tensors are treated as immutable: {@link #data()} exposes the backing array without a copy, for
 * the adapters and backends that must read it quickly, and nobody writes into it after construction.
 */
public final class Tensor {
    private final Shape shape;
    private final float[] data;
    private final DType dtype;

    private Tensor(Shape shape, float[] data, DType dtype) {
        if (shape.size() != data.length) {
            throw new IllegalArgumentException(
                    "shape " + shape + " needs " + shape.size() + " values, got " + data.length);
        }
        this.shape = shape;
        this.data = data;
        this.dtype = dtype;
    }

    /** Wraps {@code data} (not copied: the caller hands it over) as a float tensor of {@code shape}. */
    public static Tensor of(float[] data, Shape shape) {
        return new Tensor(shape, data, DType.FLOAT32);
    }

    /** Wraps {@code data} (not copied) as a float tensor with the given dimensions. */
    public static Tensor of(float[] data, int... dims) {
        return of(data, Shape.of(dims));
    }

    /** An integer tensor (token ids): the values are whole numbers held as floats. */
    public static Tensor ofInt64(long[] values, Shape shape) {
        float[] f = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            if (Math.abs(values[i]) > (1L << 24)) {
                throw new IllegalArgumentException(
                        "integer value " + values[i] + " at index " + i + " is above 2^24 and cannot be held exactly");
            }
            f[i] = values[i];
        }
        return new Tensor(shape, f, DType.INT64);
    }

    public static Tensor zeros(Shape shape) {
        return of(new float[shape.size()], shape);
    }

    public static Tensor filled(Shape shape, float value) {
        float[] d = new float[shape.size()];
        java.util.Arrays.fill(d, value);
        return of(d, shape);
    }

    public Shape shape() {
        return shape;
    }

    public DType dtype() {
        return dtype;
    }

    /** The backing array, not a copy. Read it; never write to it. */
    public float[] data() {
        return data;
    }

    /** The values as {@code long}s, for integer tensors. */
    public long[] toLongArray() {
        long[] out = new long[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = (long) data[i];
        }
        return out;
    }

    public int batch() {
        return shape.batch();
    }

    public int rowSize() {
        return shape.rowSize();
    }

    public int size() {
        return data.length;
    }

    /** The element at a full index. */
    public float get(int... index) {
        if (index.length != shape.rank()) {
            throw new IllegalArgumentException("index of rank " + index.length + " for shape " + shape);
        }
        int flat = 0;
        for (int a = 0; a < index.length; a++) {
            if (index[a] < 0 || index[a] >= shape.dim(a)) {
                throw new IndexOutOfBoundsException("index " + index[a] + " on axis " + a + " of shape " + shape);
            }
            flat = flat * shape.dim(a) + index[a];
        }
        return data[flat];
    }

    /** The same values seen with another shape of the same size. */
    public Tensor reshape(Shape newShape) {
        return new Tensor(newShape, data, dtype);
    }

    /** Rows {@code [from, to)} as a new tensor (copied). */
    public Tensor rows(int from, int to) {
        int rs = rowSize();
        float[] d = java.util.Arrays.copyOfRange(data, from * rs, to * rs);
        return new Tensor(shape.withBatch(to - from), d, dtype);
    }

    public Tensor row(int i) {
        return rows(i, i + 1);
    }

    /** One value per row of a tensor whose rows have a single element. */
    public float[] rowValues() {
        if (rowSize() != 1) {
            throw new IllegalStateException("rows of shape " + shape.dropBatch() + " are not scalars");
        }
        return data.clone();
    }

    /** New tensor whose row {@code r} is this tensor's row {@code rowMap[r]}. */
    public Tensor gatherRows(int[] rowMap) {
        int rs = rowSize();
        float[] d = new float[rowMap.length * rs];
        for (int r = 0; r < rowMap.length; r++) {
            System.arraycopy(data, rowMap[r] * rs, d, r * rs, rs);
        }
        return new Tensor(shape.withBatch(rowMap.length), d, dtype);
    }

    /** Rows of all tensors, in order. All must share the example shape and dtype. */
    public static Tensor concatRows(List<Tensor> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to concatenate");
        }
        Shape example = parts.get(0).shape.dropBatch();
        int total = 0;
        for (Tensor t : parts) {
            if (!t.shape.dropBatch().equals(example)) {
                throw new IllegalArgumentException(
                        "cannot stack rows of shape " + t.shape.dropBatch() + " onto rows of shape " + example);
            }
            total += t.batch();
        }
        float[] d = new float[total * example.size()];
        int off = 0;
        for (Tensor t : parts) {
            System.arraycopy(t.data, 0, d, off, t.data.length);
            off += t.data.length;
        }
        return new Tensor(example.prependBatch(total), d, parts.get(0).dtype);
    }

    /** Sum of the elements of each row. */
    public float[] rowSums() {
        int n = batch();
        int rs = rowSize();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = i * rs; j < (i + 1) * rs; j++) {
                s += data[j];
            }
            out[i] = (float) s;
        }
        return out;
    }

    /** Index of the largest value of each row (the predicted class of a logits batch). */
    public int[] argmaxRows() {
        int n = batch();
        int rs = rowSize();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < rs; j++) {
                if (data[i * rs + j] > data[i * rs + best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** Largest absolute value. */
    public float maxAbs() {
        float m = 0;
        for (float v : data) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    @Override
    public String toString() {
        return "Tensor" + shape + (dtype == DType.INT64 ? " int64" : "");
    }
}
