// Residual additions with optional dropout on the added branch.
#include "common.cuh"

// out = a + dropout(b). out may be a.
extern "C" __global__ void residual_add(float* out, const float* a, const float* b, int n, float dropout,
                                        unsigned long long stream) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    out[i] = a[i] + b[i] * ls_dropout_scale(dropout, stream, (unsigned long long)i);
}

// dst = src * (the dropout factor of the same site): the gradient through a dropout.
extern "C" __global__ void dropout_backward(float* dst, const float* src, int n, float dropout,
                                            unsigned long long stream) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    dst[i] = src[i] * ls_dropout_scale(dropout, stream, (unsigned long long)i);
}
