#!/usr/bin/env python3
"""Writes the CLAP parity fixture for DuetEncoders' ClapModel (Tests/DuetEncodersTests/Resources/clap-tiny/).

laion_clap's own `CLAP` module (`clap_module/model.py`, non-fusion, HTS-AT audio tower, RoBERTa text tower,
`mlp_act="relu"`) at a tiny random scale, built by laion_clap's constructor with three substitutions, all
made because the real sizes would need downloads or megabytes of fixture:
- `create_htsat_model` is patched to return the tiny `HTSAT_Swin_Transformer` of htsat_reference.py
  (8 kHz, n_fft 128, hop 64, 32 mel bins, 128 × 128 image, depths [2, 2, 2], 8/16/32 channels, 0.5-s clips
  of 4,000 samples), whose clip embedding is 32 wide (`embed_dim` 32);
- `RobertaModel.from_pretrained('roberta-base')` is patched to return a tiny random
  `RobertaModel(RobertaConfig(...))` (vocabulary 1,860, 32 channels, 2 layers, 4 heads, 37 intermediate
  channels, 79 position rows = 77 tokens after the padding row, one token type, pooler kept): no download;
- `text_projection.0`, which laion_clap hard-codes as `nn.Linear(768, joint)` (roberta-base's width), is
  replaced by `nn.Linear(32, joint)` for the 32-wide tiny tower. `joint_embed_shape` is 16.
Every parameter is re-drawn from a seeded generator (the audio tower as htsat_reference.py does, the rest as
tiny_encoder_fixture.py does; the logit scales keep laion_clap's log(1/0.07)).

The tokenizer is the byte-level BPE of Tests/DuetTextTests/Resources/byte-level-bpe (trained by
`tokenizers` in byte_level_bpe_reference.py, RoBERTa's special tokens), copied as vocab.json and merges.txt and
read by `transformers`' `RobertaTokenizer.from_pretrained(folder)`, called as laion_clap's `CLAP_Module.tokenizer` calls it
(`padding="max_length", truncation=True, max_length=77`).

Audio follows `CLAP_Module.get_audio_embedding_from_data` step by step with laion_clap's own functions
(`float32_to_int16`, `int16_to_float32`, `get_audio_features(..., data_truncating="rand_trunc",
data_filling="repeatpad")`, `CLAP.get_audio_embedding`); the one difference is `max_len`, which the hook
hard-codes as 480,000 and which is the tiny tower's `clip_samples` (4,000) here. Four waveforms: one exactly
`clip_samples` long and loud enough to be clipped to [-1, 1]; one of 1,500 samples (repeated twice, then
1,000 zeros); one of 7 samples (repeated 571 times, 3 zeros); one of 6,500 samples, for which `rand_trunc`'s
`np.random.randint` is patched to draw offset 0, the offset Duet always uses.

Written into the folder:
- model.safetensors: `CLAP.state_dict()` with laion_clap's names (`audio_branch.…`, `text_branch.…`,
  `audio_projection.…`, `text_projection.…`, `audio_transform.…`, `text_transform.…`, `logit_scale_a/t`);
- config.json: a laion_clap model configuration (`embed_dim`, `joint_embed_shape`, `mlp_act`, `audio_cfg` with
  the Swin body under `htsat`, `text_cfg`); text_config.json: the tiny RoBERTa's `config.json`;
- vocab.json, merges.txt;
- checkpoint.pt: the same state dict as laion_clap's released checkpoints hold it (`torch.save` of
  `{"epoch": …, "state_dict": {"module.<name>": …}}`), for the test of `duet convert-weights`;
- reference.safetensors: `audio.waveform.N` (the raw inputs), `audio.clip` [4, 4000] (after the 16-bit round
  trip and repeatpad), `audio.tower` [4, 32] (HTS-AT `embedding`), `audio.projected` [4, 16], `audio.embedding`
  [4, 16] (normalised); `text.pooled` [5, 32] (`pooler_output`), `text.projected`, `text.embedding` [5, 16];
- reference.json: versions, seed, the texts and their token ids (attention-masked part), and the largest
  Σ|term| of any float32 reduction of the audio and of the text branch (projections included).

Seeded and deterministic (CPU, one thread). Written with torch 2.13.0+cpu and laion_clap 1.1.7 (see the
versions in reference.json):
    python3 -m venv /work/venvs/clap
    /work/venvs/clap/bin/pip install /opt/wheels/torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl laion_clap==1.1.7 safetensors
    /work/venvs/clap/bin/python Scripts/reference/clap_reference.py
"""
import ast
import contextlib
import json
import os
import shutil
import types
from importlib import metadata

import numpy as np
import torch
from safetensors.torch import save_file

# Loads laion_clap's modules without its package __init__ (see htsat_reference.py) and gives the tiny tower.
import htsat_reference
from htsat_reference import AUDIO, BODY, SwinMagnitudes, _ROOT, _package
from tiny_encoder_fixture import RESOURCES, ReductionMagnitudes, redraw_parameters

import laion_clap.clap_module.model as clap_model  # noqa: E402
from laion_clap.clap_module.htsat import HTSAT_Swin_Transformer  # noqa: E402
import transformers  # noqa: E402
from transformers import RobertaConfig, RobertaModel, RobertaTokenizer  # noqa: E402

SEED = 41
NAME = "clap-tiny"
JOINT = 16
CONTEXT = 77
BEGIN, PAD, END = 0, 1, 2
TOKENIZER = os.path.join(os.path.dirname(RESOURCES), "..", "DuetTextTests", "Resources", "byte-level-bpe")
TEXTS = [
    "a calm piano piece with soft strings",
    "Energetic rock song; electric guitar, drums & vocals!",
    "Ein ruhiges Klavierstück — 静かなピアノの曲です",
    "  leading spaces and  double  spaces ",
    " ".join(["a slow sad ballad with cello, piano and a female voice"] * 8),  # past 77 tokens: truncated
]


def data_functions(*names):
    """The named functions of laion_clap's `training/data.py`, compiled from the installed file's own source.
    The module itself is not imported: it pulls in the whole training stack (torchvision, PIL, webdataset, ...);
    these functions need only numpy, torch and `contextlib.suppress`."""
    path = os.path.join(_ROOT, "training", "data.py")
    with open(path) as handle:
        tree = ast.parse(handle.read())
    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name in names]
    assert sorted(node.name for node in functions) == sorted(names), "laion_clap's data.py lacks one of " + ", ".join(names)
    namespace = {"np": np, "torch": torch, "F": torch.nn.functional, "suppress": contextlib.suppress}
    exec(compile(ast.Module(body=functions, type_ignores=[]), path, "exec"), namespace)
    return types.SimpleNamespace(**{name: namespace[name] for name in names})


clap_data = data_functions("int16_to_float32", "float32_to_int16", "get_audio_features")


def text_configuration(vocabulary):
    return RobertaConfig(
        vocab_size=vocabulary, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=37,
        max_position_embeddings=CONTEXT + PAD + 1, type_vocab_size=1, layer_norm_eps=1e-5, hidden_act="gelu",
        pad_token_id=PAD, bos_token_id=BEGIN, eos_token_id=END)


def build(text_config):
    def tiny_htsat(audio_cfg, enable_fusion=False, fusion_type="None"):
        return HTSAT_Swin_Transformer(
            spec_size=BODY["spec_size"], patch_size=BODY["patch_size"], patch_stride=tuple(BODY["patch_stride"]),
            num_classes=AUDIO["class_num"], embed_dim=BODY["embed_dim"], depths=BODY["depths"], num_heads=BODY["num_heads"],
            window_size=BODY["window_size"], mlp_ratio=BODY["mlp_ratio"], config=audio_cfg)

    clap_model.create_htsat_model = tiny_htsat
    clap_model.RobertaModel = types.SimpleNamespace(from_pretrained=lambda name: RobertaModel(text_config, add_pooling_layer=True))
    audio_cfg = {key: AUDIO[key] for key in ["model_type", "model_name", "sample_rate", "audio_length", "window_size",
                                             "hop_size", "fmin", "fmax", "class_num", "mel_bins", "clip_samples"]}
    text_cfg = {"context_length": CONTEXT, "vocab_size": text_config.vocab_size, "width": text_config.hidden_size,
                "heads": text_config.num_attention_heads, "layers": text_config.num_hidden_layers, "model_type": "roberta"}
    width = BODY["embed_dim"] * 2 ** (len(BODY["depths"]) - 1)
    model = clap_model.CLAP(embed_dim=width, audio_cfg=audio_cfg, text_cfg=text_cfg, joint_embed_shape=JOINT, mlp_act="relu")
    model.text_projection[0] = torch.nn.Linear(text_config.hidden_size, JOINT)
    return model.eval(), width, text_cfg


def redraw(model, generator):
    htsat_reference.redraw(model.audio_branch, generator)
    redraw_parameters(model.text_branch, generator)
    for part in [model.audio_projection, model.text_projection, model.audio_transform, model.text_transform]:
        redraw_parameters(part, generator)


def waveforms(generator):
    rate, clip = AUDIO["sample_rate"], AUDIO["clip_samples"]
    base = htsat_reference.waveforms(generator, 6500, rate)
    return {
        "exact": (3 * base[0, :clip]).numpy(),      # peaks past 1: clipped by float32_to_int16
        "short": base[1, :1500].numpy(),
        "tiny": base[0, 100:107].numpy(),
        "long": base[0].numpy(),
    }


def prepared(waveform):
    """CLAP_Module.get_audio_embedding_from_data's per-waveform steps, with max_len = clip_samples."""
    quantised = torch.from_numpy(clap_data.int16_to_float32(clap_data.float32_to_int16(waveform))).float()
    draw = np.random.randint
    np.random.randint = lambda low, high=None, *rest, **options: 0  # rand_trunc's offset: Duet keeps the start
    try:
        return clap_data.get_audio_features(
            {}, quantised, AUDIO["clip_samples"], data_truncating="rand_trunc", data_filling="repeatpad", audio_cfg=AUDIO)
    finally:
        np.random.randint = draw


def main():
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    generator = torch.Generator().manual_seed(SEED)
    with open(os.path.join(TOKENIZER, "vocab.json")) as handle:
        vocabulary = len(json.load(handle))
    text_config = text_configuration(vocabulary)
    model, width, text_cfg = build(text_config)
    redraw(model, generator)

    captured = {}

    def keep(name):
        return lambda module, inputs, output: captured.__setitem__(name, output)
    model.audio_projection.register_forward_hook(keep("audio.projected"))
    model.text_projection.register_forward_hook(keep("text.projected"))
    model.audio_branch.register_forward_hook(lambda module, inputs, output: captured.__setitem__("audio.tower", output["embedding"]))
    model.text_branch.register_forward_hook(lambda module, inputs, output: captured.__setitem__("text.pooled", output["pooler_output"]))

    # Audio, with the HTS-AT tower's and the projection's reductions measured.
    audio_magnitudes = SwinMagnitudes(model.audio_branch)
    projection_magnitudes = ReductionMagnitudes(model.audio_projection, head_size=1, score_scale=1.0)
    inputs = waveforms(generator)
    features = [prepared(waveform) for waveform in inputs.values()]
    with torch.no_grad():
        audio_embedding = model.get_audio_embedding(features)
    audio_magnitudes.remove()
    projection_magnitudes.remove()
    audio_largest = max(audio_magnitudes.largest, projection_magnitudes.largest)

    # Text, as CLAP_Module.get_text_embedding with its tokenizer call.
    tokenizer = RobertaTokenizer.from_pretrained(TOKENIZER)  # laion_clap: RobertaTokenizer.from_pretrained('roberta-base')
    tokens = tokenizer(TEXTS, padding="max_length", truncation=True, max_length=CONTEXT, return_tensors="pt")
    head_size = text_config.hidden_size // text_config.num_attention_heads
    text_magnitudes = ReductionMagnitudes(model.text_branch, head_size, score_scale=head_size ** -0.5)
    text_projection_magnitudes = ReductionMagnitudes(model.text_projection, head_size=1, score_scale=1.0)
    with torch.no_grad():
        text_embedding = model.get_text_embedding({key: value.clone() for key, value in tokens.items()})
    text_magnitudes.remove()
    text_projection_magnitudes.remove()
    text_largest = max(text_magnitudes.largest, text_projection_magnitudes.largest)

    ids = [[int(token) for token, kept in zip(row, mask) if kept] for row, mask in zip(tokens["input_ids"], tokens["attention_mask"])]
    assert max(len(row) for row in ids) == CONTEXT, "one text must reach the context length"
    references = {
        "audio.clip": torch.stack([feature["waveform"] for feature in features]),
        "audio.tower": captured["audio.tower"], "audio.projected": captured["audio.projected"], "audio.embedding": audio_embedding,
        "text.pooled": captured["text.pooled"], "text.projected": captured["text.projected"], "text.embedding": text_embedding,
    }
    for index, waveform in enumerate(inputs.values()):
        references[f"audio.waveform.{index}"] = torch.from_numpy(waveform)

    folder = os.path.join(RESOURCES, NAME)
    os.makedirs(folder, exist_ok=True)
    state = {name: tensor.detach().contiguous() for name, tensor in model.state_dict().items()}
    save_file(state, os.path.join(folder, "model.safetensors"))
    # The layout of laion_clap's released .pt files: the state dict under "state_dict", every name behind
    # DistributedDataParallel's "module." (no optimizer state, to keep the fixture small).
    torch.save({"epoch": 1, "state_dict": {"module." + name: tensor for name, tensor in state.items()}}, os.path.join(folder, "checkpoint.pt"))
    save_file({name: tensor.detach().float().contiguous() for name, tensor in references.items()}, os.path.join(folder, "reference.safetensors"))
    for name in ["vocab.json", "merges.txt"]:
        shutil.copyfile(os.path.join(TOKENIZER, name), os.path.join(folder, name))
    with open(os.path.join(folder, "config.json"), "w") as handle:
        json.dump({"embed_dim": width, "joint_embed_shape": JOINT, "mlp_act": "relu",
                   "audio_cfg": dict(AUDIO, htsat=BODY), "text_cfg": text_cfg}, handle, indent=2)
        handle.write("\n")
    with open(os.path.join(folder, "text_config.json"), "w") as handle:
        handle.write(text_config.to_json_string())
    document = {
        "torch": torch.__version__, "laion_clap": metadata.version("laion_clap"), "transformers": transformers.__version__,
        "torchlibrosa": metadata.version("torchlibrosa"), "numpy": np.__version__, "seed": SEED,
        "waveforms": list(inputs.keys()), "texts": TEXTS, "ids": ids,
        "audio_largest_reduction_magnitude": audio_largest, "text_largest_reduction_magnitude": text_largest,
    }
    with open(os.path.join(folder, "reference.json"), "w") as handle:
        json.dump(document, handle, indent=1, ensure_ascii=False)
        handle.write("\n")
    for file in sorted(os.listdir(folder)):
        print(file, os.path.getsize(os.path.join(folder, file)))
    print("largest reduction magnitudes: audio", audio_largest, "text", text_largest)


if __name__ == "__main__":
    main()
