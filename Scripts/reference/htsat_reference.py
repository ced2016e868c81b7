#!/usr/bin/env python3
"""Writes the HTS-AT parity fixture for DuetEncoders' HTSATModel (Tests/DuetEncodersTests/Resources/htsat-tiny/).

A tiny random `HTSAT_Swin_Transformer` from laion_clap (`clap_module/htsat.py`) with the structure of
CLAP's audio tower at a smaller scale: a 128 × 128 spectrogram image (freq_ratio 4: 512 frames of 32 mel
bins), 4 × 4 patches, three stages of depths [2, 2, 2] with 8, 16 and 32 channels and [2, 2, 4] heads,
window 4 (so every stage has shifted blocks with a mask, and patch merging between stages), 5 classes.
The front end is torchlibrosa's at 8 kHz, n_fft 128, hop 64, 32 Slaney mel bins 50-4000 Hz, so that the
frozen STFT kernels stored in the state dict stay small; the module is built exactly as laion_clap builds
it. Every parameter except those frozen front-end tensors is re-drawn from a seeded generator (norm
scales 1 + 0.2 N, biases and norm shifts 0.1 N, matrices N(0, 1/fan_in), the relative position tables
N(0, 0.5²), bn0's running mean and variance on the scale of the dB values), so a swapped scale and shift,
a dropped bias, a wrong shift direction, mask or relative index changes the outputs.

Written into the folder:
- model.safetensors: `state_dict()` with laion_clap's names (buffers included: relative_position_index,
  attn_mask, bn0's statistics, the STFT kernels and mel matrix);
- config.json: a laion_clap model configuration (`audio_cfg`, plus the Swin body under `audio_cfg.htsat`);
- reference.safetensors: `waveform` [2, 4000] (0.5 s: noise, a chirp and a tone), the front end
  `logmel` [2, 63, 32] (before bn0) and `image` [2, 128, 128] (after bn0, bicubic stretch and fold), the
  patch embedding, each stage's output (`stage.S`, as `BasicLayer` returns it), `tokens` (after the final
  norm), `embedding`, `fine_grained_embedding` and `framewise_output` at every 32nd step (the script checks
  they are those rows repeated 32 times), `clipwise_output`; and `clap.waveform` / `clap.logmel`: 0.2 s at
  CLAP's own front-end settings (48 kHz, n_fft 1024, hop 480, 64 bins, 50-14000 Hz) through torchlibrosa;
- reference.json: versions, seed, and the largest Σ|term| of any float32 reduction of the forward pass.

Seeded and deterministic (CPU, one thread). Written with torch 2.13.0+cpu and laion_clap 1.1.7 (see the
versions in reference.json):
    python3 -m venv /work/venvs/htsat
    /work/venvs/htsat/bin/pip install /opt/wheels/torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl laion_clap safetensors
    /work/venvs/htsat/bin/python Scripts/reference/htsat_reference.py
"""
import importlib.util
import json
import math
import os
import sys
import types
from importlib import metadata

import numpy as np
import torch
from safetensors.torch import save_file
from torchlibrosa.stft import LogmelFilterBank, Spectrogram

# htsat.py is loaded without running laion_clap's package __init__ files, which import the whole CLAP
# training stack (torchvision, PIL, webdataset, ...) that the audio tower never uses; its own imports are
# torchlibrosa, clap_module/feature_fusion.py and clap_module/utils.py, whose one torchvision import
# (FrozenBatchNorm2d, for freezing vision towers) is answered with an empty stand-in class when torchvision
# is absent (its wheels pin their own torch build).
def _package(name, folder):
    module = types.ModuleType(name)
    module.__path__ = [folder]
    sys.modules[name] = module


_ROOT = os.path.dirname(importlib.util.find_spec("laion_clap").origin)
_package("laion_clap", _ROOT)
_package("laion_clap.clap_module", os.path.join(_ROOT, "clap_module"))
if importlib.util.find_spec("torchvision") is None:
    _misc = types.ModuleType("torchvision.ops.misc")
    _misc.FrozenBatchNorm2d = type("FrozenBatchNorm2d", (torch.nn.Module,), {})
    for _name in ["torchvision", "torchvision.ops"]:
        _package(_name, "")
    sys.modules["torchvision.ops.misc"] = _misc

from laion_clap.clap_module.htsat import HTSAT_Swin_Transformer, WindowAttention  # noqa: E402

from tiny_encoder_fixture import RESOURCES, ReductionMagnitudes

SEED = 23
NAME = "htsat-tiny"
AUDIO = {
    "audio_length": 512, "clip_samples": 4000, "mel_bins": 32, "sample_rate": 8000, "window_size": 128,
    "hop_size": 64, "fmin": 50, "fmax": 4000, "class_num": 5, "model_type": "HTSAT", "model_name": "tiny-fixture",
}
BODY = {"spec_size": 128, "patch_size": 4, "patch_stride": [4, 4], "embed_dim": 8, "depths": [2, 2, 2],
        "num_heads": [2, 2, 4], "window_size": 4, "mlp_ratio": 4.0}
FROZEN = ("spectrogram_extractor.", "logmel_extractor.")
REPEAT = 32  # laion_clap's `interpolate(..., 8 * patch_stride[1])`


def redraw(model, generator):
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if name.startswith(FROZEN):
                continue
            noise = torch.randn(parameter.shape, generator=generator)
            if "relative_position_bias_table" in name:
                parameter.copy_(0.5 * noise)
            elif parameter.dim() == 1 and name.endswith("weight"):
                parameter.copy_(1 + 0.2 * noise)
            elif parameter.dim() == 1:
                parameter.copy_(0.1 * noise)
            else:
                fan_in = parameter[0].numel()
                parameter.copy_(noise / math.sqrt(fan_in))
        mel = model.bn0.num_features
        model.bn0.running_mean.copy_(-25 + 5 * torch.randn(mel, generator=generator))
        model.bn0.running_var.copy_(40 + 20 * torch.rand(mel, generator=generator))


def waveforms(generator, samples, rate):
    time = torch.arange(samples, dtype=torch.float64) / rate
    noise = 0.1 * torch.randn(samples, generator=generator, dtype=torch.float64)
    chirp = 0.3 * torch.sin(2 * math.pi * (100 * time + 0.5 * (rate / 2.5) * time ** 2 / time[-1]))
    tone = 0.2 * torch.sin(2 * math.pi * 440 * time) + 0.05 * torch.randn(samples, generator=generator, dtype=torch.float64)
    return torch.stack([noise + chirp, tone]).float()


class SwinMagnitudes(ReductionMagnitudes):
    """ReductionMagnitudes plus Swin's fused attention (the logits' sums `scale Σ|q k| + |bias|`, carried
    to the context as `2 s max|v|`; the −100 mask is added exactly) and the convolutions (`Σ|W||x| + |b|`)."""

    def __init__(self, model):
        super().__init__(model, head_size=1, score_scale=1.0)
        for module in model.modules():
            if isinstance(module, WindowAttention):
                self.handles.append(module.register_forward_hook(self.window_attention))
            elif isinstance(module, torch.nn.Conv2d):
                self.handles.append(module.register_forward_hook(self.convolution))

    def window_attention(self, module, inputs, output):
        x = inputs[0].detach()
        windows, tokens, width = x.shape
        heads = module.num_heads
        qkv = module.qkv(x).reshape(windows, tokens, 3, heads, width // heads).permute(2, 0, 3, 1, 4).abs()
        scores = (qkv[0] * module.scale) @ qkv[1].transpose(-2, -1)
        bias = module.relative_position_bias_table.detach().abs().max()
        self.largest = max(self.largest, 2 * float(scores.max() + bias) * float(qkv[2].max()))

    def convolution(self, module, inputs, output):
        total = torch.nn.functional.conv2d(
            inputs[0].detach().abs(), module.weight.detach().abs(), module.bias.detach().abs(),
            stride=module.stride, padding=module.padding)
        self.largest = max(self.largest, float(total.max()))


def main():
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    generator = torch.Generator().manual_seed(SEED)
    config = types.SimpleNamespace(**AUDIO)
    model = HTSAT_Swin_Transformer(
        spec_size=BODY["spec_size"], patch_size=BODY["patch_size"], patch_stride=tuple(BODY["patch_stride"]),
        num_classes=AUDIO["class_num"], embed_dim=BODY["embed_dim"], depths=BODY["depths"], num_heads=BODY["num_heads"],
        window_size=BODY["window_size"], mlp_ratio=BODY["mlp_ratio"], config=config).eval()
    redraw(model, generator)
    wave = waveforms(generator, AUDIO["clip_samples"], AUDIO["sample_rate"])

    captured = {}
    model.patch_embed.register_forward_hook(lambda module, inputs, output: captured.__setitem__("patch_embedding", output))
    for index, layer in enumerate(model.layers):
        layer.register_forward_hook(lambda module, inputs, output, index=index: captured.__setitem__(f"stage.{index}", output[0]))
    model.norm.register_forward_hook(lambda module, inputs, output: captured.__setitem__("tokens", output))
    model.logmel_extractor.register_forward_hook(lambda module, inputs, output: captured.__setitem__("logmel", output[:, 0]))
    original_reshape = model.reshape_wav2img

    def reshape(x):
        image = original_reshape(x)
        captured["image"] = image[:, 0]
        return image
    model.reshape_wav2img = reshape

    magnitudes = SwinMagnitudes(model)
    with torch.no_grad():
        output = model({"waveform": wave}, device="cpu")
    magnitudes.remove()

    fine = output["fine_grained_embedding"]
    frames = output["framewise_output"]
    assert torch.equal(fine, fine[:, ::REPEAT].repeat_interleave(REPEAT, dim=1)), "fine_grained_embedding is not a 32-fold repetition"
    assert torch.equal(frames, frames[:, ::REPEAT].repeat_interleave(REPEAT, dim=1)), "framewise_output is not a 32-fold repetition"

    # CLAP's own front-end settings, through torchlibrosa as htsat.py configures it.
    clap_rate, clap_samples = 48000, 9600
    clap_wave = waveforms(generator, clap_samples, clap_rate)
    spectrogram = Spectrogram(n_fft=1024, hop_length=480, win_length=1024, window="hann", center=True, pad_mode="reflect", freeze_parameters=True)
    logmel = LogmelFilterBank(sr=clap_rate, n_fft=1024, n_mels=64, fmin=50, fmax=14000, ref=1.0, amin=1e-10, top_db=None, freeze_parameters=True)
    with torch.no_grad():
        clap_logmel = logmel(spectrogram(clap_wave))[:, 0]

    references = {
        "waveform": wave, "logmel": captured["logmel"], "image": captured["image"],
        "patch_embedding": captured["patch_embedding"], "tokens": captured["tokens"],
        "embedding": output["embedding"], "fine_grained_embedding": fine[:, ::REPEAT],
        "framewise_output": frames[:, ::REPEAT], "clipwise_output": output["clipwise_output"],
        "clap.waveform": clap_wave, "clap.logmel": clap_logmel,
    }
    for index in range(len(BODY["depths"])):
        references[f"stage.{index}"] = captured[f"stage.{index}"]

    folder = os.path.join(RESOURCES, NAME)
    os.makedirs(folder, exist_ok=True)
    state = {name: tensor.detach().contiguous() for name, tensor in model.state_dict().items()}
    save_file(state, os.path.join(folder, "model.safetensors"))
    save_file({name: tensor.detach().float().contiguous() for name, tensor in references.items()},
              os.path.join(folder, "reference.safetensors"))
    with open(os.path.join(folder, "config.json"), "w") as handle:
        json.dump({"audio_cfg": dict(AUDIO, htsat=BODY)}, handle, indent=2)
        handle.write("\n")
    document = {
        "torch": torch.__version__, "laion_clap": metadata.version("laion_clap"),
        "torchlibrosa": metadata.version("torchlibrosa"), "librosa": metadata.version("librosa"),
        "numpy": np.__version__, "seed": SEED, "largest_reduction_magnitude": magnitudes.largest,
    }
    with open(os.path.join(folder, "reference.json"), "w") as handle:
        json.dump(document, handle, indent=2)
        handle.write("\n")
    for file in sorted(os.listdir(folder)):
        print(file, os.path.getsize(os.path.join(folder, file)))
    print("largest reduction magnitude", magnitudes.largest)


if __name__ == "__main__":
    main()
