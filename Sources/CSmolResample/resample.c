#include "smol_resample.h"

static void resample_row_portable(const uint8_t *first, size_t stride, const int32_t *weights, size_t taps,
                                  int precision, uint8_t *out, size_t count) {
    const uint32_t half = (uint32_t)1 << (precision - 1);
    for (size_t i = 0; i < count; i++) {
        uint32_t sum = half;  // unsigned: wrapping, as Swift's &+ and &*
        for (size_t j = 0; j < taps; j++) sum += (uint32_t)first[j * stride + i] * (uint32_t)weights[j];
        int32_t value = (int32_t)sum >> precision;
        out[i] = (uint8_t)(value < 0 ? 0 : value > 255 ? 255 : value);
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define SMOL_RESAMPLE_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl")))

// 64 bytes of the row at a time, the four 16-lane sums in registers across all taps.
SMOL_RESAMPLE_AVX512 static void resample_row_avx512(const uint8_t *first, size_t stride, const int32_t *weights,
                                                     size_t taps, int precision, uint8_t *out, size_t count) {
    const __m512i half = _mm512_set1_epi32(1 << (precision - 1));
    const __m128i shift = _mm_cvtsi32_si128(precision);
    const __m512i zero = _mm512_setzero_si512();
    size_t i = 0;
    for (; i + 64 <= count; i += 64) {
        __m512i s0 = half, s1 = half, s2 = half, s3 = half;
        for (size_t j = 0; j < taps; j++) {
            const uint8_t *row = first + j * stride + i;
            __m512i w = _mm512_set1_epi32(weights[j]);
            s0 = _mm512_add_epi32(s0, _mm512_mullo_epi32(_mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)row)), w));
            s1 = _mm512_add_epi32(s1, _mm512_mullo_epi32(_mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(row + 16))), w));
            s2 = _mm512_add_epi32(s2, _mm512_mullo_epi32(_mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(row + 32))), w));
            s3 = _mm512_add_epi32(s3, _mm512_mullo_epi32(_mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(row + 48))), w));
        }
        // Arithmetic shift, clamp below at 0, then the unsigned saturating narrow clamps at 255.
        _mm_storeu_si128((__m128i *)(out + i), _mm512_cvtusepi32_epi8(_mm512_max_epi32(_mm512_sra_epi32(s0, shift), zero)));
        _mm_storeu_si128((__m128i *)(out + i + 16), _mm512_cvtusepi32_epi8(_mm512_max_epi32(_mm512_sra_epi32(s1, shift), zero)));
        _mm_storeu_si128((__m128i *)(out + i + 32), _mm512_cvtusepi32_epi8(_mm512_max_epi32(_mm512_sra_epi32(s2, shift), zero)));
        _mm_storeu_si128((__m128i *)(out + i + 48), _mm512_cvtusepi32_epi8(_mm512_max_epi32(_mm512_sra_epi32(s3, shift), zero)));
    }
    for (; i + 16 <= count; i += 16) {
        __m512i s = half;
        for (size_t j = 0; j < taps; j++) {
            __m512i x = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(first + j * stride + i)));
            s = _mm512_add_epi32(s, _mm512_mullo_epi32(x, _mm512_set1_epi32(weights[j])));
        }
        _mm_storeu_si128((__m128i *)(out + i), _mm512_cvtusepi32_epi8(_mm512_max_epi32(_mm512_sra_epi32(s, shift), zero)));
    }
    if (i < count) resample_row_portable(first + i, stride, weights, taps, precision, out + i, count - i);
}
#endif

void smol_resample_row(const uint8_t *first, size_t stride, const int32_t *weights, size_t taps, int precision,
                       uint8_t *out, size_t count, int use_avx512) {
#if defined(__x86_64__) || defined(__i386__)
    if (use_avx512) {
        resample_row_avx512(first, stride, weights, taps, precision, out, count);
        return;
    }
#endif
    (void)use_avx512;
    resample_row_portable(first, stride, weights, taps, precision, out, count);
}
