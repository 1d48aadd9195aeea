// Softmax cross-entropy over the vocabulary, forward and backward in one pass, with an optional per-row weight
// (the loss mask). loss = sum_rows w * (logsumexp - logit[target]) * invCount, invCount = 1 / sum(w).
#include "common.cuh"
#include <math.h>

// One block per row. Overwrites the logits with their gradient (softmax - onehot) * w * invCount and writes the
// row's weighted loss. mask may be null (every weight 1).
extern "C" __global__ void crossentropy_forward_backward(float* logits, float* losses, const int* targets,
                                                         const float* mask, int N, int V, float invCount) {
    __shared__ float scratch[32];
    int row = blockIdx.x;
    if (row >= N) return;
    float* lr = logits + (long long)row * V;
    float mx = -INFINITY;
    for (int i = threadIdx.x; i < V; i += blockDim.x) mx = fmaxf(mx, lr[i]);
    mx = ls_block_max(mx, scratch);
    float sum = 0.0f;
    for (int i = threadIdx.x; i < V; i += blockDim.x) sum += expf(lr[i] - mx);
    sum = ls_block_sum(sum, scratch);
    int target = targets[row];
    float w = mask ? mask[row] : 1.0f;
    float lt = lr[target];
    __syncthreads();  // everyone has read lr[target] before it is overwritten
    if (threadIdx.x == 0) losses[row] = w * ((mx + logf(sum)) - lt);
    float inv = 1.0f / sum, scale = w * invCount;
    for (int i = threadIdx.x; i < V; i += blockDim.x) {
        float p = expf(lr[i] - mx) * inv;
        lr[i] = (p - (i == target ? 1.0f : 0.0f)) * scale;
    }
}

// out[slot] = invCount * sum of values[0 .. n), accumulated in double in a fixed order. One block, up to 1024 threads.
extern "C" __global__ void sum_scaled(float* out, int slot, const float* values, int n, float invCount) {
    __shared__ double part[1024];
    double s = 0.0;
    for (int i = threadIdx.x; i < n; i += blockDim.x) s += (double)values[i];
    part[threadIdx.x] = s;
    __syncthreads();
    if (threadIdx.x == 0) {
        double total = 0.0;
        for (int i = 0; i < (int)blockDim.x; i++) total += part[i];
        out[slot] = (float)(total * (double)invCount);
    }
}
