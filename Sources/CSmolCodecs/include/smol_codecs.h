#ifndef SMOL_CODECS_H
#define SMOL_CODECS_H

// PNG and JPEG decoding from a memory buffer, for SmolVision.
//
// libpng and libjpeg report errors by longjmp, which must never cross a Swift
// frame. These functions catch every such jump in C and return a status code
// and message instead. They decode to raw samples with as few library
// transforms as possible; SmolVision converts them to RGB as Pillow does.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Outcome of a decode.
typedef enum smol_codec_status {
    SMOL_CODEC_OK = 0,
    /// The data ends before the image is complete.
    SMOL_CODEC_TRUNCATED = 1,
    /// Structurally invalid data (bad CRC, chunk, marker or compressed stream).
    SMOL_CODEC_CORRUPT = 2,
    /// The header states a zero width or height.
    SMOL_CODEC_INVALID_DIMENSIONS = 3,
    /// width × height exceeds the caller's pixel limit (checked before decoding).
    SMOL_CODEC_TOO_MANY_PIXELS = 4,
    /// A valid file using a feature the decoder does not handle (e.g. 12-bit JPEG).
    SMOL_CODEC_UNSUPPORTED = 5,
    /// An allocation failed.
    SMOL_CODEC_OUT_OF_MEMORY = 6,
} smol_codec_status;

/// The colour space libjpeg found in a JPEG file (from its markers).
typedef enum smol_jpeg_color_space {
    SMOL_JPEG_UNKNOWN = 0,
    SMOL_JPEG_GRAYSCALE = 1,
    SMOL_JPEG_YCBCR = 2,
    SMOL_JPEG_RGB = 3,
    SMOL_JPEG_CMYK = 4,
    SMOL_JPEG_YCCK = 5,
} smol_jpeg_color_space;

/// A decoded image and the file facts needed to convert it.
///
/// `samples` holds `height` rows of `width * channels` samples. Samples of 8 or
/// fewer bits take one byte each, unscaled (a 2-bit grey sample is 0...3); 16-bit
/// samples take two bytes, big-endian. Free with `smol_decoded_image_free`.
typedef struct smol_decoded_image {
    /// Stored size. Set from the header even when the decode fails later, so
    /// that dimension and pixel-limit errors can name it.
    uint32_t width;
    uint32_t height;
    /// Samples per pixel: 1 (grey or palette index), 2 (grey + alpha), 3, 4.
    uint32_t channels;
    /// Bits per sample as stored: 1, 2, 4, 8 or 16.
    uint32_t bit_depth;
    uint8_t *samples;
    size_t samples_size;

    /// PNG colour type (0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGBA); -1 for JPEG.
    int32_t png_color_type;
    /// Whether the PNG was Adam7-interlaced (the samples are already de-interlaced).
    uint32_t png_interlaced;
    /// PLTE entries (RGB triples) of a palette PNG.
    uint32_t palette_count;
    uint8_t palette[256 * 3];
    /// Raw payload of the last tRNS chunk, as stored (palette alphas or a
    /// 16-bit big-endian grey / RGB key). `has_trns` says whether one exists.
    uint32_t has_trns;
    uint32_t trns_size;
    uint8_t trns[256];

    /// JPEG colour space of the file; the samples are grey (1 channel), RGB (3)
    /// or CMYK as libjpeg outputs it (4, Adobe-inverted when the writer was Adobe).
    uint32_t jpeg_color_space;
    uint32_t jpeg_saw_adobe_marker;
    uint32_t jpeg_adobe_transform;

    /// EXIF: PNG eXIf payload (last chunk), or the JPEG APP1 "Exif\0\0" segments
    /// before the first scan, concatenated as Pillow does (the first whole, later
    /// ones without their 6-byte header). NULL when absent.
    uint8_t *exif;
    size_t exif_size;
    /// XMP packet: JPEG APP1 after "http://ns.adobe.com/xap/1.0/\0", or the
    /// text of the last PNG text chunk keyed "XML:com.adobe.xmp". NULL when absent.
    uint8_t *xmp;
    size_t xmp_size;
    /// Text of the last PNG text chunk keyed "Raw profile type exif" (ImageMagick's
    /// hex-encoded EXIF). NULL when absent.
    uint8_t *exif_profile_text;
    size_t exif_profile_text_size;

    /// NUL-terminated detail for a failed decode.
    char message[256];
} smol_decoded_image;

/// Decodes a PNG. Never reads outside `data[0..<size]`; refuses images with
/// more than `pixel_limit` pixels before allocating pixel memory. On failure
/// `image` owns nothing but must still be passed to `smol_decoded_image_free`.
smol_codec_status smol_decode_png(const uint8_t *data, size_t size, uint64_t pixel_limit,
                                  smol_decoded_image *image);

/// Decodes a baseline, progressive or arithmetic-coded 8-bit JPEG with 1, 3 or 4
/// components, with libjpeg's default (ISLOW, fancy upsampling) settings.
/// Same guarantees as `smol_decode_png`.
smol_codec_status smol_decode_jpeg(const uint8_t *data, size_t size, uint64_t pixel_limit,
                                   smol_decoded_image *image);

/// Frees the buffers of `image` and resets its pointers. Safe to call twice.
void smol_decoded_image_free(smol_decoded_image *image);

#ifdef __cplusplus
}
#endif

#endif
