// Shared by the CSmolGEMM sources; not part of the module's interface.
#ifndef SMOL_GEMM_INTERNAL_H
#define SMOL_GEMM_INTERNAL_H

#include "smol_gemm.h"

// Register tile of the micro-kernels: MR rows × NR columns of float32 accumulators
// (12 × 2 zmm registers with AVX-512).
#define SMOL_MR 12
#define SMOL_NR 32
// Depth per block, in 4-byte units (float32 elements or bfloat16 pairs): one
// block of a right-hand panel (256 × 32 × 4 bytes) stays in L1 while it is
// reused across the rows of a task.
#define SMOL_KC_UNITS 128
// Rows per matrix-product task (8 micro-panels) and columns per block (8 panels).
#define SMOL_MB 96
#define SMOL_NB 256
// Queries per attention block: a multiple of both MR and NR.
#define SMOL_QB 96

#if defined(__x86_64__) || defined(__i386__)
#define SMOL_HAVE_X86 1
#define SMOL_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512bf16,fma")))
#else
#define SMOL_HAVE_X86 0
#endif

// Depth of `k` elements in 4-byte units of `precision` (bf16 pairs round up).
static inline size_t smol_k_units(smol_precision precision, size_t k) {
    return precision == SMOL_PRECISION_BF16 ? (k + 1) / 2 : k;
}

// Accumulates a full MR×NR tile over `units` depth units:
// tile[i][j] (+)= Σ_u A(i, u) · B(u, j), with A(i, u) = a[u·a_stride + i] and
// B(u, j) = b[u·NR + j] (4-byte units; a bfloat16 unit holds two depth steps).
// `accumulate` = 0 starts from zero. `tile` is [MR][NR] float32.
typedef void (*smol_microkernel)(size_t units, const uint32_t *a, size_t a_stride, const uint32_t *b,
                                 float *tile, int accumulate);

// How a finished tile is written: out = act(alpha·t·row_scale + bias) + residual.
typedef struct {
    float alpha;
    const float *bias;
    const float *row_scale;
    smol_activation activation;
    const float *residual;
    size_t ld_residual;
    float *c;
    size_t ldc;
} smol_epilogue;

// Writes `rows` × `cols` of `tile` to output row `row0`, column `col0`.
typedef void (*smol_epilogue_fn)(const float *tile, size_t rows, size_t cols, const smol_epilogue *e,
                                 size_t row0, size_t col0);

// Softmax down the columns of a transposed score block held as the tiles of
// smol_block_product ([⌈keys/MR⌉][panels][MR][NR]; key t, query q at tile
// (t/MR, q/NR), element (t%MR, q%NR)): e = exp(scale·s + mask − max) for
// `queries` columns, with the optional additive key mask. Writes e as float32
// rows [keys][SMOL_QB] to `exps`, or as bfloat16 pairs of consecutive keys
// [⌈keys/2⌉][SMOL_QB] to `pairs` (the other is NULL), and 1/Σe per query.
typedef void (*smol_column_softmax_fn)(const float *tiles, size_t panels, size_t keys, size_t queries, float scale,
                                       const float *mask, float *exps, uint32_t *pairs, float *inverse_sum);

// Packs rows of a row-major float32 matrix as left-hand micro-panels
// ([⌈rows/MR⌉][units][MR], zero-padded; see smol_pack_a).
typedef void (*smol_pack_a_fn)(const float *a, size_t lda, size_t rows, size_t k, uint32_t *packed);

// Packs a right-hand operand given as [n][k] (rows are outputs) or [k][n] into
// panels [⌈n/NR⌉][units][NR], zero-padded.
typedef void (*smol_pack_b_fn)(const float *b, size_t ldb, size_t n, size_t k, uint32_t *packed);

typedef struct {
    smol_precision precision;
    smol_microkernel microkernel;
    smol_pack_a_fn pack_a;
    smol_pack_b_fn pack_b_nk;
    smol_pack_b_fn pack_b_kn;
    smol_epilogue_fn epilogue;
    smol_column_softmax_fn column_softmax;
} smol_kernels;

// The kernels for `precision` on `isa` (portable when the ISA lacks them).
const smol_kernels *smol_kernels_for(smol_precision precision, smol_isa isa);

extern const smol_kernels smol_portable_f32, smol_portable_bf16;
#if SMOL_HAVE_X86
extern const smol_kernels smol_avx512_f32, smol_avx512_bf16;
#endif

// Packs `rows` (≤ a multiple of MR) rows of row-major float32 `a` into micro-panels
// [⌈rows/MR⌉][units][MR] of `precision`, zero-padded.
void smol_pack_a(smol_precision precision, const float *a, size_t lda, size_t rows, size_t k, uint32_t *packed);

// Portable packers of a right-hand operand given as [n][k] or [k][n] (row stride ldb).
void smol_pack_b_nk_portable(smol_precision precision, const float *b, size_t ldb, size_t n, size_t k,
                             uint32_t *packed);
void smol_pack_b_kn_portable(smol_precision precision, const float *b, size_t ldb, size_t n, size_t k,
                             uint32_t *packed);

// Block product with k-blocking: tiles[mp][np] (MR×NR each) = A·B for `mpanels`
// micro-panels of A (panel p at a + p·a_panel, element stride a_stride) and
// `npanels` panels of B (panel p at b + p·b_panel).
void smol_block_product(const smol_kernels *kernels, size_t units, const uint32_t *a, size_t a_panel,
                        size_t a_stride, size_t mpanels, const uint32_t *b, size_t b_panel, size_t npanels,
                        float *tiles);

// Per-thread scratch: `slot` keeps its buffer between calls on the same thread.
void *smol_scratch(int slot, size_t bytes);

#endif
