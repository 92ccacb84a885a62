"""Train the lead-sentence model (`retriever/models/lead.json`): one command, fixed seed, a few minutes on 2 cores.

    python -m tools.train_lead                 # builds the two indexes it needs under --work, then trains
    python -m tools.train_lead --cv            # also reports 5-fold cross-validation by question

Data, all derived here: the development gold sets' answerable questions (`eval/dev.jsonl` asked of
an index of ../shared/corpus + corpus/, `eval/corpus_questions.jsonl` of corpus/ alone;
`eval/lay.jsonl` is kept out to validate on). Each question is asked once through the real assistant; the candidates the extractive
answerer keeps are the examples, each labelled by how many of the question's gold fact groups it
holds. The model is a linear listwise softmax over each question's candidates (L2, full-batch Adam,
seed 0) on `retriever.lead.FEATURES`. `eval/heldout.jsonl` is never read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
# eval/lay.jsonl is left out so that it checks the model on wording it was not trained on
SETS = (("eval/dev.jsonl", "both"), ("eval/corpus_questions.jsonl", "corpus"))
L2 = 0.01
STEPS = 600
LEARNING_RATE = 0.05


@dataclass
class Example:
    qid: str
    rows: np.ndarray  # one feature row per kept candidate
    gains: np.ndarray  # fact groups each candidate holds
    hand: np.ndarray  # the hand-weighted choice score (the answerer's score without a model)


def build_index(name: str, work: Path) -> Path:
    """The index a set is asked of, built with the project's own ingest (kept between runs)."""
    from app.cli import main as cli

    folder = work / name
    paths = [str(SHARED), str(ROOT / "corpus")] if name == "both" else [str(ROOT / "corpus")]
    if cli(["ingest", *paths, "--index", str(folder), "--json"]) != 0:
        raise SystemExit(f"ingest into {folder} failed")
    return folder


def examples(gold: Path, index: Path) -> list[Example]:
    from evaluation.replay import capture
    from retriever import extractive
    from retriever.candidates import candidates
    from retriever.chain import Assistant

    data = capture(gold, index)
    assistant = Assistant(_settings(index))
    answerer = assistant.answerer
    assert isinstance(answerer, extractive.ExtractiveAnswerer)
    answerer.use_lead_model = True  # the feature rows are computed for the lead model only
    found = []
    for record in data.records:
        pool = candidates(record.evidence, answerer.weights)
        if not pool:
            continue
        kept, scores = answerer.score(record.question, pool)
        assert scores.rows is not None
        gains = np.array(
            [sum(any(a.lower() in c.text.lower() for a in group) for group in record.facts) for c in kept],
            dtype=np.float32,
        )
        found.append(Example(record.qid, scores.rows, gains, scores.choice))
    return found


def _settings(index: Path):  # type: ignore[no-untyped-def]
    from evaluation.runner import eval_settings

    settings, _ = eval_settings(index, {})
    return settings


def fit(train: list[Example], seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mean, scale, weights) of a listwise softmax: each question's probability mass on the
    candidates holding its facts (weighted by how many groups each holds) is maximised."""
    rng = np.random.default_rng(seed)
    every = np.concatenate([e.rows for e in train])
    mean: np.ndarray = every.mean(axis=0)
    scale: np.ndarray = every.std(axis=0)
    scale[scale < 1e-6] = 1.0
    lists = [((e.rows - mean) / scale, e.gains / e.gains.sum()) for e in train if e.gains.sum() > 0]
    w = np.asarray(rng.normal(0, 0.01, every.shape[1]), dtype=np.float64)
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for step in range(1, STEPS + 1):
        grad = L2 * w
        for x, target in lists:
            z = x @ w
            p = np.exp(z - z.max())
            p /= p.sum()
            grad += x.T @ (p - target) / len(lists)
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w -= LEARNING_RATE * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return mean, scale, w


def top_hits(items: list[Example], score) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Over questions with a fact-holding candidate: share whose best-scored candidate holds a fact,
    and the mean fact groups it holds per group the best candidate could hold."""
    hit, share, n = 0.0, 0.0, 0
    for e in items:
        if e.gains.sum() == 0:
            continue
        best = int(np.argmax(score(e)))
        hit += float(e.gains[best] > 0)
        share += float(e.gains[best] / e.gains.max())
        n += 1
    return hit / max(1, n), share / max(1, n)


def cross_validate(items: list[Example], folds: int = 5) -> dict[str, float]:
    order = np.random.default_rng(0).permutation(len(items))
    learned_hit = learned_share = 0.0
    for k in range(folds):
        test = [items[i] for i in order[k::folds]]
        train = [items[i] for i in order if i not in set(order[k::folds])]
        mean, scale, w = fit(train)
        hit, share = top_hits(test, lambda e, m=mean, s=scale, v=w: ((e.rows - m) / s) @ v)
        learned_hit += hit * len(test) / len(items)
        learned_share += share * len(test) / len(items)
    hand_hit, hand_share = top_hits(items, lambda e: e.hand)
    return {"hand_top1_holds_fact": hand_hit, "hand_top1_share": hand_share,
            "cv_top1_holds_fact": learned_hit, "cv_top1_share": learned_share}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.train_lead", description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path.home() / ".cache" / "autoimmune-qa" / "train-lead")
    parser.add_argument("--out", type=Path, default=ROOT / "retriever" / "models" / "lead.json")
    parser.add_argument("--cv", action="store_true", help="report 5-fold cross-validation by question")
    args = parser.parse_args(argv)
    if not SHARED.is_dir():
        print(f"error: the shared corpus is missing at {SHARED}", file=sys.stderr)
        return 2
    from retriever.lead import FEATURES, LeadModel

    items: list[Example] = []
    indexes = {name: build_index(name, args.work) for name in {n for _, n in SETS}}
    for gold, name in SETS:
        got = examples(ROOT / gold, indexes[name])
        print(f"{gold}: {len(got)} questions, {sum(len(e.gains) for e in got)} candidates", file=sys.stderr)
        items += got
    report: dict[str, float] = cross_validate(items) if args.cv else {}
    mean, scale, w = fit(items)
    train_hit, train_share = top_hits(items, lambda e: ((e.rows - mean) / scale) @ w)
    meta = {
        "trained": dt.date.today().isoformat(),
        "data": [g for g, _ in SETS],
        "questions": len(items),
        "candidates": int(sum(len(e.gains) for e in items)),
        "l2": L2,
        "steps": STEPS,
        "seed": 0,
        "train_top1_holds_fact": round(train_hit, 4),
        **{k: round(v, 4) for k, v in report.items()},
    }
    model = LeadModel(FEATURES, mean, scale, w, meta)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
    print(json.dumps(meta, indent=1))
    for name, weight in sorted(zip(FEATURES, w, strict=True), key=lambda t: -abs(t[1])):
        print(f"  {name:24} {weight:+.3f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
