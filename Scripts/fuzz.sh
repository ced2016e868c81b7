#!/usr/bin/env bash
# make fuzz: every libFuzzer harness in Fuzz/ for FUZZ_SECONDS seconds each (default 60), starting from
# its committed seed corpus (Fuzz/Corpus/<harness>/), with AddressSanitizer. A crash stops with the
# crashing input written to Fuzz/Crashes/<harness>/; commit it to the harness's corpus (and a
# regression test) once fixed. New corpus entries go to a scratch folder, not into git.
#
#   FUZZ_SECONDS=600 make fuzz          ten minutes each
#   FUZZ_ONLY=fuzz-csv make fuzz        one harness
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
scratch=.build-fuzz
echo "fuzz: building the harnesses with -sanitize=fuzzer,address (first build takes several minutes)" >&2
swift build --package-path Fuzz --scratch-path "$scratch" -c debug \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library || exit 1
bin=$(swift build --package-path Fuzz --scratch-path "$scratch" -c debug --show-bin-path)
export LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan.supp:print_suppressions=0"
harnesses=(fuzz-manifest fuzz-csv fuzz-audio fuzz-wordpiece fuzz-safetensors fuzz-tensorflow-index fuzz-configuration
  fuzz-sentencepiece fuzz-e5-model)
[[ -n "${FUZZ_ONLY:-}" ]] && harnesses=("$FUZZ_ONLY")
failed=()
for harness in "${harnesses[@]}"; do
  seeds=Fuzz/Corpus/${harness#fuzz-}
  work=$scratch/corpus/$harness
  crashes=Fuzz/Crashes/$harness
  mkdir -p "$work" "$crashes"
  echo "fuzz: == $harness for ${seconds}s (seeds: $seeds)" >&2
  if ! "$bin/$harness" "$work" "$seeds" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -artifact_prefix="$crashes/" -print_final_stats=1 2>&1 | tee "$scratch/$harness.log" | grep -E "^#[0-9]+ +(DONE|INITED)|stat::number_of_executed_units|ERROR|SUMMARY"; then
    :
  fi
  if grep -q "ERROR: \|SUMMARY: " "$scratch/$harness.log"; then failed+=("$harness"); fi
done
if ((${#failed[@]})); then
  echo "fuzz: crashes in: ${failed[*]} (inputs in Fuzz/Crashes/)" >&2
  exit 1
fi
echo "fuzz: no crash in ${#harnesses[@]} harnesses" >&2
