// The vertical pass of the fixed-point separable resize (Pillow's and torch's
// uint8 resampling), in C so that AVX-512 can run it: Swift compiles for baseline
// x86-64, where 32-bit integer multiplies are emulated.
#ifndef SMOL_RESAMPLE_H
#define SMOL_RESAMPLE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// One output row: for i in 0..<count,
/// `out[i] = clamp((2^(precision−1) + Σ_j first[j·stride + i]·weights[j]) >> precision, 0, 255)`,
/// summed in wrapping 32-bit integers. `use_avx512` selects the AVX-512 loop (the
/// caller checks the CPU); both give the same bytes.
void smol_resample_row(const uint8_t *first, size_t stride, const int32_t *weights, size_t taps, int precision,
                       uint8_t *out, size_t count, int use_avx512);

#ifdef __cplusplus
}
#endif

#endif
