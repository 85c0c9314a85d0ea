// The generic kernels compiled for AVX2+FMA+F16C (x86-64 CPUs from 2013 on).
#include "internal.h"

#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)
#define SMOL_SUFFIX avx2
#include "kernels_generic.inc"
#pragma clang attribute pop
#endif
