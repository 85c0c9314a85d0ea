#!/usr/bin/env python3
"""Time SmolLM2 prefill and greedy decode in transformers on the CPU: the baseline the Swift decoder is
compared against.

For each dtype (float32, bfloat16) with sdpa attention and torch.set_num_threads(2):

  * prefill: one forward pass over a 512-token prompt that fills a fresh KV cache;
    reported as prompt tokens per second;
  * decode: 128 greedy steps after that prefill, one token per forward pass through the KV cache
    (the loop model.generate runs, without its logits-processor bookkeeping); reported as generated
    tokens per second.

One warm-up run, then the median of 5 timed runs. Prints one JSON object.

Usage (from the repository root, after Scripts/convert_gguf_to_hf.py):
    Scripts/reference/.venv/bin/python Scripts/reference/bench_transformers_text.py
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

import torch
import transformers
from tokenizers import Tokenizer

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_MODEL_DIR = REPO_ROOT / "Models" / "SmolLM2-135M-Instruct"

# Ordinary English so the prompt tokenizes like real input; repeated and cut to exactly PROMPT_TOKENS.
PARAGRAPH = (
    "Small language models are useful when a task must run on a phone or a laptop without a network "
    "connection. They answer short questions, summarize notes, and describe pictures when paired with a "
    "vision encoder. Their speed depends mostly on memory bandwidth during decoding and on matrix "
    "multiplication throughput during the prompt pass. "
)


def prompt_ids(model_dir: Path, length: int) -> torch.Tensor:
    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    ids: list[int] = []
    while len(ids) < length:
        ids += tok.encode(PARAGRAPH).ids
    return torch.tensor([ids[:length]])


def run_once(model, ids: torch.Tensor, new_tokens: int) -> tuple[float, float]:
    """Seconds for the prefill and for new_tokens greedy decode steps."""
    with torch.inference_mode():
        start = time.perf_counter()
        output = model(ids, use_cache=True)
        prefill = time.perf_counter() - start

        logits, cache = output.logits[:, -1], output.cache
        start = time.perf_counter()
        for _ in range(new_tokens):
            next_id = torch.argmax(logits, dim=-1, keepdim=True)
            output = model(next_id, cache=cache, use_cache=True)
            logits, cache = output.logits[:, -1], output.cache
        decode = time.perf_counter() - start
    return prefill, decode


def bench(model_dir: Path, dtype: torch.dtype, ids: torch.Tensor, new_tokens: int, runs: int) -> dict:
    model = transformers.AutoModelForCausalLM.from_pretrained(model_dir, dtype=dtype, attn_implementation="sdpa")
    model.eval()
    run_once(model, ids, new_tokens)  # warm-up: allocator, oneDNN/BLAS kernel selection, caches
    prefills, decodes = [], []
    for _ in range(runs):
        prefill, decode = run_once(model, ids, new_tokens)
        prefills.append(prefill)
        decodes.append(decode)
    prefill, decode = statistics.median(prefills), statistics.median(decodes)
    return {
        "prefill_tokens_per_s": round(ids.shape[1] / prefill, 1),
        "decode_tokens_per_s": round(new_tokens / decode, 2),
        "prefill_ms_median": round(prefill * 1000, 1),
        "decode_ms_per_token_median": round(decode * 1000 / new_tokens, 2),
        "prefill_s_runs": [round(t, 4) for t in prefills],
        "decode_s_runs": [round(t, 4) for t in decodes],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model-dir", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--prompt-tokens", type=int, default=512)
    parser.add_argument("--new-tokens", type=int, default=128)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    ids = prompt_ids(args.model_dir, args.prompt_tokens)
    result = {
        "model": args.model_dir.name,
        "prompt_tokens": args.prompt_tokens,
        "new_tokens": args.new_tokens,
        "runs": args.runs,
        "threads": torch.get_num_threads(),
        "attention": "sdpa",
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
    }
    # The 1-minute load average before and after: on a 2-core machine any other busy process (a compiler)
    # makes the timings meaningless, and this is the cheapest way to see that from the output alone.
    result["load_average_before"] = round(os.getloadavg()[0], 2)
    for name, dtype in (("float32", torch.float32), ("bfloat16", torch.bfloat16)):
        result[name] = bench(args.model_dir, dtype, ids, args.new_tokens, args.runs)
    result["load_average_after"] = round(os.getloadavg()[0], 2)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
