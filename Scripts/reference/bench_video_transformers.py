"""Times transformers turning a video file into pixel values: the PyAV loader
(`transformers.video_utils.load_video(backend="pyav")`) and SmolVLMVideoProcessor
with the given sampling, resize and tile settings. Prints one JSON object
{"seconds": median}. Run by `SmolBenchmarks video --reference`."""
import argparse
import json
import statistics
import time

import torch
from transformers.models.smolvlm.video_processing_smolvlm import SmolVLMVideoProcessor
from transformers.video_utils import load_video


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file")
    parser.add_argument("--fps", type=float, default=1.0)
    parser.add_argument("--max-frames", type=int, default=64)
    parser.add_argument("--longest-edge", type=int, default=2048)
    parser.add_argument("--tile", type=int, default=512)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(2)
    processor = SmolVLMVideoProcessor(
        video_sampling={"fps": args.fps, "max_frames": args.max_frames, "video_size": {"longest_edge": args.longest_edge}},
        size={"longest_edge": args.longest_edge},
        max_image_size={"longest_edge": args.tile},
        do_sample_frames=True,
    )

    def once() -> None:
        # The loader decodes every frame up to the last sampled index, converting the sampled ones.
        sampler = lambda metadata, **kwargs: processor.sample_frames(metadata, num_frames=args.max_frames, fps=args.fps)
        frames, metadata = load_video(args.file, backend="pyav", sample_indices_fn=sampler)
        processor(videos=[frames], video_metadata=[metadata], do_sample_frames=False, return_tensors="pt")

    once()
    samples = []
    for _ in range(args.runs):
        start = time.perf_counter()
        once()
        samples.append(time.perf_counter() - start)
    print(json.dumps({"seconds": statistics.median(samples)}))


if __name__ == "__main__":
    main()
