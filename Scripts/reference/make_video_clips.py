#!/usr/bin/env python3
"""Synthesizes the short test clips of the video goldens with the FFmpeg command-line tool.

Writes Tests/SmolVisionTests/Fixtures/videos/<stem>.<ext> and clips.json (each clip's recipe: the exact
ffmpeg arguments, the FFmpeg version that made the committed files, their size and SHA-256).

Every clip comes from lavfi test sources with motion (testsrc2, testsrc, mandelbrot, smptebars + scroll),
encoded single-threaded with bit-exact muxing, so one FFmpeg build gives the same bytes on every run.
Another FFmpeg version may encode different bytes (x264/libvpx/muxer changes), so the committed files are
the fixtures: `make_video_goldens.py --check` verifies the goldens computed from them, not the clips.
`--compare` here only reports whether this machine's ffmpeg reproduces the committed bytes.

Usage (from the repository root; needs /usr/bin/ffmpeg with libx264, libvpx-vp9 and the native aac encoder):
    python3 Scripts/reference/make_video_clips.py             # rewrite the clips
    python3 Scripts/reference/make_video_clips.py --compare   # regenerate into a temporary folder, compare bytes
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
OUT = REPO_ROOT / "Tests" / "SmolVisionTests" / "Fixtures" / "videos"
FFMPEG = "ffmpeg"
MAX_TOTAL_BYTES = 1_500_000

# Bit-exact container output, no encoder/creation-time tags, no inherited metadata.
COMMON = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y"]
BITEXACT_MUX = ["-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact"]
X264 = ["-c:v", "libx264", "-threads", "1", "-preset", "medium", "-pix_fmt", "yuv420p"]

# (stem, extension, what it exercises, ffmpeg arguments between the common prefix and the output path)
CLIPS: list[tuple[str, str, str, list[str]]] = [
    ("h264_160x90_30fps_2s", "mp4",
     "MP4/H.264 yuv420p, 30 fps, exactly 2 s (60 frames), x264 defaults (3 B-frames, one GOP), untagged colour (BT.601)",
     ["-f", "lavfi", "-i", "testsrc2=size=160x90:rate=30", "-frames:v", "60",
      *X264, "-crf", "30"]),
    ("h264_128x72_29.97fps_9.5s", "mov",
     "QuickTime MOV/H.264, 30000/1001 fps, 285 frames (9.51 s), tagged BT.709 limited range",
     ["-f", "lavfi", "-i", "mandelbrot=size=128x72:rate=30000/1001", "-frames:v", "285",
      "-vf", "scale=out_color_matrix=bt709:out_range=tv,format=yuv420p",
      *X264, "-crf", "32", "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709",
      "-color_range", "tv"]),
    ("vp9_97x55_24fps_12.5s", "webm",
     "WebM/VP9 yuv420p with odd dimensions 97x55, 24 fps, 300 frames (12.5 s)",
     ["-f", "lavfi", "-i", "testsrc=size=97x55:rate=24", "-frames:v", "300",
      "-c:v", "libvpx-vp9", "-threads", "1", "-row-mt", "0", "-deadline", "good", "-cpu-used", "4",
      "-b:v", "0", "-crf", "45", "-g", "48", "-pix_fmt", "yuv420p"]),
    ("vp9_99x56_25fps_7s", "webm",
     "WebM/VP9 yuv420p with an odd width and an even height, 99x56, 25 fps, 175 frames (7 s): the size class "
     "where older libswscale (Debian 12's 6.7) still gives PyAV's rgb24 bit for bit",
     ["-f", "lavfi", "-i", "mandelbrot=size=99x56:rate=25", "-frames:v", "175",
      "-c:v", "libvpx-vp9", "-threads", "1", "-row-mt", "0", "-deadline", "good", "-cpu-used", "4",
      "-b:v", "0", "-crf", "45", "-g", "50", "-pix_fmt", "yuv420p"]),
    ("h264_64x36_6fps_180s", "mp4",
     "MP4/H.264, 3 minutes (1080 frames at 6 fps), 64x36: long enough for SmolVLM's skip_secs rule",
     ["-f", "lavfi", "-i", "testsrc2=size=64x36:rate=6", "-frames:v", "1080",
      *X264, "-crf", "36", "-g", "60"]),
    ("h264_bframes_audio_120x68_25fps_5s", "mp4",
     "MP4/H.264 with B-frames (3, no B-pyramid off) and a 12-frame GOP, 25 fps, 125 frames; an AAC audio "
     "track is stream 0 and the video stream 1",
     ["-f", "lavfi", "-i", "smptebars=size=120x68:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000",
      "-map", "1:a", "-map", "0:v", "-frames:v", "125", "-t", "5",
      "-vf", "scroll=horizontal=0.013:vertical=0.007",
      *X264, "-crf", "30", "-bf", "3", "-g", "12", "-keyint_min", "12", "-sc_threshold", "0",
      "-c:a", "aac", "-b:a", "24k", "-ac", "1"]),
]


def ffmpeg_version() -> str:
    first = subprocess.run([FFMPEG, "-version"], check=True, capture_output=True, text=True).stdout.splitlines()[0]
    return first.split(" Copyright")[0]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def generate(out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    index = {"ffmpeg": ffmpeg_version(), "common_arguments": COMMON + BITEXACT_MUX, "clips": []}
    for stem, ext, what, args in CLIPS:
        path = out / f"{stem}.{ext}"
        subprocess.run([FFMPEG, *COMMON, *args, *BITEXACT_MUX, str(path)], check=True)
        index["clips"].append({"file": path.name, "what": what, "arguments": args,
                               "bytes": path.stat().st_size, "sha256": sha256(path)})
    total = sum(c["bytes"] for c in index["clips"])
    if total > MAX_TOTAL_BYTES:
        raise SystemExit(f"the clips take {total} bytes, over the {MAX_TOTAL_BYTES}-byte budget")
    index["total_bytes"] = total
    return index


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--compare", action="store_true",
                        help="regenerate into a temporary folder and report which clips differ byte-wise")
    args = parser.parse_args()
    if args.compare:
        with tempfile.TemporaryDirectory(prefix="videos_") as tmp:
            fresh = generate(Path(tmp))
        committed = json.loads((OUT / "clips.json").read_text())
        same = {c["file"]: c["sha256"] for c in committed["clips"]} == {c["file"]: c["sha256"] for c in fresh["clips"]}
        print(f"committed clips made by {committed['ffmpeg']}; this machine has {fresh['ffmpeg']}")
        print("compare: " + ("byte-identical" if same else "clips differ (expected across FFmpeg versions; "
                             "run make_video_goldens.py --check to verify the goldens)"))
        return 0 if same else 1
    for old in OUT.glob("*"):
        if old.suffix in (".mp4", ".mov", ".webm"):
            old.unlink()
    index = generate(OUT)
    (OUT / "clips.json").write_text(json.dumps(index, indent=1) + "\n")
    for clip in index["clips"]:
        print(f"  {clip['file']}: {clip['bytes']} bytes")
    print(f"wrote {OUT.relative_to(REPO_ROOT)} ({index['total_bytes']} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
