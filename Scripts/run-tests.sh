#!/usr/bin/env bash
# Runs the test suite in release mode, in two passes, and fails if either pass runs no test.
#
# The suites that serve HTTP (in-process Hummingbird servers, the headless-Chromium browser tests)
# run apart from the rest. swift-testing runs suites in parallel on Swift's cooperative thread pool,
# which has one thread per core; the CPU-bound synchronous tests (training, rendering, encoders) can
# hold every one of those threads for minutes, and the servers' request handlers, which need the same
# pool, then wait: on a loaded 2-core machine a route test took 219 s and the browser test timed out
# waiting for the audio element. In their own pass they get the pool to themselves.
set -uo pipefail
network='DuetServerTests\.|Browser'

run_pass() {
  local name=$1
  shift
  local log
  log=$(mktemp)
  echo "run-tests: $name" >&2
  swift test -c release -Xswiftc -enable-testing --scratch-path .build-tests "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  if [[ $status -ne 0 ]]; then rm -f "$log"; return "$status"; fi
  if ! grep -qE 'Test run with [1-9][0-9]* tests? .*passed|Executed [1-9][0-9]* tests?, with 0 failures' "$log"; then
    echo "run-tests: no test was executed in the pass '$name'; failing" >&2
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
}

skip_build=(--skip-build)
for argument in "$@"; do
  if [[ $argument == --skip-build ]]; then skip_build=(); fi
done

run_pass "all suites but the HTTP servers and the browser" --skip "$network" "$@" || exit $?
run_pass "the HTTP servers and the browser" --filter "$network" "${skip_build[@]}" "$@" || exit $?
