"""What the assistant says instead of an answer from the sources, and the notice patients get."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from retriever.types import Answer, Audience, RefusalReason

REFUSAL_TEXT = "The sources I have don't answer this."
PATIENT_NOTICE = (
    "This is general information from the sources, not medical advice. "
    "Please talk with your care team about your own situation."
)
EMPTY_QUESTION_TEXT = "Please type a question."


def refusal(question: str, audience: Audience, reason: RefusalReason, text: str = REFUSAL_TEXT) -> Answer:
    """The refusal; patients get the not-medical-advice notice on every answer, refusals included."""
    from retriever.types import Answer  # here, not above: retriever.types re-exports this module's texts

    return Answer(
        question=question,
        answer=text,
        refused=True,
        refusal_reason=reason,
        audience=audience,
        notice=notice_for(audience),
    )


def notice_for(audience: Audience) -> str:
    """The notice an answer carries: patients get `PATIENT_NOTICE`, staff none."""
    return PATIENT_NOTICE if audience == "patient" else ""
