"""PyTorch's float32 GEMM time for the shapes Benchmarks/SmolBenchmarks `gemm` measures.

Prints one JSON object {shape name: median milliseconds}. The Swift benchmark runs this
in the same session (`SmolBenchmarks gemm --reference`) so both figures share the machine
state, and prints the ratio.
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn.functional as F

# Same products as the Swift side: x [m, k] · Wᵀ with W kept [n, k], as nn.Linear stores it.
SHAPES = {
    "vision": (1024, 768, 3072),
    "decode": (1, 576, 49280),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    result = {}
    with torch.inference_mode():
        for name, (m, k, n) in SHAPES.items():
            x, w = torch.randn(m, k), torch.randn(n, k)
            F.linear(x, w)  # warm-up
            samples = []
            for _ in range(args.runs):
                start = time.perf_counter()
                F.linear(x, w)
                samples.append(time.perf_counter() - start)
            result[name] = statistics.median(samples) * 1e3
    print(json.dumps(result))


if __name__ == "__main__":
    main()
