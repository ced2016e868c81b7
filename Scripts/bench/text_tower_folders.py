#!/usr/bin/env python3
"""Writes full-size weights folders for the four folder text towers, for timing only (Scripts/bench/text-towers.sh).

The paper's checkpoints are not reachable from these machines, so the speed and memory of CLIP-T, RoBERTa, T5
and mT5 at their real sizes are measured on random weights of those shapes: transformers builds each model
from the published configuration's sizes with its own seeded initialisation and `save_pretrained` writes it,
in the layout a user's folder has. The networks compute the same products whatever the weights, so the time
per caption is the real one; the outputs mean nothing.

| folder | model class | sizes (the published configuration's) |
|---|---|---|
| clip-text | CLIPTextModelWithProjection | openai/clip-vit-base-patch32: 512 wide, 12 layers, 8 heads, 2048, vocabulary 49,408, projection 512 |
| roberta | RobertaModel | roberta-base: 768 wide, 12 layers, 12 heads, 3072, vocabulary 50,265 |
| t5 | T5EncoderModel | t5-base: 768 wide, 12 layers, 12 heads, d_kv 64, 3072 (ReLU), vocabulary 32,128 |
| mt5 | MT5EncoderModel | google/mt5-base: 768 wide, 12 layers, 12 heads, d_kv 64, 2048 (gated GELU), vocabulary 250,112 |

Tokenizers: CLIP's real vocabulary (`bpe_simple_vocab_16e6.txt.gz`, from the open_clip wheel that `make setup`
unpacks, or the copy in Tests/DuetTextTests/Resources/clip); for RoBERTa, T5 and mT5, whose vocabularies are not
reachable here, the small byte-level BPE and unigram models of the tokenizer tests (Tests/DuetTextTests/Resources).
Those cut English captions into more pieces than roberta-base's or t5-base's vocabularies would, so the
benchmark reports tokens per caption beside the time.

    python3 -m venv /work/venvs/towers
    /work/venvs/towers/bin/pip install /opt/wheels/torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl transformers==5.25.0 safetensors
    /work/venvs/towers/bin/python Scripts/bench/text_tower_folders.py OUT
"""
import shutil
import sys
from pathlib import Path

import torch
from transformers import (CLIPTextConfig, CLIPTextModelWithProjection, MT5Config, MT5EncoderModel, RobertaConfig,
                          RobertaModel, T5Config, T5EncoderModel)

ROOT = Path(__file__).resolve().parents[2]
TEXT = ROOT / "Tests/DuetTextTests/Resources"
SEED = 20261208


def clip_text():
    config = CLIPTextConfig(
        vocab_size=49408, hidden_size=512, intermediate_size=2048, projection_dim=512, num_hidden_layers=12,
        num_attention_heads=8, max_position_embeddings=77, hidden_act="quick_gelu", layer_norm_eps=1e-5,
        bos_token_id=49406, eos_token_id=49407, pad_token_id=1)
    return CLIPTextModelWithProjection(config), [TEXT / "clip/bpe_simple_vocab_16e6.txt.gz"]


def roberta():
    config = RobertaConfig(
        vocab_size=50265, hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072,
        max_position_embeddings=514, type_vocab_size=1, layer_norm_eps=1e-5, bos_token_id=0, pad_token_id=1, eos_token_id=2)
    return RobertaModel(config, add_pooling_layer=True), [TEXT / "byte-level-bpe/vocab.json", TEXT / "byte-level-bpe/merges.txt"]


def t5():
    config = T5Config(
        vocab_size=32128, d_model=768, d_kv=64, d_ff=3072, num_layers=12, num_heads=12, relative_attention_num_buckets=32,
        relative_attention_max_distance=128, feed_forward_proj="relu", layer_norm_epsilon=1e-6, pad_token_id=0,
        eos_token_id=1, decoder_start_token_id=0)
    return T5EncoderModel(config), [TEXT / "t5-unigram/spiece.model"]


def mt5():
    config = MT5Config(
        vocab_size=250112, d_model=768, d_kv=64, d_ff=2048, num_layers=12, num_heads=12, relative_attention_num_buckets=32,
        relative_attention_max_distance=128, feed_forward_proj="gated-gelu", layer_norm_epsilon=1e-6, pad_token_id=0,
        eos_token_id=1, decoder_start_token_id=0, tie_word_embeddings=False)
    return MT5EncoderModel(config), [TEXT / "t5-unigram/spiece.model"]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: text_tower_folders.py OUT")
    out = Path(sys.argv[1])
    for index, (name, build) in enumerate([("clip-text", clip_text), ("roberta", roberta), ("t5", t5), ("mt5", mt5)]):
        folder = out / name
        if (folder / "model.safetensors").exists():
            print(f"{folder}: already written")
            continue
        torch.manual_seed(SEED + index)
        model, tokenizer_files = build()
        model.eval().save_pretrained(folder, safe_serialization=True)
        for file in tokenizer_files:
            shutil.copy(file, folder / file.name)
        count = sum(parameter.numel() for parameter in model.parameters())
        print(f"{folder}: {count / 1e6:.1f} M parameters")


if __name__ == "__main__":
    main()
