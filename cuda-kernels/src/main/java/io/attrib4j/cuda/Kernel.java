package io.attrib4j.cuda;

/**
 * The kernels of {@code src/main/cuda}: each constant names the PTX file (one per {@code .cu} family,
 * packaged under {@value #PTX_DIRECTORY}) and the {@code extern "C"} entry it calls.
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
    ACCUMULATE_SAMPLES("noise", "accumulate_samples");

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
