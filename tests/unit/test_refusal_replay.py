"""The refusal replay (evaluation/refusals.py): the real evidence checks on captured evidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from errors import UserError
from evaluation.refusals import Capture, Record, load, main, refused_now, replay, save
from retriever.types import Evidence


def _evidence(*texts: str) -> list[Evidence]:
    return [
        Evidence(chunk_id=f"c{i}", doc_id=f"d{i}", text=t, score=0.7, title="CAR-T")
        for i, t in enumerate(texts)
    ]


NO_COST = _evidence("CAR-T cell therapy put five people with lupus into remission.")
COST = _evidence("CAR-T cell therapy costs about $500,000 when it is used for cancer.")
INSURANCE_Q = "will insurance pay for car-t if you have lupus"


def _record(
    qid: str, kind: str, question: str, evidence: list[Evidence], refused: bool, reason: str | None
) -> Record:
    return Record(
        qid, kind, refused, reason, drafted=True, question=question, evidence=evidence, draft_reason=reason
    )


def _capture(*records: Record) -> Capture:
    return Capture(gold="g.jsonl", index="idx", records=list(records), vocabulary={"car": 3, "lupus": 5})


def test_an_ask_no_passage_gives_is_refused_now() -> None:
    record = _record("u1", "unanswerable", INSURANCE_Q, NO_COST, refused=False, reason=None)
    assert refused_now(record, _capture(record)) is True


def test_a_refusal_the_checks_no_longer_give_counts_as_answered() -> None:
    record = _record("a1", "answerable", "how much does car t cost", COST, refused=True, reason="not_covered")
    assert refused_now(record, _capture(record)) is False


def test_refusals_the_checks_do_not_give_are_kept() -> None:
    low = _record("u2", "unanswerable", "how much does car t cost", COST, True, "insufficient_evidence")
    screened = Record("u3", "unanswerable", True, "out_of_scope")  # never reached the draft step
    capture = _capture(low, screened)
    assert refused_now(low, capture) is True
    assert refused_now(screened, capture) is True


def test_a_personal_question_is_also_checked_in_the_persons_own_words() -> None:
    """As the draft step does: the depersonalised question lost its ask ("insurance"), the person's
    own words keep it, and the evidence does not give it; the refusal captured that way is replayed."""
    record = _record(
        "p1",
        "unanswerable",
        "What is known about car-t for lupus?",
        NO_COST,
        refused=True,
        reason="not_covered",
    )
    assert refused_now(record, _capture(record)) is False  # the question alone: nothing is missing
    record.own_words = "will my insurance pay for my car-t for lupus"
    assert refused_now(record, _capture(record)) is True


def test_replay_counts_and_lists_changes() -> None:
    caught = _record("u1", "unanswerable", INSURANCE_Q, NO_COST, refused=False, reason=None)
    answered = _record("a1", "answerable", "how much does car t cost", COST, refused=False, reason=None)
    emergency = Record("e1", "emergency", True, "emergency")
    counts, changed = replay(_capture(caught, answered, emergency))
    assert (counts.unanswerable, counts.refused_before, counts.refused_now) == (1, 0, 1)
    assert (counts.answerable, counts.false_before, counts.false_now) == (1, 0, 0)
    assert [(r.qid, now) for r, now in changed] == [("u1", True)]


def test_run_prints_no_question_of_a_quiet_set(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    caught = _record("u1", "unanswerable", INSURANCE_Q, NO_COST, refused=False, reason=None)
    save(_capture(caught), tmp_path / "heldout.refusals.pkl")
    save(_capture(caught), tmp_path / "dev.refusals.pkl")
    assert (
        main(
            [
                "run",
                str(tmp_path / "dev.refusals.pkl"),
                str(tmp_path / "heldout.refusals.pkl"),
                "--quiet",
                "heldout",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert out.count(INSURANCE_Q) == 1  # listed for dev only
    assert "heldout            unanswerable refused 0/1 → 1/1" in out
    assert "pooled (quiet)     unanswerable refused 0/1 → 1/1" in out


def test_a_missing_or_foreign_capture_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(UserError, match="no capture at"):
        load(tmp_path / "missing.pkl")
    foreign = tmp_path / "foreign.pkl"
    foreign.write_text("not a pickle", encoding="utf-8")
    assert main(["run", str(foreign)]) == 2
    assert "is not a refusals capture" in capsys.readouterr().err
