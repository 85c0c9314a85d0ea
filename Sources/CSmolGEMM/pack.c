#include <string.h>

#include "internal.h"

uint16_t smol_bf16_from_f32(float value) {
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    if ((bits & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((bits >> 16) | 0x40);  // quiet NaN
    bits += 0x7fffu + ((bits >> 16) & 1);
    return (uint16_t)(bits >> 16);
}

static inline uint32_t smol_f32_bits(float value) {
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    return bits;
}

// Element (row, depth) of a row-major matrix as a 4-byte unit: the float32 bits, or
// the bfloat16 pair of depths 2·unit and 2·unit + 1 (the second is 0 past the end).
static inline uint32_t smol_unit(smol_precision precision, const float *row, size_t column_stride, size_t unit,
                                 size_t k) {
    if (precision == SMOL_PRECISION_F32) return smol_f32_bits(row[unit * column_stride]);
    size_t first = 2 * unit;
    uint32_t low = smol_bf16_from_f32(row[first * column_stride]);
    uint32_t high = first + 1 < k ? smol_bf16_from_f32(row[(first + 1) * column_stride]) : 0;
    return low | (high << 16);
}

size_t smol_packed_b_bytes(smol_precision precision, size_t n, size_t k) {
    size_t panels = (n + SMOL_NR - 1) / SMOL_NR;
    return panels * smol_k_units(precision, k) * SMOL_NR * sizeof(uint32_t);
}

void smol_pack_b(smol_precision precision, const float *b, size_t ldb, size_t n, size_t k, void *packed) {
    smol_kernels_for(precision, SMOL_ISA_AVX512)->pack_b_nk(b, ldb, n, k, packed);
}

// Rows of `source` (`ld` apart) to panels [p][unit][width], zero past `count`: the
// left operand with width SMOL_MR, a [n][k] right operand with width SMOL_NR.
static void pack_rows(smol_precision precision, const float *source, size_t ld, size_t count, size_t k,
                      size_t width, uint32_t *packed) {
    size_t units = smol_k_units(precision, k), panels = (count + width - 1) / width;
    for (size_t p = 0; p < panels; p++) {
        for (size_t i = 0; i < width; i++) {
            size_t row = p * width + i;
            uint32_t *dst = packed + p * units * width + i;
            if (row >= count) {
                for (size_t u = 0; u < units; u++) dst[u * width] = 0;
                continue;
            }
            for (size_t u = 0; u < units; u++) dst[u * width] = smol_unit(precision, source + row * ld, 1, u, k);
        }
    }
}

void smol_pack_b_nk_portable(smol_precision precision, const float *b, size_t ldb, size_t n, size_t k,
                             uint32_t *packed) {
    pack_rows(precision, b, ldb, n, k, SMOL_NR, packed);
}

void smol_pack_b_kn_portable(smol_precision precision, const float *b, size_t ldb, size_t n, size_t k,
                             uint32_t *packed) {
    size_t units = smol_k_units(precision, k), panels = (n + SMOL_NR - 1) / SMOL_NR;
    for (size_t p = 0; p < panels; p++) {
        for (size_t u = 0; u < units; u++) {
            uint32_t *dst = packed + (p * units + u) * SMOL_NR;
            for (size_t j = 0; j < SMOL_NR; j++) {
                size_t column = p * SMOL_NR + j;
                dst[j] = column < n ? smol_unit(precision, b + column, ldb, u, k) : 0;
            }
        }
    }
}

void smol_pack_a(smol_precision precision, const float *a, size_t lda, size_t rows, size_t k, uint32_t *packed) {
    pack_rows(precision, a, lda, rows, k, SMOL_MR, packed);
}

void smol_block_product(const smol_kernels *kernels, size_t units, const uint32_t *a, size_t a_panel,
                        size_t a_stride, size_t mpanels, const uint32_t *b, size_t b_panel, size_t npanels,
                        float *tiles) {
    const size_t tile = SMOL_MR * SMOL_NR;
    for (size_t u0 = 0; u0 < units; u0 += SMOL_KC_UNITS) {
        size_t depth = units - u0 < SMOL_KC_UNITS ? units - u0 : SMOL_KC_UNITS;
        for (size_t np = 0; np < npanels; np++) {
            const uint32_t *bp = b + np * b_panel + u0 * SMOL_NR;
            for (size_t mp = 0; mp < mpanels; mp++) {
                kernels->microkernel(depth, a + mp * a_panel + u0 * a_stride, a_stride, bp,
                                     tiles + (mp * npanels + np) * tile, u0 > 0);
            }
        }
    }
}
