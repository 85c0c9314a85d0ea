#include "codec_internal.h"

#include <string.h>

static uint32_t read_be32(const uint8_t *bytes) {
    return ((uint32_t)bytes[0] << 24) | ((uint32_t)bytes[1] << 16) | ((uint32_t)bytes[2] << 8) | bytes[3];
}

void smol_png_scan_chunks(const uint8_t *data, size_t size, smol_png_chunk_facts *facts) {
    memset(facts, 0, sizeof *facts);
    size_t offset = 8; // after the signature
    int first = 1;
    // Each step needs the 8-byte header, the payload and the 4-byte CRC in
    // the buffer; every subtraction below is guarded by the one before it.
    while (offset <= size && size - offset >= 12) {
        uint32_t length = read_be32(data + offset);
        const uint8_t *type = data + offset + 4;
        const uint8_t *payload = data + offset + 8;
        if (length > 0x7FFFFFFFu || length > size - offset - 12) {
            return;
        }
        if (first && memcmp(type, "IHDR", 4) == 0 && length == 13) {
            facts->has_ihdr = 1;
            facts->ihdr_width = read_be32(payload);
            facts->ihdr_height = read_be32(payload + 4);
        }
        first = 0;
        if (memcmp(type, "IDAT", 4) == 0) {
            facts->idat_bytes += length;
        } else if (memcmp(type, "tRNS", 4) == 0) {
            facts->trns = payload;
            facts->trns_size = length;
        } else if (memcmp(type, "eXIf", 4) == 0) {
            facts->exif = payload;
            facts->exif_size = length;
        } else if (memcmp(type, "IEND", 4) == 0) {
            return;
        }
        offset += 12 + (size_t)length;
    }
}
