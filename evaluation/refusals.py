"""Replay the evidence refusals on captured evidence: a change to `retriever.coverage` judged on every set in seconds.

Whether an on-topic question the sources cannot answer is refused is decided after retrieval, by
`retriever.steps.draft_refusal` (a term no passage names, an ask no passage gives, a name the
sources never use). A full `autoimmune-qa eval` of every set to try one change to those checks takes
minutes; `capture` asks a gold file once through the real assistant and keeps, for every item that
reached the draft step, what that step saw (the question as the answerer gets it, the evidence, the
audience) and how it ended, with the index's vocabulary. `run` then calls the real
`draft_refusal`, with the code as it is now, on every capture and counts per set the unanswerable
questions refused and the answerable ones falsely refused, at capture and now.

`--quiet` names sets whose questions must not be read (the validation and held-out sets): for them
only the counts are printed, never a question. What a replay leaves out: retrieval (capture again
after a retrieval change), and the answerer's own verdict on a question that was refused at capture
by an evidence check and no longer is (counted as answered; a full eval says whether the answerer's
evidence threshold refuses it instead), and `steps.draft`'s second reading of a question naming a
disease by an abbreviation the sources seldom use ("what is pbc": a replay sees the question as
typed, and counts it refused).

    python -m evaluation.refusals capture eval/dev.jsonl --index DIR --out dev.refusals.pkl
    python -m evaluation.refusals run dev.refusals.pkl heldout.refusals.pkl --quiet heldout
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from errors import UserError
from evaluation.gold import load_gold
from evaluation.replay import read_capture, save
from evaluation.runner import ask, eval_settings
from index.settings_groups import ScreeningSettings
from retriever import steps
from retriever.chain import Assistant
from retriever.types import Audience, Evidence

FORMAT = 2  # 2: a personal question's own words are kept (`Record.own_words`)
EVIDENCE_REASONS = ("not_in_sources", "not_covered")  # the refusals `evidence_refusal` gives


@dataclass
class Record:
    qid: str
    kind: str  # "answerable", "unanswerable", "emergency", …
    refused: bool  # the assistant's final answer at capture
    reason: str | None
    drafted: bool = False  # whether the item reached the draft step (not screened out before retrieval)
    question: str = ""  # as the draft step was given it
    evidence: list[Evidence] = field(default_factory=list)
    audience: Audience = "patient"
    draft_reason: str | None = None  # the draft step's refusal at capture, None when it answered
    own_words: str | None = None  # a personal question's words before depersonalising (else None)


@dataclass
class Capture:
    gold: str
    index: str
    records: list[Record] = field(default_factory=list)
    vocabulary: dict[str, int] = field(default_factory=dict)
    screening: ScreeningSettings = field(
        default_factory=lambda: ScreeningSettings.model_validate({})
    )  # at capture
    format: int = FORMAT


def capture(gold: Path, index: Path | None, overrides: dict[str, Any] | None = None) -> Capture:
    """Ask every item of the gold file once and keep what the draft step saw and how it ended."""
    settings, _ = eval_settings(index, overrides or {})
    assistant = Assistant(settings)
    seen: list[tuple[str, list[Evidence], Audience, str | None, str | None]] = []
    original = steps.draft

    def recording(parts: steps.ChainParts, searched: steps.Searched) -> Any:
        drafted = original(parts, searched)
        screened = searched.screened
        reason = drafted.answer.refusal_reason if drafted.answer.refused else None
        own = screened.unrewritten if screened.personal else None
        seen.append((screened.answerable, searched.evidence, screened.asked.audience, reason, own))
        return drafted

    result = Capture(
        gold=str(gold),
        index=str(settings.index_dir),
        screening=settings.screening,
    )
    steps.draft = recording  # type: ignore[assignment]  # `answer` calls it by its module name
    try:
        for item in load_gold(gold):
            seen.clear()
            answer = ask(assistant, item, None)
            record = Record(item.qid, item.kind, answer.refused, answer.refusal_reason)
            if seen:  # the last call drafts the last turn of a follow-up
                record.drafted = True
                (record.question, record.evidence, record.audience, record.draft_reason, record.own_words) = (
                    seen[-1]
                )
            result.records.append(record)
    finally:
        steps.draft = original  # type: ignore[assignment]
    result.vocabulary = dict(assistant.retriever.vocabulary())
    return result


def load(path: Path) -> Capture:
    return read_capture(path, Capture, FORMAT, "refusals")


def refused_now(record: Record, data: Capture) -> bool:
    """Whether the item is refused with the evidence checks as they are now (see the module's note)."""
    if not record.drafted:
        return record.refused  # screened before retrieval: the checks never see it
    vocabulary = data.vocabulary
    now = steps.draft_refusal(
        record.question,
        record.own_words,
        record.audience,
        record.evidence,
        lambda: vocabulary,
        data.screening,
    )
    if now is not None:
        return True
    if record.draft_reason in EVIDENCE_REASONS:
        return False  # refused at capture by a check that now lets it through
    return record.refused


@dataclass
class Counts:
    unanswerable: int = 0
    refused_before: int = 0
    refused_now: int = 0
    answerable: int = 0
    false_before: int = 0
    false_now: int = 0

    def add(self, other: Counts) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def line(self, name: str) -> str:
        def rate(n: int, of: int) -> str:
            return f"{n / of:.3f}" if of else "–"

        return (
            f"{name:<18} unanswerable refused {self.refused_before}/{self.unanswerable} → "
            f"{self.refused_now}/{self.unanswerable} ({rate(self.refused_before, self.unanswerable)} → "
            f"{rate(self.refused_now, self.unanswerable)}); answerable falsely refused "
            f"{self.false_before}/{self.answerable} → {self.false_now}/{self.answerable}"
        )


def replay(data: Capture) -> tuple[Counts, list[tuple[Record, bool]]]:
    """The set's counts, and the items whose refusal changed (with whether they are refused now)."""
    counts, changed = Counts(), []
    for record in data.records:
        if record.kind not in ("answerable", "unanswerable"):
            continue
        now = refused_now(record, data)
        if record.kind == "unanswerable":
            counts.unanswerable += 1
            counts.refused_before += record.refused
            counts.refused_now += now
        else:
            counts.answerable += 1
            counts.false_before += record.refused
            counts.false_now += now
        if now != record.refused:
            changed.append((record, now))
    return counts, changed


def set_name(path: Path) -> str:
    return path.name.split(".")[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m evaluation.refusals", description=__doc__.splitlines()[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    cap = sub.add_parser("capture", help="ask a gold file once and keep what the draft step saw")
    cap.add_argument("gold", type=Path)
    cap.add_argument("--index", type=Path, default=None)
    cap.add_argument("--out", type=Path, required=True)
    run = sub.add_parser("run", help="replay the evidence refusals on captures with the code as it is now")
    run.add_argument("captures", type=Path, nargs="+")
    run.add_argument(
        "--quiet",
        nargs="*",
        default=[],
        metavar="SET",
        help="sets (file names before the first dot) whose questions are never printed, only counts",
    )
    args = parser.parse_args(argv)
    try:
        if args.command == "capture":
            data = capture(args.gold, args.index)
            save(data, args.out)
            print(f"{len(data.records)} items of {args.gold} captured to {args.out}")
            return 0
        total, quiet_total = Counts(), Counts()
        for path in args.captures:
            counts, changed = replay(load(path))
            name = set_name(path)
            quiet = name in args.quiet
            (quiet_total if quiet else total).add(counts)
            print(counts.line(name))
            for record, now in [] if quiet else changed:
                label = "now refused" if now else "now answered"
                print(f"    {label}: {record.qid} ({record.kind}) {record.question[:100]!r}")
        print(total.line("pooled"))
        if args.quiet:
            print(quiet_total.line("pooled (quiet)"))
        return 0
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    # the imported module's main, so captures pickle evaluation.refusals.Capture, not __main__.Capture
    from evaluation import refusals as _module

    sys.exit(_module.main())
