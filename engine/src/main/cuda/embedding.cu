// Token embedding: forward gathers rows, backward sums the gradient rows of each distinct token.
#include "common.cuh"

// out[i, c] = emb[tokens[i], c] (times the dropout factor). One thread per element, N*C < 2^31.
extern "C" __global__ void embedding_forward(float* out, const int* tokens, const float* emb, int N, int C,
                                             float dropout, unsigned long long stream) {
    int idx = blockIdx.x * blockDim.x + threadIdx.x;
    if (idx >= N * C) return;
    int i = idx / C, c = idx - i * C;
    out[idx] = emb[(long long)tokens[i] * C + c] * ls_dropout_scale(dropout, stream, (unsigned long long)idx);
}

// demb[tok, c] += sum over the positions p of tok of dout[p, c]. The host groups positions by token (CSR:
// uniq[u] is a token, its positions are positions[offsets[u] .. offsets[u+1])), so every row is written by one
// block, in a fixed order: no atomics, the same result on every run.
// grid.x = number of distinct tokens, grid.y * blockDim.x >= C.
extern "C" __global__ void embedding_backward(float* demb, const float* dout, const int* uniq, const int* offsets,
                                              const int* positions, int C, float dropout, unsigned long long stream) {
    int u = blockIdx.x;
    int c = blockIdx.y * blockDim.x + threadIdx.x;
    if (c >= C) return;
    float s = 0.0f;
    for (int j = offsets[u]; j < offsets[u + 1]; j++) {
        long long idx = (long long)positions[j] * C + c;
        s += dout[idx] * ls_dropout_scale(dropout, stream, (unsigned long long)idx);
    }
    demb[(long long)uniq[u] * C + c] += s;
}
