"""The chain's steps one at a time: frozen values in, a new value out, the Answer never changed in place."""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest

from index.embedder import Embedder
from index.settings import Settings
from retriever.answerers import StreamingAnswerer, WritingAnswerer, make_answerer
from retriever.chain import llm_generate
from retriever.conversation import CONDENSE_MAX_TOKENS
from retriever.guardrails import Screening
from retriever.guardrails.personal import personal_redirect
from retriever.llm.answerer import LLMAnswerer
from retriever.messages import EMPTY_QUESTION_TEXT, PATIENT_NOTICE, REFUSAL_TEXT, personal_prefix, refusal
from retriever.steps import (
    Question,
    Screened,
    off_subject,
    personal_answer,
    screened_answer,
    unknown_names_answer,
)
from retriever.types import Answer, Citation

RETRIEVER = Path(__file__).resolve().parents[2] / "retriever"


def screened(screening: Screening, names: tuple[str, ...] = ()) -> Screened:
    return Screened(Question("is it safe?", "patient"), "is it safe?", screening, names)


class FakeChatModel:
    """A chat model whose reply the test fixes in advance."""

    model = "fake"

    def __init__(self) -> None:
        self.calls: list[tuple[int, float]] = []

    def generate(self, messages: list[dict[str, str]], max_tokens: int, temperature: float) -> Iterator[str]:
        self.calls.append((max_tokens, temperature))
        yield from ["what is ", "lupus?"]

    def count_tokens(self, text: str) -> int | None:
        return None


@pytest.mark.parametrize(
    ("audience", "notice"), [("patient", PATIENT_NOTICE), ("staff", "")], ids=["patient", "staff"]
)
def test_a_refusal_says_the_sources_do_not_answer_and_patients_get_the_notice(
    audience: str, notice: str
) -> None:
    result = refusal("q", audience, "no_evidence")  # type: ignore[arg-type]
    assert (result.answer, result.refused, result.refusal_reason) == (REFUSAL_TEXT, True, "no_evidence")
    assert result.notice == notice and result.audience == audience
    assert refusal("", "staff", "empty_question", EMPTY_QUESTION_TEXT).answer == "Please type a question."


def test_the_step_values_are_frozen() -> None:
    value = screened(Screening(None, None, "is it safe?"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        value.unrewritten = "changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        value.asked.text = "changed"  # type: ignore[misc]


def test_the_screens_own_answer_carries_the_question_and_leaves_the_screening_as_it_was() -> None:
    given = Answer(question="", answer="Call 911.", refused=True, refusal_reason="emergency")
    value = screened(Screening("emergency", given, "is it safe (about: chest pain)?"))
    result = screened_answer(value)
    assert (result.question, result.standalone_question) == ("is it safe?", "is it safe (about: chest pain)?")
    assert result.answer == "Call 911." and result.refusal_reason == "emergency"
    assert given.question == "" and given.standalone_question == ""


def test_names_no_source_mentions_are_refused_by_name() -> None:
    result = unknown_names_answer(screened(Screening(None, None, "is zorblimab safe?"), ("zorblimab",)))
    assert result.refused and result.refusal_reason == "not_in_sources"
    assert "zorblimab" in result.answer and result.standalone_question == "is zorblimab safe?"
    assert result.notice == PATIENT_NOTICE
    personal = Screening("personal_advice", None, "What is known about zorblimab?")
    redirect = unknown_names_answer(screened(personal, ("zorblimab",)))  # a decision: the care team first
    assert redirect.refusal_reason == "personal_advice" and "care team" in redirect.answer


def test_a_personal_answer_gets_the_care_team_line_or_the_redirect_alone() -> None:
    asked = Question("should I stop my methotrexate?", "patient")
    facts = Answer(question="q", answer="Methotrexate is a DMARD. [1]", evidence_score=0.7)
    shown = personal_answer(facts, asked)
    assert shown.answer == f"{personal_prefix('patient')}\n\nMethotrexate is a DMARD. [1]"
    assert facts.answer == "Methotrexate is a DMARD. [1]"
    refused = refusal("q", "patient", "insufficient_evidence").model_copy(update={"evidence_score": 0.2})
    redirect = personal_answer(refused, asked)
    assert redirect.answer == personal_redirect(asked.text, "patient").answer
    assert redirect.refusal_reason == "personal_advice" and redirect.evidence_score == 0.2


def test_a_personal_prognosis_gets_its_own_care_team_line() -> None:
    from retriever.messages import PERSONAL_REDIRECT_TEXT, PROGNOSIS_REDIRECT_TEXT
    from retriever.steps import tells_an_outcome

    # session 43: "how long will i live with lupus" got general facts with no word of the care team
    asked = Question("how long will i live with lupus", "patient")
    facts = Answer(
        question="q", answer="Most people with lupus live a normal lifespan. [1]", evidence_score=0.7
    )
    shown = personal_answer(facts, asked)
    assert shown.answer.startswith(personal_prefix("patient", prognosis=True))
    assert "how it will go for you" in shown.answer
    drafted = refusal("q", "patient", "personal_advice", PERSONAL_REDIRECT_TEXT["patient"])
    assert personal_answer(drafted, asked).answer == PROGNOSIS_REDIRECT_TEXT["patient"]
    assert tells_an_outcome(facts)
    assert not tells_an_outcome(
        Answer(question="q", answer="Inside the body, the CAR T cells multiply.", evidence_score=0.7)
    )


def test_only_an_answerer_with_a_chat_model_condenses_with_it() -> None:
    model = FakeChatModel()
    llm = LLMAnswerer("fake", model, cast(Embedder, None))
    assert isinstance(llm, WritingAnswerer) and isinstance(llm, StreamingAnswerer)
    generate = llm_generate(llm)
    assert generate is not None and generate([{"role": "user", "content": "x"}]) == "what is lupus?"
    assert model.calls == [(CONDENSE_MAX_TOKENS, 0.0)]
    extractive = make_answerer(Settings(answerer="extractive"))
    assert not isinstance(extractive, WritingAnswerer | StreamingAnswerer)
    assert llm_generate(extractive) is None


def test_the_extractive_answerer_gets_the_staff_extra_sentences_from_the_settings() -> None:
    answerer = make_answerer(Settings(answerer="extractive", staff_extra_sentences=2))
    assert answerer.staff_extra_sentences == 2  # type: ignore[attr-defined]


@pytest.mark.parametrize("module", ["chain.py", "steps.py"])
def test_the_chain_sets_no_attribute_of_a_value_it_passes_on(module: str) -> None:
    tree = ast.parse((RETRIEVER / module).read_text(encoding="utf-8"))
    targets = [t for node in ast.walk(tree) if isinstance(node, ast.Assign) for t in node.targets]
    targets += [node.target for node in ast.walk(tree) if isinstance(node, ast.AugAssign | ast.AnnAssign)]
    assigned = [ast.unparse(t) for t in targets if isinstance(t, ast.Attribute)]
    assert [a for a in assigned if not a.startswith("self.")] == []


def _cited(quote: str) -> Answer:
    citation = Citation(
        n=1, doc_id="d", chunk_id="d#0", title="t", url="u", source="s", quote=quote, score=0.5
    )
    return Answer(question="q", answer=f"{quote} [1]", citations=[citation], audience="patient")


def test_a_personal_questions_general_facts_must_lead_with_a_medicine_it_names() -> None:
    asked = "What is known about stopping mycophenolate before pregnancy?"
    assert off_subject(asked, _cited("Many women need more iodine during pregnancy."))
    assert not off_subject(asked, _cited("CellCept can harm an unborn baby."))  # a brand name counts
    assert not off_subject(
        "Who can get a clinical trial?", _cited("Trials take adults.")
    )  # no medicine named
    assert not off_subject("What is known about pred during a flare?", _cited("Prednisone calms a flare."))


def test_a_name_typed_in_lower_case_counts_only_where_it_is_written_as_a_name() -> None:
    """Session 28: "nejm" finds "… (NEJM) printed …"; "cytokine" does not find "Cytokines are …"."""
    from retriever.query import written_as_name

    assert written_as_name("nejm", "The New England Journal of Medicine (NEJM) printed case reports.")
    assert written_as_name("askanase", "Anca Askanase, a rheumatologist, said so.")
    assert not written_as_name("cytokine", "Cytokine levels rise. Cytokine storms are rare.")
    assert not written_as_name("teclistamab", "A BiTE called teclistamab has been used.")
    assert written_as_name("muller", "in the words of Fabian Müller, a doctor")  # accents aside (session 30)


def test_the_people_and_journals_a_question_names() -> None:
    """Session 30: names the embedder cannot weigh, and journals named as where a study appeared."""
    from retriever.query import asked_names, journals_named

    assert asked_names("who is fabian muller") == {"fabian", "muller"}
    # the English word list holds many names ("fabian", "muller"): only a "who is …?" question reads them
    assert asked_names("Where does Fabian Müller work?") == set()
    assert asked_names("Where does Anca Askanase work?") == {"anca", "askanase"}
    assert asked_names("what does Askanase think about BiTEs") == {"askanase"}  # not the capitals of "BiTEs"
    assert asked_names("What is Lupus?") == set()  # an everyday word with a capital is no name
    assert journals_named("what did the nature study find") == {"nature"}
    assert journals_named("how many people were in the study published in Nature") == {"nature"}
    assert journals_named("what is the nature of lupus") == set()
    assert asked_names("what did the nejm case reports show") == {"nejm"}
    assert asked_names("How do bispecific T-cell engagers deplete B cells?") == set()  # no names
    # whom the question quotes, English word list or not; not a publisher's capitals
    assert asked_names("According to Fabian Müller, how does CAR-T work?") == {"fabian", "muller"}
    assert asked_names("According to NIDDK, how common is lupus nephritis?") == set()
    assert asked_names("According to Genetics Home Reference, how common is lupus?") == set()
    # a disease named after a person is no person asked about
    assert asked_names("How common is fatigue in primary Sjögren's?") == set()
    assert asked_names("Is Hashimoto disease like Graves disease, says Askanase?") == {"askanase"}
    # a follow-up's subject is not what it asks about
    assert (
        asked_names("how long did the first patient stay well (about: the German study in Nature)") == set()
    )


def test_a_chunk_holds_a_hyphenated_word_by_its_parts() -> None:
    """Session 30: "which companies are investing in car t" asks for "car", which "CAR-T" holds."""
    from index.terms import content_terms
    from retriever.steps import _holds

    asked = content_terms("which companies are investing in car t")
    assert _holds("Drug companies are investing in CAR-T for lupus.", asked)
    assert not _holds("Drug companies are investing in new medicines.", asked)


@pytest.mark.parametrize(
    ("typed", "spelled", "again"),
    [
        ("what is mg", "what is myasthenia gravis", True),  # session 41: what it is, asked by its name
        ("is mg catching", "is myasthenia gravis catching", False),  # refused as unanswered: it stands
    ],
)
def test_what_an_abbreviation_is_is_asked_again_by_name_when_unanswered(
    monkeypatch: pytest.MonkeyPatch, typed: str, spelled: str, again: bool
) -> None:
    from retriever import steps

    answered = Answer(question=spelled, answer="Myasthenia gravis is a disease. [1]")

    def drafted(parts: object, searched: object, asked: str) -> Answer:
        if asked == spelled:
            return answered
        return refusal(asked, "patient", "insufficient_evidence")

    monkeypatch.setattr(steps, "_draft", drafted)
    screened = Screened(Question(typed, "patient"), typed, Screening(None, None, typed), (), spelled)
    result = steps.draft(cast(steps.ChainParts, None), steps.Searched(screened, [], 0.0)).answer
    assert (result is answered) == again
    assert result.refused != again
