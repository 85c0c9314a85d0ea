#!/usr/bin/env python3
"""Time the whole SmolVLM pipeline in transformers on the CPU: the baseline `SmolBenchmarks pipeline`
compares the Swift SDK against, on the same model and the same inputs.

For each dtype (float32, bfloat16), in a fresh subprocess (so the peak RSS is that configuration's
alone), with sdpa attention and torch.set_num_threads(2):

  load_s                 AutoModelForImageTextToText.from_pretrained + the processor (one sample)
  processor_split_ms     the PIL-backend image processor on the benchmark photo, split into tiles
  processor_unsplit_ms   the same, one tile (do_image_splitting=False)
  encoder_ms_per_tile    model.model.get_image_features (vision tower + connector) on the one-tile batch
  ttft_ms                time to first token: processor (chat template text + the photo, split) and the
                         forward pass of the whole prompt, until the first token is chosen
  prefill_tokens_per_s   the same prompt's forward pass with the image features already computed
                         (prompt tokens / seconds, vision excluded)
  decode_tokens_per_s    greedy steps through the KV cache after that prefill, one token per forward pass
                         (the loop model.generate runs, without its bookkeeping; never stops early)
  peak_rss_mb            ru_maxrss of the subprocess at the end

Forward passes keep only the last position's logits (logits_to_keep=1), as model.generate does.
Timed figures are medians of --runs runs after one warm-up.

The photo is the deterministic 1024x768 benchmark image of bench_photo() (gradients, discs, a dark text
band and per-pixel noise), rebuilt identically by Benchmarks/SmolBenchmarks/BenchmarkPhoto.swift; the
output carries photo_checksum() so the Swift side can check it has the same picture.

Usage (from the repository root; Models/SmolVLM-256M-shaped from Scripts/assemble_smolvlm_256m.py):
    Scripts/reference/.venv/bin/python Scripts/reference/bench_transformers.py [--model-dir DIR]
        [--dtypes float32,bfloat16] [--runs 5] [--new-tokens 128]
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import platform
import resource
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
DEFAULT_MODEL_DIR = REPO_ROOT / "Models" / "SmolVLM-256M-shaped"
QUESTION = "What is in this image?"
PHOTO_WIDTH, PHOTO_HEIGHT = 1024, 768


def bench_photo() -> np.ndarray:
    """The benchmark photo, [768, 1024, 3] uint8, from integer arithmetic only (so Swift rebuilds it bit for
    bit): a colour gradient, three discs, a band of dark bars like a line of text, and per-pixel noise in
    [-32, 31] from a 32-bit hash of (x, y, channel) so every tile has fine texture."""
    y, x = np.mgrid[0:PHOTO_HEIGHT, 0:PHOTO_WIDTH].astype(np.int64)
    image = np.stack([30 + 200 * x // 1023, 40 + 180 * y // 767, 220 - 160 * (x + y) // 1790], axis=-1)
    for cx, cy, radius, colour in ((300, 250, 140, (200, 60, 50)), (720, 480, 200, (60, 150, 90)),
                                   (880, 150, 90, (240, 210, 70))):
        image[(x - cx) ** 2 + (y - cy) ** 2 <= radius * radius] = colour
    image[(y >= 600) & (y < 616) & ((x // 12) % 3 == 0)] = (15, 15, 15)
    mask = np.uint64(0xFFFFFFFF)
    channel = np.arange(3, dtype=np.uint64)
    h = (x.astype(np.uint64)[..., None] * np.uint64(0x9E3779B1) + y.astype(np.uint64)[..., None] * np.uint64(0x85EBCA77)
         + channel * np.uint64(0xC2B2AE3D)) & mask
    h ^= h >> np.uint64(15)
    h = (h * np.uint64(0x2C1B3C6D)) & mask
    h ^= h >> np.uint64(12)
    noise = ((h >> np.uint64(8)) & np.uint64(63)).astype(np.int64) - 32
    return np.clip(image + noise, 0, 255).astype(np.uint8)


def photo_checksum(rgb: np.ndarray) -> int:
    """sum(byte[i] * (i * 2654435761 mod 2^32)) over the RGB bytes: exact in uint64 for a photo this size,
    and any changed byte changes it."""
    data = rgb.reshape(-1).astype(np.uint64)
    weights = (np.arange(data.size, dtype=np.uint64) * np.uint64(2654435761)) & np.uint64(0xFFFFFFFF)
    return int((data * weights).sum(dtype=np.uint64))


def median_seconds(body, runs: int) -> tuple[float, list[float]]:
    body()  # warm-up: allocator, oneDNN/BLAS kernel selection, caches
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        body()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), samples


def bench(model_dir: Path, dtype_name: str, runs: int, new_tokens: int, threads: int) -> dict:
    """One configuration, in this (fresh) process."""
    import torch
    from PIL import Image
    from transformers import AutoModelForImageTextToText
    from transformers.utils import logging as transformers_logging

    from make_pipeline_goldens import build_processor

    transformers_logging.disable_progress_bar()
    torch.set_num_threads(threads)
    dtype = {"float32": torch.float32, "bfloat16": torch.bfloat16}[dtype_name]
    photo = Image.fromarray(bench_photo())

    start = time.perf_counter()
    model = AutoModelForImageTextToText.from_pretrained(str(model_dir), dtype=dtype, attn_implementation="sdpa")
    model.eval()
    processor = build_processor(model_dir)
    load = time.perf_counter() - start
    image_processor = processor.image_processor

    def preprocess(split: bool):
        return image_processor(images=[[photo]], do_image_splitting=split, return_tensors="pt")

    split_s, _ = median_seconds(lambda: preprocess(True), runs)
    unsplit_s, _ = median_seconds(lambda: preprocess(False), runs)

    one_tile = preprocess(False)
    assert one_tile["pixel_values"].shape[1] == 1
    with torch.inference_mode():
        encoder_s, _ = median_seconds(lambda: model.model.get_image_features(
            pixel_values=one_tile["pixel_values"], pixel_attention_mask=one_tile["pixel_attention_mask"]), runs)

    messages = [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": QUESTION}]}]
    prompt = processor.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)

    def first_token():
        inputs = processor(text=prompt, images=[[photo]], return_tensors="pt")
        with torch.inference_mode():
            logits = model(**inputs, use_cache=True, logits_to_keep=1).logits
        return int(torch.argmax(logits[0, -1]))

    ttft_s, ttft_runs = median_seconds(first_token, runs)
    first = first_token()

    inputs = processor(text=prompt, images=[[photo]], return_tensors="pt")
    ids = inputs["input_ids"]
    tiles = int(inputs["pixel_values"].shape[1])
    image_tokens = int((ids == model.config.image_token_id).sum())
    with torch.inference_mode():
        features = model.model.get_image_features(pixel_values=inputs["pixel_values"],
                                                  pixel_attention_mask=inputs["pixel_attention_mask"]).pooler_output
        # The merge both model classes do (inputs_merger / masked_scatter): feature rows at the <image> ids.
        embeddings = model.get_input_embeddings()(ids)
        mask = (ids == model.config.image_token_id).unsqueeze(-1).expand_as(embeddings)
        embeddings = embeddings.masked_scatter(mask, torch.cat(features, dim=0).to(embeddings.dtype))

    prefills, decodes = [], []
    for run in range(runs + 1):  # run 0 warms up
        with torch.inference_mode():
            start = time.perf_counter()
            output = model(inputs_embeds=embeddings, use_cache=True, logits_to_keep=1)
            prefill = time.perf_counter() - start
            logits, cache = output.logits[:, -1], output.cache
            assert int(torch.argmax(logits[0])) == first, "the prefill on merged embeddings differs from model(**inputs)"
            start = time.perf_counter()
            for _ in range(new_tokens):
                next_id = torch.argmax(logits, dim=-1, keepdim=True)
                output = model(input_ids=next_id, cache=cache, use_cache=True, logits_to_keep=1)
                logits, cache = output.logits[:, -1], output.cache
            decode = time.perf_counter() - start
        if run > 0:
            prefills.append(prefill)
            decodes.append(decode)
    prefill, decode = statistics.median(prefills), statistics.median(decodes)

    return {
        "load_s": round(load, 3),
        "processor_split_ms": round(split_s * 1e3, 2),
        "processor_unsplit_ms": round(unsplit_s * 1e3, 2),
        "encoder_ms_per_tile": round(encoder_s * 1e3, 1),
        "ttft_ms": round(ttft_s * 1e3, 1),
        "prefill_tokens_per_s": round(ids.shape[1] / prefill, 1),
        "decode_tokens_per_s": round(new_tokens / decode, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "ttft_s_runs": [round(t, 3) for t in ttft_runs],
        "prefill_s_runs": [round(t, 4) for t in prefills],
        "decode_s_runs": [round(t, 4) for t in decodes],
        "first_token": first,
        "prompt_tokens": int(ids.shape[1]),
        "image_tokens": image_tokens,
        "tiles": tiles,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model-dir", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--dtypes", default="float32,bfloat16", help="comma-separated: float32, bfloat16")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--new-tokens", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--child", help=argparse.SUPPRESS)  # internal: measure one dtype in this process
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    # Swift's Foundation Process starts children with most signals blocked; unblock them, and on Linux
    # ask for SIGTERM when the parent dies, so that stopping the benchmark stops every process it started.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG

    if args.child:
        print(json.dumps(bench(args.model_dir, args.child, args.runs, args.new_tokens, args.threads)))
        return 0

    import torch
    import transformers

    dtypes = [d for d in args.dtypes.split(",") if d]
    for dtype in dtypes:
        if dtype not in ("float32", "bfloat16"):
            parser.error(f"unknown dtype {dtype!r}")
    result = {
        "model": args.model_dir.name,
        "question": QUESTION,
        "photo": f"{PHOTO_WIDTH}x{PHOTO_HEIGHT}",
        "photo_checksum": photo_checksum(bench_photo()),
        "new_tokens": args.new_tokens,
        "runs": args.runs,
        "threads": args.threads,
        "attention": "sdpa",
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
        # On a 2-core machine any other busy process (a compiler) distorts the timings; the 1-minute load
        # average before and after is the cheapest way to see that from the output alone.
        "load_average_before": round(os.getloadavg()[0], 2),
    }
    for dtype in dtypes:
        child = subprocess.run(
            [sys.executable, __file__, "--child", dtype, "--model-dir", str(args.model_dir), "--runs", str(args.runs),
             "--new-tokens", str(args.new_tokens), "--threads", str(args.threads)],
            stdout=subprocess.PIPE, check=True)
        result[dtype] = json.loads(child.stdout)
    result["load_average_after"] = round(os.getloadavg()[0], 2)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
