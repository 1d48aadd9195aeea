// Row-major single-precision GEMM for machines without cuBLAS:
// C[M, N] = alpha * op(A)[M, K] * op(B)[K, N] + beta * C, op(A)[i][k] = transA ? A[k * lda + i] : A[i * lda + k],
// op(B)[k][j] = transB ? B[j * ldb + k] : B[k * ldb + j]. With beta == 0, C is not read (it may hold garbage).
// 64 x 64 tiles of C per block of 256 threads, each thread 4 x 4 outputs strided by 16; K in slices of 16
// through shared memory. grid = (ceil(N / 64), ceil(M / 64), batch): product z reads A + z * strideA and B + z * strideB
// and writes C + z * strideC (the strided batched GEMM of the attention; one product has batch 1 and strides 0).
#include "common.cuh"

#define LS_TM 64
#define LS_TN 64
#define LS_TK 16

extern "C" __global__ void matmul_tiled(float* C, const float* A, const float* B, int M, int N, int K, int lda,
                                        int ldb, int ldc, int transA, int transB, float alpha, float beta,
                                        long long strideA, long long strideB, long long strideC) {
    __shared__ float As[LS_TK][LS_TM + 4];
    __shared__ float Bs[LS_TK][LS_TN + 4];
    A += blockIdx.z * strideA;
    B += blockIdx.z * strideB;
    C += blockIdx.z * strideC;
    int tx = threadIdx.x & 15, ty = threadIdx.x >> 4;
    int row0 = blockIdx.y * LS_TM, col0 = blockIdx.x * LS_TN;
    float acc[4][4];
#pragma unroll
    for (int i = 0; i < 4; i++)
#pragma unroll
        for (int j = 0; j < 4; j++) acc[i][j] = 0.0f;
    for (int k0 = 0; k0 < K; k0 += LS_TK) {
        for (int e = threadIdx.x; e < LS_TM * LS_TK; e += 256) {
            // neighbouring threads read neighbouring addresses in either storage order
            int i = transA ? e % LS_TM : e / LS_TK;
            int kk = transA ? e / LS_TM : e % LS_TK;
            int gi = row0 + i, gk = k0 + kk;
            float val = 0.0f;
            if (gi < M && gk < K) val = transA ? A[(long long)gk * lda + gi] : A[(long long)gi * lda + gk];
            As[kk][i] = val;
        }
        for (int e = threadIdx.x; e < LS_TN * LS_TK; e += 256) {
            int j = transB ? e / LS_TK : e % LS_TN;
            int kk = transB ? e % LS_TK : e / LS_TN;
            int gj = col0 + j, gk = k0 + kk;
            float val = 0.0f;
            if (gj < N && gk < K) val = transB ? B[(long long)gj * ldb + gk] : B[(long long)gk * ldb + gj];
            Bs[kk][j] = val;
        }
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < LS_TK; kk++) {
            float a[4], b[4];
#pragma unroll
            for (int i = 0; i < 4; i++) a[i] = As[kk][ty + 16 * i];
#pragma unroll
            for (int j = 0; j < 4; j++) b[j] = Bs[kk][tx + 16 * j];
#pragma unroll
            for (int i = 0; i < 4; i++)
#pragma unroll
                for (int j = 0; j < 4; j++) acc[i][j] += a[i] * b[j];
        }
        __syncthreads();
    }
#pragma unroll
    for (int i = 0; i < 4; i++) {
        int r = row0 + ty + 16 * i;
        if (r >= M) continue;
#pragma unroll
        for (int j = 0; j < 4; j++) {
            int c = col0 + tx + 16 * j;
            if (c >= N) continue;
            long long o = (long long)r * ldc + c;
            C[o] = beta == 0.0f ? alpha * acc[i][j] : alpha * acc[i][j] + beta * C[o];
        }
    }
}
