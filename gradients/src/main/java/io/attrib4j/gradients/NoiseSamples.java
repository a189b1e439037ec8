package io.attrib4j.gradients;

import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import java.util.SplittableRandom;

/**
 * What {@link NoiseTunnel} and {@link GradientShap} share: the expanded batch of {@code n} noisy copies
 * per example, laid out like Captum's {@code repeat_interleave} (row {@code k = i*n + j} is sample
 * {@code j} of example {@code i}), seeded Gaussian noise, and the per-example statistics over the samples.
 */
final class NoiseSamples {
    private NoiseSamples() {}

    /** Row {@code k} of an expanded batch of {@code samples} copies per example belongs to example {@code k / samples}. */
    static int[] owners(int fromRow, int toRow, int samples) {
        int[] rows = new int[toRow - fromRow];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = (fromRow + r) / samples;
        }
        return rows;
    }

    /**
     * Rows {@code [fromRow, fromRow + noise.batch())} of the noisy batch: {@code x[k / samples] + noise[k - fromRow]},
     * added in float32 (as Captum adds the noise to the repeated input).
     */
    static Tensor addNoise(Tensor input, Tensor noise, int fromRow, int samples) {
        int rs = input.rowSize();
        float[] x = input.data();
        float[] e = noise.data();
        float[] out = new float[e.length];
        for (int r = 0; r < noise.batch(); r++) {
            int src = (fromRow + r) / samples * rs;
            for (int c = 0; c < rs; c++) {
                out[r * rs + c] = x[src + c] + e[r * rs + c];
            }
        }
        return Tensor.of(out, input.shape().withBatch(noise.batch()));
    }

    /**
     * Checks that recorded noise has one row per (example, sample) pair and the input's example shape.
     *
     * @throws InvalidOptionException naming the shape that is needed
     */
    static void checkRows(Tensor noise, Tensor input, int samples, String option) {
        Shape needed = input.shape().withBatch(input.batch() * samples);
        if (!noise.shape().equals(needed)) {
            throw new InvalidOptionException(option + " has shape " + noise.shape() + " but this call needs " + needed
                    + " (" + input.batch() + " examples x " + samples + " samples, row i*" + samples
                    + "+j for sample j of example i); record the noise for this batch or let the seed draw it");
        }
    }

    /**
     * Standard normal draws from a {@link SplittableRandom} by the Box-Muller transform (both values of
     * each pair are used, in order), with {@link StrictMath} so that a seed gives the same numbers on
     * every JVM. Not thread-safe: one per call.
     */
    static final class Gaussian {
        private final SplittableRandom random;
        private double spare;
        private boolean hasSpare;

        Gaussian(SplittableRandom random) {
            this.random = random;
        }

        double next() {
            if (hasSpare) {
                hasSpare = false;
                return spare;
            }
            double u1 = 1.0 - random.nextDouble(); // (0, 1]: log is finite
            double u2 = random.nextDouble();
            double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
            double theta = 2.0 * StrictMath.PI * u2;
            spare = r * StrictMath.sin(theta);
            hasSpare = true;
            return r * StrictMath.cos(theta);
        }

        /** A tensor of {@code shape} with independent N(0, stdev^2) values, drawn in row-major order. */
        Tensor tensor(Shape shape, double stdev) {
            float[] d = new float[shape.size()];
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) (stdev * next());
            }
            return Tensor.of(d, shape);
        }
    }

    /**
     * Per-example sums of the attributions of the samples and of their squares, accumulated in double over
     * chunks of the expanded batch (so memory is bounded by one example's attribution, not n).
     */
    static final class Stats {
        private final int examples;
        private final int samples;
        private Shape exampleShape;
        private double[] sum;
        private double[] sumSq;

        Stats(int examples, int samples) {
            this.examples = examples;
            this.samples = samples;
        }

        /** Adds the attributions of rows {@code [fromRow, fromRow + attributions.batch())} of the expanded batch. */
        void add(int fromRow, Tensor attributions) {
            int rs = attributions.rowSize();
            if (sum == null) {
                exampleShape = attributions.shape().dropBatch();
                sum = new double[examples * rs];
                sumSq = new double[examples * rs];
            }
            float[] a = attributions.data();
            for (int r = 0; r < attributions.batch(); r++) {
                int dst = (fromRow + r) / samples * rs;
                for (int c = 0; c < rs; c++) {
                    double v = a[r * rs + c];
                    sum[dst + c] += v;
                    sumSq[dst + c] += v * v;
                }
            }
        }

        /** {@code (sum_j A_{i,j}) / n}. */
        Tensor mean() {
            float[] out = new float[sum.length];
            for (int e = 0; e < out.length; e++) {
                out[e] = (float) (sum[e] / samples);
            }
            return result(out);
        }

        /** {@code (sum_j A_{i,j}^2) / n}. */
        Tensor meanOfSquares() {
            float[] out = new float[sum.length];
            for (int e = 0; e < out.length; e++) {
                out[e] = (float) (sumSq[e] / samples);
            }
            return result(out);
        }

        /**
         * {@code meanOfSquares - mean^2}, computed in double and clamped at 0: the true value is never
         * negative, and the clamp only removes rounding below zero.
         */
        Tensor variance() {
            float[] out = new float[sum.length];
            for (int e = 0; e < out.length; e++) {
                double m = sum[e] / samples;
                out[e] = (float) Math.max(0.0, sumSq[e] / samples - m * m);
            }
            return result(out);
        }

        private Tensor result(float[] data) {
            return Tensor.of(data, exampleShape.prependBatch(examples));
        }
    }
}
