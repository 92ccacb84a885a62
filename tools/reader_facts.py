"""Reader training groups labelled by the tuning sets' facts: what the reader is for, said directly.

`tools.reader_data` and `tools.reader_pools` label a sentence an answer when it stands under a
heading that asks the question; the sentences the answerer keeps for a real question are often
labelled by neither. The tuning sets (`SETS`: plain_dev, dev, lay and the corpus questions, never
the held-out or validation sets) say which sentences hold the facts asked for; so do the reader's own
training sets (`TRAINING_SETS`, `eval/reader_train_*.jsonl`: 284 plain questions written for it in
session 20, never evaluated on), asked only when named with `--only` (the shipped reader was trained
without them: docs/notes/2026-12-04-session20.md). Each answerable item
is asked once through the real assistant (`evaluation.replay.capture`); of the ten sentences the
answerer keeps (list units left out), those holding a fact group are answers and those holding none
are wrong. One group per answer, at most `MAX_ANSWERS` a question (the ones holding most facts):
the answer and seven sentences holding no fact, topped up from another question's of the same set
when fewer were kept. A question none of whose kept sentences holds a fact gives no group.

Training on these sets makes the reader's figures on them in-sample; the validation sets
(`eval/plain_val.jsonl`, `eval/plain_val2.jsonl`) and the held-out sets are what measure it.

    python -m tools.reader_facts --index BOTH --corpus-index CORPUS --out facts.jsonl
    python -m tools.reader_facts --index BOTH --corpus-index CORPUS --out new.jsonl --only reader_train_a
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Sequence
from pathlib import Path

from evaluation import metrics as m
from evaluation import replay
from retriever.candidates import candidates
from tools.reader_data import GROUP, Group
from tools.reader_pools import save

ROOT = Path(__file__).resolve().parents[1]
# each tuning set and the index it is asked of ("corpus": the bundled articles alone)
SETS = (
    ("eval/plain_dev.jsonl", "both"),
    ("eval/dev.jsonl", "both"),
    ("eval/lay.jsonl", "both"),
    ("eval/corpus_questions.jsonl", "corpus"),
)
TRAINING_SETS = tuple((f"eval/reader_train_{part}.jsonl", "both") for part in "abcd")
MAX_ANSWERS = 2
TOP_UP_TRIES = 1000  # draws from other questions before a group that cannot be filled is dropped


def _kept(data: replay.Capture) -> list[tuple[replay.Record, list[str], list[int]]]:
    """Per item: the kept sentences (no list units) and how many fact groups each holds."""
    answerer = replay.answerer_for(data)
    out = []
    for record in data.records:
        kept, _ = answerer.score(record.question, candidates(record.evidence, answerer.weights))
        texts = [c.text for c in kept if not c.parts]
        out.append((record, texts, [sum(m.facts_met(t, record.facts)) for t in texts]))
    return out


def fact_groups(captures: list[tuple[str, replay.Capture]], seed: int = 0) -> list[Group]:
    """The groups of every capture (named by its set), shuffled with `seed`."""
    rng = random.Random(seed)
    out: list[Group] = []
    for name, data in captures:
        items = _kept(data)
        for record, texts, held in items:
            answers = sorted((i for i, h in enumerate(held) if h > 0), key=lambda i: -held[i])[:MAX_ANSWERS]
            wrong = [texts[i] for i, h in enumerate(held) if h == 0]
            for answer in answers:
                others = list(wrong)
                tries = 0
                while len(others) < GROUP - 1 and tries < TOP_UP_TRIES:  # top up from another question
                    tries += 1
                    other = rng.choice(items)
                    if other[0].qid == record.qid:
                        continue
                    spare = [t for t, h in zip(other[1], other[2], strict=True) if h == 0 and t not in others]
                    if spare:
                        others.append(rng.choice(spare))
                if len(others) < GROUP - 1:  # the set has too few wrong sentences to spare
                    continue
                rng.shuffle(others)
                out.append(
                    Group(record.question, f"facts-{name}", record.qid, (texts[answer], *others[: GROUP - 1]))
                )
    rng.shuffle(out)
    return out


def capture_sets(both: Path, corpus: Path, only: Sequence[str] = ()) -> list[tuple[str, replay.Capture]]:
    """Ask each set of `SETS` (or those of `SETS` and `TRAINING_SETS` named in `only`) of its index,
    the reader off (the kept ten do not depend on it)."""
    indexes = {"both": both, "corpus": corpus}
    chosen = [(g, w) for g, w in SETS + TRAINING_SETS if Path(g).stem in only] if only else list(SETS)
    return [
        (Path(gold).stem, replay.capture(ROOT / gold, indexes[which], {"reader": False}))
        for gold, which in chosen
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True, help="an index of ../shared/corpus and corpus/")
    parser.add_argument("--corpus-index", type=Path, required=True, help="an index of corpus/ alone")
    parser.add_argument("--out", type=Path, required=True, help="where to write the groups (JSON lines)")
    names = [Path(gold).stem for gold, _ in SETS + TRAINING_SETS]
    parser.add_argument(
        "--only",
        nargs="+",
        choices=names,
        default=[],
        metavar="SET",
        help=f"only these sets (default: the tuning sets): {', '.join(names)}",
    )
    args = parser.parse_args(argv)
    made = fact_groups(capture_sets(args.index, args.corpus_index, args.only))
    save(made, args.out)
    print(f"{len(made)} groups → {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
