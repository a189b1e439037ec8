// Host emulation of the CUDA built-ins that cam.cu and rollout.cu use, so g++ can compile and run the kernel
// source on the CPU (HostEmulationTest): one block of one thread, so every grid-stride loop walks all its items
// in order. The round-to-nearest intrinsics become plain IEEE operations; compile with -ffp-contract=off so
// g++ fuses nothing either.
#include <algorithm>
#include <cmath>
#include <cstring>

using std::max;
using std::min;
using std::signbit;

struct HostIndex {
    unsigned x;
};
static const HostIndex blockIdx{0}, threadIdx{0}, blockDim{1}, gridDim{1};

#define __global__
#define __device__
#define __forceinline__ inline
#define __restrict__ __restrict

inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fdiv_rn(float a, float b) { return a / b; }
inline double __dadd_rn(double a, double b) { return a + b; }
inline double __dsub_rn(double a, double b) { return a - b; }
inline double __dmul_rn(double a, double b) { return a * b; }
inline double __ddiv_rn(double a, double b) { return a / b; }
inline float __double2float_rn(double d) { return (float) d; }

inline int __float_as_int(float f) {
    int i;
    std::memcpy(&i, &f, sizeof i);
    return i;
}

inline float __int_as_float(int i) {
    float f;
    std::memcpy(&f, &i, sizeof f);
    return f;
}

inline double __longlong_as_double(long long i) {
    double d;
    std::memcpy(&d, &i, sizeof d);
    return d;
}
