package io.attrib4j.cuda;

/**
 * The kernels of {@code src/main/cuda}: each constant names its family (one {@code .cu} file, built into
 * {@code <family>.fatbin} and {@code <family>.ptx} under {@value #PTX_DIRECTORY}) and the {@code extern "C"}
 * entry it calls.
 */
enum Kernel {
    /** {@code out[s*m + j] = b[j] + alpha[s] * (x[j] - b[j])} ({@code ig.cu}). */
    INTERPOLATE("ig", "interpolate"),
    /** {@code out[j] = sum_s w[s] * g[s*m + j]}, s ascending ({@code ig.cu}). */
    WEIGHTED_STEP_SUM("ig", "weighted_step_sum"),
    /** {@code out[i] = a[i] + b[i]} ({@code elementwise.cu}). */
    ADD("elementwise", "elementwise_add"),
    /** {@code out[i] = a[i] - b[i]} ({@code elementwise.cu}). */
    SUBTRACT("elementwise", "elementwise_subtract"),
    /** {@code out[i] = a[i] * b[i]} ({@code elementwise.cu}). */
    MULTIPLY("elementwise", "elementwise_multiply"),
    /** {@code out[i] = |a[i]|} ({@code elementwise.cu}). */
    ABS("elementwise", "elementwise_abs"),
    /** {@code out[e]} = value {@code offset + e} of the seed's Philox4x32-10 Box-Muller stream ({@code noise.cu}). */
    GAUSSIAN("noise", "gaussian"),
    /** {@code sum[i] += a[k]}, {@code sumsq[i] += a[k]^2} over the rows k of example i, in double ({@code noise.cu}). */
    ACCUMULATE_SAMPLES("noise", "accumulate_samples"),
    /** {@code out[p] = (float) (sum_e maps[p*hw + e] / hw)}, in double ({@code cam.cu}). */
    SPATIAL_MEAN("cam", "spatial_mean"),
    /** {@code out[i,q] = (float) sum_c w[i,c(,q)] * a[i,c,q]} in double, then ReLU if asked ({@code cam.cu}). */
    WEIGHTED_CHANNEL_SUM("cam", "weighted_channel_sum"),
    /** Nearest or bilinear resize of every plane, PyTorch's float32 indexing ({@code cam.cu}). */
    RESIZE("cam", "resize"),
    /** {@code out[m,k] = mean | max | min over h of a[m,h,k]}, in double ({@code rollout.cu}). */
    FUSE_HEADS("rollout", "fuse_heads"),
    /** {@code out[m,k] = (float) (mean_h max(0, g[m,h,k] * a[m,h,k]))}, in double ({@code rollout.cu}). */
    POSITIVE_GRADIENT_MEAN("rollout", "positive_gradient_mean"),
    /** Discard by rank and residual mix into a double buffer, step 1 of mixResidual ({@code rollout.cu}). */
    MIX_RESIDUAL("rollout", "mix_residual"),
    /** Row sums and division (NaN for a row summing to at most 0), step 2 of mixResidual ({@code rollout.cu}). */
    NORMALIZE_ROWS("rollout", "normalize_rows"),
    /** {@code r[e] = (double) maps[e]}: layer 0 starts the rollout product ({@code rollout.cu}). */
    CHAIN_START("rollout", "chain_start"),
    /** {@code next[b] = maps[layer*B + b] · r[b]} in double, k ascending ({@code rollout.cu}). */
    CHAIN_STEP("rollout", "chain_step"),
    /** {@code out[e] = (float) r[e]}: the product's one rounding ({@code rollout.cu}). */
    CHAIN_FINISH("rollout", "chain_finish");

    /** Class-path folder of the PTX files the build compiles from {@code src/main/cuda}. */
    static final String PTX_DIRECTORY = "io/attrib4j/cuda/ptx/";

    final String family;
    final String entry;

    Kernel(String family, String entry) {
        this.family = family;
        this.entry = entry;
    }

    /** Class-path resource of this kernel's PTX. */
    String ptxResource() {
        return PTX_DIRECTORY + family + ".ptx";
    }
}
