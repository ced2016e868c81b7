"""Writes musicnn parity fixtures: per-patch outputs of the original musicnn 0.1.0 TensorFlow graph.

For each FluidSynth clip in Tests/DuetEncodersTests/Resources (16 kHz WAV, from render_clips.py)
it computes the log-mel input exactly as `musicnn.extractor.batch_data` does (librosa 0.8.1,
float16 cast, `log10(10000 x + 1)`, non-overlapping 187-frame patches), builds the graph with
`musicnn.models.define_model`, restores the checkpoint explicitly (the original's bare `except:`
would silently keep random weights; we verify a restored variable against the checkpoint file),
and runs every patch itself (the original extractor repeats patch 0's intermediate features).

Writes `<clip>.input.f32` (float32 little-endian, `[patches, 187, 96]`) and `<clip>.<model>.json` with,
per patch: the 50 tag probabilities and the 200-d penultimate features; for MTT_musicnn also the max/mean
pools (753 each) and the 753 concatenated frame channels (timbral | temporal | cnn1 | cnn2 | cnn3) at
frames FRAMES (flattened `[len(FRAMES), 753]`).
Run with the TensorFlow venv:  /work/venvs/tf/bin/python Scripts/reference/musicnn_reference.py
"""
import json
import os

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import librosa  # noqa: E402
import tensorflow as tf  # noqa: E402
from musicnn import configuration as config  # noqa: E402
from musicnn import models  # noqa: E402
import musicnn  # noqa: E402

tf.compat.v1.disable_eager_execution()

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RESOURCES = os.path.join(ROOT, "Tests", "DuetEncodersTests", "Resources")
CLIPS = ["piano", "violin", "drums_bass"]
FRAMES = [0, 1, 2, 93, 184, 185, 186]
N_FRAMES = 187


def log_mel_patches(path):
    audio, sr = librosa.load(path, sr=config.SR)
    assert sr == 16000
    rep = librosa.feature.melspectrogram(y=audio, sr=sr, hop_length=config.FFT_HOP, n_fft=config.FFT_SIZE,
                                         n_mels=config.N_MELS).T
    rep = rep.astype(np.float16)
    rep = np.log10(10000 * rep + 1)
    count = rep.shape[0] // N_FRAMES
    return np.stack([rep[i * N_FRAMES:(i + 1) * N_FRAMES] for i in range(count)]).astype(np.float32)


def rounded(array):
    """float32 values as JSON numbers with 7 significant digits (relative error below 1e-7)."""
    return [float(f"{v:.7g}") for v in np.asarray(array, dtype=np.float32).ravel()]


def run(model, batches, intermediate):
    tf.compat.v1.reset_default_graph()
    labels = config.MTT_LABELS if "MTT" in model else config.MSD_LABELS
    x = tf.compat.v1.placeholder(tf.float32, [None, N_FRAMES, config.N_MELS])
    is_training = tf.compat.v1.placeholder(tf.bool)
    y, timbral, temporal, cnn1, cnn2, cnn3, mean_pool, max_pool, penultimate = models.define_model(
        x, is_training, model, len(labels))
    probabilities = tf.nn.sigmoid(y)
    checkpoint = os.path.join(os.path.dirname(musicnn.__file__), model) + "/"
    with tf.compat.v1.Session() as session:
        tf.compat.v1.train.Saver().restore(session, checkpoint)
        reader = tf.compat.v1.train.NewCheckpointReader(checkpoint)
        restored = session.run(tf.compat.v1.global_variables("dense_1/kernel")[0])
        assert np.array_equal(restored, reader.get_tensor("dense_1/kernel")), "checkpoint was not restored"
        results = {}
        for clip, patches in batches.items():
            out = []
            for patch in patches:  # one patch per run: no reliance on the original's batching
                values = session.run([probabilities, timbral, temporal, cnn1, cnn2, cnn3, mean_pool, max_pool, penultimate],
                                     feed_dict={x: patch[None], is_training: False})
                tags, tim, tem, c1, c2, c3, mean, mx, pen = [np.asarray(v)[0] for v in values]
                frames = np.concatenate([tim, tem, c1[:, :, 0], c2[:, :, 0], c3[:, :, 0]], axis=1)
                assert frames.shape == (N_FRAMES, 753), frames.shape
                record = {"tags": rounded(tags), "penultimate": rounded(pen),
                          "top5": [labels[i] for i in np.argsort(-tags)[:5]]}
                if intermediate:
                    record.update({"max_pool": rounded(mx), "mean_pool": rounded(mean), "frames": FRAMES,
                                   "frame_features": rounded(frames[FRAMES])})
                out.append(record)
            results[clip] = out
        return results


def main():
    batches = {clip: log_mel_patches(os.path.join(RESOURCES, clip + ".wav")) for clip in CLIPS}
    for clip, patches in batches.items():
        np.ascontiguousarray(patches, dtype="<f4").tofile(os.path.join(RESOURCES, clip + ".input.f32"))
    for model in ["MTT_musicnn", "MSD_musicnn"]:
        for clip, patches in run(model, batches, intermediate=model == "MTT_musicnn").items():
            with open(os.path.join(RESOURCES, f"{clip}.{model}.json"), "w") as handle:
                json.dump({"model": model, "clip": clip, "patches": patches}, handle, separators=(",", ":"))
            print(model, clip, [p["top5"] for p in patches])


if __name__ == "__main__":
    main()
