#!/usr/bin/env bash
# make bench-workers: `duet worker` scaling. The same MP3 library as make bench-index (rendered once, kept in
# data/bench-index) is enqueued into a throw-away PostgreSQL cluster and indexed by 1 worker, then by 2 workers,
# each with 1 thread, each run into a fresh database. Speed-up = rate(2 workers) / rate(1 worker); the goal on
# a 2-core machine is >= 1.8.
#
#   BENCH_INDEX_TRACKS   tracks in the library (default 200; e.g. 20 for a quick run)
#   BENCH_INDEX_SECONDS  length of each track in seconds (default 240)
#   BENCH_INDEX_DATA     where the library is kept (default data/bench-index)
#   BENCH_INDEX_MODEL    checkpoint (default as make bench-index: runs/demo/best, else an untrained one)
#   DUET_BIN, DUET_BENCH the executables (default .build/release/duet and duet-bench)
#
# The cluster lives in a temporary folder on a Unix socket and is stopped and deleted at exit; under root,
# initdb and pg_ctl run as `nobody` (PostgreSQL refuses root). Last line:
#   bench-workers ratio=R one=X tracks/s two=Y tracks/s tracks=N ...
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$here"
tracks=${BENCH_INDEX_TRACKS:-200}
seconds=${BENCH_INDEX_SECONDS:-240}
threads=$(nproc)
data=${BENCH_INDEX_DATA:-$here/data/bench-index}
duet=${DUET_BIN:-$here/.build/release/duet}
bench=${DUET_BENCH:-$here/.build/release/duet-bench}

say() { printf 'bench-workers: %s\n' "$*" >&2; }
fail() { printf 'bench-workers: error: %s\n' "$*" >&2; exit 1; }
command -v lame >/dev/null || fail "lame is not installed; run make setup (Debian package lame)"
[[ -x "$duet" && -x "$bench" ]] || fail "$duet or $bench is missing; run make build"
[[ "$tracks" =~ ^[1-9][0-9]*$ ]] || fail "BENCH_INDEX_TRACKS must be a positive integer, got $tracks"
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[[ -x "$bin/initdb" && -x "$bin/pg_ctl" ]] || fail "PostgreSQL is not installed; run make setup (Debian package postgresql-15)"

source Scripts/bench/mp3_library.sh
say "model: $model ($model_note); $tracks tracks of $seconds s; 1 thread per worker"

cluster=$(mktemp -d /tmp/duet-bench-pg-XXXXXX)
as_owner() { if [[ $(id -u) -eq 0 ]]; then runuser -u nobody -- "$@"; else "$@"; fi; }
mkdir -p "$cluster/socket"
[[ $(id -u) -eq 0 ]] && chown -R nobody "$cluster"
cleanup() { as_owner "$bin/pg_ctl" -D "$cluster/data" -m immediate -w stop >/dev/null 2>&1 || true; rm -rf "$cluster"; }
trap cleanup EXIT
as_owner "$bin/initdb" -D "$cluster/data" -U duet --auth=trust -E UTF8 --locale=C --no-sync >/dev/null
as_owner "$bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w \
  -o "-k $cluster/socket -c listen_addresses='' -p 5432" start >/dev/null

# Indexes the library with N workers into a new database; prints tracks per second.
run_workers() {
  local count=$1 name="workers$1"
  "$bin/createdb" -h "$cluster/socket" -p 5432 -U duet "$name"
  local url="postgres://duet@/$name?host=$cluster/socket"
  "$duet" index "$library" --enqueue --model "$model" --db "$url" >/dev/null
  local start pids=() status=0
  start=$(date +%s.%N)
  for index in $(seq "$count"); do
    "$duet" worker --db "$url" --threads 1 --json > "$cluster/$name-$index.json" 2>/dev/null &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || status=$?; done
  local wall
  wall=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.3f", e - s }')
  [[ $status -eq 0 ]] || fail "a worker failed (status $status); see $cluster"
  local embedded
  embedded=$(python3 -c 'import json,sys; print(sum(json.load(open(f))["embedded"] for f in sys.argv[1:]))' "$cluster/$name"-*.json)
  [[ "$embedded" -eq "$tracks" ]] || fail "$count workers embedded $embedded of $tracks files"
  say "$count worker(s): $tracks tracks in $wall s (including each worker's model loading)"
  awk -v n="$tracks" -v w="$wall" 'BEGIN { printf "%.3f", n / w }'
}

one=$(run_workers 1)
two=$(run_workers 2)
load=$(cut -d' ' -f1 /proc/loadavg)
awk -v a="$one" -v b="$two" -v n="$tracks" -v s="$seconds" -v l="$load" \
  'BEGIN { printf "bench-workers ratio=%.2f one=%.3f tracks/s two=%.3f tracks/s tracks=%d track_seconds=%d load=%s\n", b / a, a, b, n, s, l }'
