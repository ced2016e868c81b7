#!/usr/bin/env python3
"""PyTorch peer of `duet-bench engine`: the same two-branch Transformer training step on CPU.

Audio [256, 40, 753] and text [256, 32, 384] inputs, each nn.Linear to 256, a learnable [CLS]
prepended, a 2-layer 2-head post-norm nn.TransformerEncoder (feed-forward 1024, GELU, dropout
0.1, batch_first), the [CLS] outputs into symmetric InfoNCE (temperature 0.03), backward,
torch.optim.AdamW step. Prints one JSON line: {"threads", "steps_per_second", "seconds_per_step"}.
"""

import torch
from torch import nn

from peer_common import info_nce, parse_arguments, time_training


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


def main():
    arguments = parse_arguments(default_batch=256)
    audio_branch, text_branch = Branch(753), Branch(384)
    parameters = list(audio_branch.parameters()) + list(text_branch.parameters())
    optimizer = torch.optim.AdamW(parameters, lr=1e-4, weight_decay=0.01)
    audio = torch.randn(arguments.batch, 40, 753)
    text = torch.randn(arguments.batch, 32, 384)

    time_training(optimizer, lambda: info_nce(audio_branch(audio), text_branch(text)), arguments.warmup, arguments.steps)


if __name__ == "__main__":
    main()
