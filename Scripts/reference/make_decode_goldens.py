#!/usr/bin/env python3
"""Image-decoding goldens for SmolVision: small PNG/JPEG files and what transformers makes of them.

Writes Tests/SmolVisionTests/Fixtures/decode/:

  <name>.<png|jpg>                 the encoded file (made here with Pillow, or with the tiny PNG writer
                                   below where Pillow cannot write the variant)
  <name>.expected.safetensors      U8 tensors, each [H, W, C] row-major after EXIF orientation:
                                     rgb            transformers.image_utils.load_image(path): Pillow
                                                    ImageOps.exif_transpose, then .convert("RGB")
                                                    (alpha and tRNS are DROPPED, not composited)
                                     rgb_over_white only for files with alpha/tRNS: exif_transpose, then
                                                    transformers.image_transforms.convert_to_rgb (what
                                                    the SmolVLM image processor does to a PIL image:
                                                    RGBA, alpha_composite over opaque white, RGB)
                                     cmyk           only for 4-component JPEGs: Pillow's CMYK decode
                                                    (Adobe inversion already undone), before CMYK->RGB
                                     rgb_msb        only for 16-bit grey PNGs: the high byte of each
                                                    sample, i.e. what libpng's png_set_strip_16 gives;
                                                    Pillow CLIPS instead (see cases.json "quirk")
  cases.json                       one entry per file: format, Pillow mode, stored and oriented size,
                                   EXIF orientation, container facts parsed from the bytes (IHDR, SOF,
                                   sampling factors, restart interval, Adobe transform), which tensors
                                   apply
  malformed/<name>.<ext>           corrupt, truncated, bomb-sized or unsupported files
  malformed/cases.json             what each one is, what Pillow does with it (open / load / load with
                                   LOAD_TRUNCATED_IMAGES) and the error category the Swift side should map
                                   it to

Everything is deterministic: numpy PCG64 patterns with fixed seeds, Pillow's encoders with fixed options,
zlib at a fixed level. The real photos are scikit-image's bundled CC0 / public-domain samples, downscaled.

Usage (from the repository root):
    Scripts/reference/.venv/bin/python Scripts/reference/make_decode_goldens.py
    Scripts/reference/.venv/bin/python Scripts/reference/make_decode_goldens.py --check   # compare only
"""

from __future__ import annotations

import io
import struct
import sys
import warnings
import zlib
from pathlib import Path

import numpy as np
import PIL
import PIL.features
import skimage
from PIL import Image, ImageCms, ImageFile, ImageOps
from safetensors.numpy import save_file
from transformers.image_transforms import convert_to_rgb
from transformers.image_utils import load_image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden_io import REPO_ROOT, command_line, skimage_data, tensors_within, write_sorted_json  # noqa: E402

OUT = REPO_ROOT / "Tests" / "SmolVisionTests" / "Fixtures" / "decode"
SKIMAGE_DATA = skimage_data()


# ---------------------------------------------------------------------------------------------------
# Synthetic content
# ---------------------------------------------------------------------------------------------------


def pattern_rgb(width: int, height: int, seed: int) -> np.ndarray:
    """A small test card: smooth gradients (exercise chroma subsampling and rounding), a disc and
    stripes (sharp edges), plus three distinct corner marks, so that any flip or transpose of the
    decoded image is visible in a diff. uint8 [H, W, 3]."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    u, v = x / max(width - 1, 1), y / max(height - 1, 1)
    img = np.stack([255 * u, 255 * v, 255 * (1 - u) * (1 - v) + 60 * np.sin(7 * u + 3 * v)], axis=-1)
    cx, cy, r = width * 0.55, height * 0.5, min(width, height) * 0.28
    disc = (x - cx) ** 2 + (y - cy) ** 2 <= r * r
    img[disc] = rng.integers(40, 220, 3)
    stripes = ((x.astype(int) // 3) % 2 == 0) & (y < height / 4)
    img[stripes] *= 0.6
    s = max(2, min(width, height) // 6)
    img[:s, :s] = (255, 0, 0)           # top-left red
    img[:s, -s:] = (0, 255, 0)          # top-right green
    img[-s:, :s] = (0, 0, 255)          # bottom-left blue
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def pattern_gray(width: int, height: int, seed: int) -> np.ndarray:
    """Luma of pattern_rgb (ITU-R 601 weights), uint8 [H, W]."""
    rgb = pattern_rgb(width, height, seed).astype(np.float64)
    return np.clip(np.rint(rgb @ [0.299, 0.587, 0.114]), 0, 255).astype(np.uint8)


def alpha_ramp(width: int, height: int) -> np.ndarray:
    """Alpha covering every regime: fully transparent left column band, opaque right band, a ramp
    in between and a diagonal of alpha=1 / alpha=254 pixels (off-by-one traps in compositing)."""
    a = np.clip(np.rint(np.linspace(-40, 300, width))[None, :].repeat(height, 0), 0, 255)
    idx = np.arange(min(width, height))
    a[idx, idx] = np.where(idx % 2 == 0, 1, 254)
    return a.astype(np.uint8)


def photo(name: str, max_side: int = 256) -> Image.Image:
    """One of scikit-image's bundled sample photos, downscaled with Pillow's LANCZOS so its longer
    side is max_side."""
    im = Image.open(SKIMAGE_DATA / name)
    im.load()
    scale = max_side / max(im.size)
    size = (max(1, round(im.size[0] * scale)), max(1, round(im.size[1] * scale)))
    return im.resize(size, Image.Resampling.LANCZOS)


# ---------------------------------------------------------------------------------------------------
# A minimal PNG writer, for the variants Pillow cannot write (2/4-bit grey, 16-bit RGB/RGBA/grey+alpha,
# Adam7 interlacing) and for the malformed files. It cycles through all five filter types row by row,
# so every unfiltering path of a decoder is exercised, whatever Pillow's own encoder chooses.
# ---------------------------------------------------------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def png_chunk(kind: bytes, data: bytes, crc: int | None = None) -> bytes:
    if crc is None:
        crc = zlib.crc32(kind + data)
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc & 0xFFFFFFFF)


def ihdr(width: int, height: int, bit_depth: int, color_type: int, interlace: int = 0) -> bytes:
    return struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, interlace)


def _pack_row(samples: np.ndarray, bit_depth: int) -> bytes:
    """One scanline's samples (already flattened channel-interleaved) as PNG bytes."""
    if bit_depth == 16:
        return samples.astype(">u2").tobytes()
    if bit_depth == 8:
        return samples.astype(np.uint8).tobytes()
    per_byte = 8 // bit_depth
    padded = np.zeros(-(-samples.size // per_byte) * per_byte, dtype=np.uint8)
    padded[: samples.size] = samples
    groups = padded.reshape(-1, per_byte)
    shifts = np.arange(per_byte - 1, -1, -1) * bit_depth  # first sample in the most significant bits
    return (groups.astype(np.uint16) << shifts).sum(axis=1).astype(np.uint8).tobytes()


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def _filter_rows(rows: list[bytes], bpp: int) -> bytes:
    """Filter each scanline with type (row index mod 5): None, Sub, Up, Average, Paeth."""
    out = bytearray()
    prev = bytes(len(rows[0])) if rows else b""
    for index, row in enumerate(rows):
        kind = index % 5
        filtered = bytearray(len(row))
        for i, x in enumerate(row):
            a = row[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            predictor = (0, a, b, (a + b) // 2, _paeth(a, b, c))[kind]
            filtered[i] = (x - predictor) & 0xFF
        out.append(kind)
        out += filtered
        prev = row
    return bytes(out)


def png_image_data(samples: np.ndarray, bit_depth: int, interlace: bool) -> bytes:
    """Filtered, uncompressed image data for samples [H, W, C] (C = channels of the colour type)."""
    height, width, channels = samples.shape
    bpp = max(1, channels * bit_depth // 8)

    def serialize(sub: np.ndarray) -> bytes:
        rows = [_pack_row(sub[r].reshape(-1), bit_depth) for r in range(sub.shape[0])]
        return _filter_rows(rows, bpp)

    if not interlace:
        return serialize(samples)
    data = b""
    for x0, y0, dx, dy in ADAM7:
        sub = samples[y0::dy, x0::dx]
        if sub.shape[0] and sub.shape[1]:  # empty passes are omitted entirely (PNG spec 8.2)
            data += serialize(sub)
    return data


def encode_png(samples: np.ndarray, bit_depth: int, color_type: int, *, interlace: bool = False,
               palette: np.ndarray | None = None, trns: bytes | None = None,
               extra: list[bytes] = ()) -> bytes:
    if samples.ndim == 2:
        samples = samples[:, :, None]
    assert samples.shape[2] == CHANNELS[color_type]
    height, width = samples.shape[:2]
    out = PNG_SIGNATURE + png_chunk(b"IHDR", ihdr(width, height, bit_depth, color_type, int(interlace)))
    if palette is not None:
        out += png_chunk(b"PLTE", palette.astype(np.uint8).tobytes())
    if trns is not None:
        out += png_chunk(b"tRNS", trns)
    for chunk in extra:
        out += chunk
    out += png_chunk(b"IDAT", zlib.compress(png_image_data(samples, bit_depth, interlace), 9))
    return out + png_chunk(b"IEND", b"")


# ---------------------------------------------------------------------------------------------------
# Container facts, parsed from the bytes (so cases.json states what the file really contains)
# ---------------------------------------------------------------------------------------------------


def png_facts(data: bytes) -> dict:
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", data[16:29])
    chunks, pos = [], 8
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunks.append(kind.decode("latin-1"))
        pos += 12 + length
    return {"ihdr": {"width": width, "height": height, "bit_depth": depth, "color_type": color,
                     "interlace": interlace}, "chunks": sorted(set(chunks), key=chunks.index)}


SOF_NAMES = {0xC0: "baseline", 0xC1: "extended", 0xC2: "progressive"}


def jpeg_facts(data: bytes) -> dict:
    facts: dict = {"restart_interval": 0, "adobe_transform": None, "exif": False, "icc": False, "scans": 0}
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            pos += 1
            continue
        marker = data[pos + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            pos += 2 if marker != 0xFF else 1
            continue
        if marker == 0xD9:
            break
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        body = data[pos + 4 : pos + 2 + length]
        if marker in SOF_NAMES:
            precision, height, width, count = struct.unpack(">BHHB", body[:6])
            comps = [{"id": body[6 + 3 * i], "h": body[7 + 3 * i] >> 4, "v": body[7 + 3 * i] & 15}
                     for i in range(count)]
            facts.update(sof=SOF_NAMES[marker], precision=precision, width=width, height=height, components=comps)
        elif marker == 0xDD:
            facts["restart_interval"] = struct.unpack(">H", body[:2])[0]
        elif marker == 0xEE and body.startswith(b"Adobe"):
            facts["adobe_transform"] = body[11]
        elif marker == 0xE1 and body.startswith(b"Exif\0\0"):
            facts["exif"] = True
        elif marker == 0xE2 and body.startswith(b"ICC_PROFILE\0"):
            facts["icc"] = True
        elif marker == 0xDA:
            facts["scans"] += 1
            pos += 2 + length
            # Skip the entropy-coded data: it ends at the first marker that is neither a stuffed
            # 0xFF00 nor a restart marker RST0..RST7.
            while pos + 1 < len(data):
                if data[pos] == 0xFF and data[pos + 1] != 0x00 and not 0xD0 <= data[pos + 1] <= 0xD7:
                    break
                pos += 1
            continue
        pos += 2 + length
    facts["rst_markers"] = sum(data.count(bytes([0xFF, m])) for m in range(0xD0, 0xD8))
    if "components" in facts:
        hmax = max(c["h"] for c in facts["components"])
        vmax = max(c["v"] for c in facts["components"])
        if len(facts["components"]) >= 3:
            c1 = facts["components"][1]
            facts["subsampling"] = {(1, 1): "4:4:4", (2, 1): "4:2:2", (2, 2): "4:2:0"}.get(
                (hmax // c1["h"], vmax // c1["v"]), f"{hmax // c1['h']}x{vmax // c1['v']}")
    return facts


# ---------------------------------------------------------------------------------------------------
# Valid files
# ---------------------------------------------------------------------------------------------------


def save_pil(im: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, fmt, **options)
    return buffer.getvalue()


def exif_with_orientation(orientation: int) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif


def valid_cases() -> list[tuple[str, str, bytes, str]]:
    """(name, extension, bytes, description) for every decodable file."""
    cases = []

    def add(name, ext, data, description, pillow_samples=None):
        # pillow_samples: what Pillow must decode the file to (before any conversion); checks the
        # hand-written PNG encoder against an independent decoder.
        if pillow_samples is not None:
            decoded = np.asarray(Image.open(io.BytesIO(data)))
            assert np.array_equal(decoded, pillow_samples), f"{name}: Pillow decodes something else"
        cases.append((name, ext, data, description))

    rgb = pattern_rgb(40, 28, seed=1)
    gray = pattern_gray(37, 23, seed=2)          # odd width: 1/2/4-bit rows end mid-byte

    # --- PNG -----------------------------------------------------------------------------------
    add("png_gray1", "png", save_pil(Image.fromarray(gray > 110), "PNG"), "1-bit grey (Pillow mode 1), width 37")
    add("png_gray2", "png", encode_png(gray >> 6, 2, 0), "2-bit grey, all five filter types",
        pillow_samples=(gray >> 6) * 85)
    add("png_gray4", "png", encode_png(gray >> 4, 4, 0), "4-bit grey, all five filter types",
        pillow_samples=(gray >> 4) * 17)
    add("png_gray8", "png", save_pil(Image.fromarray(gray), "PNG"), "8-bit grey")
    gray16 = (gray.astype(np.uint16) * 257) ^ np.uint16(0x00A5)  # full 16-bit range, non-trivial low byte
    add("png_gray16", "png", save_pil(Image.fromarray(gray16), "PNG"),
        "16-bit grey (Pillow mode I;16); Pillow's I;16 -> RGB conversion clips at 255 instead of scaling")
    add("png_gray16_low", "png", save_pil(Image.fromarray((gray16 >> 8).astype(np.uint16)), "PNG"),
        "16-bit grey whose samples are all <= 255: Pillow's clipping keeps them as they are, their high "
        "byte is 0 (black)")
    la = np.stack([gray, alpha_ramp(37, 23)], -1)
    add("png_gray_alpha8", "png", save_pil(Image.fromarray(la, "LA"), "PNG"), "8-bit grey + alpha (LA)")
    la16 = la.astype(np.uint16) * 257 ^ np.uint16(0x0F0F)
    add("png_gray_alpha16", "png", encode_png(la16, 16, 4), "16-bit grey + alpha, all five filter types "
        "(Pillow opens it as RGBA, keeping the high bytes)",
        pillow_samples=np.dstack([la16[..., :1] >> 8] * 3 + [la16[..., 1:] >> 8]).astype(np.uint8))
    def quantized(colors: int) -> Image.Image:
        return Image.fromarray(rgb).quantize(colors=colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)

    # Pillow picks the index bit depth from the palette size (<= 2 -> 1 bit, <= 16 -> 4 bits).
    add("png_palette8", "png", save_pil(quantized(64), "PNG"), "palette, 64 entries, 8-bit indices")
    pal_img = quantized(16)
    add("png_palette4", "png", save_pil(pal_img, "PNG"), "palette, 16 entries, 4-bit indices")
    add("png_palette1", "png", save_pil(quantized(2), "PNG"), "palette, 2 entries, 1-bit indices")
    trns_alpha = bytes([0, 64, 128, 200, 255, 255, 10, 255])  # shorter than the palette: rest opaque
    add("png_palette_trns", "png", save_pil(pal_img, "PNG", transparency=trns_alpha),
        "palette with a tRNS alpha table covering the first 8 of 16 entries")
    add("png_rgb8", "png", save_pil(Image.fromarray(rgb), "PNG"), "8-bit RGB")
    rgb16 = rgb.astype(np.uint16) * 257 ^ np.uint16(0x3C3C)
    add("png_rgb16", "png", encode_png(rgb16, 16, 2), "16-bit RGB, all five filter types",
        pillow_samples=(rgb16 >> 8).astype(np.uint8))
    rgba = np.dstack([rgb, alpha_ramp(40, 28)])
    add("png_rgba8", "png", save_pil(Image.fromarray(rgba, "RGBA"), "PNG"), "8-bit RGBA with an alpha ramp")
    rgba16 = rgba.astype(np.uint16) * 257 ^ np.uint16(0x7E7E)
    add("png_rgba16", "png", encode_png(rgba16, 16, 6), "16-bit RGBA, all five filter types",
        pillow_samples=(rgba16 >> 8).astype(np.uint8))
    add("png_rgb8_adam7", "png", encode_png(rgb, 8, 2, interlace=True), "8-bit RGB, Adam7 interlaced",
        pillow_samples=rgb)
    small = pattern_rgb(5, 3, seed=3)  # smaller than one 8x8 Adam7 block: passes 2, 4 and 6 are empty
    add("png_rgb8_adam7_5x3", "png", encode_png(small, 8, 2, interlace=True),
        "5x3 RGB, Adam7 interlaced with empty passes", pillow_samples=small)
    pal_rgb = np.array(pal_img.getpalette()[: 16 * 3], dtype=np.uint8).reshape(16, 3)
    add("png_palette4_adam7", "png",
        encode_png(np.array(pal_img), 4, 3, interlace=True, palette=pal_rgb, trns=bytes([255, 0, 128])),
        "4-bit palette with tRNS, Adam7 interlaced", pillow_samples=np.array(pal_img))
    add("png_gray8_trns", "png", save_pil(Image.fromarray(gray), "PNG", transparency=int(gray[5, 5])),
        "8-bit grey with a tRNS key colour (one grey value is transparent)")
    add("png_rgb8_trns", "png", save_pil(Image.fromarray(rgb), "PNG", transparency=tuple(int(c) for c in rgb[0, 0])),
        "8-bit RGB with a tRNS key colour (the top-left red is transparent)")
    add("png_exif_orientation6", "png", save_pil(Image.fromarray(rgb), "PNG", exif=exif_with_orientation(6)),
        "RGB PNG with an eXIf chunk, Orientation 6 (Pillow's exif_transpose honours it)")
    add("png_1x1", "png", save_pil(Image.fromarray(rgb[:1, :1]), "PNG"), "a single pixel")
    add("png_named_as_jpg", "jpg", save_pil(Image.fromarray(rgb), "PNG"),
        "a valid PNG with a .jpg extension: formats are sniffed from the magic bytes")

    # --- JPEG ----------------------------------------------------------------------------------
    jrgb = Image.fromarray(pattern_rgb(61, 45, seed=4))  # not a multiple of the 8/16-pixel MCU
    add("jpeg_baseline_420", "jpg", save_pil(jrgb, "JPEG", quality=90, subsampling=2), "baseline, 4:2:0, q90")
    add("jpeg_baseline_422", "jpg", save_pil(jrgb, "JPEG", quality=90, subsampling=1), "baseline, 4:2:2, q90")
    add("jpeg_baseline_444", "jpg", save_pil(jrgb, "JPEG", quality=90, subsampling=0), "baseline, 4:4:4, q90")
    add("jpeg_optimized", "jpg", save_pil(jrgb, "JPEG", quality=75, optimize=True),
        "baseline with optimised Huffman tables, q75")
    add("jpeg_progressive", "jpg", save_pil(jrgb, "JPEG", quality=90, progressive=True), "progressive, 4:2:0, q90")
    add("jpeg_progressive_444", "jpg", save_pil(jrgb, "JPEG", quality=95, progressive=True, subsampling=0),
        "progressive, 4:4:4, q95")
    add("jpeg_gray", "jpg", save_pil(Image.fromarray(pattern_gray(61, 45, seed=4)), "JPEG", quality=90),
        "greyscale (one component)")
    add("jpeg_restart_blocks", "jpg", save_pil(jrgb, "JPEG", quality=90, restart_marker_blocks=2),
        "baseline 4:2:0 with a restart marker every 2 MCUs")
    add("jpeg_restart_rows", "jpg", save_pil(jrgb, "JPEG", quality=90, restart_marker_rows=1),
        "baseline 4:2:0 with a restart marker every MCU row")
    cmyk = Image.fromarray(pattern_rgb(48, 32, seed=5)).convert("CMYK")
    cmyk_bytes = save_pil(cmyk, "JPEG", quality=92)
    add("jpeg_cmyk", "jpg", cmyk_bytes, "4-component CMYK (Adobe APP14 transform 0, inverted samples as "
        "Photoshop writes them)")
    add("jpeg_ycck", "jpg", adobe_transform_to_ycck(cmyk_bytes),
        "YCCK: the CMYK file with its Adobe transform byte set to 2, so the decoder converts the stored "
        "components from YCC (Pillow cannot encode YCCK)")
    icc = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    # LittleCMS stamps the creation time (header bytes 24..35) and an MD5 profile ID (84..99) over it;
    # pin the date and zero the ID ("not computed" is allowed) so the file is reproducible.
    icc[24:36] = struct.pack(">6H", 2024, 1, 1, 0, 0, 0)
    icc[84:100] = bytes(16)
    icc = bytes(icc)
    add("jpeg_icc", "jpg", save_pil(jrgb, "JPEG", quality=90, icc_profile=icc),
        "baseline with an APP2 ICC profile (sRGB); transformers ignores colour profiles")
    orient = Image.fromarray(pattern_rgb(40, 24, seed=6))  # wide, asymmetric corner marks
    for o in range(1, 9):
        add(f"jpeg_exif_orientation{o}", "jpg",
            save_pil(orient, "JPEG", quality=90, exif=exif_with_orientation(o)),
            f"40x24 baseline 4:2:0 with EXIF Orientation {o}")
    add("jpeg_1x1", "jpg", save_pil(Image.fromarray(pattern_rgb(1, 1, seed=7)), "JPEG", quality=90), "a single pixel")

    # --- real photos (scikit-image samples, CC0 / public domain) ---------------------------------
    add("photo_astronaut", "png", save_pil(photo("astronaut.png"), "PNG"),
        "scikit-image astronaut.png (NASA, public domain), 256x256 RGB PNG")
    add("photo_coffee", "jpg", save_pil(photo("coffee.png"), "JPEG", quality=85),
        "scikit-image coffee.png (CC0, Rachel Michetti), 256x171 baseline 4:2:0 q85")
    add("photo_chelsea_progressive", "jpg", save_pil(photo("chelsea.png"), "JPEG", quality=85, progressive=True),
        "scikit-image chelsea.png (CC0, Stefan van der Walt), progressive q85")
    add("photo_camera_gray", "jpg", save_pil(photo("camera.png"), "JPEG", quality=85),
        "scikit-image camera.png (CC0, Lav Varshney), greyscale JPEG")
    add("photo_rocket_orientation6", "jpg",
        save_pil(photo("rocket.jpg").transpose(Image.Transpose.ROTATE_90), "JPEG", quality=85,
                 exif=exif_with_orientation(6)),
        "scikit-image rocket.jpg (SpaceX, public domain) stored rotated with EXIF Orientation 6, so it "
        "displays upright")
    return cases


def adobe_transform_to_ycck(data: bytes) -> bytes:
    pos = data.index(b"\xff\xee")
    assert data[pos + 4 : pos + 9] == b"Adobe" and data[pos + 15] == 0, "expected an Adobe CMYK marker"
    return data[: pos + 15] + b"\x02" + data[pos + 16 :]


# ---------------------------------------------------------------------------------------------------
# Malformed files
# ---------------------------------------------------------------------------------------------------


def malformed_cases() -> list[tuple[str, str, bytes, str, str]]:
    """(name, extension, bytes, description, suggested Swift error category)."""
    rgb = pattern_rgb(32, 24, seed=11)
    png = encode_png(rgb, 8, 2)
    idat = png.index(b"IDAT") - 4
    iend = png.index(b"IEND") - 4
    idat_len = struct.unpack(">I", png[idat : idat + 4])[0]
    header = PNG_SIGNATURE + png_chunk(b"IHDR", ihdr(32, 24, 8, 2))
    jpeg = save_pil(Image.fromarray(rgb), "JPEG", quality=90)
    sos = jpeg.index(b"\xff\xda")
    sos_end = sos + 2 + struct.unpack(">H", jpeg[sos + 2 : sos + 4])[0]
    sof = jpeg.index(b"\xff\xc0")
    progressive = save_pil(Image.fromarray(rgb), "JPEG", quality=90, progressive=True)
    second_scan = progressive.index(b"\xff\xda", progressive.index(b"\xff\xda") + 2)
    rng = np.random.default_rng(12)
    cases = []

    def add(name, ext, data, description, category):
        cases.append((name, ext, data, description, category))

    def replace(data: bytes, at: int, new: bytes) -> bytes:
        return data[:at] + new + data[at + len(new) :]

    def with_ihdr(body: bytes) -> bytes:
        return PNG_SIGNATURE + png_chunk(b"IHDR", body) + png[idat:]

    # PNG -------------------------------------------------------------------------------------------
    add("png_signature_only", "png", PNG_SIGNATURE, "the 8-byte signature and nothing else", "truncated")
    add("png_truncated_in_signature", "png", PNG_SIGNATURE[:5], "5 bytes of the signature", "truncated")
    add("png_truncated_in_ihdr", "png", png[:20], "cut inside the IHDR chunk", "truncated")
    add("png_truncated_after_ihdr", "png", header, "signature + IHDR, no image data", "truncated")
    add("png_truncated_mid_idat", "png", png[: idat + 8 + idat_len // 2],
        "cut halfway through the IDAT data (no CRC, no IEND)", "truncated")
    add("png_missing_iend", "png", png[:iend], "complete image data, the IEND chunk missing", "truncated")
    add("png_bad_crc_ihdr", "png", replace(png, 29, b"\0\0\0\0"), "IHDR CRC zeroed", "corrupt")
    add("png_bad_crc_idat", "png", replace(png, idat + 8 + idat_len, b"\xde\xad\xbe\xef"),
        "IDAT CRC wrong, data intact", "corrupt")
    add("png_bad_chunk_length", "png", replace(png, idat, struct.pack(">I", 0xFFFFFFF0)),
        "IDAT length 0xFFFFFFF0 (above the PNG limit of 2^31-1, far past the end of the file)", "corrupt")
    add("png_zero_width", "png", with_ihdr(ihdr(0, 24, 8, 2)), "IHDR width 0 (CRC valid)", "invalidDimensions")
    add("png_zero_height", "png", with_ihdr(ihdr(32, 0, 8, 2)), "IHDR height 0 (CRC valid)", "invalidDimensions")
    bomb_rows = zlib.compress(b"", 9)
    add("png_huge_100000x100000", "png",
        PNG_SIGNATURE + png_chunk(b"IHDR", ihdr(100000, 100000, 8, 0)) + png_chunk(b"IDAT", bomb_rows)
        + png_chunk(b"IEND", b""),
        "a tiny file whose IHDR claims 100000x100000 grey pixels (decompression bomb)", "tooManyPixels")
    add("png_empty_idat", "png", header + png_chunk(b"IDAT", b"") + png_chunk(b"IEND", b""),
        "a single zero-length IDAT", "corrupt")
    add("png_idat_not_zlib", "png", header + png_chunk(b"IDAT", rng.integers(0, 256, 64, dtype=np.uint8).tobytes())
        + png_chunk(b"IEND", b""), "IDAT holds random bytes, not a zlib stream (CRC valid)", "corrupt")
    short_rows = zlib.compress(png_image_data(rgb[:10], 8, False), 9)
    add("png_idat_too_short", "png", header + png_chunk(b"IDAT", short_rows) + png_chunk(b"IEND", b""),
        "a complete zlib stream holding only 10 of 24 rows", "truncated")
    bad_filter = bytearray(png_image_data(rgb, 8, False))
    bad_filter[(1 + 32 * 3) * 7] = 9  # filter byte of row 7
    add("png_bad_filter_type", "png", header + png_chunk(b"IDAT", zlib.compress(bytes(bad_filter), 9))
        + png_chunk(b"IEND", b""), "row 7 has filter type 9 (only 0..4 exist)", "corrupt")
    add("png_bad_color_type", "png", with_ihdr(ihdr(32, 24, 8, 5)), "IHDR colour type 5 (undefined)", "corrupt")
    add("png_bad_bit_depth", "png", with_ihdr(ihdr(32, 24, 4, 2)), "RGB with bit depth 4 (not allowed)", "corrupt")
    add("png_bad_interlace", "png", with_ihdr(ihdr(32, 24, 8, 2, 2)), "interlace method 2 (undefined)", "corrupt")
    add("png_palette_without_plte", "png",
        PNG_SIGNATURE + png_chunk(b"IHDR", ihdr(32, 24, 8, 3))
        + png_chunk(b"IDAT", zlib.compress(png_image_data(rgb[:, :, :1] % 16, 8, False), 9))
        + png_chunk(b"IEND", b""), "colour type 3 (palette) without a PLTE chunk", "corrupt")
    add("png_text_file", "png", b"This is not an image, just text in a file named .png\n",
        "plain text with a .png extension", "unsupportedFormat")

    # JPEG ------------------------------------------------------------------------------------------
    add("jpeg_soi_only", "jpg", jpeg[:2], "just the SOI marker", "truncated")
    add("jpeg_header_only", "jpg", jpeg[:sos_end], "all headers up to and including SOS, no entropy data",
        "truncated")
    add("jpeg_truncated_half_scan", "jpg", jpeg[: sos_end + (len(jpeg) - sos_end) // 2],
        "cut halfway through the entropy-coded data", "truncated")
    add("jpeg_missing_eoi", "jpg", jpeg[:-2], "complete scan, the EOI marker missing", "truncated")
    add("jpeg_progressive_first_scan_only", "jpg", progressive[:second_scan],
        "progressive file cut after its first (DC) scan", "truncated")
    add("jpeg_bad_marker", "jpg", replace(jpeg, jpeg.index(b"\xff\xdb") + 1, b"\x02"),
        "the first DQT marker byte replaced by 0x02 (a reserved marker) before any frame header", "corrupt")
    add("jpeg_sof_zero_height", "jpg", replace(jpeg, sof + 5, b"\0\0"), "SOF0 height 0 (no DNL)",
        "invalidDimensions")
    add("jpeg_sof_zero_width", "jpg", replace(jpeg, sof + 7, b"\0\0"), "SOF0 width 0", "invalidDimensions")
    add("jpeg_huge_65500x65500", "jpg", replace(replace(jpeg, sof + 5, struct.pack(">H", 65500)), sof + 7,
                                                struct.pack(">H", 65500)),
        "SOF0 claims 65500x65500 (decompression bomb, 4.3e9 pixels)", "tooManyPixels")
    dht = jpeg.index(b"\xff\xc4")
    add("jpeg_bad_huffman_table", "jpg", replace(jpeg, dht + 5, b"\xff" * 16),
        "first DHT table's 16 code-length counts all set to 255 (an impossible code)", "corrupt")
    add("jpeg_no_sof", "jpg", jpeg[:sof] + jpeg[jpeg.index(b"\xff\xc4"):], "the SOF0 segment removed", "corrupt")

    # other formats and non-images ---------------------------------------------------------------
    add("empty", "png", b"", "a zero-byte file", "truncated")
    add("random_bytes", "bin", rng.integers(0, 256, 512, dtype=np.uint8).tobytes(), "512 random bytes",
        "unsupportedFormat")
    small = Image.fromarray(rgb)
    add("format_gif", "gif", save_pil(small.quantize(16), "GIF"), "a valid GIF (unsupported format)",
        "unsupportedFormat")
    add("format_bmp", "bmp", save_pil(small, "BMP"), "a valid BMP (unsupported format)", "unsupportedFormat")
    add("format_webp", "webp", save_pil(small, "WEBP", lossless=True), "a valid lossless WebP (unsupported format)",
        "unsupportedFormat")
    add("format_tiff", "tif", save_pil(small, "TIFF"), "a valid uncompressed TIFF (unsupported format)",
        "unsupportedFormat")
    add("format_gif_named_png", "png", save_pil(small.quantize(16), "GIF"),
        "a valid GIF with a .png extension (sniff the magic bytes, not the name)", "unsupportedFormat")
    return cases


# ---------------------------------------------------------------------------------------------------
# What Pillow / transformers do with each file
# ---------------------------------------------------------------------------------------------------


def has_alpha(im: Image.Image) -> bool:
    # The same test transformers' convert_to_rgb uses to decide whether to composite.
    return "A" in im.getbands() or im.info.get("transparency") is not None


def expectations(path: Path) -> tuple[dict[str, np.ndarray], dict]:
    raw = Image.open(path)
    raw.load()
    oriented = ImageOps.exif_transpose(raw)
    tensors = {"rgb": np.ascontiguousarray(np.asarray(load_image(str(path))))}
    info = {
        "pil_format": raw.format,
        "pil_mode": raw.mode,
        "stored_size": {"width": raw.size[0], "height": raw.size[1]},
        "size": {"width": oriented.size[0], "height": oriented.size[1]},
        "orientation": int(raw.getexif().get(0x0112, 1)),
        "has_alpha": has_alpha(raw),
    }
    if info["has_alpha"]:
        tensors["rgb_over_white"] = np.ascontiguousarray(convert_to_rgb(oriented, return_numpy=True))
    if raw.mode == "CMYK":
        tensors["cmyk"] = np.ascontiguousarray(np.asarray(oriented))
    if raw.mode == "I;16":
        samples = np.asarray(oriented).astype(np.uint16)
        msb = (samples >> 8).astype(np.uint8)
        tensors["rgb_msb"] = np.ascontiguousarray(np.repeat(msb[:, :, None], 3, axis=2))
        info["quirk"] = ("Pillow converts I;16 to RGB by clipping each 16-bit sample to 0..255, not by "
                         "scaling; `rgb` is that clipped result, `rgb_msb` the high byte (libpng "
                         "png_set_strip_16).")
    assert tensors["rgb"].shape == (oriented.size[1], oriented.size[0], 3)
    info["tensors"] = sorted(tensors)
    return tensors, info


def describe_exception(exc: BaseException, path: Path) -> dict:
    # Pillow quotes the path it was given; keep only the file name so the JSON does not depend on
    # where the repository is checked out.
    return {"error": type(exc).__name__, "message": str(exc).replace(str(path), path.name)}


def pil_outcome(path: Path, truncated_ok: bool = False) -> dict:
    """What Pillow does: Image.open, then .load(). Records the first failure, or the decoded size."""
    ImageFile.LOAD_TRUNCATED_IMAGES = truncated_ok
    try:
        try:
            im = Image.open(path)
        except Exception as exc:  # noqa: BLE001 - recording Pillow's behaviour is the point
            return {"stage": "open", **describe_exception(exc, path)}
        opened = {"format": im.format, "mode": im.mode, "size": list(im.size)}
        try:
            im.load()
        except Exception as exc:  # noqa: BLE001
            return {"stage": "load", "opened": opened, **describe_exception(exc, path)}
        rgb = np.asarray(im.convert("RGB"))
        return {"stage": "ok", "opened": opened, "rgb_mean": round(float(rgb.mean()), 3)}
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = False


# ---------------------------------------------------------------------------------------------------


def generate(out: Path) -> None:
    (out / "malformed").mkdir(parents=True, exist_ok=True)
    entries = []
    for name, ext, data, description in valid_cases():
        path = out / f"{name}.{ext}"
        path.write_bytes(data)
        tensors, info = expectations(path)
        save_file(tensors, str(out / f"{name}.expected.safetensors"), metadata={"file": path.name})
        container = png_facts(data) if data.startswith(PNG_SIGNATURE) else jpeg_facts(data)
        entries.append({"name": name, "file": path.name, "expected": f"{name}.expected.safetensors",
                        "container": "png" if data.startswith(PNG_SIGNATURE) else "jpeg",
                        "description": description, **info, "facts": container})
    write_sorted_json(out / "cases.json", {
        "generator": "Scripts/reference/make_decode_goldens.py",
        "versions": versions(),
        "rgb": "transformers.image_utils.load_image(path): PIL.ImageOps.exif_transpose then convert('RGB')",
        "rgb_over_white": "exif_transpose then transformers.image_transforms.convert_to_rgb (RGBA, "
                          "alpha_composite over opaque white, RGB) = (c*a + 255*(255-a) + 127) // 255 "
                          "(checked for all 65536 (c, a) pairs)",
        "cmyk": "Pillow's CMYK samples (ink amounts: 255 - the raw libjpeg output when the file has an "
                "Adobe marker); rgb = ((255-C)*(255-K) + 127) // 255 per channel (checked exhaustively "
                "on 200000 random samples)",
        "orientation_transforms": "rgb[y, x] from the stored image s (numpy, H x W x 3): 1 s, 2 s[:, ::-1], "
                                  "3 s[::-1, ::-1], 4 s[::-1], 5 s.transpose(1, 0, 2), 6 rot90(s, -1), "
                                  "7 s[::-1, ::-1].transpose(1, 0, 2), 8 rot90(s, 1)",
        "cases": entries,
    })

    bad = []
    for name, ext, data, description, category in malformed_cases():
        path = out / "malformed" / f"{name}.{ext}"
        path.write_bytes(data)
        bad.append({"name": name, "file": path.name, "size_bytes": len(data), "description": description,
                    "category": category, "pillow": pil_outcome(path),
                    "pillow_load_truncated_images": pil_outcome(path, truncated_ok=True)})
    write_sorted_json(out / "malformed" / "cases.json", {
        "generator": "Scripts/reference/make_decode_goldens.py",
        "versions": versions(),
        "categories": {
            "truncated": "the data ends before the image is complete",
            "corrupt": "structurally invalid (bad CRC, bad chunk/marker, undecodable stream)",
            "invalidDimensions": "a header states a zero width or height",
            "tooManyPixels": "the header's width*height exceeds the pixel limit (89,478,485, Pillow's "
                             "MAX_IMAGE_PIXELS) before any pixel data is read",
            "unsupportedFormat": "not PNG or JPEG by its magic bytes (whatever its file name says)",
        },
        "pillow": "outcome of Image.open + .load() with the default ImageFile.LOAD_TRUNCATED_IMAGES=False; "
                  "pillow_load_truncated_images: the same with it set to True (partial decodes)",
        "cases": bad,
    })


def versions() -> dict:
    return {"pillow": PIL.__version__, "libjpeg_turbo": PIL.features.version("libjpeg_turbo"),
            "jpeg_api": PIL.features.version("jpg"), "zlib": PIL.features.version("zlib"),
            "numpy": np.__version__, "scikit_image": skimage.__version__}


def main() -> None:
    # Pillow warns that palette images with a tRNS table "should be converted to RGBA"; converting them
    # is exactly what is being recorded here.
    warnings.filterwarnings("ignore", message="Palette images with Transparency")
    # --check: every file byte for byte (PNGs and JPEGs included), safetensors by tensors.
    command_line(__doc__, OUT, generate, {".safetensors": tensors_within()})


if __name__ == "__main__":
    main()
