"""The extractive answerer on hand-made evidence, with the real packaged embedder."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from index.embedder import get_embedder
from index.settings import Settings
from index.terms import content_terms, term_coverage
from retriever.candidates import Candidate, candidates
from retriever.coverage import compared, contrasts
from retriever.extractive import QUANTITY, ExtractiveAnswerer
from retriever.messages import REFUSAL_TEXT
from retriever.types import Evidence
from retriever.weights import SHIPPED

CAR_T = (
    "CAR-T cells were given to five people with severe lupus. All five reached complete remission. "
    "What does this mean for others? For cancer, one CAR-T treatment costs roughly $500,000."
)
BITE = "Teclistamab is a bispecific T-cell engager. It holds a T cell and a B cell together."


def evidence(text: str, score: float, doc_id: str = "doc-a", start: int = 100) -> Evidence:
    return Evidence(
        chunk_id=f"{doc_id}#abc#0000",
        doc_id=doc_id,
        text=text,
        score=score,
        title=doc_id,
        start=start,
        end=start + len(text),
    )


@pytest.fixture(scope="module")
def answerer() -> ExtractiveAnswerer:
    return ExtractiveAnswerer(get_embedder(Settings()), max_sentences=3, min_score=0.38)


def weighted(answerer: ExtractiveAnswerer, **changes: float) -> ExtractiveAnswerer:
    """The same answerer with some weights changed (a new one: the fixture stays as it is)."""
    weights = answerer.weights.model_copy(update=changes)
    return ExtractiveAnswerer(
        answerer.embedder,
        answerer.max_sentences,
        answerer.min_score,
        answerer.staff_extra_sentences,
        answerer.use_lead_model,
        weights=weights,
    )


def choices(
    answerer: ExtractiveAnswerer, question: str, pool: list[Candidate], **changes: float
) -> dict[str, float]:
    """Each kept candidate's choice score with some weights changed, by its text."""
    kept, scores = weighted(answerer, **changes).score(question, pool)
    return {c.text: float(s) for c, s in zip(kept, scores.choice, strict=True)}


def test_answer_quotes_the_sentence_that_answers_and_cites_it(answerer: ExtractiveAnswerer) -> None:
    result = answerer.answer(
        "How much does CAR-T cost?", [evidence(CAR_T, 0.6), evidence(BITE, 0.3, "doc-b")], "staff"
    )
    assert not result.refused
    assert "$500,000" in result.citations[0].quote
    assert result.citations[0].doc_id == "doc-a"


def test_every_marker_maps_to_a_citation_with_an_exact_quote(answerer: ExtractiveAnswerer) -> None:
    ev = evidence(CAR_T, 0.6)
    result = answerer.answer("What happened to the lupus patients given CAR-T cells?", [ev], "staff")
    markers = [int(n) for n in re.findall(r"\[(\d+)\]", result.answer)]
    assert markers == [c.n for c in result.citations] == list(range(1, len(markers) + 1))
    for c in result.citations:
        local = c.quote_start - ev.start
        assert ev.text[local : local + len(c.quote)] == c.quote
        assert c.quote_end - c.quote_start == len(c.quote)
        assert f"{c.quote} [{c.n}]" in result.answer


def test_questions_inside_documents_are_never_quoted(answerer: ExtractiveAnswerer) -> None:
    result = answerer.answer("What does CAR-T mean for others?", [evidence(CAR_T, 0.6)], "staff")
    assert all(not c.quote.endswith("?") for c in result.citations)


def test_off_topic_question_is_refused_with_a_reason(answerer: ExtractiveAnswerer) -> None:
    result = answerer.answer("How do I bake banana bread?", [evidence(CAR_T, 0.05)], "patient")
    assert result.refused and result.refusal_reason == "insufficient_evidence"
    assert result.answer == REFUSAL_TEXT and result.citations == []
    assert result.evidence_score < 0.38


def test_no_evidence_is_refused(answerer: ExtractiveAnswerer) -> None:
    result = answerer.answer("What is lupus?", [], "patient")
    assert result.refused and result.refusal_reason == "no_evidence"


def test_repeated_sentence_is_quoted_once(answerer: ExtractiveAnswerer) -> None:
    same = "All five patients reached complete remission after CAR-T."
    result = answerer.answer(
        "Did the patients reach remission after CAR-T?",
        [evidence(same, 0.7, "doc-a"), evidence(same, 0.69, "doc-b")],
        "staff",
    )
    assert [c.quote for c in result.citations].count(same) == 1


def test_a_sentence_a_longer_chosen_one_holds_whole_is_not_quoted() -> None:
    from retriever.choice import without_held

    short = "For vasculitis, a doctor may refer a patient to other specialists too."
    long = (
        "For vasculitis, a doctor may refer a patient to specialists such as a rheumatologist, "
        "dermatologist, nephrologist or neurologist."
    )
    # the longer one takes the shorter one's place; a list unit, an unrelated sentence and a kept
    # definition stay
    ev = evidence(f"{short} {long}", 0.7)
    pool = [
        Candidate(ev, 0, short, 100, 170),
        Candidate(ev, 0, "Vasculitis is rare.", 0, 1),
        Candidate(ev, 0, long, 171, 290),
        Candidate(
            ev, 0, "Signs include: fever; vasculitis", 0, 1, parts=("Signs include:", "fever", "vasculitis")
        ),
    ]
    assert without_held([0, 1, 2, 3], pool) == [2, 1, 3]
    assert without_held([2, 1, 0], pool) == [2, 1]
    assert without_held([0, 1, 2], pool, keep=(0,)) == [0, 1, 2]
    assert without_held([1, 3], pool) == [1, 3]


def test_answer_keeps_to_the_sentence_limit() -> None:
    answerer = ExtractiveAnswerer(
        get_embedder(Settings()), max_sentences=1, min_score=0.0, staff_extra_sentences=0
    )
    result = answerer.answer("Tell me about CAR-T and lupus remission", [evidence(CAR_T, 0.6)], "staff")
    assert len(result.citations) == 1


def test_patient_answers_carry_the_care_team_notice_and_staff_answers_do_not(
    answerer: ExtractiveAnswerer,
) -> None:
    ev = [evidence(CAR_T, 0.6)]
    assert "care team" in answerer.answer("How much does CAR-T cost?", ev, "patient").notice
    assert answerer.answer("How much does CAR-T cost?", ev, "staff").notice == ""


def test_content_terms_drop_stopwords_and_plural_s() -> None:
    assert content_terms("What are the costs of CAR-T cells?") == {"cost", "car-t", "cell"}


def test_content_terms_leave_contractions_out_and_keep_single_letters() -> None:
    assert content_terms("Sjögren's isn't contagious, don't worry, I'm fine") == {
        "sjogren",
        "contagiou",
        "worry",
        "fine",
    }
    assert content_terms("whats car t, why cant b cells come back, im sick") == {
        "car",
        "t",
        "b",
        "cell",
        "come",
        "back",
        "sick",
    }
    assert content_terms("They won. The myopathies cant be cured.") == {"won", "myopathie", "cured"}


def test_content_terms_kept_per_text_still_give_each_caller_its_own_set() -> None:
    first = content_terms("Rituximab removes B cells")
    first.add("changed")
    assert content_terms("Rituximab removes B cells") == {"rituximab", "remove", "b", "cell"}


def test_accents_fold_the_same_with_or_without_the_ascii_shortcut() -> None:
    from index.terms import fuzzy_coverage, without_accents

    assert without_accents("Fabian MÜLLER") == "fabian muller"
    assert without_accents("CAR-T Cells") == "car-t cells"
    assert content_terms("Sjögren") == content_terms("Sjogren") == {"sjogren"}
    # a slip with one letter dropped still matches, on every call (the dropped forms are kept per text)
    for _ in range(2):
        assert fuzzy_coverage({"rhematoid"}, "Rheumatoid arthritis affects joints.") == 1.0


def test_content_terms_fold_accents_as_people_type_names() -> None:
    """ "who is fabian muller": "Müller" had been split into "m" and "ller"."""
    assert content_terms("Fabian Müller, in Erlangen") == {"fabian", "muller", "erlangen"}
    assert term_coverage(content_terms("who is fabian muller"), "in the words of Fabian Müller") == 1.0
    assert content_terms("Sjögren syndrome") == {"sjogren", "syndrome"}
    assert term_coverage({"cost", "lupus"}, "The cost is high.") == 0.5


def test_candidates_skip_fragments_and_keep_document_offsets() -> None:
    ev = evidence("Too short. " + CAR_T, 0.5, start=10)
    found = candidates([ev], SHIPPED)
    assert all(len(c.text.split()) >= 4 for c in found)
    assert all(ev.text[c.start - 10 : c.end - 10] == c.text for c in found)


def test_candidates_skip_text_opening_in_lower_case() -> None:
    # a chunk that starts inside a list: its first item has no "- " before it
    ev = evidence(
        "a low number of white blood cells (leukopenia), seen in some people with lupus\n"
        "- anemia, meaning too few red blood cells in the body\n\n"
        "mRNA vaccines teach cells to make a protein.\n\np-ANCA is an antibody seen in some vasculitis."
        " Lupus is an autoimmune disease that can affect the kidneys.",
        0.5,
    )
    found = [c.text for c in candidates([ev], SHIPPED)]
    assert not any(t.startswith(("a low number", "anemia")) for t in found)
    assert "mRNA vaccines teach cells to make a protein." in found
    assert "p-ANCA is an antibody seen in some vasculitis." in found
    assert "Lupus is an autoimmune disease that can affect the kidneys." in found


def test_candidates_skip_a_lead_in_whose_list_is_not_there() -> None:
    # session 44: "can women get vasculitis" opened with "Some types of vasculitis seem to occur more
    # often in people who:" (the chunk ends before the list)
    ev = evidence(
        "Vasculitis can affect people of all ages and races and both sexes. "
        "Some types of vasculitis seem to occur more often in people who:",
        0.5,
    )
    found = [c.text for c in candidates([ev], SHIPPED)]
    assert found == ["Vasculitis can affect people of all ages and races and both sexes."]
    listed = evidence("Vasculitis treatments include:\n\n- corticosteroids\n- cytotoxic medicines", 0.5)
    assert [c.parts for c in candidates([listed], SHIPPED)] == [
        ("Vasculitis treatments include:", "corticosteroids", "cytotoxic medicines")
    ]  # with its list it is one unit


def test_candidates_skip_sentences_that_only_point_elsewhere() -> None:
    # session 38: "is lupus hereditary" had opened with the pointer sentence below
    ev = evidence(
        "The Lupus Foundation of American has a page called Is lupus hereditary? that provides a good "
        "overview. For more information, go to the Health Topics Blood Transfusion article. See Eating Well as "
        "You Get Older for more about healthy eating. In most cases, "
        "people do not inherit lupus itself. Information about clinical trials is available from the NCI website.",
        0.5,
    )
    found = [c.text for c in candidates([ev], SHIPPED)]
    assert not any("good overview" in t or t.startswith(("For more information", "See ")) for t in found)
    assert "In most cases, people do not inherit lupus itself." in found
    # where to look for trials answers "how do i find a trial"
    assert "Information about clinical trials is available from the NCI website." in found


def test_a_labelled_step_opens_only_when_steps_are_asked() -> None:
    from retriever.extractive import _step_label

    # session 38: "how long does car t last" opened with "**Grow.** The CAR T cells are grown in the lab, …"
    grow = "**Grow.** The CAR T cells are grown in the lab, so that there are many more of them."
    assert _step_label(grow, "how long does car t last")
    assert not _step_label(grow, "how are car t cells made")
    assert not _step_label(
        "**Cold agglutinin disease.** This rare anemia is triggered by cold.", "what is it"
    )
    # session 46: a step that gives what the question asks may open it
    collect = "**Collect.** T cells are taken from the patient."
    assert not _step_label(collect, "how do they get your t cells out")
    assert not _step_label(grow, "where do they send my cells to be made")
    assert _step_label(collect, "where do they send my cells to be made")  # the lab is the Grow step's


def test_fuzzy_coverage_forgives_one_missing_letter() -> None:
    from index.terms import fuzzy_coverage

    assert fuzzy_coverage(content_terms("what does sjogrens do"), "Sjgren syndrome dries the eyes") == 1.0
    assert fuzzy_coverage(content_terms("rhematoid arthritis"), "Rheumatoid arthritis") == 1.0
    assert fuzzy_coverage(content_terms("lupus kidney"), "lupus nephritis") == 0.5
    assert fuzzy_coverage(content_terms("ms"), "mss") == 0.0  # short words must match exactly


def test_a_sentence_about_it_is_scored_with_its_title(answerer: ExtractiveAnswerer) -> None:
    ra = Evidence(
        chunk_id="ra#abc#0001",
        doc_id="ra",
        text="Worldwide, it may affect up to 1 percent of people. Genes play a part.",
        score=0.6,
        title="Rheumatoid arthritis",
        start=50,
        end=120,
    )
    other = evidence("Many people have joint pain after exercise. Rest helps most people.", 0.6, "other")
    result = answerer.answer("how many people have rheumatoid arthritis?", [other, ra], "staff")
    assert result.citations[0].quote == "Worldwide, it may affect up to 1 percent of people."


def test_sentence_vectors_are_cached_and_bounded(answerer: ExtractiveAnswerer) -> None:
    from retriever.extractive import SentenceVectors

    calls: list[list[str]] = []

    class Counting:
        dimension = answerer.embedder.dimension

        def encode(self, texts: list[str], batch_size: int | None = None):  # type: ignore[no-untyped-def]
            calls.append(texts)
            return answerer.embedder.encode(texts)

    vectors = SentenceVectors(Counting(), size=2)  # type: ignore[arg-type]
    first = vectors.encode(["a b", "c d", "a b"])
    assert calls == [["a b", "c d"]] and first.shape == (3, Counting.dimension)
    assert (vectors.encode(["c d"])[0] == first[1]).all() and len(calls) == 1
    vectors.encode(["e f"])  # evicts the least recently used ("a b")
    vectors.encode(["a b"])
    assert calls[-1] == ["a b"] and vectors.encode([]).shape == (0, Counting.dimension)


def test_choose_prefers_a_new_fact_over_a_paraphrase() -> None:
    import numpy as np

    from retriever.choice import choose

    scores = np.array([1.0, 0.99, 0.97, 0.2], dtype=np.float32)
    similarity = np.array(
        [[1, 0.97, 0.3, 0.1], [0.97, 1, 0.3, 0.1], [0.3, 0.3, 1, 0.1], [0.1, 0.1, 0.1, 1]], dtype=np.float32
    )
    # 1 repeats 0 (cosine ≥ REDUNDANT_COSINE, 0.95) so 2 comes next; 3 is far below the best (margin) and never chosen
    assert choose(SHIPPED, scores, scores, similarity, 3) == [0, 2]


def test_choose_prefers_a_candidate_that_says_something_new() -> None:
    import numpy as np

    from retriever.choice import NewWords, choose

    scores = np.array([1.0, 0.99, 0.985], dtype=np.float32)
    similarity = np.full((3, 3), 0.5, dtype=np.float32)
    np.fill_diagonal(similarity, 1.0)
    terms = [{"kidney", "inflammation"}, {"kidney", "inflammation", "lupus"}, {"foamy", "urine"}]
    # without the new-words gain the restatement (1) comes second; with it, the new fact (2) does
    assert choose(SHIPPED, scores, scores, similarity, 2) == [0, 1]
    new = NewWords([set(t) for t in terms], {"lupus"})
    assert choose(SHIPPED, scores, scores, similarity, 2, None, new) == [0, 2]
    assert new.said == {"lupus", "kidney", "inflammation", "foamy", "urine"}


def test_a_why_question_favours_sentences_that_give_a_reason(answerer: ExtractiveAnswerer) -> None:
    text = (
        "Because of its cost and complexity, CAR-T may never be available to everyone. "
        "CAR-T cell therapy has helped some people with lupus. "
        "The cells are made in a laboratory."
    )
    pool = candidates([evidence(text, 0.6)], SHIPPED)

    def choice(question: str, weight: float) -> dict[str, float]:
        return choices(answerer, question, pool, w_reason=weight)

    why = "Why can't every lupus patient get CAR-T?"
    lift = {t: choice(why, 0.05)[t] - choice(why, 0.0)[t] for t in choice(why, 0.0)}
    reason = "Because of its cost and complexity, CAR-T may never be available to everyone."
    assert lift[reason] == pytest.approx(0.05, abs=1e-4)
    # a sentence after it may inherit at most FOLLOW × the lift (the follow-on score), none more
    assert all(-1e-6 < v <= SHIPPED.follow * 0.05 + 1e-4 for t, v in lift.items() if t != reason)
    plain = "Can every lupus patient get CAR-T?"  # not a why question: no lift
    assert choice(plain, 0.05)[reason] == pytest.approx(choice(plain, 0.0)[reason], abs=1e-6)


def test_a_sentence_that_points_back_is_penalised(answerer: ExtractiveAnswerer) -> None:
    import retriever.extractive as extractive

    text = "It is a rare disease of the blood vessels. Vasculitis inflames the blood vessels."
    pool = candidates([evidence(text, 0.6)], SHIPPED)

    def choice(weight: float) -> dict[str, float]:
        return choices(answerer, "What is vasculitis?", pool, w_back_reference=weight)

    on, off = choice(-0.05), choice(0.0)
    assert on["It is a rare disease of the blood vessels."] - off[
        "It is a rare disease of the blood vessels."
    ] == (pytest.approx(-0.05, abs=1e-4))
    named = "Vasculitis inflames the blood vessels."
    assert on[named] <= off[named] + 1e-6  # never raised; it may inherit less through FOLLOW
    assert extractive.BACK_REFERENCE.match("They are used when vasculitis is severe.")
    assert not extractive.BACK_REFERENCE.match("Theophylline is a medicine.")
    assert extractive.BACK_REFERENCE.match("The former comes as a tablet to take by mouth.")  # session 33


def test_a_sentence_the_answer_already_says_is_left_out() -> None:
    """Each of the first two shares under 0.7 of the third's words, but together they hold them all."""
    import numpy as np

    from retriever.choice import NewWords, choose

    texts = [
        "Lupus patients taper medicines before CAR-T.",
        "Tapering can set off lupus flare-ups.",
        "Lupus patients taper medicines, which can set off flare-ups.",
        "CAR-T cells are made for one person at a time.",
    ]
    terms = [content_terms(t) for t in texts]
    assert all(len(terms[2] & terms[j]) < 0.7 * len(terms[2]) for j in (0, 1))
    scores = np.array([0.9, 0.8, 0.7, 0.6], dtype=np.float32)
    similarity = np.eye(4, dtype=np.float32)
    picked = choose(SHIPPED, scores, scores, similarity, 3, None, NewWords(terms, set()))
    assert picked == [0, 1, 3]
    assert choose(SHIPPED, scores, scores, similarity, 3, None, None) == [0, 1, 2]  # no words known: kept


def test_a_what_is_question_favours_the_sentence_that_defines_its_subject(
    answerer: ExtractiveAnswerer,
) -> None:
    from retriever.extractive import defines
    from retriever.query import definition_subject

    assert definition_subject("what is lupus exactly") == {"lupu"}
    assert definition_subject("What does remission mean?") == {"remission"}
    assert definition_subject("what does scleroderma do to you") == set()  # not asking for a meaning
    assert definition_subject("is lupus contagious?") == set()
    # a second question after "and" is not part of the subject
    assert definition_subject("what is itp and is it serious") == {"itp"}
    assert definition_subject("What is lupus, and how do you know you have it?") == {"lupu"}
    assert definition_subject("what are b cells and t cells") == {"b", "t", "cell"}
    # the kind of thing named beside the subject is not the subject (session 40: "what is a bite drug"
    # opened with "To repurpose a drug means …")
    assert definition_subject("what is a bite drug") == {"bite"}
    assert definition_subject("what is the drug rituximab") == {"rituximab"}
    assert definition_subject("what is an immunosuppressant medicine") == {"immunosuppressant"}
    assert definition_subject("what is a drug") == {"drug"}  # nothing else to define
    assert definition_subject("what is drug induced lupus") == {"drug", "induced", "lupu"}  # inside a name
    assert definition_subject("what is the pill for lupus") == {"pill", "lupu"}
    assert defines(
        "A bispecific T-cell engager (BiTE) is a molecule that binds a T cell to a B cell.", {"bite"}
    )
    subject = definition_subject("what is scleroderma?")
    assert defines(
        "Systemic sclerosis, also called systemic scleroderma, is an autoimmune disorder.", subject
    )
    assert not defines("Scleroderma is diagnosed with lab tests and a skin biopsy.", subject)
    nephritis = definition_subject("What is lupus nephritis?")
    assert defines("Lupus nephritis is inflammation of the kidneys caused by lupus.", nephritis)
    assert not defines("Lupus nephritis is treated with medicines.", nephritis)
    assert not defines("Lupus nephritis is common in people with SLE.", nephritis)
    assert not defines("Lupus nephritis is uncommon in children.", nephritis)  # session 33
    # session 33: what is not known of it is no definition
    assert not defines(
        "The cause of dermatomyositis is unknown.", definition_subject("what is dermatomyositis")
    )
    # "is one BiTE" says what it is; "is one of the most common" does not (session 27)
    assert defines("Teclistamab is one BiTE.", definition_subject("what is teclistamab"))
    assert not defines(
        "Lupus is one of the most common autoimmune diseases.", definition_subject("what is lupus")
    )
    # a name and what it is, between commas (session 27)
    thymectomy = definition_subject("what is a thymectomy")
    assert defines(
        "Thymectomy, the surgical removal of the thymus gland (often abnormal), improves symptoms.",
        thymectomy,
    )
    anemia = definition_subject("what is hemolytic anemia")
    assert not defines("In hemolytic anemia, the spleen may be enlarged, which can be painful.", anemia)
    assert not defines('BiTEs are "cheap, fast, uncomplicated."', definition_subject("what are BiTEs"))
    assert not defines(
        "Rituximab is one of several medicines tried.", definition_subject("what is rituximab")
    )
    # on the articles' evidence the weak "is one of…" sentence led; the definition now scores higher
    text = (
        "Rituximab is one of several medicines tried, with variable success. "
        "NIH GARD explains that rituximab lowers the numbers of certain kinds of immune cells. "
        "Rituximab is a monoclonal antibody."
    )
    kept, scores = answerer.score("what is rituximab?", candidates([evidence(text, 0.6)], SHIPPED))
    choice = {c.text: float(v) for c, v in zip(kept, scores.choice, strict=True)}
    assert max(choice, key=choice.__getitem__) == "Rituximab is a monoclonal antibody."
    assert SHIPPED.w_definition > 0


def test_a_paraphrase_that_adds_no_figure_repeats_the_chosen_sentence() -> None:
    import numpy as np

    from retriever.choice import repeats

    text = (
        "About 10 percent of SLE cases are thought to be triggered by drug exposure, and more than 80 "
        "drugs may be involved. Drug exposure is believed to trigger roughly 10 percent of SLE cases. "
        "Drug-induced lupus affects about 15,000 to 20,000 people a year."
    )
    pool = candidates([evidence(text, 0.6)], SHIPPED)
    assert len(pool) == 3
    close = SHIPPED.paraphrase_cosine + 0.01
    similarity = np.array([[1.0, close, close], [close, 1.0, close], [close, close, 1.0]])
    marks = repeats(SHIPPED, pool, similarity)
    assert marks[1, 0]  # the restatement says nothing the first sentence does not
    assert not marks[2, 0]  # a close sentence with figures of its own is not a repeat
    assert repeats(SHIPPED, pool)[
        1, 0
    ]  # also without the cosines: its one figure is the first's (`restated_terms`)
    assert not repeats(SHIPPED, pool)[2, 0]


def test_a_sentence_restating_a_chosen_figure_from_another_document_is_left_out() -> None:
    from retriever.choice import repeats

    pool = candidates(
        [
            evidence("CAR-T cell therapy costs about $500,000 when it is used for cancer.", 0.7, "doc-a"),
            evidence(
                "For cancer, CAR-T costs about $500,000 and needs specialized facilities.", 0.6, "doc-b"
            ),
            evidence("For lupus, CAR-T costs less than $100,000 in one trial centre.", 0.6, "doc-c"),
        ],
        SHIPPED,
    )
    marks = repeats(SHIPPED, pool)
    assert marks[1, 0] and marks[0, 1]  # the same price again, with no figure of its own
    assert not marks[2, 0]  # another price is a new fact


def test_the_best_sentence_leads_when_it_clearly_beats_the_first_in_reading_order() -> None:
    import numpy as np

    from retriever.choice import Scores, compose

    text = (
        "Lupus is a long-term disease of the immune system. About 1.5 million Americans have lupus, "
        "according to one estimate."
    )
    pool = candidates([evidence(text, 0.6)], SHIPPED)
    similarity = np.eye(2, dtype=np.float32)

    def order(first: float, second: float) -> list[int]:
        choice = np.array([first, second], dtype=np.float32)
        return compose(SHIPPED, pool, Scores(choice, choice, similarity), choice, 3, "staff")

    assert order(0.60, 0.60 + SHIPPED.lead_margin + 0.05) == [1, 0]  # the figure the question asked for leads
    assert order(0.60, 0.60 + SHIPPED.lead_margin - 0.05) == [0, 1]  # near-equal: reading order stays


def test_the_readers_pick_leads_a_patient_answer_only_when_it_reads_easily_enough() -> None:
    import numpy as np

    from retriever.choice import Scores, compose, grade_of

    text = (
        "Lupus can be mild for a long time. Glomerulonephritis necessitates immunosuppressive "
        "pharmacotherapy administered intravenously under specialist supervision."
    )
    pool = candidates([evidence(text, 0.6)], SHIPPED)
    assert grade_of(pool[1]) > max(SHIPPED.audience.grade_target, grade_of(pool[0])) + 2
    choice = np.array([0.60, 0.55], dtype=np.float32)
    read = np.array([0.0, 1.0], dtype=np.float32)  # the reader prefers the hard sentence
    scored = Scores(choice, choice, np.eye(2, dtype=np.float32), read=read)
    unlimited = SHIPPED.model_copy(update={"reader_window": 0.0, "reader_margin": 0.0})
    limited = unlimited.model_copy(update={"reader_grade_slack": 2.0})

    def first(weights: object, audience: str) -> int:
        return compose(weights, pool, scored, choice, 3, audience)[0]  # type: ignore[arg-type]

    assert first(unlimited, "patient") == 1  # no limit (the default): the reader's pick leads
    assert first(limited, "patient") == 0  # over grade 8 + 2 and the opener's: the hand opener stays
    assert first(limited, "staff") == 1  # staff answers are not held to the patients' grade


def test_a_cause_question_lowers_a_sentence_on_what_its_subject_causes(answerer: ExtractiveAnswerer) -> None:
    effect = "Rheumatoid arthritis is a disease that causes chronic inflammation of the joints."
    cause = "No one knows what causes rheumatoid arthritis."
    pool = candidates([evidence(effect, 0.6), evidence(cause, 0.6, "doc-b")], SHIPPED)
    assert SHIPPED.w_effect < 0

    def lowered(question: str) -> dict[str, float]:
        on, off = choices(answerer, question, pool), choices(answerer, question, pool, w_effect=0.0)
        return {text: on[text] - off[text] for text in on}

    # session 24: "what causes rheumatoid arthritis" had opened with what RA causes
    asked = lowered("what causes rheumatoid arthritis")
    assert asked[effect] == pytest.approx(SHIPPED.w_effect, abs=1e-5)
    assert asked[cause] == pytest.approx(0.0, abs=1e-6)
    assert all(abs(v) < 1e-6 for v in lowered("what does rheumatoid arthritis do to the joints").values())


def test_the_cure_ask_lifts_only_a_sentence_saying_whether_it_can_be_cured(
    answerer: ExtractiveAnswerer,
) -> None:
    cure = "There is no cure for MS, but medicines may slow it down."
    remission = "MS may go into remission for a time."  # session 24: lifting remission read worse
    plain = "MS often begins between ages 20 and 40."
    gain = ask_gains(answerer, "is there a cure for ms", (cure, remission, plain))
    assert gain["There is no "] == pytest.approx(SHIPPED.w_ask, abs=1e-4)
    assert gain["MS may go in"] == pytest.approx(0.0, abs=1e-6)
    assert gain["MS often beg"] == pytest.approx(0.0, abs=1e-6)


def test_a_sentence_naming_the_trigger_asked_about_is_lifted(answerer: ExtractiveAnswerer) -> None:
    # session 42: "does stress make lupus worse" opened with lupus's nervous-system problems
    triggers = "Things that may help trigger lupus include sunlight, stress and certain medicines."
    nerves = "Lupus can cause seizures and problems with thinking and memory."
    elsewhere = "Life stress can make psoriasis worse."  # stress, but no word of lupus in its chunk
    gain = ask_gains(answerer, "does stress make lupus worse", (triggers, nerves, elsewhere))
    assert gain["Things that "] == pytest.approx(SHIPPED.w_ask, abs=1e-4)
    assert gain["Lupus can ca"] == pytest.approx(0.0, abs=1e-6)
    assert gain["Life stress "] == pytest.approx(0.0, abs=1e-6)


def test_a_sentence_naming_the_effect_asked_of_a_disease_is_lifted(answerer: ExtractiveAnswerer) -> None:
    # session 43: "does ms affect memory" opened with what MS is; "can ra cause fatigue" with what RA is
    memory = "About half of all people with MS have cognitive problems, such as trouble with memory."
    defined = "Multiple sclerosis (MS) is a nervous system disease that affects your brain."
    # another disease's sentence, in a chunk naming MS: no lift
    other = "MS and myasthenia gravis are autoimmune diseases. Myasthenia gravis can affect memory."
    gain = ask_gains(answerer, "does ms affect memory", (memory, defined, other))
    assert gain["About half o"] == pytest.approx(SHIPPED.w_ask, abs=1e-4)
    assert gain["Multiple scl"] == pytest.approx(0.0, abs=1e-6)
    assert gain["Myasthenia g"] == pytest.approx(0.0, abs=1e-6)
    tired = "People with RA may feel sick, tired and sometimes feverish."
    likened = "RA can be confused with fatigue syndromes."
    chunks = [evidence(text, 0.6, f"doc-{i}") for i, text in enumerate((tired, likened))]
    gain = lift_gain(
        answerer, "can ra cause fatigue", candidates(chunks, SHIPPED), lambda c: c.text[:12], "w_ask"
    )
    assert gain["People with "] == pytest.approx(SHIPPED.w_ask, abs=1e-4)  # "tired" is a word for fatigue
    assert gain["RA can be co"] == pytest.approx(0.0, abs=1e-6)  # what RA is taken for, not what it does


def test_a_harm_asked_of_a_treatment_lifts_the_sentence_naming_both(answerer: ExtractiveAnswerer) -> None:
    # session 43: "can steroids cause osteoporosis" opened with "Such patients may want to discuss …"
    both = "Corticosteroid treatment is linked to an increased risk of osteoporosis."
    effect_only = "Such patients may want to discuss treatments for osteoporosis with their doctors."
    gain = ask_gains(answerer, "can steroids cause osteoporosis", (both, effect_only))
    assert gain["Corticostero"] == pytest.approx(SHIPPED.w_ask, abs=1e-4)
    assert gain["Such patient"] == pytest.approx(0.0, abs=1e-6)


def reader_led(text: str, **scores: Any) -> int:
    """The first sentence of a two-sentence answer whose hand score puts the first first and whose
    reader prefers the second, with `Scores` fields `scores` (a veto's inputs): 1 when the reader leads."""
    import numpy as np

    from retriever.choice import Scores, compose

    pool = candidates([evidence(text, 0.6)], SHIPPED)
    choice = np.array([0.60, 0.58], dtype=np.float32)
    read = np.array([0.0, 1.0], dtype=np.float32)
    weights = SHIPPED.model_copy(update={"reader_window": 0.0, "reader_margin": 0.0})
    scored = Scores(choice, choice, np.eye(2, dtype=np.float32), read=read, **scores)
    return compose(weights, pool, scored, choice, 3, "staff")[0]


def test_the_reader_does_not_put_a_sentence_about_another_disease_first() -> None:
    text = "A rheumatologist treats disorders of the joints. An endocrinologist often treats Graves disease."
    # the reader prefers the endocrinologist
    assert reader_led(text, elsewhere=(False, False)) == 1  # a question naming no disease: its pick leads
    assert reader_led(text, elsewhere=(False, True)) == 0  # "what kind of doctor treats lupus": another's


def test_the_reader_does_not_put_a_sentence_before_the_definition_asked_for() -> None:
    """Session 33: "what is itp and is it dangerous" opened with "Both children and adults can develop
    ITP." and put "Immune thrombocytopenia (ITP) is a fairly common blood disorder." second."""
    text = "Immune thrombocytopenia (ITP) is a fairly common blood disorder. Both children and adults can develop ITP."
    assert reader_led(text) == 1  # no "what is X?" question: the reader's pick (who gets it) leads
    assert reader_led(text, definitions=(True, False)) == 0  # the definition asked for stays first
    assert reader_led(text, definitions=(True, True)) == 1  # both define it: the reader chooses


def test_the_reader_does_not_open_with_a_kind_of_section_not_asked_for() -> None:
    """Session 40: "what does prednisone do for lupus" opened with "Taking prednisone for a long time,
    above all at high doses, can lead to serious side effects." (the reader's pick)."""
    text = (
        "For lupus nephritis, prednisone lowers inflammation in the kidneys. "
        "Taking prednisone for a long time can lead to serious side effects."
    )
    assert reader_led(text) == 1  # no kind asked: the reader's pick leads
    assert reader_led(text, other_kind=(False, True)) == 0  # side effects, not asked for, do not lead
    assert reader_led(text, other_kind=(True, True)) == 1  # neither gives what is asked: the reader chooses


def test_the_reader_does_not_put_a_sentence_without_the_kind_asked_before_one_with_it() -> None:
    """Session 46: "how do they get your t cells out" opened with "The changed T cells are then grown
    in large numbers and infused back into the patient." (the reader's pick) over the collect step."""
    text = (
        "For CAR T-cell therapy, T cells are collected from the patient. "
        "The changed T cells are then grown in large numbers and infused back into the patient."
    )
    assert reader_led(text) == 1  # no kind asked: the reader's pick leads
    assert reader_led(text, holds_lead=(True, False)) == 0  # the collected cells, asked for, stay first
    assert reader_led(text, holds_lead=(True, True)) == 1  # both give it: the reader chooses


def test_the_reader_does_not_open_how_a_treatment_works_with_a_sentence_that_it_did_not_work() -> None:
    from retriever.choice import NOT_WORKING

    text = "Rituximab lowers the number of B cells in the blood. Rituximab does not work for every disease."
    # the reader prefers "does not work"
    assert reader_led(text, asks_mechanism=False) == 1  # "does rituximab work for ms": that is the answer
    assert reader_led(text, asks_mechanism=True) == 0  # "how does rituximab work" (session 25)
    assert NOT_WORKING.search("A study found that rituximab did not work.")
    assert NOT_WORKING.search("It doesn't always work.")
    assert not NOT_WORKING.search("Rituximab works by removing B cells.")


def test_a_yes_or_no_question_opens_with_a_sentence_unless_the_list_names_what_was_asked() -> None:
    import numpy as np

    from index.terms import content_terms
    from retriever.choice import YES_NO, Scores, compose

    text = (
        "Typical symptoms of myasthenia gravis are:\n\n- drooping eyelids\n- double vision\n- slurred speech\n\n"
        "For some people, myasthenia gravis can go into remission."
    )
    pool = candidates([evidence(text, 0.6)], SHIPPED)
    assert [bool(c.parts) for c in pool] == [True, False]
    choice = np.array([0.70, 0.65], dtype=np.float32)

    def order(question: str) -> list[int]:
        asks = bool(YES_NO.match(question.split("(about:")[0]))
        scored = Scores(
            choice, choice, np.eye(2, dtype=np.float32), yes_no=asks, terms=frozenset(content_terms(question))
        )
        return compose(SHIPPED, pool, scored, choice, 3, "staff")

    assert order("can it go away (about: tell me about myasthenia gravis)") == [1, 0]
    assert order("does myasthenia gravis cause double vision") == [0, 1]  # the list names what was asked
    assert order("what are the symptoms of myasthenia gravis") == [0, 1]  # not a yes-or-no question
    # a sentence far below the list does not answer: the list keeps its place
    choice[1] = 0.70 - SHIPPED.follow_gap - 0.01
    assert order("can it go away (about: tell me about myasthenia gravis)") == [0, 1]


def test_a_sentence_saying_the_cause_is_unknown_opens_only_a_question_asking_for_a_cause() -> None:
    import numpy as np

    from index.terms import content_terms
    from retriever.choice import YES_NO, Scores, compose

    text = (
        "Common MS symptoms are:\n\n- vision problems\n- muscle weakness\n- depression\n\n"
        "No one knows what causes MS."
    )
    pool = candidates([evidence(text, 0.6)], SHIPPED)
    assert [bool(c.parts) for c in pool] == [True, False]
    choice = np.array([0.70, 0.65], dtype=np.float32)

    def order(question: str, asks_cause: bool) -> list[int]:
        scored = Scores(
            choice,
            choice,
            np.eye(2, dtype=np.float32),
            yes_no=bool(YES_NO.match(question)),
            terms=frozenset(content_terms(question)),
            asks_cause=asks_cause,
        )
        return compose(SHIPPED, pool, scored, choice, 3, "staff")

    # session 24: "does ms cause anxiety or mood swings" had opened with "No one knows what causes MS."
    assert order("does ms cause anxiety or mood swings", asks_cause=False) == [0, 1]
    assert order("does ms come from a virus", asks_cause=True) == [1, 0]


@pytest.mark.parametrize(
    ("sentence", "unknown"),
    [
        ("No one knows what causes MS.", True),
        ("The exact cause of lupus is unknown.", True),
        ("The cause of vasculitis is often unknown.", True),
        ("Doctors do not know what causes Graves disease.", True),
        ("Infections that cause fever can make MS symptoms worse.", False),
        ("It is caused by an immune attack on the thyroid.", False),
    ],
)
def test_a_cause_unknown_sentence_is_recognised(sentence: str, unknown: bool) -> None:
    from retriever.choice import CAUSE_UNKNOWN

    assert bool(CAUSE_UNKNOWN.search(sentence)) is unknown


@pytest.mark.parametrize(
    "question",
    ["What is the chance of kidney failure with lupus nephritis?", "what are the odds my kidneys fail"],
)
def test_a_chance_question_asks_for_a_figure(question: str) -> None:
    assert QUANTITY.search(question)


def test_a_question_without_a_quantity_does_not_ask_for_a_figure() -> None:
    assert not QUANTITY.search("Does lupus nephritis lead to kidney failure?")


STUDY = (
    "To determine whether tiredness is common in Sjögren syndrome. "
    "Sixty people with Sjögren syndrome were assessed with a questionnaire on tiredness and pain. "
    "Tiredness was reported by 40 of the 60 people (67%)."
)


def test_a_sentence_saying_how_a_study_was_done_is_penalised(answerer: ExtractiveAnswerer) -> None:
    import retriever.extractive as extractive

    pool = candidates([evidence(STUDY, 0.6, doc_id="pmid-1")], SHIPPED)

    def choice(question: str, weight: float) -> dict[str, float]:
        return choices(answerer, question, pool, w_study_design=weight)

    asked = "How common was tiredness in people with Sjögren syndrome?"
    on, off = choice(asked, SHIPPED.w_study_design), choice(asked, 0.0)
    method = "Sixty people with Sjögren syndrome were assessed with a questionnaire on tiredness and pain."
    aim = "To determine whether tiredness is common in Sjögren syndrome."
    result = "Tiredness was reported by 40 of the 60 people (67%)."
    assert SHIPPED.w_study_design < 0
    for sentence in (method, aim):  # applied after FOLLOW: a penalised sentence is not lifted back
        assert on[sentence] - off[sentence] == pytest.approx(SHIPPED.w_study_design, abs=1e-4)
    assert on[result] <= off[result] + 1e-6
    # a question about the method itself keeps the method sentences
    how = "How were the people in the study assessed?"
    assert choice(how, SHIPPED.w_study_design)[method] == pytest.approx(choice(how, 0.0)[method], abs=1e-6)
    for plain in ("Lupus is diagnosed with blood tests.", "Rituximab was approved for lymphoma in 1997."):
        assert not extractive.STUDY_DESIGN.search(plain)
    # session 47: a sentence naming the study's kind and whom it took, not what it found
    design = (
        "A retrospective study of children aged 3-12 years with CD (n=24) who were compared to others (n=50)."
    )
    assert extractive.STUDY_DESIGN.search(design)
    assert not extractive.STUDY_DESIGN.search(
        "A retrospective study of 40 patients found that remission was common."
    )
    assert not extractive.STUDY_DESIGN.search(
        "In a retrospective study of 40 patients, remission was common."
    )


def test_a_sentence_about_these_medications_is_penalised_when_its_subject_is_not_the_question(
    answerer: ExtractiveAnswerer,
) -> None:
    from retriever.extractive import unanchored

    text = (
        "Immunomodulators such as azathioprine calm the immune system. "
        "People taking these medications may get infections or feel tired. "
        "Doctors check their blood counts often."
    )
    pool = candidates([evidence(text, 0.6, doc_id="bowel-disease")], SHIPPED)
    these = next(c for c in pool if c.text.startswith("People taking these medications"))
    assert unanchored(these, content_terms("What are the side effects of rituximab?"))
    assert not unanchored(these, content_terms("What are the side effects of azathioprine?"))

    def choice(question: str, weight: float) -> dict[str, float]:
        return choices(answerer, question, pool, w_unanchored=weight)

    asked = "What are the side effects of rituximab?"
    assert SHIPPED.w_unanchored < 0
    assert choice(asked, SHIPPED.w_unanchored)[these.text] - choice(asked, 0.0)[these.text] == pytest.approx(
        SHIPPED.w_unanchored, abs=1e-4
    )


def test_a_which_doctor_question_favours_a_sentence_naming_a_treating_specialist(
    answerer: ExtractiveAnswerer,
) -> None:
    text = (
        "An endocrinologist often diagnoses and treats Graves disease. "
        "A rheumatologist treats disorders of the joints, and lupus is one of them. "
        "The kidney tissue is examined in a lab by a pathologist."
    )
    pool = candidates([evidence(text, 0.6)], SHIPPED)

    def lead(question: str, weight: float) -> str:
        kept, scores = weighted(answerer, w_ask=weight).score(question, pool)
        return max(zip(scores.choice, (c.text for c in kept), strict=True))[1]

    lifts = {}
    for question in ("what kind of doctor treats lupus", "what is lupus"):
        kept, with_ = weighted(answerer, w_ask=0.1).score(question, pool)
        _, without = weighted(answerer, w_ask=0.0).score(question, pool)
        lifts[question] = {
            c.text: float(a - b) for c, a, b in zip(kept, with_.choice, without.choice, strict=True)
        }
    doctor = lifts["what kind of doctor treats lupus"]
    rheumatologist = "A rheumatologist treats disorders of the joints, and lupus is one of them."
    assert doctor[rheumatologist] == pytest.approx(0.1, abs=1e-4)  # a treating specialist
    # a specialist for another disease than the question's: no lift (session 24); it is lowered with
    # the ask (`w_other_treatment`) or without it (`w_other_disease`, session 27) alike
    graves = text.split(". ")[0] + "."
    assert SHIPPED.w_other_treatment == SHIPPED.w_other_disease
    assert doctor[graves] == pytest.approx(0.0, abs=1e-4)
    assert doctor["The kidney tissue is examined in a lab by a pathologist."] < 0.1  # reads a biopsy
    assert all(abs(v) < 1e-6 for v in lifts["what is lupus"].values())  # not asked: no lift
    assert "rheumatologist" in lead("what kind of doctor treats lupus", 0.1)


RA = (
    "Rheumatoid arthritis mostly affects the wrists and fingers. "
    "Many people with rheumatoid arthritis feel stiff in the morning. "
    "Rheumatoid arthritis (RA) is an autoimmune disease that mainly inflames the joints."
)
LUPUS = (
    "Lupus is an autoimmune disease in which the immune system attacks healthy tissues. "
    "Lupus can affect the skin, kidneys and joints."
)


def test_a_comparison_opens_with_what_each_thing_is(answerer: ExtractiveAnswerer) -> None:
    question = "lupus vs rheumatoid arthritis whats the difference"
    pool = [evidence(RA, 0.7, "doc-ra"), evidence(LUPUS, 0.4, "doc-lupus")]
    result = answerer.answer(question, pool, "patient")
    quotes = [c.quote for c in result.citations]
    assert quotes[:2] == [LUPUS.split(". ")[0] + ".", RA.split(". ")[-1]]  # in the question's order
    unpinned = weighted(answerer, w_compare=0.0).answer(question, pool, "patient")
    assert unpinned.citations[0].quote != quotes[0]  # without it, the closer document's sentences lead


def test_a_sentence_comparing_the_things_compared_opens_before_what_each_is(
    answerer: ExtractiveAnswerer,
) -> None:
    """Session 45: "whats the difference between car t and those bite drugs" opened with what each one
    is; the sentence that compares them leads now."""
    contrast = "Unlike lupus, rheumatoid arthritis mostly stays in the joints."
    question = "lupus vs rheumatoid arthritis whats the difference"
    pool = [
        evidence(RA, 0.7, "doc-ra"),
        evidence(LUPUS, 0.4, "doc-lupus"),
        evidence(contrast, 0.3, "doc-both"),
    ]
    quotes = [c.quote for c in answerer.answer(question, pool, "patient").citations]
    assert quotes == [contrast, LUPUS.split(". ")[0] + ".", RA.split(". ")[-1]]
    bites = "BiTEs' low cost, speed and simplicity are a sharp contrast with CAR-T."
    assert contrasts(bites, compared("teclistamab vs car t"))  # teclistamab by its kind
    assert not contrasts("BiTEs join T cells to B cells.", compared("teclistamab vs car t"))
    assert not contrasts(
        "CAR-T is complex and costly.", compared("whats the difference between car t and bites")
    )
    # "a different rheumatic disorder, like lupus" relates them, it does not compare them
    related = "Some people with Sjögren syndrome first had a different rheumatic disorder, like lupus."
    assert not contrasts(related, compared("sjogrens vs lupus"))


def test_a_comparison_keeps_its_sentence_comparing_them(answerer: ExtractiveAnswerer) -> None:
    """Session 45: "teclistamab vs car t which is better" had the sentence comparing them among the
    retrieved ones but not among the kept; it is kept now (with one sentence kept on the cheap signals,
    as here, beside the definitions), and leads."""
    both = (
        "Polymyositis and dermatomyositis have similar symptoms, but dermatomyositis is distinguished by a "
        "reddish or purplish rash on the eyelids."
    )
    pool = [
        evidence("Polymyositis is a muscle disease. Polymyositis weakens the hips.", 0.8, "doc-pm"),
        evidence("Dermatomyositis is a muscle disease with a skin rash.", 0.7, "doc-dm"),
        evidence(f"Muscle diseases are rare. {both}", 0.2, "doc-both"),
    ]
    narrow = weighted(answerer, preselect=1, preselect_follow=0)
    kept, _ = narrow.score("dermatomyositis vs polymyositis", candidates(pool, SHIPPED))
    assert both in [c.text for c in kept]
    quotes = [c.quote for c in narrow.answer("dermatomyositis vs polymyositis", pool, "patient").citations]
    assert quotes[0] == both


def lift_gain(
    answerer: ExtractiveAnswerer,
    question: str,
    pool: list[Candidate],
    key: Callable[[Candidate], str],
    weight: str = "w_section",
) -> dict[str, float]:
    """What a lift (the section lift `w_section` unless told) adds to each kept candidate's choice
    score, by `key`."""
    shipped = getattr(SHIPPED, weight)
    lifted = {}
    for value in (0.0, shipped):
        kept, scores = weighted(answerer, **{weight: value}).score(question, pool)
        lifted[value] = {key(c): float(s) for c, s in zip(kept, scores.choice, strict=True)}
    return {k: lifted[shipped][k] - lifted[0.0][k] for k in lifted[0.0]}


def figure_gains(answerer: ExtractiveAnswerer, question: str, text: str) -> dict[str, float]:
    """What the `w_figure` lift adds to each sentence of one chunk, by its first 12 characters."""
    pool = candidates([evidence(text, 0.6)], SHIPPED)
    return lift_gain(answerer, question, pool, lambda c: c.text[:12], "w_figure")


def ask_gains(answerer: ExtractiveAnswerer, question: str, texts: tuple[str, ...]) -> dict[str, float]:
    """What the `w_ask` lift adds to each of `texts`, one chunk apiece (a sentence's score carries to the
    next one's within a chunk), by its first 12 characters."""
    chunks = [evidence(text, 0.6, f"doc-{i}") for i, text in enumerate(texts)]
    return lift_gain(answerer, question, candidates(chunks, SHIPPED), lambda c: c.text[:12], "w_ask")


def test_a_diagnosis_question_favours_the_diagnosis_section(answerer: ExtractiveAnswerer) -> None:
    who = Evidence(
        chunk_id="mg#a#0000", doc_id="mg", score=0.6, title="Myasthenia Gravis", start=0, end=90,
        headings="Myasthenia Gravis > Who gets myasthenia gravis?",
        text="Myasthenia gravis is most often diagnosed in women younger than 40 and men older than 60.",
    )  # fmt: skip
    how = Evidence(
        chunk_id="mg#b#0001", doc_id="mg", score=0.5, title="Myasthenia Gravis", start=200, end=290,
        headings="Myasthenia Gravis > How to diagnose Myasthenia Gravis?",
        text="Doctors use a blood test for antibodies and a nerve test to confirm the disease.",
    )  # fmt: skip
    pool = candidates([who, how], SHIPPED)
    gain = lift_gain(answerer, "how do they diagnose mg", pool, lambda c: c.evidence.chunk_id)
    assert gain["mg#b#0001"] == pytest.approx(SHIPPED.w_section, abs=1e-4)
    # who gets it is another kind than the diagnosis asked for (session 30)
    assert gain["mg#a#0000"] == pytest.approx(SHIPPED.w_other_kind, abs=1e-4)


def test_a_sentence_saying_it_gives_the_kind_asked_gets_the_section_lift(
    answerer: ExtractiveAnswerer,
) -> None:
    # GARD puts "Symptoms often include …" in its "What is (are) …?" section (session 26)
    heading = {"headings": "CIDP > What is (are) CIDP?"}
    what = evidence(
        "CIDP is more common in young adults than in older people. "
        "Symptoms often include tingling or numbness in the toes and fingers.",
        0.6,
        "cidp",
        start=0,
    ).model_copy(update=heading)
    listed = evidence("Other signs of CIDP include:\n\n- weakness\n- fatigue", 0.5, "cidp-b", 300)
    listed = listed.model_copy(update=heading)
    pool = candidates([what, listed], SHIPPED)
    gain = lift_gain(answerer, "what are the signs of cidp", pool, lambda c: c.text[:20])
    assert gain["Symptoms often inclu"] == pytest.approx(SHIPPED.w_section, abs=1e-4)
    assert gain["CIDP is more common "] == pytest.approx(
        SHIPPED.w_other_kind, abs=1e-4
    )  # who gets it (session 30)
    assert gain["Other signs of CIDP "] == pytest.approx(0.0, abs=1e-6)  # a list has its own lift


def test_a_research_section_does_not_lead_unless_research_is_asked_about(
    answerer: ExtractiveAnswerer,
) -> None:
    research = Evidence(
        chunk_id="mg#r#0000", doc_id="mg", score=0.6, title="Myasthenia Gravis", start=0, end=80,
        headings="Myasthenia Gravis > What research (or clinical trials) is being done for Myasthenia Gravis?",
        text="Scientists are evaluating new and improving current treatments for myasthenia gravis.",
    )  # fmt: skip
    pool = candidates([research], SHIPPED)
    lowered = {}
    for question in (
        "is myasthenia gravis curable",
        "what new treatments for myasthenia gravis are being studied",
    ):
        _, with_ = weighted(answerer, w_research=-0.1).score(question, pool)
        _, without = weighted(answerer, w_research=0.0).score(question, pool)
        lowered[question] = float(with_.choice[0] - without.choice[0])
    assert lowered["is myasthenia gravis curable"] == pytest.approx(-0.1, abs=1e-4)
    assert lowered["what new treatments for myasthenia gravis are being studied"] == pytest.approx(
        0.0, abs=1e-6
    )


def test_a_sentence_on_what_is_being_studied_is_no_answer_of_the_kind_asked(
    answerer: ExtractiveAnswerer,
) -> None:
    """ "how is celiac disease treated" had opened with "Researchers continue to evaluate medications
    to treat refractory celiac disease.", said in the page's treatment section (session 34)."""
    studied = evidence(
        "Researchers continue to evaluate medications to treat refractory celiac disease.", 0.6
    )
    pool = candidates([studied], SHIPPED)
    lowered = {}
    for question in ("how is celiac disease treated", "tell me about celiac disease"):
        _, with_ = weighted(answerer, w_research=-0.1).score(question, pool)
        _, without = weighted(answerer, w_research=0.0).score(question, pool)
        lowered[question] = float(with_.choice[0] - without.choice[0])
    assert lowered["how is celiac disease treated"] == pytest.approx(-0.1, abs=1e-4)
    assert lowered["tell me about celiac disease"] == pytest.approx(0.0, abs=1e-6)  # no kind asked


def test_what_a_disease_does_untreated_lifts_for_what_happens_if_it_is_not_treated(
    answerer: ExtractiveAnswerer,
) -> None:
    """ "what if you dont treat autoimmune hepatitis" had quoted its treatment, not "… if not treated,
    gets worse over time …" (session 34)."""
    worse = evidence("The disease can be serious and, if not treated, gets worse over time.", 0.5)
    pool = candidates([worse], SHIPPED)
    lifted = {}
    for question in ("what if you dont treat autoimmune hepatitis", "how is autoimmune hepatitis treated"):
        _, with_ = weighted(answerer, w_ask=0.15).score(question, pool)
        _, without = weighted(answerer, w_ask=0.0).score(question, pool)
        lifted[question] = float(with_.choice[0] - without.choice[0])
    assert lifted["what if you dont treat autoimmune hepatitis"] == pytest.approx(0.15, abs=1e-4)
    assert lifted["how is autoimmune hepatitis treated"] == pytest.approx(0.0, abs=1e-6)


def test_the_effect_a_can_x_cause_y_question_asks_about() -> None:
    from retriever.extractive import _names_effect

    pool = candidates(
        [
            evidence("The most commonly affected organs are the esophagus, heart, lungs, and kidneys.", 0.5),
            evidence("Systemic scleroderma is an autoimmune disorder that affects the skin.", 0.6, "doc-b"),
        ],
        SHIPPED,
    )
    assert _names_effect(pool, "can scleroderma affect the heart") == (True, False)
    assert _names_effect(pool, "does scleroderma cause heart problems and is it deadly") == (True, False)
    # a cause asked of a disease: the sentences naming the cause (session 37), none here
    assert _names_effect(pool, "can medicine cause lupus, how many cases are from drugs") == (False, False)
    assert _names_effect(pool, "what is scleroderma") == ()


def test_a_cause_asked_of_a_disease_opens_the_answer() -> None:
    """Session 37: "does smoking cause ra" opened with "The exact cause of RA is unknown."; the
    sentence naming smoking now opens. A cause named in other forms counts ("life stresses")."""
    from retriever.extractive import _names_effect

    pool = candidates(
        [
            evidence("The exact cause of RA is unknown.", 0.6),
            evidence("Smoking for a long time is a well-known risk factor.", 0.5, "doc-b"),
            evidence(
                "For many people with psoriasis, life stresses cause the disease to worsen.", 0.5, "doc-c"
            ),
        ],
        SHIPPED,
    )
    assert _names_effect(pool, "does smoking cause ra") == (False, True, False)
    assert _names_effect(pool, "can stress cause psoriasis") == (False, False, True)
    # a treatment: its harm, named beside it (session 43), not a cause
    assert _names_effect(pool, "can car t cause lupus") == (False, False, False)


def test_a_paired_asks_words_lift_only_sentences_about_the_questions_subject(
    answerer: ExtractiveAnswerer,
) -> None:
    """ "can lupus turn into leukemia": a leukemia page's "progresses to lymphoma" is not lupus's risk."""
    lupus = evidence(
        "People with lupus nephritis have a high risk of some cancers, mainly B-cell lymphoma.", 0.5
    )
    other = evidence(
        "The outlook depends on whether the CLL progresses to lymphoma or prolymphocytic leukemia.",
        0.6,
        "doc-b",
    )
    pool = candidates([lupus, other], SHIPPED)
    question = "can lupus turn into leukemia"
    kept, with_ = weighted(answerer, w_ask=0.1).score(question, pool)
    _, without = weighted(answerer, w_ask=0.0).score(question, pool)
    lift = {
        c.evidence.doc_id: float(a - b) for c, a, b in zip(kept, with_.choice, without.choice, strict=True)
    }
    assert lift["doc-a"] == pytest.approx(0.1, abs=1e-4)
    assert abs(lift["doc-b"]) < 1e-6


def test_a_sentence_going_on_from_another_does_not_open_the_answer(answerer: ExtractiveAnswerer) -> None:
    text = (
        "However, it is unclear exactly what role these gene changes play in multiple sclerosis. "
        "Having a parent or sibling with multiple sclerosis raises a person's risk to around 2 percent."
    )
    result = answerer.answer("is ms hereditary", [evidence(text, 0.6)], "patient")
    assert not result.refused and len(result.citations) == 2  # both are quoted …
    assert result.answer.startswith("Having a parent")  # … the one that can stand alone first


def test_a_sentence_saying_where_to_read_more_is_penalised(answerer: ExtractiveAnswerer) -> None:
    pointer = (
        "Medscape Reference has an in-depth review of the genetics of lupus that was written for healthcare "
        "professionals."
    )
    fact = "In most cases, people do not inherit lupus itself, but they may inherit gene variations."
    pool = candidates([evidence(f"{pointer} {fact}", 0.6)], SHIPPED)
    assert [c.text for c in pool] == [pointer, fact]
    on = choices(answerer, "is lupus genetic", pool, w_points_elsewhere=SHIPPED.w_points_elsewhere)
    off = choices(answerer, "is lupus genetic", pool, w_points_elsewhere=0.0)
    assert SHIPPED.w_points_elsewhere < 0
    assert on[pointer] == pytest.approx(off[pointer] + SHIPPED.w_points_elsewhere, abs=1e-5)
    assert on[fact] == pytest.approx(off[fact], abs=1e-6) and on[fact] > on[pointer]


@pytest.mark.parametrize(
    ("sentence", "points"),
    [  # session 26: every sentence of these shapes in the documents is a pointer
        ("Additional information about the treatment of stiff person syndrome can be viewed on Medscape "
         "Reference's Web site.", True),
        ("Video demonstrations of exercises for ankylosing spondylitis are available for viewing through "
         "the National Ankylosing Spondylitis Society in the UK.", True),
        ("General information about clinical trials is available from the NCI website.", True),
        ("Cells are removed so they can be viewed under a microscope by a pathologist.", False),
        ("Several types of surgery are available to patients with severe joint damage.", False),
    ],
)  # fmt: skip
def test_what_counts_as_pointing_elsewhere(sentence: str, points: bool) -> None:
    from retriever.extractive import POINTS_ELSEWHERE

    assert bool(POINTS_ELSEWHERE.search(sentence)) is points


def test_a_named_form_of_a_disease_is_passed_over_unless_asked_about(answerer: ExtractiveAnswerer) -> None:
    form = "Signs of lupus nephritis can include high blood pressure and foamy urine."
    plain = "Common signs of lupus include painful joints, muscle pain and fever."
    pool = candidates([evidence(f"{form} {plain}", 0.6)], SHIPPED)
    assert [c.text for c in pool] == [form, plain]
    lowered = {
        question: choices(answerer, question, pool, w_variant=SHIPPED.w_variant)[form]
        - choices(answerer, question, pool, w_variant=0.0)[form]
        for question in (
            "what are the first signs of lupus",
            "can lupus hurt your kidneys",  # asks about that form
            "which forms of lupus are there",  # the forms are the answer
        )
    }
    assert SHIPPED.w_variant < 0
    assert lowered["what are the first signs of lupus"] == pytest.approx(SHIPPED.w_variant, abs=1e-4)
    assert lowered["can lupus hurt your kidneys"] == pytest.approx(0.0, abs=1e-6)
    assert lowered["which forms of lupus are there"] == pytest.approx(0.0, abs=1e-6)


def test_a_question_on_a_form_of_lupus_passes_over_lupus_own_signs(answerer: ExtractiveAnswerer) -> None:
    """Session 37: "what are the signs (about: lupus nephritis)" opened with lupus's own signs."""
    form = "Signs of lupus nephritis can include high blood pressure and foamy urine."
    plain = "Common signs of lupus include painful joints, muscle pain and fever."
    pool = candidates([evidence(f"{form} {plain}", 0.6)], SHIPPED)
    question = "what are the signs of lupus nephritis"
    on = choices(answerer, question, pool, w_variant=SHIPPED.w_variant)
    off = choices(answerer, question, pool, w_variant=0.0)
    assert on[plain] - off[plain] == pytest.approx(SHIPPED.w_variant, abs=1e-4)
    assert on[form] - off[form] == pytest.approx(0.0, abs=1e-6)  # names the form's kidneys


def test_a_sentence_about_another_treatment_is_passed_over(answerer: ExtractiveAnswerer) -> None:
    """ "how much does teclistamab cost": CAR-T's price is not teclistamab's; a BiTE sentence is kin."""
    car_t = "CAR-T cell therapy costs about $500,000 when it is used for cancer."
    bites = 'Müller calls BiTEs "cheap, fast, uncomplicated."'
    plain = "Teclistamab is one BiTE."
    pool = candidates(
        [evidence(car_t, 0.6), evidence(f"{bites} {plain}", 0.6, "doc-b")], SHIPPED
    )  # one chunk each, so no sentence is lifted by the one before it
    assert [c.text for c in pool] == [car_t, bites, plain]
    question = "how much does teclistamab cost"
    on = choices(answerer, question, pool)
    no_penalty = choices(answerer, question, pool, w_other_treatment=0.0)
    no_ask = choices(answerer, question, pool, w_other_treatment=0.0, w_ask=0.0)
    assert SHIPPED.w_other_treatment < 0
    assert on[car_t] == pytest.approx(no_penalty[car_t] + SHIPPED.w_other_treatment, abs=1e-5)
    assert no_penalty[car_t] == pytest.approx(no_ask[car_t], abs=1e-6)  # nor lifted by its price
    assert no_penalty[bites] == pytest.approx(no_ask[bites] + SHIPPED.w_ask, abs=1e-5)  # BiTEs: kin
    assert on[bites] == pytest.approx(no_penalty[bites], abs=1e-6)
    # asked about CAR-T, the same price sentence is about the question's treatment
    asked = choices(answerer, "how much does car t cost", pool)
    assert asked[car_t] == pytest.approx(
        choices(answerer, "how much does car t cost", pool, w_other_treatment=0.0)[car_t], abs=1e-6
    )


def test_a_treatment_and_disease_question_keeps_a_sentence_naming_both(answerer: ExtractiveAnswerer) -> None:
    """ "car t for ms": the answer holds "…CAR-T is being explored for multiple sclerosis" even when the
    choice fills it with how CAR T cells are made."""
    made = (
        "CAR T cells are made from a patient's own T cells. The T cells are changed in a laboratory. "
        "The changed CAR T cells are grown and given back by infusion. CAR T cells attack their target."
    )
    ms = "Besides lupus, CAR-T is being explored for multiple sclerosis."
    evidence_ = [evidence(made, 0.6), evidence(ms, 0.5, "doc-b")]
    on = answerer.answer("car t for ms", evidence_, "patient")
    off = weighted(answerer, keep_pair=0).answer("car t for ms", evidence_, "patient")
    assert SHIPPED.keep_pair == 1
    assert "multiple sclerosis" in on.answer and len(on.citations) <= 3
    assert not on.answer.startswith("Besides lupus")  # the chosen sentences name CAR-T: it comes last
    # the chosen sentences are all on MS, none names CAR-T: the sentence naming both leads (session 25)
    about_ms = (
        "Multiple sclerosis is a disease of the brain and spinal cord. It often begins between ages 20 "
        "and 40. Women get multiple sclerosis more often than men. Medicines can slow multiple sclerosis."
    )
    leads = answerer.answer("car t for ms", [evidence(about_ms, 0.6), evidence(ms, 0.5, "doc-b")], "patient")
    assert leads.answer.startswith("Besides lupus, CAR-T is being explored")
    assert "multiple sclerosis" not in off.answer  # the choice alone leaves it out
    # a chosen sentence names both already: it leads, the others stay (session 46)
    both = weighted(answerer, keep_pair=0).answer("is car t explored for ms", evidence_, "patient")
    kept = answerer.answer("is car t explored for ms", evidence_, "patient")
    assert both.answer.endswith("explored for multiple sclerosis. [3]")
    assert kept.answer.startswith("Besides lupus") and len(kept.citations) == len(both.citations)


def pair_orderer(texts: list[str]) -> Callable[[str, list[int]], list[int]]:
    """`extractive._with_pair` over one chunk of `texts` (each one candidate), scores all equal."""
    import numpy as np

    from retriever.choice import Scores
    from retriever.extractive import _with_pair

    pool = candidates([evidence(" ".join(texts), 0.6)], SHIPPED)
    assert [c.text for c in pool] == texts
    n = len(texts)
    scored = Scores(np.zeros(n), np.zeros(n), np.eye(n))
    return lambda question, ordered: _with_pair(
        question, pool, scored, np.zeros(n), ordered, SHIPPED.margin, 3, None
    )


def test_a_chosen_sentence_naming_both_leads_when_the_opener_does_not_name_the_treatment() -> None:
    """ "can ms patients get car t" had opened with how MS is diagnosed and given CAR-T for MS third
    (session 26); a follow-up's carried-over subject is not what it asks."""
    texts = [
        "A physician may diagnose MS in some patients soon after the onset of the illness.",
        "Most people with MS are mildly affected.",
        "CAR-T cell therapy, which removes B cells, is also being explored for MS.",
    ]
    with_pair = pair_orderer(texts)

    def order(question: str) -> list[int]:
        return with_pair(question, [0, 1, 2])

    assert order("can ms patients get car t") == [2, 0, 1]
    assert order("is there anything simpler? (about: can ms patients get car t)") == [0, 1, 2]
    assert order("how is ms diagnosed") == [0, 1, 2]  # no treatment asked about


def test_a_sentence_naming_both_leads_when_the_opener_names_the_treatment_only() -> None:
    """Session 46: "car t for myasthenia" opened with "CAR-T for autoimmune disease is limited by its
    cost …" and gave the sentence naming CAR-T and myasthenia gravis third."""
    texts = [
        "CAR-T for autoimmune disease is limited by its cost and how complex it is.",
        "Researchers are testing new drugs for myasthenia gravis.",
        "CAR-T therapy is being explored for multiple sclerosis, myositis and myasthenia gravis.",
    ]
    with_pair = pair_orderer(texts)

    def order(ordered: list[int]) -> list[int]:
        return with_pair("car t for myasthenia", ordered)

    assert order([0, 1, 2]) == [2, 0, 1]  # chosen: it leads
    assert order([2, 0, 1]) == [2, 0, 1]  # it opens already
    # not chosen, a chosen sentence names CAR-T: it comes last (it led, in a run, answers that needed
    # the opener: plain_val's val-006 and val-060)
    assert order([1, 0]) == [1, 0, 2]


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("Over 40 lupus patients have received it.", True),
        ("About one in four people get it.", True),
        ("One patient stayed well for four years.", True),
        ("It has put most people into remission, but no one can call it a cure yet.", False),
        ("It is one of the options being explored.", False),
        ("Cells are made one by one, which makes it slow.", False),
        ("Someone with lupus may feel tired.", False),
    ],
)
def test_a_figure_is_a_number_not_the_one_of_no_one(text: str, figure: bool) -> None:
    from retriever.extractive import FIGURE

    assert bool(FIGURE.search(text)) is figure


def test_an_effect_of_the_subject_is_no_reason_for_a_cause_question() -> None:
    from retriever.extractive import gives_reason

    asked = content_terms("what causes vitiligo")
    assert not gives_reason("Vitiligo causes white patches on your skin.", asked)
    assert not gives_reason("It can also cause the hair to gray early.", asked)
    assert gives_reason("Vitiligo causes white patches because the color cells are destroyed.", asked)
    assert gives_reason("Sunlight and stress can cause vitiligo to spread.", asked)
    assert gives_reason("In vitiligo, the immune attack causes the color cells to die.", asked)
    assert gives_reason("Vitiligo is caused by the loss of color cells.", asked)
    # a hyphenated name counts by its parts (session 30)
    gbs = content_terms("what causes guillain barre syndrome")
    assert not gives_reason("Guillain-Barre syndrome is a rare disorder that causes nerve damage.", gbs)
    assert gives_reason("No one knows what causes Guillain-Barre syndrome.", gbs)
    # what not doing it would bring is a reason too (session 30)
    assert gives_reason(
        "Treat it early; otherwise the eyes may be harmed.", content_terms("why treat it early")
    )


def test_an_effect_of_the_subject_does_not_cover_a_cause_question(answerer: ExtractiveAnswerer) -> None:
    effect = "Vitiligo causes white patches on your skin."
    cause = "Vitiligo is caused by the loss of color cells."
    pool = candidates([evidence(text, 0.6, f"doc-{i}") for i, text in enumerate((effect, cause))], SHIPPED)
    with_coverage = choices(answerer, "what causes vitiligo", pool)
    without = choices(answerer, "what causes vitiligo", pool, w_coverage=0.0)
    gained = {text[:12]: with_coverage[text] - without[text] for text in with_coverage}
    # "vitiligo" alone for the effect, "vitiligo" and "cause" for the cause: half the coverage lift
    assert gained["Vitiligo cau"] == pytest.approx(gained["Vitiligo is "] / 2, abs=1e-4)


def test_a_sentence_on_another_disease_only_is_lowered(answerer: ExtractiveAnswerer) -> None:
    other = "Besides lupus, CAR-T therapy is being explored for myasthenia gravis."
    own = "Autoimmune autonomic ganglionopathy damages parts of the autonomic nervous system."
    plain = "The immune system attacks the body by mistake."  # names no disease: not another's
    texts = (other, own, plain)
    pool = candidates([evidence(text, 0.6, f"doc-{i}") for i, text in enumerate(texts)], SHIPPED)
    question = "what does autoimmune autonomic ganglionopathy do to the body"
    gain = lift_gain(answerer, question, pool, lambda c: c.text[:12], "w_other_disease")
    assert SHIPPED.w_other_disease < 0
    assert gain["Besides lupu"] == pytest.approx(SHIPPED.w_other_disease, abs=1e-4)
    assert gain["Autoimmune a"] == pytest.approx(0.0, abs=1e-6)
    assert gain["The immune s"] == pytest.approx(0.0, abs=1e-6)
    # a question asking about other diseases than the one it names (dev-009): nothing is lowered
    besides = "besides lupus what other sicknesses are they trying car t on"
    assert all(
        abs(v) < 1e-6
        for v in lift_gain(answerer, besides, pool, lambda c: c.text, "w_other_disease").values()
    )
    # a question naming no disease: nothing is another disease's
    assert all(
        abs(v) < 1e-6
        for v in lift_gain(answerer, "what does car t do", pool, lambda c: c.text, "w_other_disease").values()
    )


def test_a_cause_question_favours_how_the_disease_comes_about(answerer: ExtractiveAnswerer) -> None:
    """Session 28: "what causes vitiligo" had quoted who else gets it; "It occurs when …" says how."""
    text = (
        "Frost fever occurs when the immune system attacks the small vessels of the hands. "
        "About one in ten people with frost fever also has another autoimmune disease."
    )
    pool = candidates([evidence(text, 0.6)], SHIPPED)
    arises = "Frost fever occurs when the immune system attacks the small vessels of the hands."

    def lift(question: str) -> float:
        return (
            choices(answerer, question, pool, w_reason=0.05)[arises]
            - choices(answerer, question, pool, w_reason=0.0)[arises]
        )

    assert lift("what causes frost fever") == pytest.approx(0.05, abs=1e-4)
    assert lift("how do people get frost fever") == pytest.approx(0.05, abs=1e-4)
    assert lift("does lupus cause numbness") == pytest.approx(0.0, abs=1e-4)  # an effect, not a cause


def test_a_sentence_of_another_kind_than_asked_is_marked_down(answerer: ExtractiveAnswerer) -> None:
    """Session 28 (L82): "how do you treat pemphigus" had opened with how doctors diagnose it."""
    text = "Doctors diagnose frost fever with a physical exam and a blood test. Warm gloves help the hands."
    pool = candidates([evidence(text, 0.6)], SHIPPED)
    diagnose = "Doctors diagnose frost fever with a physical exam and a blood test."
    assert SHIPPED.w_other_kind < 0

    def mark(question: str) -> float:
        return (
            choices(answerer, question, pool)[diagnose]
            - choices(answerer, question, pool, w_other_kind=0.0)[diagnose]
        )

    assert mark("how is frost fever treated") == pytest.approx(SHIPPED.w_other_kind, abs=1e-4)
    assert mark("how is frost fever diagnosed") == pytest.approx(0.0, abs=1e-4)  # the kind asked
    assert mark("tell me about frost fever") == pytest.approx(0.0, abs=1e-4)  # no kind asked


def test_a_sentence_naming_the_person_asked_about_is_evidence(answerer: ExtractiveAnswerer) -> None:
    """Session 30: "who is fabian muller" was refused, the one sentence naming him just under the
    evidence threshold (the embedder knows no names); naming him now counts (`w_named`)."""
    said = evidence("Such drugs are cheap, fast and simple, according to Müller.", 0.15)
    named = answerer.answer("who is fabian muller", [said], "staff")
    assert not named.refused and "Müller" in named.citations[0].quote
    unnamed = weighted(answerer, w_named=0.0).answer("who is fabian muller", [said], "staff")
    assert unnamed.refused and unnamed.refusal_reason == "insufficient_evidence"
    # a question that names nobody gets nothing for the name
    pool = candidates([said], answerer.weights)
    assert choices(answerer, "what did the doctor say", pool) == choices(
        answerer, "what did the doctor say", pool, w_named=0.0
    )


def test_a_question_naming_no_disease_is_about_its_best_chunks(answerer: ExtractiveAnswerer) -> None:
    """Session 30: "what did askanase say about a cure" (the lupus article's) went on with "There is no
    cure for Isaacs' syndrome."; a question naming no disease is about those its best chunk's title names."""
    lupus = evidence("Doctors now hope lupus can be cured one day.", 0.7, "lupus").model_copy(
        update={"title": "Lupus today"}
    )
    other = evidence("There is no cure for Isaacs' syndrome.", 0.5, "isaacs").model_copy(
        update={"title": "Isaacs' syndrome"}
    )
    pool = candidates([lupus, other], SHIPPED)
    gain = lift_gain(
        answerer, "what did the doctor hope for", pool, lambda c: c.evidence.doc_id, "w_other_disease"
    )
    assert gain["isaacs"] == pytest.approx(SHIPPED.w_other_disease, abs=1e-4)
    assert gain["lupus"] == pytest.approx(0.0, abs=1e-6)


def test_a_section_of_the_kind_asked_lifts_only_on_the_disease_asked(answerer: ExtractiveAnswerer) -> None:
    """Session 30: "is vitiligo more common in men or women" quoted Sjögren's "women are affected about
    9 times as often as men": who gets it, but another disease's."""
    vitiligo = evidence("Vitiligo is more common in people with other autoimmune diseases.", 0.6, "vit")
    other = evidence("Women get it about nine times as often as men.", 0.5, "sjo")
    pool = candidates(
        [
            vitiligo.model_copy(update={"title": "Vitiligo"}),
            other.model_copy(update={"title": "Sjögren syndrome"}),
        ],
        SHIPPED,
    )
    gain = lift_gain(answerer, "is vitiligo more common in men or women", pool, lambda c: c.evidence.doc_id)
    assert gain["vit"] == pytest.approx(SHIPPED.w_section, abs=1e-4)
    assert gain["sjo"] == pytest.approx(0.0, abs=1e-6)


def test_a_persons_name_starting_with_the_subject_does_not_define_it() -> None:
    from retriever import extractive

    # "what is anca" had opened with the rheumatologist Anca Askanase (session 31)
    assert not extractive.defines("Anca Askanase is a rheumatologist at Columbia University.", {"anca"})
    assert extractive.defines("ANCA is an antibody found in vasculitis.", {"anca"})
    assert extractive.defines("Sjögren Syndrome is a disorder of the glands.", {"sjogren"})
    assert extractive.defines("Graves disease is a thyroid condition.", {"grave"})


def test_a_strict_definition_names_its_subject_first() -> None:
    from retriever import extractive

    assert extractive.defines("A striking feature of lupus is a butterfly rash.", {"lupu"})
    assert not extractive.defines("A striking feature of lupus is a butterfly rash.", {"lupu"}, strict=True)
    assert extractive.defines(
        "Vasculitis is an inflammation of the blood vessels.", {"vasculiti"}, strict=True
    )


def test_a_definitions_hyphenated_head_names_the_words_typed_apart() -> None:
    from retriever import extractive

    # "is car t chemo": "CAR T-cell therapy is a type of immunotherapy …" says what CAR-T is (session 31)
    sentence = "CAR T-cell therapy is a type of immunotherapy that changes the patient's T cells."
    assert extractive.defines(sentence, {"car", "t"}, strict=True)


def test_a_when_was_question_lifts_the_sentence_giving_a_moment_in_time(answerer: ExtractiveAnswerer) -> None:
    """Session 33: "when did the nature study come out" got how many it treated, not "… published in
    the journal Nature, two years before MedPath covered it"."""
    from retriever.extractive import MOMENT

    assert MOMENT.search("It was approved by the FDA in 2004.")
    assert MOMENT.search("In September, the journal printed case reports.")
    assert MOMENT.search("It was published two years before MedPath covered it.")
    assert not MOMENT.search("People may get it at any age.")  # the verb, not the month
    text = (
        "A German study in the journal Nature treated 5 people with severe lupus. "
        "The study was published in the journal Nature two years before MedPath covered it."
    )
    gain = figure_gains(answerer, "when did the nature study come out", text)
    assert gain["The study wa"] > 0 and gain["A German stu"] == 0


def test_an_age_asked_lifts_the_sentences_giving_ages() -> None:
    """Session 37: "at what age is ms usually diagnosed" left out "Most people experience their first
    symptoms of MS between the ages of 20 and 40"; an age question reads ages as its figure."""
    from retriever.extractive import AGE, ASKS_AGE

    assert ASKS_AGE.search("at what age is ms usually diagnosed")
    assert ASKS_AGE.search("how old are people when they get ra")
    assert not ASKS_AGE.search("how much does car t cost")
    for said in (
        "Most people experience their first symptoms of MS between the ages of 20 and 40.",
        "It often starts in middle age and is most common in older people.",
        "SLE is most common in younger women, yet 20 percent of cases occur in people over age 50.",
    ):
        assert AGE.search(said)
    assert not AGE.search("About 1.3 million US adults have RA.")


def test_a_how_many_people_question_lifts_a_count_of_people(answerer: ExtractiveAnswerer) -> None:
    """Session 47: "how many lupus patients got car t" opened with "The first lupus patient … stayed
    free of symptoms for almost four years." (its "four" was the figure); a count of people answers."""
    from retriever.coverage import counts_people
    from retriever.extractive import PEOPLE_COUNT

    assert counts_people("how many lupus patients got car t")
    assert counts_people("how many ppl were in the german study")
    assert not counts_people("how many car t cells do they give you")
    assert not counts_people("how many die from lupus")
    assert PEOPLE_COUNT.search("Over 40 lupus patients worldwide have now received CAR-T.")
    assert PEOPLE_COUNT.search("MS is estimated to affect about 1.1 to 2.5 million people.")
    assert not PEOPLE_COUNT.search("The first patient stayed free of symptoms for almost four years.")
    text = (
        "The first lupus patient treated with CAR-T stayed free of symptoms for almost four years. "
        "All 5 patients with severe lupus treated in a German study reached complete remission."
    )
    gain = figure_gains(answerer, "how many lupus patients got car t", text)
    assert gain["All 5 patien"] > 0 and gain["The first lu"] == 0


def test_did_it_work_lifts_a_result_that_names_the_treatment(answerer: ExtractiveAnswerer) -> None:
    """Session 47: "did car t work for lupus" opened with what CAR T cells are aimed at and how they
    multiply; a sentence naming CAR-T with a result (remission) answers it."""
    from retriever.extractive import ASKS_WORKED

    assert ASKS_WORKED.search("does car t really work")
    assert ASKS_WORKED.search("is car t effective for lupus")
    assert ASKS_WORKED.search("how well does car t work for lupus")
    assert not ASKS_WORKED.search("how does car t work")  # how it works: the mechanism
    result = "All 5 patients with severe lupus reached complete remission after CAR-T cell therapy."
    blood = "Inside the body, the CAR T cells multiply in the blood."
    other = "Rituximab put some patients into remission."
    gain = ask_gains(answerer, "did car t work for lupus", (result, blood, other))
    assert gain[result[:12]] == pytest.approx(SHIPPED.w_ask, abs=1e-4)
    assert gain[blood[:12]] == pytest.approx(0.0, abs=1e-4)
    assert gain[other[:12]] == pytest.approx(0.0, abs=1e-4)  # another treatment's result


def test_a_complaint_brought_about_is_no_cause() -> None:
    """Session 47: "what causes rheumatoid arthritis" opened with "When the synovium is inflamed, it
    causes pain, swelling, and stiffness of the joint." (its "causes" counted as a reason)."""
    from retriever.extractive import gives_reason

    terms = content_terms("what causes rheumatoid arthritis")
    assert not gives_reason("When the synovium is inflamed, it causes pain, swelling, and stiffness.", terms)
    assert gives_reason("No one knows what causes rheumatoid arthritis.", terms)
    collagen = "Build-up of collagen in the skin and other organs causes the signs and symptoms."
    assert gives_reason(collagen, content_terms("what causes scleroderma"))


def test_an_effect_no_passage_names_is_unnamed() -> None:
    from retriever.coverage import unnamed_effect

    # session 39: "does addisons disease cause insomnia" had got the causes of Addison disease
    addison = ["Addison disease: Symptoms include fatigue, weight loss and low blood pressure."]
    assert unnamed_effect("does addisons disease cause insomnia or trouble sleeping", addison) == (
        "insomnia or trouble sleeping"
    )
    assert unnamed_effect("can ms cause hiccups", ["MS: numbness, weakness and fatigue."]) == "hiccups"
    # named, as a word's start or by the word the sources use for a plain one
    assert unnamed_effect("does addisons disease cause weight loss", addison) == ""
    assert unnamed_effect("can addisons cause tiredness", addison) == ""
    assert unnamed_effect("can lupus affect your kidneys", ["Lupus nephritis is renal inflammation."]) == ""
    # not an effect question, or the "effect" is a disease (a question about a cause)
    assert unnamed_effect("what causes insomnia", addison) == ""
    assert unnamed_effect("can stress cause lupus", addison) == ""


def test_what_a_question_sets_aside() -> None:
    from retriever.extractive import set_aside

    assert set_aside("itp what meds are there besides prednisone") == {"prednisone"}
    assert set_aside("other than steroids what treats itp") == {"prednisone"}
    assert set_aside("alternatives to methotrexate for ra") == {"methotrexate"}
    assert set_aside("besides lupus what else does car t treat") == set()  # a disease, not a treatment
    assert set_aside("what treats itp") == set()


def test_a_sentence_on_what_is_set_aside_does_not_open(answerer: ExtractiveAnswerer) -> None:
    # session 39: "itp what meds are there besides prednisone" opened with prednisone
    ev = evidence(
        "Corticosteroids, such as prednisone, are commonly used to treat ITP. Other medicines for ITP "
        "include immune globulin and rituximab. Some people have their spleen removed.",
        0.7,
    )
    answer = answerer.answer("itp what meds are there besides prednisone", [ev], "patient")
    assert answer.citations and "prednisone" not in answer.citations[0].quote
    plain = answerer.answer("what meds are there for itp", [ev], "patient")
    assert plain.citations[0].quote.startswith("Corticosteroids")


def test_what_a_sentence_measures_the_question_s_treatment_against() -> None:
    from retriever.coverage import measured_against

    bites = "Simpler treatments such as BiTEs may help more lupus patients than CAR-T can."
    assert measured_against("how does car t help lupus", bites)
    assert not measured_against("how do bites help lupus", bites)  # the question's treatment is its subject
    assert not measured_against("are bites better than car t", bites)  # a comparison asked: it answers
    assert not measured_against("car t vs bites for lupus", bites)
    assert not measured_against("what's a cheaper option than car-t for lupus?", bites)  # asks for it
    assert not measured_against("how does car t help lupus", "CAR-T works better than nothing.")
    assert not measured_against("how does car t help lupus", "More than 40 people have had CAR-T.")
    assert not measured_against("what helps lupus", bites)  # the question names no treatment


def test_a_sentence_on_the_other_side_of_a_treatment_from_the_question() -> None:
    from retriever.coverage import other_side

    taper = "Lupus patients usually need to taper off their lupus medicines before CAR-T."
    # session 40: "do you still need lupus meds after car t" opened with tapering before CAR-T
    assert other_side("do you still need lupus meds after car t", taper)
    assert not other_side("do you stop lupus medicine before car t", taper)  # the side asked
    assert other_side("what happens before car t", "B cells come back after CAR-T.")
    assert not other_side("what happens after car t", "B cells come back after CAR-T.")
    assert not other_side("what happens after car t", "Tapered before CAR-T, drugs stop after it.")  # both
    assert not other_side("what do lupus meds do", taper)  # asks of neither side
    assert not other_side("do you still need lupus meds after car t", "Stop aspirin before surgery.")


def set_aside_for(answerer: ExtractiveAnswerer, question: str, aside: str, kept: str) -> list[Candidate]:
    """The pool of the two sentences, having checked that for the question `aside` gets
    `w_other_treatment` and `kept` nothing."""
    pool = candidates([evidence(aside, 0.7), evidence(kept, 0.6, "doc-b")], SHIPPED)
    on = choices(answerer, question, pool)
    off = choices(answerer, question, pool, w_other_treatment=0.0)
    assert on[aside] == pytest.approx(off[aside] + SHIPPED.w_other_treatment, abs=1e-5)
    assert on[kept] == pytest.approx(off[kept], abs=1e-6)
    return pool


def test_a_sentence_measuring_another_treatment_against_the_question_s_is_passed_over(
    answerer: ExtractiveAnswerer,
) -> None:
    # session 40: "how does car t help lupus" opened with BiTEs helping more patients than CAR-T
    bites = "Simpler treatments such as BiTEs may help more lupus patients than CAR-T can."
    works = "In lupus, CAR-T works by removing B cells, the immune cells that make antibodies."
    pool = set_aside_for(answerer, "how does car t help lupus", bites, works)
    # asked about BiTEs, the same sentence is about the question's treatment
    kin = "how do bites help lupus"
    assert choices(answerer, kin, pool)[bites] == pytest.approx(
        choices(answerer, kin, pool, w_other_treatment=0.0)[bites], abs=1e-6
    )


def test_how_a_treatment_helps_is_not_answered_by_another_treatment(answerer: ExtractiveAnswerer) -> None:
    # session 41: "how can steroids help ms flares" opened with CAR-T being explored for MS
    car_t = "CAR-T cell therapy, which removes B cells, is also being explored for MS."
    steroids = "Steroids can reduce the length and severity of MS attacks."
    question = "how can steroids help ms flares"
    pool = set_aside_for(answerer, question, car_t, steroids)
    answer = answerer.answer(question, [evidence(f"{car_t} {steroids}", 0.7)], "patient")
    assert answer.citations[0].quote == steroids
    # not asked how a treatment works, the CAR-T sentence is no other treatment's to set aside
    asked = "are steroids used for ms"
    assert choices(answerer, asked, pool)[car_t] == pytest.approx(
        choices(answerer, asked, pool, w_other_treatment=0.0)[car_t], abs=1e-6
    )


def test_an_effect_asked_in_other_words_is_read_too() -> None:
    from retriever.coverage import unnamed_effect

    ms = ["MS: numbness, weakness, fatigue, walking and bladder problems."]
    # session 39: "what percent of ppl with polymyositis end up in a wheelchair" got polymyositis' muscles
    assert unnamed_effect("what percent of people with ms end up needing a wheelchair", ms) == "a wheelchair"
    assert unnamed_effect("does ivig for cidp mess up your sleep", ms) == "sleep"
    assert unnamed_effect("what percent of people with ms end up with bladder problems", ms) == ""
    assert unnamed_effect("how many people with ms have ms", ms) == ""  # not an effect question


def test_what_a_cell_or_an_organ_does_is_said_by_a_sentence_naming_it_before_a_verb() -> None:
    # session 46: "what do b cells do" opened with "B cells, also called B lymphocytes, are a type of
    # white blood cell." and said what they do only in a list after it
    from retriever.extractive import _acts, _thing_does

    def thing(question: str) -> str | None:
        found = _thing_does(question)
        return found.pattern if found else None

    assert (
        thing("what do b cells do")
        == thing("what is the job of b cells")
        == thing("whats the point of b cells")
    )
    assert thing("what are t cells supposed to do") is not None
    assert thing("what does the thymus do") is not None
    assert thing("what are the treatments for sjogrens") is None  # "for" ends the question, or it is no role
    assert thing("what does car t do") is None  # a treatment: `_acts`'s own rule
    assert thing("what do b cells do wrong in lupus") is None  # what goes wrong in a disease
    texts = [
        "B cells are the white blood cells that make antibodies.",
        "B cells, also called B lymphocytes, are a type of white blood cell.",
        "Although B-cell counts eventually recover, they return slowly.",
        "A BiTE holds the two cells together so that the B cell can be destroyed by a T cell.",
    ]
    kept = candidates([evidence(" ".join(texts), 0.6)], SHIPPED)
    assert [c.text for c in kept] == texts
    assert _acts(kept, "what do b cells do", [False] * 4) == (True, False, False, False)
    tcell = "Inside the patient, the CAR T cells multiply in the blood and attack the cancer cells."
    assert _acts(candidates([evidence(tcell, 0.6)], SHIPPED), "what are t cells for", [False]) == (False,)


def test_a_chosen_sentence_with_the_words_of_an_ask_that_holds_the_lead_opens() -> None:
    # session 46: "how do they take out your t cells for car t" opened with "CAR T cells multiply in
    # the patient's blood after the infusion." and gave the collected T cells third
    import numpy as np

    from retriever.choice import Scores, _ask_first

    texts = [
        "CAR T cells multiply in the patient's blood after the infusion.",
        "The CAR T cells are returned to the same patient by infusion.",
        "For CAR T-cell therapy, T cells are collected from the patient.",
    ]
    pool = candidates([evidence(" ".join(texts), 0.6)], SHIPPED)
    zeros = np.zeros(3, dtype=np.float32)
    held = Scores(zeros, zeros, np.eye(3, dtype=np.float32), holds_lead=(False, False, True))
    assert _ask_first([0, 1, 2], pool, held) == [2, 0, 1]
    assert _ask_first([0, 1], pool, held) == [0, 1]  # none chosen has them: the order stays
    assert _ask_first([0, 1, 2], pool, Scores(zeros, zeros, np.eye(3, dtype=np.float32))) == [0, 1, 2]


def test_a_rare_subsets_inheritance_is_marked_down_for_an_inheritance_question(
    answerer: ExtractiveAnswerer,
) -> None:
    """Session 47: "is psoriasis hereditary" opened with a rare form's recessive inheritance."""
    from retriever.extractive import RARE_SUBSET

    rare = "Some cases of the generalized form are caused by changes in the IL36RN gene and are inherited."
    family = "About 40 percent of people with psoriasis have a close family member with it."
    assert RARE_SUBSET.search(rare) and not RARE_SUBSET.search(family)
    assert RARE_SUBSET.search("In rare cases, SLE can be inherited in an autosomal recessive pattern.")
    chunks = [evidence(rare, 0.6, "doc-0"), evidence(family, 0.6, "doc-1")]
    pool = candidates(chunks, SHIPPED)
    gain = lift_gain(answerer, "is psoriasis hereditary", pool, lambda c: c.text[:12], "w_other_kind")
    assert gain[rare[:12]] == pytest.approx(SHIPPED.w_other_kind, abs=1e-4)
    assert gain[family[:12]] == pytest.approx(0.0, abs=1e-4)
