#include "codec_internal.h"

#include <setjmp.h>
#include <stdio.h> // jpeglib.h uses FILE without including it
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

// libjpeg's default error_exit prints and calls exit(); ours records the
// message and longjmps back to `decode_guarded`, the only function that calls
// setjmp. It keeps no local state that changes after the call; everything to
// free lives in `jpeg_context`, which the caller cleans up.

/// More scans than any real encoder writes. A crafted progressive file can
/// hold hundreds of thousands of tiny scans, each costing a pass over the
/// whole image, so this bounds the decoding time (libjpeg-turbo's own tools
/// offer the same guard as -maxscans).
enum { MAX_SCANS = 1000 };

static const uint8_t exif_header[6] = {'E', 'x', 'i', 'f', 0, 0};
static const char xmp_header[] = "http://ns.adobe.com/xap/1.0/"; // followed by a NUL

typedef struct jpeg_context {
    struct jpeg_decompress_struct decompressor;
    struct jpeg_error_mgr errors;
    struct jpeg_source_mgr source;
    struct jpeg_progress_mgr progress;
    jmp_buf jump;
    uint64_t pixel_limit;
    /// Set (with the message) by our own checks; otherwise by `fail`.
    smol_codec_status status;
    smol_decoded_image *image;
} jpeg_context;

static smol_codec_status classify(int message_code) {
    switch (message_code) {
    case JERR_INPUT_EOF:
        return SMOL_CODEC_TRUNCATED;
    case JERR_EMPTY_IMAGE:
        return SMOL_CODEC_INVALID_DIMENSIONS;
    case JERR_OUT_OF_MEMORY:
        return SMOL_CODEC_OUT_OF_MEMORY;
    case JERR_BAD_PRECISION:     // 12- or 16-bit samples
    case JERR_IMAGE_TOO_BIG:     // a side above libjpeg's 65500
    case JERR_ARITH_NOTIMPL:
    case JERR_NOT_COMPILED:
    case JERR_NOTIMPL:
    case JERR_CCIR601_NOTIMPL:
    case JERR_CONVERSION_NOTIMPL:
        return SMOL_CODEC_UNSUPPORTED;
    default:
        return SMOL_CODEC_CORRUPT;
    }
}

static void fail(j_common_ptr common) {
    jpeg_context *context = common->client_data;
    char text[JMSG_LENGTH_MAX];
    (*common->err->format_message)(common, text);
    smol_set_message(context->image, "%s", text);
    if (common->is_decompressor && context->image->width == 0 && context->image->height == 0) {
        // The SOF fields are read before libjpeg checks them, so a
        // zero-size error can still name the size.
        j_decompress_ptr decompressor = (j_decompress_ptr)common;
        context->image->width = decompressor->image_width;
        context->image->height = decompressor->image_height;
    }
    if (context->status == SMOL_CODEC_OK) {
        context->status = classify(common->err->msg_code);
    }
    longjmp(context->jump, 1);
}

static void ignore_message(j_common_ptr common) {
    // Warnings about corrupt data are not errors for Pillow either; and the
    // default handler would print to stderr.
    (void)common;
}

static void source_start(j_decompress_ptr decompressor) {
    (void)decompressor;
}

static boolean source_fill(j_decompress_ptr decompressor) {
    // The whole file is in the buffer from the start, so a request for more
    // means it is truncated. (libjpeg's memory source would instead invent an
    // EOI and return a partial image.)
    ERREXIT(decompressor, JERR_INPUT_EOF);
    return FALSE;
}

static void source_skip(j_decompress_ptr decompressor, long count) {
    struct jpeg_source_mgr *source = decompressor->src;
    if (count <= 0) {
        return;
    }
    if ((unsigned long)count > source->bytes_in_buffer) {
        ERREXIT(decompressor, JERR_INPUT_EOF);
    }
    source->next_input_byte += count;
    source->bytes_in_buffer -= (size_t)count;
}

static void source_end(j_decompress_ptr decompressor) {
    (void)decompressor;
}

static void check_progress(j_common_ptr common) {
    jpeg_context *context = common->client_data;
    j_decompress_ptr decompressor = (j_decompress_ptr)common;
    if (decompressor->input_scan_number > MAX_SCANS) {
        context->status = SMOL_CODEC_CORRUPT;
        smol_set_message(context->image, "more than %d scans", MAX_SCANS);
        longjmp(context->jump, 1);
    }
}

/// Collects EXIF and XMP from the APP1 segments saved before the first scan,
/// as Pillow does: every "Exif\0\0" segment, the first whole and later ones
/// without their header; the last XMP packet.
static int collect_metadata(jpeg_context *context) {
    smol_decoded_image *image = context->image;
    size_t xmp_prefix = sizeof xmp_header; // including the NUL
    for (jpeg_saved_marker_ptr marker = context->decompressor.marker_list; marker != NULL; marker = marker->next) {
        if (marker->marker != JPEG_APP0 + 1 || marker->data == NULL) {
            continue;
        }
        const uint8_t *bytes = marker->data;
        size_t length = marker->data_length;
        if (length >= sizeof exif_header && memcmp(bytes, exif_header, sizeof exif_header) == 0) {
            int appended = image->exif == NULL
                ? smol_replace_bytes(&image->exif, &image->exif_size, bytes, length)
                : smol_append_bytes(&image->exif, &image->exif_size, bytes + sizeof exif_header,
                                    length - sizeof exif_header);
            if (!appended) {
                return 0;
            }
        } else if (length >= xmp_prefix && memcmp(bytes, xmp_header, xmp_prefix) == 0) {
            if (!smol_replace_bytes(&image->xmp, &image->xmp_size, bytes + xmp_prefix, length - xmp_prefix)) {
                return 0;
            }
        }
    }
    return 1;
}

static uint32_t color_space_code(J_COLOR_SPACE space) {
    switch (space) {
    case JCS_GRAYSCALE: return SMOL_JPEG_GRAYSCALE;
    case JCS_YCbCr: return SMOL_JPEG_YCBCR;
    case JCS_RGB: return SMOL_JPEG_RGB;
    case JCS_CMYK: return SMOL_JPEG_CMYK;
    case JCS_YCCK: return SMOL_JPEG_YCCK;
    default: return SMOL_JPEG_UNKNOWN;
    }
}

/// Reads the header, checks the size, decodes every row. Returns 0 on failure.
static int decode_guarded(jpeg_context *context, const uint8_t *data, size_t size) {
    j_decompress_ptr decompressor = &context->decompressor;
    smol_decoded_image *image = context->image;
    if (setjmp(context->jump)) {
        return 0;
    }

    jpeg_create_decompress(decompressor);
    context->source.init_source = source_start;
    context->source.fill_input_buffer = source_fill;
    context->source.skip_input_data = source_skip;
    context->source.resync_to_restart = jpeg_resync_to_restart;
    context->source.term_source = source_end;
    context->source.next_input_byte = data;
    context->source.bytes_in_buffer = size;
    decompressor->src = &context->source;
    context->progress.progress_monitor = check_progress;
    decompressor->progress = &context->progress;
    jpeg_save_markers(decompressor, JPEG_APP0 + 1, 0xFFFF);

    jpeg_read_header(decompressor, TRUE);
    image->width = decompressor->image_width;
    image->height = decompressor->image_height;
    image->bit_depth = 8;
    image->jpeg_color_space = color_space_code(decompressor->jpeg_color_space);
    image->jpeg_saw_adobe_marker = decompressor->saw_Adobe_marker != 0;
    image->jpeg_adobe_transform = decompressor->Adobe_transform;
    if (smol_exceeds_pixel_limit(decompressor->image_width, decompressor->image_height, context->pixel_limit)) {
        context->status = SMOL_CODEC_TOO_MANY_PIXELS;
        smol_set_message(image, "SOF states %ux%u pixels", decompressor->image_width, decompressor->image_height);
        return 0;
    }

    // Pillow's choices: grey stays grey, three components become RGB, four
    // come out as libjpeg's CMYK (YCCK converted); other counts it rejects.
    switch (decompressor->num_components) {
    case 1: decompressor->out_color_space = JCS_GRAYSCALE; break;
    case 3: decompressor->out_color_space = JCS_RGB; break;
    case 4: decompressor->out_color_space = JCS_CMYK; break;
    default:
        context->status = SMOL_CODEC_UNSUPPORTED;
        smol_set_message(image, "%d colour components", decompressor->num_components);
        return 0;
    }
    if (!collect_metadata(context)) {
        context->status = SMOL_CODEC_OUT_OF_MEMORY;
        smol_set_message(image, "cannot copy the EXIF or XMP segments");
        return 0;
    }

    jpeg_start_decompress(decompressor);
    uint32_t channels = (uint32_t)decompressor->output_components;
    size_t row_bytes = 0, total = 0;
    if (decompressor->output_width != decompressor->image_width ||
        decompressor->output_height != decompressor->image_height ||
        channels != (uint32_t)decompressor->num_components) {
        context->status = SMOL_CODEC_CORRUPT;
        smol_set_message(image, "unexpected output layout");
        return 0;
    }
    if (!smol_checked_product(&row_bytes, decompressor->output_width, channels, 1) ||
        !smol_checked_product(&total, row_bytes, decompressor->output_height, 1)) {
        context->status = SMOL_CODEC_OUT_OF_MEMORY;
        smol_set_message(image, "%ux%u pixels do not fit in memory", image->width, image->height);
        return 0;
    }
    image->channels = channels;
    image->samples = malloc(total > 0 ? total : 1);
    if (image->samples == NULL) {
        context->status = SMOL_CODEC_OUT_OF_MEMORY;
        smol_set_message(image, "cannot allocate %zu bytes", total);
        return 0;
    }
    image->samples_size = total;
    while (decompressor->output_scanline < decompressor->output_height) {
        JSAMPROW row = image->samples + (size_t)decompressor->output_scanline * row_bytes;
        if (jpeg_read_scanlines(decompressor, &row, 1) != 1) {
            // Only a suspending data source returns no row; ours never suspends.
            context->status = SMOL_CODEC_CORRUPT;
            smol_set_message(image, "libjpeg returned no row");
            return 0;
        }
    }
    // Reads up to EOI: a file without one is truncated, as in Pillow.
    jpeg_finish_decompress(decompressor);
    return 1;
}

smol_codec_status smol_decode_jpeg(const uint8_t *data, size_t size, uint64_t pixel_limit,
                                   smol_decoded_image *image) {
    memset(image, 0, sizeof *image);
    image->png_color_type = -1;
    // Zeroed, so that destroying is safe whatever point a failure came from.
    jpeg_context *context = calloc(1, sizeof *context);
    if (context == NULL) {
        smol_set_message(image, "cannot allocate the JPEG decoder");
        return SMOL_CODEC_OUT_OF_MEMORY;
    }
    context->pixel_limit = pixel_limit;
    context->image = image;
    context->decompressor.err = jpeg_std_error(&context->errors);
    context->errors.error_exit = fail;
    context->errors.output_message = ignore_message;
    context->decompressor.client_data = context;

    smol_codec_status status = decode_guarded(context, data, size) ? SMOL_CODEC_OK : context->status;
    jpeg_destroy_decompress(&context->decompressor);
    free(context);
    if (status != SMOL_CODEC_OK) {
        smol_decoded_image_free(image);
    }
    return status;
}
