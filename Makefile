# Two commands for a fresh clone: `make chat` (set up, index corpus/, start the chat) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup chat test lint clean

setup: $(STAMP)

# torch is installed first and pinned: pip then takes the local CPU build instead of a multi-GB CUDA one.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

chat: setup
	$(BIN)/autoimmune-qa chat

lint: setup
	$(BIN)/ruff check index ingest retriever app tests eval
	$(BIN)/ruff format --check index ingest retriever app tests eval
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) .index
