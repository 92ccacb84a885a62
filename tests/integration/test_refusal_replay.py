"""`python -m evaluation.refusals`: capture the tiny gold set once, then replay the real evidence checks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from evaluation import refusals
from index.settings import Settings

pytestmark = pytest.mark.slow

GOLD = Path(__file__).resolve().parents[1] / "data" / "eval_gold.jsonl"


@pytest.fixture(scope="module")
def captured(built_index: Settings, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("refusals") / "gold.refusals.pkl"
    argv = ["capture", str(GOLD), "--index", str(built_index.index_dir), "--out", str(out)]
    assert refusals.main(argv) == 0
    return out


def test_capture_keeps_every_item_and_what_the_draft_step_saw(captured: Path) -> None:
    data = refusals.load(captured)
    by_qid = {r.qid: r for r in data.records}
    assert list(by_qid) == [f"t-0{i}" for i in range(1, 9)]
    assert all(by_qid[q].drafted and by_qid[q].evidence for q in ("t-01", "t-02", "t-04"))
    assert "cost" in by_qid["t-03"].question  # the follow-up's last turn, with its subject
    # out of scope and an emergency are answered by the screen, before any retrieval
    assert not by_qid["t-06"].drafted and by_qid["t-06"].refused
    assert not by_qid["t-07"].drafted
    assert data.vocabulary and "lupus" in data.vocabulary


def test_replay_with_unchanged_code_reproduces_every_refusal(captured: Path) -> None:
    data = refusals.load(captured)
    assert all(refusals.refused_now(r, data) == r.refused for r in data.records)
    counts, changed = refusals.replay(data)
    assert changed == []
    assert counts.answerable == 5 and counts.false_now == counts.false_before


def test_a_capture_made_on_the_command_line_loads_anywhere(built_index: Settings, tmp_path: Path) -> None:
    """`python -m evaluation.refusals capture` pickles evaluation.refusals' classes, not __main__'s."""
    out = tmp_path / "cli.refusals.pkl"
    command = [sys.executable, "-m", "evaluation.refusals", "capture", str(GOLD)]
    command += ["--index", str(built_index.index_dir), "--out", str(out)]
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=root)
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(refusals.load(out).records) == 8
