"""Checks that run before retrieval: emergencies, small talk, questions out of scope, personal decisions.

All four are rules over the words of the question (no model, a few milliseconds), run by `screen` in
this order: emergency (`emergency`), small talk (`small_talk`), out of scope (`scope`), personal advice
(`personal`). Each module
says its rule; `normalise` corrects the spelling they all read, `dosing` blanks dosing sentences out of
the evidence for a personal question.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from retriever.conversation import LEANING
from retriever.guardrails.emergency import detect_emergency, emergency_answer
from retriever.guardrails.personal import depersonalise, detect_personal_advice
from retriever.guardrails.scope import ScopeVocabulary, judge_scope, out_of_scope_answer
from retriever.guardrails.small_talk import detect_small_talk, small_talk_answer
from retriever.types import Answer, Audience

GuardKind = Literal["emergency", "small_talk", "personal_advice", "out_of_scope"]


@dataclass(frozen=True)
class Screening:
    """The verdict before retrieval: an answer to give at once, or the question to retrieve for."""

    kind: GuardKind | None
    answer: Answer | None = None  # emergency and out-of-scope answers, given without retrieval
    question: str = ""  # the question retrieval and the answerer see (depersonalised when personal)


def screen(question: str, standalone: str, audience: Audience, vocabulary: ScopeVocabulary) -> Screening:
    """Run the four checks in order: emergency, small talk, out of scope, personal advice."""
    emergency = detect_emergency(question)
    if emergency is not None:
        return Screening("emergency", emergency_answer(question, emergency, audience), standalone)
    small_talk = detect_small_talk(question)
    if small_talk is not None:  # "hi", "thanks thats helpful", "are you a doctor"
        return Screening("small_talk", small_talk_answer(question, small_talk, audience), standalone)
    # a follow-up that points back at the conversation ("what about cold weather?") keeps its subject
    leans_on_conversation = standalone != question and bool(LEANING.search(question))
    if judge_scope(question, vocabulary) == "out" and not leans_on_conversation:
        return Screening("out_of_scope", out_of_scope_answer(question, audience), standalone)
    if detect_personal_advice(question):
        return Screening("personal_advice", None, depersonalise(standalone))
    return Screening(None, None, standalone)
