#!/usr/bin/env python3
"""PyTorch peer of `duet-bench scratch`: the from-scratch CNN's training step on CPU.

Log-mel [64, 128, 96] (uniform in [0, 4]), per-clip layer norm, four blocks of 3x3 conv
(padding 1; channels 16, 32, 64, 128) -> 2x2 max pool (the last pools bands only) -> GroupNorm(1)
-> ReLU, mean over bands, LayerNorm, mean over the 16 tokens, InfoNCE (temperature 0.03) against
fixed random 128-d targets, backward, torch.optim.AdamW. The module is the one of
Scripts/reference/duet_model_torch.py. Prints one JSON line: {"threads", "steps_per_second", ...}.
"""
import argparse
import json
import os
import sys
import time

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
from duet_model_torch import ConvolutionalAudioEncoder  # noqa: E402


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
    parser.add_argument("--batch", type=int, default=64)
    arguments = parser.parse_args()
    torch.set_num_threads(arguments.threads)
    torch.manual_seed(0)
    encoder = ConvolutionalAudioEncoder([16, 32, 64, 128])
    optimizer = torch.optim.AdamW(encoder.parameters(), lr=1e-4, weight_decay=0.01)
    log_mel = torch.rand(arguments.batch, 128, 96) * 4
    targets = torch.randn(arguments.batch, 128)

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = info_nce(encoder(log_mel).mean(dim=1), targets)
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
