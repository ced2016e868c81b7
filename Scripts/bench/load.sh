#!/usr/bin/env bash
# Loopback load test of the search server (make bench-serve): wrk sends BENCH_REQUESTS (10,000) search
# requests at concurrency BENCH_CONNECTIONS (64) to a server on 127.0.0.1, then the same number of /healthz
# requests as the peer (the HTTP floor of the same server in the same run). Prints p50/p99 latency and
# errors; the last line is
#   bench-serve ratio=R ...   (R = search throughput / healthz throughput)
#
#   BENCH_SERVICE  library (default): the real `duet serve` over a catalogue written by the real `duet index`:
#                  BENCH_TRACKS (default 1000) clips of 10 s rendered by `duet synth`, indexed with an
#                  untrained checkpoint of the demo's text branch and embedding size (`duet-bench checkpoint
#                  --from-scratch`: the log-mel CNN keeps indexing quick; a query costs the same MiniLM +
#                  text branch + exact top-k as with the trained demo model). Kept in BENCH_SERVE_DATA
#                  (default data/bench-serve) between runs.
#                  in-memory: `duet-bench serve-fixture`, a generated word-overlap catalogue of BENCH_TRACKS
#                  (default 10,000) tracks, no model.
#   BENCH_QUERIES  repeated (default): 15 queries in turn, as a page's users repeat queries (the server's
#                  query cache answers all but the first of each); unique: a number is appended to every
#                  query, so every request runs the text encoder (the server's worst case).
#   DUET_BIN, DUET_BENCH  the executables (default .build/release/duet and duet-bench)
# Only 127.0.0.1 is contacted; every step is bounded in time.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$here"
service_kind=${BENCH_SERVICE:-library}
query_kind=${BENCH_QUERIES:-repeated}
case "$query_kind" in
  repeated) search_mode=search ;;
  unique) search_mode=search-unique ;;
  *) printf 'bench-serve: error: BENCH_QUERIES must be repeated or unique, got %s\n' "$query_kind" >&2; exit 1 ;;
esac
requests=${BENCH_REQUESTS:-10000}
connections=${BENCH_CONNECTIONS:-64}
threads=2
bench=${DUET_BENCH:-.build/release/duet-bench}
duet=${DUET_BIN:-.build/release/duet}

say() { printf 'bench-serve: %s\n' "$*" >&2; }
fail() { printf 'bench-serve: error: %s\n' "$*" >&2; exit 1; }
command -v wrk >/dev/null || fail "wrk is not installed; run make setup (Debian package wrk)"
[[ -x "$bench" ]] || fail "$bench is missing; run make build"

log=$(mktemp)
case "$service_kind" in
  library)
    [[ -x "$duet" ]] || fail "$duet is missing; run make build"
    tracks=${BENCH_TRACKS:-1000}
    data=${BENCH_SERVE_DATA:-$here/data/bench-serve}
    database="$data/library-$tracks.sqlite"
    if [[ ! -f "$data/.complete-$tracks" ]]; then
      say "rendering $tracks clips with duet synth and indexing them with duet index (once; kept in $data)"
      rm -rf "$data/clips-$tracks" "$database"
      mkdir -p "$data"
      "$duet" synth --count "$tracks" --seconds 10 --seed 5 --out "$data/clips-$tracks" >/dev/null
      [[ -f "$data/untrained-scratch/model.safetensors" ]] || "$bench" checkpoint --from-scratch --out "$data/untrained-scratch" >/dev/null
      "$duet" index "$data/clips-$tracks/audio" --model "$data/untrained-scratch" --db "$database" >&2
      touch "$data/.complete-$tracks"
    fi
    "$duet" serve --db "$database" --host 127.0.0.1 --port 0 >"$log" 2>&1 &
    listening='s|^serving [0-9]* tracks on http://127.0.0.1:\([0-9]*\)/.*|\1|p'
    service=library
    ;;
  in-memory)
    tracks=${BENCH_TRACKS:-10000}
    "$bench" serve-fixture --tracks "$tracks" --port 0 >"$log" 2>&1 &
    listening='s|^listening on http://127.0.0.1:\([0-9]*\) .*|\1|p'
    service=in-memory
    ;;
  *) fail "BENCH_SERVICE must be library or in-memory, got $service_kind" ;;
esac
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -f "$log"' EXIT
port=""
for _ in $(seq 1 1200); do
  port=$(sed -n "$listening" "$log")
  [[ -n "$port" ]] && break
  kill -0 "$server" 2>/dev/null || fail "the server exited: $(cat "$log")"
  sleep 0.1
done
[[ -n "$port" ]] || fail "the server did not listen within 120 s: $(cat "$log")"
# The first query loads the text encoder; it is not part of the measurement.
curl -fsS -o /dev/null --max-time 120 "http://127.0.0.1:$port/api/search?q=warm%20up" || fail "the first search failed: $(cat "$log")"

field() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$2"; }
# wrk runs for its whole -d even after every thread has stopped at its request count, so -d is set from
# a 5-s warm-up's rate: twice the expected time plus 10 s, at most 300 s.
warmup=$(timeout 60 wrk -t"$threads" -c"$connections" -d5s --timeout 10s -s Scripts/bench/load.lua \
  "http://127.0.0.1:$port" -- 1000000 "$threads" "$search_mode" | grep '^wrk-result')
duration=$(awk -v n="$(field requests "$warmup")" -v us="$(field elapsed_us "$warmup")" -v r="$requests" \
  'BEGIN { rate = n / (us / 1e6); d = (rate > 0 ? 2 * r / rate : 290) + 10; if (d > 300) d = 300; printf "%d", d }')
echo "warm-up: $(field requests "$warmup") searches in 5 s; measuring with a ${duration}-s bound"

run() {  # mode -> the wrk-result line
  timeout $((duration + 60)) wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 10s -s Scripts/bench/load.lua \
    "http://127.0.0.1:$port" -- "$requests" "$threads" "$1" | grep '^wrk-result'
}

search=$(run "$search_mode")
health=$(run health)
echo "search  $search"
echo "healthz $health"

report() {  # name line
  local line=$2
  local done_requests errors seconds
  done_requests=$(field requests "$line")
  errors=$(( $(field connect "$line") + $(field read "$line") + $(field write "$line") + $(field status "$line") + $(field timeout "$line") ))
  seconds=$(awk -v us="$(field elapsed_us "$line")" 'BEGIN { printf "%.3f", us / 1e6 }')
  awk -v name="$1" -v n="$done_requests" -v e="$errors" -v s="$seconds" -v p50="$(field p50_us "$line")" \
    -v p99="$(field p99_us "$line")" 'BEGIN { printf "%s: %d requests, %d errors, %.0f requests/s, p50 %.2f ms, p99 %.2f ms\n", name, n, e, n / s, p50 / 1000, p99 / 1000 }'
}
report search "$search"
report healthz "$health"

search_errors=$(( $(field connect "$search") + $(field read "$search") + $(field write "$search") + $(field status "$search") + $(field timeout "$search") ))
health_errors=$(( $(field connect "$health") + $(field read "$health") + $(field write "$health") + $(field status "$health") + $(field timeout "$health") ))
load=$(cut -d' ' -f1 /proc/loadavg)
awk -v sr="$(field requests "$search")" -v sd="$(field elapsed_us "$search")" -v hr="$(field requests "$health")" \
  -v hd="$(field elapsed_us "$health")" -v p50="$(field p50_us "$search")" -v p99="$(field p99_us "$search")" \
  -v e="$search_errors" -v he="$health_errors" -v c="$connections" -v t="$tracks" -v svc="$service" -v queries="$query_kind" -v load="$load" \
  'BEGIN { srps = sr / (sd / 1e6); hrps = hr / (hd / 1e6);
           printf "bench-serve ratio=%.3f search_rps=%.0f healthz_rps=%.0f p50_ms=%.2f p99_ms=%.2f requests=%d errors=%d healthz_errors=%d concurrency=%d tracks=%d service=%s queries=%s load=%s\n",
                  srps / hrps, srps, hrps, p50 / 1000, p99 / 1000, sr, e, he, c, t, svc, queries, load }'
[[ "$search_errors" -eq 0 ]] || fail "$search_errors search requests failed"
