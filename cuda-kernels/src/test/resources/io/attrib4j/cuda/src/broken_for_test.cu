// A kernel family with no prebuilt fatbin and a compile error, for NvrtcCompileTest: the loader must report
// both failures (no fatbin; NVRTC missing, or NVRTC's log of this error) and the fix.
extern "C" __global__ void broken(float* out) {
    out[threadIdx.x] = undeclared_identifier;
}
