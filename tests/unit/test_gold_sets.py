"""The gold sets stay valid (eval/check_gold.py), and the tuning sets stay apart from the held-out ones."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SHARED_CORPUS

EVAL = Path(__file__).resolve().parents[2] / "eval"
SETS = [
    ("dev.jsonl", None),
    ("lay.jsonl", "lay"),
    ("plain_dev.jsonl", "pd"),
    ("plain_val.jsonl", "val"),
    ("plain_val2.jsonl", "val2"),
    ("plain_val3.jsonl", "val3"),
    ("refuse_dev.jsonl", "rd"),
    ("refuse_val.jsonl", "rv"),
    ("heldout.jsonl", "held"),
    ("heldout2.jsonl", "held2"),
    ("heldout3.jsonl", "h3"),
    ("heldout4.jsonl", "h4"),
]
TUNING = [
    "dev.jsonl",
    "lay.jsonl",
    "plain_dev.jsonl",
    "plain_val.jsonl",
    "plain_val2.jsonl",
    "plain_val3.jsonl",
    "refuse_dev.jsonl",
]
HELD_OUT = ["heldout.jsonl", "heldout2.jsonl", "heldout3.jsonl", "heldout4.jsonl", "refuse_val.jsonl"]


@pytest.mark.parametrize(("name", "prefix"), SETS)
def test_gold_set_passes_check_gold(name: str, prefix: str | None) -> None:
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {SHARED_CORPUS}")
    command = [sys.executable, str(EVAL / "check_gold.py"), "--dev", str(EVAL / name)]
    command += ["--corpus", str(SHARED_CORPUS)] + (["--subset", prefix] if prefix else [])
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def _words(path: Path) -> dict[str, set[str]]:
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {
        d["qid"]: set(re.findall(r"[a-z]+", (d.get("question") or " ".join(d["turns"])).lower()))
        for d in items
    }


@pytest.mark.parametrize("held_name", HELD_OUT)
@pytest.mark.parametrize("name", TUNING)
def test_no_tuning_question_nearly_repeats_a_held_out_one(name: str, held_name: str) -> None:
    """A tuning question sharing over half its words with a held-out question would leak it."""
    held = list(_words(EVAL / held_name).values())
    close = [
        qid
        for qid, words in _words(EVAL / name).items()
        if max(len(words & h) / len(words | h) for h in held) > 0.5
    ]
    assert close == []
