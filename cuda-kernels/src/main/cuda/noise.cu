// Seeded noise and NoiseTunnel accumulators for the attrib4j CUDA backend (io.attrib4j.cuda.CudaBackend).
// Java twins: io.attrib4j.engine.backend.Philox (gaussian) and SampleSums.plus (accumulate_samples).

// Philox4x32-10 (Salmon, Moraes, Dror and Shaw, SC 2011), as Random123's philox4x32_R(10, ctr, key):
//   round: (c0, c1, c2, c3) -> (hi(M1*c2) ^ c1 ^ k0, lo(M1*c2), hi(M0*c0) ^ c3 ^ k1, lo(M0*c0)),
//   key bumped by (W0, W1) before every round but the first.
__device__ __forceinline__ uint4 philox4x32_10(uint4 c, uint2 k) {
    const unsigned int M0 = 0xD2511F53u, M1 = 0xCD9E8D57u, W0 = 0x9E3779B9u, W1 = 0xBB67AE85u;
    #pragma unroll
    for (int round = 0; round < 10; round++) {
        if (round > 0) {
            k.x += W0;
            k.y += W1;
        }
        unsigned int hi0 = __umulhi(M0, c.x), lo0 = M0 * c.x;
        unsigned int hi1 = __umulhi(M1, c.z), lo1 = M1 * c.z;
        c = make_uint4(hi1 ^ c.y ^ k.x, lo1, hi0 ^ c.w ^ k.y, lo0);
    }
    return c;
}

// Values offset .. offset+count-1 of the N(0, stdev^2) stream of seed (layout as documented on Philox.java):
//   g = offset + e;  (u0,u1,u2,u3) = philox(counter = (lo32(g/4), hi32(g/4), 0, 0), key = (lo32(seed), hi32(seed)))
//   lane = g % 4 uses the pair (u0,u1) for lanes 0,1 and (u2,u3) for lanes 2,3:
//   v1 = (u_even + 1) * 2^-32,  v2 = u_odd * 2^-32,  r = sqrt(-2 ln v1),  theta = (2 pi) * v2
//   out[e] = (float) (stdev * (lane even ? r cos(theta) : r sin(theta)))      all in double
// Each thread computes its value's block (4x redundant Philox work, negligible next to the double log/sincos);
// explicit _rn intrinsics keep nvcc from fusing the products differently from Java.
extern "C" __global__ void gaussian(float* __restrict__ out, float stdev, long long seed, long long offset,
                                    int count) {
    const uint2 key = make_uint2((unsigned int) seed, (unsigned int) ((unsigned long long) seed >> 32));
    for (long long e = blockIdx.x * (long long) blockDim.x + threadIdx.x; e < count;
         e += (long long) blockDim.x * gridDim.x) {
        unsigned long long g = (unsigned long long) offset + (unsigned long long) e;
        unsigned long long block = g >> 2;
        int lane = (int) (g & 3);
        uint4 u = philox4x32_10(make_uint4((unsigned int) block, (unsigned int) (block >> 32), 0u, 0u), key);
        unsigned int even = lane < 2 ? u.x : u.z;
        unsigned int odd = lane < 2 ? u.y : u.w;
        double v1 = __dmul_rn(__dadd_rn((double) even, 1.0), 0x1.0p-32);
        double v2 = __dmul_rn((double) odd, 0x1.0p-32);
        double r = __dsqrt_rn(__dmul_rn(-2.0, log(v1)));
        double theta = __dmul_rn(__dmul_rn(2.0, 3.141592653589793), v2);
        double z = (lane & 1) == 0 ? __dmul_rn(r, cos(theta)) : __dmul_rn(r, sin(theta));
        out[e] = (float) __dmul_rn((double) stdev, z);
    }
}

// NoiseTunnel accumulators over rows [fromRow, fromRow + rows) of an expanded batch (row i*samples + j is
// sample j of example i), in place, for the examples first .. first + work/rowSize - 1 the rows touch:
//   sum[i][c]   += sum_{k in rows of example i, ascending} a[k - fromRow][c]
//   sumsq[i][c] += sum_{k ...} a[k - fromRow][c]^2                      in double, one thread per (i, c)
// Neighbouring threads read neighbouring c, so each row's load is coalesced.
extern "C" __global__ void accumulate_samples(double* __restrict__ sum, double* __restrict__ sumsq,
                                              const float* __restrict__ a, int fromRow, int rows, int samples,
                                              int rowSize, int first, int work) {
    for (long long t = blockIdx.x * (long long) blockDim.x + threadIdx.x; t < work;
         t += (long long) blockDim.x * gridDim.x) {
        long long i = first + t / rowSize;
        long long c = t % rowSize;
        long long lo = max(i * samples, (long long) fromRow);
        long long hi = min((i + 1) * samples, (long long) fromRow + rows);
        long long at = i * rowSize + c;
        double s = sum[at];
        double q = sumsq[at];
        for (long long k = lo; k < hi; k++) {
            double v = (double) a[(k - fromRow) * rowSize + c];
            s = __dadd_rn(s, v);
            q = __dadd_rn(q, __dmul_rn(v, v));
        }
        sum[at] = s;
        sumsq[at] = q;
    }
}
