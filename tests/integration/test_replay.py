"""`python -m evaluation.replay`: capture the tiny gold set once, then replay the real answerer on it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from errors import UserError
from evaluation import replay
from index.settings import Settings
from retriever.weights import SHIPPED

pytestmark = pytest.mark.slow

GOLD = Path(__file__).resolve().parents[1] / "data" / "eval_gold.jsonl"


@pytest.fixture(scope="module")
def captured(built_index: Settings, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("replay") / "gold.replay.pkl"
    assert replay.main(["capture", str(GOLD), "--index", str(built_index.index_dir), "--out", str(out)]) == 0
    return out


def test_capture_keeps_what_the_answerer_saw(captured: Path) -> None:
    data = replay.load(captured)
    qids = [r.qid for r in data.records]
    assert qids and len(qids) == len(set(qids)) and "t-01" in qids
    follow_up = next(r for r in data.records if r.qid == "t-03")  # two turns: the second, with its subject
    assert "cost" in follow_up.question and follow_up.evidence
    assert all(r.facts and r.evidence and r.answer for r in data.records)
    assert all(r.question in data.vectors for r in data.records)


def test_replay_reproduces_the_captured_answers(captured: Path) -> None:
    data = replay.load(captured)
    result = replay.run(data, {})
    assert result.reproduced == len(data.records)
    assert 0 < result.facts_met <= 1 and result.fk_median is not None


def test_a_change_changes_answers_and_is_undone(captured: Path) -> None:
    data = replay.load(captured)
    before = SHIPPED.w_chunk_select, SHIPPED.audience.patient_max_sentences
    result = replay.run(data, replay.parse_changes(["PATIENT_MAX_SENTENCES=1", "W_CHUNK_SELECT=0.0"]))
    patients = [result.answers[r.qid] for r in data.records if r.audience == "patient"]
    assert patients and all(len(re.findall(r"\[\d+\]", a)) == 1 for a in patients)
    assert before == (SHIPPED.w_chunk_select, SHIPPED.audience.patient_max_sentences)
    assert replay.run(data, {}).reproduced == len(data.records)


@pytest.mark.parametrize("pair", ["NO_SUCH=1", "W_CHUNK_SELECT", "PATIENT_MAX_SENTENCES=two", "FIGURE=1"])
def test_bad_changes_are_refused_with_an_example(pair: str) -> None:
    with pytest.raises(UserError, match="W_CHUNK_SELECT|PATIENT_MAX_SENTENCES"):
        replay.parse_changes([pair])


def test_cli_reports_a_table_and_clear_errors(
    captured: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert replay.main(["run", str(captured), "MMR_LAMBDA=0.3"]) == 0
    out = capsys.readouterr().out
    assert "facts met" in out and "as is" in out and "answers as captured:" in out
    assert replay.main(["run", str(tmp_path / "missing.pkl")]) == 2
    assert "no capture at" in capsys.readouterr().err
    junk = tmp_path / "junk.pkl"
    junk.write_bytes(b"not a pickle")
    assert replay.main(["run", str(junk)]) == 2
    assert "is not a replay capture" in capsys.readouterr().err
    assert replay.main(["run", str(captured), "BOGUS=1"]) == 2
    assert "numeric constant" in capsys.readouterr().err


def test_a_capture_made_by_the_command_loads_anywhere(built_index: Settings, tmp_path: Path) -> None:
    """`python -m evaluation.replay capture` pickles evaluation.replay's classes, not __main__'s."""
    import subprocess
    import sys

    out = tmp_path / "cli.replay.pkl"
    done = subprocess.run(
        [sys.executable, "-m", "evaluation.replay", "capture", str(GOLD), "--index", str(built_index.index_dir),
         "--out", str(out)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = replay.load(out)
    assert data.records and replay.run(data, {}).reproduced == len(data.records)
    assert data.min_score == built_index.min_evidence_score
