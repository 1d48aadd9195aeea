// Memory read bandwidth of this machine, for judging the fp32 decode figures (bench/README.md).
// Sums a file's floats with AVX-512 on N OpenMP threads, from its read-only mapping and from an anonymous copy
// with transparent huge pages; 10 passes per figure, twice.
//   gcc -O3 -march=native -fopenmp bench/membw.c -o /tmp/membw && OMP_NUM_THREADS=2 /tmp/membw /tmp/bench/stories110M.bin
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <unistd.h>
#include <omp.h>
#include <immintrin.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
float run(const float* p, size_t n){
  float total=0;
  #pragma omp parallel reduction(+:total)
  { int t=omp_get_thread_num(), T=omp_get_num_threads(); size_t a=n/T*t, b=n/T*(t+1);
    __m512 s0=_mm512_setzero_ps(), s1=s0, s2=s0, s3=s0;
    for(size_t i=a;i<b;i+=64){ s0=_mm512_add_ps(s0,_mm512_loadu_ps(p+i)); s1=_mm512_add_ps(s1,_mm512_loadu_ps(p+i+16)); s2=_mm512_add_ps(s2,_mm512_loadu_ps(p+i+32)); s3=_mm512_add_ps(s3,_mm512_loadu_ps(p+i+48)); }
    total+=_mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(s0,s1),_mm512_add_ps(s2,s3))); }
  return total;
}
int main(int c, char**v){
  int fd=open(v[1],O_RDONLY); size_t sz=lseek(fd,0,SEEK_END); size_t n=(sz/4)&~(size_t)1023;
  const float* m=mmap(0,sz,PROT_READ,MAP_PRIVATE,fd,0);
  float* a=aligned_alloc(2<<20,n*4); madvise(a,n*4,MADV_HUGEPAGE); memcpy(a,m,n*4);
  for(int k=0;k<2;k++){ for(int mode=0;mode<2;mode++){ const float*p=mode?a:m; run(p,n); double t=now(); float s=0; for(int r=0;r<10;r++) s+=run(p,n); double dt=now()-t; printf("%s %.1f GB/s (%g)\n", mode?"anon-THP":"mmap-file", 10.0*n*4/dt/1e9, s);} }
}
