"""Connector goldens: transformers' own SmolVLMConnector (pixel shuffle + bias-free
projection) on random patch features, for the scale factors SmolVLM uses.

Writes Tests/SmolConnectorTests/Fixtures/connector_s<scale>.safetensors with
`patches` [B, seq, E], `weight` [H, E·s²] (the checkpoint's
model.connector.modality_projection.proj.weight), `shuffled` (pixel shuffle only) and
`expected` (the connector's output), metadata {"scale_factor": s}.
"""
from pathlib import Path

import torch
from safetensors.torch import save_file
from transformers import SmolVLMConfig
from transformers.models.smolvlm.modeling_smolvlm import SmolVLMConnector

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests" / "SmolConnectorTests" / "Fixtures"

# (scale, batch, patches per side, vision width, text width): s=4 and s=3 are the
# 256M/500M and 2.2B settings at reduced widths; s=2 is the config class default.
CASES = [(2, 2, 4, 6, 10), (3, 1, 9, 4, 8), (4, 2, 8, 3, 6)]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(1)
    for scale, batch, side, vision_width, text_width in CASES:
        torch.manual_seed(1000 + scale)
        config = SmolVLMConfig(
            scale_factor=scale,
            # Head counts only need to divide the widths; the connector never uses them.
            vision_config={"hidden_size": vision_width, "num_attention_heads": 1},
            text_config={"hidden_size": text_width, "num_attention_heads": 1, "num_key_value_heads": 1},
        )
        connector = SmolVLMConnector(config).eval()
        patches = torch.randn(batch, side * side, vision_width)
        with torch.no_grad():
            shuffled = connector.pixel_shuffle(patches, scale)
            expected = connector(patches)
        save_file(
            {
                "patches": patches.contiguous(),
                "weight": connector.modality_projection.proj.weight.detach().contiguous(),
                "shuffled": shuffled.contiguous(),
                "expected": expected.contiguous(),
            },
            str(OUT / f"connector_s{scale}.safetensors"),
            metadata={"scale_factor": str(scale)},
        )
        print(f"connector_s{scale}: patches {tuple(patches.shape)} -> {tuple(expected.shape)}")


if __name__ == "__main__":
    main()
