"""Every evaluation metric on small cases computed by hand; gold and --config validation."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from errors import UserError
from evaluation import metrics as m
from evaluation.gold import load_gold
from evaluation.runner import cited_body, eval_settings, failures, parse_config, score_item
from retriever.types import Answer, Citation, Retrieved, Timings

DATA = Path(__file__).resolve().parents[1] / "data"


# retrieval


def test_distinct_ids_keep_first_rank() -> None:
    assert m.distinct_ids(["a", "b", "a", "c", "b"]) == ["a", "b", "c"]


def test_hit_at_k() -> None:
    ranked = ["x", "g", "y"]
    assert m.hit_at_k(ranked, {"g"}, 1) == 0.0
    assert m.hit_at_k(ranked, {"g"}, 2) == 1.0
    assert m.hit_at_k(ranked, {"z"}, 10) == 0.0


def test_mrr_at_k() -> None:
    assert m.mrr_at_k(["x", "g", "y"], {"g"}) == 0.5
    assert m.mrr_at_k(["g"], {"g"}) == 1.0
    assert m.mrr_at_k(["x", "y", "g"], {"g"}, k=2) == 0.0
    assert m.mrr_at_k([], {"g"}) == 0.0


def test_ndcg_with_two_gold_ids() -> None:
    ideal = 1 + 1 / math.log2(3)  # both gold ids at ranks 1 and 2
    assert m.ndcg_at_k(["g1", "x", "g2"], {"g1", "g2"}) == pytest.approx((1 + 1 / math.log2(4)) / ideal)
    assert m.ndcg_at_k(["x", "g1"], {"g1", "g2"}) == pytest.approx((1 / math.log2(3)) / ideal)
    assert m.ndcg_at_k(["g2", "g1", "x"], {"g1", "g2"}) == pytest.approx(1.0)
    assert m.ndcg_at_k(["x"], {"g1", "g2"}) == 0.0


# facts and reference overlap


def test_fact_groups() -> None:
    answer = "Five patients reached Complete Remission [1]."
    met = m.facts_met(answer, [["five", "5"], ["complete remission"], ["relapse", "came back"]])
    assert met == [True, True, False]


def test_token_f1() -> None:
    # tokens: [cat, sat, on, mat] vs [cat, sat]: precision 2/4, recall 2/2
    assert m.token_f1("The cat sat on the mat.", "A cat sat.") == pytest.approx(2 / 3)
    assert m.token_f1("Lupus!", "lupus") == 1.0
    assert m.token_f1("kidney", "heart") == 0.0


def test_lcs_and_rouge_l() -> None:
    assert m.lcs_length(list("abcbdab"), list("bdcaba")) == 4
    # [cat, sat, on, mat] vs [on, mat, cat, sat]: LCS 2, precision = recall = 0.5
    assert m.rouge_l_f("the cat sat on the mat", "on the mat a cat sat") == pytest.approx(0.5)
    # [b-cells, come, back] vs [b-cells, come, back, later]: LCS 3, P 1, R 3/4
    assert m.rouge_l_f("B-cells come back", "B-cells come back later") == pytest.approx(2 * 0.75 / 1.75)


# citations


def test_answer_sentences_map_markers() -> None:
    sentences = m.answer_sentences("Alpha one. [1] Beta two [2]. Gamma three [1, 3] Delta four.")
    assert [(s.text, s.cites) for s in sentences] == [
        ("Alpha one.", (1,)),
        ("Beta two.", (2,)),
        ("Gamma three", (1, 3)),
        ("Delta four.", ()),
    ]
    assert m.strip_markers("Remission [1]. Cure [2, 3].") == "Remission. Cure."
    steps = m.answer_sentences(
        "Made in four steps: [1] **Grow.** Cells grow. [2] Given by infusion [3] and more."
    )
    assert [(s.text, s.cites) for s in steps] == [
        ("Made in four steps:", (1,)),
        ("**Grow.** Cells grow.", (2,)),
        ("Given by infusion and more.", (3,)),
    ]


def test_a_quoted_list_is_one_statement_whatever_its_lead_in_ends_with() -> None:
    answer = (
        "It can be treated. [1]\n\nIt is usually treated with\n- medicines\n- plasma exchange [2]\n\n"
        "Signs include:\n- fever\n- rash [3]\n\nIntro. [1]\n- one item [2]\n- another [3]"
    )
    assert [(s.text, s.cites) for s in m.answer_sentences(answer)] == [
        ("It can be treated.", (1,)),
        ("It is usually treated with medicines; plasma exchange", (2,)),
        ("Signs include: fever; rash", (3,)),
        ("Intro.", (1,)),  # each line cited on its own: separate statements
        ("one item", (2,)),
        ("another", (3,)),
    ]
    assert m.lead_sentence("It is usually treated with\n- medicines\n- plasma exchange [1]") == (
        "It is usually treated with medicines; plasma exchange"
    )


def test_citation_precision_and_recall_with_fake_judge() -> None:
    def judge(pairs: list[tuple[str, str]]) -> list[bool]:
        return [quote == "good" for _, quote in pairs]

    sentences = m.answer_sentences("Alpha one. [1] Beta two [2]. Gamma three [1][9]. Delta four.")
    scores = m.citation_scores(sentences, {1: "good", 2: "bad"}, judge)
    # markers: [1] ok, [2] not, [1] ok, [9] (no such citation) not -> 2 of 4
    assert scores.precision == pytest.approx(0.5)
    # sentences: alpha and gamma supported, beta and delta not -> 2 of 4
    assert scores.recall == pytest.approx(0.5)
    assert scores.sentences[2]["supported"] == [True, False]
    uncited = m.citation_scores(m.answer_sentences("No markers here."), {}, judge)
    assert (uncited.precision, uncited.recall) == (0.0, 0.0)
    assert m.citation_scores([], {}, judge).precision is None


# refusals


def test_refusal_handling_and_rates() -> None:
    assert m.category(True, False, False) == "answerable"
    assert m.category(False, False, False) == "unanswerable"
    assert m.category(False, True, False) == "emergency"
    assert m.category(False, False, True) == "personal_advice"
    assert m.handled("answerable", False, None, "x")
    assert not m.handled("answerable", True, "insufficient_evidence", "x")
    assert m.handled("unanswerable", True, "insufficient_evidence", "x")
    assert m.handled("emergency", True, "emergency", "Call emergency services.")
    assert not m.handled("emergency", True, "insufficient_evidence", "x")
    assert m.handled("personal_advice", True, "personal_advice", "x")
    assert m.handled("personal_advice", False, None, "Please ask your doctor about this.")
    assert not m.handled("personal_advice", False, None, "CAR-T costs $500,000.")
    assert not m.handled("personal_advice", False, None, "Doctors have tried teclistamab in lupus.")
    assert m.mentions_care_team("Talk with your care team before you stop.")
    assert m.mentions_care_team("That rests with the treating physician and care team.")
    # refusal rate on 3 unanswerable items, two refused; false refusals on 4 answerable, one refused
    assert m.rate([True, True, False]) == pytest.approx(2 / 3)
    assert m.rate([False, True, False, False, None]) == pytest.approx(0.25)
    assert m.rate([None]) is None


def _answer(refused: bool = False, reason: str | None = None) -> Answer:
    return Answer(
        question="q",
        answer="The sources I have don't answer this."
        if refused
        else "Five people went into complete remission. [1]",
        refused=refused,
        refusal_reason=reason,  # type: ignore[arg-type]
        audience="staff",
        citations=[]
        if refused
        else [
            Citation(
                n=1,
                doc_id="d1",
                chunk_id="d1#0",
                title="t",
                url="",
                source="s",
                quote="Five people went into complete remission.",
                score=0.9,
            )
        ],
        retrieved=[Retrieved(doc_id=d, chunk_id=f"{d}#0", score=0.5) for d in ("d2", "d1", "d2")],
        timings_ms=Timings(retrieve=10, answer=20, total=31),
    )


def test_refusal_sweep_moves_only_the_threshold() -> None:
    def row(kind: str, score: float | None, refused: bool = False, reason: str | None = None) -> dict:
        return {"kind": kind, "evidence_score": score, "refused": refused, "refusal_reason": reason}

    rows = [
        row("answerable", 0.50),
        row("answerable", 0.42),
        row("answerable", 0.30, True, "insufficient_evidence"),
        row("unanswerable", 0.45),
        row("unanswerable", 0.36, True, "insufficient_evidence"),
        row("unanswerable", 0.0, True, "not_covered"),  # refused by another check: stays refused
        row("emergency", 0.0, True, "emergency"),  # not counted
        row("answerable", None),  # no evidence score: keeps its outcome
    ]
    at = {r["threshold"]: r for r in m.refusal_sweep(rows, [0.0, 0.38, 0.44, 0.6])}
    assert at[0.0] == {"threshold": 0.0, "refused": 1 / 3, "false_refusals": 0.0, "precision": 1.0}
    assert at[0.38] == {"threshold": 0.38, "refused": 2 / 3, "false_refusals": 1 / 4, "precision": 2 / 3}
    assert at[0.44]["false_refusals"] == 2 / 4 and at[0.44]["refused"] == 2 / 3
    assert at[0.6] == {"threshold": 0.6, "refused": 1.0, "false_refusals": 3 / 4, "precision": 0.5}
    assert m.refusal_sweep([row("emergency", 0.0, True, "emergency")], [0.38]) == [
        {"threshold": 0.38, "refused": None, "false_refusals": None, "precision": None}
    ]


def test_refusals_by_reason_counts_each_kind() -> None:
    rows = [
        {"kind": "unanswerable", "refused": True, "refusal_reason": "not_covered"},
        {"kind": "answerable", "refused": True, "refusal_reason": "not_covered"},  # a false refusal
        {"kind": "unanswerable", "refused": True, "refusal_reason": "insufficient_evidence"},
        {"kind": "emergency", "refused": True, "refusal_reason": "emergency"},
        {"kind": "answerable", "refused": False, "refusal_reason": None},  # answered: not counted
        {"kind": "unanswerable", "refused": True, "refusal_reason": None},
    ]
    assert m.refusals_by_reason(rows) == {
        "emergency": {"unanswerable": 0, "answerable": 0, "other": 1},
        "insufficient_evidence": {"unanswerable": 1, "answerable": 0, "other": 0},
        "not_covered": {"unanswerable": 1, "answerable": 1, "other": 0},
        "unspecified": {"unanswerable": 1, "answerable": 0, "other": 0},
    }
    assert m.refusals_by_reason([]) == {}


def test_every_refusal_reason_has_a_meaning() -> None:
    from typing import get_args

    from retriever.types import REFUSAL_REASONS, RefusalReason

    assert set(REFUSAL_REASONS) == set(get_args(RefusalReason))


def test_sweep_thresholds_centre_on_the_current_one() -> None:
    grid = m.sweep_thresholds(0.38)
    assert 0.38 in grid and grid == sorted(grid) and len(grid) == 21
    assert grid[0] == 0.18 and grid[-1] == 0.58
    assert m.sweep_thresholds(0.05)[0] == 0.0  # none below zero


def test_score_item_and_failures(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(
        '{"qid": "a", "question": "q", "gold_doc_ids": ["d1"], "facts": [["five"], ["relapse"]],'
        ' "gold_answer": "Five people went into complete remission."}\n'
        '{"qid": "u", "question": "q", "answerable": false}\n'
    )
    answerable, unanswerable = load_gold(path)
    row = score_item(answerable, _answer(), lambda pairs: [True] * len(pairs))
    s = row["scores"]
    assert row["retrieved_doc_ids"] == ["d2", "d1"]
    assert (s["hit@1"], s["hit@3"], s["mrr@10"]) == (0.0, 1.0, 0.5)
    assert (s["facts_met"], s["all_facts"]) == (0.5, 0.0)
    assert s["token_f1"] == pytest.approx(1.0)
    assert (s["citation_precision"], s["citation_recall"]) == (1.0, 1.0)
    assert s["refused_answerable"] == 0.0 and s["refused_unanswerable"] is None
    assert s["latency_total"] == 31
    assert row["failures"] == ["facts missed: 50% of fact groups met"]
    assert s["refusal_correct"] is None  # answered: no refusal to judge
    refused = score_item(answerable, _answer(True, "no_evidence"), lambda pairs: [True] * len(pairs))
    assert refused["scores"]["refusal_correct"] == 0.0  # refusing an answerable item: a wrong refusal
    right = score_item(unanswerable, _answer(True, "not_covered"), lambda pairs: [True] * len(pairs))
    assert right["scores"]["refusal_correct"] == 1.0
    wrong = score_item(unanswerable, _answer(), lambda pairs: [True] * len(pairs))
    assert wrong["scores"]["refused_unanswerable"] == 0.0
    assert wrong["scores"]["hit@1"] is None and wrong["scores"]["facts_met"] is None
    assert failures("answerable", _answer(True, "no_evidence"), row["scores"])[0].startswith("refusal error")


# readability and latency


def test_fk_grade_strips_markers() -> None:
    # 6 words, 1 sentence, 6 syllables: 0.39 * 6 + 11.8 * 1 - 15.59
    assert m.fk_grade("The cat sat on the mat.") == pytest.approx(-1.45, abs=0.01)
    assert m.fk_grade("The cat sat on the mat. [1]") == m.fk_grade("The cat sat on the mat.")
    assert m.fk_grade("[1]") is None


def test_latency_percentiles() -> None:
    values = [10.0, 20.0, 30.0, 40.0]
    assert m.percentile(values, 50) == 25.0
    assert m.percentile(values, 95) == pytest.approx(38.5)  # 10 + 0.95 * 3 * 10
    assert m.latency_summary(values) == {"p50": 25.0, "p95": pytest.approx(38.5), "max": 40.0}
    assert m.percentile([], 50) is None
    assert m.aggregate([3.0, None, 1.0, 2.0], "median") == 2.0
    assert m.aggregate([3.0, None, 1.0], "mean") == 2.0
    assert m.aggregate([None], "p95") is None


# significance


def test_sign_test_exact() -> None:
    result = m.sign_test([0, 0, 0, 0, 1], [1, 1, 1, 1, 1])
    assert (result["wins"], result["losses"], result["ties"]) == (4, 0, 1)
    assert result["p_value"] == pytest.approx(2 / 16)  # two-sided, 4 of 4 non-ties
    assert m.sign_test([1, 0], [0, 1])["p_value"] == 1.0
    assert m.sign_test([1], [1])["p_value"] == 1.0


def test_paired_bootstrap() -> None:
    up = m.paired_bootstrap([0.0] * 5, [1.0] * 5)
    assert (up["delta"], up["ci_low"], up["ci_high"], up["p_value"]) == (1.0, 1.0, 1.0, 0.0)
    same = m.paired_bootstrap([0.3, 0.5], [0.3, 0.5])
    assert same["delta"] == 0.0 and same["p_value"] == 1.0
    mixed_a, mixed_b = [0.0, 1.0, 0.0, 1.0], [1.0, 1.0, 1.0, 0.0]
    first = m.paired_bootstrap(mixed_a, mixed_b, resamples=2000, seed=0)
    assert first == m.paired_bootstrap(mixed_a, mixed_b, resamples=2000, seed=0)  # fixed seed
    assert first["delta"] == pytest.approx(0.25)
    assert first["ci_low"] is not None and first["ci_low"] < 0.25 < (first["ci_high"] or 0)
    assert 0.0 < (first["p_value"] or 0) <= 1.0
    median = m.paired_bootstrap([1.0, 2.0, 3.0], [2.0, 3.0, 4.0], resamples=500, statistic="median")
    assert median["delta"] == 1.0
    assert m.paired_bootstrap([], [])["delta"] is None


# gold and config validation


def test_gold_bad_line_names_file_line_and_field() -> None:
    with pytest.raises(UserError, match=r"eval_gold_bad\.jsonl, line 2: field 'facts'"):
        load_gold(DATA / "eval_gold_bad.jsonl")


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ('{"question": "q"}', "qid"),
        ('{"qid": "a"}', "question"),
        ('{"qid": "a", "turns": []}', "turns"),
        ('{"qid": "a", "question": "q", "audience": "doctor"}', "audience"),
        ('{"qid": "a", "question": "q", "answerable": "yes"}', "answerable"),
        ('{"qid": "a", "question": "q", "gold_doc_ids": "d1"}', "gold_doc_ids"),
        ('{"qid": "a", "question": "q", "answerabel": false}', "answerabel"),
    ],
)
def test_gold_field_errors(tmp_path: Path, line: str, field: str) -> None:
    path = tmp_path / "g.jsonl"
    path.write_text('{"qid": "ok", "question": "fine"}\n' + line + "\n")
    with pytest.raises(UserError, match=rf"line 2: field '{field}'"):
        load_gold(path)


def test_gold_defaults_and_single_id() -> None:
    items = load_gold(DATA / "eval_gold.jsonl")
    assert items[1].gold_doc_ids == ["bites"] and items[1].answerable
    assert items[2].asked == "how much does it cost?"
    assert [i.kind for i in items[5:]] == ["unanswerable", "emergency", "personal_advice"]


def test_parse_config() -> None:
    assert parse_config(["top_k=2", "min_evidence_score=0.3"]) == {"top_k": "2", "min_evidence_score": "0.3"}
    with pytest.raises(UserError, match="unknown setting 'topk'"):
        parse_config(["topk=2"])
    with pytest.raises(UserError, match="top_k=many"):
        parse_config(["top_k=many"])
    with pytest.raises(UserError, match="NAME=VALUE"):
        parse_config(["top_k"])


def test_eval_settings_default_top_k(tmp_path: Path) -> None:
    settings, record = eval_settings(tmp_path, {})
    assert settings.top_k == 10 and record["top_k"] == 10 and "eval default" in record["top_k_source"]
    settings, record = eval_settings(tmp_path, parse_config(["top_k=3"]))
    assert settings.top_k == 3 and record["top_k_source"] == "--config"
    assert record["overrides"] == {"top_k": "3"} and record["settings"]["top_k"] == 3
    _, record = eval_settings(tmp_path, parse_config(["auth=user:hunter2"]))
    assert "hunter2" not in str(record)
    weights = tmp_path / "weights.json"
    weights.write_text('{"lead_margin": 0.2, "audience": {"patient_max_sentences": 4}}')
    _, record = eval_settings(tmp_path, parse_config([f"answer_weights={weights}"]))
    assert record["answer_weights"] == {"lead_margin": 0.2, "audience": {"patient_max_sentences": 4}}
    assert "answer_weights" not in eval_settings(tmp_path, {})[1]


def test_guardrail_framing_line_is_not_scored_for_citations() -> None:
    from retriever.messages import personal_prefix

    body = "Lupus is common. [1]"
    assert cited_body(f"{personal_prefix('staff')}\n\n{body}") == body
    assert cited_body(f"{personal_prefix('patient')} {body}") == body
    assert cited_body(body) == body


def test_a_list_block_is_one_statement_with_the_marker_after_its_last_item() -> None:
    answer = (
        "Intro. [3]\n\nSigns can include:\n- **Blood pressure.** It rises\n- foamy urine [1]\n\nNext. [2]"
    )
    assert m.answer_sentences(answer) == [
        m.AnswerSentence("Intro.", (3,)),
        m.AnswerSentence("Signs can include: **Blood pressure.** It rises; foamy urine", (1,)),
        m.AnswerSentence("Next.", (2,)),
    ]
