"""A/B comparison of two eval runs: paired per-question deltas, wins and losses, sign test and bootstrap."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from errors import UserError
from evaluation import metrics as m
from evaluation.definitions import HEADLINE, MetricDef
from evaluation.page import document, esc, fmt, num, table

BOOTSTRAP_RESAMPLES = 10_000
BOOTSTRAP_SEED = 0


def load_run(run_dir: Path) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """A run folder's metrics.json and its results.jsonl rows by qid."""
    metrics_path, results_path = run_dir / "metrics.json", run_dir / "results.jsonl"
    for path in (metrics_path, results_path):
        if not path.is_file():
            raise UserError(f"'{path}' not found; give a folder written by `autoimmune-qa eval --out DIR`")
    try:
        record = json.loads(metrics_path.read_text(encoding="utf-8"))
        rows = [
            json.loads(line) for line in results_path.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read the run in '{run_dir}': {exc}") from None
    return record, {row["qid"]: row for row in rows}


def _oriented(metric: MetricDef, a: float, b: float) -> int:
    """+1 when B is better than A on this metric, -1 when worse, 0 when equal."""
    if a == b:
        return 0
    return 1 if (b > a) == (metric.better == "higher") else -1


def compare_metric(
    metric: MetricDef, rows_a: dict[str, Any], rows_b: dict[str, Any], common: list[str]
) -> dict[str, Any]:
    """Paired statistics of one metric over the questions both runs scored."""
    pairs = [(rows_a[q]["scores"].get(metric.field), rows_b[q]["scores"].get(metric.field)) for q in common]
    kept = [(a, b) for a, b in pairs if a is not None and b is not None]
    a_values, b_values = [a for a, _ in kept], [b for _, b in kept]
    sign = -1.0 if metric.better == "lower" else 1.0  # sign test counts B's wins in the better direction
    test = m.sign_test([sign * v for v in a_values], [sign * v for v in b_values])
    statistic = "mean" if metric.agg == "max" else metric.agg  # a maximum is too unstable to bootstrap
    boot = m.paired_bootstrap(a_values, b_values, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, statistic)
    return {
        "name": metric.name,
        "label": metric.label,
        "group": metric.group,
        "better": metric.better,
        "n_paired": len(kept),
        "a": m.aggregate(a_values, metric.agg),
        "b": m.aggregate(b_values, metric.agg),
        "b_wins": test["wins"],
        "b_losses": test["losses"],
        "ties": test["ties"],
        "sign_test_p": test["p_value"],
        "bootstrap": boot,
    }


def question_changes(
    rows_a: dict[str, Any], rows_b: dict[str, Any], common: list[str]
) -> list[dict[str, Any]]:
    """Per question: the quality metrics that changed and a verdict (B better, B worse, mixed, same)."""
    verdict_metrics = [metric for metric in HEADLINE if metric.verdict]
    result = []
    for qid in common:
        a, b = rows_a[qid], rows_b[qid]
        changes, directions = [], set()
        for metric in verdict_metrics:
            x, y = a["scores"].get(metric.field), b["scores"].get(metric.field)
            if x is None or y is None or x == y:
                continue
            direction = _oriented(metric, x, y)
            directions.add(direction)
            changes.append({"metric": metric.label, "a": x, "b": y, "b_better": direction > 0})
        verdict = (
            "same"
            if not directions
            else "mixed"
            if len(directions) > 1
            else "B better"
            if 1 in directions
            else "B worse"
        )
        result.append(
            {
                "qid": qid,
                "question": b.get("question"),
                "verdict": verdict,
                "changes": changes,
                "answer_a": a.get("answer"),
                "answer_b": b.get("answer"),
                "failures_a": a.get("failures", []),
                "failures_b": b.get("failures", []),
            }
        )
    order = {"B worse": 0, "mixed": 1, "B better": 2, "same": 3}
    return sorted(result, key=lambda r: (order[r["verdict"]], r["qid"]))


def _config_diff(a: dict[str, Any], b: dict[str, Any]) -> dict[str, list[Any]]:
    """The settings that differ, and whether each run was prefilled (`eval --prefill`): a run that
    embedded the sentences ahead has a warm chat's latencies, one that did not has a new process's."""
    sa, sb = a["config"]["settings"], b["config"]["settings"]
    diff = {k: [sa.get(k), sb.get(k)] for k in sorted(set(sa) | set(sb)) if sa.get(k) != sb.get(k)}
    prefilled = [_prefilled(a), _prefilled(b)]
    return {**diff, "prefill": prefilled} if prefilled[0] != prefilled[1] else diff


def _prefilled(record: dict[str, Any]) -> str:
    prefill = record.get("prefill")  # None: not asked for (and runs before session 17 have no key)
    return "no" if not prefill else str(prefill.get("prefill_state", prefill.get("state")))


def _summary(record: dict[str, Any], run_dir: Path) -> dict[str, Any]:
    return {
        "dir": str(run_dir.resolve()),
        "gold_file": record.get("gold_file"),
        "date": record.get("date"),
        "index": record.get("index"),
        "overrides": record["config"].get("overrides"),
        "top_k": record["config"].get("top_k"),
    }


def compare_runs(run_a: Path, run_b: Path) -> dict[str, Any]:
    """The whole comparison as one JSON-ready dict."""
    record_a, rows_a = load_run(run_a)
    record_b, rows_b = load_run(run_b)
    common = [q for q in rows_a if q in rows_b]
    if not common:
        raise UserError(
            f"runs '{run_a}' and '{run_b}' share no question ids; compare runs of the same gold set"
        )
    questions = question_changes(rows_a, rows_b, common)
    verdicts: dict[str, int] = {}
    for q in questions:
        verdicts[q["verdict"]] = verdicts.get(q["verdict"], 0) + 1
    return {
        "run_a": _summary(record_a, run_a),
        "run_b": _summary(record_b, run_b),
        "config_diff": _config_diff(record_a, record_b),
        "paired_questions": len(common),
        "only_in_a": [q for q in rows_a if q not in rows_b],
        "only_in_b": [q for q in rows_b if q not in rows_a],
        "bootstrap": {"resamples": BOOTSTRAP_RESAMPLES, "seed": BOOTSTRAP_SEED},
        "metrics": [compare_metric(metric, rows_a, rows_b, common) for metric in HEADLINE],
        "verdicts": verdicts,
        "questions": questions,
    }


def _p(value: float | None) -> str:
    if value is None:
        return "–"
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def _overrides(value: object) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items()) or "none"
    return str(value)


def _delta(entry: dict[str, Any]) -> str:
    boot = entry["bootstrap"]
    if boot["delta"] is None:
        return "–"
    return f"{boot['delta']:+.3f} [{boot['ci_low']:+.3f}, {boot['ci_high']:+.3f}]"


def text_table(result: dict[str, Any]) -> str:
    """The comparison as plain text for the terminal."""
    lines = [
        f"A: {result['run_a']['dir']}",
        f"B: {result['run_b']['dir']}",
        "config differences: "
        + (", ".join(f"{k} {a}→{b}" for k, (a, b) in result["config_diff"].items()) or "none"),
        f"{result['paired_questions']} paired questions; per question (quality metrics): "
        + ", ".join(f"{k} {v}" for k, v in result["verdicts"].items()),
        "",
        f"{'metric':<32} {'A':>8} {'B':>8} {'Δ B−A [95% CI]':>28} {'B +/−/=':>11} {'sign p':>7} {'boot p':>7}",
    ]
    for e in result["metrics"]:
        wins = f"{e['b_wins']}/{e['b_losses']}/{e['ties']}"
        lines.append(
            f"{e['label']:<32} {fmt(e['a'], e['group']):>8} {fmt(e['b'], e['group']):>8} {_delta(e):>28} "
            f"{wins:>11} {_p(e['sign_test_p']):>7} {_p(e['bootstrap']['p_value']):>7}"
        )
    lines.append(
        "B +/−/= counts questions where B is better / worse / equal in the metric's better direction."
    )
    return "\n".join(lines)


def render(result: dict[str, Any]) -> str:
    """compare.html: the side-by-side metrics and the per-question wins and losses."""
    a, b = result["run_a"], result["run_b"]
    meta = table(
        ["", "A", "B"],
        [
            [esc(k), esc(_overrides(a.get(k))), esc(_overrides(b.get(k)))]
            for k in ("dir", "gold_file", "date", "index", "top_k", "overrides")
        ],
        "meta",
    )
    diff = ", ".join(f"{k}: {v[0]} → {v[1]}" for k, v in result["config_diff"].items()) or "none"
    rows = []
    for e in result["metrics"]:
        boot = e["bootstrap"]
        css = ""
        if boot["p_value"] is not None and boot["p_value"] < 0.05 and boot["delta"]:
            css = "better" if (boot["delta"] > 0) == (e["better"] == "higher") else "worse"
        rows.append(
            [
                esc(e["label"]),
                num(fmt(e["a"], e["group"])),
                num(fmt(e["b"], e["group"])),
                num(esc(_delta(e)), css),
                num(f"{e['b_wins']} / {e['b_losses']} / {e['ties']}"),
                num(_p(e["sign_test_p"])),
                num(_p(boot["p_value"])),
                num(str(e["n_paired"])),
            ]
        )
    metrics_table = table(
        ["metric", "A", "B", "Δ B−A [95% CI]", "B better / worse / equal", "sign test p", "bootstrap p", "n"],
        rows,
        "headline",
    )
    question_rows = []
    for q in result["questions"]:
        if q["verdict"] == "same":
            continue
        css = {"B better": "better", "B worse": "worse"}.get(q["verdict"], "")
        changes = "<br>".join(f"{esc(c['metric'])}: {c['a']:.2f} → {c['b']:.2f}" for c in q["changes"])
        question_rows.append(
            [
                f'<td class="{css}">{esc(q["qid"])}<br>{esc(q["verdict"])}</td>',
                esc(q["question"]),
                changes,
                esc(q["answer_a"]),
                esc(q["answer_b"]),
            ]
        )
    verdicts = ", ".join(f"{k}: {v}" for k, v in result["verdicts"].items())
    body = (
        "<h1>Comparison of two evaluation runs</h1>"
        + meta
        + f"<p>Config differences (A → B): {esc(diff)}</p>"
        + "<h2>Headline metrics</h2>"
        + metrics_table
        + '<p class="muted">Δ is the metric of B minus that of A over the questions both runs scored, with a 95 % '
        f"paired-bootstrap interval ({result['bootstrap']['resamples']} resamples of the questions, seed "
        f"{result['bootstrap']['seed']}); the bootstrap p is twice the smaller share of resampled deltas on "
        "either side of 0. The sign test is exact (binomial, ties dropped) on the per-question wins and losses. "
        "Green or red: p &lt; 0.05 in B's favour or against it. Percentile metrics (latency) and the median "
        "grade are bootstrapped as that statistic.</p>"
        + f"<h2>Questions that changed ({esc(verdicts)})</h2>"
        + '<p class="muted">Quality metrics only (retrieval, facts, overlap, citations, refusals); '
        "questions where B is worse come first.</p>"
        + table(["qid", "question", "changes (A → B)", "answer A", "answer B"], question_rows, "questions")
    )
    return document("autoimmune-qa evaluation comparison", body)


def write_comparison(result: dict[str, Any], out_dir: Path) -> None:
    """compare.json and compare.html into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "compare.json").write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    (out_dir / "compare.html").write_text(render(result), encoding="utf-8")
