# Sourced by make bench-index and make bench-workers: renders (once) the MP3 library both index, and picks
# the checkpoint. Reads tracks, seconds, threads, data, duet, bench and the functions say and fail from the
# caller; sets library, model and model_note.
# The library: rendered once per (tracks, seconds), then reused.
library="$data/mp3-$tracks-x-${seconds}s"
if [[ ! -f "$library/.complete" ]]; then
  say "rendering $tracks tracks of $seconds s with duet synth and encoding them with lame (once; kept in $library)"
  rm -rf "$library" "$library.wav"
  mkdir -p "$library"
  # duet synth renders clips of at most 120 s: each track joins `pieces` consecutive clips (Python's wave).
  pieces=$(( (seconds + 119) / 120 ))
  "$duet" synth --count $((tracks * pieces)) --seconds $((seconds / pieces)) --sample-rate 44100 --seed 11 \
    --out "$library.wav" >/dev/null
  python3 - "$library.wav/audio" "$library.wav/tracks" "$pieces" <<'PY'
import os, sys, wave
source, target, pieces = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(target, exist_ok=True)
clips = sorted(os.listdir(source))
for track in range(len(clips) // pieces):
    with wave.open(os.path.join(target, f"track-{track:04d}.wav"), "wb") as out:
        for index, name in enumerate(clips[track * pieces:(track + 1) * pieces]):
            with wave.open(os.path.join(source, name)) as clip:
                if index == 0: out.setparams(clip.getparams())
                out.writeframes(clip.readframes(clip.getnframes()))
PY
  find "$library.wav/tracks" -name '*.wav' -print0 |
    xargs -0 -P "$threads" -I{} sh -c 'lame --quiet -b 128 "$1" "$2/$(basename "$1" .wav).mp3"' _ {} "$library"
  rm -rf "$library.wav"
  count=$(find "$library" -name '*.mp3' | wc -l)
  [[ "$count" -eq "$tracks" ]] || fail "expected $tracks MP3 files in $library, found $count"
  touch "$library/.complete"
fi

model=${BENCH_INDEX_MODEL:-}
if [[ -z "$model" && -f runs/demo/best/model.safetensors ]]; then model=runs/demo/best; fi
if [[ -z "$model" ]]; then
  model="$data/untrained-musicnn"
  [[ -f "$model/model.safetensors" ]] || "$bench" checkpoint --out "$model" >/dev/null
  model_note="untrained, default (demo) configuration"
else
  model_note="$model"
fi
