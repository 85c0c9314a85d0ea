#include "smol_yuv_to_rgb.h"

#include <stdlib.h>
#include <string.h>

// The reference's numbers come from libswscale 9's generic scaler (yuv420p → rgb24, same size,
// SWS_BILINEAR, x86 build). Its stages, each with its own fixed-point rounding:
//
//   1. chroma rows are widened to 15-bit samples (value << 7); for an odd width they are also
//      interpolated horizontally to full width with 14-bit bilinear weights;
//   2. chroma is interpolated vertically to full height with 12-bit bilinear weights;
//   3. odd width: Y, U, V at 9 fractional bits go through a 13-bit matrix and are clipped at
//      30 bits, wrapping like the 32-bit arithmetic it copies; even width: Y, U, V are rounded
//      to 8 bits and looked up in tables of cy-scaled steps, one U/V pair per two pixels.
//
// Every rounding step matters: dropping any one of them moves some pixels by one step. The weights
// are built the way libswscale builds them (including its tap trimming and edge folding), because
// its integer weights are not the rounded ideal ones.

enum {
    MAX_TAPS = 4,         // 3 bilinear taps before trimming, padded to the x86 alignment of 4
    ONE_H = 1 << 14,      // horizontal weights sum to this
    ONE_V = 1 << 12,      // vertical weights sum to this
    CENTRE = 128,         // sample positions are in 1/256 of a pixel; 128 = pixel centre
    LUMA_TABLE_MIN = -512,
    LUMA_TABLE_END = 1536,
};

// Floor of a / 2^n for any sign (C leaves >> of negative values to the implementation).
static int64_t shift_floor(int64_t a, int n) {
    return a >= 0 ? a >> n : -((-a + ((int64_t)1 << n) - 1) >> n);
}

static int64_t divide_rounding(int64_t a, int64_t b) {
    return a >= 0 ? (a + b / 2) / b : (a - b / 2) / b;
}

static uint8_t clip_u8(int64_t value) { return value < 0 ? 0 : value > 255 ? 255 : (uint8_t)value; }

// Rounds a 16.16 value to an integer clamped to int16, as libswscale stores its matrix.
static int32_t round_to_int16(int64_t value) {
    int64_t r = shift_floor(value + (1 << 15), 16);
    return r < -0x7FFF ? -0x8000 : r > 0x7FFF ? 0x7FFF : (int32_t)r;
}

// ---------------------------------------------------------------------------------------------
// Bilinear weights
// ---------------------------------------------------------------------------------------------

typedef struct weights {
    int taps;
    int32_t *first;   // first source sample of each output sample
    int16_t *value;   // `taps` weights per output sample
} weights;

static void free_weights(weights *w) {
    free(w->first);
    free(w->value);
    w->first = NULL;
    w->value = NULL;
}

// Weights taking `src` samples to `dst >= src` samples with bilinear interpolation, normalised to
// `one` and padded to a multiple of `align` taps. `src_pos` and `dst_pos` place sample 0 of each
// grid in 1/256 pixel of the grid's own spacing (CENTRE: the middle of its pixel).
static int make_weights(int src, int dst, int one, int align, int src_pos, int dst_pos, weights *out) {
    const int64_t unit = (int64_t)1 << 54;
    const double negligible = 0.002 * (double)unit;   // trimmed when the dropped taps sum below this
    const int64_t step = (((int64_t)src << 16) + dst / 2) / dst;
    int64_t *raw = calloc((size_t)dst * MAX_TAPS, sizeof *raw);
    int32_t *first = malloc((size_t)dst * sizeof *first);
    int16_t *value = NULL;
    if (raw == NULL || first == NULL) goto fail;

    int size;
    if (llabs(step - 0x10000) < 10 && src_pos == dst_pos) {
        size = 1;
        for (int i = 0; i < dst; i++) {
            raw[(size_t)i * MAX_TAPS] = unit;
            first[i] = i;
        }
    } else {
        size = src - 2 < 3 ? src - 2 : 3;
        if (size < 1) size = 1;
        // Twice the source position of output sample i, in 1/65536 pixel.
        int64_t position = ((dst_pos * step) >> 7) - (((int64_t)src_pos * 0x10000) >> 7);
        for (int i = 0; i < dst; i++) {
            int64_t k = (position - (int64_t)(size - 2) * 0x10000) / 0x20000;   // truncates toward 0
            first[i] = (int32_t)k;
            for (int j = 0; j < size; j++) {
                int64_t distance = llabs((k + j) * 0x20000 - position) << 13;
                int64_t weight = ((int64_t)1 << 30) - distance;
                raw[(size_t)i * MAX_TAPS + j] = (weight > 0 ? weight : 0) * (unit >> 30);
            }
            position += 2 * step;
        }
    }

    // Drop negligible leading taps (keeping the first positions non-decreasing) and count the taps
    // every row needs once negligible trailing ones go.
    int needed = 0;
    for (int i = dst - 1; i >= 0; i--) {
        int64_t *row = raw + (size_t)i * MAX_TAPS;
        int64_t dropped = 0;
        for (int j = 0; j < size; j++) {
            dropped += llabs(row[0]);
            if ((double)dropped > negligible) break;
            if (i < dst - 1 && first[i] >= first[i + 1]) break;
            memmove(row, row + 1, (size_t)(size - 1) * sizeof *row);
            row[size - 1] = 0;
            first[i]++;
        }
        int keep = size;
        dropped = 0;
        for (int j = size - 1; j > 0; j--) {
            dropped += llabs(row[j]);
            if ((double)dropped > negligible) break;
            keep--;
        }
        if (keep > needed) needed = keep;
    }
    // x86 keeps a single vertical tap unpadded (its unscaled vertical fast path).
    if (needed == 1 && align == 2) align = 1;
    const int taps = (needed + align - 1) / align * align;
    for (int i = 0; i < dst; i++)
        for (int j = taps; j < MAX_TAPS; j++) raw[(size_t)i * MAX_TAPS + j] = 0;

    // Fold taps that fall outside the source onto its edge samples.
    for (int i = 0; i < dst; i++) {
        int64_t *row = raw + (size_t)i * MAX_TAPS;
        if (first[i] < 0) {
            for (int j = 1; j < taps; j++) {
                int to = j + first[i] > 0 ? j + first[i] : 0;
                row[to] += row[j];
                row[j] = 0;
            }
            first[i] = 0;
        }
        if (first[i] + taps > src) {
            int shift = first[i] + (taps - src < 0 ? taps - src : 0);
            int64_t beyond = 0;
            for (int j = taps - 1; j >= 0; j--) {
                if (first[i] + j >= src) {
                    beyond += row[j];
                    row[j] = 0;
                }
            }
            for (int j = taps - 1; j >= 0; j--) row[j] = j < shift ? 0 : row[j - shift];
            first[i] -= shift;
            row[src - 1 - first[i]] += beyond;
        }
    }

    // Normalise to `one`, carrying each tap's rounding error into the next.
    value = malloc((size_t)dst * (size_t)taps * sizeof *value);
    if (value == NULL) goto fail;
    for (int i = 0; i < dst; i++) {
        const int64_t *row = raw + (size_t)i * MAX_TAPS;
        int64_t sum = 0;
        for (int j = 0; j < taps; j++) sum += row[j];
        sum = (sum + one / 2) / one;
        if (sum == 0) sum = 1;
        int64_t error = 0;
        for (int j = 0; j < taps; j++) {
            int64_t v = row[j] + error;
            int64_t q = divide_rounding(v, sum);
            value[(size_t)i * taps + j] = (int16_t)q;
            error = v - q * sum;
        }
    }
    free(raw);
    out->taps = taps;
    out->first = first;
    out->value = value;
    return 0;

fail:
    free(raw);
    free(first);
    free(value);
    return -1;
}

// ---------------------------------------------------------------------------------------------
// Colour matrix
// ---------------------------------------------------------------------------------------------

// FFmpeg's 16.16 YUV→RGB factors (V→R, U→B, U→G, V→G magnitudes, limited-range scale folded in),
// indexed by AVColorSpace; zero rows are matrices FFmpeg 8 refuses here.
static const int32_t MATRICES[10][4] = {
    {0, 0, 0, 0},                          // 0 RGB
    {117489, 138438, 13975, 34925},        // 1 BT.709
    {104597, 132201, 25675, 53279},        // 2 unspecified: BT.601
    {0, 0, 0, 0},                          // 3 reserved
    {104448, 132798, 24759, 53109},        // 4 FCC
    {104597, 132201, 25675, 53279},        // 5 BT.470BG
    {104597, 132201, 25675, 53279},        // 6 SMPTE 170M
    {117579, 136230, 16907, 35559},        // 7 SMPTE 240M
    {0, 0, 0, 0},                          // 8 YCgCo
    {110013, 140363, 12277, 42626},        // 9 BT.2020 non-constant luminance
};

typedef struct matrix {
    // Odd width: 13-bit coefficients applied to 9-bit-fraction samples.
    int32_t y_offset, y_gain, v_to_r, v_to_g, u_to_g, u_to_b;
    // Even width: per-U/V index offsets into a table of luma steps.
    int32_t base;
    int32_t r_of_v[256], g_of_u[256], g_of_v[256], b_of_u[256];
    uint8_t luma[LUMA_TABLE_END - LUMA_TABLE_MIN];
} matrix;

// Index offset of the table entry for chroma value c, for a cy-scaled factor.
static int32_t table_offset(int64_t factor, int c) {
    return (int32_t)(shift_floor(c * factor, 16) - shift_floor(factor, 9));
}

static int make_matrix(int colorspace, int full_range, matrix *m) {
    if (colorspace < 0 || colorspace >= 10 || MATRICES[colorspace][0] == 0) return -1;
    int64_t crv = MATRICES[colorspace][0], cbu = MATRICES[colorspace][1];
    int64_t cgu = -(int64_t)MATRICES[colorspace][2], cgv = -(int64_t)MATRICES[colorspace][3];
    int64_t cy = 1 << 16, oy = 0;
    if (full_range) {
        crv = crv * 224 / 255;   // C division truncates toward zero, as the reference
        cbu = cbu * 224 / 255;
        cgu = cgu * 224 / 255;
        cgv = cgv * 224 / 255;
    } else {
        cy = cy * 255 / 219;
        oy = 16 << 16;
    }

    m->y_gain = round_to_int16(cy * (1 << 13));
    m->y_offset = round_to_int16(oy * (1 << 9));
    m->v_to_r = round_to_int16(crv * (1 << 13));
    m->v_to_g = round_to_int16(cgv * (1 << 13));
    m->u_to_g = round_to_int16(cgu * (1 << 13));
    m->u_to_b = round_to_int16(cbu * (1 << 13));

    const int64_t r_v = (crv * 65536 + 0x8000) / cy, b_u = (cbu * 65536 + 0x8000) / cy;
    const int64_t g_u = (cgu * 65536 + 0x8000) / cy, g_v = (cgv * 65536 + 0x8000) / cy;
    for (int c = 0; c < 256; c++) {
        m->r_of_v[c] = table_offset(r_v, c);
        m->b_of_u[c] = table_offset(b_u, c);
        m->g_of_u[c] = table_offset(g_u, c);
        m->g_of_v[c] = table_offset(g_v, c);
    }
    m->base = full_range ? 384 : 326;
    for (int index = LUMA_TABLE_MIN; index < LUMA_TABLE_END; index++)
        m->luma[index - LUMA_TABLE_MIN] = clip_u8(shift_floor(index * cy - (384 << 16) - oy + 0x8000, 16));
    return 0;
}

static uint8_t table_lookup(const matrix *m, int64_t index) {
    if (index < LUMA_TABLE_MIN) index = LUMA_TABLE_MIN;
    if (index >= LUMA_TABLE_END) index = LUMA_TABLE_END - 1;
    return m->luma[index - LUMA_TABLE_MIN];
}

// One RGB value of the full-resolution path: y9, u9, v9 carry 9 fractional bits (u, v centred
// on zero); the sums wrap at 32 bits like the reference's unsigned arithmetic, and a value with
// either top bit set clips (bit 31, i.e. negative, to 0; bit 30 to the maximum).
static uint8_t channel_30(uint32_t value) {
    if (value & 0x80000000u) return 0;
    if (value & 0x40000000u) return 255;
    return (uint8_t)(value >> 22);
}

static void write_full(const matrix *m, int32_t y9, int32_t u9, int32_t v9, uint8_t *out) {
    uint32_t y = (uint32_t)((y9 - m->y_offset) * m->y_gain + (1 << 21));
    uint32_t r = y + (uint32_t)v9 * (uint32_t)m->v_to_r;
    uint32_t g = y + (uint32_t)v9 * (uint32_t)m->v_to_g + (uint32_t)u9 * (uint32_t)m->u_to_g;
    uint32_t b = y + (uint32_t)u9 * (uint32_t)m->u_to_b;
    out[0] = channel_30(r);
    out[1] = channel_30(g);
    out[2] = channel_30(b);
}

// ---------------------------------------------------------------------------------------------
// Conversion
// ---------------------------------------------------------------------------------------------

// A chroma row as 15-bit samples at output width: widened, and interpolated when `h` is given.
static void chroma_row(const uint8_t *src, int src_len, const weights *h, int dst_len, int16_t *out) {
    if (h == NULL) {
        for (int x = 0; x < dst_len; x++) out[x] = (int16_t)(src[x] << 7);
        return;
    }
    for (int x = 0; x < dst_len; x++) {
        const int16_t *w = h->value + (size_t)x * h->taps;
        int64_t sum = 0;
        for (int j = 0; j < h->taps; j++)
            if (h->first[x] + j < src_len) sum += src[h->first[x] + j] * w[j];
        sum = shift_floor(sum, 7);
        out[x] = (int16_t)(sum > 32767 ? 32767 : sum);
    }
}

// Sample positions of the source chroma grid (1/256 pixel, per axis) for an AVChromaLocation.
static int chroma_siting(int location, int *x, int *y) {
    switch (location) {
    case 0: /* unspecified: FFmpeg 8 assumes centre */
    case 2: *x = 128; *y = 128; return 0;   // centre
    case 1: *x = 0;   *y = 128; return 0;   // left
    case 3: *x = 0;   *y = 0;   return 0;   // top-left
    case 4: *x = 128; *y = 0;   return 0;   // top
    case 5: *x = 0;   *y = 256; return 0;   // bottom-left
    case 6: *x = 128; *y = 256; return 0;   // bottom
    default: return -1;
    }
}

smol_yuv_status smol_yuv420p_to_rgb24(const uint8_t *y, int y_stride,
                                      const uint8_t *u, int u_stride,
                                      const uint8_t *v, int v_stride,
                                      int width, int height, int colorspace, int full_range,
                                      int chroma_location, uint8_t *rgb) {
    const int cw = (width + 1) / 2, ch = (height + 1) / 2;
    int site_x, site_y;
    if (y == NULL || u == NULL || v == NULL || rgb == NULL || width < 1 || height < 1 ||
        y_stride < width || u_stride < cw || v_stride < cw || chroma_siting(chroma_location, &site_x, &site_y) != 0)
        return SMOL_YUV_INVALID_ARGUMENT;
    if (height % 2 == 0) return SMOL_YUV_EVEN_HEIGHT;

    matrix *m = malloc(sizeof *m);
    if (m == NULL) return SMOL_YUV_OUT_OF_MEMORY;
    if (make_matrix(colorspace, full_range, m) != 0) {
        free(m);
        return SMOL_YUV_UNSUPPORTED_COLORSPACE;
    }

    // An odd width interpolates chroma to every pixel; an even width keeps one chroma sample per
    // pixel pair. Either way the output grid's samples sit at pixel centres.
    const int full_width = width & 1;
    const int row_len = full_width ? width : cw;
    const int src_x = (site_x + CENTRE) >> 1, src_y = (site_y + CENTRE) >> 1;
    weights h = {0}, vw = {0};
    int16_t *rows = NULL;
    smol_yuv_status status = SMOL_YUV_OUT_OF_MEMORY;

    const int widen_only = !full_width && src_x == CENTRE;
    if (!widen_only && make_weights(cw, row_len, ONE_H, 4, src_x, CENTRE, &h) != 0) goto done;
    if (make_weights(ch, height, ONE_V, 2, src_y, CENTRE, &vw) != 0) goto done;
    // Widened chroma rows, cached: the first tap only moves forward, so each row is made once.
    rows = malloc((size_t)2 * MAX_TAPS * (size_t)row_len * sizeof *rows);
    if (rows == NULL) goto done;
    int cached[MAX_TAPS];
    for (int s = 0; s < MAX_TAPS; s++) cached[s] = -1;

    for (int r = 0; r < height; r++) {
        const int taps = vw.taps;
        const int16_t *w = vw.value + (size_t)r * taps;
        int16_t *us[MAX_TAPS], *vs[MAX_TAPS];
        for (int j = 0; j < taps; j++) {
            int c = vw.first[r] + j;
            if (c >= ch) c = ch - 1;   // its weight is 0; any row will do
            int slot = 0;
            while (slot < MAX_TAPS && cached[slot] != c) slot++;
            if (slot == MAX_TAPS) {
                // Reuse the slot holding the row furthest behind; rows above first[r] are done with.
                slot = 0;
                for (int s = 1; s < MAX_TAPS; s++)
                    if (cached[s] < cached[slot]) slot = s;
                cached[slot] = c;
                chroma_row(u + (size_t)c * u_stride, cw, widen_only ? NULL : &h, row_len,
                           rows + (size_t)(2 * slot) * row_len);
                chroma_row(v + (size_t)c * v_stride, cw, widen_only ? NULL : &h, row_len,
                           rows + (size_t)(2 * slot + 1) * row_len);
            }
            us[j] = rows + (size_t)(2 * slot) * row_len;
            vs[j] = rows + (size_t)(2 * slot + 1) * row_len;
        }
        // Two taps summing to one go through the reference's two-row blend (no rounding term on
        // the full-width path); anything else through its general sum.
        const int blend = taps == 1 || (taps == 2 && w[0] + w[1] == ONE_V && (unsigned)w[1] <= ONE_V);
        const uint8_t *luma = y + (size_t)r * y_stride;
        uint8_t *out = rgb + (size_t)r * width * 3;

        for (int x = 0; x < row_len; x++) {
            int64_t su = 0, sv = 0;
            for (int j = 0; j < taps; j++) {
                su += (int64_t)us[j][x] * w[j];
                sv += (int64_t)vs[j][x] * w[j];
            }
            if (full_width) {
                const int64_t bias = blend ? 0 : 1 << 9;
                int32_t u9 = (int32_t)(shift_floor(su + bias, 10) - (128 << 9));
                int32_t v9 = (int32_t)(shift_floor(sv + bias, 10) - (128 << 9));
                write_full(m, luma[x] << 9, u9, v9, out + 3 * x);
            } else {
                uint8_t u8 = clip_u8(shift_floor(su + (1 << 18), 19));
                uint8_t v8 = clip_u8(shift_floor(sv + (1 << 18), 19));
                const int32_t r_off = m->base + m->r_of_v[v8];
                const int32_t g_off = m->base + m->g_of_u[u8] + m->g_of_v[v8];
                const int32_t b_off = m->base + m->b_of_u[u8];
                for (int k = 0; k < 2; k++) {
                    const int px = 2 * x + k;
                    out[3 * px + 0] = table_lookup(m, r_off + luma[px]);
                    out[3 * px + 1] = table_lookup(m, g_off + luma[px]);
                    out[3 * px + 2] = table_lookup(m, b_off + luma[px]);
                }
            }
        }
    }
    status = SMOL_YUV_OK;

done:
    free(rows);
    free_weights(&h);
    free_weights(&vw);
    free(m);
    return status;
}
