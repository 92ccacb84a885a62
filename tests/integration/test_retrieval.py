"""Dense, BM25 and hybrid retrieval over a real index, and the BM25 copy kept in step with Chroma."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from index.bm25 import bm25_dir, current_fingerprint, load
from index.embedder import get_embedder
from index.settings import Settings
from index.store import open_store
from ingest.pipeline import ingest_paths
from retriever.search import IndexRetriever
from retriever.types import Evidence

pytestmark = pytest.mark.slow


def retriever_for(settings: Settings, **changes: object) -> IndexRetriever:
    tuned = settings.model_copy(update=changes)
    return IndexRetriever(store=open_store(tuned, create=False), embedder=get_embedder(tuned), settings=tuned)


def write_doc(folder: Path, doc_id: str, title: str, body: str) -> None:
    """A markdown document under its title, with its id and title in the front matter."""
    (folder / f"{doc_id}.md").write_text(
        f"---\nid: {doc_id}\ntitle: {title}\n---\n\n# {title}\n\n{body}", encoding="utf-8"
    )


def indexed(tmp_path: Path, docs: list[tuple[str, str, str]]) -> Settings:
    """Settings of an index of the documents given as (id, title, body), built under tmp_path."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for doc_id, title, body in docs:
        write_doc(corpus, doc_id, title, body)
    settings = Settings(index_dir=tmp_path / "index")
    assert not ingest_paths([corpus], settings).failed
    return settings


def looked_up_by(settings: Settings, step: Callable[..., list[Evidence]]) -> Callable[[str, str], list[str]]:
    """(question, what the search found instead) → the doc ids a look-up step of the chain adds, with
    the evidence of a search for the second text alone (k=1): a search that missed the subject."""
    from retriever.answerers import make_answerer
    from retriever.citecheck import CiteCheckSettings
    from retriever.guardrails import Screening
    from retriever.guardrails.scope import ScopeVocabulary
    from retriever.steps import ChainParts, Question, Screened

    retriever = retriever_for(settings)
    parts = ChainParts(
        retriever,
        make_answerer(settings),
        ScopeVocabulary.build(settings.glossary),
        CiteCheckSettings(settings.support, settings.answering.citecheck),
    )

    def looked_up(question: str, retrieved: str) -> list[str]:
        screened = Screened(Question(question, "staff"), question, Screening(None, None, question))
        return [e.doc_id for e in step(parts, screened, retriever.search(retrieved, k=1), None)]

    return looked_up


@pytest.mark.parametrize("mode", ["dense", "bm25", "hybrid"])
def test_each_mode_finds_the_engager_document_first(built_index: Settings, mode: str) -> None:
    evidence = retriever_for(built_index, retrieval=mode).search(
        "Which engager was tried in lupus? teclistamab"
    )
    assert evidence[0].doc_id == "bites"


def test_hybrid_evidence_carries_cosine_and_bm25_scores(built_index: Settings) -> None:
    evidence = retriever_for(built_index, retrieval="hybrid").search("teclistamab engager", k=3)
    top = evidence[0]
    assert 0 < top.score <= 1 and top.bm25 > 0 and top.rank_score > top.score
    assert [e.rank_score for e in evidence] == sorted((e.rank_score for e in evidence), reverse=True)


def test_no_document_fills_more_than_its_share_of_the_top_k(built_index: Settings) -> None:
    evidence = retriever_for(built_index, max_chunks_per_doc=1).search("lupus", k=5)
    doc_ids = [e.doc_id for e in evidence]
    assert len(doc_ids) == len(set(doc_ids))


def test_metadata_filter_applies_to_both_sides(built_index: Settings) -> None:
    evidence = retriever_for(built_index, retrieval="hybrid").search(
        "teclistamab engager", where={"doc_id": "fx-car-t"}
    )
    assert evidence and {e.doc_id for e in evidence} == {"fx-car-t"}


def test_ingest_keeps_the_bm25_copy_in_step_with_chroma(
    tmp_path: Path, fixture_corpus: Path, settings: Settings
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(fixture_corpus, corpus)
    ingest_paths([corpus], settings)
    store = open_store(settings)
    copy = load(bm25_dir(settings))
    assert copy is not None and copy.fingerprint == current_fingerprint(store)
    assert any(c.startswith("bites#") for c in copy.chunk_ids)

    (corpus / "bites.txt").unlink()
    ingest_paths([corpus], settings)
    copy = load(bm25_dir(settings))
    assert copy is not None and copy.fingerprint == current_fingerprint(store)
    assert not any(c.startswith("bites#") for c in copy.chunk_ids)
    assert all(not c.startswith("bites#") for c, _ in copy.search("teclistamab engager", 10))


def test_a_missing_bm25_copy_is_rebuilt_on_first_search(
    tmp_path: Path, fixture_corpus: Path, settings: Settings
) -> None:
    ingest_paths([fixture_corpus], settings)
    shutil.rmtree(bm25_dir(settings))
    evidence = retriever_for(settings, retrieval="bm25").search("teclistamab")
    assert evidence[0].doc_id == "bites"
    assert load(bm25_dir(settings)) is not None


def test_topic_and_date_filters_keep_only_matching_documents(built_index: Settings) -> None:
    from retriever.filters import Filters

    retriever = retriever_for(built_index)
    by_topic = retriever.search("lupus", where=Filters(topic=["car-t cell therapy"]).to_where())
    assert by_topic and {e.doc_id for e in by_topic} == {"fx-car-t"}
    too_early = Filters(date_to="2020").to_where()
    assert retriever.search("lupus", where=too_early) == []


def test_rewritten_question_is_returned_as_the_standalone_question(built_index: Settings) -> None:
    from retriever.chain import Assistant

    settings = built_index.model_copy(update={"rewrite_queries": True})
    result = Assistant(settings).ask("how do engagers work? is the immune reset the same", audience="staff")
    assert "(CAR-T cell therapy)" in result.standalone_question


def test_a_drug_no_source_mentions_is_refused_by_name(built_index: Settings) -> None:
    from retriever.chain import Assistant

    assistant = Assistant(built_index)
    result = assistant.ask(
        "Does obinutuzumab work as well as teclistamab in the REGENCY trial?", audience="staff"
    )
    assert result.refused and result.refusal_reason == "not_in_sources"
    assert "obinutuzumab" in result.answer and "REGENCY" in result.answer
    assert "teclistamab" not in result.answer  # the fixture corpus mentions it
    assert result.retrieved == []  # refused before retrieval
    known = assistant.ask("What is teclistamab?", audience="staff")
    assert not known.refused and known.citations
    off = built_index.model_copy(update={"refuse_unknown_names": False})
    assert Assistant(off).ask("Does obinutuzumab help lupus?").refusal_reason != "not_in_sources"


def test_the_chunks_beside_the_best_one_are_added_as_context(built_index: Settings) -> None:
    question = "How do the engineered T cells get rid of B cells?"
    searched = retriever_for(built_index, top_k=1).search(question)
    with_context = retriever_for(built_index, top_k=1).search_with_context(question)
    best = searched[0]
    assert best.doc_id == "fx-car-t" and with_context[0] == best and not best.context
    added = with_context[1:]
    base, _, number = best.chunk_id.rpartition("#")
    beside = {f"{base}#{int(number) + d:04d}" for d in (-1, 1)}
    assert added and all(e.context and e.doc_id == "fx-car-t" for e in added)
    assert {e.chunk_id for e in added} <= beside and best.chunk_id not in {e.chunk_id for e in added}
    assert all(0 < e.score < best.score for e in added)  # each scored against the question itself
    texts = " ".join(e.text for e in added)
    assert "five people" in texts or "$500,000" in texts


def test_context_chunks_can_be_turned_off_and_obey_the_filter(built_index: Settings) -> None:
    question = "How do the engineered T cells get rid of B cells?"
    off = retriever_for(built_index, top_k=1, neighbour_chunks=0)
    assert off.search_with_context(question) == off.search(question)
    only_bites = retriever_for(built_index, top_k=1).search_with_context(question, where={"doc_id": "bites"})
    assert only_bites and {e.doc_id for e in only_bites} == {"bites"}


def test_the_opening_chunk_of_the_best_document_is_added_too(built_index: Settings) -> None:
    """Documents say what their subject is at the start; the best document's first chunk joins."""
    retriever = retriever_for(built_index, top_k=1)
    asked = retriever.search_with_context("How much does one CAR-T treatment for cancer cost?")
    best = asked[0]
    base, _, number = best.chunk_id.rpartition("#")
    assert best.doc_id == "fx-car-t" and int(number) == 2  # the cost section
    opening = f"{base}#0000"
    added = {e.chunk_id: e for e in asked[1:]}
    assert set(added) == {opening, f"{base}#0001"}
    assert added[opening].context and "five people" in added[opening].text
    off = retriever_for(built_index, top_k=1, neighbour_chunks=0)
    assert off.search_with_context("How much does one CAR-T treatment for cancer cost?") == off.search(
        "How much does one CAR-T treatment for cancer cost?"
    )


def test_an_on_topic_ask_the_sources_never_address_is_refused_saying_what_they_cover(
    built_index: Settings,
) -> None:
    from retriever.chain import Assistant

    assistant = Assistant(built_index)
    result = assistant.ask("will my insurance pay for teclistamab?", audience="patient")
    assert result.refused and result.refusal_reason == "not_covered"
    assert "insurance cover" in result.answer and "What they do cover on this subject:" in result.answer
    assert result.citations == [] and result.retrieved  # retrieved, then refused: nothing near-miss quoted
    assert not assistant.ask("What is teclistamab?", audience="patient").refused
    off = built_index.model_copy(update={"refuse_uncovered": False})
    assert Assistant(off).ask("will my insurance pay for teclistamab?").refusal_reason != "not_covered"


def test_a_treatments_side_effect_the_passages_about_it_never_give_is_refused(built_index: Settings) -> None:
    """A paired ask: the fixture passages name teclistamab, none says anything of hair."""
    from retriever.chain import Assistant

    assistant = Assistant(built_index)
    result = assistant.ask("does teclistamab make your hair fall out", audience="patient")
    assert result.refused and result.refusal_reason == "not_covered"
    assert "hair loss" in result.answer and result.citations == []
    follow = assistant.ask_turns(["what is teclistamab", "does it make your hair fall out"])
    assert follow.refusal_reason == "not_covered" and "hair loss" in follow.answer  # the subject carries


def test_a_count_asked_that_no_quoted_sentence_gives_is_refused(built_index: Settings) -> None:
    """Session 41: "how many car t cells do they give you" got sentences on making CAR T cells."""
    from retriever.chain import Assistant

    assistant = Assistant(built_index)
    result = assistant.ask("how many b cells come back", audience="patient")
    assert result.refused and result.refusal_reason == "not_covered"
    assert "that number" in result.answer and result.citations == []
    counted = assistant.ask("how many people got car t in the first study", audience="patient")
    assert not counted.refused and "five" in counted.citations[0].quote
    off = built_index.model_copy(update={"refuse_uncovered": False})
    assert not Assistant(off).ask("how many b cells come back", audience="patient").refused


def test_a_country_no_passage_mentions_is_refused_by_name(built_index: Settings) -> None:
    """Session 41: "is car t for lupus available in australia" got who can have CAR-T in general."""
    from retriever.chain import Assistant

    assistant = Assistant(built_index)
    result = assistant.ask("is car t for lupus available in australia", audience="patient")
    assert result.refused and result.refusal_reason == "not_covered"
    assert "don't mention Australia" in result.answer and result.citations == []
    assert not assistant.ask("how did car t do for lupus in germany", audience="patient").refused  # "Germany"


def test_what_x_is_is_answered_when_the_rest_of_the_question_is_not_covered(built_index: Settings) -> None:
    """Session 41: "what is teclistamab and is it safe" was refused whole."""
    from retriever.chain import Assistant

    result = Assistant(built_index).ask("what is teclistamab and does insurance pay for it", audience="staff")
    assert not result.refused and result.citations
    assert any("Teclistamab" in c.quote for c in result.citations)
    assert result.answer.endswith(
        "The indexed sources don't give insurance cover for this, so I can't answer that part from them."
    )
    alone = Assistant(built_index).ask("does insurance pay for teclistamab", audience="staff")
    assert alone.refused and alone.refusal_reason == "not_covered"


def test_a_personal_question_whose_ask_the_sources_lack_gets_the_redirect_alone(
    built_index: Settings,
) -> None:
    from retriever.chain import Assistant

    question = "should i switch my mom to teclistamab if her insurance wont cover car t cells?"
    result = Assistant(built_index).ask(question)
    assert result.refused and result.refusal_reason == "personal_advice"
    assert "care team" in result.answer and result.citations == []
    off = built_index.model_copy(update={"refuse_uncovered": False})
    # without that check the general facts would lead with a sentence naming neither teclistamab nor CAR-T,
    # which does not answer it either (`steps.off_subject`): the redirect stays alone
    assert Assistant(off).ask(question).citations == []


def test_spelling_slips_are_corrected_before_the_search(built_index: Settings) -> None:
    from retriever.chain import Assistant

    result = Assistant(built_index).ask("what does lupis do to the kidnyes", audience="staff")
    assert result.standalone_question == "what does lupus do to the kidneys"
    off = Assistant(built_index.model_copy(update={"correct_spelling": False}))
    assert (
        off.ask("what does lupis do to the kidnyes").standalone_question
        == "what does lupis do to the kidnyes"
    )


def test_an_emergency_on_an_empty_index_still_gets_the_urgent_message(tmp_path: Path) -> None:
    from retriever.chain import Assistant

    settings = Settings(index_dir=tmp_path / "index")
    open_store(settings, create=True).chunks()  # an index folder with an empty collection
    result = Assistant(settings).ask("I can't breathe and my chest hurts")
    assert result.refusal_reason == "emergency"


def test_a_definition_the_retrieved_chunks_never_name_is_looked_up_by_its_words(
    built_index: Settings,
) -> None:
    from retriever.steps import _named_elsewhere

    looked_up = looked_up_by(built_index, _named_elsewhere)
    assert looked_up("what is multiple sclerosis", "how much does car-t cost") == ["fx-ms"]
    assert looked_up("what is multiple sclerosis", "multiple sclerosis nerve fibres") == []  # it was named
    assert looked_up("what is cytokine release syndrome", "how much does car-t cost") == []  # nowhere named


def test_a_personal_question_answered_only_by_stop_start_guidance_gets_the_redirect_alone(
    tmp_path: Path,
) -> None:
    """The sentence that answers "can I stop my lupus meds before CAR-T" tells when to stop them: it is
    withheld, and the sentences left (on CAR-T's results) answer something else, so none is quoted."""
    from retriever.chain import Assistant
    from retriever.messages import PERSONAL_WITHHELD_TEXT

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_doc(
        corpus,
        "fx-before",
        "Before CAR-T for lupus",
        "## Lupus medicines before CAR-T\n\nLupus medicines are usually tapered off before CAR-T. "
        "Tapering off lupus medicines can set off a flare.\n\n## Results\n\n"
        "All five people with lupus in the first CAR-T study went into remission. "
        "CAR-T for lupus is offered only in studies.\n",
    )
    settings = Settings(index_dir=tmp_path / "index")
    ingest_paths([corpus], settings)
    assistant = Assistant(settings)
    result = assistant.ask("can i stop my lupus medicines before car t", audience="patient")
    assert result.refused and result.refusal_reason == "personal_advice" and result.citations == []
    assert result.answer == PERSONAL_WITHHELD_TEXT["patient"]
    general = assistant.ask("why are lupus medicines tapered off before car t", audience="patient")
    assert general.citations and "tapered off" in general.citations[0].quote  # asked in general, it is quoted


def test_a_personal_questions_ask_is_read_in_its_own_words(built_index: Settings) -> None:
    """Depersonalised, "can i have energy drinks while on teclistamab" loses "drinks while on", the
    words that ask about drinking; read in the person's words, no passage gives it: the redirect alone."""
    from retriever.chain import Assistant

    result = Assistant(built_index).ask("can i have energy drinks while on teclistamab", audience="patient")
    assert result.refused and result.refusal_reason == "personal_advice" and result.citations == []


def test_a_person_the_retrieved_chunks_never_name_is_looked_up_by_the_rare_words(tmp_path: Path) -> None:
    """ "who is fabian muller", "Where does Fabian Müller work?": the embedder knows no names, so the
    chunk saying who he is may not be retrieved; a word search for the question's rare words (a "who
    is" question's, else those written with a capital) adds it (accents folded: "Müller")."""
    from retriever.steps import ASKS_WHO, _rare_words_elsewhere

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_doc(
        corpus,
        "fx-people",
        "Who studies CAR-T for lupus",
        "Fabian Müller is a hematologist-oncologist at Erlangen's University Hospital. "
        "He explains that CAR-T removes enough B cells to reset the immune system.\n",
    )
    write_doc(
        corpus,
        "fx-cost",
        "What CAR-T costs",
        "CAR-T cell therapy costs about $500,000 when it is used for cancer. It needs specialized centers.\n",
    )
    write_doc(
        corpus,
        "fx-study",
        "An early study",
        "Five people with lupus were treated in a study reported in Nature. All of them did well.\n",
    )
    write_doc(corpus, "fx-diet", "Eating well", "Reading food labels soon becomes second nature.\n")
    settings = Settings(index_dir=tmp_path / "index", rare_word_chunks=3)
    assert not ingest_paths([corpus], settings).failed
    looked_up = looked_up_by(settings, _rare_words_elsewhere)
    assert looked_up("who is fabian muller", "how much does car-t cost") == ["fx-people"]
    assert looked_up("who is fabian muller", "who explains the immune reset") == []  # it was named
    assert looked_up("who is ilse varga", "how much does car-t cost") == []  # named nowhere
    # not asked "who is …": only the words written with a capital are looked up
    assert looked_up("Where does Fabian Müller work?", "how much does car-t cost") == ["fx-people"]
    assert looked_up("where does fabian muller work", "how much does car-t cost") == []
    # a journal named as where a study appeared, written as a name (session 30): not "second nature"
    assert looked_up("what did the nature study find", "how much does car-t cost") == ["fx-study"]
    assert looked_up("what is the nature of lupus", "how much does car-t cost") == []
    assert ASKS_WHO.match("who is fabian muller") and ASKS_WHO.match("Who's Anca Askanase?")
    assert not ASKS_WHO.match("what did the nature study find")


STUDY = """---
title: "Does a stool test predict flares of bowel disease?"
source: "a study abstract written for this test"
---

# Does a stool test predict flares of bowel disease?

## OBJECTIVE

Checking how a bowel disease goes needs regular visits to the clinic and blood tests every few
months. We aimed to see whether a stool test predicts flares of bowel disease in people who are well.

## METHODS

Ninety people with bowel disease in remission gave one stool sample each. The cutoff for a positive
stool test was set in advance. Each person was followed up for one year or until a flare.

## PLAN

The team wrote down every visit, every flare and every change of medicine in a shared notebook kept
at the clinic, and the notebook was checked each month by two nurses who did not know the results.

## RESULTS

The stool test was positive in forty people, and twenty of them had a flare within the year. A
positive stool test went with a higher chance of a flare in people with colitis.
"""


def test_the_findings_of_the_study_the_best_chunk_opens_are_added_too(tmp_path: Path) -> None:
    """An abstract's RESULTS stand a few chunks after its OBJECTIVE; a question on the study needs them."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "study.md").write_text(STUDY, encoding="utf-8")
    settings = Settings(index_dir=tmp_path / "index")
    assert not ingest_paths([folder], settings).failed
    retriever = retriever_for(settings, top_k=1)
    question = "Checking how a bowel disease goes needs regular visits to the clinic and blood tests"
    best = retriever.search(question)[0]
    assert best.headings.endswith("OBJECTIVE")
    added = retriever.search_with_context(question)[1:]
    assert [e.headings.rsplit(" > ", 1)[-1] for e in added] == ["METHODS", "RESULTS"]  # not PLAN
    assert all(e.context for e in added) and "twenty of them had a flare" in added[-1].text
    off = retriever_for(settings, top_k=1, neighbour_chunks=0)
    assert off.search_with_context(question) == off.search(question)


def test_a_definition_or_every_word_asked_is_looked_up_when_no_retrieved_chunk_has_it(tmp_path: Path) -> None:
    """ "what is a thymectomy" found chunks naming thymectomy, none saying what it is; "can i exercise
    with lupus" found chunks on lupus, none saying "exercise". A word search adds the chunks that
    define the subject (`_definitions_elsewhere`) or hold every word asked (`_covering_elsewhere`)."""
    from retriever.steps import _covering_elsewhere, _definitions_elsewhere

    settings = indexed(
        tmp_path,
        [
            (
                "fx-surgery",
                "Surgery for myasthenia gravis",
                "Thymectomy, the surgical removal of the thymus gland, improves symptoms in some people. "
                "Recovery takes a few weeks.\n",
            ),
            (
                "fx-research",
                "Research on myasthenia gravis",
                "Thymectomy is being studied in people who do not have a thymoma. "
                "New medicines are being tested as well.\n",
            ),
            (
                "fx-care",
                "Daily care in lupus",
                "Lupus is treated with medicines together with rest, exercise and good food.\n",
            ),
            (
                "fx-signs",
                "Signs of lupus",
                "Common signs of lupus are tiredness, joint pain and a rash on the face.\n",
            ),
        ],
    )
    defined = looked_up_by(settings, _definitions_elsewhere)
    assert defined("what is a thymectomy", "thymectomy is being studied in people") == ["fx-surgery"]
    assert (
        defined("what is a thymectomy", "the surgical removal of the thymus gland") == []
    )  # defined already
    assert defined("who studies thymectomy", "thymectomy is being studied in people") == []  # no "what is X?"
    covering = looked_up_by(settings, _covering_elsewhere)
    assert covering("can i exercise with lupus", "common signs of lupus") == ["fx-care"]
    assert covering("can i exercise with lupus", "rest, exercise and good food") == []  # one has them all
    assert covering("can i swim with lupus", "common signs of lupus") == []  # no chunk says "swim"


def test_a_kind_asked_or_a_thing_compared_is_looked_up_when_no_retrieved_chunk_gives_it(
    tmp_path: Path,
) -> None:
    """ "what is the outlook for myasthenia gravis" found what MG is, not the sentence on the life people
    can expect, which stands in a treatment section (`_kind_elsewhere`); "whats the difference between
    lupus and myasthenia gravis" found lupus chunks only (`_compared_elsewhere`)."""
    from retriever.steps import _compared_elsewhere, _kind_elsewhere

    settings = indexed(
        tmp_path,
        [
            (
                "fx-mg",
                "Myasthenia gravis",
                "## What is myasthenia gravis?\n\nMyasthenia gravis is a disease that weakens the muscles. "
                "Myasthenia gravis is uncommon in children.\n\n"
                "## How is myasthenia gravis treated?\n\nMedicines help. People with myasthenia gravis who follow "
                "their treatment plan can expect a normal or nearly normal life.\n",
            ),
            (
                "fx-mg-research",
                "Research on myasthenia gravis",
                "Research on myasthenia gravis aims to find a normal life for everyone with myasthenia gravis.\n",
            ),
            (
                "fx-lupus",
                "Lupus",
                "Lupus is an autoimmune disease. Most people with lupus live a normal lifespan.\n",
            ),
        ],
    )
    kind = looked_up_by(settings, _kind_elsewhere)
    assert kind("what is the outlook for myasthenia gravis", "a disease that weakens the muscles") == [
        "fx-mg"
    ]
    assert kind("what is the outlook for lupus", "most people with lupus live a normal lifespan") == []
    assert kind("what is the outlook", "a disease that weakens the muscles") == []  # names nothing
    compared = looked_up_by(settings, _compared_elsewhere)
    assert compared("whats the difference between lupus and myasthenia gravis", "lupus is an autoimmune") == [
        "fx-mg"
    ]
    assert compared("whats the difference between lupus and myasthenia gravis", "weakens the muscles") == [
        "fx-lupus"
    ]
    assert compared("how common is lupus compared with myasthenia gravis", "lupus is an autoimmune") == []


def test_a_harm_asked_of_a_treatment_is_looked_up_when_no_retrieved_sentence_names_it(tmp_path: Path) -> None:
    """ "will i get infections while on steroids" found what steroids are, not the list of their side
    effects that "can steroids cause infections" finds, and was refused (session 45, `_harm_elsewhere`)."""
    from retriever.steps import _harm_elsewhere

    settings = indexed(
        tmp_path,
        [
            (
                "fx-steroids",
                "Steroids",
                "Corticosteroids, often just called steroids, bring down swelling.\n",
            ),
            (
                "fx-pemphigus",
                "Pemphigus",
                "Pemphigus medicines may include\n\n- steroids, which reduce inflammation\n- antibiotics to "
                "treat associated infections\n",
            ),
            (
                "fx-harms",
                "Side effects",
                "Side effects of corticosteroids include\n\n- acne\n- a higher chance of developing infections\n",
            ),
        ],
    )
    harm = looked_up_by(settings, _harm_elsewhere)
    assert harm("will i get infections while on steroids", "steroids bring down swelling") == ["fx-harms"]
    assert harm("will i get infections while on steroids", "side effects of corticosteroids") == []  # found
    assert harm("do people get infections on steroids", "steroids bring down swelling") == ["fx-harms"]
    assert harm("will i get shingles on steroids", "steroids bring down swelling") == []  # no chunk says it


def test_a_sentence_comparing_the_things_compared_is_looked_up(tmp_path: Path) -> None:
    """Session 45 (`_comparing_elsewhere`): a comparison whose retrieved chunks say what each thing is but
    never compare them gets a chunk that does."""
    from retriever.steps import _comparing_elsewhere

    settings = indexed(
        tmp_path,
        [
            ("fx-pm", "Polymyositis", "Polymyositis is a muscle disease that weakens the hips.\n"),
            (
                "fx-both",
                "Myositis",
                "Polymyositis and dermatomyositis have similar symptoms, but dermatomyositis also brings a rash.\n",
            ),
            ("fx-other", "Myositis care", "Dermatomyositis is treated with steroids.\n"),
        ],
    )
    comparing = looked_up_by(settings, _comparing_elsewhere)
    assert comparing("dermatomyositis vs polymyositis", "weakens the hips") == ["fx-both"]
    assert comparing("dermatomyositis vs polymyositis", "similar symptoms but a rash") == []  # found
    assert comparing("what is polymyositis", "weakens the hips") == []  # compares nothing


def test_the_chunk_collection_is_looked_up_once_per_retriever(built_index: Settings) -> None:
    """Session 41: each question looked the collection up and counted it about five times (~2 ms each)."""
    retriever = retriever_for(built_index)
    looked_up: list[bool] = []
    chunks = retriever.store.chunks

    def counted(*args: object, **kwargs: object) -> object:
        looked_up.append(True)
        return chunks(*args, **kwargs)  # type: ignore[arg-type]

    retriever.store.chunks = counted  # type: ignore[method-assign]
    first = retriever.search_with_context("How much does one CAR-T treatment for cancer cost?")
    retriever.vocabulary()
    again = retriever.search_with_context("How much does one CAR-T treatment for cancer cost?")
    assert looked_up == [True] and first == again
