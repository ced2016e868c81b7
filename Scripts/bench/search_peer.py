#!/usr/bin/env python3
"""Peer for `make bench-search`: FAISS IndexFlatIP (exact inner product, float32) on CPU.

    search_peer.py WORK DIMENSION K BATCH SINGLE THREADS [REPEATS]

Reads WORK/base.f32 and WORK/queries.f32 (written by `duet bench-search --out WORK`), times
SINGLE single queries and the queries in batches of BATCH (best of REPEATS, after one warm-up),
and compares Duet's top-k ids (WORK/duet-ids.i32) with FAISS's: recall@k is the share of FAISS's
exact top-k that Duet returned. Prints one line:
    faiss single_ms=.. batchB_ms=.. recall=..
"""
import sys
import time

import faiss
import numpy as np


def main():
    work, dimension, k, batch, single, threads = sys.argv[1], *map(int, sys.argv[2:7])
    repeats = int(sys.argv[7]) if len(sys.argv) > 7 else 3
    faiss.omp_set_num_threads(threads)
    base = np.fromfile(f"{work}/base.f32", dtype=np.float32).reshape(-1, dimension)
    queries = np.fromfile(f"{work}/queries.f32", dtype=np.float32).reshape(-1, dimension)
    index = faiss.IndexFlatIP(dimension)
    index.add(base)
    index.search(queries[:1], k)  # warm-up
    best_single = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for row in range(single):
            index.search(queries[row:row + 1], k)
        best_single = min(best_single, (time.perf_counter() - start) / single)
    batches = len(queries) // batch
    best_batch = float("inf")
    ids = None
    for _ in range(repeats):
        found = []
        start = time.perf_counter()
        for number in range(batches):
            _, labels = index.search(queries[number * batch:(number + 1) * batch], k)
            found.append(labels)
        best_batch = min(best_batch, (time.perf_counter() - start) / batches)
        ids = np.concatenate(found)
    duet = np.fromfile(f"{work}/duet-ids.i32", dtype=np.int32).reshape(-1, k)
    hits = sum(len(set(a.tolist()) & set(b.tolist())) for a, b in zip(duet, ids))
    recall = hits / ids.size
    print(f"faiss single_ms={best_single * 1000:.3f} batch{batch}_ms={best_batch * 1000:.3f} recall={recall:.4f} faiss={faiss.__version__}")


if __name__ == "__main__":
    main()
