// AVX-512 (float32) and AVX512-BF16 (bfloat16) kernels. Compiled for every x86
// target with per-function target attributes; called only when smol_cpu_features
// reports the instructions.
#include "internal.h"

#if SMOL_HAVE_X86
#include <immintrin.h>
#include <math.h>

// The micro-kernels are written in assembly so that debug builds (C at -O0, which
// would keep the 24 accumulators in memory) run them at full speed too.
// zmm0–23: the MR×NR accumulators (row i in zmm 2i, 2i+1); zmm24–25: a row of B;
// zmm26–31: broadcasts of A.
#define SMOL_ZERO2(i, j) "vpxord %%zmm" #i ", %%zmm" #i ", %%zmm" #i "\n\t" "vpxord %%zmm" #j ", %%zmm" #j ", %%zmm" #j "\n\t"
#define SMOL_LOAD2(row, i, j) "vmovups " #row "*128(%[tile]), %%zmm" #i "\n\t" "vmovups " #row "*128+64(%[tile]), %%zmm" #j "\n\t"
#define SMOL_STORE2(row, i, j) "vmovups %%zmm" #i ", " #row "*128(%[tile])\n\t" "vmovups %%zmm" #j ", " #row "*128+64(%[tile])\n\t"
#define SMOL_ROWS(M)                                                                                              \
    M(0, 0, 1) M(1, 2, 3) M(2, 4, 5) M(3, 6, 7) M(4, 8, 9) M(5, 10, 11) M(6, 12, 13) M(7, 14, 15) M(8, 16, 17)  \
    M(9, 18, 19) M(10, 20, 21) M(11, 22, 23)
#define SMOL_Z(row, i, j) SMOL_ZERO2(i, j)
#define SMOL_CLOBBERS                                                                                             \
    "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12",    \
        "xmm13", "xmm14", "xmm15", "xmm16", "xmm17", "xmm18", "xmm19", "xmm20", "xmm21", "xmm22", "xmm23",       \
        "xmm24", "xmm25", "xmm26", "xmm27", "xmm28", "xmm29", "xmm30", "xmm31", "memory", "cc"
// Broadcast register for row `row` (six in rotation).
#define SMOL_BROADCAST_REG(row) SMOL_BR_##row
#define SMOL_BR_0 "26"
#define SMOL_BR_1 "27"
#define SMOL_BR_2 "28"
#define SMOL_BR_3 "29"
#define SMOL_BR_4 "30"
#define SMOL_BR_5 "31"
#define SMOL_BR_6 "26"
#define SMOL_BR_7 "27"
#define SMOL_BR_8 "28"
#define SMOL_BR_9 "29"
#define SMOL_BR_10 "30"
#define SMOL_BR_11 "31"
#define SMOL_FMA_ROW(row, i, j)                                                                                   \
    "vbroadcastss " #row "*4(%[a]), %%zmm" SMOL_BROADCAST_REG(row) "\n\t"                                         \
    "vfmadd231ps %%zmm24, %%zmm" SMOL_BROADCAST_REG(row) ", %%zmm" #i "\n\t"                                      \
    "vfmadd231ps %%zmm25, %%zmm" SMOL_BROADCAST_REG(row) ", %%zmm" #j "\n\t"
#define SMOL_DP_ROW(row, i, j)                                                                                    \
    "vpbroadcastd " #row "*4(%[a]), %%zmm" SMOL_BROADCAST_REG(row) "\n\t"                                         \
    "vdpbf16ps %%zmm24, %%zmm" SMOL_BROADCAST_REG(row) ", %%zmm" #i "\n\t"                                        \
    "vdpbf16ps %%zmm25, %%zmm" SMOL_BROADCAST_REG(row) ", %%zmm" #j "\n\t"

#define SMOL_MICROKERNEL_ASM(ROW)                                                                                 \
    __asm__ volatile(                                                                                             \
        "test %[accumulate], %[accumulate]\n\t"                                                                   \
        "jz 1f\n\t" SMOL_ROWS(SMOL_LOAD2) "jmp 2f\n\t"                                                            \
        "1:\n\t" SMOL_ROWS(SMOL_Z)                                                                                \
        "2:\n\t"                                                                                                  \
        "test %[units], %[units]\n\t"                                                                             \
        "jz 4f\n\t"                                                                                               \
        "3:\n\t"                                                                                                  \
        "vmovups (%[b]), %%zmm24\n\t"                                                                             \
        "vmovups 64(%[b]), %%zmm25\n\t" SMOL_ROWS(ROW)                                                            \
        "add %[stride], %[a]\n\t"                                                                                 \
        "add $128, %[b]\n\t"                                                                                      \
        "dec %[units]\n\t"                                                                                        \
        "jnz 3b\n\t"                                                                                              \
        "4:\n\t" SMOL_ROWS(SMOL_STORE2)                                                                           \
        : [a] "+r"(a), [b] "+r"(b), [units] "+r"(units)                                                           \
        : [stride] "r"(stride), [tile] "r"(tile), [accumulate] "r"(flag)                                    \
        : SMOL_CLOBBERS)

SMOL_AVX512 static void microkernel_f32(size_t units, const uint32_t *a, size_t a_stride, const uint32_t *b,
                                        float *tile, int accumulate) {
    size_t stride = a_stride * sizeof(uint32_t);
    long flag = accumulate;
    SMOL_MICROKERNEL_ASM(SMOL_FMA_ROW);
}

SMOL_AVX512 static void microkernel_bf16(size_t units, const uint32_t *a, size_t a_stride, const uint32_t *b,
                                         float *tile, int accumulate) {
    size_t stride = a_stride * sizeof(uint32_t);
    long flag = accumulate;
    SMOL_MICROKERNEL_ASM(SMOL_DP_ROW);
}

// Round to nearest even bfloat16, kept in the upper half of each 32-bit lane (NaN
// inputs are not produced by these kernels' callers).
SMOL_AVX512 static inline __m512i bf16_high(__m512 x) {
    __m512i bits = _mm512_castps_si512(x);
    __m512i odd = _mm512_and_si512(_mm512_srli_epi32(bits, 16), _mm512_set1_epi32(1));
    __m512i rounded = _mm512_add_epi32(bits, _mm512_add_epi32(odd, _mm512_set1_epi32(0x7fff)));
    return _mm512_and_si512(rounded, _mm512_set1_epi32((int)0xffff0000u));
}

// bfloat16 pairs: `low` in the lower 16 bits, `high` in the upper.
SMOL_AVX512 static inline __m512i bf16_pairs(__m512 low, __m512 high) {
    return _mm512_or_si512(_mm512_srli_epi32(bf16_high(low), 16), bf16_high(high));
}

// Rows of `source` (`ld` apart) go to panels [p][unit][width] by a scatter of 16
// units at a time; rows past `count` are zero. `width` is SMOL_MR for the left
// operand and SMOL_NR for a [n][k] right operand: the same layout either way.
SMOL_AVX512 static inline __attribute__((always_inline)) void pack_rows_f32(
    const float *source, size_t ld, size_t count, size_t k, size_t width, uint32_t *packed) {
    size_t panels = (count + width - 1) / width;
    const __m512i index = _mm512_mullo_epi32(
        _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), _mm512_set1_epi32((int)width));
    for (size_t p = 0; p < panels; p++) {
        for (size_t i = 0; i < width; i++) {
            size_t row = p * width + i;
            float *dst = (float *)packed + p * k * width + i;
            if (row >= count) {
                for (size_t u = 0; u < k; u++) dst[u * width] = 0;
                continue;
            }
            const float *values = source + row * ld;
            size_t u = 0;
            for (; u + 16 <= k; u += 16) _mm512_i32scatter_ps(dst + u * width, index, _mm512_loadu_ps(values + u), 4);
            for (; u < k; u++) dst[u * width] = values[u];
        }
    }
}

// As `pack_rows_f32` with bfloat16 pairs of consecutive depths per unit.
SMOL_AVX512 static inline __attribute__((always_inline)) void pack_rows_bf16(
    const float *source, size_t ld, size_t count, size_t k, size_t width, uint32_t *packed) {
    size_t units = (k + 1) / 2, panels = (count + width - 1) / width;
    const __m512i index = _mm512_mullo_epi32(
        _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), _mm512_set1_epi32((int)width));
    // Even depths to the low halves, odd depths to the high halves.
    const __m512i evens = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i odds = _mm512_add_epi32(evens, _mm512_set1_epi32(1));
    for (size_t p = 0; p < panels; p++) {
        for (size_t i = 0; i < width; i++) {
            size_t row = p * width + i;
            uint32_t *dst = packed + p * units * width + i;
            if (row >= count) {
                for (size_t u = 0; u < units; u++) dst[u * width] = 0;
                continue;
            }
            const float *values = source + row * ld;
            size_t u = 0;
            for (; 2 * u + 32 <= k; u += 16) {
                __m512 first = _mm512_loadu_ps(values + 2 * u), second = _mm512_loadu_ps(values + 2 * u + 16);
                __m512 low = _mm512_permutex2var_ps(first, evens, second);
                __m512 high = _mm512_permutex2var_ps(first, odds, second);
                _mm512_i32scatter_epi32(dst + u * width, index, bf16_pairs(low, high), 4);
            }
            for (; u < units; u++) {
                uint32_t low = smol_bf16_from_f32(values[2 * u]);
                uint32_t high = 2 * u + 1 < k ? smol_bf16_from_f32(values[2 * u + 1]) : 0;
                dst[u * width] = low | (high << 16);
            }
        }
    }
}

SMOL_AVX512 static void pack_a_f32(const float *a, size_t lda, size_t rows, size_t k, uint32_t *packed) {
    pack_rows_f32(a, lda, rows, k, SMOL_MR, packed);
}

SMOL_AVX512 static void pack_a_bf16(const float *a, size_t lda, size_t rows, size_t k, uint32_t *packed) {
    pack_rows_bf16(a, lda, rows, k, SMOL_MR, packed);
}

// [n][k] rows (outputs) are the right operand's panel columns.
SMOL_AVX512 static void pack_b_nk_f32(const float *b, size_t ldb, size_t n, size_t k, uint32_t *packed) {
    pack_rows_f32(b, ldb, n, k, SMOL_NR, packed);
}

SMOL_AVX512 static void pack_b_nk_bf16(const float *b, size_t ldb, size_t n, size_t k, uint32_t *packed) {
    pack_rows_bf16(b, ldb, n, k, SMOL_NR, packed);
}

// [k][n] rows are already panel rows: copy (float32) or pair consecutive rows (bfloat16).
SMOL_AVX512 static void pack_b_kn_f32(const float *b, size_t ldb, size_t n, size_t k, uint32_t *packed) {
    size_t panels = (n + SMOL_NR - 1) / SMOL_NR;
    for (size_t p = 0; p < panels; p++) {
        size_t count = n - p * SMOL_NR < SMOL_NR ? n - p * SMOL_NR : SMOL_NR;
        __mmask16 m0 = count >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << count) - 1);
        __mmask16 m1 = count >= 32 ? (__mmask16)0xffff : count > 16 ? (__mmask16)((1u << (count - 16)) - 1) : 0;
        for (size_t u = 0; u < k; u++) {
            const float *source = b + u * ldb + p * SMOL_NR;
            float *dst = (float *)packed + (p * k + u) * SMOL_NR;
            _mm512_storeu_ps(dst, _mm512_maskz_loadu_ps(m0, source));
            _mm512_storeu_ps(dst + 16, _mm512_maskz_loadu_ps(m1, source + 16));
        }
    }
}

SMOL_AVX512 static void pack_b_kn_bf16(const float *b, size_t ldb, size_t n, size_t k, uint32_t *packed) {
    size_t units = (k + 1) / 2, panels = (n + SMOL_NR - 1) / SMOL_NR;
    for (size_t p = 0; p < panels; p++) {
        size_t count = n - p * SMOL_NR < SMOL_NR ? n - p * SMOL_NR : SMOL_NR;
        __mmask16 m0 = count >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << count) - 1);
        __mmask16 m1 = count >= 32 ? (__mmask16)0xffff : count > 16 ? (__mmask16)((1u << (count - 16)) - 1) : 0;
        for (size_t u = 0; u < units; u++) {
            const float *even = b + 2 * u * ldb + p * SMOL_NR;
            const float *odd = even + ldb;
            int has_odd = 2 * u + 1 < k;
            uint32_t *dst = packed + (p * units + u) * SMOL_NR;
            for (int v = 0; v < 2; v++) {
                __mmask16 m = v == 0 ? m0 : m1;
                __m512 low = _mm512_maskz_loadu_ps(m, even + 16 * v);
                __m512 high = has_odd ? _mm512_maskz_loadu_ps(m, odd + 16 * v) : _mm512_setzero_ps();
                _mm512_storeu_si512(dst + 16 * v, bf16_pairs(low, high));
            }
        }
    }
}

// e^x to about 1 ulp: x = n·ln2 + r with |r| ≤ ln2/2, a degree-7 Taylor polynomial
// for e^r, then scalef by 2^n (overflow to +inf, underflow through subnormals to 0).
SMOL_AVX512 static inline __m512 exp512(__m512 x) {
    // Operand order keeps NaN: min/max return the second operand when one is NaN.
    x = _mm512_min_ps(_mm512_set1_ps(88.8f), x);
    x = _mm512_max_ps(_mm512_set1_ps(-104.0f), x);
    __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                    _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693145751953125f), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(1.428606765330187e-06f), r);
    __m512 p = _mm512_set1_ps(1.0f / 5040);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 720));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 120));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 24));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 6));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(0.5f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
    return _mm512_scalef_ps(p, n);
}

SMOL_AVX512 static inline __m512 gelu_tanh512(__m512 y) {
    __m512 cube = _mm512_mul_ps(_mm512_mul_ps(y, y), y);
    __m512 inner = _mm512_mul_ps(_mm512_set1_ps(0.7978845608028654f),
                                 _mm512_fmadd_ps(_mm512_set1_ps(0.044715f), cube, y));
    __m512 e = exp512(_mm512_mul_ps(_mm512_set1_ps(-2.0f), inner));
    return _mm512_div_ps(y, _mm512_add_ps(_mm512_set1_ps(1.0f), e));
}

SMOL_AVX512 static void epilogue(const float *tile, size_t rows, size_t cols, const smol_epilogue *e, size_t row0,
                                 size_t col0) {
    __mmask16 masks[2];
    for (int v = 0; v < 2; v++) {
        size_t start = 16 * (size_t)v, count = cols > start ? cols - start : 0;
        masks[v] = count >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << count) - 1);
    }
    __m512 bias[2] = {_mm512_setzero_ps(), _mm512_setzero_ps()};
    if (e->bias) {
        for (int v = 0; v < 2; v++) bias[v] = _mm512_maskz_loadu_ps(masks[v], e->bias + col0 + 16 * v);
    }
    for (size_t i = 0; i < rows; i++) {
        __m512 scale = _mm512_set1_ps(e->alpha * (e->row_scale ? e->row_scale[row0 + i] : 1));
        float *out = e->c + (row0 + i) * e->ldc + col0;
        const float *residual = e->residual ? e->residual + (row0 + i) * e->ld_residual + col0 : NULL;
        for (int v = 0; v < 2; v++) {
            if (!masks[v]) continue;
            __m512 y = _mm512_mul_ps(_mm512_loadu_ps(tile + i * SMOL_NR + 16 * v), scale);
            if (e->bias) y = _mm512_add_ps(y, bias[v]);
            if (e->activation == SMOL_ACTIVATION_GELU_TANH) y = gelu_tanh512(y);
            if (residual) y = _mm512_add_ps(y, _mm512_maskz_loadu_ps(masks[v], residual + 16 * v));
            _mm512_mask_storeu_ps(out + 16 * v, masks[v], y);
        }
    }
}

enum { SMOL_SOFTMAX_CHUNKS = SMOL_QB / 16 };

SMOL_AVX512 static void column_softmax(const float *tiles, size_t panels, size_t keys, size_t queries, float scale,
                                       const float *mask, float *exps, uint32_t *pairs, float *inverse_sum) {
    size_t chunks = (queries + 15) / 16;
    if (chunks > SMOL_SOFTMAX_CHUNKS) chunks = SMOL_SOFTMAX_CHUNKS;
    __mmask16 masks[SMOL_SOFTMAX_CHUNKS];
    __m512 maximum[SMOL_SOFTMAX_CHUNKS], sum[SMOL_SOFTMAX_CHUNKS];
    size_t offset[SMOL_SOFTMAX_CHUNKS];  // chunk c of a key row: panel c/2, half c%2
    for (size_t c = 0; c < chunks; c++) {
        size_t count = queries - 16 * c;
        masks[c] = count >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << count) - 1);
        maximum[c] = _mm512_set1_ps(-INFINITY);
        sum[c] = _mm512_setzero_ps();
        offset[c] = (c / 2) * SMOL_MR * SMOL_NR + (c % 2) * 16;
    }
    const __m512 factor = _mm512_set1_ps(scale);
#define SMOL_ROW(t) (tiles + ((t) / SMOL_MR) * panels * SMOL_MR * SMOL_NR + ((t) % SMOL_MR) * SMOL_NR)
    for (size_t t = 0; t < keys; t++) {
        const float *row = SMOL_ROW(t);
        __m512 m = _mm512_set1_ps(mask ? mask[t] : 0);
        for (size_t c = 0; c < chunks; c++) {
            __m512 x = _mm512_fmadd_ps(_mm512_loadu_ps(row + offset[c]), factor, m);
            maximum[c] = _mm512_mask_max_ps(maximum[c], masks[c], x, maximum[c]);
        }
    }
    if (pairs) {
        for (size_t t = 0; t < keys; t += 2) {
            const float *even = SMOL_ROW(t);
            int has_odd = t + 1 < keys;
            const float *odd = has_odd ? SMOL_ROW(t + 1) : even;
            __m512 m0 = _mm512_set1_ps(mask ? mask[t] : 0);
            __m512 m1 = _mm512_set1_ps(has_odd && mask ? mask[t + 1] : 0);
            for (size_t c = 0; c < chunks; c++) {
                __m512 e0 = exp512(_mm512_sub_ps(_mm512_fmadd_ps(_mm512_loadu_ps(even + offset[c]), factor, m0), maximum[c]));
                __m512 e1 = _mm512_setzero_ps();
                if (has_odd) {
                    e1 = exp512(_mm512_sub_ps(_mm512_fmadd_ps(_mm512_loadu_ps(odd + offset[c]), factor, m1), maximum[c]));
                }
                sum[c] = _mm512_add_ps(sum[c], _mm512_add_ps(e0, e1));
                _mm512_storeu_si512(pairs + (t / 2) * SMOL_QB + 16 * c, bf16_pairs(e0, e1));
            }
        }
    } else {
        for (size_t t = 0; t < keys; t++) {
            const float *row = SMOL_ROW(t);
            __m512 m = _mm512_set1_ps(mask ? mask[t] : 0);
            for (size_t c = 0; c < chunks; c++) {
                __m512 e = exp512(_mm512_sub_ps(_mm512_fmadd_ps(_mm512_loadu_ps(row + offset[c]), factor, m), maximum[c]));
                sum[c] = _mm512_add_ps(sum[c], e);
                _mm512_storeu_ps(exps + t * SMOL_QB + 16 * c, e);
            }
        }
    }
#undef SMOL_ROW
    for (size_t c = 0; c < chunks; c++) {
        _mm512_mask_storeu_ps(inverse_sum + 16 * c, masks[c], _mm512_div_ps(_mm512_set1_ps(1.0f), sum[c]));
    }
}

const smol_kernels smol_avx512_f32 = {SMOL_PRECISION_F32, microkernel_f32, pack_a_f32, pack_b_nk_f32,
                                      pack_b_kn_f32, epilogue, column_softmax};
const smol_kernels smol_avx512_bf16 = {SMOL_PRECISION_BF16, microkernel_bf16, pack_a_bf16, pack_b_nk_bf16,
                                       pack_b_kn_bf16, epilogue, column_softmax};
#endif
