"""Peer for `make bench-index`: the original Python pipeline over the same analysis windows as `duet index`.

For each file: librosa decodes it at 16 kHz (`librosa.load`, its default resampler, as `musicnn.extractor`
does) from the start to the end of the last window; each window gets musicnn's own log-mel front end
(`librosa.feature.melspectrogram`, n_fft 512, hop 256, 96 bands, float16, log10(10000 x + 1)) cut into
non-overlapping 187-frame patches; all of a file's patches go through the original TensorFlow graph in one
`sess.run`, fetching the tags and every feature tensor the extractor returns. The windows follow Duet's
SegmentPlan: c = min(segments, max(1, floor(d / length))) windows of `length` s starting at
(d - length)(2i + 1) / (2c). Prints one JSON line.

    python Scripts/bench/index_peer.py --threads 2 --segments 6 FOLDER
"""
import argparse
import json
import math
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import librosa  # noqa: E402
import numpy as np  # noqa: E402
from musicnn import configuration as config  # noqa: E402

from musicnn_peer import musicnn_session  # noqa: E402

PATCH_FRAMES = 187


def windows(duration, length, maximum_count):
    """Start and end seconds of each window, as Duet's SegmentPlan."""
    if duration <= length:
        return [(0.0, duration)]
    count = min(maximum_count, max(1, int(math.floor(duration / length))))
    starts = [(duration - length) * (2 * index + 1) / (2 * count) for index in range(count)]
    return [(start, start + length) for start in starts]


def patches(samples):
    """musicnn's input: log-compressed mel frames cut into non-overlapping 187-frame patches."""
    mel = librosa.feature.melspectrogram(y=samples, sr=config.SR, hop_length=config.FFT_HOP,
                                         n_fft=config.FFT_SIZE, n_mels=config.N_MELS).T
    mel = np.log10(10000 * mel.astype(np.float16) + 1)
    return [mel[start:start + PATCH_FRAMES] for start in range(0, mel.shape[0] - PATCH_FRAMES + 1, PATCH_FRAMES)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--inter-op-threads", type=int, default=1)
    parser.add_argument("--segments", type=int, default=6)
    parser.add_argument("--segment-seconds", type=float, default=10.0)
    parser.add_argument("--model", default="MTT_musicnn")
    args = parser.parse_args()

    files = sorted(os.path.join(args.folder, name) for name in os.listdir(args.folder) if name.endswith(".mp3"))
    session, x, is_training, probabilities, outputs = musicnn_session(args.model, args.threads, args.inter_op_threads)
    fetches = [probabilities] + outputs[1:]
    total_patches = 0
    total_windows = 0
    with session:
        # Warm-up, untimed as Duet's model loading: graph set-up, and the first decode and resample, which
        # compile resampy's numba kernels.
        warm = patches(librosa.load(files[0], sr=config.SR, duration=4)[0])
        session.run(fetches, feed_dict={x: np.stack(warm).astype(np.float32), is_training: False})
        start = time.perf_counter()
        for path in files:
            duration = librosa.get_duration(filename=path)
            plan = windows(duration, args.segment_seconds, args.segments)
            audio, _ = librosa.load(path, sr=config.SR, duration=plan[-1][1])
            batch = []
            for begin, end in plan:
                batch += patches(audio[int(round(begin * config.SR)):int(round(end * config.SR))])
            total_windows += len(plan)
            total_patches += len(batch)
            session.run(fetches, feed_dict={x: np.stack(batch).astype(np.float32), is_training: False})
        seconds = time.perf_counter() - start
    print(json.dumps({"tracks": len(files), "windows": total_windows, "patches": total_patches, "seconds": seconds,
                      "tracks_per_second": len(files) / seconds, "threads": args.threads,
                      "librosa": librosa.__version__}))


if __name__ == "__main__":
    main()
