#include "codec_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void smol_set_message(smol_decoded_image *image, const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(image->message, sizeof image->message, format, arguments);
    va_end(arguments);
}

int smol_exceeds_pixel_limit(uint64_t width, uint64_t height, uint64_t limit) {
    // Widths and heights are at most 32-bit, so the product fits in 64 bits.
    return width * height > limit;
}

int smol_checked_product(size_t *result, uint64_t a, uint64_t b, uint64_t c) {
    uint64_t ab, abc;
    if (__builtin_mul_overflow(a, b, &ab) || __builtin_mul_overflow(ab, c, &abc) || abc > SIZE_MAX) {
        return 0;
    }
    *result = (size_t)abc;
    return 1;
}

int smol_replace_bytes(uint8_t **buffer, size_t *buffer_size, const uint8_t *bytes, size_t size) {
    // malloc(0) may return NULL, so always allocate at least one byte.
    uint8_t *copy = malloc(size > 0 ? size : 1);
    if (copy == NULL) {
        return 0;
    }
    if (size > 0) {
        memcpy(copy, bytes, size);
    }
    free(*buffer);
    *buffer = copy;
    *buffer_size = size;
    return 1;
}

int smol_append_bytes(uint8_t **buffer, size_t *buffer_size, const uint8_t *bytes, size_t size) {
    if (size > SIZE_MAX - *buffer_size) {
        return 0;
    }
    size_t total = *buffer_size + size;
    uint8_t *grown = realloc(*buffer, total > 0 ? total : 1);
    if (grown == NULL) {
        return 0;
    }
    if (size > 0) {
        memcpy(grown + *buffer_size, bytes, size);
    }
    *buffer = grown;
    *buffer_size = total;
    return 1;
}

void smol_decoded_image_free(smol_decoded_image *image) {
    if (image == NULL) {
        return;
    }
    free(image->samples);
    free(image->exif);
    free(image->xmp);
    free(image->exif_profile_text);
    image->samples = NULL;
    image->samples_size = 0;
    image->exif = NULL;
    image->exif_size = 0;
    image->xmp = NULL;
    image->xmp_size = 0;
    image->exif_profile_text = NULL;
    image->exif_profile_text_size = 0;
}
