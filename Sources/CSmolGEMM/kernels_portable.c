// Plain C kernels: the reference for the vector ones and the path on CPUs without them.
#include <math.h>
#include <string.h>

#include "internal.h"

static inline float smol_float(uint32_t bits) {
    float value;
    memcpy(&value, &bits, sizeof value);
    return value;
}

static void microkernel_f32(size_t units, const uint32_t *a, size_t a_stride, const uint32_t *b, float *tile,
                            int accumulate) {
    float acc[SMOL_MR][SMOL_NR];
    for (size_t i = 0; i < SMOL_MR; i++)
        for (size_t j = 0; j < SMOL_NR; j++) acc[i][j] = accumulate ? tile[i * SMOL_NR + j] : 0;
    for (size_t u = 0; u < units; u++) {
        const uint32_t *bu = b + u * SMOL_NR;
        for (size_t i = 0; i < SMOL_MR; i++) {
            float x = smol_float(a[u * a_stride + i]);
            for (size_t j = 0; j < SMOL_NR; j++) acc[i][j] = fmaf(x, smol_float(bu[j]), acc[i][j]);
        }
    }
    memcpy(tile, acc, sizeof acc);
}

// A bfloat16 pair unit: depth 2u in the low half, 2u + 1 in the high half.
static void microkernel_bf16(size_t units, const uint32_t *a, size_t a_stride, const uint32_t *b, float *tile,
                             int accumulate) {
    float acc[SMOL_MR][SMOL_NR];
    for (size_t i = 0; i < SMOL_MR; i++)
        for (size_t j = 0; j < SMOL_NR; j++) acc[i][j] = accumulate ? tile[i * SMOL_NR + j] : 0;
    for (size_t u = 0; u < units; u++) {
        const uint32_t *bu = b + u * SMOL_NR;
        for (size_t i = 0; i < SMOL_MR; i++) {
            uint32_t pair = a[u * a_stride + i];
            float low = smol_float(pair << 16), high = smol_float(pair & 0xffff0000u);
            for (size_t j = 0; j < SMOL_NR; j++) {
                float sum = fmaf(low, smol_float(bu[j] << 16), acc[i][j]);
                acc[i][j] = fmaf(high, smol_float(bu[j] & 0xffff0000u), sum);
            }
        }
    }
    memcpy(tile, acc, sizeof acc);
}

static void pack_a_f32(const float *a, size_t lda, size_t rows, size_t k, uint32_t *packed) {
    smol_pack_a(SMOL_PRECISION_F32, a, lda, rows, k, packed);
}

static void pack_a_bf16(const float *a, size_t lda, size_t rows, size_t k, uint32_t *packed) {
    smol_pack_a(SMOL_PRECISION_BF16, a, lda, rows, k, packed);
}

static void pack_b_nk_f32(const float *b, size_t ldb, size_t n, size_t k, uint32_t *packed) {
    smol_pack_b_nk_portable(SMOL_PRECISION_F32, b, ldb, n, k, packed);
}

static void pack_b_nk_bf16(const float *b, size_t ldb, size_t n, size_t k, uint32_t *packed) {
    smol_pack_b_nk_portable(SMOL_PRECISION_BF16, b, ldb, n, k, packed);
}

static void pack_b_kn_f32(const float *b, size_t ldb, size_t n, size_t k, uint32_t *packed) {
    smol_pack_b_kn_portable(SMOL_PRECISION_F32, b, ldb, n, k, packed);
}

static void pack_b_kn_bf16(const float *b, size_t ldb, size_t n, size_t k, uint32_t *packed) {
    smol_pack_b_kn_portable(SMOL_PRECISION_BF16, b, ldb, n, k, packed);
}

// √(2/π) and the cubic coefficient of gelu_pytorch_tanh.
static const float smol_gelu_beta = 0.7978845608028654f, smol_gelu_kappa = 0.044715f;

static void epilogue(const float *tile, size_t rows, size_t cols, const smol_epilogue *e, size_t row0,
                     size_t col0) {
    for (size_t i = 0; i < rows; i++) {
        float scale = e->alpha * (e->row_scale ? e->row_scale[row0 + i] : 1);
        float *out = e->c + (row0 + i) * e->ldc + col0;
        const float *residual = e->residual ? e->residual + (row0 + i) * e->ld_residual + col0 : NULL;
        for (size_t j = 0; j < cols; j++) {
            float y = tile[i * SMOL_NR + j] * scale;
            if (e->bias) y += e->bias[col0 + j];
            if (e->activation == SMOL_ACTIVATION_GELU_TANH) {
                float inner = smol_gelu_beta * (y + smol_gelu_kappa * (y * y * y));
                y = y / (1 + expf(-2 * inner));
            }
            if (residual) y += residual[j];
            out[j] = y;
        }
    }
}

static void column_softmax(const float *tiles, size_t panels, size_t keys, size_t queries, float scale,
                           const float *mask, float *exps, uint32_t *pairs, float *inverse_sum) {
    for (size_t q = 0; q < queries; q++) {
        const float *column = tiles + (q / SMOL_NR) * SMOL_MR * SMOL_NR + q % SMOL_NR;
#define SMOL_SCORE(t)                                                                                             \
    (column[((t) / SMOL_MR) * panels * SMOL_MR * SMOL_NR + ((t) % SMOL_MR) * SMOL_NR] * scale + (mask ? mask[t] : 0))
        float maximum = -INFINITY;
        for (size_t t = 0; t < keys; t++) {
            float x = SMOL_SCORE(t);
            if (x > maximum) maximum = x;
        }
        float sum = 0;
        for (size_t t = 0; t < keys; t++) {
            float e = expf(SMOL_SCORE(t) - maximum);
            sum += e;
            if (pairs) {
                uint32_t half = smol_bf16_from_f32(e);
                uint32_t *unit = pairs + (t / 2) * SMOL_QB + q;
                *unit = (t % 2 == 0) ? half : (*unit | (half << 16));
            } else {
                exps[t * SMOL_QB + q] = e;
            }
        }
#undef SMOL_SCORE
        inverse_sum[q] = 1 / sum;
    }
}

const smol_kernels smol_portable_f32 = {SMOL_PRECISION_F32, microkernel_f32, pack_a_f32, pack_b_nk_f32,
                                        pack_b_kn_f32, epilogue, column_softmax};
const smol_kernels smol_portable_bf16 = {SMOL_PRECISION_BF16, microkernel_bf16, pack_a_bf16, pack_b_nk_bf16,
                                         pack_b_kn_bf16, epilogue, column_softmax};
