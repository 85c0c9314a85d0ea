// Run-time kernel selection (cpuid) and the entry points that dispatch to it.
#include "internal.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>

static int os_saves_avx512_state(void) {
    unsigned eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    // XMM, YMM, opmask, ZMM_Hi256, Hi16_ZMM.
    return (eax & 0xe6) == 0xe6;
}

static int os_saves_avx_state(void) {
    unsigned eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return (eax & 0x6) == 0x6;
}

static smol_kernel_level detect(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return SMOL_KERNELS_PORTABLE;
    int osxsave = (c >> 27) & 1, fma = (c >> 12) & 1, f16c = (c >> 29) & 1;
    if (!osxsave || !os_saves_avx_state()) return SMOL_KERNELS_PORTABLE;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return SMOL_KERNELS_PORTABLE;
    int avx2 = (b >> 5) & 1;
    int avx512f = (b >> 16) & 1, avx512dq = (b >> 17) & 1, avx512bw = (b >> 30) & 1, avx512vl = (b >> 31) & 1;
    int vnni = (c >> 11) & 1;
    if (!(avx2 && fma && f16c)) return SMOL_KERNELS_PORTABLE;
    if (avx512f && avx512dq && avx512bw && avx512vl && vnni && os_saves_avx512_state()) return SMOL_KERNELS_AVX512;
    return SMOL_KERNELS_AVX2;
}
#else
static smol_kernel_level detect(void) { return SMOL_KERNELS_PORTABLE; }
#endif

static int detected_level = -1;
static int active_level = -1;
static const smol_kernel_table *active_table = 0;

static const smol_kernel_table *table_for(smol_kernel_level level) {
#if defined(__x86_64__)
    if (level == SMOL_KERNELS_AVX512) return &smol_kernels_avx512;
    if (level == SMOL_KERNELS_AVX2) return &smol_kernels_avx2;
#endif
    (void)level;
    return &smol_kernels_portable;
}

static void set_level(smol_kernel_level level) {
    if (level > (smol_kernel_level)detected_level) level = (smol_kernel_level)detected_level;
    __atomic_store_n(&active_table, table_for(level), __ATOMIC_RELEASE);
    __atomic_store_n(&active_level, (int)level, __ATOMIC_RELEASE);
}

static void initialize(void) {
    if (__atomic_load_n(&active_level, __ATOMIC_ACQUIRE) >= 0) return;
    detected_level = (int)detect();
    smol_kernel_level level = (smol_kernel_level)detected_level;
    const char *forced = getenv("SMOLVLM_KERNELS");
    if (forced) {
        if (strcmp(forced, "portable") == 0) level = SMOL_KERNELS_PORTABLE;
        else if (strcmp(forced, "avx2") == 0) level = SMOL_KERNELS_AVX2;
    }
    set_level(level);
}

static inline const smol_kernel_table *kernels(void) {
    const smol_kernel_table *table = __atomic_load_n(&active_table, __ATOMIC_ACQUIRE);
    if (table) return table;
    initialize();
    return __atomic_load_n(&active_table, __ATOMIC_ACQUIRE);
}

smol_kernel_level smol_kernels_detected(void) {
    initialize();
    return (smol_kernel_level)detected_level;
}

smol_kernel_level smol_kernels_active(void) {
    initialize();
    return (smol_kernel_level)__atomic_load_n(&active_level, __ATOMIC_ACQUIRE);
}

smol_kernel_level smol_kernels_select(smol_kernel_level level) {
    initialize();
    set_level(level);
    return smol_kernels_active();
}

size_t smol_row_bytes(smol_weight_format format, int k) {
    switch (format) {
    case SMOL_WEIGHTS_F32: return (size_t)k * 4;
    case SMOL_WEIGHTS_BF16: return (size_t)k * 2;
    case SMOL_WEIGHTS_Q8_0: return (size_t)(k / 32) * 34;
    case SMOL_WEIGHTS_Q4_0: return (size_t)(k / 32) * 18;
    case SMOL_WEIGHTS_Q4_1: return (size_t)(k / 32) * 20;
    }
    return 0;
}

void smol_matvec(smol_weight_format format, const void *w, size_t row_bytes, int k,
                 const float *x, const smol_qvec *xq, float *y, int row_begin, int row_end) {
    smol_matvec_at(smol_kernels_active(), format, w, row_bytes, k, x, xq, y, row_begin, row_end);
}

void smol_matvec_at(smol_kernel_level level, smol_weight_format format, const void *w, size_t row_bytes, int k,
                    const float *x, const smol_qvec *xq, float *y, int row_begin, int row_end) {
    initialize();
    if (level > (smol_kernel_level)detected_level) level = (smol_kernel_level)detected_level;
    const smol_kernel_table *t = table_for(level);
    const uint8_t *base = (const uint8_t *)w;
    smol_dot_int_fn dot_int = 0;
    smol_dot_float_fn dot_float = 0;
    switch (format) {
    case SMOL_WEIGHTS_F32: dot_float = t->dot_f32; break;
    case SMOL_WEIGHTS_BF16: dot_float = t->dot_bf16; break;
    case SMOL_WEIGHTS_Q8_0: dot_int = t->dot_q8_0; break;
    case SMOL_WEIGHTS_Q4_0: dot_int = t->dot_q4_0; break;
    case SMOL_WEIGHTS_Q4_1: dot_int = t->dot_q4_1; break;
    }
    if (dot_float) {
        for (int r = row_begin; r < row_end; r++) y[r - row_begin] = dot_float(base + (size_t)r * row_bytes, k, x);
    } else {
        int blocks = k / 32;
        for (int r = row_begin; r < row_end; r++) y[r - row_begin] = dot_int(base + (size_t)r * row_bytes, blocks, xq);
    }
}

void smol_attend_head(const float *q, const float *keys, int key_stride, const float *values, int t, int d,
                      float scale, float *scores, float *out) {
    kernels()->attend(q, keys, key_stride, values, t, d, scale, scores, out);
}

void smol_attend_head_at(smol_kernel_level level, const float *q, const float *keys, int key_stride,
                         const float *values, int t, int d, float scale, float *scores, float *out) {
    initialize();
    if (level > (smol_kernel_level)detected_level) level = (smol_kernel_level)detected_level;
    table_for(level)->attend(q, keys, key_stride, values, t, d, scale, scores, out);
}

// ---- Activation and weight quantization ----

void smol_quantize_qvec(const float *x, int k, smol_qvec *out) { kernels()->quantize_qvec(x, k, out); }

void smol_quantize_row(smol_weight_format format, const float *x, int count, void *out) {
    kernels()->quantize_row(format, x, count, out);
}

void smol_dequantize_row(smol_weight_format format, const void *w, int count, float *out) {
    kernels()->dequantize_row(format, w, count, out);
}

// ---- Stage counters ----

// One cache line per stage: claims and completions of neighbouring stages do not interfere.
typedef struct smol_stage_counter {
    _Alignas(64) int claimed;
    int done;
} smol_stage_counter;

struct smol_stages {
    int capacity;
    smol_stage_counter *counters;
};

smol_stages *smol_stages_create(int capacity) {
    smol_stages *stages = malloc(sizeof(smol_stages));
    if (!stages) return 0;
    stages->capacity = capacity;
    stages->counters = aligned_alloc(64, sizeof(smol_stage_counter) * (size_t)(capacity > 0 ? capacity : 1));
    if (!stages->counters) { free(stages); return 0; }
    memset(stages->counters, 0, sizeof(smol_stage_counter) * (size_t)(capacity > 0 ? capacity : 1));
    return stages;
}

void smol_stages_destroy(smol_stages *stages) {
    if (!stages) return;
    free(stages->counters);
    free(stages);
}

void smol_stages_reset(smol_stages *stages, int count) {
    if (count > stages->capacity) count = stages->capacity;
    memset(stages->counters, 0, sizeof(smol_stage_counter) * (size_t)count);
    __atomic_thread_fence(__ATOMIC_RELEASE);
}

int smol_stages_claim(smol_stages *stages, int stage, int chunks) {
    smol_stage_counter *c = &stages->counters[stage];
    if (__atomic_load_n(&c->claimed, __ATOMIC_RELAXED) >= chunks) return -1;
    int index = __atomic_fetch_add(&c->claimed, 1, __ATOMIC_ACQ_REL);
    return index < chunks ? index : -1;
}

void smol_stages_finish(smol_stages *stages, int stage) {
    __atomic_fetch_add(&stages->counters[stage].done, 1, __ATOMIC_RELEASE);
}

void smol_stages_wait(smol_stages *stages, int stage, int chunks) {
    smol_stage_counter *c = &stages->counters[stage];
    // Spin briefly (a teammate is normally microseconds from done), then yield
    // so that a descheduled teammate can run on a busy machine.
    for (unsigned spins = 0; __atomic_load_n(&c->done, __ATOMIC_ACQUIRE) < chunks; spins++) {
        if (spins < 2000) {
#if defined(__x86_64__)
            __builtin_ia32_pause();
#elif defined(__aarch64__)
            __asm__ volatile("yield");
#endif
        } else {
            sched_yield();
        }
    }
}
