"""Every reported metric in one table: name, per-question field, aggregation, direction and definition."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MetricDef:
    """One aggregated metric over a per-question score field."""

    name: str
    label: str
    group: str
    field: str  # key in a results row's "scores"; None values are left out
    agg: str = "mean"  # mean | median | p50 | p95 | max
    better: str = "higher"  # higher | lower
    headline: bool = True
    verdict: bool = True  # counts towards a question's win or loss in eval-compare
    applies_to: str = ""
    definition: str = ""


RETRIEVAL_AT = (1, 3, 5, 10)
_RETRIEVAL_ITEMS = "answerable items with gold_doc_ids"

METRICS: tuple[MetricDef, ...] = (
    *(
        MetricDef(
            f"hit@{k}",
            f"hit@{k}",
            "retrieval",
            f"hit@{k}",
            applies_to=_RETRIEVAL_ITEMS,
            definition=f"1 when a gold document is among the first {k} distinct documents retrieved, else 0.",
        )
        for k in RETRIEVAL_AT
    ),
    MetricDef(
        "mrr@10",
        "MRR@10",
        "retrieval",
        "mrr@10",
        applies_to=_RETRIEVAL_ITEMS,
        definition="1 / rank of the first gold document among the first 10 distinct documents (0 when none).",
    ),
    MetricDef(
        "ndcg@10",
        "nDCG@10",
        "retrieval",
        "ndcg@10",
        applies_to=_RETRIEVAL_ITEMS,
        definition="Binary-relevance nDCG: sum of 1/log2(rank+1) over gold documents in the first 10, divided "
        "by the same sum with every gold document ranked first. Rewards finding all of several gold ids.",
    ),
    MetricDef(
        "facts_met",
        "facts met",
        "facts",
        "facts_met",
        applies_to="answerable items with facts",
        definition="Share of the item's fact groups met; a group is met when any of its alternative strings "
        "occurs in the answer (case-insensitive substring).",
    ),
    MetricDef(
        "all_facts",
        "all facts met",
        "facts",
        "all_facts",
        applies_to="answerable items with facts",
        definition="1 when every fact group is met, else 0.",
    ),
    MetricDef(
        "facts_first",
        "facts in the first sentence",
        "facts",
        "facts_first",
        applies_to="answerable items with facts",
        definition="Share of the item's fact groups met by the answer's first statement alone (the first "
        "sentence, or a quoted list with its lead-in; a care-team line before it is skipped). A refused "
        "answer scores 0. Does the answer lead with what was asked?",
    ),
    MetricDef(
        "token_f1",
        "token F1",
        "reference",
        "token_f1",
        applies_to="answerable items with a gold_answer",
        definition="SQuAD-style token F1 between answer (markers removed) and gold_answer, after lower-casing "
        "and removing punctuation and a/an/the.",
    ),
    MetricDef(
        "rouge_l",
        "ROUGE-L F",
        "reference",
        "rouge_l",
        applies_to="answerable items with a gold_answer",
        definition="F1 of the longest common subsequence of answer and gold_answer tokens (same normalisation "
        "as token F1): LCS/len(answer) is precision, LCS/len(gold) recall.",
    ),
    MetricDef(
        "citation_precision",
        "citation precision",
        "citations",
        "citation_precision",
        applies_to="answers that were not refused",
        definition="Share of [n] markers whose cited quote supports the sentence carrying the marker "
        "(a marker with no matching citation counts as unsupported; an answer with no markers scores 0). "
        "The guardrails' fixed care-team line before general facts is not scored.",
    ),
    MetricDef(
        "citation_recall",
        "citation recall",
        "citations",
        "citation_recall",
        applies_to="answers that were not refused",
        definition="Share of answer sentences with at least one supporting citation.",
    ),
    MetricDef(
        "refusal_rate",
        "refusal rate (unanswerable)",
        "refusals",
        "refused_unanswerable",
        applies_to="unanswerable items (not emergency or personal advice)",
        definition="Share refused (Answer.refused). Should be 1.",
    ),
    MetricDef(
        "false_refusal_rate",
        "false-refusal rate (answerable)",
        "refusals",
        "refused_answerable",
        better="lower",
        applies_to="answerable items",
        definition="Share refused although the sources answer them. Should be 0.",
    ),
    MetricDef(
        "refusal_precision",
        "refusal precision",
        "refusals",
        "refusal_correct",
        applies_to="refused answerable and unanswerable items",
        definition="Share of refusals that were right: refused unanswerable items / all refused answerable and "
        "unanswerable items. With the refusal rate (its recall) it shows the trade-off: refusing more "
        "catches more unanswerable questions and, past a point, refuses answerable ones.",
    ),
    MetricDef(
        "emergency_rate",
        "emergency handled",
        "refusals",
        "emergency_handled",
        applies_to="emergency items",
        definition='Share answered with the urgent-care message (refusal_reason == "emergency").',
    ),
    MetricDef(
        "personal_advice_rate",
        "personal advice redirected",
        "refusals",
        "personal_advice_handled",
        applies_to="personal-advice items",
        definition='Share redirected: refusal_reason == "personal_advice", or the answer text itself names the '
        '"care team" or "your" / "the treating" doctor, physician, rheumatologist, nurse or health care '
        "provider (the fixed patient notice is not counted).",
    ),
    MetricDef(
        "fk_grade_median",
        "FK grade (median)",
        "readability",
        "fk_grade",
        agg="median",
        better="lower",
        verdict=False,
        applies_to="patient-audience answers that were not refused",
        definition="Flesch-Kincaid grade level of the answer text without [n] markers (textstat; syllables "
        "from the Pyphen en_US hyphenation dictionary; each line read as a sentence, so a list's items "
        "count as short sentences). About 6-8 suits patient material.",
    ),
    *(
        MetricDef(
            f"answer_words_{audience}",
            f"answer words, {audience} (median)",
            "readability",
            f"answer_words_{audience}",
            agg="median",
            better="lower",
            verdict=False,
            applies_to=f"answered {audience}-audience answerable items",
            definition="Words in the answer text without [n] markers, the notice and the explanations: "
            "read it beside facts met, which a longer answer meets more easily.",
        )
        for audience in ("patient", "staff")
    ),
    *(
        MetricDef(
            f"latency_{stage}_{agg}",
            f"{stage} ms {agg}",
            "latency",
            f"latency_{stage}",
            agg=agg,
            better="lower",
            headline=stage == "total" and agg != "max",
            verdict=False,
            applies_to="every item (the last turn of a conversation)",
            definition=f"{agg} of Answer.timings_ms.{stage} over the items, in milliseconds.",
        )
        for stage in ("retrieve", "answer", "total")
        for agg in ("p50", "p95", "max")
    ),
)

BY_NAME = {m.name: m for m in METRICS}
HEADLINE = tuple(m for m in METRICS if m.headline)
