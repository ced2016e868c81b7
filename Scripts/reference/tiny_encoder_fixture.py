"""Shared steps of the tiny-encoder reference scripts (clip_text_reference.py, roberta_reference.py,
t5_encoder_reference.py): re-drawing a freshly built `transformers` model's parameters, measuring
the sums its float32 reductions take, and writing the checkpoint folder plus the fixture JSON.

Every parameter is re-drawn from a seeded generator so that the test sees non-trivial values:
`transformers`' own initialisation leaves norm scales at 1 and biases at 0, where swapping a scale
and a shift, or dropping a bias, would go unnoticed.
"""
import functools
import json
import math
import os

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RESOURCES = os.path.join(ROOT, "Tests", "DuetEncodersTests", "Resources")


def redraw_parameters(model, generator, embedding_std=1.0):
    """Norm scales 1 + 0.2 N(0, 1); other vectors (biases, norm shifts) 0.1 N(0, 1); matrices
    N(0, 1 / fan_in) (embedding tables N(0, embedding_std²)), so activations stay of order one."""
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            noise = torch.randn(parameter.shape, generator=generator, dtype=parameter.dtype)
            if parameter.dim() == 1 and ("norm" in name.lower()) and name.endswith("weight"):
                parameter.copy_(1 + 0.2 * noise)
            elif parameter.dim() == 1:
                parameter.copy_(0.1 * noise)
            elif "embed" in name or "shared" in name or "relative_attention_bias" in name:
                parameter.copy_(embedding_std * noise)
            else:
                parameter.copy_(noise / math.sqrt(parameter.shape[-1]))


# The last name component of the query, key and value projections (CLIP, BERT/RoBERTa, T5).
PROJECTION_ROLES = {"q_proj": "q", "k_proj": "k", "v_proj": "v", "query": "q", "key": "k", "value": "v",
                    "q": "q", "k": "k", "v": "v"}


class ReductionMagnitudes:
    """The largest `Σ|term|` of any float32 reduction in the forward pass, in the units of the value
    it produces, measured with forward hooks: for a linear layer `y = W x + b`, `max_i Σ_j |W_ij x_j|
    + |b_i|`; for a norm over `c` channels, the error of its mean and variance carried to the output,
    `max |scale| · max_c |x_c| / σ` per row (RMS for T5's norm); for attention, the logits' sums
    `s = scale · Σ_d |q_d k_d| + |bias|` carried to the context, whose error an error `δ` of the logits
    moves by at most `2 δ max|v|`: `2 s max|v|`. The Swift tests derive their tolerances from it
    (`Tolerance.reordered`).

    head_size: channels per head; score_scale: the logits' factor (1/√head_size, T5 1);
    score_bias: the largest added logit bias (T5's relative-position bias, else 0)."""

    def __init__(self, model, head_size, score_scale, score_bias=0.0):
        self.largest = 0.0
        self.handles = []
        self.head_size, self.score_scale, self.score_bias = head_size, score_scale, score_bias
        self.latest = {}
        for name, module in model.named_modules():
            kind = type(module).__name__
            if isinstance(module, torch.nn.Linear):
                self.handles.append(module.register_forward_hook(self.linear))
                parent, _, last = name.rpartition(".")
                if last in PROJECTION_ROLES:
                    self.handles.append(module.register_forward_hook(functools.partial(self.projection, parent, PROJECTION_ROLES[last])))
            elif isinstance(module, torch.nn.LayerNorm) or kind == "T5LayerNorm":
                self.handles.append(module.register_forward_hook(self.norm))

    def projection(self, parent, role, module, inputs, output):
        self.latest[(parent, role)] = output.detach().abs()
        if role != "v":
            return
        query, key = self.latest[(parent, "q")], self.latest[(parent, "k")]
        batch, time, width = query.shape
        heads = width // self.head_size
        query = query.view(batch, time, heads, self.head_size)
        key = key.view(batch, time, heads, self.head_size)
        scores = torch.einsum("bthd,bshd->bhts", query, key) * self.score_scale + self.score_bias
        self.largest = max(self.largest, 2 * float(scores.max()) * float(output.detach().abs().max()))

    def linear(self, module, inputs, output):
        x = inputs[0].detach().abs()
        total = x @ module.weight.detach().abs().T
        if module.bias is not None:
            total = total + module.bias.detach().abs()
        self.largest = max(self.largest, float(total.max()))

    def norm(self, module, inputs, output):
        x = inputs[0].detach().float()
        if isinstance(module, torch.nn.LayerNorm):
            spread = x.std(dim=-1, unbiased=False)
        else:
            spread = x.pow(2).mean(dim=-1).sqrt()
        ratio = x.abs().amax(dim=-1) / spread.clamp_min(1e-12)
        self.largest = max(self.largest, float(module.weight.detach().abs().max() * ratio.max()))

    def remove(self):
        for handle in self.handles:
            handle.remove()


def run_padded(model, batch, pad):
    """One batch of id lists, right-padded with `pad` and masked, through `model` with every hidden state."""
    time = max(len(ids) for ids in batch)
    input_ids = torch.tensor([ids + [pad] * (time - len(ids)) for ids in batch])
    attention_mask = torch.tensor([[1] * len(ids) + [0] * (time - len(ids)) for ids in batch])
    with torch.no_grad():
        return model(input_ids=input_ids, attention_mask=attention_mask, output_hidden_states=True)


def row_states(batch, output):
    """Per sentence of `batch`: its ids and every layer's states (and the last), without the padding."""
    return [{
        "ids": ids,
        "hidden_states": [floats(states[row, :len(ids)]) for states in output.hidden_states],
        "last_hidden_state": floats(output.last_hidden_state[row, :len(ids)]),
    } for row, ids in enumerate(batch)]


def floats(tensor):
    """A float32 tensor as a flat list of the shortest decimals that read back to the same float32."""
    return [float(str(value)) for value in tensor.detach().float().numpy().astype(np.float32).reshape(-1)]


def write(name, model, document):
    """Saves `model` (safetensors + config.json) into Resources/<name>/ and the fixture as
    Resources/<name>/reference.json; prints the sizes."""
    folder = os.path.join(RESOURCES, name)
    os.makedirs(folder, exist_ok=True)
    model.save_pretrained(folder, safe_serialization=True)
    for extra in ["generation_config.json"]:
        path = os.path.join(folder, extra)
        if os.path.exists(path):
            os.remove(path)
    with open(os.path.join(folder, "reference.json"), "w") as handle:
        json.dump(document, handle, separators=(",", ":"))
        handle.write("\n")
    for file in sorted(os.listdir(folder)):
        print(file, os.path.getsize(os.path.join(folder, file)))
