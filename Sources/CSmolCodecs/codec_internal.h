#ifndef SMOL_CODEC_INTERNAL_H
#define SMOL_CODEC_INTERNAL_H

// Helpers shared by the PNG and JPEG decoders; not part of the module's API.

#include "smol_codecs.h"

/// Writes a printf-style message into `image->message` (truncating safely).
void smol_set_message(smol_decoded_image *image, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/// Whether `width * height` exceeds `limit` (computed without overflow).
int smol_exceeds_pixel_limit(uint64_t width, uint64_t height, uint64_t limit);

/// `a * b * c` as a size_t in `*result`; returns 0 when it does not fit.
int smol_checked_product(size_t *result, uint64_t a, uint64_t b, uint64_t c);

/// Replaces `*buffer` with a malloc'd copy of `bytes`; returns 0 when out of memory.
int smol_replace_bytes(uint8_t **buffer, size_t *buffer_size, const uint8_t *bytes, size_t size);

/// Appends `bytes` to the malloc'd `*buffer`; returns 0 when out of memory
/// or when the total size would overflow.
int smol_append_bytes(uint8_t **buffer, size_t *buffer_size, const uint8_t *bytes, size_t size);

/// What a PNG's chunk list says, read directly from the bytes (libpng does
/// not report these the way Pillow reads them).
typedef struct smol_png_chunk_facts {
    /// Whether a complete IHDR chunk opens the file, and its size fields.
    int has_ihdr;
    uint32_t ihdr_width;
    uint32_t ihdr_height;
    /// Total payload of the complete IDAT chunks.
    uint64_t idat_bytes;
    /// The last complete tRNS and eXIf chunks (pointers into the data).
    const uint8_t *trns;
    size_t trns_size;
    const uint8_t *exif;
    size_t exif_size;
} smol_png_chunk_facts;

/// Walks the chunks after the 8-byte signature up to IEND, stopping quietly at
/// the first chunk that is incomplete or longer than PNG allows; libpng
/// reports those problems when it decodes.
void smol_png_scan_chunks(const uint8_t *data, size_t size, smol_png_chunk_facts *facts);

#endif
