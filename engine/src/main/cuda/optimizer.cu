// Global gradient norm, clipping and AdamW over the flat parameter array (llama2.c v0 order).
#include "common.cuh"
#include <math.h>

// partial[block] = sum of x[i]^2 over a grid-stride range.
extern "C" __global__ void sumsq_partial(float* partial, const float* x, int n) {
    __shared__ float scratch[32];
    float s = 0.0f;
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) s += x[i] * x[i];
    s = ls_block_sum(s, scratch);
    if (threadIdx.x == 0) partial[blockIdx.x] = s;
}

// scalars[1] = the gradient norm sqrt(sum partial) (before clipping); scalars[2] = the factor the gradients are
// multiplied by: min(1, clip / (norm + 1e-6)) as PyTorch's clip_grad_norm_, 1 when clip <= 0. One block.
extern "C" __global__ void gradnorm_finish(float* scalars, const float* partial, int nPartial, float clip) {
    __shared__ double part[1024];
    double s = 0.0;
    for (int i = threadIdx.x; i < nPartial; i += blockDim.x) s += (double)partial[i];
    part[threadIdx.x] = s;
    __syncthreads();
    if (threadIdx.x == 0) {
        double total = 0.0;
        for (int i = 0; i < (int)blockDim.x; i++) total += part[i];
        float norm = (float)sqrt(total);
        float coef = 1.0f;
        if (clip > 0.0f) {
            coef = clip / (norm + 1e-6f);
            if (coef > 1.0f) coef = 1.0f;
        }
        scalars[1] = norm;
        scalars[2] = coef;
    }
}

// One AdamW step as PyTorch's (single-tensor) implementation, on the gradient times scalars[2]:
// p *= decay; m = lerp(m, g, 1 - beta1); v = v * beta2 + (1 - beta2) g^2; p -= stepSize * m / (sqrt(v) / bc2sqrt + eps)
// with decay = 1 - lr * wd (1 for norms), stepSize = lr / (1 - beta1^t), bc2sqrt = sqrt(1 - beta2^t), all from the host.
extern "C" __global__ void adamw_update(float* p, const float* g, float* m, float* v, const float* scalars, int n,
                                        float decay, float stepSize, float oneMinusBeta1, float beta2,
                                        float oneMinusBeta2, float bc2sqrt, float eps) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    float grad = g[i] * scalars[2];
    float mi = m[i];
    mi = mi + oneMinusBeta1 * (grad - mi);
    float vi = v[i] * beta2 + oneMinusBeta2 * (grad * grad);
    float denom = sqrtf(vi) / bc2sqrt + eps;
    p[i] = p[i] * decay - stepSize * (mi / denom);
    m[i] = mi;
    v[i] = vi;
}
