#!/usr/bin/env python3
"""Checks Sources/CSmolVideo/yuv_to_rgb.c (smol_yuv420p_to_rgb24) against PyAV's
VideoFrame.to_ndarray(format="rgb24"), the conversion behind the video goldens (libswscale 9 from the
FFmpeg 8 libraries in the PyAV wheel). Writes nothing.

The C file is compiled on the fly (cc -O2 -shared) and called through ctypes on
  1. every frame of the odd-height test clips (the 97x55 WebM): RGB compared with PyAV and with the
     goldens' per-frame rgb24_sha256_16;
  2. random yuv420p planes (every byte value, so out-of-gamut colours and clipping are covered) of odd
     heights and odd/even widths from 1x1 up, for each colour matrix FFmpeg 8 accepts, limited, full and
     unspecified range, and yuvj420p;
  3. AV1 clips tagged with left, top-left and top chroma siting (encoded by the system ffmpeg with
     libaom-av1; skipped when it cannot), the siting a decoder passes as chroma_location;
  4. the colour matrices FFmpeg 8 refuses: PyAV must raise and the C function return
     SMOL_YUV_UNSUPPORTED_COLORSPACE.
Even heights (every other clip), which the reference converts with libswscale's unscaled special
converter and the system libswscale reproduces, must come back as SMOL_YUV_EVEN_HEIGHT.

Usage: Scripts/reference/.venv/bin/python Scripts/reference/check_yuv_to_rgb.py   (exit 1 on any difference)
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import av
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden_io import REPO_ROOT  # noqa: E402

SOURCE = REPO_ROOT / "Sources" / "CSmolVideo" / "yuv_to_rgb.c"
INCLUDE = REPO_ROOT / "Sources" / "CSmolVideo" / "include"
CLIPS = REPO_ROOT / "Tests" / "SmolVisionTests" / "Fixtures" / "videos"
GOLDENS = REPO_ROOT / "Tests" / "SmolVisionTests" / "Fixtures" / "video"

OK, UNSUPPORTED_COLORSPACE, EVEN_HEIGHT = 0, 2, 4
ACCEPTED_MATRICES = [1, 2, 4, 5, 6, 7, 9]   # AVColorSpace values FFmpeg 8 converts
REFUSED_MATRICES = [3, 8, 10, 11, 12, 13, 14]
RANGE_UNSPECIFIED, RANGE_LIMITED, RANGE_FULL = 0, 1, 2
SITING = {"left": 1, "topleft": 3, "top": 4}   # AVChromaLocation


class Tally:
    """Exactness over every compared byte of one group of cases."""

    def __init__(self, name: str):
        self.name, self.frames, self.exact_frames, self.values, self.exact_values, self.worst = name, 0, 0, 0, 0, 0

    def add(self, mine: np.ndarray, reference: np.ndarray) -> int:
        diff = np.abs(mine.astype(int) - reference.astype(int))
        self.frames += 1
        self.exact_frames += int(not diff.any())
        self.values += diff.size
        self.exact_values += int((diff == 0).sum())
        self.worst = max(self.worst, int(diff.max()))
        return int(diff.max())

    def line(self) -> str:
        share = 100 * self.exact_values / max(self.values, 1)
        return (f"{self.name}: {self.exact_frames}/{self.frames} frames identical, max |diff| {self.worst}, "
                f"{share:.4f}% of {self.values} values exact")


def build_library(folder: Path) -> ctypes.CDLL:
    compiler = os.environ.get("CC", "cc")
    library = folder / "libsmol_yuv_to_rgb.so"
    subprocess.run([compiler, "-O2", "-shared", "-fPIC", "-std=c11", "-Wall", "-Wextra", "-Werror",
                    f"-I{INCLUDE}", str(SOURCE), "-o", str(library)], check=True)
    lib = ctypes.CDLL(str(library))
    lib.smol_yuv420p_to_rgb24.restype = ctypes.c_int
    lib.smol_yuv420p_to_rgb24.argtypes = ([ctypes.c_void_p, ctypes.c_int] * 3 + [ctypes.c_int] * 5
                                          + [ctypes.c_void_p])
    return lib


def convert(lib, planes: list[np.ndarray], colorspace: int, full_range: bool, siting: int = 0):
    """Calls the C function on exactly-sized planes (no padding past the last row), returns (status, rgb)."""
    y, u, v = (np.ascontiguousarray(p) for p in planes)
    height, width = y.shape
    out = np.zeros((height, width, 3), np.uint8)
    status = lib.smol_yuv420p_to_rgb24(y.ctypes.data, y.strides[0], u.ctypes.data, u.strides[0],
                                       v.ctypes.data, v.strides[0], width, height, colorspace,
                                       int(full_range), siting, out.ctypes.data)
    return status, out


def frame_planes(frame: av.VideoFrame) -> list[np.ndarray]:
    return [np.frombuffer(p, np.uint8).reshape(p.height, p.line_size)[:, :p.width] for p in frame.planes]


def pyav_frame(planes: list[np.ndarray], colorspace: int, color_range: int, fmt: str = "yuv420p"):
    height, width = planes[0].shape
    frame = av.VideoFrame(width, height, fmt)
    for plane, data in zip(frame.planes, planes):
        padded = np.zeros((plane.height, plane.line_size), np.uint8)
        padded[:, : data.shape[1]] = data
        plane.update(padded.tobytes())
    frame.colorspace = colorspace
    frame.color_range = color_range
    return frame


def random_planes(rng, width: int, height: int) -> list[np.ndarray]:
    cw, ch = (width + 1) // 2, (height + 1) // 2
    return [rng.integers(0, 256, shape, dtype=np.uint8) for shape in ((height, width), (ch, cw), (ch, cw))]


def check_clips(lib) -> tuple[Tally, list[str]]:
    odd, problems = Tally("odd-height clips (vs PyAV and the goldens' rgb24_sha256_16)"), []
    for clip in json.loads((CLIPS / "clips.json").read_text())["clips"]:
        path = CLIPS / clip["file"]
        meta = json.loads((GOLDENS / path.stem / "metadata.json").read_text())
        hashes = meta["decoded_frames"]["rgb24_sha256_16"]
        container = av.open(str(path))
        container.seek(0)
        for k, frame in enumerate(container.decode(video=0)):
            status, mine = convert(lib, frame_planes(frame), int(frame.colorspace), int(frame.color_range) == 2)
            if frame.height % 2 == 0:
                if status != EVEN_HEIGHT:
                    problems.append(f"{clip['file']}: even height not refused (status {status})")
                break
            assert status == OK, (clip["file"], status)
            odd.add(mine, frame.to_ndarray(format="rgb24"))
            if hashlib.sha256(mine.tobytes()).hexdigest()[:16] != hashes[k]:
                problems.append(f"{clip['file']} frame {k}: rgb24 hash differs from the golden")
    return odd, problems


def check_random(lib) -> list[Tally]:
    rng = np.random.default_rng(20251129)
    sizes = [(w, h) for w in range(1, 14) for h in range(1, 16, 2)]
    sizes += [(33, 17), (32, 17), (97, 55), (96, 55), (65, 63), (64, 63), (127, 31), (320, 181), (641, 359)]
    tallies = {}
    for width, height in sizes:
        for colorspace in ACCEPTED_MATRICES:
            for color_range in (RANGE_LIMITED, RANGE_FULL, RANGE_UNSPECIFIED):
                if color_range == RANGE_UNSPECIFIED and colorspace != 2:
                    continue
                planes = random_planes(rng, width, height)
                reference = pyav_frame(planes, colorspace, color_range).to_ndarray(format="rgb24")
                status, mine = convert(lib, planes, colorspace, color_range == RANGE_FULL)
                assert status == OK
                name = f"random planes, matrix {colorspace}, " + {0: "unspecified", 1: "limited", 2: "full"}[color_range] + " range"
                tallies.setdefault(name, Tally(name)).add(mine, reference)
    jpeg = Tally("random planes, yuvj420p (full range by format)")
    for width, height in [(33, 17), (32, 17), (7, 5)]:
        planes = random_planes(rng, width, height)
        reference = pyav_frame(planes, 2, RANGE_UNSPECIFIED, "yuvj420p").to_ndarray(format="rgb24")
        status, mine = convert(lib, planes, 2, True)
        assert status == OK
        jpeg.add(mine, reference)
    return list(tallies.values()) + [jpeg]


def check_siting(lib) -> tuple[list[Tally], list[str]]:
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None or "libaom-av1" not in subprocess.run([ffmpeg, "-hide_banner", "-encoders"],
                                                             capture_output=True, text=True).stdout:
        return [], ["chroma siting: skipped (no ffmpeg with libaom-av1 to make tagged clips)"]
    tallies = []
    with tempfile.TemporaryDirectory(prefix="siting_") as tmp:
        for name, location in SITING.items():
            tally = Tally(f"AV1 clips sited {name} (AVChromaLocation {location})")
            for width, height in [(33, 17), (32, 17), (97, 55), (96, 55)]:
                path = Path(tmp) / f"{name}_{width}x{height}.mkv"
                subprocess.run([ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "lavfi", "-i",
                                f"testsrc=size={width}x{height}:rate=10", "-frames:v", "4", "-c:v", "libaom-av1",
                                "-cpu-used", "8", "-pix_fmt", "yuv420p", "-chroma_sample_location", name, str(path)],
                               check=True)
                for frame in av.open(str(path)).decode(video=0):
                    status, mine = convert(lib, frame_planes(frame), int(frame.colorspace),
                                           int(frame.color_range) == 2, location)
                    assert status == OK
                    tally.add(mine, frame.to_ndarray(format="rgb24"))
            tallies.append(tally)
    return tallies, []


def check_refused(lib) -> list[str]:
    """Matrices FFmpeg 8 refuses must be refused here too."""
    problems = []
    planes = random_planes(np.random.default_rng(7), 9, 5)
    for colorspace in REFUSED_MATRICES:
        try:
            pyav_frame(planes, colorspace, RANGE_LIMITED).to_ndarray(format="rgb24")
            problems.append(f"matrix {colorspace}: PyAV converts it, the C function refuses it")
        except OSError:
            pass
        if convert(lib, planes, colorspace, False)[0] != UNSUPPORTED_COLORSPACE:
            problems.append(f"matrix {colorspace}: the C function does not report it unsupported")
    return problems


def main() -> int:
    print(f"PyAV {av.__version__}, libswscale {'.'.join(map(str, av.library_versions['libswscale']))}")
    with tempfile.TemporaryDirectory(prefix="yuv_to_rgb_") as tmp:
        lib = build_library(Path(tmp))
        clip_tally, problems = check_clips(lib)
        random_tallies = check_random(lib)
        siting_tallies, siting_notes = check_siting(lib)
        problems += check_refused(lib)
    checked = [clip_tally] + random_tallies + siting_tallies
    for tally in checked:
        print(tally.line())
    for line in siting_notes + problems:
        print(line)
    failed = any(t.worst for t in checked) or problems
    print("check: " + ("FAILED" if failed else "bit-exact on every odd-height case"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
