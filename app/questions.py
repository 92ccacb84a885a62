"""What the front ends (CLI, chat, REST API) accept as a question: at most AQA_MAX_QUESTION_CHARS
characters. A longer one is refused before anything is embedded, so a pasted page cannot keep the
server busy and every answer echoes back a question of bounded size."""

from __future__ import annotations

from errors import UserError


def check_question_length(question: str, limit: int, what: str = "the question") -> None:
    """Raise a UserError naming `what` when the question (without surrounding blanks) is too long."""
    length = len(question.strip())
    if length > limit:
        raise UserError(
            f"{what} is {length:,} characters long; the limit is {limit:,} (AQA_MAX_QUESTION_CHARS): "
            "shorten it to the question itself"
        )
