/* What one core issues per second: 512-bit FMA, vpmullw, vpaddw, 256-bit vpaddw (12 independent registers each),
 * and a chain of dependent imul (3 cycles each) for the clock. Build: gcc -O2 bench/ports.c -o /tmp/ports */
#include <stdio.h>
#include <time.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
#define F12(op,r) op " %%" r "1,%%" r "1,%%" r "0\n\t" op " %%" r "1,%%" r "1,%%" r "2\n\t" op " %%" r "1,%%" r "1,%%" r "3\n\t" op " %%" r "1,%%" r "1,%%" r "4\n\t" op " %%" r "1,%%" r "1,%%" r "5\n\t" op " %%" r "1,%%" r "1,%%" r "6\n\t" op " %%" r "1,%%" r "1,%%" r "7\n\t" op " %%" r "1,%%" r "1,%%" r "8\n\t" op " %%" r "1,%%" r "1,%%" r "9\n\t" op " %%" r "1,%%" r "1,%%" r "10\n\t" op " %%" r "1,%%" r "1,%%" r "11\n\t" op " %%" r "1,%%" r "1,%%" r "12\n\t"
int main(){
  long N=100000000; double t;
  t=now(); for(long n=0;n<N;n++) __asm__ volatile(F12("vfmadd231ps","zmm"):::"xmm0","xmm1","xmm2","xmm3","xmm4","xmm5","xmm6","xmm7","xmm8","xmm9","xmm10","xmm11","xmm12"); t=now()-t;
  printf("zmm fma  %.2f G/s\n", N*12/t/1e9);
  t=now(); for(long n=0;n<N;n++) __asm__ volatile(F12("vfmadd231ps","ymm"):::"xmm0","xmm1","xmm2","xmm3","xmm4","xmm5","xmm6","xmm7","xmm8","xmm9","xmm10","xmm11","xmm12"); t=now()-t;
  printf("ymm fma  %.2f G/s\n", N*12/t/1e9);
  t=now(); for(long n=0;n<N;n++) __asm__ volatile(F12("vpmullw","zmm"):::"xmm0","xmm1","xmm2","xmm3","xmm4","xmm5","xmm6","xmm7","xmm8","xmm9","xmm10","xmm11","xmm12"); t=now()-t;
  printf("zmm mullw %.2f G/s\n", N*12/t/1e9);
  t=now(); for(long n=0;n<N;n++) __asm__ volatile(F12("vpaddw","zmm"):::"xmm0","xmm1","xmm2","xmm3","xmm4","xmm5","xmm6","xmm7","xmm8","xmm9","xmm10","xmm11","xmm12"); t=now()-t;
  printf("zmm paddw %.2f G/s\n", N*12/t/1e9);
  t=now(); for(long n=0;n<N;n++) __asm__ volatile(F12("vpaddw","ymm"):::"xmm0","xmm1","xmm2","xmm3","xmm4","xmm5","xmm6","xmm7","xmm8","xmm9","xmm10","xmm11","xmm12"); t=now()-t;
  printf("ymm paddw %.2f G/s\n", N*12/t/1e9);
  long x=0; t=now(); for(long n=0;n<N;n++) __asm__ volatile("imul %0,%0\n\timul %0,%0\n\timul %0,%0\n\timul %0,%0\n\t":"+r"(x)); t=now()-t;
  printf("dep imul chain: %.2f G/s -> clock %.2f GHz (3-cycle latency)\n", N*4/t/1e9, N*4*3/t/1e9);
}
