#!/usr/bin/env python3
"""Writes the RoBERTa parity fixture for DuetEncoders' BertModel (RoBERTa position numbering).

A tiny random `transformers.RobertaModel` (vocabulary 99, 32 channels, 2 layers, 4 heads, 37
intermediate channels, 34 position rows = 32 tokens after the padding row, one token type, the
pooler kept so loading must accept and drop it; every parameter re-drawn, tiny_encoder_fixture.py)
is saved with `save_pretrained` into Tests/DuetEncodersTests/Resources/roberta-tiny/ and run in
evaluation mode on two right-padded batches (attention mask given). reference.json holds, per
sentence, its ids (without padding), every entry of `hidden_states` (embeddings, then each layer)
at its real positions, and the largest reduction magnitude. One sentence holds a padding id in
its middle, which RoBERTa's position numbering skips; one fills all 32 positions.

Seeded and deterministic (CPU, one thread). Written with torch 2.13.0+cpu, transformers 5.25.0,
safetensors 0.8.0, numpy 2.4.6 (PyPI's torch wheel pulls the CUDA libraries; the CPU wheel computes the same):
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install torch==2.13.0 transformers==5.25.0 safetensors==0.8.0 numpy==2.4.6
    /tmp/venv/bin/python Scripts/reference/roberta_reference.py
"""
import torch
import transformers
from transformers import RobertaConfig, RobertaModel

from tiny_encoder_fixture import ReductionMagnitudes, redraw_parameters, row_states, run_padded, write

SEED = 16
BEGIN, PAD, END = 0, 1, 2


def sentences(generator):
    def words(count):
        return torch.randint(3, 99, (count,), generator=generator).tolist()
    return [
        [[BEGIN] + words(5) + [END], [BEGIN] + words(10) + [END], [BEGIN] + words(3) + [PAD] + words(2) + [END]],
        [[BEGIN] + words(30) + [END], [BEGIN, END]],
    ]


def main():
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    generator = torch.Generator().manual_seed(SEED)
    config = RobertaConfig(
        vocab_size=99, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=37,
        max_position_embeddings=34, type_vocab_size=1, layer_norm_eps=1e-5, hidden_act="gelu",
        pad_token_id=PAD, bos_token_id=BEGIN, eos_token_id=END)
    model = RobertaModel(config, add_pooling_layer=True).eval()
    redraw_parameters(model, generator)
    batches = sentences(generator)

    head_size = config.hidden_size // config.num_attention_heads
    magnitudes = ReductionMagnitudes(model, head_size, score_scale=head_size ** -0.5)
    cases = []
    for batch in batches:
        cases += row_states(batch, run_padded(model, batch, PAD))
    magnitudes.remove()
    document = {
        "transformers": transformers.__version__, "torch": torch.__version__, "seed": SEED,
        "batches": [len(batch) for batch in batches],
        "largest_reduction_magnitude": magnitudes.largest,
        "cases": cases,
    }
    write("roberta-tiny", model, document)


if __name__ == "__main__":
    main()
