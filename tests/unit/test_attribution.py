"""A citation of a project article shows first the public sources its quoted sentence names."""

from __future__ import annotations

from pathlib import Path

from app.render import answer_text, source_card_html, sources_panel
from index.schema import upstream_sources
from ingest.loaders import load_markdown
from retriever.attribution import attribute, named_in
from retriever.types import Answer, Evidence, cite

UPSTREAM = [
    "MedlinePlus | Lupus |  | https://medlineplus.gov/lupus.html",
    "NIH GARD | Lupus |  | https://rarediseases.info.nih.gov/lupus",
    "NIH NINDS | Neurological Sequelae Of Lupus |  | http://www.ninds.nih.gov/lupus",
    "National Cancer Institute | CAR T Cells | 2022-03-10 | https://www.cancer.gov/car-t",
]
TEXT = (
    "Lupus is an autoimmune disease. The attack can harm nearly every organ (NIH GARD).\n\n"
    "The National Institute of Neurological Disorders and Stroke (NINDS) adds that the immune system "
    "is over-active. MedlinePlus says there is no cure.\n\n"
    "CAR-T cells are made for one person at a time."
)


def _span(sentence: str) -> tuple[int, int]:
    start = TEXT.index(sentence)
    return start, start + len(sentence)


def test_a_source_is_known_by_its_publisher_its_short_name_or_its_long_name() -> None:
    assert named_in("MedlinePlus says there is no cure.", UPSTREAM) == [UPSTREAM[0]]
    assert named_in("…every organ (NIH GARD).", UPSTREAM) == [UPSTREAM[1]]
    assert named_in("NINDS adds that…", UPSTREAM) == [UPSTREAM[2]]
    assert named_in("The National Cancer Institute describes…", UPSTREAM) == [UPSTREAM[3]]
    assert named_in("The NCI describes…", UPSTREAM) == [UPSTREAM[3]]
    assert named_in("GARDEN and FINDS name nothing; nor does nci-like text", UPSTREAM) == []


def test_the_sources_the_quote_names_lead_and_a_quote_naming_none_singles_out_none() -> None:
    # the quote names MedlinePlus; its paragraph also names NINDS, which is not taken
    lines, named = attribute(UPSTREAM, TEXT, *_span("MedlinePlus says there is no cure."))
    assert lines[:named] == [UPSTREAM[0]] and sorted(lines) == sorted(UPSTREAM)
    # the quote names none, though its paragraph closes with "(NIH GARD)": the paragraph is no guide
    assert attribute(UPSTREAM, TEXT, *_span("Lupus is an autoimmune disease.")) == (UPSTREAM, 0)
    assert attribute(UPSTREAM, TEXT, *_span("CAR-T cells are made for one person at a time.")) == (
        UPSTREAM,
        0,
    )
    assert attribute([], TEXT, 0, 5) == ([], 0)


def test_every_view_separates_the_named_source_from_the_others() -> None:
    ev = Evidence(
        chunk_id="aqa-lupus#h#0000", doc_id="aqa-lupus", text=TEXT, score=0.7, upstream="\n".join(UPSTREAM)
    )
    answer = Answer(
        question="is there a cure?",
        answer="MedlinePlus says there is no cure. [1]",
        citations=[cite(1, ev, *_span("MedlinePlus says there is no cure."), 0.7)],
    )
    citation = answer.citations[0]
    assert citation.upstream_named == 1
    text = answer_text(answer)
    assert "    based on: Lupus — MedlinePlus — https://medlineplus.gov/lupus.html" in text
    assert "GARD" not in text  # the other sources are not listed as what the quote is based on
    panel = sources_panel(answer)
    assert "**Based on:** Lupus — MedlinePlus" in panel
    assert "**Other sources of this article:** Lupus — NIH GARD" in panel
    html = source_card_html(citation, 1, None)
    based_on, others = html.split("Other sources of this article", 1)
    assert "MedlinePlus" in based_on and "GARD" not in based_on and "GARD" in others


def test_a_real_article_sentence_is_traced_to_the_source_it_names() -> None:
    path = Path(__file__).resolve().parents[2] / "corpus" / "articles" / "lupus-basics.md"
    document = load_markdown(path, path.parent)
    upstream = [line for line in upstream_sources(document).splitlines() if line.strip()]
    sentence = "Genetics Home Reference calls SLE a chronic, or long-lasting, disease."
    start = document.text.index(sentence)
    lines, named = attribute(upstream, document.text, start, start + len(sentence))
    assert [line.split(" | ")[0] for line in lines[:named]] == ["NIH Genetics Home Reference"]
    assert len(lines) == len(upstream) == 5


def test_every_page_of_a_named_publisher_is_kept() -> None:
    pages = [
        "MedlinePlus | Autoimmune Diseases |  | u1",
        "MedlinePlus | Multiple Sclerosis |  | u2",
        "NIH NINDS | X |  | u3",
    ]
    # the quote's words are those of the first title, but the fact is on the second page
    assert named_in("MedlinePlus says MS may be an autoimmune disease.", pages) == pages[:2]
