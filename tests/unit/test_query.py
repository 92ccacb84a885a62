"""Patients' wording mapped to the sources' terms: glossary aliases and spelling slips."""

from __future__ import annotations

from pathlib import Path

import pytest

from retriever.glossary import load_aliases
from retriever.query import correct_spelling, expand_aliases, unmentioned_phrase, with_aliases

GLOSSARY = Path(__file__).resolve().parents[2] / "corpus" / "glossary.yaml"
VOCABULARY = {
    "rheumatoid": 12,
    "arthritis": 30,
    "symptoms": 40,
    "lupus": 90,
    "teclistamab": 3,
    "inotuzumab": 2,
}


def test_lay_words_bring_in_the_glossary_term() -> None:
    aliases = load_aliases(GLOSSARY)
    assert expand_aliases("does the immune reset last?", aliases).endswith("(CAR-T cell therapy)")
    assert "lupus nephritis" in expand_aliases("what is lupus kidney disease", aliases)


def test_short_forms_match_only_in_capitals() -> None:
    aliases = load_aliases(GLOSSARY)
    assert "multiple sclerosis" in expand_aliases("Is MS autoimmune?", aliases)
    assert expand_aliases("I take 15 mg of it", aliases) == "I take 15 mg of it"


def test_a_question_already_using_the_term_is_left_alone() -> None:
    aliases = load_aliases(GLOSSARY)
    question = "What is lupus nephritis, the lupus kidney disease?"
    assert expand_aliases(question, aliases) == question


def test_spelling_slips_are_corrected_to_corpus_words() -> None:
    assert correct_spelling("what is rhematoid arthritis", VOCABULARY) == "what is rheumatoid arthritis"
    assert correct_spelling("wat are the sypmtoms of lupus", VOCABULARY) == "what are the symptoms of lupus"
    # two letters swapped, in a word under five letters too (session 24)
    assert correct_spelling("car t for lupsu does it wrok", VOCABULARY) == "car t for lupus does it work"
    # an "f" for a "ph", which the ratio test sent to "neuritis" (session 45)
    vocabulary = {**VOCABULARY, "nephritis": 9, "neuritis": 5}
    assert correct_spelling("what is lupus nefritis", vocabulary) == "what is lupus nephritis"


def test_the_shorthand_people_type_for_small_words_is_spelt_out() -> None:
    """Typed "wat is lupis" had stayed "wat is lupus" (the dictionary knows a wat) and was not read as a
    "what is" question; "wut causes vitiligo" was refused for naming "wut" (session 25)."""
    assert correct_spelling("wat is lupis", VOCABULARY) == "what is lupus"
    assert correct_spelling("hw do u get ms", VOCABULARY) == "how do you get ms"
    assert correct_spelling("wut meds r used for lupus", VOCABULARY) == "what meds are used for lupus"
    assert correct_spelling("Wot causes RA", VOCABULARY) == "what causes RA"
    # letters that stand alone for a word only in the table: "car t", "vitamin d", "b cells" stay
    typed = "car t for b cells and vitamin d"
    assert correct_spelling(typed, VOCABULARY) == typed


def test_english_words_and_unrelated_drug_names_are_never_corrected() -> None:
    question = "what is the price of obinutuzumab for crushing pain"
    assert correct_spelling(question, VOCABULARY) == question


def test_missing_glossary_means_spelling_only(tmp_path: Path) -> None:
    corrected = correct_spelling("rhematoid", VOCABULARY)
    assert with_aliases(corrected, tmp_path / "none.yaml", "rhematoid") == "rheumatoid"


def test_unknown_names_are_drugs_and_acronyms_the_index_never_uses() -> None:
    from retriever.messages import not_in_sources_text
    from retriever.query import unknown_names

    vocabulary = {"teclistamab": 3, "lupus": 9, "nih": 2, "senior": 1, "cart": 1, "safe": 1}
    assert unknown_names("Is obinutuzumab like teclistamab?", vocabulary) == ["obinutuzumab"]
    assert unknown_names("Results of the CASTLE trial in lupus?", vocabulary) == ["CASTLE"]
    assert unknown_names("What does the NIH Senior page say?", vocabulary) == []
    assert unknown_names("IS TISAGENLECLEUCEL SAFE", vocabulary) == []  # shouting: capitals name nothing
    assert unknown_names("is the castle trial done", vocabulary) == []  # lower case: an ordinary word
    assert unknown_names("did teclistimab help lupis?", vocabulary) == []  # a slip, not a new drug
    assert not_in_sources_text(["A", "B", "C"]) == (
        "The sources I have don't mention A, B or C, so I can't answer this from them."
    )


def test_a_what_is_question_about_a_term_no_retrieved_text_uses_is_about_an_unknown_term() -> None:
    from retriever.messages import unmentioned_text
    from retriever.query import subject_terms, unmentioned

    assert subject_terms("what is lymphodepletion?") == ["lymphodepletion"]
    assert subject_terms("What does remission mean?") == []  # an English word
    assert subject_terms("what is lupus exactly") == []
    assert subject_terms("how does lymphodepletion work") == []  # not a "what is" question
    # a compound of English words is no name: "first-line", "long-term"; "anti-cd20" keeps its "cd"
    assert subject_terms("What are the first-line treatments for lupus?") == []
    assert subject_terms("what is a long-term side effect") == []
    assert subject_terms("what is anti-cd20") == ["anti-cd"]
    evidence = ["B-cell depletion is treatment that weakens B cells.", "Sjögren syndrome dries the eyes."]
    assert unmentioned(["lymphodepletion"], evidence) == ["lymphodepletion"]
    assert unmentioned(subject_terms("what is sjogrens"), evidence) == []  # accents folded, plural a slip
    assert unmentioned(subject_terms("what is Sjögren syndrome?"), evidence) == []
    assert unmentioned([], evidence) == []
    # a word the passage writes inside a hyphenated one is mentioned: "Guillain-Barr Syndrome"
    assert (
        unmentioned(subject_terms("what is guillain barre"), ["Guillain-Barr Syndrome damages nerves."]) == []
    )
    assert unmentioned(["depletion", "cell"], evidence) == []
    assert unmentioned(["guillain"], ["Nerves are damaged in some syndromes."]) == ["guillain"]
    assert unmentioned_text(["ICANS"]) == (
        "None of the passages I found mentions ICANS, so I can't answer this from my sources."
    )


PASSAGES = [
    "Certain immune cells release cytokines. Other scientists think cytokines play a role in Schnitzler syndrome.",
    "CAR-T cell therapy reset the immune system of five people with lupus.",
    "Drug-induced lupus goes away when the medicine is stopped.",
    "B cells make antibodies that help the body fight many kinds of infection. Aplasia of the skin is rare.",
]


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("what is cytokine release syndrome", "cytokine release syndrome"),  # its words, never together
        ("what is drug induced lupus", None),  # the hyphen is a space
        ("whats car t therapy", None),  # "CAR-T cell therapy": within the slack
        ("what is the standard treatment regimen for lupus", None),  # not the name of a thing
        ("what are the first signs of lupus", None),  # "first signs" is no name either
        ("what is lupus", None),  # one word: `subject_terms` and retrieval decide
        ("what is b cell aplasia", "b cell aplasia"),  # "-plasia" names a condition
        ("what is schnitzler syndrome", None),
        # session 34: a follow-up's carried subject is not its own
        ("whats the outlook (about: b cell aplasia)", None),
        # session 36: a technical name in a question of another form
        ("what does cytokine release syndrome feel like", "cytokine release syndrome"),
        ("does teclistamab cause cytokine release syndrome", "cytokine release syndrome"),
        ("what are the symptoms of cytokine release syndrome", "cytokine release syndrome"),
        ("does lupus cause kidney disease", None),  # English words: no technical name
        ("is schnitzler syndrome genetic", None),  # two words: retrieval and `subject_terms` decide
        ("is neuromyelitis optica spectrum disorder the same as ms", None),  # a disease's name
        (
            "can car t cause immune effector cell neurotoxicity syndrome",
            "effector cell neurotoxicity syndrome",
        ),
        ("is primary biliary cholangitis hereditary", None),  # a disease's name
        # a personal question depersonalised: "known about" is no part of the name asked about
        ("What is known about psoriasis arthritis?", "psoriasis arthritis"),
    ],
)
def test_a_named_thing_the_passages_never_name_together_is_unmentioned(
    question: str, missing: str | None
) -> None:
    assert unmentioned_phrase(question, PASSAGES) == missing


def test_a_depersonalised_question_asks_about_its_subject() -> None:
    # session 36: "if i have psoriasis will i get arthritis" was refused as never naming "known about
    # psoriasis arthritis"
    passage = ["Psoriatic arthritis is joint inflammation that usually occurs with psoriasis."]
    assert unmentioned_phrase("What is known about psoriasis arthritis?", passage) is None


def test_a_word_glued_to_another_in_the_passage_is_named() -> None:
    passage = ["Antisynthetase syndrome is a chronic autoimmune condition."]
    assert unmentioned_phrase("what is anti synthetases syndrome", passage) is None
    assert unmentioned_phrase("what is anti thrombin syndrome", passage) == "anti thrombin syndrome"


def test_abbreviations_expand_the_search_query_even_without_alias_rewriting() -> None:
    # "mg" typed in lower case is myasthenia gravis; "15 mg" and "mg/kg" are doses
    assert with_aliases("can mg go away", GLOSSARY, "can mg go away", short_only=True) == (
        "can mg go away (myasthenia gravis)"
    )
    assert with_aliases("i take 15 mg of it", GLOSSARY, "", short_only=True) == "i take 15 mg of it"
    assert with_aliases("dose is 2 mg/kg", GLOSSARY, "", short_only=True) == "dose is 2 mg/kg"
    assert with_aliases("car t for ms", GLOSSARY, "", short_only=True) == "car t for ms (multiple sclerosis)"
    # only abbreviations: an everyday alias waits for `rewrite_queries`
    assert with_aliases("lupus kidney", GLOSSARY, "", short_only=True) == "lupus kidney"
    assert with_aliases("lupus kidney", GLOSSARY, "") == "lupus kidney (lupus nephritis)"


def test_diseases_named_by_abbreviation_only_expand_the_search_query() -> None:
    assert with_aliases("is ra genetic", None, "") == "is ra genetic (rheumatoid arthritis)"
    assert (
        with_aliases("how do they treat itp", None, "") == "how do they treat itp (immune thrombocytopenia)"
    )
    assert (
        with_aliases("rheumatoid arthritis or ra", None, "") == "rheumatoid arthritis or ra"
    )  # named already
    assert with_aliases("i take 15 mg a day", None, "") == "i take 15 mg a day"  # a dose


def test_an_abbreviation_the_sources_seldom_use_is_read_as_the_disease() -> None:
    from retriever.query import spelled_out_diseases

    counts = {"mg": 28, "ms": 190, "pbc": 0}  # chunks using each (the shared documents and articles)
    assert spelled_out_diseases("car t for mg", counts) == "car t for myasthenia gravis"
    assert spelled_out_diseases("what is pbc", counts) == "what is primary biliary cirrhosis"
    assert spelled_out_diseases("is ms genetic", counts) == "is ms genetic"  # the sources write "MS"
    assert spelled_out_diseases("i take 15 mg a day", counts) == "i take 15 mg a day"  # a dose
    assert spelled_out_diseases("car t for mg", {}) == "car t for mg"  # no index: nothing to go by


def test_a_paper_that_found_something_is_read_as_a_study() -> None:
    from retriever.query import papers_as_studies

    # session 38: "what did the nature paper find" quoted a dipstick's "strip of chemically treated paper"
    assert papers_as_studies("what did the nature paper find") == "what did the nature study find"
    assert papers_as_studies("what did the nejm papers report") == "what did the nejm studies report"
    assert papers_as_studies("what is the nature of lupus") == "what is the nature of lupus"
    assert papers_as_studies("is there a paper on car t") == "is there a paper on car t"


def test_brand_names_expand_the_search_query_with_the_generic_name() -> None:
    assert with_aliases("is plaquenil safe", None, "") == "is plaquenil safe (hydroxychloroquine)"
    assert with_aliases("cellcept or imuran", None, "") == "cellcept or imuran (mycophenolate; azathioprine)"
    assert with_aliases("what is hydroxychloroquine", None, "") == "what is hydroxychloroquine"


def test_a_brand_is_read_as_the_name_the_sources_use() -> None:
    from retriever.query import generic_names

    assert generic_names("what is tecvayli") == "what is teclistamab"
    assert (
        generic_names("is Rituxan or cellcept used for lupus")
        == "is rituximab or mycophenolate used for lupus"
    )
    assert generic_names("what is a shopping trolley") == "what is a shopping trolley"
    assert generic_names("ritux side efects") == "rituximab side efects"  # a short name (session 45)


@pytest.mark.parametrize(
    ("question", "written"),
    [
        ("how many people have lupus in the us", "how many people have lupus in the United States"),
        ("is car t approved in the USA", "is car t approved in the United States"),
        ("how common is ms in the u.s.", "how common is ms in the United States"),
        ("is it approved in US", "is it approved in the United States"),
        ("can you tell us about lupus", "can you tell us about lupus"),  # a pronoun
    ],
)
def test_the_country_is_written_as_the_sources_write_it(question: str, written: str) -> None:
    """Session 29: "In the United States, SLE is thought to affect …" did not count for "the us"."""
    from retriever.query import spelled_out_country

    assert spelled_out_country(question) == written


def test_a_question_on_what_kind_of_thing_a_named_subject_is_asks_its_definition() -> None:
    from retriever.query import class_subject

    assert class_subject("is car t chemo") == {"car", "t"}
    assert class_subject("is teclistamab a car t") == {"teclistamab"}
    assert class_subject("is sjogrens a type of arthritis?") == {"sjogren"}
    assert class_subject("is vasculitis a blood disease") == {"vasculiti"}
    # a disease by its abbreviation is asked by its name (session 45), unless compared or its own class
    assert class_subject("is mg an autoimune disease") == {"myasthenia", "gravi"}
    assert class_subject("is ra the same as regular arthritis") == {"ra"}
    assert class_subject("is sle a type of lupus") == {"sle"}
    # not a kind: a relation, an adjective, or no named treatment or disease
    assert class_subject("is hair loss a side effect of rituximab") == set()
    assert class_subject("is rituximab a good option for ms") == set()
    assert class_subject("is lupus contagious") == set()
    assert class_subject("is fatigue a symptom of lupus") == set()


def test_a_what_is_question_on_the_start_of_a_glossary_term_asks_for_the_term() -> None:
    """Session 37: "what is car t" opened with "CAR is short for …" and "what is cart" was refused;
    both now ask what CAR-T cell therapy is, as "what is car t therapy" did."""
    from pathlib import Path

    from retriever.glossary import load_aliases
    from retriever.query import term_asked

    aliases = load_aliases(Path(__file__).resolve().parents[2] / "corpus" / "glossary.yaml")
    assert term_asked("what is car t", aliases) == "what is CAR-T cell therapy"
    assert term_asked("What is CART?", aliases) == "What is CAR-T cell therapy?"
    assert (
        term_asked("what is car t for lupus", aliases) == "what is car t for lupus"
    )  # not the whole subject
    assert term_asked("how does car t work", aliases) == "how does car t work"  # no "what is X?"
    compound = "whats car t and how is it supposed to help lupus"  # asks more than what it is
    assert term_asked(compound, aliases) == compound
    assert term_asked("what is the deep reset", aliases) == "what is the deep reset"  # no start of the term


def test_the_first_question_of_what_is_x_and_another() -> None:
    from retriever.query import definition_part

    # session 41: "what is teclistamab and is it safe" was refused whole
    assert definition_part("what is teclistamab and is it safe") == "what is teclistamab"
    assert definition_part("whats myositis and does it hurt") == "what is myositis"
    assert definition_part("what is lupus") == ""  # one question
    assert definition_part("what is the difference between ra and lupus and which is worse") == ""
    assert definition_part("how is lupus treated and is it serious") == ""  # no "what is X" first
