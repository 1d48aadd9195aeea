// The global-to-shared half of the tiled GEMMs (matmul.cu in fp32, matmul_tf32.cu on tensor cores): both keep a
// 128-row slice of op(A) and of op(B) in shared memory, K-major, and move it with 256 threads.
#pragma once

// The N values of a 128 x TK slice that thread `tid` moves (N * 256 == 128 * TK), read so that neighbouring threads
// read neighbouring addresses in either storage order. rowMajor: element (i, kk) sits at src[i * ld + kk]
// (k contiguous), else at src[kk * ld + i] (i contiguous). Outside the matrix the value is 0. idx[r] is where the
// value goes in the shared slice, whose k-rows are STRIDE floats apart.
template <int TK, int N, int STRIDE>
__device__ __forceinline__ void ls_load_slice(float (&v)[N], int (&idx)[N], const float* src, int ld, int rows, int k0,
                                              int K, int row0, int rowMajor, int tid) {
#pragma unroll
    for (int r = 0; r < N; r++) {
        int e = tid + 256 * r;
        int i = rowMajor ? e / TK : e % 128;
        int kk = rowMajor ? e % TK : e / 128;
        int gi = row0 + i, gk = k0 + kk;
        v[r] = (gi < rows && gk < K) ? (rowMajor ? src[(long long)gi * ld + gk] : src[(long long)gk * ld + gi]) : 0.0f;
        idx[r] = kk * STRIDE + i;
    }
}
