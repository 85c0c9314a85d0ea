#ifndef SMOL_MATVEC_INTERNAL_H
#define SMOL_MATVEC_INTERNAL_H

#include "smol_matvec.h"

#include <math.h>
#include <string.h>

// Bit-exact IEEE half <-> float conversions (no F16C needed).
static inline float smol_half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    uint32_t exponent = (h >> 10) & 0x1f;
    uint32_t mantissa = h & 0x3ff;
    uint32_t bits;
    if (exponent == 0) {
        float magnitude = (float)mantissa * 5.960464477539063e-08f;  // subnormal: m·2⁻²⁴
        return sign ? -magnitude : magnitude;
    } else if (exponent == 0x1f) {
        bits = sign | 0x7f800000u | (mantissa << 13);
    } else {
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

static inline uint16_t smol_load_u16(const void *p) {
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
}

static inline float smol_load_half(const void *p) { return smol_half_to_float(smol_load_u16(p)); }

// Kernel tables, one per build (portable, AVX2, AVX-512).
typedef float (*smol_dot_int_fn)(const uint8_t *row, int blocks, const smol_qvec *xq);
typedef float (*smol_dot_float_fn)(const void *row, int k, const float *x);
typedef void (*smol_attend_fn)(const float *q, const float *keys, int key_stride, const float *values, int t,
                               int d, float scale, float *scores, float *out);

typedef struct smol_kernel_table {
    smol_dot_float_fn dot_f32;
    smol_dot_float_fn dot_bf16;
    smol_dot_int_fn dot_q8_0;
    smol_dot_int_fn dot_q4_0;
    smol_dot_int_fn dot_q4_1;
    smol_attend_fn attend;
    void (*quantize_qvec)(const float *x, int k, smol_qvec *out);
    void (*quantize_row)(smol_weight_format format, const float *x, int count, void *out);
    void (*dequantize_row)(smol_weight_format format, const void *w, int count, float *out);
} smol_kernel_table;

extern const smol_kernel_table smol_kernels_portable;
#if defined(__x86_64__)
extern const smol_kernel_table smol_kernels_avx2;
extern const smol_kernel_table smol_kernels_avx512;
#endif

#endif
