// RMSNorm over rows of C: out = x * rstd * g with rstd = 1 / sqrt(mean(x^2) + eps) (llama2.c's model.py order).
#include "common.cuh"

// One block per row. Saves rstd for the backward pass.
extern "C" __global__ void rmsnorm_forward(float* out, float* rstd, const float* x, const float* g, int N, int C,
                                           float eps) {
    __shared__ float scratch[32];
    int row = blockIdx.x;
    if (row >= N) return;  // uniform over the block
    const float* xr = x + (long long)row * C;
    float ss = 0.0f;
    for (int c = threadIdx.x; c < C; c += blockDim.x) ss += xr[c] * xr[c];
    ss = ls_block_sum(ss, scratch);
    float r = 1.0f / sqrtf(ss / (float)C + eps);
    if (threadIdx.x == 0) rstd[row] = r;
    float* o = out + (long long)row * C;
    for (int c = threadIdx.x; c < C; c += blockDim.x) o[c] = (xr[c] * r) * g[c];
}

// dx += rstd * (dxhat - xhat * mean(dxhat * xhat)) with xhat = x * rstd and dxhat = dout * g. Accumulates into dx
// (the residual stream's gradient already there). One block per row. The gain's gradient is rmsnorm_dgain's job.
extern "C" __global__ void rmsnorm_backward(float* dx, const float* dout, const float* x, const float* g,
                                            const float* rstd, int N, int C) {
    __shared__ float scratch[32];
    int row = blockIdx.x;
    if (row >= N) return;
    long long base = (long long)row * C;
    float r = rstd[row];
    float dot = 0.0f;
    for (int c = threadIdx.x; c < C; c += blockDim.x) dot += (dout[base + c] * g[c]) * (x[base + c] * r);
    dot = ls_block_sum(dot, scratch) / (float)C;
    for (int c = threadIdx.x; c < C; c += blockDim.x) {
        float xhat = x[base + c] * r;
        dx[base + c] += r * (dout[base + c] * g[c] - xhat * dot);
    }
}

// partial[chunk, c] = sum over the rows of the chunk of dout[row, c] * x[row, c] * rstd[row].
// grid = (ceil(C / blockDim.x), chunks); rows [chunk * rowsPerChunk, ...). Then sum_partials_into adds the chunks.
extern "C" __global__ void rmsnorm_dgain(float* partial, const float* dout, const float* x, const float* rstd,
                                         int N, int C, int rowsPerChunk) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (c >= C) return;
    int r0 = blockIdx.y * rowsPerChunk;
    int r1 = min(N, r0 + rowsPerChunk);
    float s = 0.0f;
    for (int r = r0; r < r1; r++) {
        long long i = (long long)r * C + c;
        s += dout[i] * (x[i] * rstd[r]);
    }
    partial[(long long)blockIdx.y * C + c] = s;
}

// dst[c] += sum over k of partial[k, c], k in chunk order.
extern "C" __global__ void sum_partials_into(float* dst, const float* partial, int chunks, int C) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (c >= C) return;
    float s = 0.0f;
    for (int k = 0; k < chunks; k++) s += partial[(long long)k * C + c];
    dst[c] += s;
}
