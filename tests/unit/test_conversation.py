"""The rule-based follow-up condensing: what carries the conversation's subject and what does not."""

from __future__ import annotations

import pytest

from retriever.conversation import condense_followup, is_followup
from retriever.steps import standalone_question


@pytest.mark.parametrize(
    "question",
    [
        "how much does it cost?",
        "What about myositis?",
        "does it reach tissues as well as car t?",
        "And blinatumomab?",
        "is there anything simpler?",
        "how do they treat it",
        "side effects?",
        "what are the signs",  # an aspect of the subject talked about, not a new subject
        "whats the outlook",
        "what are the side effects",
        "what is the prognosis",  # "prognosis" as the word list's stemming has it (session 34)
        "whats the life expectancy",
        "whats the recovery like",
    ],
)
def test_questions_that_lean_on_the_conversation_are_followups(question: str) -> None:
    assert is_followup(question)


@pytest.mark.parametrize(
    "question",
    [
        "What is myasthenia gravis?",
        "whats systemic sclerosis",
        "Tell me about teclistamab",
        "Explain lupus nephritis",
        "What are bispecific T-cell engagers used for in multiple sclerosis research today?",
    ],
)
def test_questions_that_name_a_new_subject_stand_alone(question: str) -> None:
    assert not is_followup(question)
    assert condense_followup(question, ["what is car t therapy for lupus"]) == question


def test_a_followup_carries_the_previous_subject() -> None:
    assert (
        condense_followup("how much does it cost?", ["what is car t therapy for lupus?"])
        == "how much does it cost? (about: car t therapy for lupus)"
    )


def test_a_followup_carries_what_the_earlier_question_was_about_not_what_it_asked() -> None:
    # "causes" is the earlier ask: the follow-up asks something else about Graves disease
    assert condense_followup("how do they treat it", ["what causes graves disease"]) == (
        "how do they treat it (about: graves disease)"
    )
    assert condense_followup("how long does it last", ["does car t work for lupus"]) == (
        "how long does it last (about: car t for lupus)"
    )
    # "what about ms" asks the earlier question of something else: ms takes lupus's place
    assert condense_followup("what about ms", ["how is lupus diagnosed"]) == "how is ms diagnosed"
    assert condense_followup("what about for myasthenia gravis", ["how does car t work for lupus"]) == (
        "how does car t work for myasthenia gravis"
    )
    assert condense_followup("what about teclistamab", ["how much does car t cost"]) == (
        "how much does teclistamab cost"
    )
    assert condense_followup("and hashimotos?", ["what is vitiligo"]) == "what is hashimotos"
    # more than a name: carried as before, not swapped into the earlier question
    assert condense_followup("what about car t for ms", ["how does rituximab work for lupus"]) == (
        "what about car t for ms (about: how does rituximab work for lupus)"
    )
    assert condense_followup("and for lupus patients?", ["how is ms treated"]) == (
        "and for lupus patients? (about: how is ms treated)"
    )
    # not a disease or a treatment the tables know: the ask comes along as before
    assert (
        condense_followup("and for kids", ["how is lupus treated"])
        == "and for kids (about: how is lupus treated)"
    )
    assert condense_followup("what about side effects", ["what is rituximab"]) == (
        "what about side effects (about: rituximab)"
    )


def test_what_is_it_is_still_a_followup() -> None:
    assert condense_followup("what is it made from?", ["Tell me about CAR-T"]) == (
        "what is it made from? (about: CAR-T)"
    )


def test_the_subject_carries_over_several_turns() -> None:
    history = [
        {"role": "user", "content": "What is teclistamab?"},
        {"role": "assistant", "content": "…"},
        {"role": "user", "content": "Has it been used in lupus?"},
    ]
    assert standalone_question("And in myositis?", history) == "Has it been used in myositis teclistamab"
    # a third turn carries the subject, never a nested "(about: …)"
    assert condense_followup("how is it treated", ["what is itp", "what are the symptoms (about: itp)"]) == (
        "how is it treated (about: itp)"
    )


def test_without_history_the_question_is_unchanged() -> None:
    assert condense_followup("how much does it cost?", []) == "how much does it cost?"


# With an LLM: the model's rewrite is used only when it looks like a standalone question. The
# generators below stand in for a model's reply text; tests/integration/test_llm_answerers.py runs
# the same path against the packaged llama.cpp model.


def test_a_usable_model_rewrite_is_the_standalone_question() -> None:
    from retriever.conversation import llm_condense_followup

    seen: list[list[dict[str, str]]] = []

    def model(messages: list[dict[str, str]]) -> str:
        seen.append(messages)
        return "Standalone question: How much does CAR-T therapy for lupus cost?\nIt is expensive."

    got = llm_condense_followup("how much does it cost?", ["what is car t therapy for lupus?"], model)
    assert got == "How much does CAR-T therapy for lupus cost?"
    assert "what is car t therapy for lupus?" in seen[0][1]["content"]
    assert "how much does it cost?" in seen[0][1]["content"]


@pytest.mark.parametrize(
    "reply",
    [
        "",  # nothing
        "CAR-T therapy costs about $500,000 in cancer care, according to the sources I have read.",  # answered
        "What is the weather like?",  # lost the conversation
        "teclistamab " * 60,  # runaway
    ],
)
def test_an_unusable_model_rewrite_falls_back_to_the_rule(reply: str) -> None:
    from retriever.conversation import llm_condense_followup

    got = llm_condense_followup(
        "how much does it cost?", ["what is car t therapy for lupus?"], lambda m: reply
    )
    assert got == "how much does it cost? (about: car t therapy for lupus)"


def test_a_failing_model_falls_back_and_a_new_subject_is_not_sent_to_it() -> None:
    from retriever.conversation import llm_condense_followup

    def broken(messages: list[dict[str, str]]) -> str:
        raise ConnectionError("server gone")

    assert llm_condense_followup("does it reach tissues?", ["what are bites?"], broken) == (
        "does it reach tissues? (about: bites)"
    )
    assert llm_condense_followup("What is myasthenia gravis?", ["what are bites?"], broken) == (
        "What is myasthenia gravis?"
    )


def test_small_talk_between_questions_carries_no_subject() -> None:
    # session 24: "thanks" had become the earlier question: "(about: thanks psoriasis)"
    history = [
        {"role": "user", "content": "what is psoriasis"},
        {"role": "assistant", "content": "…"},
        {"role": "user", "content": "thanks"},
        {"role": "assistant", "content": "You're welcome. …"},
    ]
    assert standalone_question("is it contagious", history) == "is it contagious (about: psoriasis)"
