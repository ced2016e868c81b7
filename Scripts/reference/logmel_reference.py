"""Writes the log-mel parity fixtures for DuetAudio with librosa 0.8.1 (the version musicnn 0.1.0 used).

Signals (16 kHz, float32): two summed tones, seeded Gaussian noise, and the first 2 s of the
FluidSynth piano clip (Tests/DuetEncodersTests/Resources/piano.wav, from render_clips.py).
For each it stores the input (`<name>.input.f32`, tones and noise only) and musicnn's mel power
`librosa.feature.melspectrogram(y, sr=16000, hop_length=256, n_fft=512, n_mels=96)` as
`<name>.mel.f32`, float32 little-endian, `[time, mel]` row-major.
It also resamples a seeded 44.1 kHz chirp+noise with python-soxr's HQ recipe (the resampler behind
librosa >= 0.10's default `soxr_hq`) when the `soxr` module is importable:
`resample.input.f32` (44.1 kHz) and `resample.output.f32` (16 kHz).

    /work/venvs/tf/bin/python Scripts/reference/logmel_reference.py   (librosa 0.8.1 venv)
    /work/venvs/torch/bin/python Scripts/reference/logmel_reference.py --resample-only   (has soxr)
"""
import os
import sys

import numpy as np
import soundfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "DuetAudioTests", "Resources")
SR = 16000


def save(name, array):
    np.ascontiguousarray(array, dtype="<f4").tofile(os.path.join(OUT, name))


def mel_fixtures():
    import librosa
    assert librosa.__version__ == "0.8.1", librosa.__version__
    rng = np.random.default_rng(7)
    t = np.arange(int(1.5 * SR)) / SR
    signals = {
        "tones": (0.3 * np.sin(2 * np.pi * 440 * t) + 0.1 * np.sin(2 * np.pi * 2500 * t)).astype(np.float32),
        "noise": (0.1 * rng.standard_normal(int(1.5 * SR))).astype(np.float32),
    }
    piano, rate = soundfile.read(os.path.join(ROOT, "Tests", "DuetEncodersTests", "Resources", "piano.wav"),
                                 dtype="float32")
    assert rate == SR
    signals["music"] = piano[: 2 * SR]
    for name, y in signals.items():
        if name != "music":
            save(name + ".input.f32", y)
        mel = librosa.feature.melspectrogram(y=y, sr=SR, hop_length=256, n_fft=512, n_mels=96).T
        save(name + ".mel.f32", mel)
        print(name, y.shape, mel.shape, float(mel.max()))


def resample_fixture():
    import soxr
    rng = np.random.default_rng(11)
    t = np.arange(int(0.5 * 44100)) / 44100
    y = (0.4 * np.sin(2 * np.pi * (200 + 3000 * t) * t) + 0.05 * rng.standard_normal(t.shape)).astype(np.float32)
    out = soxr.resample(y, 44100, SR, quality="HQ").astype(np.float32)
    save("resample.input.f32", y)
    save("resample.output.f32", out)
    print("resample", y.shape, out.shape)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    if "--resample-only" in sys.argv:
        resample_fixture()
    else:
        mel_fixtures()
