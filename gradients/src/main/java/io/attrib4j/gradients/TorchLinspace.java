package io.attrib4j.gradients;

/**
 * {@code torch.linspace(start, end, n)} in float32, value for value as PyTorch 1.13's CPU kernel
 * ({@code RangeFactoriesKernel.cpp}, AVX2 build) computes it, because Captum's Riemann alphas are exactly
 * those floats.
 *
 * <p>The kernel: {@code step = (end - start) / (n - 1)} in float; position {@code i} is
 * {@code start + step*i} below {@code n/2} and {@code end - step*(n-1-i)} from there on (each one
 * fused multiply-add, one rounding). The vectorized loop fills blocks of 8 lanes, two blocks at a time:
 * it computes the first lane of a block with that formula and the others as
 * {@code base + lane*step} (float, two roundings); the elements after the last full pair of blocks use
 * the scalar formula. This reproduces the oracle's {@code common/ig_riemann_*_alphas_f32} bit for bit.
 * It models one thread (PyTorch splits the range across threads only above 32768 elements).
 */
final class TorchLinspace {
    private static final int LANES = 8;

    private TorchLinspace() {}

    static float[] linspace(double start, double end, int n) {
        float s = (float) start;
        float e = (float) end;
        float[] out = new float[n];
        if (n == 1) {
            out[0] = s;
            return out;
        }
        float step = (e - s) / (n - 1);
        int i = 0;
        for (; i <= n - 2 * LANES; i += 2 * LANES) {
            for (int block = i; block < i + 2 * LANES; block += LANES) {
                float base = scalar(s, e, step, block, n);
                for (int lane = 0; lane < LANES; lane++) {
                    out[block + lane] = base + lane * step;
                }
            }
        }
        for (; i < n; i++) {
            out[i] = scalar(s, e, step, i, n);
        }
        return out;
    }

    private static float scalar(float start, float end, float step, int i, int n) {
        return i < n / 2 ? Math.fma(step, (float) i, start) : Math.fma(-step, (float) (n - 1 - i), end);
    }
}
