#!/usr/bin/env bash
# make bench-scratch: the from-scratch CNN's training step (log-mel batch 64 x 128 x 96, four conv
# blocks, InfoNCE, backward, AdamW) in Duet and in PyTorch on CPU, same thread count, same run.
# Last line:
#   bench-scratch ratio=R duet=X steps/s pytorch=Y steps/s
# Environment: DUET_THREADS (default: all cores), BENCH_VENV (a venv with torch; default
# .venv-bench, created and filled from PyPI when missing), BENCH_STEPS (timed steps, default 5).
set -euo pipefail
cd "$(dirname "$0")/../.."
threads=${DUET_THREADS:-$(nproc)}
steps=${BENCH_STEPS:-5}
venv=${BENCH_VENV:-.venv-bench}

if ! "$venv/bin/python" -c "import torch, safetensors" 2>/dev/null; then
  echo "bench-scratch: installing torch into $venv (PyPI)" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
  "$venv/bin/pip" install --quiet torch numpy safetensors
fi

swift build -c release --product duet-bench >&2
echo "bench-scratch: $threads threads, $steps timed steps after one warm-up, batch 64" >&2

duet_json=$(DUET_THREADS=$threads OPENBLAS_NUM_THREADS=$threads .build/release/duet-bench scratch --steps "$steps" --json)
peer_json=$(OMP_NUM_THREADS=$threads "$venv/bin/python" Scripts/bench/scratch_peer.py --threads "$threads" --steps "$steps")

python3 - "$duet_json" "$peer_json" <<'PY'
import json, sys
duet, peer = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"duet:    {duet['stepsPerSecond']:.3f} steps/s ({duet['secondsPerStep']:.3f} s/step, {duet['clipsPerSecond']:.0f} clips/s)")
print(f"pytorch: {peer['steps_per_second']:.3f} steps/s ({peer['seconds_per_step']:.3f} s/step), torch {peer['torch']}, {peer['threads']} threads")
ratio = duet['stepsPerSecond'] / peer['steps_per_second']
print(f"bench-scratch ratio={ratio:.2f} duet={duet['stepsPerSecond']:.3f} steps/s pytorch={peer['steps_per_second']:.3f} steps/s")
PY
