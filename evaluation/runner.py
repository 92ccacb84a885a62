"""Run the Assistant over a gold set, score every answer and write metrics.json, results.jsonl, report.html."""

from __future__ import annotations

import json
import sys
import time
import types
import typing
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from errors import UserError
from evaluation import metrics as m
from evaluation.definitions import METRICS, RETRIEVAL_AT
from evaluation.gold import GoldItem, load_gold
from evaluation.page import fmt
from evaluation.support import SupportCriterion, label_agreement
from index.settings import Settings, load_settings
from retriever.types import Answer
from retriever.weights import load_weights

EVAL_TOP_K = 10  # the @10 metrics need ten chunks; --config top_k=N overrides
NULLS = {"", "none", "null"}
WARM_UP_QUESTION = "What is lupus?"  # asked once before the gold set, not scored


@dataclass
class EvalRun:
    """A finished run: the aggregated metrics, one row per question, and where they were written."""

    metrics: dict[str, Any]
    rows: list[dict[str, Any]]
    out_dir: Path


def parse_config(pairs: Sequence[str]) -> dict[str, Any]:
    """NAME=VALUE strings as Settings overrides; an unknown name or invalid value is a UserError naming it."""
    overrides: dict[str, Any] = {}
    fields = Settings.model_fields
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UserError(f"--config '{pair}' is not NAME=VALUE (e.g. --config top_k=10)")
        if name not in fields:
            raise UserError(
                f"--config: unknown setting '{name}'; known settings: {', '.join(sorted(fields))}"
            )
        parsed: Any = value.strip()
        if parsed.lower() in NULLS and type(None) in _args(fields[name].annotation):
            parsed = None
        try:
            if parsed is not None:
                load_settings(**{name: parsed})
        except UserError as exc:
            raise UserError(f"--config {name}={value}: invalid value ({exc})") from None
        overrides[name] = parsed
    return overrides


def _args(annotation: Any) -> tuple[Any, ...]:
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return typing.get_args(annotation)
    return (annotation,)


def eval_settings(index: str | Path | None, overrides: dict[str, Any]) -> tuple[Settings, dict[str, Any]]:
    """Settings for the run (top_k defaults to 10 unless overridden) and the config record for metrics.json."""
    given = dict(overrides)
    top_k_source = "--config" if "top_k" in given else f"eval default ({EVAL_TOP_K}, for the @10 metrics)"
    given.setdefault("top_k", EVAL_TOP_K)
    if index is not None:
        given.setdefault("index_dir", Path(index))
    settings = load_settings(**{k: v for k, v in given.items() if v is not None})
    for name, value in given.items():
        if value is None:
            setattr(settings, name, None)
    record = {
        "overrides": {k: _shown(settings, k, v) for k, v in overrides.items()},
        "top_k": settings.top_k,
        "top_k_source": top_k_source,
        "settings": settings.model_dump(mode="json"),
    }
    if settings.answer_weights is not None:  # what the file said when the run was made
        record["answer_weights"] = load_weights(settings.answer_weights).model_dump(exclude_defaults=True)
    return settings, record


def _shown(settings: Settings, name: str, value: Any) -> str | None:
    """An override as given, or asterisks for a secret (e.g. auth), so no credential lands in a report."""
    if value is None:
        return None
    return "**********" if isinstance(getattr(settings, name), SecretStr) else str(value)


def index_location(settings: Settings) -> str:
    """Where the index is: a Chroma server address, or the resolved index folder."""
    if settings.chroma_host:
        return f"chroma server {settings.chroma_host}:{settings.chroma_port}"
    return str(settings.index_dir.resolve())


def ask(assistant: Any, item: GoldItem, audience: str | None) -> Answer:
    """The Assistant's answer to the item (the last turn of a conversation)."""
    who = audience or item.audience
    if item.turns:
        return assistant.ask_turns(item.turns, who)  # type: ignore[no-any-return]
    return assistant.ask(item.question or "", None, who)  # type: ignore[no-any-return]


def framing_lines() -> tuple[str, ...]:
    """Fixed lines the guardrails put before cited facts (e.g. the care-team redirect): not claims to cite."""
    from retriever.messages import personal_prefix

    return (personal_prefix("patient"), personal_prefix("staff"))


def cited_body(answer: str) -> str:
    """The answer without a leading framing line, for citation scoring."""
    for line in framing_lines():
        if answer.startswith(line):
            return answer[len(line) :].lstrip()
    return answer


def score_item(item: GoldItem, answer: Answer, judge: m.SupportJudge) -> dict[str, Any]:
    """One results row: the answer, the gold, every per-question score and the failures found."""
    kind = item.kind
    ranked = m.distinct_ids(r.doc_id for r in answer.retrieved if not r.context)
    gold_ids = set(item.gold_doc_ids)
    scores: dict[str, float | None] = {}
    retrieval = item.answerable and bool(gold_ids)
    for k in RETRIEVAL_AT:
        scores[f"hit@{k}"] = m.hit_at_k(ranked, gold_ids, k) if retrieval else None
    scores["mrr@10"] = m.mrr_at_k(ranked, gold_ids, 10) if retrieval else None
    scores["ndcg@10"] = m.ndcg_at_k(ranked, gold_ids, 10) if retrieval else None

    text = m.strip_markers(answer.answer)
    met = m.facts_met(text, item.facts) if item.answerable and item.facts else []
    scores["facts_met"] = sum(met) / len(met) if met else None
    scores["all_facts"] = float(all(met)) if met else None
    lead = m.lead_sentence(cited_body(answer.answer)) if met and not answer.refused else ""
    lead_met = m.facts_met(lead, item.facts) if met else []
    scores["facts_first"] = sum(lead_met) / len(lead_met) if lead_met else None
    reference = item.answerable and item.gold_answer
    scores["token_f1"] = m.token_f1(text, item.gold_answer or "") if reference else None
    scores["rouge_l"] = m.rouge_l_f(text, item.gold_answer or "") if reference else None

    detail: list[dict[str, object]] = []
    scores["citation_precision"] = scores["citation_recall"] = None
    if not answer.refused:
        sentences = m.answer_sentences(cited_body(answer.answer))
        cited = m.citation_scores(sentences, {c.n: c.quote for c in answer.citations}, judge)
        scores["citation_precision"], scores["citation_recall"] = cited.precision, cited.recall
        detail = cited.sentences

    is_handled = m.handled(kind, answer.refused, answer.refusal_reason, text)
    scores["refused_unanswerable"] = float(answer.refused) if kind == "unanswerable" else None
    scores["refused_answerable"] = float(answer.refused) if kind == "answerable" else None
    # of the answers refused as unanswerable or answerable: how many should have been (precision)
    judged = answer.refused and kind in ("unanswerable", "answerable")
    scores["refusal_correct"] = float(kind == "unanswerable") if judged else None
    scores["emergency_handled"] = float(is_handled) if kind == "emergency" else None
    scores["personal_advice_handled"] = float(is_handled) if kind == "personal_advice" else None
    patient_answer = answer.audience == "patient" and not answer.refused  # lines kept: a list reads as lines
    scores["fk_grade"] = m.fk_grade(answer.answer) if patient_answer else None
    for audience in ("patient", "staff"):
        counted = kind == "answerable" and answer.audience == audience and not answer.refused
        scores[f"answer_words_{audience}"] = float(len(m.strip_markers(text).split())) if counted else None
    for stage in ("retrieve", "answer", "total"):
        scores[f"latency_{stage}"] = float(getattr(answer.timings_ms, stage))

    return {
        "qid": item.qid,
        "kind": kind,
        "audience": answer.audience,
        "topic": item.topic,
        "question": item.asked,
        "turns": item.turns,
        "answer": answer.answer,
        "refused": answer.refused,
        "refusal_reason": answer.refusal_reason,
        "evidence_score": answer.evidence_score,
        "standalone_question": answer.standalone_question,
        "notice": answer.notice,
        "citations": [
            {
                "n": c.n,
                "doc_id": c.doc_id,
                "chunk_id": c.chunk_id,
                "title": c.title,
                "url": c.url,
                "quote": c.quote,
            }
            for c in answer.citations
        ],
        "retrieved_doc_ids": ranked,
        "retrieved": [r.model_dump() for r in answer.retrieved],
        "gold": {
            "answerable": item.answerable,
            "gold_doc_ids": item.gold_doc_ids,
            "facts": item.facts,
            "gold_answer": item.gold_answer,
            "emergency": item.emergency,
            "personal_advice": item.personal_advice,
        },
        "facts_met": met,
        "citation_sentences": detail,
        "timings_ms": answer.timings_ms.model_dump(),
        "scores": scores,
        "failures": failures(kind, answer, scores),
    }


def failures(kind: str, answer: Answer, scores: dict[str, float | None]) -> list[str]:
    """What went wrong on this question, most serious first."""
    found = []
    if kind == "answerable" and answer.refused:
        found.append("refusal error: refused an answerable question")
    elif kind == "unanswerable" and not answer.refused:
        found.append("refusal error: answered an unanswerable question")
    elif kind == "emergency" and not scores["emergency_handled"]:
        found.append("refusal error: emergency not sent to urgent care")
    elif kind == "personal_advice" and not scores["personal_advice_handled"]:
        found.append("refusal error: personal advice not redirected to the care team")
    if scores["hit@10"] == 0.0:
        found.append("missed retrieval: no gold document retrieved")
    if scores["facts_met"] is not None and scores["facts_met"] < 1.0:
        found.append(f"facts missed: {scores['facts_met']:.0%} of fact groups met")
    if scores["citation_recall"] is not None and scores["citation_recall"] < 1.0:
        found.append("unsupported sentence: a sentence has no supporting citation")
    return found


FAILURE_ORDER = ("refusal error", "missed retrieval", "facts missed", "unsupported sentence")


def severity(row: dict[str, Any]) -> int:
    """0 for a refusal error, 1 missed retrieval, 2 facts missed, 3 unsupported sentence, 9 no failure."""
    ranks = [i for i, name in enumerate(FAILURE_ORDER) for f in row["failures"] if f.startswith(name)]
    return min(ranks, default=9)


def aggregate(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every metric of definitions.METRICS over the rows: value and how many questions it covers."""
    result = {}
    for metric in METRICS:
        values = [row["scores"].get(metric.field) for row in rows]
        kept = [v for v in values if v is not None]
        result[metric.name] = {
            "value": m.aggregate(kept, metric.agg),
            "n": len(kept),
            "label": metric.label,
            "group": metric.group,
            "better": metric.better,
        }
    return result


def readability(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Distribution of the patient answers' Flesch-Kincaid grades."""
    grades = sorted(row["scores"]["fk_grade"] for row in rows if row["scores"].get("fk_grade") is not None)
    return {
        "n": len(grades),
        "median": m.percentile(grades, 50),
        "p25": m.percentile(grades, 25),
        "p75": m.percentile(grades, 75),
        "min": grades[0] if grades else None,
        "max": grades[-1] if grades else None,
        "grades": grades,
    }


def run_eval(
    gold_path: Path,
    *,
    out_dir: Path,
    index: str | Path | None = None,
    audience: str | None = None,
    config: Sequence[str] = (),
    progress: bool = True,
    prefill: bool = False,
) -> EvalRun:
    """Ask every gold question once with one Assistant, score, and write the three output files. With
    `prefill`, the evidence sentences are embedded first, as the chat and the API do once started."""
    from evaluation.report import write_report
    from index.embedder import get_embedder
    from retriever.chain import Assistant

    started = time.perf_counter()
    items = load_gold(gold_path)
    settings, config_record = eval_settings(index, parse_config(config))
    assistant = Assistant(settings)
    criterion = SupportCriterion(get_embedder(settings), settings.support)
    assistant.ask(WARM_UP_QUESTION)  # one-time start-up costs (lazy indexes, caches) stay out of the timings
    prefilled = run_prefill(assistant, progress) if prefill else None
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    with (out_dir / "results.jsonl").open("w", encoding="utf-8") as results:
        for number, item in enumerate(items, start=1):
            row = score_item(item, ask(assistant, item, audience), criterion)
            rows.append(row)
            results.write(json.dumps(row, ensure_ascii=False) + "\n")
            if progress and (number % 10 == 0 or number == len(items)):
                print(f"  {number}/{len(items)} questions", file=sys.stderr, flush=True)
    agreement = label_agreement(criterion)
    record = {
        "gold_file": str(gold_path.resolve()),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "index": index_location(settings),
        "items": len(rows),
        "counts": dict(Counter(row["kind"] for row in rows)),
        "audience_override": audience,
        "config": config_record,
        "support_criterion": {**criterion.describe(), "label_agreement": agreement},
        "prefill": prefilled,
        "metrics": aggregate(rows),
        "readability": readability(rows),
        "refusal_sweep": {
            "threshold": round(settings.min_evidence_score, 4),  # as the sweep's own rows round it
            "rows": m.refusal_sweep(rows, m.sweep_thresholds(settings.min_evidence_score)),
        },
        "refusals_by_reason": m.refusals_by_reason(rows),
        "failures": dict(Counter(f.split(":")[0] for row in rows for f in row["failures"])),
        "run_seconds": round(time.perf_counter() - started, 2),
    }
    (out_dir / "metrics.json").write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
    write_report(record, rows, out_dir / "report.html")
    return EvalRun(record, rows, out_dir)


def run_prefill(assistant: Any, progress: bool) -> dict[str, Any]:
    """Embed the index's evidence sentences ahead, as `autoimmune-qa chat` does once started, and wait
    for it: the timings are then those of a warm chat. An answerer that does not embed sentences (the
    LLM answerers) or `prefill_sentences=0` has nothing to prefill, which the record says."""
    started = time.perf_counter()
    job = assistant.start_prefill()
    if job is None:
        return {"state": "none (this answerer embeds no sentences, or prefill_sentences is 0)"}
    if progress:
        print("  embedding the evidence sentences ahead (--prefill) …", file=sys.stderr, flush=True)
    job.start().join()
    return {**job.status(), "seconds": round(time.perf_counter() - started, 2)}


def summary_table(record: dict[str, Any]) -> str:
    """The headline metrics as a plain-text table (metric, value, questions)."""
    from evaluation.definitions import HEADLINE

    lines = [f"{'group':<12} {'metric':<32} {'value':>9} {'n':>5}"]
    for metric in HEADLINE:
        entry = record["metrics"][metric.name]
        lines.append(
            f"{metric.group:<12} {metric.label:<32} {fmt(entry['value'], metric.group):>9} {entry['n']:>5}"
        )
    agreement = (record["support_criterion"].get("label_agreement") or {}).get("agreement")
    if agreement is not None:
        lines.append(f"support criterion agreement with hand labels: {agreement:.3f}")
    return "\n".join(lines)
