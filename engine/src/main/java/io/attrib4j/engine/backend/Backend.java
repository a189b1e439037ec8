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

    // ---- Class activation maps (Grad-CAM family) ----

    /**
     * Mean over the spatial axes: {@code out[n,c] = (float) (sum_{y,x} maps[n,c,y,x] / (h*w))}, the sum
     * taken in double (Grad-CAM's channel weights).
     *
     * @param maps {@code [N, C, h, w]}
     * @return {@code [N, C]}
     */
    Tensor spatialMean(Tensor maps);

    /**
     * The channel-weighted sum of a class activation map:
     * {@code out[n,0,y,x] = (float) sum_c weights[n,c,(y,x)] * activation[n,c,y,x]}, summed in double,
     * rounded once to float, then {@code max(out, 0)} when {@code relu}.
     *
     * @param activation {@code [N, C, h, w]}
     * @param weights {@code [N, C]} (one weight per channel) or {@code [N, C, h, w]} (one per element)
     * @return {@code [N, 1, h, w]}
     */
    Tensor weightedChannelSum(Tensor activation, Tensor weights, boolean relu);

    /**
     * Resizes every plane of {@code maps} to {@code outH x outW} exactly as PyTorch's
     * {@code F.interpolate} in float32 (see {@link Resize} for the index and weight formulas).
     *
     * @param maps {@code [N, C, h, w]}
     * @return {@code [N, C, outH, outW]}
     */
    Tensor resize(Tensor maps, int outH, int outW, Resize mode);

    // ---- Attention rollout ----

    /**
     * Fuses the heads of each attention map element-wise:
     * {@code out[m,i,j] = reduce_h attention[m,h,i,j]}, the mean taken in double.
     *
     * @param attention {@code [M, H, S, S]} (M = layers x batch, layer-major)
     * @return {@code [M, S, S]}
     */
    Tensor fuseHeads(Tensor attention, HeadReduction mode);

    /**
     * Chefer et al.'s gradient-weighted head mean:
     * {@code out[m,i,j] = (float) (mean_h max(0, gradients[m,h,i,j] * attention[m,h,i,j]))}, in double.
     *
     * @param attention {@code [M, H, S, S]}
     * @param gradients same shape
     * @return {@code [M, S, S]}
     */
    Tensor positiveGradientMean(Tensor attention, Tensor gradients);

    /**
     * Prepares each fused map for the rollout product, per map {@code m} and query row {@code i}:
     * <ol>
     *   <li>discard: the {@code floor(discardRatio * (S-1))} smallest off-diagonal entries of the row are
     *       set to 0 (ties: lower column first; the diagonal is never discarded);</li>
     *   <li>residual: {@code v = (1 - w) * v + w * [i == j]};</li>
     *   <li>normalize: the row divided by its sum (in double).</li>
     * </ol>
     * A row whose sum is 0 comes back as NaN (callers report it); no exception is thrown.
     *
     * @param maps {@code [M, S, S]}
     * @return {@code [M, S, S]}
     */
    Tensor mixResidual(Tensor maps, double residualWeight, double discardRatio);

    /**
     * The rollout product of {@code layers} maps per example:
     * {@code out[b] = maps[(L-1)*B + b] · ... · maps[1*B + b] · maps[b]} (layer 0 rightmost), the chain
     * accumulated in double and rounded to float once.
     *
     * @param maps {@code [L*B, S, S]}, layer-major (row {@code l*B + b})
     * @return {@code [B, S, S]}
     */
    Tensor chainProduct(Tensor maps, int layers);
}
