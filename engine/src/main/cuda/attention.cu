// Causal softmax attention with grouped-query heads, forward and backward. Simple, deterministic kernels: one warp
// per row of the attention matrix (or per output row), no atomics.
//
// Layouts (row n = b * T + t): q, y, dq, dy: [B*T, NH*hs]; k, v, dk, dv: [B*T, NKV*hs];
// att (probabilities) and datt (score gradients): [B, NH, T, T], zero above the diagonal.
// Query head h reads kv head h / (NH / NKV). hs <= 32 * LS_ATT_MAXD.
#include "common.cuh"
#include <math.h>

#define LS_ATT_MAXD 8

// att[b,h,t,u] = softmax over u <= t of scale * q[b,t,h] . k[b,u,kvh]. One warp per (b, h, t).
extern "C" __global__ void attention_forward_probs(float* att, const float* q, const float* k, int B, int T, int NH,
                                                   int NKV, int hs, float scale) {
    long long row = (long long)blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5);
    int lane = threadIdx.x & 31;
    if (row >= (long long)B * NH * T) return;  // the whole warp leaves together
    int t = (int)(row % T), h = (int)((row / T) % NH), b = (int)(row / ((long long)T * NH));
    int kvh = h / (NH / NKV), C = NH * hs, KC = NKV * hs;
    const float* qr = q + ((long long)b * T + t) * C + (long long)h * hs;
    float* ar = att + row * T;
    float mx = -INFINITY;
    for (int u = lane; u <= t; u += 32) {
        const float* kr = k + ((long long)b * T + u) * KC + (long long)kvh * hs;
        float s = 0.0f;
        for (int d = 0; d < hs; d++) s += qr[d] * kr[d];
        s *= scale;
        ar[u] = s;
        mx = fmaxf(mx, s);
    }
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

// y[b,t,h,:] = sum over u <= t of dropout(att[b,h,t,u]) * v[b,u,kvh,:]. One warp per (b, t, h); lanes split hs.
extern "C" __global__ void attention_forward_values(float* y, const float* att, const float* v, int B, int T, int NH,
                                                    int NKV, int hs, float dropout, unsigned long long stream) {
    long long row = (long long)blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5);  // (b * T + t) * NH + h
    int lane = threadIdx.x & 31;
    if (row >= (long long)B * T * NH) return;
    int h = (int)(row % NH);
    long long bt = row / NH;
    int t = (int)(bt % T), b = (int)(bt / T);
    int kvh = h / (NH / NKV), KC = NKV * hs;
    long long arow = (((long long)b * NH + h) * T + t) * T;
    float acc[LS_ATT_MAXD];
#pragma unroll
    for (int i = 0; i < LS_ATT_MAXD; i++) acc[i] = 0.0f;
    for (int u = 0; u <= t; u++) {
        float p = att[arow + u] * ls_dropout_scale(dropout, stream, (unsigned long long)(arow + u));
        const float* vr = v + ((long long)b * T + u) * KC + (long long)kvh * hs;
#pragma unroll
        for (int i = 0; i < LS_ATT_MAXD; i++) {
            int d = lane + 32 * i;
            if (d < hs) acc[i] += p * vr[d];
        }
    }
    float* yr = y + row * hs;
#pragma unroll
    for (int i = 0; i < LS_ATT_MAXD; i++) {
        int d = lane + 32 * i;
        if (d < hs) yr[d] = acc[i];
    }
}

// datt[b,h,t,u] = scale * p * (dp - sum_u' p dp), dp[u] = dropout'(u) * dy[b,t,h] . v[b,u,kvh] (the softmax's
// backward). One warp per (b, h, t).
extern "C" __global__ void attention_backward_probs(float* datt, const float* att, const float* dy, const float* v,
                                                    int B, int T, int NH, int NKV, int hs, float scale,
                                                    float dropout, unsigned long long stream) {
    long long row = (long long)blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5);
    int lane = threadIdx.x & 31;
    if (row >= (long long)B * NH * T) return;
    int t = (int)(row % T), h = (int)((row / T) % NH), b = (int)(row / ((long long)T * NH));
    int kvh = h / (NH / NKV), C = NH * hs, KC = NKV * hs;
    const float* dyr = dy + ((long long)b * T + t) * C + (long long)h * hs;
    const float* ar = att + row * T;
    float* dr = datt + row * T;
    float s = 0.0f;
    for (int u = lane; u <= t; u += 32) {
        const float* vr = v + ((long long)b * T + u) * KC + (long long)kvh * hs;
        float dp = 0.0f;
        for (int d = 0; d < hs; d++) dp += dyr[d] * vr[d];
        dp *= ls_dropout_scale(dropout, stream, (unsigned long long)(row * T + u));
        dr[u] = dp;
        s += ar[u] * dp;
    }
    s = ls_warp_sum(s);
    for (int u = lane; u < T; u += 32) dr[u] = u <= t ? scale * ar[u] * (dr[u] - s) : 0.0f;
}

// dq[b,t,h,:] = sum over u <= t of datt[b,h,t,u] * k[b,u,kvh,:]. One warp per (b, t, h).
extern "C" __global__ void attention_backward_q(float* dq, const float* datt, const float* k, int B, int T, int NH,
                                                int NKV, int hs) {
    long long row = (long long)blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5);  // (b * T + t) * NH + h
    int lane = threadIdx.x & 31;
    if (row >= (long long)B * T * NH) return;
    int h = (int)(row % NH);
    long long bt = row / NH;
    int t = (int)(bt % T), b = (int)(bt / T);
    int kvh = h / (NH / NKV), KC = NKV * hs;
    long long arow = (((long long)b * NH + h) * T + t) * T;
    float acc[LS_ATT_MAXD];
#pragma unroll
    for (int i = 0; i < LS_ATT_MAXD; i++) acc[i] = 0.0f;
    for (int u = 0; u <= t; u++) {
        float ds = datt[arow + u];
        const float* kr = k + ((long long)b * T + u) * KC + (long long)kvh * hs;
#pragma unroll
        for (int i = 0; i < LS_ATT_MAXD; i++) {
            int d = lane + 32 * i;
            if (d < hs) acc[i] += ds * kr[d];
        }
    }
    float* o = dq + row * hs;
#pragma unroll
    for (int i = 0; i < LS_ATT_MAXD; i++) {
        int d = lane + 32 * i;
        if (d < hs) o[d] = acc[i];
    }
}

// dk[b,u,kvh,:] = sum over the query heads h of the group and t >= u of datt[b,h,t,u] * q[b,t,h,:];
// dv[b,u,kvh,:] = the same sum of dropout(att[b,h,t,u]) * dy[b,t,h,:]. One warp per (b, u, kvh).
extern "C" __global__ void attention_backward_kv(float* dk, float* dv, const float* datt, const float* att,
                                                 const float* q, const float* dy, int B, int T, int NH, int NKV,
                                                 int hs, float dropout, unsigned long long stream) {
    long long row = (long long)blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5);  // (b * T + u) * NKV + kvh
    int lane = threadIdx.x & 31;
    if (row >= (long long)B * T * NKV) return;
    int kvh = (int)(row % NKV);
    long long bu = row / NKV;
    int u = (int)(bu % T), b = (int)(bu / T);
    int group = NH / NKV, C = NH * hs;
    float ak[LS_ATT_MAXD], av[LS_ATT_MAXD];
#pragma unroll
    for (int i = 0; i < LS_ATT_MAXD; i++) { ak[i] = 0.0f; av[i] = 0.0f; }
    for (int h = kvh * group; h < (kvh + 1) * group; h++) {
        for (int t = u; t < T; t++) {
            long long ai = (((long long)b * NH + h) * T + t) * T + u;
            float ds = datt[ai];
            float p = att[ai] * ls_dropout_scale(dropout, stream, (unsigned long long)ai);
            const float* qr = q + ((long long)b * T + t) * C + (long long)h * hs;
            const float* dyr = dy + ((long long)b * T + t) * C + (long long)h * hs;
#pragma unroll
            for (int i = 0; i < LS_ATT_MAXD; i++) {
                int d = lane + 32 * i;
                if (d < hs) {
                    ak[i] += ds * qr[d];
                    av[i] += p * dyr[d];
                }
            }
        }
    }
#pragma unroll
    for (int i = 0; i < LS_ATT_MAXD; i++) {
        int d = lane + 32 * i;
        if (d < hs) {
            dk[row * hs + d] = ak[i];
            dv[row * hs + d] = av[i];
        }
    }
}
