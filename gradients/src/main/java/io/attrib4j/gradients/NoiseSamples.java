package io.attrib4j.gradients;

import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.SampleSums;

/**
 * What {@link NoiseTunnel} and {@link GradientShap} share: the expanded batch of {@code n} noisy copies
 * per example, laid out like Captum's {@code repeat_interleave} (row {@code k = i*n + j} is sample
 * {@code j} of example {@code i}), and the per-example statistics over the samples. The seeded noise is
 * the backend's ({@link Backend#gaussian}): row {@code k} of the expanded batch takes values
 * {@code k*rowSize .. (k+1)*rowSize - 1} of the seed's stream, so any chunk of rows draws alone.
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
     * Checks the sampling options both methods share: at least one sample per example and a finite, non-negative
     * absolute {@code stdevs}; {@code defaults} says what the method's defaults are, for the message.
     *
     * @throws InvalidOptionException naming the option and a valid value
     */
    static void checkSampling(int samples, double stdevs, String defaults) {
        if (samples < 1) {
            throw new InvalidOptionException("samples = " + samples + "; use at least 1 noisy sample per example ("
                    + defaults + ")");
        }
        if (!(stdevs >= 0) || Double.isInfinite(stdevs)) {
            throw new InvalidOptionException("stdevs = " + stdevs + "; use a finite standard deviation >= 0 "
                    + "(absolute, in input units; " + defaults + ")");
        }
    }

    /** The seed of a method whose draws may be replayed: unset when they are, required when they are not. */
    static Long seedUnlessReplayed(Long seed, boolean replayed) {
        return replayed ? null : GradientPass.require(seed, "seed");
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
     * Rows {@code [fromRow, fromRow + rows)} of the seeded noise of an expanded batch shaped like
     * {@code input}, drawn by the backend from the seed's stream at offset {@code fromRow * rowSize}.
     */
    static Tensor seededNoise(Backend backend, Tensor input, int fromRow, int rows, double stdev, long seed) {
        return backend.gaussian(input.shape().withBatch(rows), (float) stdev, seed, (long) fromRow * input.rowSize());
    }

    /**
     * Per-example sums of the attributions of the samples and of their squares, accumulated in double by
     * the backend ({@link Backend#accumulateSamples}) over chunks of the expanded batch (so memory is
     * bounded by one example's attribution, not n).
     */
    static final class Stats {
        private final Backend backend;
        private final int examples;
        private final int samples;
        private Shape exampleShape;
        private double[] sum;
        private double[] sumSq;
        private SampleSums sums;

        Stats(Backend backend, int examples, int samples) {
            this.backend = backend;
            this.examples = examples;
            this.samples = samples;
        }

        /** Adds the attributions of rows {@code [fromRow, fromRow + attributions.batch())} of the expanded batch. */
        void add(int fromRow, Tensor attributions) {
            if (sums == null) {
                exampleShape = attributions.shape().dropBatch();
                sums = SampleSums.zeros(examples, exampleShape);
            }
            sums = backend.accumulateSamples(sums, attributions, fromRow, samples);
            sum = sums.sum();
            sumSq = sums.sumOfSquares();
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
