#!/usr/bin/env python3
"""PyTorch peer of `duet-bench scratch`: the from-scratch CNN's training step on CPU.

Log-mel [64, 128, 96] (uniform in [0, 4]), per-clip layer norm, four blocks of 3x3 conv
(padding 1; channels 16, 32, 64, 128) -> 2x2 max pool (the last pools bands only) -> GroupNorm(1)
-> ReLU, mean over bands, LayerNorm, mean over the 16 tokens, InfoNCE (temperature 0.03) against
fixed random 128-d targets, backward, torch.optim.AdamW. The module is the one of
Scripts/reference/duet_model_torch.py. Prints one JSON line: {"threads", "steps_per_second", ...}.
"""
import os
import sys

import torch

from peer_common import info_nce, parse_arguments, time_training

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
from duet_model_torch import ConvolutionalAudioEncoder  # noqa: E402


def main():
    arguments = parse_arguments(default_batch=64)
    encoder = ConvolutionalAudioEncoder([16, 32, 64, 128])
    optimizer = torch.optim.AdamW(encoder.parameters(), lr=1e-4, weight_decay=0.01)
    log_mel = torch.rand(arguments.batch, 128, 96) * 4
    targets = torch.randn(arguments.batch, 128)

    time_training(optimizer, lambda: info_nce(encoder(log_mel).mean(dim=1), targets), arguments.warmup, arguments.steps)


if __name__ == "__main__":
    main()
