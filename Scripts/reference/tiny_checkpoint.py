"""Writes a tiny TensorFlow checkpoint V2 (and its values as JSON) for DuetWeights' reader tests.

Three float32 variables of shapes [2, 3], [4] and [] plus Adam slots from one optimiser step, saved
with tf.compat.v1.train.Saver under the empty name, as musicnn's checkpoints are. Seeded.

    /work/venvs/tf/bin/python Scripts/reference/tiny_checkpoint.py
"""
import json
import os

import numpy as np
import tensorflow as tf

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "DuetWeightsTests", "Resources", "tiny")

tf.compat.v1.disable_eager_execution()
rng = np.random.default_rng(3)
values = {
    "dense/kernel": rng.standard_normal((2, 3)).astype(np.float32),
    "dense/bias": rng.standard_normal(4).astype(np.float32),
    "scale": np.float32(1.5),
}
variables = {name: tf.compat.v1.get_variable(name, initializer=value) for name, value in values.items()}
loss = sum(tf.reduce_sum(v * v) for v in variables.values())
step = tf.compat.v1.train.AdamOptimizer(0.0).minimize(loss)
os.makedirs(OUT, exist_ok=True)
with tf.compat.v1.Session() as session:
    session.run(tf.compat.v1.global_variables_initializer())
    session.run(step)  # learning rate 0: the parameters keep their values, the slots get written
    tf.compat.v1.train.Saver().save(session, OUT + "/", write_meta_graph=False)
    stored = {name: session.run(v).tolist() for name, v in variables.items()}
with open(os.path.join(OUT, "values.json"), "w") as handle:
    json.dump(stored, handle)
for name in os.listdir(OUT):
    print(name, os.path.getsize(os.path.join(OUT, name)))
