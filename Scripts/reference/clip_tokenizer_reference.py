#!/usr/bin/env python3
"""Writes the CLIP tokenizer parity fixtures for Tests/DuetTextTests:

- Resources/clip/bpe_simple_vocab_16e6.txt.gz: OpenAI CLIP's BPE vocabulary (MIT), copied byte for
  byte from the pinned `open_clip_torch` wheel (the file Duet reads at run time from the model cache);
- Resources/clip_tokenizer_reference.json: at least 1,000 hard strings (music captions, punctuation,
  contractions, numbers, emoji, CJK, Arabic, Cyrillic, diacritics, HTML entities, odd white space,
  ftfy's fixes, very long words, texts longer than 77 tokens) with the 77 ids of `open_clip.tokenize`
  and the text after open_clip's `_clean_lower` (for diagnosing a mismatch).

Strings that ftfy's mojibake repair (`fix_encoding` and its sub-fixes) would change are left out of
the fixture, since Duet does not implement it; their number is recorded as `excluded_mojibake`.

open_clip's `tokenizer.py` imports torch only to allocate the [n, 77] result (`torch.zeros`,
`torch.tensor`). torch is not needed for anything else, so this script loads the wheel's unmodified
`open_clip/tokenizer.py` with a stand-in `torch` module that provides those two functions over numpy.

Usage (seeded, deterministic):
    python3 -m venv /tmp/venv-tok15
    /tmp/venv-tok15/bin/pip install --no-deps open_clip_torch==3.3.0
    /tmp/venv-tok15/bin/pip install ftfy==6.3.1 regex==2024.11.6 wcwidth==0.2.13 numpy
    /tmp/venv-tok15/bin/python Scripts/reference/clip_tokenizer_reference.py
"""
import importlib.metadata
import importlib.util
import json
import os
import random
import shutil
import sys
import types

import ftfy
import numpy
import regex

from caption_vocabulary import GENRES, INSTRUMENTS, MOODS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RESOURCES = os.path.join(ROOT, "Tests/DuetTextTests/Resources")
OUTPUT = os.path.join(RESOURCES, "clip_tokenizer_reference.json")
VOCABULARY = os.path.join(RESOURCES, "clip", "bpe_simple_vocab_16e6.txt.gz")
SEED = 20251207


def load_open_clip_tokenizer():
    """open_clip's tokenizer module from the installed wheel, with numpy standing in for torch."""
    torch = types.ModuleType("torch")
    torch.long = numpy.int64
    torch.LongTensor = numpy.ndarray
    torch.Tensor = numpy.ndarray
    torch.zeros = lambda *shape, dtype=None: numpy.zeros(shape, dtype=numpy.int64)
    torch.tensor = lambda values: numpy.asarray(values, dtype=numpy.int64)
    sys.modules["torch"] = torch
    package = os.path.dirname(importlib.util.find_spec("open_clip").origin)
    spec = importlib.util.spec_from_file_location("open_clip_tokenizer", os.path.join(package, "tokenizer.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, package


WORLD = ["Ein ruhiges Klavierstück mit Streichern", "Une chanson française très douce", "Canción alegre con guitarra",
         "Музыка для танцев", "Μια ήσυχη μελωδία ΟΔΟΣ", "موسيقى هادئة مع عود", "שיר שקט עם גיטרה", "शांत संगीत और तबला",
         "安静的钢琴曲", "静かなピアノの曲です", "조용한 피아노 음악", "เพลงบรรเลงเปียโนเบาๆ", "Çok güzel bir şarkı İSTANBUL"]
TEMPLATES = ["a {m} {g} track with {i} and {j}", "{M} {g} song; {i}, {j} & vocals!", "It's a {m} piece — {i} (live, {n} BPM)",
             "they're playing {g} with {i}... we'll see", "{g}/{g2} crossover w/ {i} @ {n}bpm", "I've heard {i}'s tone; it'd fit",
             "  {m}   {g}\t{i}\n{j}  ", "{i}'S LOUD, {m}!!! ({n})", "“{M}” {g} &amp; {i} – it’s {n}% ﬁne",
             "{g} &lt;3 {i}&nbsp;&mdash; {m}", "<b>{g}</b> &amp; {i}", "ＦＵＬＬ　ＷＩＤＴＨ {g} ｍｕｓｉｃ"]

# ftfy's fixes and html.unescape's corner cases, each on its own and mixed into random strings.
FTFY_CASES = [
    "&amp;", "&amp;amp;", "&amp;amp;amp;amp;", "&lt;b&gt;", "&quot;", "&#39;", "&#x27;", "&#8217;", "&#x2019;",
    "&eacute;", "&EACUTE;", "&Eacute;", "&NTILDE;", "&SZLIG;", "&amp", "&eacutex", "&notit;", "&notin;", "&nbsp;",
    "&#0;", "&#128;", "&#150;", "&#x80;", "&#xD800;", "&#1114112;", "&#65;&#66;", "&#x41", "&#12;", "&#13;", "&#x9;",
    "&unknown;", "&;", "&#;", "&#x;", "&hellip;", "&mdash;", "&copy;", "&copy", "&COPY;", "&NewLine;", "&Tab;",
    "&ThickSpace;", "&bne;", "&nvlt;", "&a", "&amp;lt;", "&lt;3", "a&b", "x < y &amp; z",
    "\u2018", "\u2019", "\u201a", "\u201b", "\u02bc", "\u201c", "\u201d", "\u201e", "\u201f", "\u2039",
    "\ufb00", "\ufb01", "\ufb02", "\ufb03", "\ufb04", "\ufb05", "\ufb06", "\u0132", "\u0133", "\u0149", "\u01c4",
    "\u01c5", "\u01c6", "\u01c7", "\u01c8", "\u01c9", "\u01ca", "\u01cb", "\u01cc", "\u01f1", "\u01f2", "\u01f3",
    "\uff21", "\uff41", "\uff10", "\uff01", "\uff5e", "\uff61", "\uff71", "\uffe0", "\uffe5", "\uffe8", "\u3000",
    "\r\n", "\r", "\u2028", "\u2029", "\u0085", "\n\n", "\x00", "\x07", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f",
    "\x80", "\x81", "\x8d", "\x91", "\x92", "\x93", "\x94", "\x96", "\x97", "\x9f", "\u206a", "\u206f", "\ufeff",
    "\ufff9", "\ufffc", "\ufffd", "\x1b[31m", "\x1b[0m", "\x1b[1;32m", "\x1b[K", "\x1b]", "e\u0301", "a\u0308",
    "\u1e9b\u0323", "\u212b", "\u2126", "n\u0303", "\u0041\u030a", "\u1100\u1161", "\u00c5", "\u0344", "\u0958",
    "\u017f", "'\u017f", "\u017ft", "\u03a3", "\u0130", "\u0049", "\u1e9e", "\u00df", "\u2160", "\u00b9", "\u00bd",
    "\u00a0", "\u2009", "\u200b", "\u200d", "\u2060", "\u180e", "\u1680", "\u3164", "\u115f", "\U0001d400",
    "<start_of_text>", "<end_of_text>", "<START_OF_TEXT>", "<\u017ftart_of_text>", "<|endoftext|>",
]

POOLS = [
    "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789", " ", "  ", "\t", "\n", "\r\n",
    "'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'LL", "'", "!?.,;:-_()[]{}<>/\\|@#$%^&*+=~`\"",
    "éèêëàâäôöûüçñß", "ÉÀÇÑ", "αβγδεζσς", "ΣΑΣ", "АБВгдеё", "ابتثج", "אבגד", "अआइई", "中文字音乐", "ひらがなカタカナ", "한국어",
    "กขคง", "٠١٢٣", "①②③", "Ⅻ", "½¾", "🎷🎸🥁", "👩‍🎤", "🇫🇷", "\u200b", "\u00a0", "\u3000", "\u2028", "\u0301",
    "\u0085", "\u000b", "\u000c", "ﬁ", "Å", "ｆｕｌｌ", "x\u0308", "\U0001F3B5", "ǅ", "İı", "ẞ",
]


def caption(rng):
    template = rng.choice(TEMPLATES)
    mood = rng.choice(MOODS)
    return template.format(m=mood, M=mood.capitalize(), g=rng.choice(GENRES), g2=rng.choice(GENRES),
                           i=rng.choice(INSTRUMENTS), j=rng.choice(INSTRUMENTS), n=rng.randint(60, 180))


def random_string(rng):
    parts = []
    for _ in range(rng.randint(1, 12)):
        pool = rng.choice(POOLS + FTFY_CASES) if rng.random() < 0.8 else rng.choice(FTFY_CASES)
        parts.append(rng.choice(pool) if len(pool) > 3 and rng.random() < 0.5 else pool)
    return "".join(parts)


def main():
    module, package = load_open_clip_tokenizer()
    rng = random.Random(SEED)
    os.makedirs(os.path.dirname(VOCABULARY), exist_ok=True)
    shutil.copyfile(os.path.join(package, "bpe_simple_vocab_16e6.txt.gz"), VOCABULARY)
    tokenizer = module._tokenizer

    strings = ["", " ", "a", "A", "don't", "DON'T", "it's 'S 'x !'s", "  leading", "trailing  ", "x\u00a0y",
               "12,345.67", "2024", "①②③ ½", "🎷 jazz", "👩‍🎤👩‍🎤", "e\u0301", "ﬁne", "ｆｕｌｌ width", "ΟΔΟΣ σ",
               "Broken text&hellip; it&#x2019;s ﬂubberiﬁc!", "ＬＯＵＤ　ＮＯＩＳＥＳ", "&macr;\\_(ツ)_/&macr;"]
    strings += WORLD + FTFY_CASES
    strings += [case + " " + rng.choice(GENRES) for case in FTFY_CASES]
    strings += ["a" + case + "b" for case in FTFY_CASES]
    strings += [caption(rng) for _ in range(350)]
    strings += [random_string(rng) for _ in range(650)]
    strings += ["word " * 300, "x" * 700, "supercalifragilisticexpialidocious" * 6, "'s" * 50, "   " * 40 + "end",
                "!" * 90, "1234567890" * 12, "🎵" * 100, " ".join(caption(rng) for _ in range(12)),
                "line one\nline <two>\n&amp; three", "&amp; first\n<second>\n&amp; third"]

    records = []
    excluded = 0
    for text in strings:
        if ftfy.fix_text(text) != ftfy.fix_text(text, fix_encoding=False):
            excluded += 1
            continue
        ids = module.tokenize([text])[0].tolist()
        records.append({"text": text, "cleaned": module._clean_lower(text), "ids": ids})
    assert len(records) >= 1000, len(records)
    assert tokenizer.sot_token_id == 49406 and tokenizer.eot_token_id == 49407

    with open(OUTPUT, "w", encoding="utf-8") as handle:
        json.dump({"open_clip_torch": importlib.metadata.version("open_clip_torch"), "ftfy": ftfy.__version__,
                   "regex": regex.__version__, "seed": SEED, "context_length": 77,
                   "start_of_text": tokenizer.sot_token_id, "end_of_text": tokenizer.eot_token_id,
                   "vocabulary_size": tokenizer.vocab_size, "excluded_mojibake": excluded, "strings": records},
                  handle, ensure_ascii=False, indent=0)
        handle.write("\n")
    print(f"wrote {len(records)} strings ({excluded} left out for mojibake repair) to {OUTPUT}")


if __name__ == "__main__":
    main()
