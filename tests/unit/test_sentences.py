"""Unit tests for index.sentences.split_sentences: sentence spans with exact character offsets."""

from __future__ import annotations

import pytest

from index.sentences import split_sentences


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


def test_plain_sentences_are_split_at_their_final_punctuation() -> None:
    assert sentences("Lupus is chronic. It flares! Does it go away? Sometimes.") == [
        "Lupus is chronic.",
        "It flares!",
        "Does it go away?",
        "Sometimes.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Dr. Smith treated the patient. She recovered.",
            ["Dr. Smith treated the patient.", "She recovered."],
        ),
        (
            "Some drugs, e.g. Rituximab, remove B cells. Others do not.",
            ["Some drugs, e.g. Rituximab, remove B cells.", "Others do not."],
        ),
        (
            "The infusion takes approx. 5 hours. Then it stops.",
            ["The infusion takes approx. 5 hours.", "Then it stops."],
        ),
        (
            "Results differ, i.e. Some improve. Fig. 2 shows this.",
            ["Results differ, i.e. Some improve.", "Fig. 2 shows this."],
        ),
    ],
)
def test_abbreviations_do_not_end_a_sentence(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_sentence_ending_in_a_number_before_a_capital_is_split() -> None:
    assert sentences("The dose was 5. The next dose was 10.") == ["The dose was 5.", "The next dose was 10."]


def test_closing_quotes_and_brackets_stay_with_their_sentence() -> None:
    assert sentences('He said "stop." Then he left. (It was late.) Done.') == [
        'He said "stop."',
        "Then he left.",
        "(It was late.)",
        "Done.",
    ]


def test_list_markers_are_left_out_of_the_sentence_span() -> None:
    text = "- First item.\n* Second item.\n+ Third item.\n1. Fourth item.\n2) Fifth item.\n\u2022 Sixth item."
    assert sentences(text) == [
        "First item.",
        "Second item.",
        "Third item.",
        "Fourth item.",
        "Fifth item.",
        "Sixth item.",
    ]


def test_indented_list_item_with_two_sentences_gives_two_spans_without_the_marker() -> None:
    assert sentences("   - Rituximab removes B cells. It is given by drip.") == [
        "Rituximab removes B cells.",
        "It is given by drip.",
    ]


def test_hard_wrapped_line_is_joined_when_the_next_line_starts_in_lower_case() -> None:
    text = "CAR-T cells were given to five people\nwith severe lupus. All five improved."
    assert sentences(text) == [
        "CAR-T cells were given to five people\nwith severe lupus.",
        "All five improved.",
    ]


def test_line_followed_by_a_capitalised_line_is_not_joined() -> None:
    assert sentences("Bispecific T-cell engagers\nA bispecific engager holds two cells.") == [
        "Bispecific T-cell engagers",
        "A bispecific engager holds two cells.",
    ]


def test_line_ending_in_a_colon_is_not_joined_with_a_lower_case_line() -> None:
    assert sentences("Signs include:\nswelling of the legs") == ["Signs include:", "swelling of the legs"]


def test_blank_line_always_breaks_even_before_lower_case_text() -> None:
    assert sentences("a heading without a stop\n\nthen lower case text") == [
        "a heading without a stop",
        "then lower case text",
    ]


def test_list_item_is_not_joined_to_the_line_above() -> None:
    assert sentences("Treatments without a stop\n- rituximab\n- belimumab") == [
        "Treatments without a stop",
        "rituximab",
        "belimumab",
    ]


def test_empty_and_whitespace_only_text_has_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences("  \n\n\t \n") == []


SAMPLE = (
    "  # Heading line\n\n"
    "Lupus is an autoimmune disease. Dr. Lee, e.g. a rheumatologist, sees approx. 40 people a week!\n"
    "- First point is here.\n"
    "2) Second point\n"
    "continues in lower case.   \n\n"
    "\u201cQuoted.\u201d Closing line?\r\n"
    "Trailing text without a stop"
)


def test_spans_are_exact_trimmed_slices_in_order_without_overlap() -> None:
    spans = split_sentences(SAMPLE)
    assert spans, "expected sentences"
    previous_end = 0
    for start, end in spans:
        piece = SAMPLE[start:end]
        assert piece == piece.strip() and piece
        assert start >= previous_end
        previous_end = end
    assert [SAMPLE[s:e] for s, e in spans] == [
        "# Heading line",
        "Lupus is an autoimmune disease.",
        "Dr. Lee, e.g. a rheumatologist, sees approx. 40 people a week!",
        "First point is here.",
        "Second point\ncontinues in lower case.",
        "\u201cQuoted.\u201d",
        "Closing line?",
        "Trailing text without a stop",
    ]


@pytest.mark.parametrize("offset", [0, 1, 37, 10_000])
def test_offset_argument_shifts_every_span_so_it_slices_the_enclosing_text(offset: int) -> None:
    enclosing = "x" * offset + SAMPLE + "tail"
    plain = split_sentences(SAMPLE)
    shifted = split_sentences(SAMPLE, offset)
    assert shifted == [(start + offset, end + offset) for start, end in plain]
    assert [enclosing[s:e] for s, e in shifted] == [SAMPLE[s:e] for s, e in plain]


def test_hyphenated_term_ending_in_a_single_letter_still_ends_a_sentence() -> None:
    assert sentences("Patients received CAR-T. All five went into remission.") == [
        "Patients received CAR-T.",
        "All five went into remission.",
    ]


def test_an_acronym_that_looks_like_an_abbreviation_ends_a_sentence() -> None:
    assert sentences("Treatments can slow MS. Physical therapy helps too. Ms. Lee agreed.") == [
        "Treatments can slow MS.",
        "Physical therapy helps too.",
        "Ms. Lee agreed.",
    ]
    assert sentences("Is lupus inherited? No. Most people inherit a risk. See No. 5 below.") == [
        "Is lupus inherited?",
        "No.",
        "Most people inherit a risk.",
        "See No. 5 below.",
    ]


def test_a_sentence_opening_in_bold_starts_a_new_sentence() -> None:
    assert sentences(
        "Scleroderma has two types. **Localized scleroderma** affects the skin. _Rarely_ it spreads."
    ) == [
        "Scleroderma has two types.",
        "**Localized scleroderma** affects the skin.",
        "_Rarely_ it spreads.",
    ]


FRAGMENTS = (
    "Rituximab is one of the treatments for several conditions:\n\n"
    "- **CLIPPERS**, an inflammatory disease of the central nervous system. Long-term CLIPPERS "
    "treatment may combine steroids with rituximab.\n"
    "- **Corticosteroids**, such as prednisone and prednisolone, reduce inflammation.\n"
    "- **Rest.** NINDS names rest as part of lupus care.\n"
    "- **Remission:** a period when symptoms improve or go away.\n"
    "- **Fatigue.**\n"
    "- **Skin:** purple or red spots, bruises or hives\n"
    "- Acetaminophen and ibuprofen\n"
    "**CAR-T cell therapy**, a treatment first built for blood cancers.\n"
    "# How is lupus treated?\n"
    "Lupus is treated with medicines. The following stages are used for thymoma:\n"
    "Chronic Lymphocytic Leukemia Treatment\n"
)


@pytest.mark.parametrize(
    ("sentence", "fragment"),
    [
        ("Rituximab is one of the treatments for several conditions:", True),  # a lead-in alone
        ("**CLIPPERS**, an inflammatory disease of the central nervous system.", True),
        ("Long-term CLIPPERS treatment may combine steroids with rituximab.", False),
        ("**Corticosteroids**, such as prednisone and prednisolone, reduce inflammation.", False),
        ("**Rest.** NINDS names rest as part of lupus care.", False),
        ("**Remission:** a period when symptoms improve or go away.", False),
        ("**Fatigue.**", True),
        ("**Skin:** purple or red spots, bruises or hives", True),
        ("Acetaminophen and ibuprofen", True),
        ("**CAR-T cell therapy**, a treatment first built for blood cancers.", True),
        ("# How is lupus treated?", True),
        ("Lupus is treated with medicines.", False),
        ("The following stages are used for thymoma:", False),  # not the opening of its line
        ("Chronic Lymphocytic Leukemia Treatment", True),
    ],
)
def test_headings_labels_and_list_items_cut_from_their_lead_in_are_fragments(
    sentence: str, fragment: bool
) -> None:
    from index.sentences import is_fragment

    spans = {FRAGMENTS[a:b]: (a, b) for a, b in split_sentences(FRAGMENTS)}
    spans.setdefault("# How is lupus treated?", (FRAGMENTS.index("# How"), FRAGMENTS.index("# How") + 23))
    assert is_fragment(FRAGMENTS, *spans[sentence]) is fragment


def test_a_footnote_number_after_the_period_ends_the_sentence_and_belongs_to_neither() -> None:
    text = "Some need a kidney transplant.3 Scientists cannot predict who will. About 2.5 Million have MS."
    assert sentences(text) == [
        "Some need a kidney transplant.",
        "Scientists cannot predict who will.",
        "About 2.5 Million have MS.",  # a decimal point is not a footnote
    ]


def test_a_lead_in_left_without_its_list_is_a_fragment_when_it_ends_on_a_word_no_sentence_ends_on() -> None:
    from index.sentences import is_fragment

    # the list this lead-in announces went to the next chunk; the sentence before it is whole
    text = "Symptoms differ from person to person. The most common symptoms of the disease are"
    (whole, lead) = split_sentences(text)
    assert is_fragment(text, *lead)
    assert not is_fragment(text, *whole)
    # a list item that ends on an ordinary word is judged as before: not the opening of its line
    item = "Swelling shows in the feet. The face or hands swell less often"
    assert not is_fragment(item, *split_sentences(item)[1])


def test_a_flattened_table_and_a_table_footnote_are_fragments() -> None:
    from index.sentences import is_fragment

    text = (
        "The disease has many signs. Signs and Symptoms Approximate number of patients (when available) "
        "Dry skin 90% Joint pain 50% Fever 7.5%\n"
        "*Most of these can be bought without it. **Rest** helps most people."
    )
    spans = {text[a:b]: (a, b) for a, b in split_sentences(text)}
    assert not is_fragment(text, *spans["The disease has many signs."])
    table = next(s for s in spans if s.startswith("Signs and Symptoms"))
    assert is_fragment(text, *spans[table])
    assert is_fragment(text, *spans["*Most of these can be bought without it."])
    assert not is_fragment(text, *spans["**Rest** helps most people."])


def test_a_flattened_table_cut_below_its_header_is_a_fragment_and_a_result_is_not() -> None:
    from index.sentences import is_fragment

    # a chunk that starts inside the table: the header is in the chunk before
    rows = "7.5% Osteolysis 7.5% Osteomyelitis 7.5% Pulmonary hypertension 7.5% Seizures 7.5% The list ends."
    assert is_fragment(rows, *split_sentences(rows)[0])
    result = (
        "Fatigue was reported by 68% of patients (40% Hispanic, 30% White), against 22% (95% CI 1.1, 2.0)."
    )
    assert not is_fragment(result, *split_sentences(result)[0])


def test_the_sentences_that_say_how_to_read_a_symptom_table_are_fragments() -> None:
    from index.sentences import is_fragment

    text = (
        "Frost fever starts in the fingers. For example, a frequency of 25/25 means that in a study of 25 "
        "people all patients were found to have that symptom. The frequency may also be listed as a "
        "fraction. You can use the MedlinePlus Medical Dictionary to look up the definitions for these "
        "medical terms. The fingers turn white in the cold."
    )
    kept = [text[a:b] for a, b in split_sentences(text) if not is_fragment(text, a, b)]
    assert kept == ["Frost fever starts in the fingers.", "The fingers turn white in the cold."]


def test_the_tail_of_a_sentence_the_chunker_cut_is_a_fragment() -> None:
    from index.sentences import is_fragment

    # session 24: a chunk that opens inside an odds ratio ("… dose>15 mg (OR = | 4.53; 95% CI …")
    tail = "4.53; 95% CI 1.61, 12.79; P = 0.004). No predictor of relapse was found."
    spans = split_sentences(tail)
    assert [is_fragment(tail, *span) for span in spans] == [True, False]
    whole = "Steroid dose predicted it (OR = 4.53; 95% CI 1.61, 12.79; P = 0.004) [2]."
    assert not is_fragment(whole, *split_sentences(whole)[0])


def test_an_evidence_check_reads_a_passage_without_its_symptom_table() -> None:
    from index.sentences import without_tables

    # session 24: "can kids get lupus" was taken as covered by "Feeding difficulties in infancy"
    text = (
        "Frost fever is rare. 7.5% Feeding difficulties in infancy 7.5% Gastrointestinal infarctions "
        "7.5% Hemiplegia 7.5% Seizures. For example, a frequency of 25/25 means that in a study of 25 "
        "people all patients were found to have that symptom. It starts in the fingers."
    )
    assert without_tables(text) == "Frost fever is rare. It starts in the fingers."
    prose = "Children with frost fever may have a rash. It fades."
    assert without_tables(prose) == prose  # a passage without a table is returned as it is


def test_a_paragraph_glued_to_a_list_s_last_item_starts_its_own_sentences() -> None:
    # as MedlinePlus pages print their summaries: the line break after the last item is lost
    text = (
        "The main signs are:\n- Dry eyes\n"
        "- Dry mouth Treatment eases the signs for most people. NIH: National Institute of Health\n"
    )
    assert sentences(text) == [
        "The main signs are:",
        "Dry eyes",
        "Dry mouth",
        "Treatment eases the signs for most people.",
        "NIH: National Institute of Health",
    ]
    # names and sentences in a list stay whole
    for item, first in (
        (
            "- Johns Hopkins Vasculitis Center: How is it treated? These pages say more.",
            "Johns Hopkins Vasculitis",
        ),
        (
            "- Signs of childhood Hodgkin lymphoma include swollen lymph nodes and fever.",
            "Signs of childhood Hodgkin",
        ),
        ("- Pain in the Jaw Joints is common. It goes away.", "Pain in the Jaw Joints is common."),
        (
            "- After Kaposi sarcoma has been diagnosed, tests are done. They show more.",
            "After Kaposi sarcoma",
        ),
    ):
        assert sentences(item)[0].startswith(first), item
