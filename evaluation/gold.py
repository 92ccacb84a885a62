"""Load and validate a gold set (JSON Lines); a bad line is a UserError naming file, line and field."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from errors import UserError
from evaluation.metrics import category

KNOWN_FIELDS = {
    "qid",
    "question",
    "turns",
    "audience",
    "answerable",
    "gold_doc_ids",
    "gold_doc_id",
    "facts",
    "gold_answer",
    "emergency",
    "personal_advice",
    "topic",
    "notes",
}


@dataclass
class GoldItem:
    """One gold question: what is asked, of whom, and what a right response holds."""

    qid: str
    question: str | None = None
    turns: list[str] | None = None
    audience: str | None = None
    answerable: bool = True
    gold_doc_ids: list[str] = field(default_factory=list)
    facts: list[list[str]] = field(default_factory=list)
    gold_answer: str | None = None
    emergency: bool = False
    personal_advice: bool = False
    topic: str | None = None

    @property
    def kind(self) -> str:
        """emergency, personal_advice, unanswerable or answerable."""
        return category(self.answerable, self.emergency, self.personal_advice)

    @property
    def asked(self) -> str:
        """The scored question: the question, or the last turn of the conversation."""
        return self.turns[-1] if self.turns else (self.question or "")

    def to_dict(self) -> dict[str, Any]:
        """The item as JSON-ready fields, the kind included."""
        return {**asdict(self), "kind": self.kind}


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def parse_item(raw: Any, where: str) -> GoldItem:
    """One decoded JSON line as a GoldItem; `where` ("FILE, line N") prefixes every error."""

    def bad(name: str, problem: str) -> UserError:
        return UserError(f"{where}: field '{name}' {problem}; fix that line")

    if not isinstance(raw, dict):
        raise UserError(f"{where}: expected a JSON object; fix that line")
    unknown = sorted(set(raw) - KNOWN_FIELDS)
    if unknown:
        raise bad(unknown[0], f"is not a gold field (known: {', '.join(sorted(KNOWN_FIELDS))})")
    qid = raw.get("qid")
    if not isinstance(qid, str) or not qid.strip():
        raise bad("qid", "is required and must be a non-empty string")
    question, turns = raw.get("question"), raw.get("turns")
    if question is None and turns is None:
        raise bad("question", "is required (or 'turns', a list of strings)")
    if question is not None and turns is not None:
        raise bad("turns", "cannot be given together with 'question'")
    if question is not None and (not isinstance(question, str) or not question.strip()):
        raise bad("question", "must be a non-empty string")
    if turns is not None and (not _strings(turns) or not turns):
        raise bad("turns", "must be a non-empty list of non-empty strings")
    audience = raw.get("audience")
    if audience not in (None, "patient", "staff"):
        raise bad("audience", "must be 'patient' or 'staff'")
    flags = {}
    for name, default in (("answerable", True), ("emergency", False), ("personal_advice", False)):
        value = raw.get(name, default)
        if not isinstance(value, bool):
            raise bad(name, "must be true or false")
        flags[name] = value
    if "gold_doc_ids" in raw and "gold_doc_id" in raw:
        raise bad("gold_doc_id", "cannot be given together with 'gold_doc_ids'")
    gold_ids: Any = raw.get("gold_doc_ids", [])
    if "gold_doc_id" in raw:
        if not isinstance(raw["gold_doc_id"], str) or not raw["gold_doc_id"].strip():
            raise bad("gold_doc_id", "must be a non-empty string")
        gold_ids = [raw["gold_doc_id"]]
    if not _strings(gold_ids):
        raise bad("gold_doc_ids", "must be a list of non-empty strings")
    facts = raw.get("facts", [])
    if not isinstance(facts, list) or not all(_strings(g) and g for g in facts):
        raise bad("facts", "must be a list of groups, each a non-empty list of strings")
    gold_answer = raw.get("gold_answer")
    if gold_answer is not None and not isinstance(gold_answer, str):
        raise bad("gold_answer", "must be a string")
    topic = raw.get("topic")
    if topic is not None and not isinstance(topic, str):
        raise bad("topic", "must be a string")
    return GoldItem(
        qid=qid,
        question=question,
        turns=list(turns) if turns is not None else None,
        audience=audience,
        gold_doc_ids=list(gold_ids),
        facts=[list(g) for g in facts],
        gold_answer=gold_answer or None,
        topic=topic,
        **flags,
    )


def json_lines(path: Path, what: str) -> list[tuple[str, int, Any]]:
    """Each non-blank line of a JSON Lines file, parsed, with where it is ("FILE, line N") and its number;
    a missing or unreadable file or a line that is not JSON is a UserError naming the file (and line)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise UserError(f"{what} '{path}' does not exist; check the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read {what} '{path}': {exc}") from None
    rows = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}, line {number}"
        try:
            rows.append((where, number, json.loads(line)))
        except json.JSONDecodeError as exc:
            raise UserError(f"{where}: not valid JSON ({exc.msg}); fix that line") from None
    return rows


def load_gold(path: Path) -> list[GoldItem]:
    """Every item of a gold JSON Lines file, validated; blank lines are skipped."""
    items: list[GoldItem] = []
    seen: dict[str, int] = {}
    for where, number, raw in json_lines(path, "gold file"):
        item = parse_item(raw, where)
        if item.qid in seen:
            raise UserError(
                f"{where}: field 'qid' {item.qid!r} repeats line {seen[item.qid]}; make it unique"
            )
        seen[item.qid] = number
        items.append(item)
    if not items:
        raise UserError(f"gold file '{path}' has no items; add one JSON object per line")
    return items
