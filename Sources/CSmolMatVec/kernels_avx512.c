// AVX-512 kernels (Skylake-X and later; the integer formats need VNNI, Ice Lake and later).
//
// Integer dot products: per 32-value block, vpdpbusd multiplies unsigned by
// signed bytes and sums groups of four into int32 lanes, exactly. Q8_0 weights
// are signed, so the activation's magnitudes |q| are the unsigned operand and
// the weights take the activation's signs (vpsignb); 4-bit weights are
// unsigned nibbles against the signed activation, with the −8 offset (Q4_0)
// folded in as −8·Σq. Each block's int32 sum is converted once and scaled by
// d_w·d_x in float32.
#include "internal.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define SMOL_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512vnni,avx2,fma,f16c")))

SMOL_AVX512 static inline float hsum256(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

SMOL_AVX512 static inline float half_at(const uint8_t *p) {
    return _cvtsh_ss(smol_load_u16(p));
}

SMOL_AVX512 static float dot_f32(const void *row, int k, const float *x) {
    const float *w = (const float *)row;
    __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
    int i = 0;
    for (; i + 64 <= k; i += 64) {
        a0 = _mm512_fmadd_ps(_mm512_loadu_ps(w + i), _mm512_loadu_ps(x + i), a0);
        a1 = _mm512_fmadd_ps(_mm512_loadu_ps(w + i + 16), _mm512_loadu_ps(x + i + 16), a1);
        a2 = _mm512_fmadd_ps(_mm512_loadu_ps(w + i + 32), _mm512_loadu_ps(x + i + 32), a2);
        a3 = _mm512_fmadd_ps(_mm512_loadu_ps(w + i + 48), _mm512_loadu_ps(x + i + 48), a3);
    }
    for (; i + 16 <= k; i += 16) a0 = _mm512_fmadd_ps(_mm512_loadu_ps(w + i), _mm512_loadu_ps(x + i), a0);
    if (i < k) {
        __mmask16 m = (__mmask16)((1u << (k - i)) - 1);
        a1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, w + i), _mm512_maskz_loadu_ps(m, x + i), a1);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
}

SMOL_AVX512 static inline __m512 bf16x16(const uint16_t *p) {
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)p)), 16));
}

SMOL_AVX512 static float dot_bf16(const void *row, int k, const float *x) {
    const uint16_t *w = (const uint16_t *)row;
    __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
    int i = 0;
    for (; i + 64 <= k; i += 64) {
        a0 = _mm512_fmadd_ps(bf16x16(w + i), _mm512_loadu_ps(x + i), a0);
        a1 = _mm512_fmadd_ps(bf16x16(w + i + 16), _mm512_loadu_ps(x + i + 16), a1);
        a2 = _mm512_fmadd_ps(bf16x16(w + i + 32), _mm512_loadu_ps(x + i + 32), a2);
        a3 = _mm512_fmadd_ps(bf16x16(w + i + 48), _mm512_loadu_ps(x + i + 48), a3);
    }
    for (; i + 16 <= k; i += 16) a0 = _mm512_fmadd_ps(bf16x16(w + i), _mm512_loadu_ps(x + i), a0);
    float total = _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
    for (; i < k; i++) {
        uint32_t bits = (uint32_t)w[i] << 16;
        float v;
        memcpy(&v, &bits, 4);
        total += v * x[i];
    }
    return total;
}

SMOL_AVX512 static float dot_q8_0(const uint8_t *row, int blocks, const smol_qvec *xq) {
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    const __m256i zero = _mm256_setzero_si256();
    int b = 0;
    for (; b + 2 <= blocks; b += 2) {
        const uint8_t *p0 = row + b * 34, *p1 = p0 + 34;
        __m256i w0 = _mm256_loadu_si256((const __m256i *)(p0 + 2));
        __m256i w1 = _mm256_loadu_si256((const __m256i *)(p1 + 2));
        __m256i x0 = _mm256_load_si256((const __m256i *)(xq->q + b * 32));
        __m256i x1 = _mm256_load_si256((const __m256i *)(xq->q + b * 32 + 32));
        __m256i u0 = _mm256_load_si256((const __m256i *)(xq->qabs + b * 32));
        __m256i u1 = _mm256_load_si256((const __m256i *)(xq->qabs + b * 32 + 32));
        __m256i s0 = _mm256_dpbusd_epi32(zero, u0, _mm256_sign_epi8(w0, x0));
        __m256i s1 = _mm256_dpbusd_epi32(zero, u1, _mm256_sign_epi8(w1, x1));
        acc0 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s0), _mm256_set1_ps(half_at(p0) * xq->d[b]), acc0);
        acc1 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s1), _mm256_set1_ps(half_at(p1) * xq->d[b + 1]), acc1);
    }
    if (b < blocks) {
        const uint8_t *p0 = row + b * 34;
        __m256i w0 = _mm256_loadu_si256((const __m256i *)(p0 + 2));
        __m256i x0 = _mm256_load_si256((const __m256i *)(xq->q + b * 32));
        __m256i u0 = _mm256_load_si256((const __m256i *)(xq->qabs + b * 32));
        __m256i s0 = _mm256_dpbusd_epi32(zero, u0, _mm256_sign_epi8(w0, x0));
        acc0 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s0), _mm256_set1_ps(half_at(p0) * xq->d[b]), acc0);
    }
    return hsum256(_mm256_add_ps(acc0, acc1));
}

// The 32 nibbles of a 4-bit block in value order: low nibbles (values 0–15), then high (16–31).
SMOL_AVX512 static inline __m256i nibbles(const uint8_t *qs) {
    __m256i both = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)qs));
    const __m256i shifts = _mm256_setr_epi16(0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4, 4, 4, 4, 4);
    return _mm256_and_si256(_mm256_srlv_epi16(both, shifts), _mm256_set1_epi8(0x0f));
}

// The float16 scales at byte offset `offset` of 4 consecutive blocks of `stride` bytes.
SMOL_AVX512 static inline __m128 scales4(const uint8_t *p, int stride, int offset) {
    __m128i h = _mm_cvtsi32_si128(smol_load_u16(p + offset));
    h = _mm_insert_epi16(h, smol_load_u16(p + stride + offset), 1);
    h = _mm_insert_epi16(h, smol_load_u16(p + 2 * stride + offset), 2);
    h = _mm_insert_epi16(h, smol_load_u16(p + 3 * stride + offset), 3);
    return _mm_cvtph_ps(h);
}

// Lane `i` of a 4-lane vector, in all 8 lanes.
#define SMOL_LANE(v, i) _mm256_permutexvar_ps(_mm256_set1_epi32(i), _mm256_castps128_ps256(v))

// Four blocks at a time: their scales d_w·d_x are formed in one vector.
#define SMOL_Q4_BODY(stride, quant_offset, init)                                                       \
    for (; b + 4 <= blocks; b += 4) {                                                                  \
        const uint8_t *p = row + b * (stride);                                                         \
        __m128 s = _mm_mul_ps(scales4(p, (stride), 0), _mm_loadu_ps(xq->d + b));                       \
        for (int i = 0; i < 4; i++) {                                                                  \
            __m256i x = _mm256_load_si256((const __m256i *)(xq->q + (b + i) * 32));                    \
            __m256i sum = _mm256_dpbusd_epi32(init(b + i), nibbles(p + i * (stride) + (quant_offset)), x); \
            __m256 scale = SMOL_LANE(s, i);                                                            \
            if (i & 1) acc1 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(sum), scale, acc1);                   \
            else acc0 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(sum), scale, acc0);                         \
        }                                                                                              \
    }                                                                                                  \
    for (; b < blocks; b++) {                                                                          \
        const uint8_t *p = row + b * (stride);                                                         \
        __m256i x = _mm256_load_si256((const __m256i *)(xq->q + b * 32));                              \
        __m256i sum = _mm256_dpbusd_epi32(init(b), nibbles(p + (quant_offset)), x);                    \
        acc0 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(sum), _mm256_set1_ps(half_at(p) * xq->d[b]), acc0);  \
    }

SMOL_AVX512 static float dot_q4_0(const uint8_t *row, int blocks, const smol_qvec *xq) {
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    int b = 0;
    // Each block's sum starts at −8·Σq in lane 0: Σ(n−8)q = Σnq − 8Σq.
#define SMOL_Q4_0_INIT(block) _mm256_maskz_set1_epi32(1, -8 * xq->sum[block])
    SMOL_Q4_BODY(18, 2, SMOL_Q4_0_INIT)
#undef SMOL_Q4_0_INIT
    return hsum256(_mm256_add_ps(acc0, acc1));
}

SMOL_AVX512 static float dot_q4_1(const uint8_t *row, int blocks, const smol_qvec *xq) {
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    int b = 0;
#define SMOL_Q4_1_INIT(block) _mm256_setzero_si256()
    SMOL_Q4_BODY(20, 4, SMOL_Q4_1_INIT)
#undef SMOL_Q4_1_INIT
    // The minimums: Σ_b m_b · d_x,b · Σq_b.
    __m128 m = _mm_setzero_ps();
    int i = 0;
    for (; i + 4 <= blocks; i += 4) {
        __m128 dsum = _mm_mul_ps(_mm_loadu_ps(xq->d + i), _mm_cvtepi32_ps(_mm_loadu_si128((const __m128i *)(xq->sum + i))));
        m = _mm_fmadd_ps(scales4(row + i * 20, 20, 2), dsum, m);
    }
    m = _mm_add_ps(m, _mm_movehl_ps(m, m));
    m = _mm_add_ss(m, _mm_movehdup_ps(m));
    float minimums = _mm_cvtss_f32(m);
    for (; i < blocks; i++) minimums += half_at(row + i * 20 + 2) * (xq->d[i] * (float)xq->sum[i]);
    return hsum256(_mm256_add_ps(acc0, acc1)) + minimums;
}

// e^x for 16 lanes: x = n·ln2 + r with |r| ≤ ln2/2, a degree-6 polynomial for
// e^r (Cephes' coefficients, ~1 ulp), and 2^n applied by vscalefps, which
// underflows to 0 and overflows to ∞ correctly.
SMOL_AVX512 static inline __m512 exp16(__m512 x) {
    x = _mm512_max_ps(_mm512_min_ps(x, _mm512_set1_ps(88.7228f)), _mm512_set1_ps(-104.0f));
    __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    p = _mm512_fmadd_ps(p, _mm512_mul_ps(r, r), _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
    return _mm512_scalef_ps(p, n);
}

SMOL_AVX512 static void attend(const float *q, const float *keys, int key_stride, const float *values, int t, int d,
                               float scale, float *scores, float *out) {
    if (d % 16 != 0 || d > 256) {
        smol_kernels_avx2.attend(q, keys, key_stride, values, t, d, scale, scores, out);
        return;
    }
    // Scores, 64 positions at a time: one broadcast q_i times a row of transposed keys per dimension.
    __m512 maximum = _mm512_set1_ps(-INFINITY);
    const __m512 scalev = _mm512_set1_ps(scale);
    int j = 0;
    for (; j + 64 <= t; j += 64) {
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
        for (int i = 0; i < d; i++) {
            const float *k = keys + (size_t)i * key_stride + j;
            __m512 qi = _mm512_set1_ps(q[i]);
            a0 = _mm512_fmadd_ps(qi, _mm512_loadu_ps(k), a0);
            a1 = _mm512_fmadd_ps(qi, _mm512_loadu_ps(k + 16), a1);
            a2 = _mm512_fmadd_ps(qi, _mm512_loadu_ps(k + 32), a2);
            a3 = _mm512_fmadd_ps(qi, _mm512_loadu_ps(k + 48), a3);
        }
        a0 = _mm512_mul_ps(a0, scalev); a1 = _mm512_mul_ps(a1, scalev);
        a2 = _mm512_mul_ps(a2, scalev); a3 = _mm512_mul_ps(a3, scalev);
        _mm512_storeu_ps(scores + j, a0); _mm512_storeu_ps(scores + j + 16, a1);
        _mm512_storeu_ps(scores + j + 32, a2); _mm512_storeu_ps(scores + j + 48, a3);
        maximum = _mm512_max_ps(maximum, _mm512_max_ps(_mm512_max_ps(a0, a1), _mm512_max_ps(a2, a3)));
    }
    for (; j < t; j += 16) {
        __mmask16 m = t - j >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (t - j)) - 1);
        __m512 a0 = _mm512_setzero_ps();
        for (int i = 0; i < d; i++)
            a0 = _mm512_fmadd_ps(_mm512_set1_ps(q[i]), _mm512_maskz_loadu_ps(m, keys + (size_t)i * key_stride + j), a0);
        a0 = _mm512_mul_ps(a0, scalev);
        _mm512_mask_storeu_ps(scores + j, m, a0);
        maximum = _mm512_mask_max_ps(maximum, m, maximum, a0);
    }
    __m512 topv = _mm512_set1_ps(_mm512_reduce_max_ps(maximum));
    __m512 sumv = _mm512_setzero_ps();
    for (j = 0; j < t; j += 16) {
        __mmask16 m = t - j >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (t - j)) - 1);
        __m512 e = _mm512_maskz_mov_ps(m, exp16(_mm512_sub_ps(_mm512_maskz_loadu_ps(m, scores + j), topv)));
        _mm512_mask_storeu_ps(scores + j, m, e);
        sumv = _mm512_add_ps(sumv, e);
    }
    __m512 inverse = _mm512_set1_ps(1 / _mm512_reduce_add_ps(sumv));
    if (d == 64) {
        // The common head size, with the sums in registers: two positions per step
        // into two sets of four, which halves the FMA dependency chains.
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps(), a2 = _mm512_setzero_ps(), a3 = _mm512_setzero_ps();
        __m512 b0 = _mm512_setzero_ps(), b1 = _mm512_setzero_ps(), b2 = _mm512_setzero_ps(), b3 = _mm512_setzero_ps();
        for (j = 0; j + 2 <= t; j += 2) {
            __m512 p0 = _mm512_set1_ps(scores[j]), p1 = _mm512_set1_ps(scores[j + 1]);
            const float *row = values + (size_t)j * 64;
            a0 = _mm512_fmadd_ps(p0, _mm512_loadu_ps(row), a0);
            a1 = _mm512_fmadd_ps(p0, _mm512_loadu_ps(row + 16), a1);
            a2 = _mm512_fmadd_ps(p0, _mm512_loadu_ps(row + 32), a2);
            a3 = _mm512_fmadd_ps(p0, _mm512_loadu_ps(row + 48), a3);
            b0 = _mm512_fmadd_ps(p1, _mm512_loadu_ps(row + 64), b0);
            b1 = _mm512_fmadd_ps(p1, _mm512_loadu_ps(row + 80), b1);
            b2 = _mm512_fmadd_ps(p1, _mm512_loadu_ps(row + 96), b2);
            b3 = _mm512_fmadd_ps(p1, _mm512_loadu_ps(row + 112), b3);
        }
        if (j < t) {
            __m512 p0 = _mm512_set1_ps(scores[j]);
            const float *row = values + (size_t)j * 64;
            a0 = _mm512_fmadd_ps(p0, _mm512_loadu_ps(row), a0);
            a1 = _mm512_fmadd_ps(p0, _mm512_loadu_ps(row + 16), a1);
            a2 = _mm512_fmadd_ps(p0, _mm512_loadu_ps(row + 32), a2);
            a3 = _mm512_fmadd_ps(p0, _mm512_loadu_ps(row + 48), a3);
        }
        // Normalize once at the end: Σ p_j V_j = (Σ e_j V_j) / Σ e_j.
        _mm512_storeu_ps(out, _mm512_mul_ps(_mm512_add_ps(a0, b0), inverse));
        _mm512_storeu_ps(out + 16, _mm512_mul_ps(_mm512_add_ps(a1, b1), inverse));
        _mm512_storeu_ps(out + 32, _mm512_mul_ps(_mm512_add_ps(a2, b2), inverse));
        _mm512_storeu_ps(out + 48, _mm512_mul_ps(_mm512_add_ps(a3, b3), inverse));
        return;
    }
    const int vectors = d / 16;
    __m512 acc[16];
    for (int v = 0; v < vectors; v++) acc[v] = _mm512_setzero_ps();
    for (j = 0; j < t; j++) {
        __m512 p = _mm512_mul_ps(_mm512_set1_ps(scores[j]), inverse);
        const float *row = values + (size_t)j * d;
        for (int v = 0; v < vectors; v++) acc[v] = _mm512_fmadd_ps(p, _mm512_loadu_ps(row + 16 * v), acc[v]);
    }
    for (int v = 0; v < vectors; v++) _mm512_storeu_ps(out + 16 * v, acc[v]);
}

// The activation of one product, quantized per block of 32 (round half to even).
SMOL_AVX512 static void quantize_qvec(const float *x, int k, smol_qvec *out) {
    const __m512 sign = _mm512_castsi512_ps(_mm512_set1_epi32(0x7fffffff));
    for (int b = 0; b < k / 32; b++) {
        __m512 v0 = _mm512_loadu_ps(x + 32 * b), v1 = _mm512_loadu_ps(x + 32 * b + 16);
        float amax = _mm512_reduce_max_ps(_mm512_max_ps(_mm512_and_ps(v0, sign), _mm512_and_ps(v1, sign)));
        float d = amax / 127;
        float id = d != 0 ? 1 / d : 0;
        __m512 scale = _mm512_set1_ps(id);
        __m512i q0 = _mm512_cvtps_epi32(_mm512_roundscale_ps(_mm512_mul_ps(v0, scale), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
        __m512i q1 = _mm512_cvtps_epi32(_mm512_roundscale_ps(_mm512_mul_ps(v1, scale), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
        __m128i b0 = _mm512_cvtepi32_epi8(q0), b1 = _mm512_cvtepi32_epi8(q1);
        __m256i q = _mm256_inserti128_si256(_mm256_castsi128_si256(b0), b1, 1);
        _mm256_store_si256((__m256i *)(out->q + 32 * b), q);
        _mm256_store_si256((__m256i *)(out->qabs + 32 * b), _mm256_abs_epi8(q));
        out->d[b] = d;
        out->sum[b] = _mm512_reduce_add_epi32(_mm512_add_epi32(q0, q1));
    }
}

// Weight quantization at load: the AVX2 build of the portable code (it vectorizes well).
SMOL_AVX512 static void quantize_row(smol_weight_format format, const float *x, int count, void *out) {
    smol_kernels_avx2.quantize_row(format, x, count, out);
}

// Widening for prefill tiles: the AVX2 build of the portable code.
SMOL_AVX512 static void dequantize_row(smol_weight_format format, const void *w, int count, float *out) {
    smol_kernels_avx2.dequantize_row(format, w, count, out);
}

const smol_kernel_table smol_kernels_avx512 = {
    .dot_f32 = dot_f32,
    .dot_bf16 = dot_bf16,
    .dot_q8_0 = dot_q8_0,
    .dot_q4_0 = dot_q4_0,
    .dot_q4_1 = dot_q4_1,
    .attend = attend,
    .quantize_qvec = quantize_qvec,
    .quantize_row = quantize_row,
    .dequantize_row = dequantize_row,
};
#endif
