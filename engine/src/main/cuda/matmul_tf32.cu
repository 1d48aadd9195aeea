// nvcc-arch: compute_80
// The GEMM of matmul.cu on TF32 tensor cores (mma.sync m16n8k8), for `--tf32` where cuBLAS is absent. Same
// arguments, the same C = alpha * op(A) op(B) + beta * C, with A's and B's elements rounded to TF32 (10-bit mantissa,
// round to nearest with ties away from zero, as cuBLAS's TF32 mode and PyTorch's allow_tf32 do) and fp32 accumulation.
// Tensor-core TF32 needs compute capability 8.0 (Ampere): this file is the one module built for compute_80 (the first
// line above tells build-ptx.sh), and the accelerator loads it only on such GPUs.
//
// 128 x 128 tiles of C per block of 256 threads = 8 warps in a 2 x 4 grid, each warp a 64 x 32 part as 4 x 4
// m16n8 tiles. K goes in slices of 16 (two mma steps) through two shared buffers, the next slice prefetched into
// registers as in matmul.cu. Shared rows are padded to 136 floats so each fragment load hits 32 distinct banks.
// Built for the host (the test emulator) the mma is replaced by the same products written out per output.
#include "common.cuh"
#include "matmul_tile.cuh"
#include <string.h>

#define LS_XM 128
#define LS_XN 128
#define LS_XK 16
#define LS_XS 136  // padded row of a shared slice

// x rounded to TF32 (kept in a float: the low 13 mantissa bits are zero).
__device__ __forceinline__ float ls_tf32(float x) {
#ifdef __CUDA_ARCH__
    unsigned r;
    asm("cvt.rna.tf32.f32 %0, %1;" : "=r"(r) : "f"(x));
    return __uint_as_float(r);
#else
    unsigned u;
    memcpy(&u, &x, 4);
    if ((u & 0x7f800000u) != 0x7f800000u) u = (u + 0x1000u) & 0xffffe000u;  // half an ulp of TF32 up, then truncate
    memcpy(&x, &u, 4);
    return x;
#endif
}

// The 8 values of a 128 x 16 slice that thread `tid` moves (matmul_tile.cuh), rounded to TF32.
__device__ __forceinline__ void ls_load_slice16(float (&v)[8], int (&idx)[8], const float* src, int ld, int rows,
                                                int k0, int K, int row0, int rowMajor, int tid) {
    ls_load_slice<LS_XK, 8, LS_XS>(v, idx, src, ld, rows, k0, K, row0, rowMajor, tid);
#pragma unroll
    for (int r = 0; r < 8; r++) v[r] = ls_tf32(v[r]);
}

extern "C" __global__ void matmul_tf32(float* C, const float* A, const float* B, int M, int N, int K, int lda,
                                       int ldb, int ldc, int transA, int transB, float alpha, float beta,
                                       long long strideA, long long strideB, long long strideC) {
    __shared__ float As[2][LS_XK * LS_XS];
    __shared__ float Bs[2][LS_XK * LS_XS];
    A += blockIdx.z * strideA;
    B += blockIdx.z * strideB;
    C += blockIdx.z * strideC;
    int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
    int wm = warp >> 2, wn = warp & 3;  // this warp's 64 x 32 part: rows wm * 64.., columns wn * 32..
    int g = lane >> 2, t = lane & 3;    // the mma fragments' group and thread-in-group
    int row0 = blockIdx.y * LS_XM, col0 = blockIdx.x * LS_XN;
    int aRowMajor = !transA, bRowMajor = transB;  // as in matmul.cu
    float acc[4][4][4];
#pragma unroll
    for (int mi = 0; mi < 4; mi++)
#pragma unroll
        for (int ni = 0; ni < 4; ni++)
#pragma unroll
            for (int e = 0; e < 4; e++) acc[mi][ni][e] = 0.0f;
    float va[8], vb[8];
    int ia[8], ib[8];
    ls_load_slice16(va, ia, A, lda, M, 0, K, row0, aRowMajor, tid);
    ls_load_slice16(vb, ib, B, ldb, N, 0, K, col0, bRowMajor, tid);
#pragma unroll
    for (int r = 0; r < 8; r++) {
        As[0][ia[r]] = va[r];
        Bs[0][ib[r]] = vb[r];
    }
    __syncthreads();
    int buf = 0;
    for (int k0 = 0; k0 < K; k0 += LS_XK) {
        int more = k0 + LS_XK < K;
        if (more) {
            ls_load_slice16(va, ia, A, lda, M, k0 + LS_XK, K, row0, aRowMajor, tid);
            ls_load_slice16(vb, ib, B, ldb, N, k0 + LS_XK, K, col0, bRowMajor, tid);
        }
        const float* as = As[buf];
        const float* bs = Bs[buf];
#ifdef __CUDA_ARCH__
#pragma unroll
        for (int ks = 0; ks < LS_XK; ks += 8) {
            // A fragment (16 x 8, row-major): (g, t), (g + 8, t), (g, t + 4), (g + 8, t + 4);
            // B fragment (8 x 8, column-major): (t, g), (t + 4, g); C: (g, 2t), (g, 2t + 1), (g + 8, 2t), (g + 8, 2t + 1)
            unsigned a[4][4], b[4][2];
#pragma unroll
            for (int mi = 0; mi < 4; mi++) {
                int m = wm * 64 + mi * 16 + g;
                a[mi][0] = __float_as_uint(as[(ks + t) * LS_XS + m]);
                a[mi][1] = __float_as_uint(as[(ks + t) * LS_XS + m + 8]);
                a[mi][2] = __float_as_uint(as[(ks + t + 4) * LS_XS + m]);
                a[mi][3] = __float_as_uint(as[(ks + t + 4) * LS_XS + m + 8]);
            }
#pragma unroll
            for (int ni = 0; ni < 4; ni++) {
                int n = wn * 32 + ni * 8 + g;
                b[ni][0] = __float_as_uint(bs[(ks + t) * LS_XS + n]);
                b[ni][1] = __float_as_uint(bs[(ks + t + 4) * LS_XS + n]);
            }
#pragma unroll
            for (int mi = 0; mi < 4; mi++)
#pragma unroll
                for (int ni = 0; ni < 4; ni++)
                    asm volatile(
                        "mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
                        "{%0,%1,%2,%3};"
                        : "+f"(acc[mi][ni][0]), "+f"(acc[mi][ni][1]), "+f"(acc[mi][ni][2]), "+f"(acc[mi][ni][3])
                        : "r"(a[mi][0]), "r"(a[mi][1]), "r"(a[mi][2]), "r"(a[mi][3]), "r"(b[ni][0]), "r"(b[ni][1]));
        }
#else
        for (int mi = 0; mi < 4; mi++)
            for (int ni = 0; ni < 4; ni++)
                for (int e = 0; e < 4; e++) {
                    int m = wm * 64 + mi * 16 + g + (e >= 2 ? 8 : 0), n = wn * 32 + ni * 8 + 2 * t + (e & 1);
                    for (int kk = 0; kk < LS_XK; kk++) acc[mi][ni][e] += as[kk * LS_XS + m] * bs[kk * LS_XS + n];
                }
#endif
        if (more) {
#pragma unroll
            for (int r = 0; r < 8; r++) {
                As[buf ^ 1][ia[r]] = va[r];
                Bs[buf ^ 1][ib[r]] = vb[r];
            }
        }
        __syncthreads();
        buf ^= 1;
    }
#pragma unroll
    for (int mi = 0; mi < 4; mi++)
#pragma unroll
        for (int ni = 0; ni < 4; ni++)
#pragma unroll
            for (int e = 0; e < 4; e++) {
                int r = row0 + wm * 64 + mi * 16 + g + (e >= 2 ? 8 : 0);
                int c = col0 + wn * 32 + ni * 8 + 2 * t + (e & 1);
                if (r >= M || c >= N) continue;
                long long o = (long long)r * ldc + c;
                C[o] = beta == 0.0f ? alpha * acc[mi][ni][e] : alpha * acc[mi][ni][e] + beta * C[o];
            }
}
