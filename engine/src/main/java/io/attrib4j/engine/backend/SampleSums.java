package io.attrib4j.engine.backend;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;

/**
 * The NoiseTunnel accumulators: per example {@code i} of {@code [N, ...]}, the sums over its samples of
 * the attributions and of their squares, in double,
 * <pre>
 * sum[i]          = sum_j a[i*n + j]
 * sumOfSquares[i] = sum_j a[i*n + j]^2
 * </pre>
 * over the rows of an expanded batch laid out like Captum's {@code repeat_interleave} (row
 * {@code k = i*n + j} is sample {@code j} of example {@code i}), fed in chunks of rows by
 * {@link Backend#accumulateSamples}. Each element adds its rows in ascending row order, in double (a
 * float32 square is exact in double), so chunking does not change a bit and the CUDA kernel
 * {@code accumulate_samples} ({@code noise.cu}) gives the same doubles. Immutable: accumulating returns
 * new sums.
 *
 * @param shape {@code [N, ...]}, the shape of one attribution per example
 * @param sum {@code shape.size()} sums
 * @param sumOfSquares {@code shape.size()} sums of squares
 */
public record SampleSums(Shape shape, double[] sum, double[] sumOfSquares) {

    /** Zero sums for {@code examples} examples of {@code exampleShape}. */
    public static SampleSums zeros(int examples, Shape exampleShape) {
        Shape s = exampleShape.prependBatch(examples);
        return new SampleSums(s, new double[s.size()], new double[s.size()]);
    }

    /**
     * The Java twin of the backend op: these sums plus rows {@code [fromRow, fromRow + rows.batch())} of
     * the expanded batch of {@code samples} samples per example.
     */
    public SampleSums plus(Tensor rows, int fromRow, int samples) {
        BackendChecks.requireSampleRows(this, rows, fromRow, samples);
        double[] s = sum.clone();
        double[] q = sumOfSquares.clone();
        int rs = rows.rowSize();
        float[] a = rows.data();
        for (int r = 0; r < rows.batch(); r++) {
            int dst = (fromRow + r) / samples * rs;
            for (int c = 0; c < rs; c++) {
                double v = a[r * rs + c];
                s[dst + c] += v;
                q[dst + c] += v * v;
            }
        }
        return new SampleSums(shape, s, q);
    }
}
