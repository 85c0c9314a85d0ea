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

void smol_attend_head(const float *q, const float *keys, const float *values, int t, int d,
                      float scale, float *scores, float *out) {
    kernels()->attend(q, keys, values, t, d, scale, scores, out);
}

void smol_attend_head_at(smol_kernel_level level, const float *q, const float *keys, const float *values, int t, int d,
                         float scale, float *scores, float *out) {
    initialize();
    if (level > (smol_kernel_level)detected_level) level = (smol_kernel_level)detected_level;
    table_for(level)->attend(q, keys, values, t, d, scale, scores, out);
}

// ---- Activation and weight quantization ----

void smol_quantize_qvec(const float *x, int k, smol_qvec *out) {
    for (int b = 0; b < k / 32; b++) {
        const float *v = x + b * 32;
        float amax = 0;
        for (int j = 0; j < 32; j++) {
            float a = fabsf(v[j]);
            amax = a > amax ? a : amax;
        }
        float d = amax / 127;
        float id = d != 0 ? 1 / d : 0;
        int32_t sum = 0;
        int8_t *q = out->q + b * 32;
        uint8_t *qa = out->qabs + b * 32;
        for (int j = 0; j < 32; j++) {
            // Round half to even (what vroundps does), so this loop vectorizes.
            int32_t n = (int32_t)nearbyintf(v[j] * id);
            q[j] = (int8_t)n;
            qa[j] = (uint8_t)(n < 0 ? -n : n);
            sum += n;
        }
        out->d[b] = d;
        out->sum[b] = sum;
    }
}

static uint16_t float_to_half(float value) {
    uint32_t bits;
    memcpy(&bits, &value, 4);
    uint16_t sign = (uint16_t)((bits >> 16) & 0x8000);
    uint32_t magnitude = bits & 0x7fffffffu;
    if (magnitude >= 0x7f800000u) {
        uint16_t nan = magnitude > 0x7f800000u ? (uint16_t)(0x200 | ((magnitude >> 13) & 0x3ff)) : 0;
        return sign | 0x7c00 | nan;
    }
    if (magnitude >= 0x477ff000u) return sign | 0x7c00;
    if (magnitude < 0x38800000u) {
        float m;
        memcpy(&m, &magnitude, 4);
        return sign | (uint16_t)nearbyintf(m * 16777216.0f);
    }
    uint32_t exponent = (magnitude >> 23) - 112;
    uint32_t mantissa = magnitude & 0x7fffff;
    uint32_t half = (exponent << 10) | (mantissa >> 13);
    uint32_t rest = mantissa & 0x1fff;
    if (rest > 0x1000 || (rest == 0x1000 && (half & 1))) half += 1;
    return sign | (uint16_t)half;
}

static void store_half(uint8_t *p, float value) {
    uint16_t h = float_to_half(value);
    memcpy(p, &h, 2);
}

void smol_quantize_row(smol_weight_format format, const float *x, int count, void *out) {
    uint8_t *y = (uint8_t *)out;
    switch (format) {
    case SMOL_WEIGHTS_F32:
        memcpy(out, x, (size_t)count * 4);
        return;
    case SMOL_WEIGHTS_BF16:
        for (int i = 0; i < count; i++) {
            uint32_t bits;
            memcpy(&bits, x + i, 4);
            uint16_t h;
            if ((bits & 0x7fffffffu) > 0x7f800000u) h = (uint16_t)((bits >> 16) | 0x40);  // quiet NaN
            else h = (uint16_t)((bits + 0x7fff + ((bits >> 16) & 1)) >> 16);
            memcpy(y + 2 * i, &h, 2);
        }
        return;
    case SMOL_WEIGHTS_Q8_0:
        // ggml quantize_row_q8_0_ref: d = amax/127, q = round(x/d) (half away from zero).
        for (int b = 0; b < count / 32; b++) {
            const float *v = x + b * 32;
            uint8_t *block = y + b * 34;
            float amax = 0;
            for (int j = 0; j < 32; j++) amax = fmaxf(amax, fabsf(v[j]));
            float d = amax / 127, id = d != 0 ? 1 / d : 0;
            store_half(block, d);
            for (int j = 0; j < 32; j++) ((int8_t *)(block + 2))[j] = (int8_t)roundf(v[j] * id);
        }
        return;
    case SMOL_WEIGHTS_Q4_0:
        // ggml quantize_row_q4_0_ref: d = (signed value of largest magnitude)/−8,
        // nibble = min(15, trunc(x/d + 8.5)).
        for (int b = 0; b < count / 32; b++) {
            const float *v = x + b * 32;
            uint8_t *block = y + b * 18;
            float amax = 0, max = 0;
            for (int j = 0; j < 32; j++) {
                if (amax < fabsf(v[j])) { amax = fabsf(v[j]); max = v[j]; }
            }
            float d = max / -8, id = d != 0 ? 1 / d : 0;
            store_half(block, d);
            for (int j = 0; j < 16; j++) {
                int lo = (int)(int8_t)(v[j] * id + 8.5f), hi = (int)(int8_t)(v[j + 16] * id + 8.5f);
                lo = lo < 15 ? lo : 15;
                hi = hi < 15 ? hi : 15;
                block[2 + j] = (uint8_t)(lo | (hi << 4));
            }
        }
        return;
    case SMOL_WEIGHTS_Q4_1:
        // ggml quantize_row_q4_1_ref: d = (max − min)/15, m = min,
        // nibble = min(15, trunc((x − min)/d + 0.5)).
        for (int b = 0; b < count / 32; b++) {
            const float *v = x + b * 32;
            uint8_t *block = y + b * 20;
            float lo = v[0], hi = v[0];
            for (int j = 1; j < 32; j++) {
                lo = v[j] < lo ? v[j] : lo;
                hi = v[j] > hi ? v[j] : hi;
            }
            float d = (hi - lo) / 15, id = d != 0 ? 1 / d : 0;
            store_half(block, d);
            store_half(block + 2, lo);
            for (int j = 0; j < 16; j++) {
                int a = (int)(int8_t)((v[j] - lo) * id + 0.5f), c = (int)(int8_t)((v[j + 16] - lo) * id + 0.5f);
                a = a < 15 ? a : 15;
                c = c < 15 ? c : 15;
                block[4 + j] = (uint8_t)(a | (c << 4));
            }
        }
        return;
    }
}

void smol_dequantize_row(smol_weight_format format, const void *w, int count, float *out) {
    const uint8_t *p = (const uint8_t *)w;
    switch (format) {
    case SMOL_WEIGHTS_F32:
        memcpy(out, w, (size_t)count * 4);
        return;
    case SMOL_WEIGHTS_BF16:
        for (int i = 0; i < count; i++) {
            uint32_t bits = (uint32_t)smol_load_u16(p + 2 * i) << 16;
            memcpy(out + i, &bits, 4);
        }
        return;
    case SMOL_WEIGHTS_Q8_0:
        for (int b = 0; b < count / 32; b++) {
            const uint8_t *block = p + b * 34;
            float d = smol_load_half(block);
            for (int j = 0; j < 32; j++) out[b * 32 + j] = d * (float)((const int8_t *)(block + 2))[j];
        }
        return;
    case SMOL_WEIGHTS_Q4_0:
        for (int b = 0; b < count / 32; b++) {
            const uint8_t *block = p + b * 18;
            float d = smol_load_half(block);
            for (int j = 0; j < 16; j++) {
                out[b * 32 + j] = (float)((block[2 + j] & 0x0f) - 8) * d;
                out[b * 32 + j + 16] = (float)((block[2 + j] >> 4) - 8) * d;
            }
        }
        return;
    case SMOL_WEIGHTS_Q4_1:
        for (int b = 0; b < count / 32; b++) {
            const uint8_t *block = p + b * 20;
            float d = smol_load_half(block), m = smol_load_half(block + 2);
            for (int j = 0; j < 16; j++) {
                out[b * 32 + j] = (float)(block[4 + j] & 0x0f) * d + m;
                out[b * 32 + j + 16] = (float)(block[4 + j] >> 4) * d + m;
            }
        }
        return;
    }
}

// ---- Team barrier ----

struct smol_barrier {
    // The counters sit on separate cache lines: arrivals do not disturb the spinners.
    _Alignas(64) int arrived;
    _Alignas(64) int phase;
    int count;
};

smol_barrier *smol_barrier_create(int count) {
    smol_barrier *barrier = aligned_alloc(64, sizeof(smol_barrier));
    if (!barrier) return 0;
    barrier->arrived = 0;
    barrier->phase = 0;
    barrier->count = count;
    return barrier;
}

void smol_barrier_destroy(smol_barrier *barrier) { free(barrier); }

void smol_barrier_wait(smol_barrier *barrier) {
    if (barrier->count <= 1) return;
    int phase = __atomic_load_n(&barrier->phase, __ATOMIC_ACQUIRE);
    if (__atomic_add_fetch(&barrier->arrived, 1, __ATOMIC_ACQ_REL) == barrier->count) {
        __atomic_store_n(&barrier->arrived, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&barrier->phase, phase + 1, __ATOMIC_RELEASE);
        return;
    }
    // Spin briefly (the other threads are normally microseconds away), then
    // yield so that a descheduled teammate on a busy machine can run.
    for (unsigned spins = 0; __atomic_load_n(&barrier->phase, __ATOMIC_ACQUIRE) == phase; spins++) {
        if (spins < 4000) {
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
