"""`autoimmune-qa eval` and `eval-compare` through main(), on the fixture corpus index."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app.cli import main
from evaluation.definitions import HEADLINE
from index.settings import Settings

pytestmark = pytest.mark.slow

DATA = Path(__file__).resolve().parents[1] / "data"
GOLD = DATA / "eval_gold.jsonl"
ROW_KEYS = {"qid", "kind", "answer", "citations", "retrieved_doc_ids", "scores", "failures", "gold"}


@pytest.fixture(scope="module")
def runs(built_index: Settings, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two runs of the tiny gold set (default top_k, then top_k=2) and their comparison."""
    root = tmp_path_factory.mktemp("eval")
    index = str(built_index.index_dir)
    assert main(["eval", str(GOLD), "--index", index, "--out", str(root / "a")]) == 0
    b = ["eval", str(GOLD), "--index", index, "--out", str(root / "b"), "--prefill"]
    assert main([*b, "--config", "top_k=2", "prefill_sentences=100000"]) == 0  # tests default to no prefill
    assert main(["eval-compare", str(root / "a"), str(root / "b"), "--out", str(root / "c")]) == 0
    return {"a": root / "a", "b": root / "b", "c": root / "c"}


def test_metrics_json_is_sane(runs: dict[str, Path]) -> None:
    record = json.loads((runs["a"] / "metrics.json").read_text())
    assert record["items"] == 8
    assert record["counts"] == {"answerable": 5, "unanswerable": 1, "emergency": 1, "personal_advice": 1}
    assert record["config"]["top_k"] == 10 and "eval default" in record["config"]["top_k_source"]
    assert record["gold_file"].endswith("eval_gold.jsonl") and record["index"] and record["date"]
    metrics = record["metrics"]
    for metric in HEADLINE:
        assert metric.name in metrics
    for name in ("hit@1", "hit@5", "mrr@10", "ndcg@10", "facts_met", "citation_precision"):
        assert 0.0 <= metrics[name]["value"] <= 1.0, name
    assert metrics["hit@5"]["n"] == 5 and metrics["hit@5"]["value"] >= 0.8
    assert metrics["citation_precision"]["value"] == pytest.approx(1.0)  # extractive answers quote verbatim
    assert metrics["false_refusal_rate"]["value"] == 0.0
    assert metrics["emergency_rate"]["n"] == 1 and metrics["personal_advice_rate"]["n"] == 1
    assert metrics["token_f1"]["n"] == 4  # answerable items with a gold_answer
    assert metrics["latency_total_p50"]["value"] > 0
    assert record["support_criterion"]["label_agreement"]["agreement"] >= 0.85
    sweep = record["refusal_sweep"]
    at = {row["threshold"]: row for row in sweep["rows"]}
    current = at[sweep["threshold"]]  # the run's own threshold reproduces the run's rates
    assert current["refused"] == metrics["refusal_rate"]["value"]
    assert current["false_refusals"] == metrics["false_refusal_rate"]["value"]
    assert at[min(at)]["false_refusals"] <= current["false_refusals"] <= at[max(at)]["false_refusals"]
    by_reason = record["refusals_by_reason"]  # t-06 (unanswerable) out of scope, t-07 an emergency
    assert by_reason["out_of_scope"]["unanswerable"] == 1 and by_reason["emergency"]["other"] == 1
    assert sum(c["answerable"] for c in by_reason.values()) == 0  # no false refusal, as above


def test_results_rows(runs: dict[str, Path]) -> None:
    rows = [json.loads(line) for line in (runs["a"] / "results.jsonl").read_text().splitlines()]
    assert [r["qid"] for r in rows] == [f"t-0{i}" for i in range(1, 9)]
    for row in rows:
        assert set(row) >= ROW_KEYS
    first = rows[0]
    assert first["retrieved_doc_ids"][0] == "fx-car-t" and first["scores"]["hit@1"] == 1.0
    assert first["citations"] and first["citations"][0]["quote"] in first["answer"]
    assert rows[2]["question"] == "how much does it cost?"  # the last turn is scored


def test_report_is_self_contained(runs: dict[str, Path]) -> None:
    html = (runs["a"] / "report.html").read_text()
    assert '<table class="headline">' in html and "How each metric is measured" in html
    assert "Refusals by reason" in html and "<code>emergency</code>" in html
    assert "data:image/png;base64," in html
    assert not re.search(r"<script|<link|@import|url\(\s*['\"]?https?:", html, re.I)
    assert "eval_gold.jsonl" in html and "top_k" in html
    assert "t-01" in html and "fx-car-t" in html
    assert "Refusal trade-off" in html and 'alt="refusal trade-off chart"' in html


def test_prefill_is_recorded(runs: dict[str, Path]) -> None:
    plain = json.loads((runs["a"] / "metrics.json").read_text())
    assert plain["prefill"] is None
    record = json.loads((runs["b"] / "metrics.json").read_text())
    prefill = record["prefill"]  # --prefill: every evidence sentence embedded before the first question
    assert prefill["prefill_state"] == "done" and prefill["prefill_ready"] == prefill["prefill_total"] > 0
    assert prefill["seconds"] >= 0
    assert "texts embedded ahead" in (runs["b"] / "report.html").read_text()
    assert "sentences embedded as questions needed them" in (runs["a"] / "report.html").read_text()


def test_config_override_is_recorded(runs: dict[str, Path]) -> None:
    record = json.loads((runs["b"] / "metrics.json").read_text())
    assert record["config"]["overrides"] == {"top_k": "2", "prefill_sentences": "100000"}
    assert record["config"]["top_k"] == 2
    rows = [json.loads(line) for line in (runs["b"] / "results.jsonl").read_text().splitlines()]
    assert all(len([c for c in r["retrieved"] if not c["context"]]) <= 2 for r in rows)
    # the chunks beside the best one come after the searched ones, marked as context
    for r in rows:
        flags = [c["context"] for c in r["retrieved"]]
        assert flags == sorted(flags) and sum(flags) <= 2


def test_compare_outputs(runs: dict[str, Path]) -> None:
    result = json.loads((runs["c"] / "compare.json").read_text())
    assert result["paired_questions"] == 8
    assert result["config_diff"]["top_k"] == [10, 2]
    assert result["config_diff"]["prefill"] == ["no", "done"]  # b's latencies are a warm chat's
    names = {e["name"] for e in result["metrics"]}
    assert {"hit@1", "mrr@10", "facts_met", "citation_recall"} <= names
    for entry in result["metrics"]:
        assert entry["b_wins"] + entry["b_losses"] + entry["ties"] == entry["n_paired"]
        assert entry["sign_test_p"] is None or 0 <= entry["sign_test_p"] <= 1
    assert sum(result["verdicts"].values()) == 8
    html = (runs["c"] / "compare.html").read_text()
    assert "Headline metrics" in html and not re.search(r"<script|<link", html, re.I)


def test_bad_gold_line_is_one_line_error(
    built_index: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "eval",
            str(DATA / "eval_gold_bad.jsonl"),
            "--index",
            str(built_index.index_dir),
            "--out",
            str(tmp_path),
        ]
    )
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err.count("\n") == 0 and err.startswith("autoimmune-qa: error:")
    assert "eval_gold_bad.jsonl, line 2" in err and "'facts'" in err


def test_bad_config_is_one_line_error(
    built_index: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "eval",
            str(GOLD),
            "--index",
            str(built_index.index_dir),
            "--out",
            str(tmp_path),
            "--config",
            "top_kk=3",
        ]
    )
    err = capsys.readouterr().err.strip()
    assert code == 2 and err.count("\n") == 0 and "top_kk" in err
    missing = main(["eval-compare", str(tmp_path / "nope"), str(tmp_path), "--out", str(tmp_path / "c")])
    assert missing == 2
