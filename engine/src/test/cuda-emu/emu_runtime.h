// A CPU emulator for our CUDA kernels, for tests on machines without a GPU. Force-included before the kernel
// sources when they are compiled with a host C++ compiler (see EmuBuild.java); never shipped.
//
// Model: blocks run one after another; the threads of a block are fibers on one OS thread, switched only at
// __syncthreads (every live thread of the block) and at warp shuffles (every live lane of the warp). So __shared__
// variables can be plain statics, atomics are plain adds, and a kernel that diverges around a barrier deadlocks
// here exactly where it would be undefined on a GPU (reported, not hung). Kernels without barriers or shuffles
// run as plain loops.
#pragma once
#include <math.h>
#include <stdint.h>
#include <algorithm>
using std::min;
using std::max;

struct dim3 {
    unsigned x, y, z;
};

struct EmuThread {
    dim3 tid;
    int linear;
};

extern EmuThread* emu_cur;
extern dim3 emu_blockIdx, emu_blockDim, emu_gridDim;
void emu_syncthreads();
void emu_warp_sync();
extern float emu_xchg_f[1024];
extern double emu_xchg_d[1024];
extern int emu_xchg_i[1024];

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __restrict__
#define __shared__ static
#define threadIdx (emu_cur->tid)
#define blockIdx emu_blockIdx
#define blockDim emu_blockDim
#define gridDim emu_gridDim
#define __syncthreads() emu_syncthreads()

template <typename V>
static inline V* emu_slots();
template <>
inline float* emu_slots<float>() { return emu_xchg_f; }
template <>
inline double* emu_slots<double>() { return emu_xchg_d; }
template <>
inline int* emu_slots<int>() { return emu_xchg_i; }

// Every lane publishes its value, the warp meets, each reads its partner's, the warp meets again.
template <typename V>
static inline V __shfl_xor_sync(unsigned, V v, int laneMask) {
    V* s = emu_slots<V>();
    int me = emu_cur->linear;
    s[me] = v;
    emu_warp_sync();
    V r = s[(me & ~31) | ((me & 31) ^ laneMask)];
    emu_warp_sync();
    return r;
}

template <typename V>
static inline V __shfl_down_sync(unsigned, V v, int delta) {
    V* s = emu_slots<V>();
    int me = emu_cur->linear;
    s[me] = v;
    emu_warp_sync();
    int src = (me & 31) + delta;
    V r = src < 32 ? s[(me & ~31) | src] : v;
    emu_warp_sync();
    return r;
}

static inline float atomicAdd(float* p, float v) {
    float old = *p;
    *p = old + v;
    return old;
}
