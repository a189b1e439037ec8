package io.attrib4j.engine.backend;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;

/**
 * The backend seam: the attribution arithmetic that is not the model. Implemented by the ND4J CPU
 * backend ({@link Nd4jBackend}) and the JCuda GPU backend; both give the same numbers within float32
 * rounding. The interface lists only the operations the methods use.
 *
 * <p>Layouts follow Captum: an expanded batch of {@code k} steps over {@code n} examples is
 * <em>step-major</em>, row {@code s*n + i} holding step {@code s} of example {@code i}.
 */
public interface Backend {

    /** Short name recorded in provenance ("cpu-nd4j", "cuda:0 NVIDIA H100"). */
    String name();

    /**
     * Points on the straight path from baseline to input, all steps in one batch:
     * {@code out[s*n + i] = b_i + alpha_s * (x_i - b_i)}.
     *
     * @param input {@code [n, ...]}
     * @param baseline same shape as {@code input}
     * @param alphas the path positions, usually in [0, 1]
     * @return {@code [alphas.length * n, ...]}
     */
    Tensor interpolate(Tensor input, Tensor baseline, float[] alphas);

    /**
     * Weighted sum over the steps of a step-major gradient batch:
     * {@code out[i] = sum_s weights[s] * grads[s*n + i]}.
     *
     * @param grads {@code [weights.length * n, ...]}
     * @param n examples per step
     * @return {@code [n, ...]}
     */
    Tensor weightedStepSum(Tensor grads, float[] weights, int n);

    /** Element-wise {@code a + b}. */
    Tensor add(Tensor a, Tensor b);

    /** Element-wise {@code a - b}. */
    Tensor subtract(Tensor a, Tensor b);

    /** Element-wise {@code a * b}. */
    Tensor multiply(Tensor a, Tensor b);

    /** Element-wise {@code |a|}. */
    Tensor abs(Tensor a);

    /**
     * Values {@code offset .. offset + shape.size() - 1} of the N(0, stdev^2) stream of {@code seed}
     * (Philox4x32-10 and Box-Muller, in the layout documented on {@link Philox}), row-major in
     * {@code shape}. A pure function of its arguments: the same on every call and every backend (within
     * one float ulp), and a draw split at any offset equals the whole draw.
     */
    Tensor gaussian(Shape shape, float stdev, long seed, long offset);

    /**
     * The NoiseTunnel accumulators plus rows {@code [fromRow, fromRow + rows.batch())} of an expanded
     * batch of {@code samples} samples per example (row {@code i*samples + j} belongs to example
     * {@code i}); see {@link SampleSums}. Does not change {@code sums}.
     */
    SampleSums accumulateSamples(SampleSums sums, Tensor rows, int fromRow, int samples);
}
