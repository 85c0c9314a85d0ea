#include "internal.h"

#if SMOL_HAVE_X86
#include <cpuid.h>

static unsigned long long smol_xgetbv0(void) {
    unsigned int eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((unsigned long long)edx << 32) | eax;
}

static int smol_detect_features(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    int fma = (ecx >> 12) & 1, osxsave = (ecx >> 27) & 1;
    if (!fma || !osxsave) return 0;
    // The OS must save the SSE, AVX, opmask and both upper zmm states.
    if ((smol_xgetbv0() & 0xe6) != 0xe6) return 0;
    if (__get_cpuid_max(0, 0) < 7) return 0;
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    unsigned int needed = (1u << 16) | (1u << 17) | (1u << 30) | (1u << 31);  // F, DQ, BW, VL
    if ((ebx & needed) != needed) return 0;
    int features = SMOL_CPU_AVX512;
    __cpuid_count(7, 1, eax, ebx, ecx, edx);
    if ((eax >> 5) & 1) features |= SMOL_CPU_AVX512_BF16;
    return features;
}

int smol_cpu_features(void) {
    // cpuid traps to the hypervisor on virtual machines: detect once.
    static int cached = -1;
    int features = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (features < 0) {
        features = smol_detect_features();
        __atomic_store_n(&cached, features, __ATOMIC_RELAXED);
    }
    return features;
}
#else
int smol_cpu_features(void) { return 0; }
#endif

const smol_kernels *smol_kernels_for(smol_precision precision, smol_isa isa) {
#if SMOL_HAVE_X86
    if (isa == SMOL_ISA_AVX512) {
        int features = smol_cpu_features();
        if (precision == SMOL_PRECISION_F32 && (features & SMOL_CPU_AVX512)) return &smol_avx512_f32;
        if (precision == SMOL_PRECISION_BF16 && (features & SMOL_CPU_AVX512_BF16)) return &smol_avx512_bf16;
    }
#endif
    (void)isa;
    return precision == SMOL_PRECISION_BF16 ? &smol_portable_bf16 : &smol_portable_f32;
}
