#!/usr/bin/env bash
# Rendering speed of `duet synth` against the fluidsynth command-line renderer on the same notes.
#
# 1. Wall-clock time of the full default job: 1000 clips of 10 s at 16 kHz on all threads
#    (DUET_THREADS, default all cores), as the issue's budget (<= 2 min on 2 cores) asks.
# 2. A single-thread comparison on COUNT clips (default 100): `duet synth` (compose, render with
#    libfluidsynth, downmix, normalise, write WAV) versus `fluidsynth -F` rendering the same clips
#    from the Standard MIDI Files duet wrote (`--midi`), same soundfont, sample rate, polyphony,
#    gain, reverb and chorus settings. Both are measured as CPU seconds (user + system), which
#    stays meaningful on a shared machine; the ratio is peer / duet (above 1: duet is faster).
# Last line: synth-render ratio=R duet=X s peer=Y s
set -euo pipefail
cd "$(dirname "$0")/../.."
count=${COUNT:-100}
full=${FULL:-1000}
soundfont=${DUET_SOUNDFONT:-/usr/share/sounds/sf2/FluidR3_GM.sf2}
command -v fluidsynth >/dev/null || { echo "bench synth: the fluidsynth CLI is missing; run make setup" >&2; exit 1; }
swift build -c release >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cpu_seconds() { # runs "$@" and prints its user+sys CPU seconds (bash's time keyword)
  local TIMEFORMAT='%U %S' times
  times=$( { time "$@" >/dev/null 2>&1; } 2>&1 )
  awk '{ printf "%.2f", $1 + $2 }' <<<"$times"
}

if [[ "$full" -gt 0 ]]; then
  start=$(date +%s.%N)
  cpu_full=$(cpu_seconds .build/release/duet synth --count "$full" --seed 0 --out "$work/full")
  wall_full=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
  printf 'full job: %d clips x 10 s on %s threads: wall %.1f s, CPU %s s (load average %s)\n' \
    "$full" "${DUET_THREADS:-$(nproc)}" "$wall_full" "$cpu_full" "$(cut -d' ' -f1 /proc/loadavg)"
  rm -rf "$work/full"
fi

cpu_duet=$(DUET_THREADS=1 cpu_seconds .build/release/duet synth --count "$count" --seed 1 --out "$work/duet" --midi)
cpu_peer=$(cd "$work/duet" && cpu_seconds fluidsynth -ni -q -F "$work/peer.wav" -r 16000 -g 0.4 \
  -o synth.chorus.active=0 -o synth.polyphony=96 -o synth.lock-memory=0 \
  -o synth.reverb.room-size=0.5 -o synth.reverb.damp=0.4 -o synth.reverb.width=0.8 -o synth.reverb.level=0.5 \
  "$soundfont" midi/*.mid)
echo "single thread, $count clips x 10 s: duet $cpu_duet s CPU, fluidsynth CLI $cpu_peer s CPU"
ratio=$(awk -v p="$cpu_peer" -v d="$cpu_duet" 'BEGIN { printf "%.3f", p / d }')
echo "synth-render ratio=$ratio duet=$cpu_duet s peer=$cpu_peer s"
