// Row-major single-precision GEMM for machines without cuBLAS:
// C[M, N] = alpha * op(A)[M, K] * op(B)[K, N] + beta * C, op(A)[i][k] = transA ? A[k * lda + i] : A[i * lda + k],
// op(B)[k][j] = transB ? B[j * ldb + k] : B[k * ldb + j]. With beta == 0, C is not read (it may hold garbage).
//
// 128 x 128 tiles of C per block of 256 threads; thread (tx, ty) of a 16 x 16 grid keeps 8 x 8 outputs in registers,
// rows ty + 16 i and columns tx + 16 j (so a warp's shared-memory reads are broadcasts or consecutive words, and its
// stores to C are consecutive). K goes in slices of 8 through two shared-memory buffers: while the block multiplies
// one slice, each thread holds its 4 + 4 values of the next slice in registers and stores them into the other buffer
// afterwards, so one barrier per slice suffices. Each slice costs 16 shared loads per 64 fused multiply-adds.
// grid = (ceil(N / 128), ceil(M / 128), batch): product z reads A + z * strideA and B + z * strideB and writes
// C + z * strideC (the strided batched GEMM of the attention; one product has batch 1 and strides 0).
#include "common.cuh"
#include "matmul_tile.cuh"

#define LS_TM 128
#define LS_TN 128
#define LS_TK 8
#define LS_PAD 4  // (128 + 4) % 32 == 4: the 8 k-rows of a transposed-order store land in distinct banks

// ptxas gives it about 222 registers, so one block (8 warps) fits per multiprocessor. Capping it at 128 with
// __launch_bounds__(256, 2) was measured on an H100 and changed nothing (step times within 2%, either way).
extern "C" __global__ void matmul_tiled(float* C, const float* A, const float* B, int M, int N, int K, int lda,
                                        int ldb, int ldc, int transA, int transB, float alpha, float beta,
                                        long long strideA, long long strideB, long long strideC) {
    __shared__ float As[2][LS_TK * (LS_TM + LS_PAD)];
    __shared__ float Bs[2][LS_TK * (LS_TN + LS_PAD)];
    A += blockIdx.z * strideA;
    B += blockIdx.z * strideB;
    C += blockIdx.z * strideC;
    int tid = threadIdx.x, tx = tid & 15, ty = tid >> 4;
    int row0 = blockIdx.y * LS_TM, col0 = blockIdx.x * LS_TN;
    // A's tile is op(A)[row0.., k0..]: row-major storage unless transposed. B's is op(B)[k0.., col0..], which reads
    // like a slice of rows col0.. of B^T: "row-major" (k contiguous) exactly when B is transposed.
    int aRowMajor = !transA, bRowMajor = transB;
    float acc[8][8];
#pragma unroll
    for (int i = 0; i < 8; i++)
#pragma unroll
        for (int j = 0; j < 8; j++) acc[i][j] = 0.0f;
    float va[4], vb[4];
    int ia[4], ib[4];
    ls_load_slice<LS_TK, 4, LS_TM + LS_PAD>(va, ia, A, lda, M, 0, K, row0, aRowMajor, tid);
    ls_load_slice<LS_TK, 4, LS_TN + LS_PAD>(vb, ib, B, ldb, N, 0, K, col0, bRowMajor, tid);
#pragma unroll
    for (int r = 0; r < 4; r++) {
        As[0][ia[r]] = va[r];
        Bs[0][ib[r]] = vb[r];
    }
    __syncthreads();
    int buf = 0;
    for (int k0 = 0; k0 < K; k0 += LS_TK) {
        int more = k0 + LS_TK < K;
        if (more) {
            ls_load_slice<LS_TK, 4, LS_TM + LS_PAD>(va, ia, A, lda, M, k0 + LS_TK, K, row0, aRowMajor, tid);
            ls_load_slice<LS_TK, 4, LS_TN + LS_PAD>(vb, ib, B, ldb, N, k0 + LS_TK, K, col0, bRowMajor, tid);
        }
        const float* as = As[buf];
        const float* bs = Bs[buf];
#pragma unroll
        for (int kk = 0; kk < LS_TK; kk++) {
            float a[8], b[8];
#pragma unroll
            for (int i = 0; i < 8; i++) a[i] = as[kk * (LS_TM + LS_PAD) + ty + 16 * i];
#pragma unroll
            for (int j = 0; j < 8; j++) b[j] = bs[kk * (LS_TN + LS_PAD) + tx + 16 * j];
#pragma unroll
            for (int i = 0; i < 8; i++)
#pragma unroll
                for (int j = 0; j < 8; j++) acc[i][j] += a[i] * b[j];
        }
        if (more) {
#pragma unroll
            for (int r = 0; r < 4; r++) {
                As[buf ^ 1][ia[r]] = va[r];
                Bs[buf ^ 1][ib[r]] = vb[r];
            }
        }
        __syncthreads();  // the slice just used is free, the next one is complete
        buf ^= 1;
    }
#pragma unroll
    for (int i = 0; i < 8; i++) {
        int r = row0 + ty + 16 * i;
        if (r >= M) continue;
#pragma unroll
        for (int j = 0; j < 8; j++) {
            int c = col0 + tx + 16 * j;
            if (c >= N) continue;
            long long o = (long long)r * ldc + c;
            C[o] = beta == 0.0f ? alpha * acc[i][j] : alpha * acc[i][j] + beta * C[o];
        }
    }
}
