"""Every text the assistant says in its own words: refusals, the patients' notice, the guardrails'
answers (emergency, personal advice, out of scope) and the lines saying what the sources lack."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from retriever.types import Answer, Audience, RefusalReason

if TYPE_CHECKING:
    from retriever.guardrails.emergency import Emergency

REFUSAL_TEXT = "The sources I have don't answer this."
PATIENT_NOTICE = (
    "This is general information from the sources, not medical advice. "
    "Please talk with your care team about your own situation."
)
EMPTY_QUESTION_TEXT = "Please type a question."

OUT_OF_SCOPE_TEXT = (
    "Sorry, I can only help with questions about autoimmune diseases, the immune system and their "
    "treatments (such as lupus, CAR-T cell therapy or B-cell depletion). Please ask me about one "
    "of those."
)

EMERGENCY_TEXT = (
    "This may be a medical emergency. Call your local emergency number now, or go to the nearest "
    "emergency department. Don't wait for an answer here or for symptoms to pass."
)
EMERGENCY_AFTER_TREATMENT_TEXT = (
    "If this is after CAR-T cell therapy or an infusion, also call the treating team's 24-hour "
    "number and tell them about the treatment."
)
EMERGENCY_STAFF_TEXT = "For a patient in your care, follow your emergency protocol and call for help now."
SELF_HARM_TEXT = (
    "I'm really sorry you're feeling this way, and I'm glad you said it. Please get help right now: "
    "call your local emergency number, or go to the nearest emergency department. You can also "
    "contact a suicide and crisis line in your country to talk to someone straight away, day or "
    "night. If you can, tell someone you trust and stay with them. You don't have to go through "
    "this alone."
)

PERSONAL_PREFIX_TEXT: dict[Audience, str] = {
    "patient": "I can't advise on your own treatment, so please ask your doctor or care team before you "
    "change anything. In general, the sources say:",
    "staff": "I can't make a decision about a specific patient; that rests with the treating physician "
    "and care team. In general, the sources say:",
}
# a personal prognosis ("will car t work for me", "how long will i live with lupus"): no one can say from
# general sources how it will go for one person (session 43)
PROGNOSIS_PREFIX_TEXT: dict[Audience, str] = {
    "patient": "I can't tell how it will go for you: that depends on your own health, which your doctor or "
    "care team knows. In general, the sources say:",
    "staff": "I can't give a prognosis for a specific patient; that rests with the treating physician and "
    "care team. In general, the sources say:",
}
PROGNOSIS_REDIRECT_TEXT: dict[Audience, str] = {
    "patient": "I can't tell how it will go for you, and my sources don't give general facts on this. Please "
    "ask your doctor or care team; they know your situation and can tell you what to expect.",
    "staff": "I can't give a prognosis for a specific patient, and my sources don't cover this question in "
    "general. Please discuss it with the treating physician and care team.",
}
PERSONAL_REDIRECT_TEXT: dict[Audience, str] = {
    "patient": "I can't advise on your own treatment, and my sources don't give general facts on this. "
    "Please ask your doctor or care team; they know your situation and can tell you what is safe for you.",
    "staff": "I can't make a decision about a specific patient, and my sources don't cover this question "
    "in general. Please decide with the treating physician and care team.",
}

# the redirect when what the sources say on the question is a dose or a stop/start instruction, withheld
PERSONAL_WITHHELD_TEXT: dict[Audience, str] = {
    "patient": "I can't advise on your own treatment. What my sources say on this is about doses or stopping and "
    "starting medicines, which only your care team can apply to you. Please ask your doctor or care team; they "
    "know your situation and can tell you what is safe for you.",
    "staff": "I can't make a decision about a specific patient. What my sources say on this is dosing or "
    "stop/start guidance, which I don't give for one patient. Please decide with the treating physician and "
    "care team.",
}


def refusal(
    question: str,
    audience: Audience,
    reason: RefusalReason,
    text: str = REFUSAL_TEXT,
    answerer: str = "",
) -> Answer:
    """The refusal; patients get the not-medical-advice notice on every answer, refusals included."""
    return Answer(
        question=question,
        answer=text,
        refused=True,
        refusal_reason=reason,
        audience=audience,
        notice=notice_for(audience),
        answerer=answerer,
    )


def notice_for(audience: Audience) -> str:
    """The notice an answer carries: patients get `PATIENT_NOTICE`, staff none."""
    return PATIENT_NOTICE if audience == "patient" else ""


def emergency_text(emergency: Emergency, audience: Audience = "patient") -> str:
    """The urgent-care message: emergency number first, the treating team for treated patients."""
    if emergency.self_harm:
        return SELF_HARM_TEXT
    lines = [EMERGENCY_TEXT]
    if emergency.after_treatment:
        lines.append(EMERGENCY_AFTER_TREATMENT_TEXT)
    if audience == "staff":
        lines.append(EMERGENCY_STAFF_TEXT)
    return " ".join(lines)


def personal_prefix(audience: Audience, prognosis: bool = False) -> str:
    """The line before the general facts of a personal question: the decision (or, for a personal
    prognosis, what to expect) is the care team's."""
    return (PROGNOSIS_PREFIX_TEXT if prognosis else PERSONAL_PREFIX_TEXT)[audience]


def listed(items: list[str]) -> str:
    """ "a", "a or b", "a, b or c" (items must not be empty)."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def not_in_sources_text(names: list[str]) -> str:
    """The refusal for drug or trial names that no indexed chunk mentions."""
    return f"The sources I have don't mention {listed(names)}, so I can't answer this from them."


def unmentioned_text(terms: list[str]) -> str:
    """The refusal for a "what is X?" whose X none of the retrieved passages uses."""
    return f"None of the passages I found mentions {listed(terms)}, so I can't answer this from my sources."


def not_covered_text(kinds: list[str], names: list[str], topics: list[str], audience: Audience) -> str:
    """One line saying what the sources do not cover (`names` they never mention, else the `kinds` of
    fact they never give, e.g. "prices or costs"), then what they do cover on the subject."""
    text = f"{_lacking(kinds, names, audience)}, so I can't answer it from them."
    if topics:
        text += " What they do cover on this subject: " + "; ".join(topics) + "."
    return text


def untold_part_text(kinds: list[str], names: list[str], audience: Audience) -> str:
    """The line after an answer to the first part of a question whose second part the sources do not
    cover: "what is teclistamab and is it safe" (`steps.draft`)."""
    return f"{_lacking(kinds, names, audience)}, so I can't answer that part from them."


def _lacking(kinds: list[str], names: list[str], audience: Audience) -> str:
    """ "The sources I have don't mention X" (`names`), else "… don't give <kinds> for this"."""
    # a name another one holds is said once: "anifrolumab for lupus", not "anifrolumab or anifrolumab …"
    names = [n for n in names if not any(n != m and re.search(rf"\b{re.escape(n)}\b", m) for m in names)]
    missing = f"don't mention {listed(names)}" if names else f"don't give {listed(kinds)} for this"
    lead = "The sources I have" if audience == "patient" else "The indexed sources"
    return f"{lead} {missing}"
