// Packed-weight matrix products and fused attention for the SigLIP encoder, in C
// so that the AVX-512 / AVX512-BF16 intrinsics are available. Every entry point
// works on every CPU: the ISA is chosen per call (`smol_isa`) from what
// `smol_cpu_features` reports, and the portable C kernels compute the same
// products with the same rounding of the operands.
//
// Work is split into tasks that the caller runs on its own threads (Swift's
// ThreadPool): no threads are started here. Scratch memory is per thread.
#ifndef SMOL_GEMM_H
#define SMOL_GEMM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Operand precision of a product. Accumulation is always float32.
typedef enum {
    /// float32 operands (FMA).
    SMOL_PRECISION_F32 = 0,
    /// Operands rounded to bfloat16 (nearest even), float32 accumulation.
    SMOL_PRECISION_BF16 = 1,
} smol_precision;

/// Which kernels run a product.
typedef enum {
    /// Plain C, any CPU.
    SMOL_ISA_PORTABLE = 0,
    /// AVX-512 F/BW/VL/DQ (float32) and AVX512-BF16 (bfloat16).
    SMOL_ISA_AVX512 = 1,
} smol_isa;

/// Bit set of `SMOL_CPU_*`.
enum {
    /// AVX-512 F, BW, VL, DQ with FMA, and the OS saves the zmm state.
    SMOL_CPU_AVX512 = 1 << 0,
    /// AVX512-BF16 (`vdpbf16ps`) on top of SMOL_CPU_AVX512.
    SMOL_CPU_AVX512_BF16 = 1 << 1,
};

/// What this CPU and OS support (cpuid + xgetbv; 0 on non-x86 targets).
int smol_cpu_features(void);

/// Activation applied to `alpha · A·Bᵀ · row_scale + bias` before the residual.
typedef enum {
    SMOL_ACTIVATION_NONE = 0,
    /// `gelu_pytorch_tanh`, evaluated as x / (1 + exp(−2u)), u = √(2/π)(x + 0.044715x³).
    SMOL_ACTIVATION_GELU_TANH = 1,
} smol_activation;

/// Bytes of a packed right-hand operand of `n` columns (outputs) and depth `k`.
size_t smol_packed_b_bytes(smol_precision precision, size_t n, size_t k);

/// Packs the right-hand operand of `A · Bᵀ`: `b` is `[n][k]` (a PyTorch `[out, in]`
/// weight) with row stride `ldb`, converted to `precision`. `packed` must hold
/// `smol_packed_b_bytes` bytes (64-byte alignment recommended).
void smol_pack_b(smol_precision precision, const float *b, size_t ldb, size_t n, size_t k, void *packed);

/// `C = act(alpha · (A · Bᵀ) · row_scale[i] + bias[j]) + residual` over rows `0..<m`.
typedef struct {
    smol_precision precision;
    smol_isa isa;
    /// `[m][k]` float32, row stride `lda`.
    const float *a;
    size_t lda;
    /// From `smol_pack_b` with the same precision, `n` and `k`.
    const void *b_packed;
    size_t m, n, k;
    float alpha;
    /// `[n]` or NULL.
    const float *bias;
    /// `[m]` or NULL.
    const float *row_scale;
    smol_activation activation;
    /// `[m][n]` added last, row stride `ld_residual`, or NULL. May not alias `c`.
    const float *residual;
    size_t ld_residual;
    /// `[m][n]` float32 output, row stride `ldc`.
    float *c;
    size_t ldc;
} smol_gemm_params;

/// How many independent tasks `smol_gemm_run_task` splits the product into for
/// `threads` threads (at least 1 for a non-empty product).
size_t smol_gemm_task_count(const smol_gemm_params *params, size_t threads);

/// Runs task `task` of `task_count` (as returned by `smol_gemm_task_count`).
/// Tasks write disjoint parts of `c` and may run concurrently.
/// Returns 0, or -1 when the thread's scratch memory could not be allocated.
int smol_gemm_run_task(const smol_gemm_params *params, size_t task, size_t task_count);

/// Bidirectional multi-head attention over frames of `tokens` rows whose queries,
/// keys and values sit side by side in one matrix (a fused QKV projection):
/// head `h` of frame `f`, token `t` reads `qkv[(f·tokens + t)·ld_qkv + offset + h·head_dim]`.
/// `out[(f·tokens + t)·ld_out + h·head_dim + d] = softmax(scale·q·kᵀ + mask)·v`.
typedef struct {
    smol_precision precision;
    smol_isa isa;
    const float *qkv;
    size_t ld_qkv;
    size_t q_offset, k_offset, v_offset;
    size_t frames, tokens, heads, head_dim;
    float scale;
    /// `[frames][tokens]` additive key mask, or NULL.
    const float *key_mask;
    float *out;
    size_t ld_out;
} smol_attention_params;

/// Tasks of `smol_attention_run_task`: one per frame and head.
size_t smol_attention_task_count(const smol_attention_params *params);

/// Runs task `task` (frame `task / heads`, head `task % heads`). Tasks may run concurrently.
/// Returns 0, or -1 when the thread's scratch memory could not be allocated.
int smol_attention_run_task(const smol_attention_params *params, size_t task);

/// Returns the C allocator's free memory to the system (glibc's `malloc_trim`; a
/// no-op with other C libraries).
void smol_return_freed_memory(void);

/// float32 → bfloat16 bits, round to nearest even (NaN stays NaN).
uint16_t smol_bf16_from_f32(float value);

#ifdef __cplusplus
}
#endif

#endif
