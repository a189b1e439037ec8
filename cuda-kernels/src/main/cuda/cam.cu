// Class-activation-map arithmetic (Grad-CAM family) for the attrib4j CUDA backend (io.attrib4j.cuda.CudaBackend).
// CPU twin: io.attrib4j.engine.backend.MapOps (spatialMean, weightedChannelSum, resize), loop for loop.
//
// Layout: maps are [N, C, h, w] row-major, so plane p = n*C + c starts at p*h*w.
// Rounding: the same float/double operations in the same order as the Java loops, with explicit
// round-to-nearest intrinsics so nvcc neither fuses nor reorders them: the results are bit-identical.
// Kernels use grid-stride loops with 64-bit indices and work for any grid size.

// Grad-CAM channel weights, one thread per plane:
//   out[p] = (float) ((sum_{e < hw} (double) maps[p*hw + e]) / hw)      summed in double, e ascending
//   maps: planes*hw floats; out: planes floats. hw = 0 gives NaN (0/0), as on the CPU.
extern "C" __global__ void spatial_mean(float* __restrict__ out, const float* __restrict__ maps, int planes, int hw) {
    for (long long p = blockIdx.x * (long long) blockDim.x + threadIdx.x; p < planes;
         p += (long long) blockDim.x * gridDim.x) {
        const float* plane = maps + p * hw;
        double sum = 0.0;
        for (int e = 0; e < hw; e++) {
            sum = __dadd_rn(sum, (double) plane[e]);
        }
        out[p] = __double2float_rn(__ddiv_rn(sum, (double) hw));
    }
}

// The channel-weighted sum of a class activation map, one thread per output pixel (i, q):
//   v = (float) sum_{k < c} (double) w[.] * (double) a[(i*c + k)*hw + q]     in double, k ascending
//   w[.] = w[i*c + k] when perChannel (weights [N, C]), else w[(i*c + k)*hw + q] (weights shaped like a)
//   out[i*hw + q] = relu ? max(v, 0) : v          (Java's Math.max: NaN stays NaN, -0 becomes +0)
// A float times a float is exact in double, so only the additions round. Neighbouring threads read
// neighbouring q, so each channel's load is coalesced.
//   a: n*c*hw floats; w: n*c or n*c*hw floats; out: n*hw floats.
extern "C" __global__ void weighted_channel_sum(float* __restrict__ out, const float* __restrict__ a,
                                                const float* __restrict__ w, int n, int c, int hw,
                                                int perChannel, int relu) {
    long long total = (long long) n * hw;
    for (long long t = blockIdx.x * (long long) blockDim.x + threadIdx.x; t < total;
         t += (long long) blockDim.x * gridDim.x) {
        long long i = t / hw;
        long long q = t - i * hw;
        double sum = 0.0;
        for (int k = 0; k < c; k++) {
            long long e = (i * c + k) * hw + q;
            double weight = (double) w[perChannel ? i * c + k : e];
            sum = __dadd_rn(sum, __dmul_rn(weight, (double) a[e]));
        }
        float v = __double2float_rn(sum);
        out[t] = relu && !(v > 0.0f || v != v) ? 0.0f : v;
    }
}

// Source indices and weights of output index d along one axis (io.attrib4j.engine.backend.Resize),
// PyTorch's F.interpolate in float32 with scale = (float) in / out:
//   nearest:   i0 = i1 = min(floor(d * scale), in - 1),                 l0 = 1, l1 = 0
//   bilinear:  src = max(scale * (d + 0.5) - 0.5, 0),  i0 = min((int) src, in - 1),
//              i1 = min(i0 + 1, in - 1),  l1 = src - i0,  l0 = 1 - l1     (align_corners=False)
struct Tap {
    int i0, i1;
    float l0, l1;
};

__device__ __forceinline__ Tap tap(int bilinear, int d, int in, float scale) {
    Tap t;
    if (!bilinear) {
        t.i0 = min((int) floorf(__fmul_rn((float) d, scale)), in - 1);
        t.i1 = t.i0;
        t.l0 = 1.0f;
        t.l1 = 0.0f;
    } else {
        float src = fmaxf(__fsub_rn(__fmul_rn(scale, __fadd_rn((float) d, 0.5f)), 0.5f), 0.0f);
        t.i0 = min((int) src, in - 1);
        t.i1 = min(t.i0 + 1, in - 1);
        t.l1 = __fsub_rn(src, (float) t.i0);
        t.l0 = __fsub_rn(1.0f, t.l1);
    }
    return t;
}

// Resizes every plane from h x w to outH x outW, one thread per output pixel (p, y, x):
//   top    = l0x * v[i0y, i0x] + l1x * v[i0y, i1x]
//   bottom = l0x * v[i1y, i0x] + l1x * v[i1y, i1x]
//   out[p, y, x] = l0y * top + l1y * bottom                 in float, taps as in tap() above
// Nearest uses the same formula with weights (1, 0), as the CPU loop does.
//   in: planes*h*w floats; out: planes*outH*outW floats; bilinear: 0 nearest, 1 bilinear.
extern "C" __global__ void resize(float* __restrict__ out, const float* __restrict__ in, int planes, int h, int w,
                                  int outH, int outW, int bilinear) {
    long long plane = (long long) outH * outW;
    long long total = planes * plane;
    float scaleY = __fdiv_rn((float) h, (float) outH);
    float scaleX = __fdiv_rn((float) w, (float) outW);
    for (long long o = blockIdx.x * (long long) blockDim.x + threadIdx.x; o < total;
         o += (long long) blockDim.x * gridDim.x) {
        long long p = o / plane;
        int y = (int) ((o - p * plane) / outW);
        int x = (int) (o - p * plane - (long long) y * outW);
        Tap ty = tap(bilinear, y, h, scaleY);
        Tap tx = tap(bilinear, x, w, scaleX);
        const float* r0 = in + (p * h + ty.i0) * w;
        const float* r1 = in + (p * h + ty.i1) * w;
        float top = __fadd_rn(__fmul_rn(tx.l0, r0[tx.i0]), __fmul_rn(tx.l1, r0[tx.i1]));
        float bottom = __fadd_rn(__fmul_rn(tx.l0, r1[tx.i0]), __fmul_rn(tx.l1, r1[tx.i1]));
        out[o] = __fadd_rn(__fmul_rn(ty.l0, top), __fmul_rn(ty.l1, bottom));
    }
}
