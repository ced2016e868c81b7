"""What the PyTorch peers of `duet-bench` share: arguments, symmetric InfoNCE and the step timer."""
import argparse
import json
import time

import torch
from torch import nn


def parse_arguments(default_batch):
    """--threads (required), --warmup, --steps, --batch; sets torch's threads and seed."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--batch", type=int, default=default_batch)
    arguments = parser.parse_args()
    torch.set_num_threads(arguments.threads)
    torch.manual_seed(0)
    return arguments


def info_nce(audio, text, temperature=0.03):
    """Symmetric InfoNCE over L2-normalised rows, as Duet's InfoNCELoss."""
    a = nn.functional.normalize(audio, dim=-1)
    t = nn.functional.normalize(text, dim=-1)
    logits = a @ t.T / temperature
    targets = torch.arange(audio.shape[0])
    return 0.5 * (nn.functional.cross_entropy(logits, targets) + nn.functional.cross_entropy(logits.T, targets))


def time_training(optimizer, compute_loss, warmup, steps):
    """Times training steps (zero the gradients, `compute_loss()`, backward, `optimizer.step()`)
    with `time_and_report`."""
    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = compute_loss()
        loss.backward()
        optimizer.step()
        return loss.item()

    time_and_report(step, warmup, steps)


def time_and_report(step, warmup, steps):
    """Runs `warmup` untimed steps and `steps` timed ones; prints the JSON line the scripts read."""
    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    seconds = (time.perf_counter() - start) / steps
    print(json.dumps({"threads": torch.get_num_threads(), "steps_per_second": 1 / seconds, "seconds_per_step": seconds,
                      "torch": torch.__version__}))
