#!/usr/bin/env bash
# make test-matrix: the whole suite under several OpenBLAS kernels and one thread, reusing one build.
#
# Another CPU model picks other OpenBLAS kernels (another summation order); DUET_THREADS=1 removes
# Duet's and OpenBLAS's threading. Every configuration must pass: tolerances are derived from the
# float32 error of each computation (DuetTestSupport/Tolerance.swift), not from one machine's output.
set -uo pipefail
cd "$(dirname "$0")/.."
export DUET_TEST_WEIGHTS=${DUET_TEST_WEIGHTS:-1}

echo "test-matrix: building the tests once" >&2
swift build -c release -Xswiftc -enable-testing --scratch-path .build-tests --build-tests || exit 1

configurations=(
  "OPENBLAS_CORETYPE=Haswell"
  "OPENBLAS_CORETYPE=Sandybridge"
  "OPENBLAS_CORETYPE=Zen"
  "DUET_THREADS=1"
)
failed=()
for configuration in "${configurations[@]}"; do
  echo "test-matrix: == $configuration" >&2
  if ! env -u OPENBLAS_CORETYPE "$configuration" bash Scripts/run-tests.sh --skip-build; then
    failed+=("$configuration")
  fi
done
if ((${#failed[@]})); then
  echo "test-matrix: failed under: ${failed[*]}" >&2
  exit 1
fi
echo "test-matrix: all ${#configurations[@]} configurations passed" >&2
