#!/usr/bin/env bash
# Sourced by the benchmarks whose peer is the original musicnn (musicnn.sh, index.sh): makes sure the venv
# "$venv" has tensorflow-cpu 2.15.1, musicnn 0.1.0 and librosa 0.8.1 from PyPI, creating it on first use.
# Needs $venv and a say function.
if ! "$venv/bin/python" -c "import tensorflow, musicnn, librosa" >/dev/null 2>&1; then
  say "creating the TensorFlow peer venv in $venv (tensorflow-cpu 2.15.1, musicnn 0.1.0 from PyPI)"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "tensorflow-cpu==2.15.1" "numpy==1.23.5" "librosa==0.8.1" resampy
  # musicnn's wheel pins an old numpy; its code runs with numpy 1.23.
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps "musicnn==0.1.0"
fi
