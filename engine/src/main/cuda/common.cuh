// Shared helpers of the training kernels: warp and block reductions, and the dropout hash.
//
// Every kernel file includes this header. The same sources compile two ways:
//  - with nvcc to PTX (the shipped kernels, see build-ptx.sh), and
//  - with a host C++ compiler under the test-only emulator (engine/src/test/cuda-emu), which runs each CUDA
//    thread as a fiber so the kernels can be checked on machines without a GPU.
// So kernels use only: fixed-size __shared__ arrays (no dynamic shared memory), __syncthreads, full-warp
// __shfl_xor_sync with the whole warp converged, and the float functions of <math.h>.
#pragma once

#include <math.h>

#define LS_FULL_MASK 0xffffffffu

// Sum over the 32 lanes of a warp; every lane gets the same value (butterfly order, deterministic).
__device__ __forceinline__ float ls_warp_sum(float v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(LS_FULL_MASK, v, o);
    return v;
}

__device__ __forceinline__ float ls_warp_max(float v) {
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(LS_FULL_MASK, v, o));
    return v;
}

// Sum over the whole block (blockDim.x a multiple of 32, at most 1024); every thread gets the same value.
// scratch: 32 floats of shared memory owned by the caller. Partial sums are added in warp order, so the result
// does not depend on scheduling.
__device__ __forceinline__ float ls_block_sum(float v, float* scratch) {
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    v = ls_warp_sum(v);
    __syncthreads();  // the previous use of scratch is finished everywhere
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    float s = 0.0f;
    for (int w = 0; w < warps; w++) s += scratch[w];
    return s;
}

__device__ __forceinline__ float ls_block_max(float v, float* scratch) {
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    v = ls_warp_max(v);
    __syncthreads();
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    float m = scratch[0];
    for (int w = 1; w < warps; w++) m = fmaxf(m, scratch[w]);
    return m;
}

// Dropout: the same counter-based masks as the CPU trainer (dev.llamascope.engine.train.Dropout), so a run drops the
// same elements on either device and can move between them. The host derives one stream per (micro-batch, site,
// layer); element idx of a stream is dropped when the top 53 bits of splitmix64's finalizer of
// (stream + idx * golden gamma) are below ceil(p * 2^53). The backward pass regenerates the forward's mask.
__device__ __forceinline__ unsigned long long ls_dropout_hash(unsigned long long stream, unsigned long long idx) {
    unsigned long long z = stream + idx * 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// The factor an element is multiplied by: 0 when dropped, 1/(1-p) when kept, 1 when p == 0.
__device__ __forceinline__ float ls_dropout_scale(float p, unsigned long long stream, unsigned long long idx) {
    if (p <= 0.0f) return 1.0f;
    unsigned long long threshold = (unsigned long long)ceil((double)p * 9007199254740992.0);  // 2^53, exact in double
    return (ls_dropout_hash(stream, idx) >> 11) < threshold ? 0.0f : 1.0f / (1.0f - p);
}
