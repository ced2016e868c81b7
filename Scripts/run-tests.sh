#!/usr/bin/env bash
# Runs the test suite in release mode and fails if no test ran.
set -uo pipefail
log=$(mktemp)
trap 'rm -f "$log"' EXIT
swift test -c release -Xswiftc -enable-testing --scratch-path .build-tests "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [[ $status -ne 0 ]]; then exit "$status"; fi
if ! grep -qE 'Test run with [1-9][0-9]* tests? .*passed|Executed [1-9][0-9]* tests?, with 0 failures' "$log"; then
  echo "run-tests: no test was executed; failing" >&2
  exit 1
fi
