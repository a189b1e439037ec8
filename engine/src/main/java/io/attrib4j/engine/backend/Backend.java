package io.attrib4j.engine.backend;

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
}
