#!/usr/bin/env bash
# make bench-text-towers: the four folder text towers (CLIP-T, RoBERTa, T5, mT5) at full size, Duet against
# transformers on CPU, same captions, same token ids, same thread count, same run. The weights are random
# (Scripts/bench/text_tower_folders.py: the published configurations' shapes; the paper's checkpoints are not
# reachable here), so the time per caption is real and the outputs mean nothing. Per tower and batch size
# (64, then 1 on the first 64 captions) a `bench-text-towers KIND batch=B ratio=R ...` line; last line:
#   bench-text-towers ratio=R (geometric mean of the four towers' batch-64 ratios) ...
# BENCH_VENV may point at a virtualenv with torch and transformers; otherwise .venv-towers is created from
# PyPI and reused. The folders (about 1.9 GB) are written once into .bench-towers/.
set -euo pipefail
cd "$(dirname "$0")/../.."
threads=${DUET_THREADS:-$(nproc)}
export DUET_THREADS=$threads OMP_NUM_THREADS=$threads HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false

venv=${BENCH_VENV:-$PWD/.venv-towers}
if ! "$venv/bin/python" -c "import transformers, torch, safetensors" 2>/dev/null; then
  echo "bench-text-towers: creating $venv (torch + transformers from PyPI; large download)" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
  "$venv/bin/pip" install --quiet torch transformers==5.25.0 safetensors
fi
python=$venv/bin/python
duet=${DUET_BIN:-.build/release/duet}
[[ -n ${DUET_BIN:-} ]] || swift build -c release --product duet >/dev/null

folders=$PWD/.bench-towers
"$python" Scripts/bench/text_tower_folders.py "$folders" >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 Scripts/bench/text_peer.py captions unused "$work/captions.txt"
head -64 "$work/captions.txt" >"$work/captions64.txt"

rate() { sed -n 's/.*sentences\/s=\([0-9.]*\).*/\1/p' <<<"$1"; }
product=1
for kind in clip-text roberta t5 mt5; do
  folder=$folders/$kind
  "$duet" embed-text --encoder "$kind" --text-encoder-weights "$folder" --tokens --json --from "$work/captions.txt" >"$work/ids-$kind.json"
  "$duet" embed-text --encoder "$kind" --text-encoder-weights "$folder" --tokens --json --from "$work/captions64.txt" >"$work/ids64-$kind.json"
  for batch in 64 1; do
    if [[ $batch == 64 ]]; then captions=$work/captions.txt ids=$work/ids-$kind.json; else captions=$work/captions64.txt ids=$work/ids64-$kind.json; fi
    ours=$("$duet" bench-text --encoder "$kind" --text-encoder-weights "$folder" --captions "$captions" --batch "$batch")
    peer=$("$python" Scripts/bench/text_towers_peer.py measure "$kind" "$folder" "$ids" "$batch" "$threads" 2>/dev/null | tail -1)
    echo "$ours"; echo "$peer"
    ratio=$(awk -v a="$(rate "$ours")" -v b="$(rate "$peer")" 'BEGIN { printf "%.2f", a / b }')
    echo "bench-text-towers $kind batch=$batch ratio=$ratio duet=$(rate "$ours") sentences/s peer=$(rate "$peer") sentences/s"
    [[ $batch == 64 ]] && product=$(awk -v p="$product" -v r="$ratio" 'BEGIN { printf "%.6f", p * r }')
  done
done
ratio=$(awk -v p="$product" 'BEGIN { printf "%.2f", p ^ 0.25 }')
echo "bench-text-towers ratio=$ratio (geometric mean of the batch-64 ratios of clip-text, roberta, t5, mt5) threads=$threads"
