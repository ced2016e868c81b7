#!/usr/bin/env bash
# make bench-musicnn: Duet's musicnn inference against the original TensorFlow musicnn on CPU,
# same patches shape, batch, repeats and thread count, measured in the same run.
#
#   BENCH_THREADS  threads for both sides (default: DUET_THREADS, else the number of cores)
#   BENCH_ROUNDS   alternating rounds; each side's best round is reported (default 3)
#   BENCH_BATCH    patches per forward call (default 8); BENCH_REPEATS timed calls per round (default 4)
#   BENCH_TF_INTEROP  TensorFlow inter-op threads (default 1: the peer then has BENCH_THREADS busy threads,
#                  like Duet; set it to BENCH_THREADS to let TensorFlow also run branches concurrently)
#   BENCH_TF_VENV  Python venv with tensorflow-cpu 2.15.1 + musicnn 0.1.0 (default: .venv-bench-tf,
#                  created from PyPI on first use)
#
# Last line: bench-musicnn ratio=R duet=X patches/s peer=Y patches/s
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$here"
threads="${BENCH_THREADS:-${DUET_THREADS:-$(nproc)}}"
rounds="${BENCH_ROUNDS:-3}"
batch="${BENCH_BATCH:-8}"
repeats="${BENCH_REPEATS:-4}"
venv="${BENCH_TF_VENV:-$here/.venv-bench-tf}"

say() { printf 'bench-musicnn: %s\n' "$*" >&2; }

source Scripts/bench/tensorflow_venv.sh

swift build -c release --product duet >/dev/null
duet="$here/.build/release/duet"

best() { python3 -c 'import json,sys; print(max(json.loads(l)["patches_per_second"] for l in sys.stdin if l.startswith("{")))'; }
duet_runs=""
peer_runs=""
for round in $(seq 1 "$rounds"); do
  line=$(DUET_THREADS="$threads" "$duet" bench-musicnn --batch "$batch" --repeats "$repeats" --json)
  say "round $round duet: $line"
  duet_runs+="$line"$'\n'
  line=$(OMP_NUM_THREADS="$threads" \
    "$venv/bin/python" Scripts/bench/musicnn_peer.py --threads "$threads" \
    --inter-op-threads "${BENCH_TF_INTEROP:-1}" --batch "$batch" --repeats "$repeats" 2>/dev/null | tail -n 1)
  say "round $round peer (TensorFlow musicnn): $line"
  peer_runs+="$line"$'\n'
done
duet_rate=$(printf '%s' "$duet_runs" | best)
peer_rate=$(printf '%s' "$peer_runs" | best)
say "threads=$threads batch=$batch repeats=$repeats rounds=$rounds (best round of each side); peer = original musicnn 0.1.0 on TensorFlow $("$venv/bin/python" -c 'import tensorflow as t; print(t.__version__)' 2>/dev/null) CPU"
python3 -c "import sys; d, p = float(sys.argv[1]), float(sys.argv[2]); print(f'bench-musicnn ratio={d / p:.2f} duet={d:.2f} patches/s peer={p:.2f} patches/s')" "$duet_rate" "$peer_rate"
