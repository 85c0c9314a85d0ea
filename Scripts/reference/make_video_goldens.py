#!/usr/bin/env python3
"""Video goldens for SmolVLM2: what transformers 5.24 does with a video file, from container metadata to
greedy tokens, on the clips of Tests/SmolVisionTests/Fixtures/videos/ (made by make_video_clips.py).

The reference path is the one /work/shared/reference/algorithms.md §13.5 prescribes (apply_chat_template with
a video *path* needs torchcodec, which is not installed):

    frames, metadata = transformers.video_utils.load_video(path, backend="pyav")   # every frame, RGB uint8
    prompt = processor.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
    inputs = processor(text=prompt, videos=[frames], video_metadata=[metadata], do_sample_frames=True,
                       return_tensors="pt")
    model(**inputs) for the prefill, then greedy steps through the KV cache (golden_io.greedy)

with SmolVLMProcessor = PIL image processor + TokenizersBackend + the real SmolVLMVideoProcessor (torchvision
backend: the only one it has). Cross-checked: the same conversation through apply_chat_template(tokenize=True)
with the frames in the message and the metadata in processor_kwargs gives identical ids and pixel values.

Writes
  Tests/SmolVisionTests/Fixtures/video/<clip stem>/   metadata.json, sampling.json, frames_rgb.safetensors,
                                                      processor/{meta.json, frames/frame_kk.png}
  Tests/SmolPipelineTests/Fixtures/tiny-smolvlm2/video_<case>/   messages.json, prompt.txt,
                                                      expanded_prompt.txt, golden.safetensors, meta.json
                                                      (+ input_frames/ and frames/ for the frames-list case)
  Tests/SmolPipelineTests/Fixtures/video_cases.json   index of the video pipeline cases
  Tests/SmolTextTests/Fixtures/num2words/cardinals.json   num2words English cardinals (frame-count words)
Formats: the README.md next to each.

Usage (from the repository root; needs Models/tiny-smolvlm2 from Scripts/make_tiny_smolvlm.py):
    Scripts/reference/.venv/bin/python Scripts/reference/make_video_goldens.py
    Scripts/reference/.venv/bin/python Scripts/reference/make_video_goldens.py --check   # compare only
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import importlib.metadata
import json
import shutil
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import av
import numpy as np
import PIL
import torch
import torchvision
import transformers
from num2words import num2words
from PIL import Image
from tokenizers import Tokenizer
from torchvision.transforms.v2 import functional as tvF
from transformers import AutoImageProcessor, AutoModelForImageTextToText, AutoVideoProcessor, SmolVLMProcessor
from transformers.models.smolvlm import processing_smolvlm, video_processing_smolvlm
from transformers.tokenization_utils_tokenizers import TokenizersBackend
from transformers.video_utils import VideoMetadata, load_video

sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden_io import (MODELS, REPO_ROOT, compare_trees, check_sizes, display, greedy, json_line,  # noqa: E402
                       same_pixels, save_frame_png, tensors_within, write_json, write_safetensors)
from make_processor_goldens import synthetic_rgb  # noqa: E402
from make_random_vision_weights import sha256  # noqa: E402

CLIPS = REPO_ROOT / "Tests" / "SmolVisionTests" / "Fixtures" / "videos"
VIDEO_OUT = REPO_ROOT / "Tests" / "SmolVisionTests" / "Fixtures" / "video"
PIPELINE = REPO_ROOT / "Tests" / "SmolPipelineTests" / "Fixtures"
NUM2WORDS_OUT = REPO_ROOT / "Tests" / "SmolTextTests" / "Fixtures" / "num2words"
MODEL_NAME = "tiny-smolvlm2"
NEW_TOKENS = 32
STOP_TOKEN_IDS = [49279, 2]

# Sampling settings recorded in sampling.json. None = the processor's own (video_sampling: fps 1, 64 frames).
# "fps1_max4" makes the skip_secs rule fire on clips longer than 6 s.
SAMPLING = [("default", None, None), ("fps2_max8", 2, 8), ("fps0.5_max64", 0.5, 64), ("fps1_max4", 1, 4)]
# frames_rgb.safetensors keeps the frames at these positions of the default sampling (all when absent).
RGB_POSITIONS = {"h264_64x36_6fps_180s": [0, 16, 32, 48, 63]}

FAKE, GLOBAL, IMAGE = "<fake_token_around_image>", "<global-img>", "<image>"


# ---------------------------------------------------------------------------------------------------
# Decoding
# ---------------------------------------------------------------------------------------------------


def _flat(value) -> bool:
    return isinstance(value, list) and not any(isinstance(v, (dict, list)) for v in value)


def _compact(value, indent: str) -> str:
    if isinstance(value, dict) and value:
        inner = indent + " "
        items = [f"{inner}{json_line(key)}: {_compact(item, inner)}" for key, item in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and value and not _flat(value):
        inner = indent + " "
        return "[\n" + ",\n".join(inner + _compact(item, inner) for item in value) + "\n" + indent + "]"
    return json_line(value)


def write_compact_json(path: Path, value) -> None:
    """Like golden_io.write_json (indent 1, raw UTF-8), but a list of scalars stays on one line, so
    per-frame arrays do not take a line per number."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_compact(value, "") + "\n", encoding="utf-8")


# AVPictureType: 0 none, 1 I, 2 P, 3 B, 4 S, 5 SI, 6 SP, 7 BI
PICT_TYPES = "?IPBSisb"


def short_sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def decode_every_frame(path: Path) -> dict:
    """Every frame as transformers' PyAV reader sees them: container.seek(0), then decode(video=0)."""
    container = av.open(str(path))
    stream = container.streams.video[0]
    container.seek(0)
    pts, kinds, keys, yuv_sha, rgb_sha, rgb = [], [], [], [], [], []
    first = None
    for k, frame in enumerate(container.decode(video=0)):
        if first is None:
            first = {"pix_fmt": frame.format.name, "colorspace": int(frame.colorspace),
                     "color_range": int(frame.color_range), "color_trc": int(frame.color_trc),
                     "color_primaries": int(frame.color_primaries)}
        assert frame.format.name == "yuv420p", frame.format.name
        planes = [np.frombuffer(p, np.uint8).reshape(p.height, p.line_size)[:, :p.width] for p in frame.planes]
        pixels = frame.to_ndarray(format="rgb24")
        pts.append(int(frame.pts))
        kinds.append(PICT_TYPES[int(frame.pict_type)])
        if frame.key_frame:
            keys.append(k)
        yuv_sha.append(short_sha(b"".join(np.ascontiguousarray(p).tobytes() for p in planes)))
        rgb_sha.append(short_sha(pixels.tobytes()))
        rgb.append(pixels)
    tb = stream.time_base
    streams = [{"index": s.index, "type": s.type, "codec": s.codec_context.name} for s in container.streams]
    info = {
        "container_format": container.format.name,
        "container_duration_us": container.duration,
        "streams": streams,
        "video_stream": {
            "index": stream.index,
            "codec": stream.codec_context.name,
            "width": stream.width,
            "height": stream.height,
            "frames_in_header": stream.frames,
            "average_rate": str(stream.average_rate),
            "base_rate": str(stream.base_rate),
            "guessed_rate": str(stream.guessed_rate),
            "time_base": str(tb),
            "start_time": stream.start_time,
            "duration": stream.duration,
        },
        "first_frame": first,
        "decoded_frames": {
            "count": len(pts),
            "time_base": str(tb),
            "pts": pts,
            "times": [float(p * tb) for p in pts],
            "key_frames": keys,
            "pict_types": "".join(kinds),
            "yuv_sha256_16": yuv_sha,
            "rgb24_sha256_16": rgb_sha,
        },
    }
    return {"info": info, "rgb": np.stack(rgb)}


def transformers_loader(path: Path, decoded: dict) -> tuple[np.ndarray, VideoMetadata, dict]:
    """load_video(path, backend="pyav"), or where it fails, the same reader's formulas with the frame count
    the container does not store (what decord's len() and torchcodec's exact scan report)."""
    stream_info = decoded["info"]["video_stream"]
    try:
        frames, meta = load_video(str(path), backend="pyav")
    except IndexError as error:
        # read_video_pyav: total_num_frames = stream.frames = 0 (Matroska/WebM keep no frame count),
        # sample_indices_fn returns no index, and `indices[-1]` raises.
        assert stream_info["frames_in_header"] == 0, stream_info
        count = decoded["info"]["decoded_frames"]["count"]
        fps = float(av.open(str(path)).streams.video[0].average_rate)
        meta = VideoMetadata(total_num_frames=count, fps=fps, duration=float(count / fps), video_backend="pyav",
                             height=stream_info["height"], width=stream_info["width"],
                             frames_indices=np.arange(count))
        status = {"status": "fails", "error": f"{type(error).__name__}: {error}",
                  "why": "container.streams.video[0].frames is 0 (the container stores no frame count), so the "
                         "reader's default sampling returns no index and `indices[-1]` raises",
                  "reference_metadata_source": "read_video_pyav's formulas with total_num_frames = the number of "
                                               "frames decoded (= decord's len(), torchcodec's exact-mode count)"}
        return decoded["rgb"], meta, status
    assert np.array_equal(frames, decoded["rgb"]), "load_video frames differ from a plain PyAV decode"
    assert meta.total_num_frames == decoded["info"]["decoded_frames"]["count"], "header frame count != decoded"
    return frames, meta, {"status": "ok", "reference_metadata_source": "load_video(path, backend='pyav')"}


def metadata_dict(meta: VideoMetadata) -> dict:
    return {"total_num_frames": int(meta.total_num_frames), "fps": float(meta.fps), "duration": float(meta.duration),
            "width": int(meta.width), "height": int(meta.height), "video_backend": meta.video_backend}


# ---------------------------------------------------------------------------------------------------
# Sampling and prompt text
# ---------------------------------------------------------------------------------------------------


def formula_indices(meta: VideoMetadata, fps: float, max_frames: int, skip_secs: float) -> dict:
    """SmolVLMVideoProcessor.sample_frames written out independently (checked against the real one)."""
    total, duration, video_fps = meta.total_num_frames, meta.duration, meta.fps
    estimated = int(round(fps * duration))
    desired = max(1, min(estimated, max_frames))
    start, end = 0, total - 1
    skip = skip_secs > 0 and (duration - 2 * skip_secs) > max_frames * fps
    if skip:
        start, end = int(skip_secs * video_fps), int(total - skip_secs * video_fps)
    start, end = max(0, start), min(end, total - 1)
    if start >= end:
        start, end = 0, total - 1
    indices = np.unique(np.linspace(start, end, desired, dtype=int))
    return {"estimated_frames": estimated, "desired_frames": desired, "skip_applied": bool(skip),
            "start_index": start, "end_index": end, "indices": [int(i) for i in indices]}


def video_prompt(num_frames: int, timestamps: list[float], duration: float | None, seq_len: int) -> str:
    """SmolVLMProcessor.replace_video_token written out independently."""
    text = processing_smolvlm.DEFAULT_VIDEO_INTRO.format(
        frame_count=num2words(num_frames),
        video_duration=str(timedelta(seconds=int(duration if duration is not None else timestamps[-1]))))
    for t in timestamps:
        text += f"\nFrame from {int(t // 60):02d}:{int(t % 60):02d}:" + FAKE + GLOBAL + IMAGE * seq_len + FAKE
    return text + "\n\n"


def sample(processor: SmolVLMProcessor, frames, meta: VideoMetadata, fps, max_frames) -> tuple[dict, dict]:
    """Runs the video processor with frame sampling on, recording the arguments sample_frames receives."""
    vp = processor.video_processor
    received = []
    real = vp.sample_frames

    def spy(metadata, **kwargs):
        received.append(sorted(kwargs))
        return real(metadata, **kwargs)

    overrides = {} if fps is None else {"fps": fps, "num_frames": max_frames}
    vp.sample_frames = spy  # preprocess() binds partial(self.sample_frames, ...) to the instance attribute
    try:
        out = vp(videos=[frames], video_metadata=[copy.deepcopy(meta)], do_sample_frames=True, return_metadata=True,
                 return_tensors="pt", **overrides)
    finally:
        del vp.sample_frames
    assert len(received) == 1 and "skip_secs" not in received[0], received
    used = out["video_metadata"][0]
    fps_used = vp.fps if fps is None else fps
    frames_used = vp.num_frames if fps is None else max_frames
    mine = formula_indices(meta, fps_used, frames_used, skip_secs=1)
    indices = [int(i) for i in used.frames_indices]
    assert indices == mine["indices"], (indices, mine)
    assert indices == [int(i) for i in real(copy.deepcopy(meta), num_frames=frames_used, fps=fps_used, skip_secs=1)]
    timestamps = [float(t) for t in used.timestamps]
    assert timestamps == [i / meta.fps for i in indices]
    entry = {"fps": fps_used, "max_frames": frames_used, **mine, "frame_count": len(indices),
             "timestamps": timestamps,
             "timestamps_mmss": [[int(t // 60), int(t % 60)] for t in timestamps],
             "duration_int": int(meta.duration),
             "duration_text": str(timedelta(seconds=int(meta.duration))),
             "frame_count_words": num2words(len(indices)),
             "intro": processing_smolvlm.DEFAULT_VIDEO_INTRO.format(
                 frame_count=num2words(len(indices)), video_duration=str(timedelta(seconds=int(meta.duration))))}
    without_skip = formula_indices(meta, fps_used, frames_used, skip_secs=0)["indices"]
    if without_skip != indices:
        entry["indices_if_skip_secs_0"] = without_skip

    # The prompt text the processor builds for this sampling, rebuilt independently.
    expanded = processor(text="<video>", videos=[frames], video_metadata=[copy.deepcopy(meta)], do_sample_frames=True,
                         return_tensors="pt", **overrides)
    assert expanded["pixel_values"].shape[1] == len(indices)
    text = processor.tokenizer.decode(expanded["input_ids"][0], skip_special_tokens=False)
    assert text == video_prompt(len(indices), timestamps, meta.duration, processor.image_seq_len), text[:300]
    return entry, out


# ---------------------------------------------------------------------------------------------------
# Processor output
# ---------------------------------------------------------------------------------------------------


def uint8_frames(pixel_values: np.ndarray) -> np.ndarray:
    """The uint8 frames behind the video processor's pixel_values [n, 3, H, W]. Its fused rescale+normalize
    computes float32((float32(u8) - 127.5) / 127.5) (mean and std 0.5 divided by 1/255 in float32); the
    assert proves that formula reproduces every value bit for bit."""
    u8 = np.rint(pixel_values.astype(np.float64) * 127.5 + 127.5)
    assert u8.min() >= 0 and u8.max() <= 255
    u8 = u8.astype(np.uint8)
    again = (u8.astype(np.float32) - np.float32(127.5)) / np.float32(127.5)
    assert np.array_equal(again.view(np.uint32), pixel_values.astype(np.float32).view(np.uint32))
    return u8


def resize_chain(processor: SmolVLMProcessor, height: int, width: int) -> list[list[int]]:
    vp = processor.video_processor
    first = video_processing_smolvlm.get_resize_output_image_size(torch.zeros(1, 3, height, width, dtype=torch.uint8),
                                                                  resolution_max_side=vp.size["longest_edge"])
    tile = vp.max_image_size["longest_edge"]
    return [[height, width], list(first), [tile, tile]]


def check_resize(frames: np.ndarray, chain: list[list[int]], u8: np.ndarray) -> None:
    """The frames are exactly torchvision's uint8 LANCZOS (antialias) resize, twice."""
    x = torch.from_numpy(frames).permute(0, 3, 1, 2).contiguous()
    for size in chain[1:]:
        x = tvF.resize(x, size, interpolation=tvF.InterpolationMode.LANCZOS, antialias=True)
    assert np.array_equal(x.numpy(), u8), "the resize chain does not reproduce the processor's frames"


def mask_summary(mask: np.ndarray) -> list[list[int]]:
    rows = []
    for frame in mask:
        r, c = int(frame.any(axis=1).sum()), int(frame.any(axis=0).sum())
        expected = np.zeros_like(frame)
        expected[:r, :c] = 1
        assert np.array_equal(frame, expected)
        rows.append([r, c])
    return rows


# ---------------------------------------------------------------------------------------------------
# Per-clip goldens (Tests/SmolVisionTests/Fixtures/video/<stem>/)
# ---------------------------------------------------------------------------------------------------


def clip_goldens(processor: SmolVLMProcessor, clip: dict, out: Path) -> dict:
    path = CLIPS / clip["file"]
    stem = path.stem
    folder = out / stem
    decoded = decode_every_frame(path)
    frames, meta, status = transformers_loader(path, decoded)
    info = decoded["info"]
    height, width = info["video_stream"]["height"], info["video_stream"]["width"]
    metadata = {
        "file": f"videos/{clip['file']}",
        "clip_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "transformers_pyav_loader": status,
        "reference_metadata": metadata_dict(meta),
        "how": {
            "total_num_frames": "int(container.streams.video[0].frames): the frame count the container header "
                                "stores (MP4/MOV: sample count of the track; Matroska/WebM: none, 0)",
            "fps": "float(container.streams.video[0].average_rate): libavformat's avg_frame_rate",
            "duration": "total_num_frames / fps (not the container or stream duration)",
            "width, height": "container.streams.video[0].width / .height (coded size after cropping)",
            "frames": "container.seek(0), then every frame of container.decode(video=0) in order; frame i is the "
                      "i-th decoded (presentation-order) frame, converted with VideoFrame.to_ndarray(format='rgb24')",
            "timestamps": "frame_index / fps for the sampled indices (decoded pts are NOT used)",
        },
        **info,
        "rgb24_conversion": rgb_conversion(height, width, info["first_frame"]),
    }
    write_compact_json(folder / "metadata.json", metadata)

    configs, default_out = {}, None
    for name, fps, max_frames in SAMPLING:
        entry, processed = sample(processor, frames, meta, fps, max_frames)
        configs[name] = entry
        if name == "default":
            default_out = processed
    write_compact_json(folder / "sampling.json", {
        "skip_secs": 1,
        "skip_secs_source": "SmolVLMVideoProcessor.sample_frames(metadata, num_frames, fps, skip_secs=1): "
                            "BaseVideoProcessor.preprocess binds partial(self.sample_frames, **kwargs) with the "
                            "VideosKwargs keys only, and skip_secs is not one of them, so the default 1 always "
                            "applies (checked by recording the arguments sample_frames receives)",
        "rule": "estimated = int(round(fps * duration)); desired = max(1, min(estimated, max_frames)); "
                "start, end = 0, total - 1; if skip_secs > 0 and duration - 2 * skip_secs > max_frames * fps: "
                "start, end = int(skip_secs * video_fps), int(total - skip_secs * video_fps); "
                "start = max(0, start); end = min(end, total - 1); if start >= end: start, end = 0, total - 1; "
                "indices = unique(linspace(start, end, desired, dtype=int))",
        "reference_metadata": metadata_dict(meta),
        "configs": configs,
    })

    default = configs["default"]
    positions = RGB_POSITIONS.get(stem, list(range(default["frame_count"])))
    chosen = [default["indices"][p] for p in positions]
    write_safetensors(folder / "frames_rgb.safetensors", {
        "frames": ("U8", frames[chosen]),
        "indices": ("I64", np.array(chosen, dtype=np.int64)),
        "positions": ("I64", np.array(positions, dtype=np.int64)),
    }, {"reference": f"PyAV {av.__version__} (libavcodec {'.'.join(map(str, av.library_versions['libavcodec']))}, "
                     f"libswscale {'.'.join(map(str, av.library_versions['libswscale']))}), "
                     "VideoFrame.to_ndarray(format='rgb24')", "clip": clip["file"]})

    pixel_values = default_out["pixel_values"].numpy()
    mask = default_out["pixel_attention_mask"].numpy()
    assert pixel_values.shape[0] == 1 and pixel_values.dtype == np.float32
    u8 = uint8_frames(pixel_values[0])
    chain = resize_chain(processor, height, width)
    check_resize(frames[default["indices"]], chain, u8)
    assert mask.dtype == np.int64 and mask.all()
    (folder / "processor" / "frames").mkdir(parents=True, exist_ok=True)
    for k, frame in enumerate(u8):
        save_frame_png(folder / "processor" / "frames" / f"frame_{k:02d}.png", frame)
    vp = processor.video_processor
    write_compact_json(folder / "processor" / "meta.json", {
        "video_processor": type(vp).__name__,
        "sampling": "default",
        "indices": default["indices"],
        "pixel_values_shape": list(pixel_values.shape),
        "pixel_values_formula": "float32((float32(u8) - 127.5) / 127.5), u8 = frames/frame_kk.png (bit for bit)",
        "pixel_attention_mask_shape": list(mask.shape),
        "pixel_attention_mask_valid": mask_summary(mask[0]),
        "resize_chain": chain,
        "resize": "torchvision.transforms.v2.functional.resize(uint8 [N, 3, H, W], size, "
                  "interpolation=InterpolationMode.LANCZOS, antialias=True), twice: longest edge to "
                  f"size.longest_edge = {vp.size['longest_edge']} (get_resize_output_image_size: other edge "
                  "int(edge / aspect), +1 if odd), then to the max_image_size square",
        "size": dict(vp.size),
        "max_image_size": dict(vp.max_image_size),
        "video_sampling_in_config": json.loads(
            (MODELS / MODEL_NAME / "preprocessor_config.json").read_text())["video_sampling"],
    })
    print(f"  {stem}: {info['decoded_frames']['count']} frames, loader {status['status']}, "
          f"default {default['frame_count']} frames (skip {default['skip_applied']}), chain {chain}")
    return {"meta": meta, "frames": frames, "sampling": configs, "u8": u8, "stem": stem}


def rgb_conversion(height: int, width: int, first: dict) -> dict:
    """Which libswscale path PyAV's to_ndarray(format='rgb24') takes (see the README)."""
    return {
        "call": "VideoFrame.to_ndarray(format='rgb24') -> VideoReformatter.reformat: sws_scale_frame with "
                "flags SWS_BILINEAR, threads 0 (auto), source colorspace/range from the frame",
        "frame_colorspace": first["colorspace"],
        "frame_color_range": first["color_range"],
        "matrix": "BT.709" if first["colorspace"] == 1 else "BT.601 (frame colorspace unspecified or 601)",
        "range": "full (JPEG)" if first["color_range"] == 2 else "limited (MPEG)",
        "swscale_path": ("unscaled special converter (yuv420p -> rgb24, each chroma sample used for its 2x2 "
                         "luma block, no interpolation)") if height % 2 == 0 else
                        ("generic scaler (odd height: the unscaled converter needs an even height): chroma "
                         "interpolated bilinearly; differs from older libswscale, see README"),
    }


# ---------------------------------------------------------------------------------------------------
# Pipeline cases (Tests/SmolPipelineTests/Fixtures/tiny-smolvlm2/video_<case>/)
# ---------------------------------------------------------------------------------------------------


def video(file: str) -> dict:
    return {"type": "video", "path": file}


def text(value: str) -> dict:
    return {"type": "text", "text": value}


FRAME_LIST_COUNT = 48  # 48 frames at the assumed 24 fps: timestamps 00:00 x 24, 00:01 x 24; duration int(47/24) = 1


def frame_list() -> dict:
    return {"type": "video", "path": [f"input_frames/frame_{k:02d}.png" for k in range(FRAME_LIST_COUNT)]}


VIDEO_CASES = [
    ("video_describe", "h264_160x90_30fps_2s.mp4",
     [{"role": "user", "content": [video("h264_160x90_30fps_2s.mp4"), text("Describe this video.")]}]),
    ("video_system_prompt", "h264_128x72_29.97fps_9.5s.mov",
     [{"role": "system", "content": [text("You are a concise assistant. Answer in one sentence.")]},
      {"role": "user", "content": [video("h264_128x72_29.97fps_9.5s.mov"), text("What happens in this clip?")]}]),
    ("video_text_around", "vp9_97x55_24fps_12.5s.webm",
     [{"role": "user", "content": [text("Here is a short clip: "), video("vp9_97x55_24fps_12.5s.webm"),
                                   text(" Which shapes move, and where?")]}]),
    ("video_three_minutes", "h264_64x36_6fps_180s.mp4",
     [{"role": "user", "content": [video("h264_64x36_6fps_180s.mp4"), text("Summarize this video.")]}]),
    ("video_audio_track", "h264_bframes_audio_120x68_25fps_5s.mp4",
     [{"role": "user", "content": [video("h264_bframes_audio_120x68_25fps_5s.mp4"), text("Describe this video.")]}]),
    ("video_frames_no_metadata", None,
     [{"role": "user", "content": [frame_list(), text("What is moving in these frames?")]}]),
    ("video_webm_even_height", "vp9_99x56_25fps_7s.webm",
     [{"role": "user", "content": [video("vp9_99x56_25fps_7s.webm"), text("What does this clip show?")]}]),
]


def synthetic_frames() -> list[np.ndarray]:
    """48 frames of 48x32: a fixed synthetic background with a bright square moving left to right."""
    base = synthetic_rgb(48, 32, 107)
    frames = []
    for k in range(FRAME_LIST_COUNT):
        frame = base.copy()
        x = k * (48 - 8) // (FRAME_LIST_COUNT - 1)
        frame[12:20, x:x + 8] = (250, 250, 40)
        frames.append(frame)
    return frames


def build_processor(model_dir: Path) -> SmolVLMProcessor:
    image_processor = AutoImageProcessor.from_pretrained(str(model_dir), backend="pil")
    video_processor = AutoVideoProcessor.from_pretrained(str(model_dir))
    assert type(video_processor).__name__ == "SmolVLMVideoProcessor", type(video_processor)
    tokenizer = TokenizersBackend.from_pretrained(str(model_dir))
    seq_len = json.loads((model_dir / "processor_config.json").read_text())["image_seq_len"]
    template = json.loads((model_dir / "chat_template.json").read_text())["chat_template"]
    return SmolVLMProcessor(image_processor=image_processor, tokenizer=tokenizer, video_processor=video_processor,
                            image_seq_len=seq_len, chat_template=template)


def expand(prompt: str, videos: list[tuple[int, list[float], float | None]], seq_len: int) -> str:
    pieces = prompt.split("<video>")
    assert len(pieces) == len(videos) + 1
    out = pieces[0]
    for (count, timestamps, duration), piece in zip(videos, pieces[1:]):
        out += video_prompt(count, timestamps, duration, seq_len) + piece
    return out


def run_case(model, processor: SmolVLMProcessor, tok: Tokenizer, case: tuple, clips: dict, out: Path,
             weights_sha: str) -> dict:
    name, clip_file, messages = case
    case_dir = out / MODEL_NAME / name
    case_dir.mkdir(parents=True, exist_ok=True)
    seq_len = processor.image_seq_len

    prompt = processor.apply_chat_template(copy.deepcopy(messages), add_generation_prompt=True, tokenize=False)
    # What the checkpoint's own chat_template.json would give: it has no video branch, so the video vanishes.
    checkpoint_prompt = processor.apply_chat_template(copy.deepcopy(messages), add_generation_prompt=True,
                                                      tokenize=False, chat_template=processor.chat_template)
    assert prompt == transformers_default_template(messages), "DEFAULT_CHAT_TEMPLATE was not the one used"

    if clip_file is not None:
        clip = clips[Path(clip_file).stem]
        meta, frames = clip["meta"], clip["frames"]
        inputs = processor(text=prompt, videos=[frames], video_metadata=[copy.deepcopy(meta)], do_sample_frames=True,
                           return_tensors="pt")
        # Cross-check: the frames inside the message, the metadata in processor_kwargs, tokenize=True.
        inline = copy.deepcopy(messages)
        for message in inline:
            for block in message["content"]:
                if block["type"] == "video":
                    block.pop("path")
                    block["video"] = frames
        again = processor.apply_chat_template(inline, add_generation_prompt=True, tokenize=True, return_dict=True,
                                              return_tensors="pt",
                                              processor_kwargs={"video_metadata": [copy.deepcopy(meta)]})
        default = clip["sampling"]["default"]
        timestamps, duration, indices = default["timestamps"], meta.duration, default["indices"]
        u8 = uint8_frames(inputs["pixel_values"].numpy()[0])
        assert np.array_equal(u8, clip["u8"]), "pipeline frames differ from the processor goldens"
        frames_dir = f"Tests/SmolVisionTests/Fixtures/video/{clip['stem']}/processor/frames"
        video_info = {"video_file": f"Tests/SmolVisionTests/Fixtures/videos/{clip_file}",
                      "reference_metadata": metadata_dict(meta), "sampling": "default (fps 1, max_frames 64)"}
    else:
        pictures = synthetic_frames()
        for k, picture in enumerate(pictures):
            (case_dir / "input_frames").mkdir(exist_ok=True)
            Image.fromarray(picture).save(case_dir / "input_frames" / f"frame_{k:02d}.png", compress_level=9)
        loaded = [Image.open(case_dir / "input_frames" / f"frame_{k:02d}.png").convert("RGB")
                  for k in range(FRAME_LIST_COUNT)]
        inputs = processor(text=prompt, videos=[loaded], return_tensors="pt")  # no metadata, no sampling
        absolute = copy.deepcopy(messages)
        absolute[0]["content"][0]["path"] = [str(case_dir / p) for p in absolute[0]["content"][0]["path"]]
        again = processor.apply_chat_template(absolute, add_generation_prompt=True, tokenize=True, return_dict=True,
                                              return_tensors="pt", processor_kwargs={"do_sample_frames": False})
        indices = list(range(FRAME_LIST_COUNT))
        timestamps, duration = [i / 24 for i in indices], None
        u8 = uint8_frames(inputs["pixel_values"].numpy()[0])
        (case_dir / "frames").mkdir(exist_ok=True)
        for k, frame in enumerate(u8):
            save_frame_png(case_dir / "frames" / f"frame_{k:02d}.png", frame)
        frames_dir = f"Tests/SmolPipelineTests/Fixtures/{MODEL_NAME}/{name}/frames"
        video_info = {"video_frames": [f"input_frames/frame_{k:02d}.png" for k in indices],
                      "reference_metadata": None,
                      "sampling": "none: a list of images is used as given (do_sample_frames stays False); "
                                  "SmolVLMProcessor.replace_video_token assumes fps 24, so timestamp k = k / 24 "
                                  "and the duration is int(last timestamp), not len // 24"}
    assert torch.equal(again["input_ids"], inputs["input_ids"])
    assert torch.equal(again["pixel_values"], inputs["pixel_values"])

    input_ids = inputs["input_ids"][0].tolist()
    expanded = expand(prompt, [(len(indices), timestamps, duration)], seq_len)
    assert tok.encode(expanded).ids == input_ids, "tokenizers on the expanded text disagrees with the processor"
    assert tok.decode(input_ids, skip_special_tokens=False) == expanded
    frame_count = inputs["pixel_values"].shape[1]
    assert frame_count == len(indices) and input_ids.count(model.config.image_token_id) == frame_count * seq_len
    mask = inputs["pixel_attention_mask"].numpy()[0]
    assert mask.all()

    first_logits, tokens, margins = greedy(model, dict(inputs), NEW_TOKENS)
    with torch.inference_mode():
        generated = model.generate(**inputs, do_sample=False, max_new_tokens=NEW_TOKENS)
        features = model.model.get_image_features(inputs["pixel_values"], inputs["pixel_attention_mask"])
    reference = generated[0, len(input_ids):].tolist()
    assert tokens[: len(reference)] == reference, (name, tokens, reference)
    connector = features.pooler_output[0].reshape(frame_count, seq_len, -1).numpy()

    write_safetensors(case_dir / "golden.safetensors", {
        "input_ids": ("I64", np.array(input_ids, dtype=np.int64)),
        "logits": ("F32", first_logits.numpy().astype(np.float32)),
        "tokens": ("I64", np.array(tokens, dtype=np.int64)),
        "margins": ("F32", np.array(margins, dtype=np.float32)),
        "frame_indices": ("I64", np.array(indices, dtype=np.int64)),
        "image_hidden_states": ("F32", connector.astype(np.float32)),
        "pixel_attention_mask_valid": ("I64", np.array(mask_summary(mask), dtype=np.int64).reshape(-1, 2)),
    }, {"reference": f"transformers {transformers.__version__}, torch {torch.__version__}, torchvision "
                     f"{torchvision.__version__}, PyAV {av.__version__}, {type(model).__name__}, float32, eager "
                     "attention, 1 thread, SmolVLMVideoProcessor, greedy over the KV cache",
        "weights_sha256": weights_sha})
    write_json(case_dir / "messages.json", messages)
    (case_dir / "prompt.txt").write_bytes(prompt.encode("utf-8"))
    (case_dir / "expanded_prompt.txt").write_bytes(expanded.encode("utf-8"))
    stops = [i for i, t in enumerate(tokens) if t in STOP_TOKEN_IDS]
    first_stop = stops[0] if stops else -1
    meta = {
        "model": MODEL_NAME,
        "case": name,
        **video_info,
        "chat_template": "processing_smolvlm.DEFAULT_CHAT_TEMPLATE (apply_chat_template switches to it when a "
                         "message holds a video and no template is passed; chat_template.json is not used)",
        "prompt_with_checkpoint_template": checkpoint_prompt,
        "add_generation_prompt": True,
        "weights_sha256": weights_sha,
        "prompt_tokens": len(input_ids),
        "image_token_id": model.config.image_token_id,
        "image_seq_len": seq_len,
        "frames": frame_count,
        "frame_indices": indices,
        "timestamps": timestamps,
        "frames_dir": frames_dir,
        "pixel_values_shape": list(inputs["pixel_values"].shape),
        "pixel_attention_mask": "all ones",
        "stop_token_ids": STOP_TOKEN_IDS,
        "first_stop_index": first_stop,
        "first_index_of": {str(t): (tokens.index(t) if t in tokens else -1) for t in STOP_TOKEN_IDS},
        "min_margin": min(margins),
        "text": tok.decode(tokens, skip_special_tokens=False),
        "text_skip_special_tokens": tok.decode(tokens, skip_special_tokens=True),
    }
    write_compact_json(case_dir / "meta.json", meta)
    print(f"  {MODEL_NAME}/{name}: {len(input_ids)} tokens, {frame_count} frames, min margin {min(margins):.4f}")
    return {"case": name, "dir": f"{MODEL_NAME}/{name}", "video": clip_file, "prompt_tokens": len(input_ids),
            "frames": frame_count, "first_stop_index": first_stop, "min_margin": min(margins), "text": meta["text"]}


def transformers_default_template(messages: list[dict]) -> str:
    """DEFAULT_CHAT_TEMPLATE's output written out, to show it is the template in use."""
    out = "<|im_start|>"
    for message in messages:
        content = message["content"]
        out += message["role"].capitalize() + (":" if content[0]["type"] == "image" else ": ")
        for block in content:
            out += block["text"] if block["type"] == "text" else f"<{block['type']}>"
        out += "<end_of_utterance>\n"
    return out + "Assistant:"


# ---------------------------------------------------------------------------------------------------
# num2words
# ---------------------------------------------------------------------------------------------------

LARGE_NUMBERS = [1001, 1010, 1100, 1999, 2000, 10000, 12345, 21000, 100000, 100100, 999999, 1000000, 1000001,
                 1234567, 2000000000]


def write_num2words(out: Path) -> None:
    numbers = list(range(0, 1001)) + LARGE_NUMBERS
    write_compact_json(out / "cardinals.json", {
        "reference": f"num2words {importlib.metadata.version('num2words')}, num2words(n) (lang 'en', to "
                     "'cardinal'), as SmolVLMProcessor calls it for the frame count",
        "pairs": [[n, num2words(n)] for n in numbers],
    })


# ---------------------------------------------------------------------------------------------------


def generate(video_out: Path, pipeline_out: Path, num2words_out: Path) -> None:
    model_dir = MODELS / MODEL_NAME
    if not (model_dir / "model.safetensors").exists():
        raise SystemExit(f"{model_dir} is missing; run Scripts/make_tiny_smolvlm.py")
    processor = build_processor(model_dir)
    index = json.loads((CLIPS / "clips.json").read_text())
    print("clips")
    clips = {}
    for clip in index["clips"]:
        result = clip_goldens(processor, clip, video_out)
        clips[result["stem"]] = result

    print(MODEL_NAME)
    weights_sha = sha256(model_dir / "model.safetensors")
    model = AutoModelForImageTextToText.from_pretrained(str(model_dir), dtype=torch.float32,
                                                        attn_implementation="eager").eval()
    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    cases = [run_case(model, processor, tok, case, clips, pipeline_out, weights_sha) for case in VIDEO_CASES]
    write_json(pipeline_out / "video_cases.json", {
        "reference": {"transformers": transformers.__version__, "torch": torch.__version__,
                      "torchvision": torchvision.__version__, "av": av.__version__, "pillow": PIL.__version__,
                      "numpy": np.__version__, "ffmpeg_libraries_in_av": {k: ".".join(map(str, v)) for k, v in
                                                                          sorted(av.library_versions.items())}},
        "model": MODEL_NAME, "weights_sha256": weights_sha, "cases": cases})
    write_num2words(num2words_out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="regenerate into a temporary folder and compare")
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    compare = {".safetensors": tensors_within(1e-4, report=False), ".png": same_pixels}
    if args.check:
        with tempfile.TemporaryDirectory(prefix="video_goldens_") as tmp:
            fresh = Path(tmp)
            generate(fresh / "video", fresh / "pipeline", fresh / "num2words")
            check_sizes(fresh)
            differences = compare_trees(fresh / "video", VIDEO_OUT, compare)
            differences += compare_trees(fresh / "pipeline", PIPELINE, compare)
            differences += compare_trees(fresh / "num2words", NUM2WORDS_OUT, compare)
            # committed files a fresh run no longer writes
            for folder, committed in ((fresh / "video", VIDEO_OUT), (fresh / "num2words", NUM2WORDS_OUT)):
                for old in committed.rglob("*"):
                    if old.is_file() and old.name != "README.md" and not (folder / old.relative_to(committed)).exists():
                        print(f"  stale: {display(old)}")
                        differences += 1
        print("check: " + ("fixtures match" if differences == 0 else "FIXTURES DIFFER"))
        return 0 if differences == 0 else 1

    readmes = {p: p.read_bytes() for p in (VIDEO_OUT / "README.md", NUM2WORDS_OUT / "README.md") if p.exists()}
    for folder in (VIDEO_OUT, NUM2WORDS_OUT):
        shutil.rmtree(folder, ignore_errors=True)
    for old in (PIPELINE / MODEL_NAME).glob("video_*"):
        shutil.rmtree(old)
    generate(VIDEO_OUT, PIPELINE, NUM2WORDS_OUT)
    for path, data in readmes.items():
        path.write_bytes(data)
    for folder in (VIDEO_OUT, NUM2WORDS_OUT, PIPELINE):
        check_sizes(folder)
    print(f"wrote {display(VIDEO_OUT)}, {display(PIPELINE)}/{MODEL_NAME}/video_*, {display(NUM2WORDS_OUT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
