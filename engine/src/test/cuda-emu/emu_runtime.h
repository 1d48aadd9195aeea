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
    int shuffles;  // parity of the slot set this lane uses next
};

extern EmuThread* emu_cur;
extern dim3 emu_blockIdx, emu_blockDim, emu_gridDim;
void emu_syncthreads();
void emu_warp_sync();
// Shuffle slots, two sets used alternately: a lane cannot rewrite a set before every lane of its warp has passed
// the next warp barrier, which is after they all read it, so one barrier per shuffle is enough.
extern float emu_xchg_f[2][1024];
extern double emu_xchg_d[2][1024];
extern int emu_xchg_i[2][1024];

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
static inline V* emu_slots(int parity);
template <>
inline float* emu_slots<float>(int parity) { return emu_xchg_f[parity]; }
template <>
inline double* emu_slots<double>(int parity) { return emu_xchg_d[parity]; }
template <>
inline int* emu_slots<int>(int parity) { return emu_xchg_i[parity]; }

// Every lane publishes its value, the warp meets, each reads its partner's.
template <typename V>
static inline V __shfl_xor_sync(unsigned, V v, int laneMask) {
    V* s = emu_slots<V>(emu_cur->shuffles++ & 1);
    int me = emu_cur->linear;
    s[me] = v;
    emu_warp_sync();
    return s[(me & ~31) | ((me & 31) ^ laneMask)];
}

template <typename V>
static inline V __shfl_down_sync(unsigned, V v, int delta) {
    V* s = emu_slots<V>(emu_cur->shuffles++ & 1);
    int me = emu_cur->linear;
    s[me] = v;
    emu_warp_sync();
    int src = (me & 31) + delta;
    return src < 32 ? s[(me & ~31) | src] : v;
}

static inline float atomicAdd(float* p, float v) {
    float old = *p;
    *p = old + v;
    return old;
}
