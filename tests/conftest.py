"""Shared fixtures: real model, real Chroma in temporary folders, small documents written for the tests."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

from index.settings import Settings
from ingest.pipeline import ingest_paths

FIXTURES = Path(__file__).parent / "fixtures"
# `make test-all` (and so CI) sets this: a test whose optional install is missing then fails instead of
# skipping, so the full run cannot pass by skipping the llama.cpp or browser tests.
REQUIRE_ALL = os.environ.get("AQA_REQUIRE_ALL") == "1"
# `chat` and the API embed every evidence sentence on a background thread once started
# (retriever.prefill): in the suite that would compete with the tests that follow and write into the
# user's cache folder, so it is off here (subprocesses inherit it); tests/integration/test_prefill.py
# turns it on with a temporary cache folder.
os.environ.setdefault("AQA_PREFILL_SENTENCES", "0")


def needs_modules(*modules: str, install: str) -> pytest.MarkDecorator:
    """Skip, naming the install, when a module is missing; under AQA_REQUIRE_ALL=1 run (and fail)."""
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    return pytest.mark.skipif(
        bool(missing) and not REQUIRE_ALL,
        reason=f"{', '.join(missing)} not installed: {install} (`make test-all` installs it)",
    )


def needs_programs(*programs: str, install: str) -> pytest.MarkDecorator:
    """Skip, naming the install, when a program is not on PATH; under AQA_REQUIRE_ALL=1 run (and fail)."""
    missing = [p for p in programs if shutil.which(p) is None]
    return pytest.mark.skipif(
        bool(missing) and not REQUIRE_ALL,
        reason=f"{', '.join(missing)} not installed: {install} (`make test-all` installs it as root)",
    )


SHARED_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.fixture
def fixture_corpus() -> Path:
    """Four clean documents (Markdown, text, HTML in a subfolder, JSON Lines with two records)."""
    return FIXTURES / "corpus"


@pytest.fixture
def bad_corpus() -> Path:
    """Broken files beside one good document."""
    return FIXTURES / "bad"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with a fresh index folder."""
    return Settings(index_dir=tmp_path / "index")


@pytest.fixture(scope="session")
def built_index(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The fixture corpus ingested once per test session; tests must not write to it."""
    settings = Settings(index_dir=tmp_path_factory.mktemp("built") / "index")
    report = ingest_paths([FIXTURES / "corpus"], settings)
    assert not report.failed, report.failed
    return settings
