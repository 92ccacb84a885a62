"""Shared fixtures: real model, real Chroma in temporary folders, small documents written for the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.settings import Settings
from ingest.pipeline import ingest_paths

FIXTURES = Path(__file__).parent / "fixtures"
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
