// Rotary position embedding on interleaved pairs (x[2j], x[2j+1]) of each head, as llama2.c's run.c. The angles'
// cos and sin come from a table made on the host (the same floats the CPU engine uses): cosT[t * hs/2 + j].
#include "common.cuh"

// x: [N = B*T rows, heads * hs]; the position of row n is n % T. One thread per pair.
extern "C" __global__ void rope_forward(float* x, const float* cosT, const float* sinT, int N, int T, int heads,
                                        int hs) {
    int half = hs / 2;
    long long idx = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (idx >= (long long)N * heads * half) return;
    int j = (int)(idx % half);
    long long rowHead = idx / half;
    int row = (int)(rowHead / heads);
    int t = row % T;
    float c = cosT[t * half + j], s = sinT[t * half + j];
    float* p = x + rowHead * hs + 2 * j;
    float v0 = p[0], v1 = p[1];
    p[0] = v0 * c - v1 * s;
    p[1] = v0 * s + v1 * c;
}

// The gradient through the rotation is the inverse rotation (the transpose of a rotation matrix).
extern "C" __global__ void rope_backward(float* dx, const float* cosT, const float* sinT, int N, int T, int heads,
                                         int hs) {
    int half = hs / 2;
    long long idx = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (idx >= (long long)N * heads * half) return;
    int j = (int)(idx % half);
    long long rowHead = idx / half;
    int row = (int)(rowHead / heads);
    int t = row % T;
    float c = cosT[t * half + j], s = sinT[t * half + j];
    float* p = dx + rowHead * hs + 2 * j;
    float d0 = p[0], d1 = p[1];
    p[0] = d0 * c + d1 * s;
    p[1] = -d0 * s + d1 * c;
}
