"""Feedback from the chat (thumbs up/down, an optional comment), appended to a local SQLite file.

One row per feedback event. Nothing about the person is stored beyond what they typed: no address,
no browser, no session. `answer_id` is a random id given to each answer, so a rating and a later
comment on the same answer can be grouped.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from errors import UserError

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at  TEXT    NOT NULL,                         -- UTC, ISO 8601
    answer_id   TEXT    NOT NULL,                         -- random id of the answer in the chat
    rating      INTEGER CHECK (rating IN (-1, 0, 1)),     -- 1 up, -1 down, 0 withdrawn, NULL comment only
    comment     TEXT    NOT NULL DEFAULT '',
    question    TEXT    NOT NULL,
    answer      TEXT    NOT NULL,
    citations   TEXT    NOT NULL,                         -- JSON list of Citation.model_dump()
    settings    TEXT    NOT NULL                          -- JSON {audience, answerer, retrieval, filters}
);
CREATE INDEX IF NOT EXISTS feedback_answer ON feedback (answer_id);
"""

COLUMNS = (
    "id",
    "created_at",
    "answer_id",
    "rating",
    "comment",
    "question",
    "answer",
    "citations",
    "settings",
)


class FeedbackStore:
    """The feedback table in one SQLite file (WAL mode). The file and table are created on first write."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._ready = False
        self._lock = threading.Lock()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if not self._ready:
                try:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise UserError(
                        f"cannot create the feedback folder '{self.path.parent}': {exc.strerror}; "
                        "set --feedback-db (AQA_FEEDBACK_DB) or turn feedback off with --no-feedback"
                    ) from None
            connection = sqlite3.connect(self.path, timeout=10)
            try:
                if not self._ready:
                    connection.execute("PRAGMA journal_mode=WAL")
                    connection.executescript(SCHEMA)
                    self._ready = True
                with connection:  # one transaction, committed on success
                    yield connection
            finally:
                connection.close()

    def record(
        self,
        *,
        answer_id: str,
        question: str,
        answer: str,
        citations: list[dict[str, Any]],
        settings: dict[str, Any],
        rating: int | None = None,
        comment: str = "",
    ) -> int:
        """Append one feedback row; returns its id."""
        if rating not in (None, -1, 0, 1):
            raise ValueError(f"rating must be 1, -1, 0 (withdrawn) or None, not {rating!r}")
        row = (
            datetime.now(UTC).isoformat(timespec="seconds"),
            answer_id,
            rating,
            comment.strip(),
            question,
            answer,
            json.dumps(citations, ensure_ascii=False),
            json.dumps(settings, ensure_ascii=False, sort_keys=True),
        )
        with self._connect() as connection:
            cursor = connection.execute(
                "INSERT INTO feedback (created_at, answer_id, rating, comment, question, answer, citations, "
                "settings) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            return int(cursor.lastrowid or 0)

    def rows(self) -> list[dict[str, Any]]:
        """Every row, oldest first (for tests and export); citations and settings decoded."""
        if not self.path.exists():
            return []
        with self._connect() as connection:
            found = connection.execute(f"SELECT {', '.join(COLUMNS)} FROM feedback ORDER BY id").fetchall()
        result = []
        for values in found:
            row = dict(zip(COLUMNS, values, strict=True))
            row["citations"] = json.loads(row["citations"])
            row["settings"] = json.loads(row["settings"])
            result.append(row)
        return result
