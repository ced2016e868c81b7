#!/usr/bin/env python3
"""PyTorch peer of `duet-bench engine`: the same two-branch Transformer training step on CPU.

Audio [256, 40, 753] and text [256, 32, 384] inputs, each nn.Linear to 256, a learnable [CLS]
prepended, a 2-layer 2-head post-norm nn.TransformerEncoder (feed-forward 1024, GELU, dropout
0.1, batch_first), the [CLS] outputs into symmetric InfoNCE (temperature 0.03), backward,
torch.optim.AdamW step. Prints one JSON line: {"threads", "steps_per_second", "seconds_per_step"}.
"""
import argparse
import json
import time

import torch
from torch import nn


class Branch(nn.Module):
    def __init__(self, input_width, width=256, depth=2, heads=2, feed_forward=1024, dropout=0.1):
        super().__init__()
        self.input_projection = nn.Linear(input_width, width)
        self.class_token = nn.Parameter(torch.randn(1, 1, width) * 0.02)
        layer = nn.TransformerEncoderLayer(width, heads, feed_forward, dropout=dropout, activation="gelu",
                                           batch_first=True, norm_first=False)
        self.encoder = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)

    def forward(self, x):
        tokens = self.input_projection(x)
        tokens = torch.cat([self.class_token.expand(x.shape[0], 1, -1), tokens], dim=1)
        return self.encoder(tokens)[:, 0]


def info_nce(audio, text, temperature=0.03):
    a = nn.functional.normalize(audio, dim=-1)
    t = nn.functional.normalize(text, dim=-1)
    logits = a @ t.T / temperature
    targets = torch.arange(audio.shape[0])
    return 0.5 * (nn.functional.cross_entropy(logits, targets) + nn.functional.cross_entropy(logits.T, targets))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--batch", type=int, default=256)
    arguments = parser.parse_args()
    torch.set_num_threads(arguments.threads)
    torch.manual_seed(0)
    audio_branch, text_branch = Branch(753), Branch(384)
    parameters = list(audio_branch.parameters()) + list(text_branch.parameters())
    optimizer = torch.optim.AdamW(parameters, lr=1e-4, weight_decay=0.01)
    audio = torch.randn(arguments.batch, 40, 753)
    text = torch.randn(arguments.batch, 32, 384)

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = info_nce(audio_branch(audio), text_branch(text))
        loss.backward()
        optimizer.step()
        return loss.item()

    for _ in range(arguments.warmup):
        step()
    start = time.perf_counter()
    for _ in range(arguments.steps):
        step()
    seconds = (time.perf_counter() - start) / arguments.steps
    print(json.dumps({"threads": torch.get_num_threads(), "steps_per_second": 1 / seconds, "seconds_per_step": seconds,
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
