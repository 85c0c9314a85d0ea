#ifndef SMOL_MATVEC_H
#define SMOL_MATVEC_H

// Matrix-vector kernels for the text decoder's single-token step, reading
// weights in their stored format (float32, bfloat16, or ggml's Q8_0/Q4_0/Q4_1
// blocks) without converting them, plus the decode attention of one head.
//
// Each kernel exists in three builds chosen at run time by cpuid: AVX-512
// (with VNNI for the integer formats), AVX2+FMA (the portable C compiled for
// that target), and portable C for any other CPU. Integer formats take the
// activation quantized per 32-element block (`smol_qvec`), as ggml does.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Kernel families, in increasing order of capability.
typedef enum smol_kernel_level {
    SMOL_KERNELS_PORTABLE = 0,
    SMOL_KERNELS_AVX2 = 1,
    SMOL_KERNELS_AVX512 = 2,
} smol_kernel_level;

/// Stored formats of a weight matrix `[rows, k]`, row-major.
typedef enum smol_weight_format {
    SMOL_WEIGHTS_F32 = 0,
    SMOL_WEIGHTS_BF16 = 1,
    /// ggml block_q8_0: {f16 d; int8 q[32]} (34 bytes per 32 values), value = d·q.
    SMOL_WEIGHTS_Q8_0 = 2,
    /// ggml block_q4_0: {f16 d; u8 qs[16]} (18 bytes), value = d·(nibble − 8);
    /// byte j holds value j (low nibble) and value j+16 (high nibble).
    SMOL_WEIGHTS_Q4_0 = 3,
    /// ggml block_q4_1: {f16 d; f16 m; u8 qs[16]} (20 bytes), value = d·nibble + m.
    SMOL_WEIGHTS_Q4_1 = 4,
} smol_weight_format;

/// The best level this CPU supports.
smol_kernel_level smol_kernels_detected(void);
/// The level in use: the detected one unless lowered by `smol_kernels_select`
/// or the environment variable SMOLVLM_KERNELS (portable, avx2, avx512).
smol_kernel_level smol_kernels_active(void);
/// Uses `level`, or the detected level when that is lower. Returns the level now active.
smol_kernel_level smol_kernels_select(smol_kernel_level level);

/// An activation vector of `k` values (k a multiple of 32) quantized per block
/// of 32 for the integer kernels: `x[i] ≈ d[i/32] · q[i]`, q in [−127, 127].
/// Arrays are caller-owned; `q` and `qabs` should be 64-byte aligned.
typedef struct smol_qvec {
    int8_t *q;      ///< k signed values
    uint8_t *qabs;  ///< k magnitudes |q|
    float *d;       ///< k/32 scales (amax/127)
    int32_t *sum;   ///< k/32 sums Σq
} smol_qvec;

/// Quantizes `x` (k values, k a multiple of 32) into `out`.
void smol_quantize_qvec(const float *x, int k, smol_qvec *out);

/// y[r − row_begin] = Σ_i W[r][i] · x[i] for rows r in [row_begin, row_end).
/// `w` is the first row, rows are `row_bytes` apart. Float formats read `x`;
/// integer formats read `xq` (the same vector quantized).
void smol_matvec(smol_weight_format format, const void *w, size_t row_bytes, int k,
                 const float *x, const smol_qvec *xq,
                 float *y, int row_begin, int row_end);

/// `smol_matvec` with the kernels of `level` (or the detected level when lower).
void smol_matvec_at(smol_kernel_level level, smol_weight_format format, const void *w, size_t row_bytes, int k,
                    const float *x, const smol_qvec *xq, float *y, int row_begin, int row_end);

/// Bytes of one row of `k` values in `format` (k a multiple of 32 for blocks).
size_t smol_row_bytes(smol_weight_format format, int k);

/// Widens `count` values of row `w` (a multiple of 32 for blocks) to float32.
void smol_dequantize_row(smol_weight_format format, const void *w, int count, float *out);

/// Quantizes `count` float32 values (a multiple of 32) to Q8_0, Q4_0 or Q4_1
/// blocks with ggml's reference rounding; for BF16, rounds to nearest even.
void smol_quantize_row(smol_weight_format format, const float *x, int count, void *out);

/// Decode attention of one query head against `t` cached positions:
/// scores_j = scale · q·K_j, p = softmax(scores), out = Σ_j p_j V_j.
/// Keys are stored transposed, `keys[i · key_stride + j]` = K_j[i] (so the
/// scores of consecutive positions are one vector product per dimension);
/// values are `[t, d]` row-major. `scores` has room for t floats.
void smol_attend_head(const float *q, const float *keys, int key_stride, const float *values, int t, int d,
                      float scale, float *scores, float *out);

/// `smol_attend_head` with the kernels of `level` (or the detected level when lower).
void smol_attend_head_at(smol_kernel_level level, const float *q, const float *keys, int key_stride,
                         const float *values, int t, int d, float scale, float *scores, float *out);

/// Work counters for a sequence of dependent stages, each split into chunks
/// that any participating thread may claim (opaque). A thread works on a stage
/// only after the previous one is complete, so no thread ever waits for one
/// that has not started: a late thread finds the finished stages fully claimed.
typedef struct smol_stages smol_stages;

smol_stages *smol_stages_create(int capacity);
void smol_stages_destroy(smol_stages *stages);
/// Zeroes the counters of stages [0, count) (call while no thread uses them).
void smol_stages_reset(smol_stages *stages, int count);
/// Claims the next chunk of `stage` (of `chunks`); returns its index, or −1 when none is left.
int smol_stages_claim(smol_stages *stages, int stage, int chunks);
/// Marks one claimed chunk of `stage` complete.
void smol_stages_finish(smol_stages *stages, int stage);
/// Returns once all `chunks` chunks of `stage` are complete (spins, then yields).
void smol_stages_wait(smol_stages *stages, int stage, int chunks);

#ifdef __cplusplus
}
#endif

#endif
