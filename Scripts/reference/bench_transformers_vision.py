#!/usr/bin/env python3
"""Time SmolVLM's image path in transformers on the CPU: the baseline the Swift vision benchmark is compared
against.

Input: one RGB photo given as raw bytes (`--rgb FILE --width W --height H`, row-major, 3 bytes a pixel), the
same bytes the Swift benchmark encodes. With torch.set_num_threads(2):

  * preprocessing: the PIL-backend image processor (Idefics3ImageProcessorPil, LANCZOS) on the photo,
    split (1024x768 -> 4x3 tiles + global = 13 frames) and unsplit (one 512x512 frame);
  * per dtype (float32, bfloat16; sdpa attention, the default):
      - encoder + connector per tile: `get_image_features` on the first `--tiles` frames of the split
        photo, divided by the frame count;
      - time to first token: processor(text, image) on the split photo and a short question, one prefill
        forward pass, argmax of the last logits.

One warm-up run, then the median of `--runs` timed runs (wall-clock, or process CPU time with
--cpu-time). Prints one JSON object.

Usage (from the repository root; the Swift side runs it with `SmolBenchmarks vision --reference`):
    Scripts/reference/.venv/bin/python Scripts/reference/bench_transformers_vision.py --rgb photo.rgb \
        --width 1024 --height 768
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

import torch
import transformers
from PIL import Image
from transformers import AutoImageProcessor, AutoModelForImageTextToText, Idefics3Processor
from transformers.tokenization_utils_tokenizers import TokenizersBackend

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_MODEL_DIR = REPO_ROOT / "Models" / "SmolVLM-256M-shaped"


# Wall-clock time, or with --cpu-time the CPU time of the process (all threads).
CLOCK = time.perf_counter


def median_seconds(body, runs: int) -> tuple[float, list[float]]:
    body()  # warm-up: allocator, oneDNN kernel selection, caches
    samples = []
    for _ in range(runs):
        start = CLOCK()
        body()
        samples.append(CLOCK() - start)
    return statistics.median(samples), samples


def build_processor(model_dir: Path) -> Idefics3Processor:
    """The processor the pipeline goldens use: PIL image backend, `tokenizers`-run tokenizer."""
    image_seq_len = json.loads((model_dir / "processor_config.json").read_text())["image_seq_len"]
    chat_template = json.loads((model_dir / "chat_template.json").read_text())["chat_template"]
    image_processor = AutoImageProcessor.from_pretrained(str(model_dir), backend="pil")
    tokenizer = TokenizersBackend.from_pretrained(str(model_dir))
    return Idefics3Processor(image_processor=image_processor, tokenizer=tokenizer,
                             image_seq_len=image_seq_len, chat_template=chat_template)


def bench_model(model_dir: Path, dtype: torch.dtype, processor, photo: Image.Image, prompt: str,
                tiles: int, runs: int, first_token: bool) -> dict:
    model = AutoModelForImageTextToText.from_pretrained(str(model_dir), dtype=dtype)
    model.eval()
    split = processor.image_processor(images=[[photo]], return_tensors="pt")
    pixels = split["pixel_values"][:, :tiles]
    mask = split["pixel_attention_mask"][:, :tiles]

    def encode():
        with torch.inference_mode():
            model.model.get_image_features(pixel_values=pixels, pixel_attention_mask=mask)

    def first_token_once():
        with torch.inference_mode():
            inputs = processor(text=prompt, images=[[photo]], return_tensors="pt")
            logits = model(**inputs, use_cache=True).logits
            torch.argmax(logits[0, -1])

    encoder, encoder_runs = median_seconds(encode, runs)
    result = {
        "encoder_ms_per_tile": round(encoder * 1e3 / pixels.shape[1], 1),
        "encoder_s_runs": [round(t, 4) for t in encoder_runs],
        "attention": model.config._attn_implementation,
    }
    if first_token:
        ttft, ttft_runs = median_seconds(first_token_once, runs)
        result["ttft_ms"] = round(ttft * 1e3, 1)
        result["ttft_s_runs"] = [round(t, 4) for t in ttft_runs]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model-dir", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--rgb", type=Path, required=True, help="raw 8-bit RGB bytes, row-major")
    parser.add_argument("--width", type=int, required=True)
    parser.add_argument("--height", type=int, required=True)
    parser.add_argument("--question", default="What is in this picture?")
    parser.add_argument("--tiles", type=int, default=4)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--dtypes", default="float32,bfloat16")
    parser.add_argument("--no-first-token", action="store_true", help="skip the time to first token")
    parser.add_argument("--cpu-time", action="store_true",
                        help="process CPU time (all threads) instead of wall-clock time")
    args = parser.parse_args()

    global CLOCK
    if args.cpu_time:
        CLOCK = time.process_time
    torch.set_num_threads(args.threads)
    photo = Image.frombytes("RGB", (args.width, args.height), args.rgb.read_bytes())
    processor = build_processor(args.model_dir)
    messages = [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": args.question}]}]
    prompt = processor.apply_chat_template(messages, add_generation_prompt=True)

    result = {
        "model": args.model_dir.name,
        "image": [args.width, args.height],
        "runs": args.runs,
        "threads": torch.get_num_threads(),
        "clock": "process CPU time" if args.cpu_time else "wall-clock time",
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        # On a 2-core machine any other busy process makes the timings meaningless; this shows it.
        "load_average_before": round(os.getloadavg()[0], 2),
    }
    for name, split in (("preprocess_split", True), ("preprocess_unsplit", False)):
        seconds, _ = median_seconds(
            lambda: processor.image_processor(images=[[photo]], do_image_splitting=split, return_tensors="pt"),
            args.runs)
        result[name + "_ms"] = round(seconds * 1e3, 1)
    dtypes = {"float32": torch.float32, "bfloat16": torch.bfloat16}
    for name in args.dtypes.split(","):
        result[name] = bench_model(args.model_dir, dtypes[name], processor, photo, prompt, args.tiles, args.runs,
                                   not args.no_first_token)
    result["load_average_after"] = round(os.getloadavg()[0], 2)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
