// Element-wise float32 arithmetic for the attrib4j CUDA backend (io.attrib4j.cuda.CudaBackend).
// Each kernel reads and writes n floats with a grid-stride loop (64-bit index, any grid size).
// The round-to-nearest intrinsics give exactly the IEEE-754 result the CPU backend computes.

// out[i] = a[i] + b[i]
extern "C" __global__ void elementwise_add(float* __restrict__ out, const float* __restrict__ a,
                                           const float* __restrict__ b, int n) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n;
         i += (long long) blockDim.x * gridDim.x) {
        out[i] = __fadd_rn(a[i], b[i]);
    }
}

// out[i] = a[i] - b[i]
extern "C" __global__ void elementwise_subtract(float* __restrict__ out, const float* __restrict__ a,
                                                const float* __restrict__ b, int n) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n;
         i += (long long) blockDim.x * gridDim.x) {
        out[i] = __fsub_rn(a[i], b[i]);
    }
}

// out[i] = a[i] * b[i]
extern "C" __global__ void elementwise_multiply(float* __restrict__ out, const float* __restrict__ a,
                                                const float* __restrict__ b, int n) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n;
         i += (long long) blockDim.x * gridDim.x) {
        out[i] = __fmul_rn(a[i], b[i]);
    }
}

// out[i] = |a[i]|
extern "C" __global__ void elementwise_abs(float* __restrict__ out, const float* __restrict__ a, int n) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n;
         i += (long long) blockDim.x * gridDim.x) {
        out[i] = fabsf(a[i]);
    }
}
