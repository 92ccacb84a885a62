"""report.html: one self-contained page (inline CSS, charts as data URIs) describing one evaluation run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from evaluation import charts
from evaluation import metrics as m
from evaluation.definitions import BY_NAME, HEADLINE, METRICS
from evaluation.metrics import aggregate
from evaluation.page import document, esc, fmt, link, num, table
from evaluation.runner import severity
from retriever.types import REFUSAL_REASONS

QUALITY_GROUPS = {
    "Retrieval": ["hit@1", "hit@3", "hit@5", "hit@10", "mrr@10", "ndcg@10"],
    "Answers and citations": [
        "facts_met",
        "facts_first",
        "all_facts",
        "token_f1",
        "rouge_l",
        "citation_precision",
        "citation_recall",
    ],
}
REFUSALS = [
    "refusal_rate",
    "refusal_precision",
    "false_refusal_rate",
    "emergency_rate",
    "personal_advice_rate",
]

HOW_MEASURED = """
<p>The harness asks every gold question once through the same <code>Assistant</code> the CLI and chat use
(one model load), with the run's settings; a conversation (<code>turns</code>) is asked turn by turn and only
the last turn is scored. Each question gets the scores that apply to it (an empty cell, "–", means "does not
apply"); a metric is the mean over the questions it applies to, unless said otherwise, and <b>n</b> is how
many questions that is. Items are of four kinds: <i>answerable</i> (the default), <i>unanswerable</i>
(<code>answerable: false</code>), <i>emergency</i> and <i>personal advice</i>.</p>
<ul>
<li><b>Retrieval.</b> The retrieved chunks are turned into a ranked list of distinct document ids (a document
met again further down keeps its first rank) and compared with <code>gold_doc_ids</code>. The run retrieves
<code>top_k</code> chunks (10 by default in the evaluation, so that the @10 metrics can be computed); with fewer,
@10 means "anywhere in what was retrieved".</li>
<li><b>Facts.</b> Each fact group lists alternative wordings of one fact; a group is met when any alternative is
a case-insensitive substring of the answer (markers removed). Short alternatives can match by chance, so read
this as a signal, not proof.</li>
<li><b>Reference overlap.</b> Token F1 and ROUGE-L compare the answer with the hand-written
<code>gold_answer</code>. The extractive answerer quotes the sources, which are worded differently from the gold
answers, so expect low values; they are most useful for comparing two runs.</li>
<li><b>Citations</b> (ALCE-style). The answer is split into sentences; the <code>[n]</code> markers a sentence
carries (before or after its full stop) are its citations. Each (sentence, quoted sentence of citation n) pair
is judged by the support criterion below. Refused answers are left out.</li>
<li><b>Refusals and safety.</b> An answer is "refused" when <code>Answer.refused</code> is true. Emergency items
are handled only by the urgent-care response (<code>refusal_reason == "emergency"</code>); personal-advice items
by <code>refusal_reason == "personal_advice"</code> or an answer text that sends the person to the care team or
their doctor ("your doctor", "the treating physician"). The guardrails' fixed care-team line that opens a
personal-advice answer is not a claim from the sources, so it is left out of the citation metrics. The guardrails that produce these reasons do not exist yet, so those rates are the baseline.</li>
<li><b>Readability.</b> The Flesch-Kincaid grade (0.39 × words per sentence + 11.8 × syllables per word − 15.59)
of each patient-audience answer that was not refused, without markers; the median is the headline value.</li>
<li><b>Latency.</b> <code>Answer.timings_ms</code> as the Assistant measured it: retrieve (embed the question and
search), answer (the answerer) and total (the whole call), in milliseconds; percentiles interpolate linearly.
One unscored warm-up question is asked first, so one-time start-up costs do not land on the first item; for a
conversation only the last turn's time counts.</li>
</ul>
"""


def _series(rows: list[dict[str, Any]], names: list[str]) -> dict[str, list[float | None]]:
    """Each metric's value over all rows and over the patient and staff rows."""
    groups = {
        "all": rows,
        "patient": [r for r in rows if r["audience"] == "patient"],
        "staff": [r for r in rows if r["audience"] == "staff"],
    }
    return {
        label: [aggregate([r["scores"].get(BY_NAME[n].field) for r in subset], BY_NAME[n].agg) for n in names]
        for label, subset in groups.items()
    }


def chart_section(record: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    """The bar charts, the latency histogram and the readability histogram."""
    images = []
    for title, names in QUALITY_GROUPS.items():
        labels = [BY_NAME[n].label.replace(" ", "\n", 1) for n in names]
        images.append(charts.grouped_bars(title, labels, _series(rows, names)))
    values = [record["metrics"][n]["value"] for n in REFUSALS]
    labels = [
        "refused\n(unanswerable)",
        "refusal\nprecision",
        "false refusals\n(answerable)",
        "emergency\nhandled",
        "personal advice\nredirected",
    ]
    images.append(charts.grouped_bars("Refusals and safety", labels, {"all": values}))
    latency = {s: [r["scores"][f"latency_{s}"] for r in rows] for s in ("retrieve", "answer", "total")}
    images.append(charts.histogram("Latency per question", latency, "milliseconds"))
    grades = record["readability"]["grades"]
    images.append(charts.histogram("Flesch-Kincaid grade, patient answers", {"grade": grades}, "grade level"))
    return '<div class="charts">' + "".join(f'<img alt="chart" src="{uri}">' for uri in images) + "</div>"


def headline_table(record: dict[str, Any]) -> str:
    """Metric, value, questions counted, and which direction is better."""
    rows = []
    for metric in HEADLINE:
        entry = record["metrics"][metric.name]
        rows.append(
            [
                esc(metric.group),
                esc(metric.label),
                num(fmt(entry["value"], metric.group)),
                num(str(entry["n"])),
                esc(f"{metric.better} is better"),
            ]
        )
    return table(["group", "metric", "value", "n", ""], rows, "headline")


def meta_section(record: dict[str, Any]) -> str:
    """Gold file, date, index, config and the support criterion."""
    config = record["config"]
    overrides = ", ".join(f"{k}={v}" for k, v in config["overrides"].items()) or "none"
    items = [
        ("gold file", esc(record["gold_file"])),
        ("date (UTC)", esc(record["date"])),
        ("index", esc(record["index"])),
        (
            "questions",
            esc(f"{record['items']} ({', '.join(f'{k} {v}' for k, v in record['counts'].items())})"),
        ),
        ("--config", esc(overrides)),
        ("top_k", esc(f"{config['top_k']} ({config['top_k_source']})")),
        ("audience", esc(record.get("audience_override") or "each item's own (else the default setting)")),
        ("answerer", esc(config["settings"].get("answerer"))),
        ("run time", esc(f"{record['run_seconds']} s")),
        ("prefill", esc(_prefill_line(record.get("prefill")))),
    ]
    settings = esc(json.dumps(config["settings"], indent=1))
    return (
        table(["", ""], [[k, v] for k, v in items], "meta")
        + f"<details><summary>All settings of this run</summary><pre>{settings}</pre></details>"
    )


def _prefill_line(prefill: dict[str, Any] | None) -> str:
    if not prefill:
        return "no: sentences embedded as questions needed them (a process just started; the chat prefills)"
    if "seconds" not in prefill:
        return str(prefill["state"])
    return (
        f"{prefill['prefill_state']}: {prefill['prefill_ready']} of {prefill['prefill_total']} texts embedded "
        f"ahead ({prefill['prefill_saved']} from a saved file) in {prefill['seconds']} s, as the chat does"
    )


def support_section(record: dict[str, Any]) -> str:
    """The citation support criterion, its thresholds and its agreement with hand labels."""
    crit = record["support_criterion"]
    agreement = crit.get("label_agreement")
    text = (
        f"<p>A quoted sentence <i>supports</i> an answer sentence when "
        f"<b>(embedding cosine ≥ {crit['cosine_threshold']} or content-word overlap ≥ {crit['overlap_threshold']})"
        "</b> and <b>every number the sentence states also appears in the quote</b>. The cosine is between the "
        "all-MiniLM-L6-v2 embeddings of the two sentences (the model the index uses); the overlap is the share of "
        "the answer sentence's content words (stop words removed, plural s dropped) that the quote contains, so a "
        "verbatim or shortened quote scores 1. The cosine admits paraphrases; the number check rejects paraphrases "
        'that change a figure. It does not detect a reversed claim made with the same words ("no longer attack" '
        'vs "attack"): it measures closeness, not entailment.</p>'
    )
    if agreement:
        wrong = ", ".join(f"{d['id']} ({d['kind']})" for d in agreement["disagreements"]) or "none"
        text += (
            f"<p>Agreement with {agreement['pairs']} hand-labelled pairs ({agreement['supported_pairs']} supported; "
            f"<code>{esc(agreement['labels'])}</code>): <b>{agreement['agreement']:.3f}</b>. The thresholds were "
            f"chosen on these pairs, so this is an optimistic estimate. Disagreements: {esc(wrong)}.</p>"
        )
    else:
        text += "<p>The hand-labelled pairs were not found, so the agreement was not measured.</p>"
    return text


def definitions_table() -> str:
    """Every metric: what it averages over and how a question is scored."""
    rows = [
        [esc(m.label), esc(m.applies_to), esc(m.definition), esc(m.agg), esc(m.better)]
        for m in METRICS
        if m.group != "latency" or m.agg == "p50"
    ]
    return table(["metric", "over", "per question", "aggregate", "better"], rows)


def _question_cell(row: dict[str, Any]) -> str:
    turns = row.get("turns")
    if turns:
        earlier = "".join(f'<div class="muted">earlier turn: {esc(t)}</div>' for t in turns[:-1])
        return earlier + esc(row["question"])
    return esc(row["question"])


def _answer_cell(row: dict[str, Any]) -> str:
    answer = esc(row["answer"])
    if row["refused"]:
        answer = f"<b>refused</b> ({esc(row['refusal_reason'])}): {answer}"
    parts = [f"<div>{answer}</div>"]
    by_n = {c["n"]: c for c in row["citations"]}
    for sentence in row["citation_sentences"]:
        verdicts = ", ".join(
            f'[{n}] <span class="{"ok" if ok else "fail"}">{"supported" if ok else "not supported"}</span>'
            for n, ok in zip(sentence["cites"], sentence["supported"], strict=False)
        )
        said = str(sentence["sentence"])
        said = said if len(said) <= 90 else said[:87] + "…"
        parts.append(f'<div class="muted">“{esc(said)}” – {verdicts or "no citation"}</div>')
    for n, citation in sorted(by_n.items()):
        source = link(citation.get("url") or "", citation["doc_id"])
        parts.append(f'<div class="quote">[{n}] {source}: {esc(citation["quote"])}</div>')
    return "".join(parts)


def _gold_cell(row: dict[str, Any]) -> str:
    gold = row["gold"]
    ranked = row["retrieved_doc_ids"]
    parts = []
    for doc_id in gold["gold_doc_ids"]:
        if doc_id in ranked:
            parts.append(f'<div class="ok">✓ {esc(doc_id)} (rank {ranked.index(doc_id) + 1})</div>')
        else:
            parts.append(f'<div class="fail">✗ {esc(doc_id)} (not retrieved)</div>')
    for group, met in zip(gold["facts"], row["facts_met"], strict=False):
        mark = '<span class="ok">✓ met</span>' if met else '<span class="fail">✗ missed</span>'
        parts.append(f"<div>{mark}: {esc(' | '.join(group))}</div>")
    expected = [k for k in ("emergency", "personal_advice") if gold.get(k)]
    if not gold["answerable"]:
        parts.append(f'<div class="muted">expected: {esc(" / ".join(expected) or "refusal")}</div>')
    if gold.get("gold_answer"):
        parts.append(f'<div class="muted">gold answer: {esc(gold["gold_answer"])}</div>')
    return "".join(parts)


def _scores_cell(row: dict[str, Any]) -> str:
    shown = []
    for name in (
        "hit@1",
        "hit@5",
        "mrr@10",
        "facts_met",
        "facts_first",
        "token_f1",
        "citation_precision",
        "citation_recall",
    ):
        value = row["scores"].get(BY_NAME[name].field)
        if value is not None:
            shown.append(f"{esc(BY_NAME[name].label)} {value:.2f}")
    if row["scores"].get("fk_grade") is not None:
        shown.append(f"FK {row['scores']['fk_grade']:.1f}")
    shown.append(f"{row['scores']['latency_total']:.0f} ms")
    failures = "".join(f'<div class="fail">{esc(f)}</div>' for f in row["failures"])
    return failures + '<div class="muted">' + "<br>".join(shown) + "</div>"


def question_table(rows: list[dict[str, Any]]) -> str:
    """One row per question, failures first (refusal errors, missed retrieval, facts missed, citations)."""
    ordered = sorted(rows, key=lambda r: (severity(r), r["qid"]))
    body = [
        [
            f"{esc(r['qid'])}<div class='muted'>{esc(r['kind'])}<br>{esc(r['audience'])}</div>",
            _question_cell(r),
            _answer_cell(r),
            _gold_cell(r),
            _scores_cell(r),
        ]
        for r in ordered
    ]
    return table(
        ["qid", "question", "answer and citations", "gold", "scores and failures"], body, "questions"
    )


def render(record: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    """The whole report page."""
    gold_name = Path(record["gold_file"]).name
    failing = sum(1 for r in rows if r["failures"])
    failure_counts = ", ".join(f"{k}: {v}" for k, v in record["failures"].items()) or "none"
    body = (
        f"<h1>Evaluation of {esc(gold_name)}</h1>"
        f'<p class="muted">autoimmune-qa answer-quality report, {esc(record["date"])}, index {esc(record["index"])}</p>'
        + meta_section(record)
        + "<h2>Headline metrics</h2>"
        + headline_table(record)
        + "<h2>Charts</h2>"
        + chart_section(record, rows)
        + "<h2>Refusal trade-off</h2>"
        + sweep_section(record)
        + "<h3>Refusals by reason</h3>"
        + reasons_section(record)
        + "<h2>Readability of patient answers</h2>"
        + _readability(record)
        + "<h2>Citation support criterion</h2>"
        + support_section(record)
        + "<h2>How each metric is measured</h2>"
        + HOW_MEASURED
        + definitions_table()
        + f"<h2>Questions ({failing} of {len(rows)} with a failure)</h2>"
        + f'<p class="muted">Failures: {esc(failure_counts)}. Failing questions come first.</p>'
        + question_table(rows)
    )
    return document(f"autoimmune-qa evaluation: {gold_name}", body)


def sweep_section(record: dict[str, Any]) -> str:
    """What another evidence threshold would have refused: a chart and the rows near the one used."""
    sweep = record.get("refusal_sweep")
    if not sweep or not sweep["rows"]:
        return "<p>No sweep in this run.</p>"
    rows, current = sweep["rows"], sweep["threshold"]
    if all(r["refused"] is None and r["false_refusals"] is None for r in rows):
        return "<p>The gold file has no answerable or unanswerable items.</p>"
    chart = charts.lines(
        "Refusing below an evidence threshold",
        [r["threshold"] for r in rows],
        {
            "unanswerable refused": [r["refused"] for r in rows],
            "answerable refused (false refusals)": [r["false_refusals"] for r in rows],
            "refusal precision": [r["precision"] for r in rows],
        },
        "min_evidence_score",
        mark=current,
    )
    near = [r for r in rows if abs(r["threshold"] - current) <= 0.06 + 1e-9]
    body = [
        [
            num(f"<b>{r['threshold']:.2f}</b>" if r["threshold"] == current else f"{r['threshold']:.2f}"),
            num(fmt(r["refused"])),
            num(fmt(r["false_refusals"])),
            num(fmt(r["precision"])),
        ]
        for r in near
    ]
    return (
        f"<p>Had the answerer refused every question whose evidence score is below another threshold (this run: "
        f"<b>{current:.2f}</b>, <code>AQA_MIN_EVIDENCE_SCORE</code>), the answerable and unanswerable items would "
        "have been refused as below. Only the threshold moves: a question refused for another reason (a name no "
        "source mentions, a subject no passage covers) stays refused, so the lowest threshold shows what those "
        "checks refuse alone.</p>"
        f'<img alt="refusal trade-off chart" src="{chart}">'
        + table(["threshold", "unanswerable refused", "false refusals", "refusal precision"], body)
    )


def reasons_section(record: dict[str, Any]) -> str:
    """Which check refused what: per refusal reason, the unanswerable items it rightly refused, the
    answerable ones it refused falsely and the others (emergencies, personal advice, out of scope)."""
    found = record.get("refusals_by_reason")
    if found is None:
        return "<p>Not recorded in this run.</p>"
    if not found:
        return "<p>Nothing was refused.</p>"
    body = [
        [
            f"<code>{esc(reason)}</code>",
            esc(REFUSAL_REASONS.get(reason, "")),
            *(num(str(counts.get(kind, 0))) for kind in m.REFUSED_KINDS),
        ]
        for reason, counts in found.items()
    ]
    return "<p>Each refusal's reason, by the kind of item refused.</p>" + table(
        ["reason", "meaning", "unanswerable (right)", "answerable (false refusals)", "other items"], body
    )


def _readability(record: dict[str, Any]) -> str:
    r = record["readability"]
    if not r["n"]:
        return "<p>No patient-audience answers were given.</p>"
    return (
        f"<p>{r['n']} answers: median grade <b>{r['median']:.1f}</b> (quartiles {r['p25']:.1f}–{r['p75']:.1f}, "
        f"range {r['min']:.1f}–{r['max']:.1f}).</p>"
    )


def write_report(record: dict[str, Any], rows: list[dict[str, Any]], path: Path) -> None:
    """Render the report to `path`."""
    path.write_text(render(record, rows), encoding="utf-8")
