package io.attrib4j.engine.backend;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;

/**
 * Seeded Gaussian noise from the counter-based generator Philox4x32-10 and the Box-Muller transform:
 * the Java twin of the CUDA kernel {@code gaussian} ({@code cuda-kernels/src/main/cuda/noise.cu}), and
 * what {@link Nd4jBackend#gaussian} returns. Salmon, Moraes, Dror and Shaw, "Parallel random numbers:
 * as easy as 1, 2, 3", SC 2011. A counter-based generator has no state: value {@code g} of a seed is a
 * pure function of {@code (seed, g)}, so any slice of a draw can be computed alone, in any order, on any
 * device, and chunked draws equal the whole draw.
 *
 * <p><b>Layout</b> (the same in noise.cu). Key {@code (k0, k1) = (low, high 32 bits of seed)}. Value
 * {@code g = offset + e} (element {@code e} of a draw, row-major) uses the block
 * {@code (u0, u1, u2, u3) = philox(counter = (low, high 32 bits of g / 4, 0, 0), key)} and lane
 * {@code g % 4}: lanes 0 and 1 are the Box-Muller pair of {@code (u0, u1)}, lanes 2 and 3 that of
 * {@code (u2, u3)}, with, in double precision,
 * <pre>
 * v1 = (u_even + 1) * 2^-32  in (0, 1]      v2 = u_odd * 2^-32  in [0, 1)
 * r  = sqrt(-2 ln v1)        theta = 2 pi v2
 * lane even: z = r cos(theta)          lane odd: z = r sin(theta)
 * value = (float) (stdev * z)          (stdev the float32 argument widened to double)
 * </pre>
 * Java uses {@link StrictMath} (fdlibm); CUDA uses its double {@code log}, {@code sqrt}, {@code sincos},
 * each within 2 ulp in double, so the float32 results agree except when a double lands within a few
 * ulp of a float rounding boundary (about one value in 10^8 differs by one float ulp).
 */
public final class Philox {
    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    private static final int ROUNDS = 10;
    private static final double TWO_POW_M32 = 0x1.0p-32;

    private Philox() {}

    /**
     * One Philox4x32-10 block: the four 32-bit outputs for {@code counter} (4 words) and {@code key}
     * (2 words), as in the Random123 library's {@code philox4x32_R(10, ctr, key)}.
     */
    public static int[] block(int[] counter, int[] key) {
        int c0 = counter[0];
        int c1 = counter[1];
        int c2 = counter[2];
        int c3 = counter[3];
        int k0 = key[0];
        int k1 = key[1];
        for (int round = 0; round < ROUNDS; round++) {
            if (round > 0) {
                k0 += W0;
                k1 += W1;
            }
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n1 = (int) p1;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            int n3 = (int) p0;
            c0 = n0;
            c1 = n1;
            c2 = n2;
            c3 = n3;
        }
        return new int[] {c0, c1, c2, c3};
    }

    /** Values {@code offset .. offset + shape.size() - 1} of the N(0, stdev^2) stream of {@code seed}, in the layout above. */
    public static Tensor gaussian(Shape shape, float stdev, long seed, long offset) {
        float[] out = new float[shape.size()];
        int[] key = {(int) seed, (int) (seed >>> 32)};
        int[] u = null;
        long block = -1;
        for (int e = 0; e < out.length; e++) {
            long g = offset + e;
            if (g >>> 2 != block || u == null) {
                block = g >>> 2;
                u = block(new int[] {(int) block, (int) (block >>> 32), 0, 0}, key);
            }
            out[e] = value(u, (int) (g & 3), stdev);
        }
        return Tensor.of(out, shape);
    }

    /** Lane {@code lane} of a block, as a float32 Gaussian of standard deviation {@code stdev}. */
    private static float value(int[] u, int lane, float stdev) {
        int pair = lane & ~1;
        double v1 = ((u[pair] & 0xFFFFFFFFL) + 1) * TWO_POW_M32;
        double v2 = (u[pair + 1] & 0xFFFFFFFFL) * TWO_POW_M32;
        double r = StrictMath.sqrt(-2.0 * StrictMath.log(v1));
        double theta = 2.0 * StrictMath.PI * v2;
        double z = (lane & 1) == 0 ? r * StrictMath.cos(theta) : r * StrictMath.sin(theta);
        return (float) (stdev * z);
    }
}
