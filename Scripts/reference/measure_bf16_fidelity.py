#!/usr/bin/env python3
"""How far transformers' own bfloat16 model moves the connector output from the float32 goldens.

For each SmolVLM-256M-shaped pipeline case with an image (Tests/SmolPipelineTests/Fixtures), runs
`get_image_features` of the model loaded with dtype=torch.bfloat16 on the golden's frames and prints
max|Δ| / max|golden| of the connector output: the figure Documentation/Performance.md sets beside the
error of our bfloat16 encoder mode (Tests/SmolPipelineTests/EncoderPrecisionTests.swift).

Usage (from the repository root):
    Scripts/reference/.venv/bin/python Scripts/reference/measure_bf16_fidelity.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from safetensors.numpy import load_file
from transformers import AutoModelForImageTextToText

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = REPO_ROOT / "Tests" / "SmolPipelineTests" / "Fixtures" / "SmolVLM-256M-shaped"
MODEL = REPO_ROOT / "Models" / "SmolVLM-256M-shaped"


def main() -> int:
    torch.set_num_threads(2)
    model = AutoModelForImageTextToText.from_pretrained(str(MODEL), dtype=torch.bfloat16)
    result = {}
    for case in ("photo_unsplit", "synthetic_unsplit"):
        golden = load_file(FIXTURES / case / "golden.safetensors")
        # The frame PNG holds the processor's bytes exactly; normalise as the processor does.
        pixels = np.asarray(Image.open(FIXTURES / case / "frames" / "frame_00.png").convert("RGB"), dtype=np.uint8)
        values = ((pixels.astype(np.float64) * (1 / 255)).astype(np.float32) - np.float32(0.5)) / np.float32(0.5)
        values = torch.from_numpy(values.transpose(2, 0, 1)[None, None].copy())
        with torch.inference_mode():
            features = model.model.get_image_features(pixel_values=values).pooler_output[0].float().numpy()
        expected = golden["image_hidden_states"].reshape(features.shape)
        result[case] = float(np.abs(features - expected).max() / np.abs(expected).max())
    print(json.dumps({"transformers_bf16_connector_error": result}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
