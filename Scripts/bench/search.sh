#!/usr/bin/env bash
# make bench-search: exact top-10 over 1,000,000 x 256 random unit vectors, Duet's VectorStore
# against FAISS IndexFlatIP (PyPI faiss-cpu), same vectors, same thread count, same run. Last line:
#   bench-search ratio=R duet=X ms peer=Y ms recall@10=Z mb_per_million=M   (batches of 64 queries)
# Single queries are reported on the line before. BENCH_SEARCH_VENV may point at a virtualenv with
# faiss-cpu and numpy; otherwise .venv-search is created from PyPI and reused.
# BENCH_SEARCH_COUNT changes the catalogue size (default 1000000); DUET_BIN names a built duet to
# time instead of building .build/release/duet.
set -euo pipefail
cd "$(dirname "$0")/../.."
threads=${DUET_THREADS:-$(nproc)}
export DUET_THREADS=$threads OMP_NUM_THREADS=$threads
count=${BENCH_SEARCH_COUNT:-1000000}
dimension=256 k=10 batch=64 queries=640 single=50

venv=${BENCH_SEARCH_VENV:-$PWD/.venv-search}
if ! "$venv/bin/python" -c "import faiss, numpy" 2>/dev/null; then
  echo "bench-search: creating $venv (faiss-cpu + numpy from PyPI)" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
  "$venv/bin/pip" install --quiet faiss-cpu numpy
fi
python=$venv/bin/python

duet_bin=${DUET_BIN:-}
if [[ -z "$duet_bin" ]]; then
  swift build -c release --product duet >/dev/null
  duet_bin=.build/release/duet
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "bench-search: $count x $dimension vectors, $threads threads, load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
duet=$("$duet_bin" bench-search --count "$count" --dimension $dimension --queries $queries --batch $batch \
  --single $single -k $k --out "$work")
peer=$("$python" Scripts/bench/search_peer.py "$work" $dimension $k $batch $single "$threads")
echo "$duet"; echo "$peer"
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }
ratio1=$(awk -v a="$(field single_ms "$peer")" -v b="$(field single_ms "$duet")" 'BEGIN { printf "%.2f", a / b }')
echo "bench-search single ratio=$ratio1 duet=$(field single_ms "$duet") ms peer=$(field single_ms "$peer") ms"
ratio=$(awk -v a="$(field batch${batch}_ms "$peer")" -v b="$(field batch${batch}_ms "$duet")" 'BEGIN { printf "%.2f", a / b }')
echo "bench-search ratio=$ratio duet=$(field batch${batch}_ms "$duet") ms peer=$(field batch${batch}_ms "$peer") ms recall@10=$(field recall "$peer") mb_per_million=$(field mb_per_million "$duet")"
