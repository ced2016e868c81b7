#!/usr/bin/env python3
"""Writes the T5 / mT5 SentencePiece unigram parity fixtures for Tests/DuetTextTests:

- Resources/t5-unigram/spiece.model: a SentencePiece unigram model of 2,000 pieces trained by the
  `sentencepiece` library on a seeded multilingual corpus of music captions, with T5's settings:
  `nmt_nfkc` normalisation (its precompiled charsmap is stored in the model), dummy prefix, extra white
  space removed, pad 0 / eos 1 / unk 2 and no bos, character coverage 0.9995 (so rare characters are
  unknown);
- Resources/t5_tokenizer_reference.json: at least 1,000 hard strings with `sentencepiece`'s ids followed
  by `</s>` (T5's template: no `<s>`), no truncation, and sentencepiece's normalised text.

Usage (seeded, deterministic; one training thread):
    python3 -m venv /tmp/venv-tok15 && /tmp/venv-tok15/bin/pip install sentencepiece==0.2.1
    /tmp/venv-tok15/bin/python Scripts/reference/t5_tokenizer_reference.py
"""
import json
import os
import random
import tempfile

import sentencepiece

from caption_vocabulary import GENRES, INSTRUMENTS, MOODS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RESOURCES = os.path.join(ROOT, "Tests/DuetTextTests/Resources")
MODEL = os.path.join(RESOURCES, "t5-unigram")
OUTPUT = os.path.join(RESOURCES, "t5_tokenizer_reference.json")
SEED = 20251208

WORLD = ["Ein ruhiges Klavierstück mit Streichern", "Une chanson française très douce", "Canción alegre con guitarra",
         "Музыка для танцев", "Μια ήσυχη μελωδία", "موسيقى هادئة مع عود", "שיר שקט עם גיטרה", "शांत संगीत और तबला",
         "安静的钢琴曲", "静かなピアノの曲です", "조용한 피아노 음악", "เพลงบรรเลงเปียโนเบาๆ", "Çok güzel bir şarkı"]
TEMPLATES = ["a {m} {g} track with {i} and {j}", "{M} {g} song; {i}, {j} & vocals!", "It's a {m} piece — {i} (live, {n} BPM)",
             "they're playing {g} with {i}... we'll see", "{g}/{g2} crossover w/ {i} @ {n}bpm", "I've heard {i}'s tone; it'd fit",
             "  {m}   {g}\t{i}\n{j}  ", "{i}'S LOUD, {m}!!! ({n})", "“{M}” {g} – it’s {n}% ﬁne", "ＦＵＬＬ　ＷＩＤＴＨ {g}"]

POOLS = [
    "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789", " ", "  ", "\t", "\n", "\r\n",
    "'s", "'t", "!?.,;:-_()[]{}<>/\\|@#$%^&*+=~`\"", "éèêëàâäôöûüçñß", "ÉÀÇÑ", "αβγδεζ", "АБВгдеё", "ابتثج", "אבגד",
    "अआइई", "中文字音乐", "ひらがなカタカナ", "한국어", "กขคง", "٠١٢٣", "①②③", "Ⅻ", "½¾", "🎷🎸🥁", "👩‍🎤", "\u200b",
    "\u00a0", "\u3000", "\u2028", "\u0301", "\u0085", "\u000b", "\u000c", "\x00", "\x07", "\x7f", "\ufeff", "ﬁ", "Å",
    "ｆｕｌｌ", "ﾊﾝｶｸ", "x\u0308", "e\u0301", "\U0001F3B5", "▁", "▁▁", "</s>", "<pad>", "<unk>", "㍿", "㎏", "™", "℃",
    "\u00b4", "\u00a8", "\u2126", "\u212b", "\u1e9b\u0323", "\u0958", "\uf900", "\U0002f800", "ǅ", "ß", "ẞ", "İ",
]


def caption(rng):
    template = rng.choice(TEMPLATES)
    mood = rng.choice(MOODS)
    return template.format(m=mood, M=mood.capitalize(), g=rng.choice(GENRES), g2=rng.choice(GENRES),
                           i=rng.choice(INSTRUMENTS), j=rng.choice(INSTRUMENTS), n=rng.randint(60, 180))


def random_string(rng):
    parts = [rng.choice(POOLS) for _ in range(rng.randint(1, 12))]
    return "".join(rng.choice(part) if len(part) > 3 and rng.random() < 0.5 else part for part in parts)


def main():
    rng = random.Random(SEED)
    sentencepiece.set_random_generator_seed(SEED)
    corpus = [caption(rng) for _ in range(6000)] + WORLD * 40 + [random_string(rng) for _ in range(12000)]
    os.makedirs(MODEL, exist_ok=True)
    # A fixed folder: the model records its training paths, so a random one would change the file.
    folder = os.path.join(tempfile.gettempdir(), "duet-t5-reference")
    os.makedirs(folder, exist_ok=True)
    corpus_path = os.path.join(folder, "corpus.txt")
    with open(corpus_path, "w", encoding="utf-8") as handle:
        # One sentence a line: the corpus's own line breaks become spaces.
        handle.write("\n".join(line.replace("\n", " ").replace("\r", " ").replace("\u2028", " ").replace("\x85", " ")
                               for line in corpus))
    sentencepiece.SentencePieceTrainer.train(
        input=corpus_path, model_prefix=os.path.join(folder, "spiece"), model_type="unigram", vocab_size=2000,
        character_coverage=0.9995, normalization_rule_name="nmt_nfkc", pad_id=0, eos_id=1, unk_id=2, bos_id=-1,
        pad_piece="<pad>", eos_piece="</s>", unk_piece="<unk>", num_threads=1, minloglevel=2)
    with open(os.path.join(folder, "spiece.model"), "rb") as source, open(os.path.join(MODEL, "spiece.model"), "wb") as target:
        target.write(source.read())
    processor = sentencepiece.SentencePieceProcessor(model_file=os.path.join(MODEL, "spiece.model"))
    eos = processor.eos_id()
    assert (processor.pad_id(), eos, processor.unk_id(), processor.bos_id()) == (0, 1, 2, -1)

    strings = ["", " ", "  ", "a", "a  b", " a ", "\t\n", "don't", "x\u00a0y", "x\u3000y", "x\u200by", "x\u2028y",
               "12,345.67", "①②③ ½", "🎷 jazz", "e\u0301", "ﬁne", "ｆｕｌｌ width", "ﾊﾝｶｸ", "</s>", "a</s>b", "<pad><unk>",
               "▁", "▁a", "a▁", "a ▁ b", "▁ ▁", "\u00b4a", "a \u00b4", "㍿ ㎏ ™ ℃", "\x00a\x00", "\ufeffa"]
    strings += WORLD
    strings += [caption(rng) for _ in range(400)]
    strings += [random_string(rng) for _ in range(600)]
    strings += ["word " * 300, "x" * 700, "supercalifragilisticexpialidocious" * 6, "   " * 40 + "end", "!" * 90,
                "🎵" * 50, "ꙮ" * 20 + "ߋ" * 5]
    records = []
    for text in strings:
        ids = processor.encode(text) + [eos]
        records.append({"text": text, "normalized": processor.normalize(text), "ids": ids})
    assert len(records) >= 1000
    with open(OUTPUT, "w", encoding="utf-8") as handle:
        json.dump({"sentencepiece": sentencepiece.__version__, "seed": SEED, "vocabulary_size": processor.get_piece_size(),
                   "template": "pieces </s>", "strings": records}, handle, ensure_ascii=False, indent=0)
        handle.write("\n")
    print(f"wrote {len(records)} strings to {OUTPUT} and the model to {MODEL}")


if __name__ == "__main__":
    main()
