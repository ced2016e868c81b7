#!/usr/bin/env python3
"""Peer for `make bench-text`: sentence-transformers all-MiniLM-L6-v2 on CPU.

    text_peer.py captions MODEL_DIR OUT_CAPTIONS   writes the benchmark captions (seeded)
    text_peer.py measure MODEL_DIR CAPTIONS BATCH THREADS [REPEATS]   prints sentences/s

Timing covers tokenisation, the forward pass, pooling and normalisation (what `encode` does),
best of REPEATS runs after one warm-up, like Duet's `bench-text`.
"""
import os
import random
import sys
import time

GENRES = ["jazz", "rock", "techno", "ambient", "classical", "hip hop", "folk", "metal", "reggae", "bossa nova",
          "house", "blues", "country", "funk", "soul", "trap", "dub", "gospel", "flamenco", "k-pop", "drum and bass"]
INSTRUMENTS = ["piano", "upright bass", "brushed drums", "distorted electric guitar", "warm synth pads",
               "string quartet", "tenor saxophone", "808 bass", "acoustic guitar", "harmonica", "sitar", "tabla",
               "cello", "flute", "hammond organ", "muted trumpet", "female vocals", "male vocals", "choir", "hand claps"]
MOODS = ["mellow", "energetic", "sad", "uplifting", "dark", "dreamy", "aggressive", "relaxing", "playful", "tense"]
TEMPLATES = ["a {m} {g} track with {i1} and {i2}", "{g}, {i1}, {i2}, {m}",
             "This is a {m} {g} song featuring {i1}. The {i2} plays a simple melody in the background.",
             "{M} {g} with {i1}, {i2} and no vocals, recorded live in a small club",
             "An instrumental {g} piece led by {i1}", "{i1} and {i2} in a {m} {g} arrangement at a slow tempo"]


def write_captions(path, count=256, seed=64):
    generator = random.Random(seed)
    with open(path, "w", encoding="utf-8") as handle:
        for _ in range(count):
            first, second = generator.sample(INSTRUMENTS, 2)
            mood = generator.choice(MOODS)
            handle.write(generator.choice(TEMPLATES).format(
                g=generator.choice(GENRES), m=mood, M=mood.capitalize(), i1=first, i2=second) + "\n")


def measure(model_dir, captions_path, batch, threads, repeats):
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from sentence_transformers import SentenceTransformer
    torch.set_num_threads(threads)
    with open(captions_path, encoding="utf-8") as handle:
        captions = handle.read().splitlines()
    model = SentenceTransformer(model_dir, device="cpu")
    model.encode(captions[:batch], batch_size=batch, normalize_embeddings=True)
    best = float("inf")
    with torch.inference_mode():
        for _ in range(repeats):
            start = time.perf_counter()
            model.encode(captions, batch_size=batch, normalize_embeddings=True, convert_to_numpy=True)
            best = min(best, time.perf_counter() - start)
    rate = len(captions) / best
    print(f"peer batch={batch} sentences={len(captions)} threads={torch.get_num_threads()} "
          f"seconds={best:.4f} sentences/s={rate:.1f}")


if __name__ == "__main__":
    if sys.argv[1] == "captions":
        write_captions(sys.argv[3])
    else:
        measure(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]) if len(sys.argv) > 6 else 3)
