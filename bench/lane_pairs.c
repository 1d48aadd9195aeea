/* LaneGemm.lanePairs (engine/.../tensor/LaneGemm.java) written with AVX-512 intrinsics: the same 24 float operations
 * and 20 loads per group, over the same tile sizes as a 768x768 x 256-token product, to see what the hardware gives
 * that instruction mix. With the argument "octets": LaneGemm.lane with 16 products per lane and group (Q4_0 octets,
 * bench/README.md sixth session) over the same product.
 * Build: gcc -O2 -mavx512f -mfma bench/lane_pairs.c -o /tmp/lane_pairs; run /tmp/lane_pairs [octets] */
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
#define L 16
#define R 4
#define TT 32
__attribute__((noinline)) void lanePairs(int groups,const float*w,const float*x,const float*s,float*lanes){
  __m512 a00=_mm512_setzero_ps(),a01=a00,a10=a00,a11=a00,a20=a00,a21=a00,a30=a00,a31=a00;
  for(int g=0;g<groups;g++){
    const float*xi=x+g*2*TT,*wi=w+g*2*R,*si=s+g*R*TT;
    __m512 x0=_mm512_loadu_ps(xi),x1=_mm512_loadu_ps(xi+L);
    __m512 b0=_mm512_set1_ps(wi[0]),b1=_mm512_set1_ps(wi[1]),b2=_mm512_set1_ps(wi[2]),b3=_mm512_set1_ps(wi[3]);
    __m512 p00=_mm512_mul_ps(x0,b0),p01=_mm512_mul_ps(x1,b0),p10=_mm512_mul_ps(x0,b1),p11=_mm512_mul_ps(x1,b1);
    __m512 p20=_mm512_mul_ps(x0,b2),p21=_mm512_mul_ps(x1,b2),p30=_mm512_mul_ps(x0,b3),p31=_mm512_mul_ps(x1,b3);
    x0=_mm512_loadu_ps(xi+TT);x1=_mm512_loadu_ps(xi+TT+L);
    b0=_mm512_set1_ps(wi[4]);b1=_mm512_set1_ps(wi[5]);b2=_mm512_set1_ps(wi[6]);b3=_mm512_set1_ps(wi[7]);
    p00=_mm512_fmadd_ps(x0,b0,p00);p01=_mm512_fmadd_ps(x1,b0,p01);p10=_mm512_fmadd_ps(x0,b1,p10);p11=_mm512_fmadd_ps(x1,b1,p11);
    p20=_mm512_fmadd_ps(x0,b2,p20);p21=_mm512_fmadd_ps(x1,b2,p21);p30=_mm512_fmadd_ps(x0,b3,p30);p31=_mm512_fmadd_ps(x1,b3,p31);
    a00=_mm512_fmadd_ps(p00,_mm512_loadu_ps(si),a00);a01=_mm512_fmadd_ps(p01,_mm512_loadu_ps(si+L),a01);
    a10=_mm512_fmadd_ps(p10,_mm512_loadu_ps(si+TT),a10);a11=_mm512_fmadd_ps(p11,_mm512_loadu_ps(si+TT+L),a11);
    a20=_mm512_fmadd_ps(p20,_mm512_loadu_ps(si+2*TT),a20);a21=_mm512_fmadd_ps(p21,_mm512_loadu_ps(si+2*TT+L),a21);
    a30=_mm512_fmadd_ps(p30,_mm512_loadu_ps(si+3*TT),a30);a31=_mm512_fmadd_ps(p31,_mm512_loadu_ps(si+3*TT+L),a31);
  }
  _mm512_storeu_ps(lanes,a00);_mm512_storeu_ps(lanes+16,a01);_mm512_storeu_ps(lanes+32,a10);_mm512_storeu_ps(lanes+48,a11);
  _mm512_storeu_ps(lanes+64,a20);_mm512_storeu_ps(lanes+80,a21);_mm512_storeu_ps(lanes+96,a30);_mm512_storeu_ps(lanes+112,a31);
}
#define P 16
__attribute__((noinline)) void laneOct(int groups,const float*w,const float*x,const float*s,int sStride,float*lanes){
  __m512 a00=_mm512_setzero_ps(),a01=a00,a10=a00,a11=a00,a20=a00,a21=a00,a30=a00,a31=a00;
  for(int g=0;g<groups;g++){
    const float*xi=x+g*P*TT,*wi=w+g*P*R,*si=s+g*sStride;
    __m512 x0=_mm512_loadu_ps(xi),x1=_mm512_loadu_ps(xi+L);
    __m512 b0=_mm512_set1_ps(wi[0]),b1=_mm512_set1_ps(wi[1]),b2=_mm512_set1_ps(wi[2]),b3=_mm512_set1_ps(wi[3]);
    __m512 p00=_mm512_mul_ps(x0,b0),p01=_mm512_mul_ps(x1,b0),p10=_mm512_mul_ps(x0,b1),p11=_mm512_mul_ps(x1,b1);
    __m512 p20=_mm512_mul_ps(x0,b2),p21=_mm512_mul_ps(x1,b2),p30=_mm512_mul_ps(x0,b3),p31=_mm512_mul_ps(x1,b3);
    for(int m=1;m<P;m++){
    x0=_mm512_loadu_ps(xi+m*TT);x1=_mm512_loadu_ps(xi+m*TT+L);
    b0=_mm512_set1_ps(wi[m*R]);b1=_mm512_set1_ps(wi[m*R+1]);b2=_mm512_set1_ps(wi[m*R+2]);b3=_mm512_set1_ps(wi[m*R+3]);
    p00=_mm512_fmadd_ps(x0,b0,p00);p01=_mm512_fmadd_ps(x1,b0,p01);p10=_mm512_fmadd_ps(x0,b1,p10);p11=_mm512_fmadd_ps(x1,b1,p11);
    p20=_mm512_fmadd_ps(x0,b2,p20);p21=_mm512_fmadd_ps(x1,b2,p21);p30=_mm512_fmadd_ps(x0,b3,p30);p31=_mm512_fmadd_ps(x1,b3,p31);
    }
    a00=_mm512_fmadd_ps(p00,_mm512_loadu_ps(si),a00);a01=_mm512_fmadd_ps(p01,_mm512_loadu_ps(si+L),a01);
    a10=_mm512_fmadd_ps(p10,_mm512_loadu_ps(si+TT),a10);a11=_mm512_fmadd_ps(p11,_mm512_loadu_ps(si+TT+L),a11);
    a20=_mm512_fmadd_ps(p20,_mm512_loadu_ps(si+2*TT),a20);a21=_mm512_fmadd_ps(p21,_mm512_loadu_ps(si+2*TT+L),a21);
    a30=_mm512_fmadd_ps(p30,_mm512_loadu_ps(si+3*TT),a30);a31=_mm512_fmadd_ps(p31,_mm512_loadu_ps(si+3*TT+L),a31);
  }
  _mm512_storeu_ps(lanes,a00);_mm512_storeu_ps(lanes+16,a01);_mm512_storeu_ps(lanes+32,a10);_mm512_storeu_ps(lanes+48,a11);
  _mm512_storeu_ps(lanes+64,a20);_mm512_storeu_ps(lanes+80,a21);_mm512_storeu_ps(lanes+96,a30);_mm512_storeu_ps(lanes+112,a31);
}
int main(int argc,char**argv){
  int octets=argc>1&&!strcmp(argv[1],"octets");
  int groups=24, lanesN=16, tiles=8, panels=192; /* groups of 32 values; octets take 8 of them per group */
  int cols=groups*32;
  float*x=aligned_alloc(64,sizeof(float)*tiles*cols*TT); float*w=aligned_alloc(64,sizeof(float)*R*cols);
  float*s=aligned_alloc(64,sizeof(float)*groups*R*TT); float*lanes=aligned_alloc(64,sizeof(float)*L*R*TT);
  for(long i=0;i<(long)tiles*cols*TT;i++)x[i]=(i%7)-3; for(int i=0;i<R*cols;i++)w[i]=(i%5)-2; for(int i=0;i<groups*R*TT;i++)s[i]=1e-3f;
  for(int rep=0;rep<5;rep++){
    double t=now();
    for(int p=0;p<panels;p++)for(int tile=0;tile<tiles;tile++)for(int l=0;l<lanesN;l++)
      if(octets)laneOct(groups/8,w+l*cols*R/L,x+tile*cols*TT+l*cols*TT/L,s+(l/2)*R*TT,8*R*TT,lanes);
      else lanePairs(groups,w+l*cols*R/L,x+tile*cols*TT+l*cols*TT/L,s,lanes);
    t=now()-t; long it=(long)panels*tiles*lanesN*groups;
    printf("%.2f ms, %.1f cycles/iter at 3.55GHz, %.1f G MAC/s\n",t*1e3,t*3.55e9/it,(double)it*256/t/1e9);
  }
  printf("%f\n",lanes[5]);
}
