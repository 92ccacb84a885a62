"""Replay the extractive answerer's sentence choice on captured evidence: a weight change in a second.

A full `autoimmune-qa eval` asks every question again (retrieval, embedding, citation checking: about
25 s for the dev set). Most answer-quality experiments only change how the extractive answerer picks
sentences, so `capture` asks the gold file once, through the real assistant, and keeps what the
answerer was given for each item (the question as it was asked, the evidence, the audience) with
the vectors of every candidate sentence; `run` then calls the real `ExtractiveAnswerer.answer` on
that evidence with weights changed (W_CHUNK_SELECT=0.4, PATIENT_MAX_SENTENCES=5, …: the fields of
`retriever.weights.ExtractiveWeights` and its `AudienceWeights`, named in upper case) and scores
facts met, the patient grade and answer length. Nothing is re-implemented: the answerer is
the one the assistant uses, with its sentence-vector cache filled from the capture, so it reproduces
the eval's answers exactly (`run` with no change prints how many of them it reproduced).

What a replay leaves out: retrieval (`top_k`, hybrid, context chunks — capture again for those) and
the chain's steps after the answerer (citation checking, which keeps every quoted sentence of the
extractive answerer). Decide with a full eval and `eval-compare` once a change looks good.

    python -m evaluation.replay capture eval/dev.jsonl --index DIR --out dev.replay.pkl
    python -m evaluation.replay run dev.replay.pkl W_CHUNK_SELECT=0.4 PATIENT_MAX_SENTENCES=5
"""

from __future__ import annotations

import argparse
import functools
import pickle
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

import numpy as np

from errors import UserError
from evaluation import metrics as m
from evaluation.gold import load_gold
from evaluation.runner import ask, eval_settings
from index.embedder import Embedder
from index.settings import load_settings
from retriever import extractive
from retriever.candidates import candidates
from retriever.chain import Assistant
from retriever.reader import Reader, load_reader
from retriever.types import Audience, Evidence
from retriever.weights import SHIPPED, AudienceWeights, ExtractiveWeights

FORMAT = 3
T = TypeVar("T")


@dataclass
class Record:
    qid: str
    question: (
        str  # as the answerer was given it (a follow-up with its subject, a personal one depersonalised)
    )
    evidence: list[Evidence]
    audience: Audience
    facts: list[list[str]]
    answer: str  # what the answerer wrote during the capture


@dataclass
class Capture:
    gold: str
    index: str
    records: list[Record] = field(default_factory=list)
    vectors: dict[str, np.ndarray] = field(default_factory=dict)
    max_sentences: int = 4  # the answerer's settings at capture (a refusal replays as a refusal)
    min_score: float = 0.38
    staff_extra_sentences: int = 1
    lead_model: bool = False  # whether the trained lead model chose the answers' order
    reader: bool = False  # whether the answer reader scored the candidates
    format: int = FORMAT


def capture(gold: Path, index: Path | None, overrides: dict[str, Any] | None = None) -> Capture:
    """Ask every answerable item of the gold file once and keep what the extractive answerer saw."""
    settings, _ = eval_settings(index, overrides or {})
    if settings.answerer != "extractive":
        raise UserError("a replay needs the extractive answerer (AQA_ANSWERER=extractive)")
    assistant = Assistant(settings)
    answerer = assistant.answerer
    if not isinstance(answerer, extractive.ExtractiveAnswerer):
        raise UserError("a replay needs the extractive answerer (AQA_ANSWERER=extractive)")
    seen: list[tuple[str, list[Evidence], Audience, str]] = []
    original = answerer.answer

    def recording(question: str, evidence: list[Evidence], audience: Audience) -> Any:
        result = original(question, evidence, audience)
        seen.append((question, evidence, audience, result.answer))
        return result

    answerer.answer = recording  # type: ignore[method-assign]
    result = Capture(
        gold=str(gold),
        index=str(settings.index_dir),
        max_sentences=answerer.max_sentences,
        min_score=answerer.min_score,
        staff_extra_sentences=answerer.staff_extra_sentences,
        lead_model=answerer.use_lead_model,
        reader=answerer.reader is not None,
    )
    for item in load_gold(gold):
        if not (item.answerable and item.facts):
            continue
        seen.clear()
        ask(assistant, item, None)
        if seen:  # the last call answers the last turn of a follow-up
            question, evidence, who, text = seen[-1]
            result.records.append(Record(item.qid, question, evidence, who, item.facts, text))
    texts: list[str] = []
    for r in result.records:
        pool = candidates(r.evidence, answerer.weights)
        texts += [r.question] + [c.text for c in pool] + [f"{c.evidence.title}: {c.text}" for c in pool]
        texts += [h for h in {extractive.section_heading(c.evidence.headings) for c in pool} if h]
    unique = list(dict.fromkeys(texts))
    vectors = answerer.embedder.encode(unique, batch_size=32)
    result.vectors = dict(zip(unique, vectors, strict=True))
    return result


def save(data: Any, path: Path) -> None:
    """Pickle a capture (this module's or `evaluation.refusals`'s) to `path`, making its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        pickle.dump(data, f)


def load(path: Path) -> Capture:
    """A capture written by `save` (a pickle: only load files you made)."""
    return read_capture(path, Capture, FORMAT, "replay")


def read_capture(path: Path, kind: type[T], version: int, tool: str) -> T:
    """A pickled capture of `kind` at `version`, written by `save` of `evaluation.<tool>`; a UserError
    naming the file and the command that makes one when it is missing, foreign or older."""
    try:
        with path.open("rb") as f:
            data = pickle.load(f)  # noqa: S301 - our own file, named by the user who wrote it
    except FileNotFoundError:
        raise UserError(
            f"no capture at '{path}'; make one with `python -m evaluation.{tool} capture`"
        ) from None
    except (pickle.UnpicklingError, EOFError, AttributeError, ModuleNotFoundError) as exc:
        raise UserError(f"'{path}' is not a {tool} capture ({exc}); capture again") from None
    if not isinstance(data, kind) or getattr(data, "format", None) != version:
        raise UserError(f"'{path}' is not a {tool} capture of this version; capture again")
    return data


def _field_kind(name: str) -> type[int] | type[float] | None:
    """int or float for an upper-case weight name (W_CHUNK_SELECT: ExtractiveWeights.w_chunk_select,
    PATIENT_MAX_SENTENCES: AudienceWeights.patient_max_sentences), else None."""
    fields = {**ExtractiveWeights.model_fields, **AudienceWeights.model_fields}
    kind = fields[name.lower()].annotation if name.isupper() and name.lower() in fields else None
    return int if kind is int else float if kind is float else None


def parse_changes(pairs: list[str]) -> dict[str, float | int]:
    """NAME=VALUE pairs naming numeric weights (`ExtractiveWeights`, `AudienceWeights`) in upper case."""
    changes: dict[str, float | int] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if name in ("LEAD_MODEL", "READER") and value in ("0", "1"):  # a trained model off (0) or on (1)
            changes[name] = int(value)
            continue
        kind = _field_kind(name)
        if not sep or kind is None:
            raise UserError(
                f"'{pair}' is not NAME=VALUE for a numeric constant of retriever.extractive or "
                "retriever.audience (e.g. W_CHUNK_SELECT=0.4, PATIENT_MAX_SENTENCES=5)"
            )
        try:
            changes[name] = kind(value)
        except ValueError:
            raise UserError(f"'{pair}': {name} takes a{'n integer' if kind is int else ' number'}") from None
    return changes


def changed_weights(changes: dict[str, float | int], base: ExtractiveWeights = SHIPPED) -> ExtractiveWeights:
    """`base` with the parsed changes applied (a new object: `base` stays as it is)."""
    fields = {name.lower(): value for name, value in changes.items()}
    audience = {k: v for k, v in fields.items() if k in AudienceWeights.model_fields}
    own = {k: v for k, v in fields.items() if k not in audience}
    return base.model_copy(update={**own, "audience": base.audience.model_copy(update=audience)})


@dataclass
class Result:
    facts_met: float
    facts_first: float
    facts_met_patient: float | None
    facts_met_staff: float | None
    fk_median: float | None
    words_patient: float | None
    words_staff: float | None
    reproduced: int  # answers identical to the captured ones
    answers: dict[str, str]


@functools.cache
def _reader() -> Reader:
    return load_reader(load_settings().embed_cache_dir)


def answerer_for(
    data: Capture,
    use_lead_model: bool = False,
    weights: ExtractiveWeights = SHIPPED,
    reader: Reader | None = None,
) -> extractive.ExtractiveAnswerer:
    """The real extractive answerer with the capture's settings, answering from its vectors only (every
    text it embeds was embedded at capture, and its sentence-vector cache holds them all)."""
    answerer = extractive.ExtractiveAnswerer(
        cast(Embedder, _Cached(data.vectors)),
        data.max_sentences,
        data.min_score,
        data.staff_extra_sentences,
        use_lead_model,
        weights=weights,
        reader=reader,
    )
    answerer.vectors = extractive.SentenceVectors(answerer.embedder, size=len(data.vectors) + 1)
    return answerer


def run(data: Capture, changes: dict[str, float | int]) -> Result:
    """Answer every captured item again with the weights changed (`changed_weights`)."""
    changes = dict(changes)
    use_lead_model = bool(changes.pop("LEAD_MODEL", data.lead_model))
    use_reader = bool(changes.pop("READER", data.reader))
    answerer = answerer_for(data, use_lead_model, changed_weights(changes), _reader() if use_reader else None)
    per: dict[str, list[float]] = {"patient": [], "staff": []}
    first: list[float] = []
    grades: list[float] = []
    words: dict[str, list[int]] = {"patient": [], "staff": []}
    answers: dict[str, str] = {}
    for r in data.records:
        text = answerer.answer(r.question, r.evidence, r.audience).answer
        answers[r.qid] = text
        plain = m.strip_markers(text)
        met = m.facts_met(plain, r.facts)
        per[r.audience].append(sum(met) / len(met))
        lead = m.facts_met(m.lead_sentence(text), r.facts)
        first.append(sum(lead) / len(lead))
        words[r.audience].append(len(plain.split()))
        grade = m.fk_grade(text) if r.audience == "patient" else None
        if grade is not None:
            grades.append(grade)
    every = per["patient"] + per["staff"]
    return Result(
        facts_met=statistics.fmean(every) if every else 0.0,
        facts_first=statistics.fmean(first) if first else 0.0,
        facts_met_patient=statistics.fmean(per["patient"]) if per["patient"] else None,
        facts_met_staff=statistics.fmean(per["staff"]) if per["staff"] else None,
        fk_median=statistics.median(grades) if grades else None,
        words_patient=statistics.median(words["patient"]) if words["patient"] else None,
        words_staff=statistics.median(words["staff"]) if words["staff"] else None,
        reproduced=sum(answers[r.qid] == r.answer for r in data.records),
        answers=answers,
    )


class _Cached:
    """The embedder stand-in for a replay: every text it is asked for was embedded at capture."""

    def __init__(self, vectors: dict[str, np.ndarray]) -> None:
        self.vectors = vectors
        self.dimension = len(next(iter(vectors.values()))) if vectors else 0

    def encode(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        missing = [t for t in texts if t not in self.vectors]
        if missing:
            raise UserError(
                f"the capture has no vector for {missing[0][:60]!r}: a change that adds candidate "
                "sentences (retrieval, list units) needs a new capture"
            )
        return np.stack([self.vectors[t] for t in texts]) if texts else np.zeros((0, self.dimension))


def _fmt(value: float | None, digits: int = 4) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m evaluation.replay",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    cap = sub.add_parser("capture", help="ask a gold file once and keep what the answerer saw")
    cap.add_argument("gold", type=Path)
    cap.add_argument("--index", type=Path, help="index folder (default: the settings' index)")
    cap.add_argument("--out", type=Path, required=True, help="capture file to write")
    rep = sub.add_parser("run", help="replay a capture with weights changed (NAME=VALUE …)")
    rep.add_argument("capture", type=Path)
    rep.add_argument("changes", nargs="*", help="e.g. W_CHUNK_SELECT=0.4 PATIENT_MAX_SENTENCES=5")
    args = parser.parse_args(argv)
    try:
        if args.command == "capture":
            data = capture(args.gold, args.index)
            save(data, args.out)
            print(f"captured {len(data.records)} answerable items, {len(data.vectors)} vectors → {args.out}")
            return 0
        changes = parse_changes(args.changes)
        data = load(args.capture)
        base = run(data, {})
        changed = run(data, changes) if changes else base
        print(f"{len(data.records)} items from {data.gold} (index {data.index})")
        print(f"{'':26}{'as is':>10}{'changed':>10}")
        rows = [
            ("facts met", base.facts_met, changed.facts_met, 4),
            ("facts in first sentence", base.facts_first, changed.facts_first, 4),
            ("facts met, patient", base.facts_met_patient, changed.facts_met_patient, 4),
            ("facts met, staff", base.facts_met_staff, changed.facts_met_staff, 4),
            ("FK grade, patient median", base.fk_median, changed.fk_median, 1),
            ("words, patient median", base.words_patient, changed.words_patient, 1),
            ("words, staff median", base.words_staff, changed.words_staff, 1),
        ]
        for label, a, b, digits in rows:
            print(f"{label:26}{_fmt(a, digits):>10}{_fmt(b, digits):>10}")
        print(f"answers as captured: {base.reproduced} of {len(data.records)}; changed by the change: "
              f"{sum(base.answers[q] != changed.answers[q] for q in base.answers)}")  # fmt: skip
        return 0
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    # run the imported module's main, so the capture pickles evaluation.replay.Capture, not
    # __main__.Capture (which nothing but another `python -m evaluation.replay` could load)
    from evaluation import replay as _module

    sys.exit(_module.main())
