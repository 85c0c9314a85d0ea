"""PyTorch's time for the uint8 resize chain Benchmarks/SmolBenchmarks `resize` measures.

The SmolVLM video processor resizes each uint8 frame twice with antialiased interpolate (via
torchvision): longest edge first, then to the square tile. This times that chain on a batch of
random frames laid out [T, 3, H, W] as the processor holds them, and prints one JSON object
{"ms_per_frame": median milliseconds per frame}.
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn.functional as F


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--frames", type=int, default=8)
    parser.add_argument("--mode", default="lanczos")
    parser.add_argument("--sizes", default="1280x720 512x288 512x512", help="source, then each target, WxH")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    sizes = [tuple(int(v) for v in size.split("x")) for size in args.sizes.split()]
    frames = torch.randint(0, 256, (args.frames, 3, sizes[0][1], sizes[0][0]), dtype=torch.uint8)

    def chain():
        out = frames
        for w, h in sizes[1:]:
            out = F.interpolate(out, size=(h, w), mode=args.mode, antialias=True, align_corners=False)
        return out

    with torch.inference_mode():
        chain()  # warm-up
        samples = []
        for _ in range(args.runs):
            start = time.perf_counter()
            chain()
            samples.append(time.perf_counter() - start)
    print(json.dumps({"ms_per_frame": statistics.median(samples) * 1e3 / args.frames}))


if __name__ == "__main__":
    main()
