#!/usr/bin/env python3
"""Writes the CLIP text tower parity fixture for DuetEncoders' ClipTextModel.

A tiny random `transformers.CLIPTextModelWithProjection` (vocabulary 99, 32 channels, 2 layers,
4 heads, 37 intermediate channels, 32 positions, projection 24, quick_gelu; every parameter
re-drawn, tiny_encoder_fixture.py) is saved with `save_pretrained` (model.safetensors +
config.json) into Tests/DuetEncodersTests/Resources/clip-text-tiny/, and run in evaluation mode
on two right-padded batches (attention mask given). reference.json holds, per sentence, its ids
(without padding), every entry of `hidden_states` (embeddings, then each layer, before the final
norm) and `last_hidden_state` at its real positions, the pooled state and `text_embeds`; plus
`legacy_text_embeds`, the same model run with `eos_token_id = 2` (pooled at the largest id), and
the largest reduction magnitude (for the tests' tolerances). One sentence has no end-of-text
token, where the two pooling rules differ.

Seeded and deterministic (CPU, one thread). Written with torch 2.13.0+cpu, transformers 5.25.0,
safetensors 0.8.0, numpy 2.4.6 (PyPI's torch wheel pulls the CUDA libraries; the CPU wheel computes the same):
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install torch==2.13.0 transformers==5.25.0 safetensors==0.8.0 numpy==2.4.6
    /tmp/venv/bin/python Scripts/reference/clip_text_reference.py
"""
import torch
import transformers
from transformers import CLIPTextConfig, CLIPTextModelWithProjection

from tiny_encoder_fixture import ReductionMagnitudes, floats, redraw_parameters, row_states, run_padded, write

SEED = 15
BEGIN, END, PAD = 97, 98, 1


def sentences(generator):
    """Two batches: ordinary <bos> … <eos> sentences (one of a single token), one filling all 32
    positions, and one truncated before its <eos>."""
    def words(count):
        return torch.randint(2, 97, (count,), generator=generator).tolist()
    return [
        [[BEGIN] + words(5) + [END], [BEGIN] + words(10) + [END], [BEGIN] + words(2) + [END]],
        [[BEGIN] + words(30) + [END], [BEGIN] + words(6), [BEGIN]],
    ]


def main():
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    generator = torch.Generator().manual_seed(SEED)
    config = CLIPTextConfig(
        vocab_size=99, hidden_size=32, intermediate_size=37, projection_dim=24, num_hidden_layers=2,
        num_attention_heads=4, max_position_embeddings=32, hidden_act="quick_gelu", layer_norm_eps=1e-5,
        bos_token_id=BEGIN, eos_token_id=END, pad_token_id=PAD)
    model = CLIPTextModelWithProjection(config).eval()
    redraw_parameters(model, generator)
    batches = sentences(generator)

    head_size = config.hidden_size // config.num_attention_heads
    magnitudes = ReductionMagnitudes(model, head_size, score_scale=head_size ** -0.5)
    outputs = [run_padded(model, batch, PAD) for batch in batches]
    magnitudes.remove()
    # The legacy rule (`eos_token_id == 2`: pooled at the largest id) on the same weights.
    model.text_model.eos_token_id = 2
    legacy = [run_padded(model, batch, PAD) for batch in batches]
    model.text_model.eos_token_id = END

    cases = []
    for batch, output, legacy_output in zip(batches, outputs, legacy):
        for row, case in enumerate(row_states(batch, output)):
            case["text_embeds"] = floats(output.text_embeds[row])
            case["legacy_text_embeds"] = floats(legacy_output.text_embeds[row])
            cases.append(case)
    document = {
        "transformers": transformers.__version__, "torch": torch.__version__, "seed": SEED,
        "batches": [len(batch) for batch in batches],
        "largest_reduction_magnitude": magnitudes.largest,
        "cases": cases,
    }
    write("clip-text-tiny", model, document)


if __name__ == "__main__":
    main()
