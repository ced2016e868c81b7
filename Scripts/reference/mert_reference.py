#!/usr/bin/env python3
"""Writes the MERT parity fixtures for DuetEncoders' MertModel.

MERT-v1 (m-a-p/MERT-v1-95M and -330M) checkpoints load into `transformers`' `HubertModel`: MERT's
own `MERTModel` (trust_remote_code) is HubertModel with a feature projection that can take an extra
CQT branch, which the released checkpoints leave off (Docs/audio-tower.md lists every difference).
So the reference is HubertModel, configured like each released configuration but tiny:

- `mert-tiny`: as MERT-v1-95M (`feat_extract_norm` "group", post-norm encoder,
  `do_stable_layer_norm` false), no convolution bias;
- `mert-tiny-stable`: as MERT-v1-330M (`feat_extract_norm` "group", pre-norm encoder with a final
  norm, `do_stable_layer_norm` true);
- `mert-tiny-layer`: HubertModel's other feature-encoder mode (`feat_extract_norm` "layer": a layer
  norm after every convolution) with convolution biases, post-norm; no released MERT uses it.

All three keep the real feature encoder's structure (7 convolutions, kernels 10,3,3,3,3,2,2, strides
5,2,2,2,2,2,2: one frame per 320 samples, 75 frames per second at 24 kHz) with 16 channels, 32
hidden channels, 2 layers, 4 heads, 37 intermediate channels and a positional convolution of kernel
12 (even, as the real 128) in 4 groups, weight-normed. Every parameter is re-drawn
(tiny_encoder_fixture.redraw_parameters; the weight norm's g and v separately; the feature
encoder's kernels with their whole fan-in) so no norm is the identity and no bias is zero.

Inputs: two seeded waveforms at 24 kHz, 12,000 samples (37 frames) and 2,000 samples (6 frames,
fewer than the positional kernel), a tone with noise and an offset, normalised as MERT's
`Wav2Vec2FeatureExtractor` does (`do_normalize`: `(x - mean) / sqrt(var + 1e-7)`, numpy float32).
Resources/mert-clips.json holds each clip's raw waveform and normalised input (shared by the three
fixtures); each fixture's reference.json holds per clip its frame count and every `hidden_states`
entry (`[frames, hidden]`, the last one equal to `last_hidden_state`), and the largest float32
reduction magnitude of the forward pass (tiny_encoder_fixture.ReductionMagnitudes, extended here to
convolutions and the group norm; the group norm's also on its own) from which the Swift test derives
its tolerances.

`hidden_states` is written as MERT's released code returns it under the `transformers` it was
published with (4.24): the embedding output and each layer's output, the last entry for the
pre-norm encoder after the encoder's final layer norm. transformers 5 records each layer's raw
output instead (the last entry of a pre-norm model is then before the final norm); the script checks
that the two agree everywhere else and stores the final-normed state, `last_hidden_state`, last.

Seeded and deterministic (CPU, one thread). Written with torch 2.13.0+cpu, transformers 5.25.0,
safetensors 0.8.0, numpy 2.4.6:
    nice -n 15 /work/venvs/ref/bin/python Scripts/reference/mert_reference.py
"""
import json
import math
import os

import numpy as np
import torch
import transformers
from transformers import HubertConfig, HubertModel

from tiny_encoder_fixture import RESOURCES, ReductionMagnitudes, floats, redraw_parameters, write

SEED = 23
SAMPLE_RATE = 24000
LENGTHS = [12000, 2000]

BASE = dict(
    hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=37,
    conv_dim=[16] * 7, conv_kernel=[10, 3, 3, 3, 3, 2, 2], conv_stride=[5, 2, 2, 2, 2, 2, 2],
    num_conv_pos_embeddings=12, num_conv_pos_embedding_groups=4, feat_proj_layer_norm=True,
    hidden_act="gelu", feat_extract_activation="gelu", layer_norm_eps=1e-5,
    hidden_dropout=0.0, attention_dropout=0.0, activation_dropout=0.0, feat_proj_dropout=0.0, layerdrop=0.0,
    mask_time_prob=0.05)

FIXTURES = {
    "mert-tiny": dict(feat_extract_norm="group", do_stable_layer_norm=False, conv_bias=False),
    "mert-tiny-stable": dict(feat_extract_norm="group", do_stable_layer_norm=True, conv_bias=False),
    "mert-tiny-layer": dict(feat_extract_norm="layer", do_stable_layer_norm=False, conv_bias=True),
}


class AudioReductionMagnitudes(ReductionMagnitudes):
    """ReductionMagnitudes plus the feature encoder's reductions: a convolution's `Σ|w x| + |b|` per
    output, and the group norm's `|scale| · max|x| / σ` per channel over time."""

    def __init__(self, model, head_size, score_scale):
        super().__init__(model, head_size, score_scale)
        self.group_norm_largest = 0.0
        for module in model.modules():
            if isinstance(module, torch.nn.Conv1d):
                self.handles.append(module.register_forward_hook(self.convolution))
            elif isinstance(module, torch.nn.GroupNorm):
                self.handles.append(module.register_forward_hook(self.group_norm))

    def convolution(self, module, inputs, output):
        total = torch.nn.functional.conv1d(
            inputs[0].detach().abs(), module.weight.detach().abs(), None, module.stride, module.padding,
            module.dilation, module.groups)
        if module.bias is not None:
            total = total + module.bias.detach().abs()[None, :, None]
        self.largest = max(self.largest, float(total.max()))

    def group_norm(self, module, inputs, output):
        x = inputs[0].detach()
        spread = x.std(dim=-1, unbiased=False)
        ratio = x.abs().amax(dim=-1) / spread.clamp_min(1e-12)
        # Kept apart too: it is the one reduction over the clip's length (thousands of frames).
        self.group_norm_largest = max(self.group_norm_largest, float(module.weight.detach().abs().max() * ratio.max()))
        self.largest = max(self.largest, self.group_norm_largest)


def redraw_convolutions(model, generator):
    """The feature encoder's kernels N(0, 1 / fan_in) with fan_in = input channels x kernel (the shared
    redraw divides by the kernel width only), so the unnormalised convolutions keep activations of order one."""
    with torch.no_grad():
        for layer in model.feature_extractor.conv_layers:
            weight = layer.conv.weight
            noise = torch.randn(weight.shape, generator=generator, dtype=weight.dtype)
            weight.copy_(noise / math.sqrt(weight.shape[1] * weight.shape[2]))


def waveforms(generator):
    clips = []
    for index, length in enumerate(LENGTHS):
        time = torch.arange(length, dtype=torch.float64) / SAMPLE_RATE
        tone = 0.3 * torch.sin(2 * math.pi * (220.0 * (index + 1)) * time)
        noise = 0.05 * torch.randn(length, generator=generator, dtype=torch.float64)
        clips.append((tone + noise + 0.02).to(torch.float32).numpy())
    return clips


def normalised(samples):
    """Wav2Vec2FeatureExtractor.zero_mean_unit_var_norm on one float32 clip."""
    return (samples - samples.mean()) / np.sqrt(samples.var() + 1e-7)


def main():
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    clips = waveforms(torch.Generator().manual_seed(SEED))
    for offset, (name, settings) in enumerate(FIXTURES.items()):
        generator = torch.Generator().manual_seed(SEED + 1 + offset)
        config = HubertConfig(**BASE, **settings)
        model = HubertModel(config).eval()
        redraw_parameters(model, generator)
        redraw_convolutions(model, generator)
        head_size = config.hidden_size // config.num_attention_heads
        magnitudes = AudioReductionMagnitudes(model, head_size, score_scale=head_size ** -0.5)
        cases = []
        for samples in clips:
            values = normalised(samples).astype(np.float32)
            with torch.no_grad():
                output = model(torch.from_numpy(values)[None], output_hidden_states=True)
            states = list(output.hidden_states)
            assert len(states) == config.num_hidden_layers + 1
            if config.do_stable_layer_norm:
                # transformers 5 records the last layer's raw output; MERT's code returned it final-normed.
                final = model.encoder.layer_norm(states[-1])
                assert torch.equal(final, output.last_hidden_state)
                states[-1] = output.last_hidden_state
            else:
                assert torch.equal(states[-1], output.last_hidden_state)
            assert torch.equal(states[-1], output.last_hidden_state)
            cases.append({
                "frames": int(states[0].shape[1]),
                "hidden_states": [floats(state[0]) for state in states],
            })
        magnitudes.remove()
        document = {
            "transformers": transformers.__version__, "torch": torch.__version__, "seed": SEED,
            "sample_rate": SAMPLE_RATE,
            "largest_reduction_magnitude": magnitudes.largest,
            "group_norm_magnitude": magnitudes.group_norm_largest,
            "cases": cases,
        }
        write(name, model, document)
    clip_document = {
        "sample_rate": SAMPLE_RATE,
        "clips": [{"samples": floats(torch.from_numpy(samples)),
                   "input_values": floats(torch.from_numpy(normalised(samples).astype(np.float32)))} for samples in clips],
    }
    with open(os.path.join(RESOURCES, "mert-clips.json"), "w") as handle:
        json.dump(clip_document, handle, separators=(",", ":"))
        handle.write("\n")
    print("mert-clips.json", os.path.getsize(os.path.join(RESOURCES, "mert-clips.json")))


if __name__ == "__main__":
    main()
