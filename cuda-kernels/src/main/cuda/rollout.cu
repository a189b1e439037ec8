// Attention-rollout arithmetic for the attrib4j CUDA backend (io.attrib4j.cuda.CudaBackend).
// CPU twin: io.attrib4j.engine.backend.MapOps (fuseHeads, positiveGradientMean, mixResidual, chainProduct).
//
// Layout: head maps are [M, H, S, S] and fused maps [M, S, S], row-major (M = layers x batch, layer-major);
// n = S*S elements per map. Rounding: the same double operations in the same order as the Java loops, with
// explicit round-to-nearest intrinsics so nvcc neither fuses nor reorders them: the results are
// bit-identical. Kernels use grid-stride loops with 64-bit indices and work for any grid size.

// Java's Math.max(double, double): NaN if a is NaN (else b's NaN through the comparison), max(-0, +0) = +0.
__device__ __forceinline__ double java_max(double a, double b) {
    if (a != a) {
        return a;
    }
    if (a == 0.0 && b == 0.0 && signbit(a)) {
        return b;
    }
    return a >= b ? a : b;
}

// Java's Math.min(double, double): NaN if a is NaN (else b's NaN through the comparison), min(+0, -0) = -0.
__device__ __forceinline__ double java_min(double a, double b) {
    if (a != a) {
        return a;
    }
    if (a == 0.0 && b == 0.0 && signbit(b)) {
        return b;
    }
    return a <= b ? a : b;
}

// Head fusion, one thread per output element (m, k):
//   f = a[m,0,k];  f = f (+ | max | min) a[m,h,k] for h = 1 .. H-1, in double;
//   out[m,k] = (float) (mode == mean ? f / H : f)
//   a: maps*heads*n floats; out: maps*n floats; mode: 0 mean, 1 max, 2 min; heads >= 1.
extern "C" __global__ void fuse_heads(float* __restrict__ out, const float* __restrict__ a, int maps, int heads,
                                      int n, int mode) {
    long long total = (long long) maps * n;
    for (long long t = blockIdx.x * (long long) blockDim.x + threadIdx.x; t < total;
         t += (long long) blockDim.x * gridDim.x) {
        long long m = t / n;
        long long first = m * heads * n + (t - m * n);
        double f = (double) a[first];
        for (int h = 1; h < heads; h++) {
            double v = (double) a[first + (long long) h * n];
            f = mode == 0 ? __dadd_rn(f, v) : mode == 1 ? java_max(f, v) : java_min(f, v);
        }
        out[t] = __double2float_rn(mode == 0 ? __ddiv_rn(f, (double) heads) : f);
    }
}

// Chefer et al.'s gradient-weighted head mean, one thread per output element (m, k):
//   out[m,k] = (float) ((sum_{h ascending} max(0, (double) g[m,h,k] * (double) a[m,h,k])) / H)   in double
//   a, g: maps*heads*n floats; out: maps*n floats. H = 0 gives NaN (0/0), as on the CPU.
extern "C" __global__ void positive_gradient_mean(float* __restrict__ out, const float* __restrict__ a,
                                                  const float* __restrict__ g, int maps, int heads, int n) {
    long long total = (long long) maps * n;
    for (long long t = blockIdx.x * (long long) blockDim.x + threadIdx.x; t < total;
         t += (long long) blockDim.x * gridDim.x) {
        long long m = t / n;
        long long first = m * heads * n + (t - m * n);
        double f = 0.0;
        for (int h = 0; h < heads; h++) {
            long long e = first + (long long) h * n;
            f = __dadd_rn(f, java_max(0.0, __dmul_rn((double) g[e], (double) a[e])));
        }
        out[t] = __double2float_rn(__ddiv_rn(f, (double) heads));
    }
}

// A float's position in Java's Double.compare order as a signed integer: -0 < +0, every NaN equal and
// above +infinity. (float -> double is exact and monotone, so comparing the floats' keys compares the doubles.)
__device__ __forceinline__ int order_key(float v) {
    int bits = v != v ? 0x7fc00000 : __float_as_int(v);
    return bits ^ ((bits >> 31) & 0x7fffffff);
}

// Discard and residual, step 1 of mixResidual, one thread per element (r, j) of row r = m*S + i:
//   rank = #{k != i : key(v[k]) < key(v[j]) or (key(v[k]) == key(v[j]) and k < j)}   (v = maps row r)
//   d = (j != i and rank < drop) ? 0 : v[j]          (the drop smallest off-diagonal entries, ties by column)
//   mixed[r,j] = (1 - w) * d + (j == i ? w : 0)      in double
// rank is j's position in the CPU's sort of the off-diagonal columns by (Double.compare, column).
// Each thread scans its row once: O(S) per element, O(S^3) per map, no shared memory.
//   maps: rows*seq floats; mixed: rows*seq doubles; w: Double.doubleToRawLongBits(residual weight)
//   (the launcher passes no doubles).
extern "C" __global__ void mix_residual(double* __restrict__ mixed, const float* __restrict__ maps, int rows,
                                        int seq, int drop, long long residualBits) {
    const double w = __longlong_as_double(residualBits);
    const double keep = __dsub_rn(1.0, w);
    long long total = (long long) rows * seq;
    for (long long t = blockIdx.x * (long long) blockDim.x + threadIdx.x; t < total;
         t += (long long) blockDim.x * gridDim.x) {
        long long r = t / seq;
        int j = (int) (t - r * seq);
        int i = (int) (r % seq);
        const float* row = maps + r * seq;
        double d = (double) row[j];
        if (j != i && drop > 0) {
            int key = order_key(row[j]);
            int rank = 0;
            for (int k = 0; k < seq; k++) {
                int other = order_key(row[k]);
                rank += k != i && (other < key || (other == key && k < j));
            }
            if (rank < drop) {
                d = 0.0;
            }
        }
        mixed[t] = __dadd_rn(__dmul_rn(keep, d), j == i ? w : 0.0);
    }
}

// Row normalization, step 2 of mixResidual, one thread per row r:
//   sum = sum_{j ascending} mixed[r,j]  (double);   out[r,j] = sum > 0 ? (float) (mixed[r,j] / sum) : NaN
//   mixed: rows*seq doubles; out: rows*seq floats.
extern "C" __global__ void normalize_rows(float* __restrict__ out, const double* __restrict__ mixed, int rows,
                                          int seq) {
    for (long long r = blockIdx.x * (long long) blockDim.x + threadIdx.x; r < rows;
         r += (long long) blockDim.x * gridDim.x) {
        const double* row = mixed + r * seq;
        double sum = 0.0;
        for (int j = 0; j < seq; j++) {
            sum = __dadd_rn(sum, row[j]);
        }
        for (int j = 0; j < seq; j++) {
            out[r * seq + j] = sum > 0.0 ? __double2float_rn(__ddiv_rn(row[j], sum)) : __int_as_float(0x7fc00000);
        }
    }
}

// Start of chainProduct: the running product is layer 0 in double, r[e] = (double) maps[e], e < count = B*n.
extern "C" __global__ void chain_start(double* __restrict__ r, const float* __restrict__ maps, int count) {
    for (long long e = blockIdx.x * (long long) blockDim.x + threadIdx.x; e < count;
         e += (long long) blockDim.x * gridDim.x) {
        r[e] = (double) maps[e];
    }
}

// One rollout step, a batched square matrix product in double, one thread per output element (b, i, j):
//   next[b,i,j] = sum_{k ascending} (double) maps[layer*B + b, i, k] * r[b,k,j]      (A_layer · R)
// products and sums rounded separately, starting from 0, as the CPU loop. Untiled (no shared memory):
// S = 197 and 12 layers are about 10^8 multiply-adds, far below the copies' cost. cuBLAS is not used
// (JCuda 12.6's JCublas needs libcublas.so.12, which a CUDA 13 machine lacks).
//   maps: layers*B*seq*seq floats; r, next: B*seq*seq doubles (distinct buffers).
extern "C" __global__ void chain_step(double* __restrict__ next, const float* __restrict__ maps,
                                      const double* __restrict__ r, int batch, int seq, int layer) {
    long long n = (long long) seq * seq;
    long long total = batch * n;
    for (long long t = blockIdx.x * (long long) blockDim.x + threadIdx.x; t < total;
         t += (long long) blockDim.x * gridDim.x) {
        long long b = t / n;
        long long i = (t - b * n) / seq;
        long long j = t - b * n - i * seq;
        const float* a = maps + ((long long) layer * batch + b) * n + i * seq;
        const double* rb = r + b * n + j;
        double acc = 0.0;
        for (int k = 0; k < seq; k++) {
            acc = __dadd_rn(acc, __dmul_rn((double) a[k], rb[(long long) k * seq]));
        }
        next[t] = acc;
    }
}

// End of chainProduct: out[e] = (float) r[e], the product's one rounding to float.
extern "C" __global__ void chain_finish(float* __restrict__ out, const double* __restrict__ r, int count) {
    for (long long e = blockIdx.x * (long long) blockDim.x + threadIdx.x; e < count;
         e += (long long) blockDim.x * gridDim.x) {
        out[e] = __double2float_rn(r[e]);
    }
}
