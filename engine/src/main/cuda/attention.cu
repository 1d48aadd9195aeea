// Causal softmax attention with grouped-query heads: the element-wise parts. The four products per layer
// (scores = Q K^T, y = P V and their gradients) are strided batched GEMMs over head-major buffers (GpuAttention.java:
// cuBLAS when found, else matmul_tiled with a batch grid), as PyTorch's eager attention does; these kernels do the
// rest: the layout changes, the causal softmax and its backward, and attention dropout.
//
// Layouts: token-major x[B*T, H*hs] (row b*T + t, head h at column h*hs) as the linear layers produce and consume;
// head-major xh[B, H, T, hs] for the batched products; att (probabilities) and datt: [B, NH, T, T], zero above the
// diagonal after the softmax kernels.
#include "common.cuh"
#include <math.h>

// xh[b, h, t, :] = x[b*T + t, h*hs : (h+1)*hs]. One thread per element.
extern "C" __global__ void heads_from_tokens(float* xh, const float* x, int B, int T, int H, int hs) {
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;  // index into xh
    if (i >= (long long)B * H * T * hs) return;
    int d = (int)(i % hs);
    long long r = i / hs;
    int t = (int)(r % T);
    long long bh = r / T;
    int h = (int)(bh % H), b = (int)(bh / H);
    xh[i] = x[((long long)b * T + t) * H * hs + (long long)h * hs + d];
}

// The inverse: x[b*T + t, h*hs + d] = xh[b, h, t, d]. One thread per element, writes in token order.
extern "C" __global__ void tokens_from_heads(float* x, const float* xh, int B, int T, int H, int hs) {
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;  // index into x
    if (i >= (long long)B * T * H * hs) return;
    int d = (int)(i % hs);
    long long r = i / hs;
    int h = (int)(r % H);
    long long bt = r / H;
    int t = (int)(bt % T), b = (int)(bt / T);
    x[i] = xh[(((long long)b * H + h) * T + t) * hs + d];
}

// In place over rows of att [rows = B*NH*T, T] holding scaled scores: row r (position t = r % T) becomes the softmax
// over u <= t, and zero above the diagonal. One warp per row.
extern "C" __global__ void attention_softmax_causal(float* att, long long rows, int T) {
    long long row = (long long)blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5);
    int lane = threadIdx.x & 31;
    if (row >= rows) return;  // the whole warp leaves together
    int t = (int)(row % T);
    float* ar = att + row * T;
    float mx = -INFINITY;
    for (int u = lane; u <= t; u += 32) mx = fmaxf(mx, ar[u]);
    mx = ls_warp_max(mx);
    float sum = 0.0f;
    for (int u = lane; u <= t; u += 32) {
        float e = expf(ar[u] - mx);
        ar[u] = e;
        sum += e;
    }
    sum = ls_warp_sum(sum);
    float inv = 1.0f / sum;
    for (int u = lane; u < T; u += 32) ar[u] = u <= t ? ar[u] * inv : 0.0f;
}

// The softmax's backward, in place: datt holds dp_raw[u] = dy[t] . v[u] for the row (every u); with
// dp = dp_raw * dropout'(u) and s = sum over u <= t of att * dp, the row becomes scale * att * (dp - s) for u <= t and
// zero above. The dropout element of (row, u) is row * T + u, the index attention_dropout_probs used. One warp per row.
extern "C" __global__ void attention_softmax_backward(float* datt, const float* att, long long rows, int T, float scale,
                                                      float dropout, unsigned long long stream) {
    long long row = (long long)blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5);
    int lane = threadIdx.x & 31;
    if (row >= rows) return;
    int t = (int)(row % T);
    const float* ar = att + row * T;
    float* dr = datt + row * T;
    float s = 0.0f;
    for (int u = lane; u <= t; u += 32) {
        float dp = dr[u] * ls_dropout_scale(dropout, stream, (unsigned long long)(row * T + u));
        dr[u] = dp;
        s += ar[u] * dp;
    }
    s = ls_warp_sum(s);
    for (int u = lane; u < T; u += 32) dr[u] = u <= t ? scale * ar[u] * (dr[u] - s) : 0.0f;
}

// out = att with attention dropout applied (element i of [B, NH, T, T] is element i of the stream). One thread each.
extern "C" __global__ void attention_dropout_probs(float* out, const float* att, long long n, float dropout,
                                                   unsigned long long stream) {
    long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    out[i] = att[i] * ls_dropout_scale(dropout, stream, (unsigned long long)i);
}
