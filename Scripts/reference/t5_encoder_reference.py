#!/usr/bin/env python3
"""Writes the T5 and mT5 encoder parity fixtures for DuetEncoders' T5EncoderModel.

Two tiny random encoders (vocabulary 99, 32 channels, 2 blocks, 4 heads, 32 relative-position
buckets up to distance 20 so that 32-token sentences reach the logarithmic buckets and the clamp;
every parameter re-drawn, tiny_encoder_fixture.py), each saved with `save_pretrained`
(model.safetensors + config.json) into Tests/DuetEncodersTests/Resources/<name>/:
- t5-encoder-tiny: `transformers.T5EncoderModel`, original T5's `relu` feed-forward (37 channels),
  heads of 8 (inner width 32);
- mt5-encoder-tiny: `transformers.MT5EncoderModel`, `gated-gelu` (the tanh GELU, as T5 v1.1 and mT5),
  heads of 6 (inner width 24, unlike the 32 channels, as in mT5 where d_kv · heads ≠ d_model).
Each runs in evaluation mode on two right-padded batches (attention mask given); reference.json
holds per sentence its ids (without padding), every entry of `hidden_states` at its real positions,
`last_hidden_state`, and the largest reduction magnitude. The T5 fixture also holds the relative
position buckets of t5-small/mT5's real setting (32 buckets, distance 128) for distances −300…300,
from `T5Attention._relative_position_bucket`.

Seeded and deterministic (CPU, one thread). Written with torch 2.13.0+cpu, transformers 5.25.0,
safetensors 0.8.0, numpy 2.4.6 (PyPI's torch wheel pulls the CUDA libraries; the CPU wheel computes the same):
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install torch==2.13.0 transformers==5.25.0 safetensors==0.8.0 numpy==2.4.6
    /tmp/venv/bin/python Scripts/reference/t5_encoder_reference.py
"""
import torch
import transformers
from transformers import MT5Config, MT5EncoderModel, T5Config, T5EncoderModel
from transformers.models.t5.modeling_t5 import T5Attention

from tiny_encoder_fixture import ReductionMagnitudes, redraw_parameters, row_states, run_padded, write

SEED = 17
PAD, END = 0, 1


def sentences(generator):
    def words(count):
        return torch.randint(2, 99, (count,), generator=generator).tolist()
    return [
        [words(5) + [END], words(10) + [END], [END]],
        [words(31) + [END], words(3) + [END]],
    ]


def build(name, model_class, config_class, seed, **sizes):
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    config = config_class(
        vocab_size=99, d_model=32, num_layers=2, num_heads=4, relative_attention_num_buckets=32,
        relative_attention_max_distance=20, layer_norm_epsilon=1e-6, pad_token_id=PAD, eos_token_id=END,
        decoder_start_token_id=PAD, **sizes)
    model = model_class(config).eval()
    redraw_parameters(model, generator)
    batches = sentences(generator)
    bias = model.encoder.block[0].layer[0].SelfAttention.relative_attention_bias.weight
    magnitudes = ReductionMagnitudes(model, config.d_kv, score_scale=1.0, score_bias=float(bias.detach().abs().max()))
    cases = []
    for batch in batches:
        output = run_padded(model, batch, PAD)
        # `hidden_states` ends with the final-normed states (T5Stack appends them after its norm).
        assert len(output.hidden_states) == config.num_layers + 1
        assert torch.equal(output.hidden_states[-1], output.last_hidden_state)
        cases += row_states(batch, output)
    magnitudes.remove()
    return model, {
        "transformers": transformers.__version__, "torch": torch.__version__, "seed": seed,
        "batches": [len(batch) for batch in batches],
        "largest_reduction_magnitude": magnitudes.largest,
        "cases": cases,
    }


def main():
    torch.set_num_threads(1)
    model, document = build("t5-encoder-tiny", T5EncoderModel, T5Config, SEED, d_kv=8, d_ff=37, feed_forward_proj="relu")
    distances = list(range(-300, 301))
    buckets = T5Attention._relative_position_bucket(torch.tensor(distances), bidirectional=True, num_buckets=32, max_distance=128)
    document["buckets"] = {"bucket_count": 32, "maximum_distance": 128, "distances": distances, "buckets": buckets.tolist()}
    write("t5-encoder-tiny", model, document)
    model, document = build("mt5-encoder-tiny", MT5EncoderModel, MT5Config, SEED + 1, d_kv=6, d_ff=37, feed_forward_proj="gated-gelu")
    write("mt5-encoder-tiny", model, document)


if __name__ == "__main__":
    main()
