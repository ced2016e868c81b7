#!/usr/bin/env bash
# make bench-index: tracks per second for `duet index` over a library of MP3 files against the original
# Python pipeline over the same analysis windows (librosa decode at 16 kHz + TensorFlow musicnn 0.1.0,
# Scripts/bench/index_peer.py), measured in the same run on the same files and thread count.
#
#   BENCH_INDEX_TRACKS   tracks in the library (default 200; e.g. 20 for a quick run)
#   BENCH_INDEX_SECONDS  length of each track in seconds (default 240)
#   BENCH_INDEX_DATA     where the library is rendered and kept between runs (default data/bench-index)
#   BENCH_INDEX_MODEL    checkpoint to index with (default runs/demo/best if `make demo` trained it, else an
#                        untrained checkpoint of the same configuration written by `duet-bench checkpoint`:
#                        same layers and shapes, so the same cost per track)
#   BENCH_THREADS        threads for both sides (default: DUET_THREADS, else the number of cores)
#   BENCH_TF_VENV        the TensorFlow peer's venv (default .venv-bench-tf, created from PyPI on first use)
#   DUET_BIN, DUET_BENCH     the executables (default .build/release/duet and duet-bench)
#
# The library is rendered by `duet synth` (the project's own corpus renderer, 44.1 kHz) and encoded by LAME
# at 128 kbit/s. Last line: bench-index ratio=R duet=X tracks/s peer=Y tracks/s ...
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$here"
tracks=${BENCH_INDEX_TRACKS:-200}
seconds=${BENCH_INDEX_SECONDS:-240}
threads=${BENCH_THREADS:-${DUET_THREADS:-$(nproc)}}
data=${BENCH_INDEX_DATA:-$here/data/bench-index}
venv=${BENCH_TF_VENV:-$here/.venv-bench-tf}
duet=${DUET_BIN:-$here/.build/release/duet}
bench=${DUET_BENCH:-$here/.build/release/duet-bench}

say() { printf 'bench-index: %s\n' "$*" >&2; }
fail() { printf 'bench-index: error: %s\n' "$*" >&2; exit 1; }
command -v lame >/dev/null || fail "lame is not installed; run make setup (Debian package lame)"
[[ -x "$duet" && -x "$bench" ]] || fail "$duet or $bench is missing; run make build"
[[ "$tracks" =~ ^[1-9][0-9]*$ ]] || fail "BENCH_INDEX_TRACKS must be a positive integer, got $tracks"

source Scripts/bench/tensorflow_venv.sh

source Scripts/bench/mp3_library.sh
say "model: $model ($model_note); $tracks tracks of $seconds s; threads=$threads"

database=$(mktemp -u /tmp/duet-bench-index-XXXXXX.sqlite)
trap 'rm -f "$database" "$database-wal" "$database-shm"' EXIT
start=$(date +%s.%N)
summary=$(DUET_THREADS="$threads" "$duet" index "$library" --model "$model" --db "$database" --json)
wall=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.3f", e - s }')
say "duet index: $summary (wall ${wall} s including model loading)"
read -r embedded failures duet_seconds < <(python3 -c \
  'import json,sys; r = json.loads(sys.argv[1]); print(r["embedded"], r["failures"], r["seconds"])' "$summary")
[[ "$embedded" -eq "$tracks" && "$failures" -eq 0 ]] || fail "duet index embedded $embedded of $tracks files ($failures failures)"

peer=$(OMP_NUM_THREADS="$threads" "$venv/bin/python" Scripts/bench/index_peer.py --threads "$threads" --segments 6 \
  "$library" 2>/dev/null | tail -n 1)
say "peer (librosa + TensorFlow musicnn): $peer"
load=$(cut -d' ' -f1 /proc/loadavg)
python3 -c '
import json, sys
tracks, duet_seconds, wall, peer, threads, seconds, load = sys.argv[1:]
p = json.loads(peer)
d = int(tracks) / float(duet_seconds)
rate, patches = p["tracks_per_second"], p["patches"]
print(f"bench-index ratio={d / rate:.2f} duet={d:.2f} tracks/s peer={rate:.2f} tracks/s "
      f"tracks={tracks} track_seconds={seconds} duet_wall_s={wall} peer_patches={patches} threads={threads} load={load}")
' "$tracks" "$duet_seconds" "$wall" "$peer" "$threads" "$seconds" "$load"
