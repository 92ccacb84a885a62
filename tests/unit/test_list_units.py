"""Lists in the evidence: a lead-in with its items is one answer unit, shown as a list and cited once."""

from __future__ import annotations

import re

import numpy as np
import pytest

from evaluation.metrics import fk_grade
from index.embedder import Embedder, get_embedder
from index.sentences import split_sentences
from index.settings import Settings
from retriever.candidates import ASKS_STEPS, candidates, list_units
from retriever.choice import repeats
from retriever.citecheck import answer_sentences, check_citations
from retriever.extractive import ExtractiveAnswerer
from retriever.types import Evidence
from retriever.weights import SHIPPED

KIDNEYS = (
    "Lupus can harm the kidneys over time.\n\n"
    "Signs of kidney trouble can include:\n\n"
    "- high blood pressure\n"
    "- foamy urine, a sign of protein in the urine\n"
    "- swelling in the feet, ankles or legs\n\n"
    "Kidney problems often start soon after other lupus symptoms."
)
RESOURCES = (
    "These resources address the management of lupus:\n"
    "- Genetic Testing Registry: Systemic lupus erythematosus\n"
    "- MedlinePlus Encyclopedia: Antinuclear Antibody Panel\n"
    "- Cleveland Clinic\n"
)
PARAGRAPHS = (
    "People with lupus face some added risks:\n"
    "- **Heart disease.** Fatty buildup in the blood vessels is common in the general public, and it "
    "is even more common in people with lupus, who should have their blood pressure and cholesterol "
    "checked often.\n"
    "- **Bone damage.** Lupus can lead to loss of blood supply to a bone.\n"
)


def evidence(text: str, doc_id: str = "doc-a", score: float = 0.6, start: int = 40) -> Evidence:
    return Evidence(
        chunk_id=f"{doc_id}#abc#0000",
        doc_id=doc_id,
        text=text,
        score=score,
        title="Lupus and the kidneys",
        start=start,
        end=start + len(text),
    )


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return get_embedder(Settings())


def test_a_lead_in_and_its_items_are_one_unit_spanning_them() -> None:
    spans = split_sentences(KIDNEYS)
    units = list_units(KIDNEYS, spans, SHIPPED)
    assert len(units) == 1
    ((first, (end, parts)),) = units.items()
    assert KIDNEYS[spans[first][0] : end].startswith("Signs of kidney trouble can include:")
    assert KIDNEYS[spans[first][0] : end].endswith("ankles or legs")
    assert parts == (
        "Signs of kidney trouble can include:",
        "high blood pressure",
        "foamy urine, a sign of protein in the urine",
        "swelling in the feet, ankles or legs",
    )
    ev = evidence(KIDNEYS)
    unit = next(c for c in candidates([ev], SHIPPED) if c.parts)
    assert unit.text == (
        "Signs of kidney trouble can include: high blood pressure; foamy urine, a sign of protein in the "
        "urine; swelling in the feet, ankles or legs."
    )
    assert ev.text[unit.start - ev.start : unit.end - ev.start] == KIDNEYS[spans[first][0] : end]
    # the lead-in alone is no candidate any more; the sentence after the list still is
    texts = [c.text for c in candidates([ev], SHIPPED)]
    assert "Signs of kidney trouble can include:" not in texts
    assert "Kidney problems often start soon after other lupus symptoms." in texts


def test_lists_of_names_or_of_paragraphs_are_no_units() -> None:
    assert list_units(RESOURCES, split_sentences(RESOURCES), SHIPPED) == {}
    assert list_units(PARAGRAPHS, split_sentences(PARAGRAPHS), SHIPPED) == {}
    one_item = "It has one sign:\n- a rash on the face\n\nThat is all."
    assert list_units(one_item, split_sentences(one_item), SHIPPED) == {}


def test_a_list_answers_as_a_list_with_one_citation_after_its_last_item(embedder: Embedder) -> None:
    answerer = ExtractiveAnswerer(embedder, max_sentences=3, min_score=0.3)
    ev = evidence(KIDNEYS)
    result = answerer.answer("What are the signs of kidney trouble in lupus?", [ev], "staff")
    listed = re.search(
        r"(?:^|\n\n)Signs of kidney trouble can include:\n- high blood pressure\n"
        r"- foamy urine, a sign of protein in the urine\n- swelling in the feet, ankles or legs \[(\d)\]"
        r"(?:\n\n|$)",
        result.answer,
    )
    assert listed, result.answer
    quote = result.citations[int(listed.group(1)) - 1].quote
    assert quote.startswith("Signs of kidney trouble") and "- foamy urine" in quote
    checked = check_citations(result, [ev], embedder)
    assert checked.answer == result.answer  # every line supported, layout and markers kept
    assert all(s.supported for s in checked.sentences)


def test_a_sentence_repeating_a_chosen_list_item_is_not_added() -> None:
    ev_a = evidence(KIDNEYS)
    ev_b = evidence("Foamy urine is a sign of protein in the urine.", "doc-b")
    pool = candidates([ev_a, ev_b], SHIPPED)
    unit = next(i for i, c in enumerate(pool) if c.parts)
    restated = next(i for i, c in enumerate(pool) if c.evidence.doc_id == "doc-b")
    marks = repeats(SHIPPED, pool)
    assert marks[restated, unit]  # its words are all in the list
    assert not marks[unit, restated]  # the list says much more than the one sentence


def test_citecheck_keeps_a_run_of_sentences_under_one_marker(embedder: Embedder) -> None:
    from retriever.types import Answer, Citation

    quote = "CAR-T cells were given to five people with lupus. All five reached remission."
    ev = evidence(quote)
    answer = Answer(
        question="q",
        answer="CAR-T cells were given to five people with lupus. All five reached remission. [1]",
        citations=[
            Citation(
                n=1,
                doc_id="doc-a",
                chunk_id=ev.chunk_id,
                title="t",
                url="",
                source="",
                score=1.0,
                quote=quote,
            )
        ],
    )
    sentences = answer_sentences(answer.answer, {1})
    assert [s.ends_run for s in sentences] == [False, True]
    assert check_citations(answer, [ev], embedder).answer == (
        "CAR-T cells were given to five people with lupus. All five reached remission. [1]"
    )


def test_fk_grade_reads_each_line_as_a_sentence() -> None:
    listed = "Signs can include:\n- high blood pressure\n- foamy urine\n- swollen feet and ankles [1]"
    assert fk_grade(listed) == pytest.approx(
        fk_grade("Signs can include. High blood pressure. Foamy urine. Swollen feet and ankles."), abs=0.01
    )
    assert fk_grade(listed) < 6  # textstat alone reads it as one long sentence
    assert np.isfinite(fk_grade("One plain sentence. [1]") or 0.0)


def test_an_answer_holds_one_list_and_no_item_fragments(embedder: Embedder) -> None:
    second = (
        "Kidney trouble in lupus is treated with:\n\n"
        "- a corticosteroid such as prednisone\n"
        "- a medicine that holds back the immune system\n"
    )
    fragment = "- a low number of white blood cells, seen in some people with lupus\n"
    pool = candidates([evidence(KIDNEYS), evidence(second, "doc-b"), evidence(fragment, "doc-c")], SHIPPED)
    assert not any(c.text.startswith("a low number") for c in pool)  # its lead-in is elsewhere
    units = [i for i, c in enumerate(pool) if c.parts]
    assert (
        len(units) == 2
        and repeats(SHIPPED, pool)[units[0], units[1]]
        and repeats(SHIPPED, pool)[units[1], units[0]]
    )
    answerer = ExtractiveAnswerer(embedder, max_sentences=4, min_score=0.0)
    result = answerer.answer(
        "What are the signs of kidney trouble in lupus and how is it treated?",
        [evidence(KIDNEYS), evidence(second, "doc-b")],
        "staff",
    )
    assert result.answer.count("\n- ") >= 2 and result.answer.count(":\n- ") == 1


def test_a_list_item_naming_a_condition_is_quoted_only_with_its_lead_in() -> None:
    long_items = (
        "Rituximab is one of the treatments for several immune-related conditions:\n\n"
        "- **CLIPPERS**, an inflammatory disease of the central nervous system. Long-term CLIPPERS "
        "treatment may combine low-dose oral steroids with another immune suppressant such as "
        "methotrexate or rituximab.\n"
        "- **Schnitzler syndrome**, a rare autoinflammatory condition. Rituximab is among the "
        "medicines that have been tried for Schnitzler syndrome when other treatments fail.\n"
    )
    pool = [c.text for c in candidates([evidence(long_items)], SHIPPED)]
    assert not any(t.startswith(("**CLIPPERS**", "**Schnitzler", "Rituximab is one of")) for t in pool)
    assert any(t.startswith("Long-term CLIPPERS treatment") for t in pool)  # a sentence of its own
    short_items = "Rituximab is used for:\n\n- **CLIPPERS**, a brain disease\n- **Schnitzler syndrome**\n"
    (unit,) = candidates([evidence(short_items)], SHIPPED)
    assert unit.parts == (
        "Rituximab is used for:",
        "**CLIPPERS**, a brain disease",
        "**Schnitzler syndrome**",
    )


# as many NIH pages write a list: its lead-in ends the line unfinished, with no colon
UNFINISHED = (
    "The syndrome is serious if it is not treated quickly.\n\n"
    "The syndrome is usually treated with\n\n"
    "- medicines that hold back the immune system\n"
    "- corticosteroid medicines\n"
    "- plasma exchange\n\n"
    "Treatment often goes on for some months."
)
# a chunk that opens inside a list: its first item's marker stayed in the chunk before
CUT_LIST = (
    "B cells, which make antibodies to fight infection\n"
    "- T cells, which help B cells make those antibodies\n"
    "- natural killer cells, which attack viruses\n"
)


def test_a_lead_in_without_a_colon_leads_its_list_when_it_ends_unfinished() -> None:
    units = list_units(UNFINISHED, split_sentences(UNFINISHED), SHIPPED)
    ((_, (_, parts)),) = units.items()
    assert parts == (
        "The syndrome is usually treated with",
        "medicines that hold back the immune system",
        "corticosteroid medicines",
        "plasma exchange",
    )
    assert list_units(CUT_LIST, split_sentences(CUT_LIST), SHIPPED) == {}  # an item is no lead-in
    key_points = "Key Points\n- it is rare\n- it is treatable\n"
    assert list_units(key_points, split_sentences(key_points), SHIPPED) == {}


def test_a_list_without_a_colon_answers_as_a_list_but_gets_no_list_lift(embedder: Embedder) -> None:
    answerer = ExtractiveAnswerer(embedder, max_sentences=3, min_score=0.3)
    result = answerer.answer("How is the syndrome treated?", [evidence(UNFINISHED)], "staff")
    assert (
        "The syndrome is usually treated with\n- medicines that hold back the immune system\n"
        in result.answer
    )

    def unit_score(text: str, w_unit: float) -> float:
        weights = SHIPPED.model_copy(update={"w_unit": w_unit})
        scorer = ExtractiveAnswerer(embedder, max_sentences=3, min_score=0.3, weights=weights)
        kept, scores = scorer.score("How is it treated?", candidates([evidence(text)], weights))
        return float(scores.choice[next(i for i, c in enumerate(kept) if c.parts)])

    # the list lift (w_unit) is for lead-ins ending in a colon only
    assert unit_score(UNFINISHED, 1.0) == pytest.approx(unit_score(UNFINISHED, 0.0))
    assert unit_score(KIDNEYS, 1.0) > unit_score(KIDNEYS, 0.0) + 0.5


def test_a_paragraph_glued_to_the_last_item_is_not_part_of_the_list() -> None:
    glued = (
        "The main signs are:\n- Dry eyes\n"
        "- Dry mouth Treatment eases the signs for most people. Doctors can help.\n"
    )
    pool = candidates([evidence(glued)], SHIPPED)
    (unit,) = [c for c in pool if c.parts]
    assert unit.parts == ("The main signs are:", "Dry eyes", "Dry mouth")
    assert "Treatment eases the signs for most people." in [c.text for c in pool]


def test_a_glued_heading_the_sentence_repeats_is_not_quoted() -> None:
    from retriever.candidates import candidates
    from retriever.types import Evidence
    from retriever.weights import SHIPPED

    text = (
        "Chemotherapy Chemotherapy is a cancer treatment that uses drugs to stop the growth of cancer cells. "
        "Very very rare side effects are seen in some people who take it."
    )
    ev = Evidence(
        chunk_id="d#c#0", doc_id="d", text=text, score=0.5, title="Treatment", start=40, end=40 + len(text)
    )
    found = [(c.text, c.start) for c in candidates([ev], SHIPPED)]
    assert found[0] == (
        "Chemotherapy is a cancer treatment that uses drugs to stop the growth of cancer cells.",
        40 + len("Chemotherapy "),
    )
    assert found[1][0].startswith("Very very rare")  # a word said twice in another case is no heading


def frost_fever_sentences(text: str) -> list[str]:
    """The candidate sentences of one chunk on a made-up disease."""
    from retriever.candidates import candidates
    from retriever.types import Evidence
    from retriever.weights import SHIPPED

    ev = Evidence(
        chunk_id="d#c#0", doc_id="d", text=text, score=0.5, title="Frost fever", start=0, end=len(text)
    )
    return [c.text for c in candidates([ev], SHIPPED)]


def test_a_run_in_heading_in_title_case_is_not_quoted() -> None:
    """NIHSeniorHealth's pages lost their line breaks: "Psoriasis Triggers These so-called …" (session 25)."""
    found = frost_fever_sentences(
        "Frost Fever Triggers These triggers may be different for different people. "
        "Knowing a Cause No one knows why the fingers go white in the cold. "
        "The Cold Air Makes Many Small Vessels Narrow in people with frost fever."
    )
    assert found[:2] == [
        "These triggers may be different for different people.",
        "No one knows why the fingers go white in the cold.",
    ]
    # "Many" followed by another capital starts no sentence: nothing is cut from the third
    assert found[2].startswith("The Cold Air Makes Many")


def test_a_run_in_heading_in_sentence_case_is_not_quoted() -> None:
    """NCI's stage headings lost their line breaks: "Metastatic Ewing sarcoma The cancer has spread …"."""
    found = frost_fever_sentences(
        "Spreading frost fever The fever has spread from the hands to other parts of the body. "
        "Returning frost fever In returning frost fever, the fingers go white again after treatment. "
        "Cold air makes the small vessels of the hands narrow in people with frost fever. "
        "It is group A The strain is named after the letter."
    )
    assert found[:3] == [
        "The fever has spread from the hands to other parts of the body.",
        "In returning frost fever, the fingers go white again after treatment.",
        "Cold air makes the small vessels of the hands narrow in people with frost fever.",
    ]
    assert found[3].startswith("It is group A")  # a capital letter that opens no sentence cuts nothing


def test_a_run_in_heading_before_the_pages_subject_is_not_quoted() -> None:
    """NIHSeniorHealth: "Affects More Women Than Men Rheumatoid arthritis occurs …" (session 28)."""
    found = frost_fever_sentences(
        "Affects More Children Than Adults Frost fever occurs more often in children than in adults. "
        "Types of Frost Fever Frost fever comes in two forms. "
        "In Frost Valley frost fever is rare."
    )
    assert found[:2] == [
        "Frost fever occurs more often in children than in adults.",
        "Frost fever comes in two forms.",
    ]
    assert found[2] == "In Frost Valley frost fever is rare."  # the subject in lower case: no heading


def test_a_list_of_another_kind_than_asked_gets_no_list_lift(embedder: Embedder) -> None:
    """Session 28: "what causes lupus flares" had opened with "Common lupus symptoms include: …"."""
    symptoms = "Common frost fever symptoms include:\n- white fingers\n- numb toes\n- cold hands\n"

    def unit_score(question: str, w_unit: float) -> float:
        weights = SHIPPED.model_copy(update={"w_unit": w_unit})
        scorer = ExtractiveAnswerer(embedder, max_sentences=3, min_score=0.3, weights=weights)
        kept, scores = scorer.score(question, candidates([evidence(symptoms)], weights))
        return float(scores.choice[next(i for i, c in enumerate(kept) if c.parts)])

    assert unit_score("what causes frost fever", 1.0) == pytest.approx(
        unit_score("what causes frost fever", 0.0)
    )
    asked = "what are the symptoms of frost fever"
    assert unit_score(asked, 1.0) > unit_score(asked, 0.0) + 0.5
    plain = "tell me about frost fever"  # no kind asked: the list is lifted
    assert unit_score(plain, 1.0) > unit_score(plain, 0.0) + 0.5


def test_a_glued_heading_spelling_out_the_short_form_is_not_quoted() -> None:
    from retriever.candidates import without_repeated_heading

    text = "Chimeric antigen receptor (CAR) T-cell therapy CAR T-cell therapy is a type of immunotherapy."
    ((start, end),) = without_repeated_heading(text, [(0, len(text))])
    assert text[start:end] == "CAR T-cell therapy is a type of immunotherapy."
    prose = "Rheumatoid arthritis (RA) is an autoimmune disease that mainly inflames the joints."
    assert without_repeated_heading(prose, [(0, len(prose))]) == [(0, len(prose))]


STEPS = (
    "CAR T cells are made in four main steps, as NCI describes them:\n\n"
    "1. **Collect.** T cells are taken from the patient.\n"
    "2. **Change.** In a laboratory, special receptors are added to the surface of the T cells. The changed cells "
    "are now called chimeric antigen receptor (CAR) T cells.\n"
    "3. **Grow.** The CAR T cells are grown in the lab, so that there are many more of them.\n"
    "4. **Give back.** The CAR T cells are returned to the same patient by infusion.\n"
)


def test_numbered_steps_are_one_unit_when_the_question_asks_for_steps() -> None:
    # session 35: "what is the process of car t" got "**Grow.** …" and "**Give back.** …" out of order;
    # the second step runs two sentences (27 words), over `max_item_words`
    spans = split_sentences(STEPS)
    assert list_units(STEPS, spans, SHIPPED) == {}
    units = list_units(STEPS, spans, SHIPPED, steps=True)
    assert [parts[1].split()[0] for _, parts in units.values()] == ["**Collect.**"]
    (_, parts) = units[0]
    assert len(parts) == 5 and parts[2].endswith("(CAR) T cells")
    assert ASKS_STEPS.search("what is the process of car t")
    assert ASKS_STEPS.search("how do they make car t cells")
    assert ASKS_STEPS.search("my husband is getting car t next month what should we expect")
    assert not ASKS_STEPS.search("what happens after you get car t")
    assert not ASKS_STEPS.search("who can get car t")
