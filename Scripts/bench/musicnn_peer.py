"""Peer for `make bench-musicnn`: the original musicnn 0.1.0 TensorFlow graph on CPU.

Builds `musicnn.models.define_model` exactly as `musicnn.extractor` does, restores the checkpoint
explicitly, and times `sess.run` of the sigmoid tag output on seeded random log-mel patches with
the same batch size, repeats and thread count as the Duet side: `intra_op_parallelism_threads`
= --threads and, by default, one inter-op thread, so TensorFlow has as many busy threads as Duet
(each op still uses all --threads). Prints one JSON line.

    python Scripts/bench/musicnn_peer.py --threads 2 --batch 8 --repeats 4 [--model MTT_musicnn]
"""
import argparse
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import musicnn  # noqa: E402
from musicnn import configuration as config  # noqa: E402
from musicnn import models  # noqa: E402


def musicnn_session(model, threads, inter_op_threads):
    """The original musicnn graph (`musicnn.models.define_model`, as `musicnn.extractor` builds it) with
    its checkpoint restored, in a session of `threads` intra-op and `inter_op_threads` inter-op threads.
    Returns (session, x, is_training, probabilities, outputs): x is the [None, 187, 96] log-mel
    placeholder, outputs every tensor define_model returns (logits and the extractor's features)."""
    tf.compat.v1.disable_eager_execution()
    labels = config.MTT_LABELS if "MTT" in model else config.MSD_LABELS
    x = tf.compat.v1.placeholder(tf.float32, [None, 187, config.N_MELS])
    is_training = tf.compat.v1.placeholder(tf.bool)
    outputs = list(models.define_model(x, is_training, model, len(labels)))
    probabilities = tf.nn.sigmoid(outputs[0])
    session_config = tf.compat.v1.ConfigProto(intra_op_parallelism_threads=threads,
                                              inter_op_parallelism_threads=inter_op_threads)
    session = tf.compat.v1.Session(config=session_config)
    tf.compat.v1.train.Saver().restore(session, os.path.join(os.path.dirname(musicnn.__file__), model) + "/")
    return session, x, is_training, probabilities, outputs


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=4)
    parser.add_argument("--model", default="MTT_musicnn")
    parser.add_argument("--inter-op-threads", type=int, default=1,
                        help="TensorFlow inter-op pool size; 1 keeps the total at --threads busy threads, as Duet")
    args = parser.parse_args()

    session, x, is_training, probabilities, _ = musicnn_session(args.model, args.threads, args.inter_op_threads)
    rng = np.random.default_rng(42)
    patches = (3 * rng.random((args.batch, 187, config.N_MELS))).astype(np.float32)
    with session:
        feed = {x: patches, is_training: False}
        session.run(probabilities, feed_dict=feed)  # warm-up
        start = time.perf_counter()
        for _ in range(args.repeats):
            session.run(probabilities, feed_dict=feed)
        seconds = time.perf_counter() - start
    print(json.dumps({"model": args.model, "threads": args.threads, "inter_op_threads": args.inter_op_threads, "patches": args.batch * args.repeats,
                      "seconds": seconds, "patches_per_second": args.batch * args.repeats / seconds,
                      "tensorflow": tf.__version__}))


if __name__ == "__main__":
    main()
