"""An ingest killed with SIGKILL at any moment leaves an index that the next run completes exactly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.bm25 import bm25_dir, current_fingerprint, load
from index.settings import Settings
from index.store import open_store

pytestmark = pytest.mark.slow

CLI = [sys.executable, "-m", "app.cli"]
TOPICS = ["lupus", "myositis", "myasthenia gravis", "multiple sclerosis", "scleroderma", "vasculitis"]


def write_corpus(folder: Path, n: int, version: str = "v1") -> None:
    """n short documents of three sections each, written for this test."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        topic = TOPICS[i % len(TOPICS)]
        sections = "\n\n".join(
            f"## Part {j} of note {i}\n\nNote {i} ({version}) says that {topic} is an autoimmune disease "
            f"in which the immune system attacks the body; part {j} adds detail number {i * 10 + j}. "
            f"People with {topic} are looked after by a care team that follows them over many years."
            for j in range(3)
        )
        (folder / f"note-{i:03d}.md").write_text(
            f"---\nid: note-{i:03d}\ntitle: Note {i} on {topic}\n---\n\n{sections}\n"
        )


def run_ingest(corpus: Path, index: Path, kill_after: float | None = None) -> int | None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AQA_")}
    proc = subprocess.Popen(
        [*CLI, "ingest", str(corpus), "--index", str(index), "--json"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if kill_after is None:
        return proc.wait(timeout=600)
    time.sleep(kill_after)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    return None


def index_state(index: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(chunk id → doc_hash, document id → doc_hash) as stored in Chroma."""
    store = open_store(Settings(index_dir=index))
    chunks = store.chunks().get(include=["metadatas"])  # type: ignore[union-attr]
    docs = store.documents().get(include=["metadatas"])
    return (
        {i: str(m["doc_hash"]) for i, m in zip(chunks["ids"], chunks["metadatas"], strict=True)},
        {i: str(m["doc_hash"]) for i, m in zip(docs["ids"], docs["metadatas"], strict=True)},
    )


def assert_same_as_clean(index: Path, clean: Path) -> None:
    chunks, docs = index_state(index)
    clean_chunks, clean_docs = index_state(clean)
    assert docs == clean_docs
    assert chunks == clean_chunks  # same ids, no duplicates, no orphans, no stale versions
    settings = Settings(index_dir=index)
    copy = load(bm25_dir(settings))
    assert copy is not None
    assert copy.fingerprint == current_fingerprint(open_store(settings))
    assert sorted(copy.chunk_ids) == sorted(chunks)


@pytest.fixture(scope="module")
def timing(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, float]:
    """A corpus, its clean index, and how long a full ingest of it takes."""
    base = tmp_path_factory.mktemp("crash")
    corpus = base / "corpus"
    write_corpus(corpus, 30)
    started = time.perf_counter()
    assert run_ingest(corpus, base / "clean") == 0
    return corpus, base / "clean", time.perf_counter() - started


@pytest.mark.parametrize("fraction", [0.5, 0.9])
def test_first_ingest_killed_midway_is_completed_by_the_next_run(
    timing: tuple[Path, Path, float], tmp_path: Path, fraction: float
) -> None:
    corpus, clean, seconds = timing
    index = tmp_path / "index"
    run_ingest(corpus, index, kill_after=seconds * fraction)
    assert run_ingest(corpus, index) == 0
    assert_same_as_clean(index, clean)


@pytest.mark.parametrize("fraction", [0.7])
def test_update_and_delete_killed_midway_are_completed_by_the_next_run(
    timing: tuple[Path, Path, float], tmp_path: Path, fraction: float
) -> None:
    corpus, _, seconds = timing
    work = tmp_path / "corpus"
    write_corpus(work, 30)
    index = tmp_path / "index"
    assert run_ingest(work, index) == 0
    # change a third of the documents and delete a few
    write_corpus(work, 10, version="v2")
    for i in range(25, 30):
        (work / f"note-{i:03d}.md").unlink()
    run_ingest(work, index, kill_after=seconds * fraction * 0.4)
    assert run_ingest(work, index) == 0
    clean = tmp_path / "clean"
    assert run_ingest(work, clean) == 0
    assert_same_as_clean(index, clean)
