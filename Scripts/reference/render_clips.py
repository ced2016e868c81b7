"""Renders the short FluidSynth clips Duet's audio fixtures are made from (piano, violin, drums+bass).

Writes tiny General MIDI files with a minimal standard-MIDI-file writer, renders them with the
`fluidsynth` CLI and the FluidR3 GM soundfont (MIT licence, Debian package fluid-soundfont-gm) at
16 kHz, downmixes to mono and stores 16-bit PCM WAV. Deterministic: the melodies are fixed lists and
the only randomness (note velocities) comes from a seeded generator.

    python Scripts/reference/render_clips.py OUTPUT_DIR
"""
import os
import struct
import subprocess
import sys
import tempfile

import numpy as np
import soundfile

SOUNDFONT = "/usr/share/sounds/sf2/FluidR3_GM.sf2"
SAMPLE_RATE = 16000
TICKS = 480  # per quarter note; tempo 120 bpm, so a quarter is 0.5 s


def variable_length(value):
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    return bytes(reversed(out))


def midi_file(tracks):
    """tracks: list of lists of (tick, status, data1, data2) absolute-time events."""
    chunks = [b"MThd" + struct.pack(">IHHH", 6, 1, len(tracks), TICKS)]
    for events in tracks:
        body = bytearray()
        last = 0
        for tick, status, a, b in sorted(events, key=lambda e: (e[0], e[1] & 0xF0 != 0x80)):
            body += variable_length(tick - last)
            last = tick
            body += bytes([status, a] if status & 0xF0 in (0xC0, 0xD0) else [status, a, b])
        body += variable_length(0) + b"\xff\x2f\x00"
        chunks.append(b"MTrk" + struct.pack(">I", len(body)) + bytes(body))
    return b"".join(chunks)


def melody(channel, program, notes, rng, length=TICKS // 2, start=0):
    events = [(0, 0xC0 | channel, program, 0)]
    tick = start
    for note in notes:
        if note is not None:
            velocity = int(rng.integers(80, 110))
            events.append((tick, 0x90 | channel, note, velocity))
            events.append((tick + length - 10, 0x80 | channel, note, 0))
        tick += length
    return events


def clips(rng):
    scale = [60, 62, 64, 65, 67, 69, 71, 72, 71, 69, 67, 65, 64, 62, 60, 64, 67, 72, 67, 64, 60, 62, 64, 60]
    piano_chords = []
    for index, root in enumerate([48, 53, 55, 48, 57, 53, 55, 48]):
        for offset in (0, 4, 7):
            piano_chords.append((index * TICKS * 2 // 2, 0x90, root + offset, 70))
            piano_chords.append((index * TICKS * 2 // 2 + TICKS - 20, 0x80, root + offset, 0))
    piano = melody(0, 0, [n + 12 for n in scale], rng) + [(0, 0xC0, 0, 0)] + piano_chords
    violin = melody(0, 40, [n + 7 for n in scale][:13], rng, length=TICKS)
    drums = []
    for beat in range(26):
        tick = beat * TICKS // 2
        drums += [(tick, 0x99, 42, 90), (tick + 100, 0x89, 42, 0)]  # closed hi-hat
        if beat % 4 == 0:
            drums += [(tick, 0x99, 36, 120), (tick + 200, 0x89, 36, 0)]  # kick
        if beat % 4 == 2:
            drums += [(tick, 0x99, 38, 110), (tick + 200, 0x89, 38, 0)]  # snare
    bass = melody(1, 33, [36, None, 36, 43, 41, None, 41, 39, 36, None, 36, 43, 46, 43, 41, 39] * 2, rng)
    return {"piano": [piano], "violin": [violin], "drums_bass": [drums, bass]}


def render(tracks, seconds, directory, name):
    with tempfile.TemporaryDirectory() as scratch:
        midi = os.path.join(scratch, name + ".mid")
        wav = os.path.join(scratch, name + ".wav")
        with open(midi, "wb") as handle:
            handle.write(midi_file(tracks))
        subprocess.run(["fluidsynth", "-ni", "-q", "-g", "0.8", "-r", str(SAMPLE_RATE), "-F", wav, SOUNDFONT, midi],
                       check=True, stdout=subprocess.DEVNULL)
        audio, rate = soundfile.read(wav, dtype="float32", always_2d=True)
    assert rate == SAMPLE_RATE, rate
    mono = audio.mean(axis=1)
    length = int(seconds * SAMPLE_RATE)
    mono = np.pad(mono, (0, max(0, length - len(mono))))[:length]
    mono = mono / max(1e-9, np.abs(mono).max()) * 0.7
    soundfile.write(os.path.join(directory, name + ".wav"), mono, SAMPLE_RATE, subtype="PCM_16")


def main():
    directory = sys.argv[1]
    os.makedirs(directory, exist_ok=True)
    rng = np.random.default_rng(20230901)
    for name, tracks in clips(rng).items():
        render(tracks, 6.1, directory, name)
        print("wrote", os.path.join(directory, name + ".wav"))


if __name__ == "__main__":
    main()
