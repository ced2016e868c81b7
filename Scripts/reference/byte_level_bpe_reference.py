#!/usr/bin/env python3
"""Writes the byte-level BPE parity fixtures (RoBERTa / GPT-2 style) for Tests/DuetTextTests:

- Resources/byte-level-bpe/vocab.json and merges.txt: a byte-level BPE of 3,000 tokens trained by
  Hugging Face `tokenizers` (ByteLevelBPETokenizer, GPT-2 pre-tokenizer regex, no prefix space, no
  normaliser) on a seeded corpus of music captions and multilingual text;
- Resources/byte_level_bpe_reference.json: at least 1,000 hard strings and the ids the trained
  tokenizer gives them with RoBERTa's post-processor (<s> ... </s>), no truncation.

Usage (offline once `tokenizers` is installed, seeded, deterministic):
    python -m venv /tmp/venv-tok && /tmp/venv-tok/bin/pip install tokenizers==0.22.1
    /tmp/venv-tok/bin/python Scripts/reference/byte_level_bpe_reference.py
"""
import json
import os
import random
import tempfile

import tokenizers
from tokenizers import ByteLevelBPETokenizer
from tokenizers.processors import RobertaProcessing

from caption_vocabulary import GENRES, INSTRUMENTS, MOODS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RESOURCES = os.path.join(ROOT, "Tests/DuetTextTests/Resources")
MODEL = os.path.join(RESOURCES, "byte-level-bpe")
OUTPUT = os.path.join(RESOURCES, "byte_level_bpe_reference.json")
SEED = 20231105
SPECIALS = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]

WORLD = ["Ein ruhiges Klavierstück mit Streichern", "Une chanson française très douce", "Canción alegre con guitarra",
         "Музыка для танцев", "Μια ήσυχη μελωδία", "موسيقى هادئة مع عود", "שיר שקט עם גיטרה", "शांत संगीत और तबला",
         "安静的钢琴曲", "静かなピアノの曲です", "조용한 피아노 음악", "เพลงบรรเลงเปียโนเบาๆ", "Çok güzel bir şarkı"]
TEMPLATES = ["a {m} {g} track with {i} and {j}", "{M} {g} song; {i}, {j} & vocals!", "It's a {m} piece — {i} (live, {n} BPM)",
             "they're playing {g} with {i}... we'll see", "{g}/{g2} crossover w/ {i} @ {n}bpm", "I've heard {i}'s tone; it'd fit",
             "  {m}   {g}\t{i}\n{j}  ", "{i}'S LOUD, {m}!!! ({n})"]

def caption(rng):
    template = rng.choice(TEMPLATES)
    mood = rng.choice(MOODS)
    return template.format(m=mood, M=mood.capitalize(), g=rng.choice(GENRES), g2=rng.choice(GENRES),
                           i=rng.choice(INSTRUMENTS), j=rng.choice(INSTRUMENTS), n=rng.randint(60, 180))

POOLS = [
    "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789", " ", "  ", "\t", "\n", "\r\n",
    "'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'", "!?.,;:-_()[]{}<>/\\|@#$%^&*+=~`\"",
    "éèêëàâäôöûüçñß", "ÉÀÇÑ", "αβγδεζ", "АБВгдеё", "ابتثج", "אבגד", "अआइई", "中文字音乐", "ひらがなカタカナ", "한국어",
    "กขคง", "٠١٢٣", "①②③", "Ⅻ", "½¾", "🎷🎸🥁", "👩‍🎤", "\u200b", "\u00a0", "\u3000", "\u2028", "\u0301", "\u0085",
    "\u000b", "\u000c", "ﬁ", "Å", "ｆｕｌｌ", "x\u0308", "\U0001F3B5",
]

def random_string(rng):
    parts = [rng.choice(POOLS) for _ in range(rng.randint(1, 12))]
    text = "".join(rng.choice(part) if len(part) > 3 and rng.random() < 0.5 else part for part in parts)
    return text

def main():
    rng = random.Random(SEED)
    corpus = [caption(rng) for _ in range(6000)] + WORLD * 40 + [random_string(rng) for _ in range(3000)]
    os.makedirs(MODEL, exist_ok=True)
    tokenizer = ByteLevelBPETokenizer(add_prefix_space=False, lowercase=False, trim_offsets=True)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as handle:
        handle.write("\n".join(corpus))
        corpus_path = handle.name
    tokenizer.train([corpus_path], vocab_size=3000, min_frequency=2, special_tokens=SPECIALS, show_progress=False)
    os.unlink(corpus_path)
    tokenizer.save_model(MODEL)
    tokenizer.post_processor = RobertaProcessing(("</s>", tokenizer.token_to_id("</s>")), ("<s>", tokenizer.token_to_id("<s>")))

    strings = ["", " ", "a", "a  b", "a\n b", "a \nb", "a  !", "a  ", " \t\n", "don't", "DON'T", "it's 'S 'x !'s",
               "  leading", "trailing  ", "x\u00a0y", "x\u3000y", "x\u200by", "x\u2028y", "\u0085end", "tab\tthen",
               "crlf\r\nline", "12,345.67", "①②③ ½", "🎷 jazz", "👩‍🎤👩‍🎤", "e\u0301", "ﬁne", "ｆｕｌｌ width"]
    strings += WORLD
    strings += [caption(rng) for _ in range(400)]
    strings += [random_string(rng) for _ in range(600)]
    strings += ["word " * 300, "x" * 700, "'s" * 50, "   " * 40 + "end", "!" * 90]
    records = []
    for text in strings:
        encoding = tokenizer.encode(text)
        records.append({"text": text, "ids": encoding.ids})
    with open(OUTPUT, "w", encoding="utf-8") as handle:
        json.dump({"tokenizers": tokenizers.__version__, "seed": SEED, "special_tokens": SPECIALS,
                   "post_processor": "RobertaProcessing <s> ... </s>", "strings": records},
                  handle, ensure_ascii=False, indent=0)
        handle.write("\n")
    print(f"wrote {len(records)} strings to {OUTPUT} and the model to {MODEL}")

if __name__ == "__main__":
    main()
