#!/usr/bin/env python3
"""Writes the PyTorch reference for Duet's engine parity tests (Tests/DuetNNTests/Resources).

engine_parity.json: two branches (linear input projection -> learnable [CLS] -> 2-layer, 2-head,
256-d post-norm nn.TransformerEncoder with GELU, dropout off -> [CLS] output), symmetric InfoNCE
(temperature 0.03) with more text rows than audio rows (the extra rows are negatives), a padding
mask on the text side; forward + backward.

A full 256-d model has ~3M parameters, far too many to commit, so the weights are not stored: every
parameter is generated from a portable counter-based generator (SplitMix64 finaliser of
stream * 2**32 + index; u = top 24 bits / 2**24; value = offset + scale * (2u - 1)) that the Swift
test implements too, with (stream, offset, scale) written per parameter. Gradients are stored in
full for parameters of at most 1024 values; for larger ones the fixture keeps 128 sampled values,
the L2 norm and the dot product with a generated +-1 probe vector (stream 1000 + parameter index),
which any wrong element would change.

adamw_step.json: three parameters with gradients and three torch.optim.AdamW steps.

Run with the torch venv: /work/venvs/torch/bin/python Scripts/reference/engine_parity.py
"""
import json
import math
import os

import numpy as np
import torch
from torch import nn

GOLDEN = np.uint64(0x9E3779B97F4A7C15)
MIX1 = np.uint64(0xBF58476D1CE4E5B9)
MIX2 = np.uint64(0x94D049BB133111EB)


def uniform(stream, count):
    """u in [0, 1) for elements 0..<count of a stream (SplitMix64 finaliser, top 24 bits)."""
    with np.errstate(over="ignore"):
        z = (np.uint64(stream) << np.uint64(32)) + np.arange(count, dtype=np.uint64) + GOLDEN
        z = (z ^ (z >> np.uint64(30))) * MIX1
        z = (z ^ (z >> np.uint64(27))) * MIX2
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(40)).astype(np.float64) / float(1 << 24)


def generated(stream, shape, offset, scale):
    count = int(np.prod(shape)) if shape else 1
    return (offset + scale * (2 * uniform(stream, count) - 1)).astype(np.float32).reshape(shape)


class ClassToken(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.token = nn.Parameter(torch.zeros(1, 1, width))

    def forward(self, x):
        return torch.cat([self.token.expand(x.shape[0], 1, -1), x], dim=1)


class Branch(nn.Module):
    def __init__(self, input_width, width=256, depth=2, heads=2, feed_forward=1024):
        super().__init__()
        self.input_projection = nn.Linear(input_width, width)
        self.class_token = ClassToken(width)
        layer = nn.TransformerEncoderLayer(width, heads, feed_forward, dropout=0.0, activation="gelu",
                                           batch_first=True, norm_first=False)
        self.encoder = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)

    def forward(self, x, padded=None):
        tokens = self.class_token(self.input_projection(x))
        mask = None
        if padded is not None:
            mask = torch.cat([torch.zeros(x.shape[0], 1, dtype=torch.bool), padded], dim=1)
        return self.encoder(tokens, src_key_padding_mask=mask)[:, 0]


def info_nce(audio, text, temperature=0.03):
    a = nn.functional.normalize(audio, dim=-1)
    t = nn.functional.normalize(text, dim=-1)
    logits = a @ t.T / temperature
    targets = torch.arange(audio.shape[0])
    return 0.5 * (nn.functional.cross_entropy(logits, targets)
                  + nn.functional.cross_entropy(logits[:, :audio.shape[0]].T, targets))


def initialisation(name, shape):
    """(offset, scale) of the generated values for a parameter."""
    if ".norm" in name:
        return (1.0, 0.1) if name.endswith("weight") else (0.0, 0.1)
    if name.endswith("class_token.token"):
        return 0.0, 0.5
    fan_in = shape[-1] if len(shape) > 1 else 256
    return 0.0, 1.0 / math.sqrt(fan_in)


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    here = os.path.dirname(os.path.abspath(__file__))
    resources = os.path.join(here, "..", "..", "Tests", "DuetNNTests", "Resources")
    os.makedirs(resources, exist_ok=True)

    audio_batch, audio_time, audio_width = 6, 6, 24
    text_batch, text_time, text_width = 8, 5, 16
    model = nn.ModuleDict({"audio": Branch(audio_width), "text": Branch(text_width)})
    names = sorted(name for name, _ in model.named_parameters())
    parameters = dict(model.named_parameters())
    entries = {}
    with torch.no_grad():
        for stream, name in enumerate(names):
            shape = list(parameters[name].shape)
            offset, scale = initialisation(name, shape)
            parameters[name].copy_(torch.from_numpy(generated(stream, shape, offset, scale)))
            entries[name] = {"shape": shape, "stream": stream, "offset": offset, "scale": scale}

    audio = torch.from_numpy(generated(500, [audio_batch, audio_time, audio_width], 0.0, 1.0))
    text = torch.from_numpy(generated(501, [text_batch, text_time, text_width], 0.0, 1.0))
    lengths = [5, 3, 4, 5, 2, 5, 1, 4]
    padded = torch.tensor([[position >= length for position in range(text_time)] for length in lengths])

    model.train()
    loss = info_nce(model["audio"](audio), model["text"](text, padded))
    loss.backward()

    for index, name in enumerate(names):
        gradient = parameters[name].grad.detach().numpy().astype(np.float64).ravel()
        entry = entries[name]
        if gradient.size <= 1024:
            entry["gradient"] = gradient.tolist()
        else:
            samples = np.unique(np.concatenate([np.arange(64), (uniform(2000 + index, 64) * gradient.size).astype(np.int64)]))
            entry["sampleIndices"] = samples.tolist()
            entry["sampleValues"] = gradient[samples].tolist()
        probe = np.where(uniform(1000 + index, gradient.size) < 0.5, -1.0, 1.0)
        entry["gradientNorm"] = float(np.linalg.norm(gradient))
        entry["probeDot"] = float(gradient @ probe)

    fixture = {
        "description": "Scripts/reference/engine_parity.py: 2-layer 2-head 256-d post-norm GELU TransformerEncoder "
                       "branches with [CLS] pooling, symmetric InfoNCE at temperature 0.03, PyTorch " + torch.__version__,
        "width": 256, "depth": 2, "heads": 2, "feedForwardWidth": 1024, "temperature": 0.03,
        "audioShape": [audio_batch, audio_time, audio_width], "textShape": [text_batch, text_time, text_width],
        "audioStream": 500, "textStream": 501, "textLengths": lengths,
        "loss": float(loss.item()), "parameters": entries,
    }
    with open(os.path.join(resources, "engine_parity.json"), "w") as file:
        json.dump(fixture, file)

    # One AdamW run of three steps on small parameters with given gradients.
    shapes = {"weight": [4, 3], "bias": [4], "token": [1, 1, 5]}
    tensors = {name: torch.from_numpy(generated(3000 + i, shape, 0.0, 1.0)).requires_grad_()
               for i, (name, shape) in enumerate(shapes.items())}
    initial = {name: tensor.detach().numpy().ravel().tolist() for name, tensor in tensors.items()}
    optimizer = torch.optim.AdamW(list(tensors.values()), lr=0.01, betas=(0.9, 0.98), eps=1e-6, weight_decay=0.05)
    gradients = []
    after = []
    for step in range(3):
        step_gradients = {}
        for i, (name, tensor) in enumerate(tensors.items()):
            grad = torch.from_numpy(generated(4000 + 10 * step + i, shapes[name], 0.0, 0.5 + step))
            tensor.grad = grad
            step_gradients[name] = grad.numpy().ravel().tolist()
        optimizer.step()
        gradients.append(step_gradients)
        after.append({name: tensor.detach().numpy().ravel().tolist() for name, tensor in tensors.items()})
    adamw = {"description": "torch.optim.AdamW(lr=0.01, betas=(0.9, 0.98), eps=1e-6, weight_decay=0.05), three steps",
             "learningRate": 0.01, "betas": [0.9, 0.98], "epsilon": 1e-6, "weightDecay": 0.05,
             "shapes": shapes, "initial": initial, "gradients": gradients, "after": after}
    with open(os.path.join(resources, "adamw_step.json"), "w") as file:
        json.dump(adamw, file)
    print(f"loss {loss.item():.6f}; wrote engine_parity.json and adamw_step.json to {os.path.normpath(resources)}")


if __name__ == "__main__":
    main()
