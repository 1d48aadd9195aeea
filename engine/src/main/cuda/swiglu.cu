// SwiGLU gate: g = silu(h1) * h3 with silu(x) = x * sigmoid(x). One thread per element.
#include "common.cuh"

extern "C" __global__ void swiglu_forward(float* g, const float* h1, const float* h3, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    float a = h1[i];
    float sig = 1.0f / (1.0f + expf(-a));
    g[i] = (a * sig) * h3[i];
}

// dh1 = dg * h3 * silu'(h1), silu'(x) = sig * (1 + x * (1 - sig)); dh3 = dg * silu(h1).
extern "C" __global__ void swiglu_backward(float* dh1, float* dh3, const float* dg, const float* h1, const float* h3,
                                           int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    float a = h1[i];
    float sig = 1.0f / (1.0f + expf(-a));
    float d = dg[i];
    dh1[i] = d * h3[i] * (sig * (1.0f + a * (1.0f - sig)));
    dh3[i] = d * (a * sig);
}
