#!/usr/bin/env python3
"""Peer for `make bench-text-towers`: the transformers model of each folder text tower on CPU.

    text_towers_peer.py measure KIND FOLDER IDS_JSON BATCH THREADS [REPEATS]   prints sentences/s

KIND is clip-text, roberta, t5 or mt5; FOLDER a weights folder (Scripts/bench/text_tower_folders.py writes
full-size random ones); IDS_JSON the token ids Duet's tokenizer gives each caption (`duet embed-text --tokens
--json`), so both sides run the same inputs. Captions are sorted by length and cut into groups of BATCH, each
padded to its longest with an attention mask and run as one forward pass to the last hidden states (what
DuET-MC reads), under `torch.inference_mode`; best of REPEATS runs after one warm-up, like Duet's `bench-text`.
Tokenisation is not timed here (Duet's time includes its own), which favours the peer.
"""
import json
import sys
import time


def model_class(kind):
    from transformers import CLIPTextModelWithProjection, MT5EncoderModel, RobertaModel, T5EncoderModel
    return {"clip-text": CLIPTextModelWithProjection, "roberta": RobertaModel, "t5": T5EncoderModel,
            "mt5": MT5EncoderModel}[kind]


def measure(kind, folder, ids_path, batch, threads, repeats):
    import torch
    torch.set_num_threads(threads)
    model = model_class(kind).from_pretrained(folder).eval()
    pad = model.config.pad_token_id if model.config.pad_token_id is not None else 0
    with open(ids_path, encoding="utf-8") as handle:
        sentences = [item["ids"] for item in json.load(handle)]
    order = sorted(range(len(sentences)), key=lambda index: (len(sentences[index]), index))
    groups = []
    for start in range(0, len(order), batch):
        group = [sentences[index] for index in order[start:start + batch]]
        width = max(len(ids) for ids in group)
        input_ids = torch.tensor([ids + [pad] * (width - len(ids)) for ids in group])
        mask = torch.tensor([[1] * len(ids) + [0] * (width - len(ids)) for ids in group])
        groups.append((input_ids, mask))

    def run():
        for input_ids, mask in groups:
            model(input_ids=input_ids, attention_mask=mask).last_hidden_state

    with torch.inference_mode():
        run()
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - start)
    print(f"peer encoder={kind} batch={batch} sentences={len(sentences)} threads={threads} "
          f"seconds={best:.4f} sentences/s={len(sentences) / best:.1f}")


def main():
    if len(sys.argv) < 7 or sys.argv[1] != "measure":
        sys.exit(__doc__)
    kind, folder, ids_path = sys.argv[2], sys.argv[3], sys.argv[4]
    batch, threads = int(sys.argv[5]), int(sys.argv[6])
    repeats = int(sys.argv[7]) if len(sys.argv) > 7 else 3
    measure(kind, folder, ids_path, batch, threads, repeats)


if __name__ == "__main__":
    main()
