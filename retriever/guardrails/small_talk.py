"""Small talk: a message that is only a greeting, thanks, a question about the assistant itself, or
punctuation.

"hi" or "thanks thats helpful" asks nothing the sources can answer, and searching them gave "The
sources I have don't answer this." (or, for "are you a doctor", three sentences about doctors). The
whole message must be small talk (`detect_small_talk`), so "hi, my chest hurts" or "thanks, and is
it contagious?" are questions as before; the reply says what the assistant does and what it does not
(`small_talk_answer`).
"""

from __future__ import annotations

import re
from typing import Literal

from retriever.messages import refusal
from retriever.types import Answer, Audience

SmallTalk = Literal["greeting", "thanks", "about", "identity", "nothing"]


def _whole(body: str) -> re.Pattern[str]:
    """A pattern the whole message must match: `body`, then nothing but punctuation."""
    return re.compile(rf"^\s*(?:{body})[\s!.?,:)(]*$", re.IGNORECASE)


_GREETING = _whole(
    r"(hi+|hello+|hey+|hiya|howdy|yo|greetings|good (morning|afternoon|evening|day))"
    r"( there| again| everyone| all)?([\s,!.]+(how are you( doing)?|how's it going))?"
)
_THANKS = _whole(
    r"((ok(ay)?|great|cool|perfect|got it|nice|good|awesome)[\s,!.]*)?"
    r"(thanks?|thank you|thx|ty|cheers|many thanks)( (so|very) much| a lot| a bunch)?"
    r"([\s,!.]+((that'?s|that is|this is|very|really|so) )?(helpful|useful|great|clear|perfect|interesting))?"
    r"|((ok(ay)?|great|cool|perfect|got it|nice|awesome|that'?s (helpful|useful|great|clear))[\s,!.]*){1,3}"
)
_ABOUT = _whole(
    r"what can (you|u) (do|help( me)? with)|how can (you|u) help( me)?|what (do|can) (you|u) (do|know)"
    r"|what are (you|u)|who are (you|u)|what is this|help"
)
_IDENTITY = _whole(
    r"(are|r) (you|u) (a |an )?(real )?(doctor|nurse|human|person|bot|robot|ai|computer|machine)"
)

_WHAT_I_DO = (
    "I answer questions about autoimmune diseases and their treatments, such as lupus, CAR-T cell "
    "therapy, bispecific T-cell engagers (BiTEs) like teclistamab and B-cell depletion, from the health "
    "sources I hold, and I cite the source for each fact."
)
_NOT_ADVICE = "I can't give medical advice; for your own care, please talk with your doctor or care team."
_TEXTS: dict[SmallTalk, str] = {
    "greeting": f"Hello! {_WHAT_I_DO} What would you like to know?",
    "thanks": "You're welcome. Ask me anything else about autoimmune diseases or their treatments.",
    "about": f'{_WHAT_I_DO} {_NOT_ADVICE} For example, you can ask: "How does CAR-T work in lupus?"',
    "identity": f"No. I'm a computer assistant, not a doctor or a person. {_WHAT_I_DO} {_NOT_ADVICE}",
    "nothing": "Please type a question about autoimmune diseases or their treatments.",
}


def detect_small_talk(question: str) -> SmallTalk | None:
    """The kind of small talk the whole message is, or None for anything else (a question)."""
    text = question.strip()
    if text and not re.search(r"\w", text):
        return "nothing"  # "??", "..."
    for kind, pattern in (
        ("greeting", _GREETING),
        ("thanks", _THANKS),
        ("about", _ABOUT),
        ("identity", _IDENTITY),
    ):
        if pattern.match(text):
            return kind  # type: ignore[return-value]
    return None


def small_talk_answer(question: str, kind: SmallTalk, audience: Audience) -> Answer:
    """The fixed reply to small talk, given without retrieval (no sources, so no citations)."""
    return refusal(question, audience, "small_talk", _TEXTS[kind], "guardrails")
