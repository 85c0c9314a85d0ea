#!/usr/bin/env python3
"""Diagnostic, writes nothing: how close this machine's FFmpeg libraries (what a Swift decoder links, e.g.
Debian 12's libavcodec 59 / libswscale 6) come to the video goldens, which were made with the FFmpeg 8
libraries bundled in the PyAV wheel.

For every clip of Tests/SmolVisionTests/Fixtures/videos/ it reports
  1. decoder: the system `ffmpeg` CLI's raw yuv420p output against the goldens' per-frame YUV SHA-256;
  2. rgb24: the system libswscale (ctypes: sws_getContext(w, h, YUV420P, w, h, RGB24, SWS_BILINEAR) and
     sws_setColorspaceDetails with the frame's matrix and range, as PyAV passes them) against PyAV's
     to_ndarray(format="rgb24"): frames identical, largest difference;
  3. pixel_values: the default-sampled frames converted that way, through the video processor's resize chain
     (torchvision uint8 LANCZOS, antialias, twice), against the committed processor frames, in uint8 steps
     (one step = 2/255 in pixel_values);
  4. for odd heights, the same two comparisons for a float model of libswscale 9's generic path
     (`float_model`), the closest simple description of what PyAV does there.

Usage: Scripts/reference/.venv/bin/python Scripts/reference/compare_system_ffmpeg.py
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import torch
from PIL import Image
from torchvision.transforms.v2 import functional as tvF

sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden_io import REPO_ROOT  # noqa: E402

CLIPS = REPO_ROOT / "Tests" / "SmolVisionTests" / "Fixtures" / "videos"
GOLDENS = REPO_ROOT / "Tests" / "SmolVisionTests" / "Fixtures" / "video"
YUV420P, RGB24 = 0, 2   # AVPixelFormat
SWS_BILINEAR = 2
SWS_CS_ITU709, SWS_CS_DEFAULT = 1, 5


def load_swscale():
    name = ctypes.util.find_library("swscale")
    if name is None:
        raise SystemExit("no system libswscale found")
    lib = ctypes.CDLL(name)
    lib.sws_getContext.restype = ctypes.c_void_p
    lib.sws_getContext.argtypes = [ctypes.c_int] * 7 + [ctypes.c_void_p] * 3
    lib.sws_getCoefficients.restype = ctypes.POINTER(ctypes.c_int)
    lib.sws_getCoefficients.argtypes = [ctypes.c_int]
    lib.sws_setColorspaceDetails.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int,
                                             ctypes.POINTER(ctypes.c_int), ctypes.c_int, ctypes.c_int, ctypes.c_int,
                                             ctypes.c_int]
    lib.sws_scale.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_int),
                              ctypes.c_int, ctypes.c_int, ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_int)]
    lib.sws_freeContext.argtypes = [ctypes.c_void_p]
    lib.swscale_version.restype = ctypes.c_uint
    return lib


def padded(plane: np.ndarray) -> np.ndarray:
    """A copy with a 64-byte-aligned stride and two spare rows (libswscale's SIMD reads past the end)."""
    out = np.zeros((plane.shape[0] + 2, (plane.shape[1] + 63) // 64 * 64 + 64), np.uint8)
    out[: plane.shape[0], : plane.shape[1]] = plane
    return out


def to_rgb(sws, planes: list[np.ndarray], width: int, height: int, matrix: int, full_range: bool) -> np.ndarray:
    ctx = sws.sws_getContext(width, height, YUV420P, width, height, RGB24, SWS_BILINEAR, None, None, None)
    coefficients = sws.sws_getCoefficients(matrix)
    sws.sws_setColorspaceDetails(ctx, coefficients, int(full_range), coefficients, 1, 0, 1 << 16, 1 << 16)
    source = [padded(p) for p in planes]
    src = (ctypes.c_void_p * 4)(*[p.ctypes.data for p in source], None)
    src_stride = (ctypes.c_int * 4)(*[p.shape[1] for p in source], 0)
    out = np.zeros((height + 2, (width * 3 + 63) // 64 * 64 + 64), np.uint8)
    dst = (ctypes.c_void_p * 4)(out.ctypes.data, None, None, None)
    dst_stride = (ctypes.c_int * 4)(out.shape[1], 0, 0, 0)
    sws.sws_scale(ctx, src, src_stride, 0, height, dst, dst_stride)
    sws.sws_freeContext(ctx)
    return out[:height, : width * 3].reshape(height, width, 3)


def upsample(plane: np.ndarray, size: int, axis: int) -> np.ndarray:
    """libswscale's centre-aligned bilinear scaling along one axis: increment in 16.16 fixed point, source
    position (i + 0.5) * inc - 0.5, linear weights, edge samples repeated."""
    n = plane.shape[axis]
    inc = ((n << 16) + size // 2) // size / 65536
    position = (np.arange(size) + 0.5) * inc - 0.5
    low = np.floor(position).astype(int)
    weight = (position - low).reshape([-1 if a == axis else 1 for a in range(2)])
    a = np.take(plane, np.clip(low, 0, n - 1), axis=axis)
    b = np.take(plane, np.clip(low + 1, 0, n - 1), axis=axis)
    return a * (1 - weight) + b * weight


def float_model(planes: list[np.ndarray], width: int, height: int, bt709: bool) -> np.ndarray:
    """Odd height: chroma upsampled vertically, and horizontally when the width is odd too (libswscale keeps
    half-width chroma for an even width), then the limited-range matrix in float, rounded."""
    chroma = []
    for plane in planes[1:]:
        c = upsample(plane.astype(np.float64), height, 0)
        c = upsample(c, width, 1) if width % 2 else np.repeat(c, 2, axis=1)[:, :width]
        chroma.append(c - 128)
    u, v = chroma
    kr, kb = (0.2126, 0.0722) if bt709 else (0.299, 0.114)
    y = (planes[0].astype(np.float64) - 16) * 255 / 219
    scale = 255 / 224
    r = y + 2 * (1 - kr) * scale * v
    b = y + 2 * (1 - kb) * scale * u
    g = y - (2 * kb * (1 - kb) * scale * u + 2 * kr * (1 - kr) * scale * v) / (1 - kr - kb)
    return np.clip(np.rint(np.stack([r, g, b], -1)), 0, 255).astype(np.uint8)


def resized(rgb: list[np.ndarray], chain: list[list[int]]) -> np.ndarray:
    x = torch.from_numpy(np.stack(rgb)).permute(0, 3, 1, 2).contiguous()
    for size in chain[1:]:
        x = tvF.resize(x, size, interpolation=tvF.InterpolationMode.LANCZOS, antialias=True)
    return x.numpy().astype(int)


def system_yuv(path: Path, width: int, height: int, count: int) -> list[list[np.ndarray]]:
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:v:0", "-f", "rawvideo",
                          "-pix_fmt", "yuv420p", "-"], check=True, capture_output=True).stdout
    cw, ch = (width + 1) // 2, (height + 1) // 2
    size = width * height + 2 * cw * ch
    assert len(raw) == size * count, (path.name, len(raw), size * count)
    frames = []
    for k in range(count):
        chunk = np.frombuffer(raw, np.uint8, size, k * size)
        y = chunk[: width * height].reshape(height, width)
        u = chunk[width * height: width * height + cw * ch].reshape(ch, cw)
        v = chunk[width * height + cw * ch:].reshape(ch, cw)
        frames.append([y, u, v])
    return frames


def main() -> int:
    sws = load_swscale()
    version = sws.swscale_version()
    ffmpeg = subprocess.run(["ffmpeg", "-version"], check=True, capture_output=True, text=True).stdout.split("\n")[0]
    print(f"system: {ffmpeg.split(' Copyright')[0]}, libswscale {version >> 16}.{(version >> 8) & 255}.{version & 255}")
    print(f"goldens: PyAV {av.__version__}, libswscale {'.'.join(map(str, av.library_versions['libswscale']))}")
    for clip in json.loads((CLIPS / "clips.json").read_text())["clips"]:
        path = CLIPS / clip["file"]
        golden = GOLDENS / path.stem
        meta = json.loads((golden / "metadata.json").read_text())
        decoded = meta["decoded_frames"]
        width, height = meta["video_stream"]["width"], meta["video_stream"]["height"]
        first = meta["first_frame"]
        matrix = SWS_CS_ITU709 if first["colorspace"] == 1 else SWS_CS_DEFAULT
        full = first["color_range"] == 2
        yuv = system_yuv(path, width, height, decoded["count"])
        same_yuv = sum(hashlib.sha256(b"".join(p.tobytes() for p in planes)).hexdigest()[:16] == want
                       for planes, want in zip(yuv, decoded["yuv_sha256_16"]))
        pyav = [f.to_ndarray(format="rgb24") for f in av.open(str(path)).decode(video=0)]
        rgb = [to_rgb(sws, planes, width, height, matrix, full) for planes in yuv]
        same_rgb = sum(np.array_equal(a, b) for a, b in zip(rgb, pyav))
        worst_rgb = max(int(np.abs(a.astype(int) - b).max()) for a, b in zip(rgb, pyav))

        processor = json.loads((golden / "processor" / "meta.json").read_text())
        indices = processor["indices"]
        want = np.stack([np.asarray(Image.open(golden / "processor" / "frames" / f"frame_{k:02d}.png"))
                         for k in range(len(indices))]).transpose(0, 3, 1, 2)
        steps = np.abs(resized([rgb[i] for i in indices], processor["resize_chain"]) - want)
        print(f"{clip['file']}: decoder {same_yuv}/{decoded['count']} frames identical; rgb24 {same_rgb}/"
              f"{decoded['count']} identical (max |diff| {worst_rgb}); processor frames max |diff| "
              f"{int(steps.max())} uint8 steps ({int((steps > 1).sum())} values over 1 step, "
              f"{int((steps > 0).sum())} over 0)")
        if height % 2:
            model = [float_model(planes, width, height, matrix == SWS_CS_ITU709) for planes in yuv]
            diff = np.concatenate([np.abs(a.astype(int) - b).ravel() for a, b in zip(model, pyav)])
            steps = np.abs(resized([model[i] for i in indices], processor["resize_chain"]) - want)
            print(f"  float model: rgb24 max |diff| {int(diff.max())}, {100 * (diff == 0).mean():.1f}% exact; "
                  f"processor frames max |diff| {int(steps.max())} uint8 steps ({int((steps > 1).sum())} values "
                  f"over 1 step, {int((steps > 0).sum())} over 0, of {steps.size})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
