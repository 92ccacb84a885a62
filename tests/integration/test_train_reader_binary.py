"""`python -m tools.train_reader_binary`: a two-step run on saved groups writes a loadable reader."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from retriever import reader as reader_module
from tools import reader_pools, train_reader_binary
from tools.reader_data import BENCH, Group

pytestmark = pytest.mark.slow

INIT = Path(reader_module.__file__).resolve().parent / "models" / "reader-init.npz"


def _group(question: str, first: str) -> Group:
    others = tuple(f"Lupus is an illness that can affect part {i} of the body." for i in range(7))
    return Group(question, "test", "t", (first, *others))


@pytest.mark.skipif(not BENCH.is_file(), reason=f"MedQuAD pages not found at {BENCH}")
def test_a_short_run_on_saved_groups_writes_a_reader(tmp_path: Path) -> None:
    pools, facts, unanswerable = tmp_path / "p.jsonl", tmp_path / "f.jsonl", tmp_path / "u.jsonl"
    reader_pools.save([_group("what causes lupus", "The cause of lupus is not known.")], pools)
    reader_pools.save([_group("how common is lupus", "About 1 in 1,000 people have lupus.")], facts)
    reader_pools.save(
        [_group("does insurance pay for car t", "CAR-T is made from your own T cells.")], unanswerable
    )
    out = tmp_path / "reader.npz"
    argv = ["--pools", str(pools), "--facts", str(facts), "--unanswerable", str(unanswerable)]
    assert train_reader_binary.main([*argv, "--init", str(INIT), "--out", str(out), "--steps", "2"]) == 0
    arrays, meta = reader_module.read_weights(out)
    assert meta["binary"] is True and meta["steps"] == 2 and meta["unanswerable_groups"] == 1
    init, _ = reader_module.read_weights(INIT)
    assert set(arrays) == set(init)  # the same layers, now trained further
    assert any(not np.array_equal(arrays[k], init[k]) for k in arrays)


def test_without_groups_or_indexes_it_says_what_is_needed(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        train_reader_binary.main(["--steps", "1"])
    assert "--index and --corpus-index are needed" in capsys.readouterr().err
