// Integrated-Gradients path arithmetic for the attrib4j CUDA backend (io.attrib4j.cuda.CudaBackend).
//
// Layout (as in io.attrib4j.engine.backend.Backend): an expanded batch of `steps` path points over
// n examples is step-major, row s*n + i holding step s of example i. With m = n * rowSize elements per
// step, element j of step s sits at flat index s*m + j.
//
// Rounding: explicit round-to-nearest intrinsics (__fsub_rn, __fmul_rn, __fadd_rn, __fmaf_rn) keep
// nvcc from contracting expressions differently from the CPU backend, so results match ND4J within
// float32 rounding. Kernels use grid-stride loops with 64-bit indices and work for any grid size.

// Straight-line path points:  out[s*m + j] = b[j] + alpha[s] * (x[j] - b[j])
//   x, b: m floats (input and baseline, n examples); alpha: steps floats; out: steps*m floats.
extern "C" __global__ void interpolate(float* __restrict__ out, const float* __restrict__ x,
                                       const float* __restrict__ b, const float* __restrict__ alpha,
                                       int steps, int m) {
    long long total = (long long) steps * m;
    for (long long o = blockIdx.x * (long long) blockDim.x + threadIdx.x; o < total;
         o += (long long) blockDim.x * gridDim.x) {
        int s = (int) (o / m);
        int j = (int) (o - (long long) s * m);
        float base = b[j];
        out[o] = __fadd_rn(base, __fmul_rn(alpha[s], __fsub_rn(x[j], base)));
    }
}

// Weighted sum over the steps of a step-major gradient batch:
//   out[j] = sum_{s=0}^{steps-1} w[s] * g[s*m + j]
// accumulated in float, s ascending, one fused multiply-add per step. Neighbouring threads read
// neighbouring j, so every step's load is coalesced.
//   g: steps*m floats; w: steps floats; out: m floats.
extern "C" __global__ void weighted_step_sum(float* __restrict__ out, const float* __restrict__ g,
                                             const float* __restrict__ w, int steps, int m) {
    for (long long j = blockIdx.x * (long long) blockDim.x + threadIdx.x; j < m;
         j += (long long) blockDim.x * gridDim.x) {
        float acc = 0.0f;
        for (int s = 0; s < steps; s++) {
            acc = __fmaf_rn(w[s], g[(long long) s * m + j], acc);
        }
        out[j] = acc;
    }
}
