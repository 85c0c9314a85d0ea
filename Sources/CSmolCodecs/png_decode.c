#include "codec_internal.h"

#include <png.h>
#include <stdlib.h>
#include <string.h>

// libpng reports errors by longjmp to the jmp_buf of its png_struct. Only
// `decode_guarded` calls setjmp; it keeps no local state that changes after
// the call, and everything that must be freed lives in `png_context`, which
// the caller cleans up. So no longjmp ever leaves C or skips a free.

typedef struct png_context {
    const uint8_t *data;
    size_t size;
    size_t offset;
    uint64_t pixel_limit;
    /// Set when libpng asked for bytes past the end of the data.
    int ran_out_of_data;
    /// Set (with the message) by our own checks; otherwise derived from libpng's error.
    smol_codec_status status;
    smol_png_chunk_facts facts;
    smol_decoded_image *image;
    png_structp png;
    png_infop info;
    png_bytepp rows;
} png_context;

static void read_from_memory(png_structp png, png_bytep out, size_t count) {
    png_context *context = png_get_io_ptr(png);
    if (count > context->size - context->offset) {
        context->ran_out_of_data = 1;
        png_error(png, "the data ends before the image is complete");
    }
    memcpy(out, context->data + context->offset, count);
    context->offset += count;
}

static void record_error(png_structp png, png_const_charp message) {
    png_context *context = png_get_error_ptr(png);
    smol_set_message(context->image, "%s", message != NULL ? message : "libpng error");
    png_longjmp(png, 1);
}

static void ignore_warning(png_structp png, png_const_charp message) {
    // Pillow ignores what libpng would warn about (bad ancillary chunks,
    // palette indices past the palette); so do we, silently.
    (void)png;
    (void)message;
}

/// Copies the text of the last text chunk whose keyword is `key`.
static int copy_last_text(png_textp texts, int count, const char *key, uint8_t **buffer, size_t *size) {
    const char *found = NULL;
    for (int i = 0; i < count; i++) {
        if (texts[i].key != NULL && texts[i].text != NULL && strcmp(texts[i].key, key) == 0) {
            found = texts[i].text;
        }
    }
    if (found == NULL) {
        return 1;
    }
    // libpng NUL-terminates every text, compressed or not.
    return smol_replace_bytes(buffer, size, (const uint8_t *)found, strlen(found));
}

/// Reads IHDR, the pixels and the chunks after them. Returns 0 on failure.
static int decode_guarded(png_context *context) {
    png_structp png = context->png;
    png_infop info = context->info;
    smol_decoded_image *image = context->image;
    if (setjmp(png_jmpbuf(png))) {
        return 0;
    }

    png_read_info(png, info);
    png_uint_32 width = 0, height = 0;
    int bit_depth = 0, color_type = 0, interlace = 0;
    png_get_IHDR(png, info, &width, &height, &bit_depth, &color_type, &interlace, NULL, NULL);
    image->width = width;
    image->height = height;
    image->bit_depth = (uint32_t)bit_depth;
    image->png_color_type = color_type;
    image->png_interlaced = interlace != PNG_INTERLACE_NONE;
    if (smol_exceeds_pixel_limit(width, height, context->pixel_limit)) {
        context->status = SMOL_CODEC_TOO_MANY_PIXELS;
        smol_set_message(image, "%ux%u pixels", (unsigned)width, (unsigned)height);
        return 0;
    }

    // Only unpack sub-byte samples to one byte each (unscaled) and undo
    // Adam7; palette lookup, tRNS, 16-bit reduction and alpha are left to
    // the caller, which follows Pillow rather than libpng for each of them.
    if (bit_depth < 8) {
        png_set_packing(png);
    }
    png_set_interlace_handling(png);
    png_read_update_info(png, info);

    uint32_t channels = png_get_channels(png, info);
    uint32_t bytes_per_sample = bit_depth == 16 ? 2 : 1;
    size_t row_bytes = 0, total = 0, row_table = 0;
    if (!smol_checked_product(&row_bytes, width, channels, bytes_per_sample) ||
        png_get_rowbytes(png, info) != row_bytes) {
        context->status = SMOL_CODEC_CORRUPT;
        smol_set_message(image, "unexpected row layout");
        return 0;
    }
    if (!smol_checked_product(&total, row_bytes, height, 1) ||
        !smol_checked_product(&row_table, height, sizeof(png_bytep), 1)) {
        context->status = SMOL_CODEC_OUT_OF_MEMORY;
        smol_set_message(image, "%ux%u pixels do not fit in memory", (unsigned)width, (unsigned)height);
        return 0;
    }
    image->channels = channels;
    image->samples = malloc(total > 0 ? total : 1);
    context->rows = malloc(row_table > 0 ? row_table : 1);
    if (image->samples == NULL || context->rows == NULL) {
        context->status = SMOL_CODEC_OUT_OF_MEMORY;
        smol_set_message(image, "cannot allocate %zu bytes", total);
        return 0;
    }
    image->samples_size = total;
    for (png_uint_32 y = 0; y < height; y++) {
        context->rows[y] = image->samples + (size_t)y * row_bytes;
    }
    png_read_image(png, context->rows);
    // Reads up to IEND, so that text chunks after the pixels count (Pillow
    // reads them too) and a missing IEND is reported as truncation.
    png_read_end(png, info);

    if (color_type == PNG_COLOR_TYPE_PALETTE) {
        png_colorp palette = NULL;
        int count = 0;
        if (png_get_PLTE(png, info, &palette, &count) == PNG_INFO_PLTE && palette != NULL) {
            if (count > 256) {
                count = 256;
            }
            for (int i = 0; i < count; i++) {
                image->palette[3 * i] = palette[i].red;
                image->palette[3 * i + 1] = palette[i].green;
                image->palette[3 * i + 2] = palette[i].blue;
            }
            image->palette_count = (uint32_t)count;
        }
    }

    png_textp texts = NULL;
    int text_count = png_get_text(png, info, &texts, NULL);
    if (!copy_last_text(texts, text_count, "XML:com.adobe.xmp", &image->xmp, &image->xmp_size) ||
        !copy_last_text(texts, text_count, "Raw profile type exif", &image->exif_profile_text,
                        &image->exif_profile_text_size)) {
        context->status = SMOL_CODEC_OUT_OF_MEMORY;
        smol_set_message(image, "cannot copy text metadata");
        return 0;
    }
    return 1;
}

/// The status for a failed decode that our own checks did not classify.
static smol_codec_status classify_libpng_failure(png_context *context) {
    if (context->ran_out_of_data) {
        return SMOL_CODEC_TRUNCATED;
    }
    // libpng 1.6 raises "Not enough image data" both when the compressed
    // stream ends early and when the IDAT chunks are empty. The first is a
    // truncated image; the second never had one.
    if (strcmp(context->image->message, "Not enough image data") == 0) {
        if (context->facts.idat_bytes > 0) {
            return SMOL_CODEC_TRUNCATED;
        }
        smol_set_message(context->image, "the IDAT chunks hold no image data");
        return SMOL_CODEC_CORRUPT;
    }
    if (strcmp(context->image->message, "Out of memory") == 0 ||
        strcmp(context->image->message, "Insufficient memory") == 0) {
        return SMOL_CODEC_OUT_OF_MEMORY;
    }
    return SMOL_CODEC_CORRUPT;
}

/// Checks what the bytes alone can tell before libpng runs, so that size
/// problems get their own status and nothing is allocated for a huge image.
static smol_codec_status precheck(png_context *context) {
    smol_decoded_image *image = context->image;
    if (context->size < 8 || png_sig_cmp(context->data, 0, 8) != 0) {
        smol_set_message(image, "missing PNG signature");
        return context->size < 8 ? SMOL_CODEC_TRUNCATED : SMOL_CODEC_CORRUPT;
    }
    smol_png_scan_chunks(context->data, context->size, &context->facts);
    if (context->facts.has_ihdr) {
        uint32_t width = context->facts.ihdr_width, height = context->facts.ihdr_height;
        // Values above 2^31 - 1 are invalid PNG; libpng reports them as corrupt.
        if (width <= 0x7FFFFFFFu && height <= 0x7FFFFFFFu) {
            image->width = width;
            image->height = height;
            if (width == 0 || height == 0) {
                smol_set_message(image, "IHDR states %ux%u pixels", (unsigned)width, (unsigned)height);
                return SMOL_CODEC_INVALID_DIMENSIONS;
            }
            if (smol_exceeds_pixel_limit(width, height, context->pixel_limit)) {
                smol_set_message(image, "IHDR states %ux%u pixels", (unsigned)width, (unsigned)height);
                return SMOL_CODEC_TOO_MANY_PIXELS;
            }
        }
    }
    return SMOL_CODEC_OK;
}

smol_codec_status smol_decode_png(const uint8_t *data, size_t size, uint64_t pixel_limit,
                                  smol_decoded_image *image) {
    memset(image, 0, sizeof *image);
    image->png_color_type = -1;
    png_context context;
    memset(&context, 0, sizeof context);
    context.data = data;
    context.size = size;
    context.pixel_limit = pixel_limit;
    context.image = image;

    smol_codec_status status = precheck(&context);
    if (status != SMOL_CODEC_OK) {
        return status;
    }

    context.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &context, record_error, ignore_warning);
    if (context.png != NULL) {
        context.info = png_create_info_struct(context.png);
    }
    if (context.png == NULL || context.info == NULL) {
        png_destroy_read_struct(&context.png, &context.info, NULL);
        smol_set_message(image, "cannot create the libpng decoder");
        return SMOL_CODEC_OUT_OF_MEMORY;
    }
    png_set_read_fn(context.png, &context, read_from_memory);
    // No per-side limit beyond PNG's own 2^31 - 1: the pixel limit decides.
    png_set_user_limits(context.png, 0x7FFFFFFF, 0x7FFFFFFF);
    // A bad CRC is an error in any chunk (libpng would skip bad ancillary
    // chunks; Pillow rejects them).
    png_set_crc_action(context.png, PNG_CRC_DEFAULT, PNG_CRC_ERROR_QUIT);
    png_set_benign_errors(context.png, 1);

    if (decode_guarded(&context)) {
        status = SMOL_CODEC_OK;
        if (context.facts.trns != NULL) {
            size_t count = context.facts.trns_size < sizeof image->trns ? context.facts.trns_size
                                                                        : sizeof image->trns;
            memcpy(image->trns, context.facts.trns, count);
            image->trns_size = (uint32_t)count;
            image->has_trns = 1;
        }
        if (context.facts.exif != NULL &&
            !smol_replace_bytes(&image->exif, &image->exif_size, context.facts.exif, context.facts.exif_size)) {
            smol_set_message(image, "cannot copy the eXIf chunk");
            status = SMOL_CODEC_OUT_OF_MEMORY;
        }
    } else {
        status = context.status != SMOL_CODEC_OK ? context.status : classify_libpng_failure(&context);
    }
    png_destroy_read_struct(&context.png, &context.info, NULL);
    free(context.rows);
    if (status != SMOL_CODEC_OK) {
        smol_decoded_image_free(image);
    }
    return status;
}
