#ifndef SMOL_YUV_TO_RGB_H
#define SMOL_YUV_TO_RGB_H

// yuv420p → packed RGB24 exactly as the reference (transformers' PyAV loader:
// VideoFrame.to_ndarray(format="rgb24"), libswscale 9 from FFmpeg 8, SWS_BILINEAR)
// converts frames with an ODD HEIGHT.
//
// For an odd height libswscale leaves its unscaled special converter and takes
// the generic scaler, which interpolates chroma; older libswscale versions
// (Debian 12's 6.7) interpolate differently, up to 125 RGB steps apart. Even
// heights take the special converter, which the system libswscale reproduces
// bit for bit; this function does not model that path.

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum smol_yuv_status {
    SMOL_YUV_OK = 0,
    /// A NULL plane, a size below 1, a stride shorter than its plane's row or an unknown chroma location.
    SMOL_YUV_INVALID_ARGUMENT = 1,
    /// A colour matrix FFmpeg 8 refuses for this conversion (it supports AVColorSpace
    /// 1 BT.709, 2 unspecified, 4 FCC, 5 BT.470BG, 6 SMPTE 170M, 7 SMPTE 240M, 9 BT.2020 NCL).
    SMOL_YUV_UNSUPPORTED_COLORSPACE = 2,
    SMOL_YUV_OUT_OF_MEMORY = 3,
    /// An even height: the reference takes libswscale's unscaled converter there, which this
    /// function does not model (the system libswscale reproduces it; use that).
    SMOL_YUV_EVEN_HEIGHT = 4,
} smol_yuv_status;

/// Converts one 8-bit 4:2:0 frame to RGB24 (`rgb`: width × height × 3 bytes, rows packed).
/// `u` and `v` hold ceil(width / 2) × ceil(height / 2) samples. From the frame: `colorspace` is
/// its AVColorSpace, `full_range` is nonzero for AVCOL_RANGE_JPEG (and yuvj420p), and
/// `chroma_location` its AVChromaLocation (unspecified counts as centre, as in FFmpeg 8; a
/// left-sited frame converts up to 124 steps differently from a centred one).
smol_yuv_status smol_yuv420p_to_rgb24(const uint8_t *y, int y_stride,
                                      const uint8_t *u, int u_stride,
                                      const uint8_t *v, int v_stride,
                                      int width, int height, int colorspace, int full_range,
                                      int chroma_location, uint8_t *rgb);

#ifdef __cplusplus
}
#endif

#endif
