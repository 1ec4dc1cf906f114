# mtsum — `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# torch first, pinned: an unpinned torch (pulled in by transformers) would be a multi-GB CUDA build.
TORCH  ?= torch==2.13.0
STAMP  := $(VENV)/.installed
# test and dev tools, and Ray so that the batch-mode tests on Ray run instead of skipping.
EXTRAS ?= test,dev,ray

.DEFAULT_GOAL := help
.PHONY: help install run test test-all test-load test-scale lint format docs bench bench-profiles bench-detect bench-summary bench-trust models clean

help:  ## show this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml Makefile
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install "$(TORCH)"
	$(BIN)/python -m pip install -e ".[$(EXTRAS)]"
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install mtsum with its test, dev and ray extras

run: install  ## start the web app (UI + REST) on http://127.0.0.1:7860
	$(BIN)/mtsum serve --host 127.0.0.1 --port 7860

test: install  ## run the offline test suite
	$(BIN)/python -m pytest

test-load: install  ## the load tests: bursts of 40 and 30 clients against the real server (two minutes or so)
	$(BIN)/python -m pytest -m load -s

test-scale: install  ## Ray Serve under a burst: 1 vs 2 model replicas, a replica killed, Redis memory (SCALE_MODELS=full: full-size CTranslate2)
	$(BIN)/python -m pytest -m scale -s tests/scale/test_scale_load.py

test-all: install  ## also the slow tests (the hub tests still need network: -m hub)
	$(BIN)/python -m pytest -m "not hub"

lint: install  ## ruff (lint + format check), mypy and the import layers (lint-imports)
	$(BIN)/ruff check mtsum tests
	$(BIN)/ruff format --check mtsum tests
	$(BIN)/mypy
	$(BIN)/lint-imports

docs: install  ## build the documentation site into site/ (strict: a broken link or missing page fails)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

format: install  ## apply ruff's formatting and safe fixes
	$(BIN)/ruff format mtsum tests
	$(BIN)/ruff check --fix mtsum tests

bench: install  ## benchmark vs the model-card baseline (builds big random models once; slow)
	$(BIN)/python -m bench.run $(if $(INPUT),--input $(INPUT)) $(if $(THREADS),--threads $(THREADS))
	$(BIN)/python -m bench.stream

bench-profiles: install  ## only the best/fast rows: tc-big against base shape; writes bench/RESULTS-profiles.md
	$(BIN)/python -m bench.run --profiles-only $(if $(INPUT),--input $(INPUT)) $(if $(THREADS),--threads $(THREADS))

bench-detect: install  ## language detection vs lingua, fastText, langdetect on ../shared/eval/langid-dev
	$(BIN)/python -m bench.detect $(if $(LIMIT),--limit $(LIMIT))

bench-summary: install  ## extractive summaries vs Lead-3 on ../shared/eval (ROUGE); writes bench/RESULTS-summary.md
	$(BIN)/python -m bench.summary

bench-trust: install  ## the flags on human-labelled MT and summary errors (../shared/eval); writes bench/RESULTS-trust.md
	$(BIN)/python -m bench.trust

models: install  ## download every model of the registry into MTSUM_MODEL_DIR (needs network)
	$(BIN)/mtsum models pull --all

clean:  ## remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
