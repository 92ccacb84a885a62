"""`[^key]` source markers in an article: stripped before indexing, each run kept with its sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.render import answer_message_html, answer_text, source_card_html
from index.schema import Chunk, chunk_metadata, upstream_sources
from ingest.loaders import LoadError, SourceFile, load_markdown, load_source
from ingest.markers import MarkerError, strip_source_markers, unmarked_sentences
from retriever.types import Answer, Evidence, cite

SOURCES = [
    {
        "title": "Lupus",
        "publisher": "MedlinePlus",
        "url": "https://medlineplus.gov/lupus.html",
        "key": "mplus",
    },
    {"title": "Lupus", "publisher": "NIH GARD", "url": "https://rarediseases.info.nih.gov/x", "key": "gard"},
    {"title": "News", "publisher": "MedPath", "url": "", "key": "medpath"},
]
ARTICLE = """---
id: aqa-test
title: Test
url: corpus/articles/test.md
sources:
  - {title: Lupus, publisher: MedlinePlus, url: "https://medlineplus.gov/lupus.html", key: mplus}
  - {title: Lupus, publisher: NIH GARD, url: "https://rarediseases.info.nih.gov/x", key: gard}
  - {title: News, publisher: MedPath, url: "", key: medpath}
---

# Test

## What is lupus?

Lupus has no cure.[^mplus] It can harm nearly every organ. It comes and goes.[^gard][^mplus]

Signs include:[^gard]

- a rash on the cheeks[^gard]
- **Fatigue.** Deep tiredness.[^mplus]

CAR-T put most people in remission.[^medpath]
"""


def test_markers_are_stripped_and_each_covers_the_text_since_the_one_before() -> None:
    body = ARTICLE.split("---\n", 2)[2]
    text, spans = strip_source_markers(body, SOURCES)
    assert "[^" not in text
    assert "Lupus has no cure. It can harm nearly every organ. It comes and goes.\n" in text
    covered = [(text[s.start : s.end], s.keys) for s in spans]
    assert covered == [
        ("Lupus has no cure.", ("mplus",)),
        ("It can harm nearly every organ. It comes and goes.", ("gard", "mplus")),
        ("Signs include:", ("gard",)),
        ("a rash on the cheeks", ("gard",)),
        ("**Fatigue.** Deep tiredness.", ("mplus",)),
        ("CAR-T put most people in remission.", ("medpath",)),
    ]
    assert unmarked_sentences(text, spans) == []


def test_a_sentence_without_a_marker_is_reported() -> None:
    text, spans = strip_source_markers("Lupus has no cure.[^mplus] Nobody knows why.\n", SOURCES)
    assert unmarked_sentences(text, spans) == ["Nobody knows why."]


def test_footnotes_of_a_document_whose_sources_have_no_keys_are_left_alone() -> None:
    body = "A claim.[^1]\n\n[^1]: A footnote.\n"
    assert strip_source_markers(body, [{"title": "Lupus"}]) == (body, ())
    assert strip_source_markers(body, None) == (body, ())


@pytest.mark.parametrize(
    ("sources", "body", "message"),
    [
        (SOURCES, "Lupus has no cure.[^niams]\n", "marker [^niams] names no source: add 'key: niams'"),
        ([*SOURCES, {"title": "X", "key": "gard"}], "x", "two sources have the key 'gard'"),
        ([{"title": "X", "key": "Not OK"}], "x", "use lower-case letters, digits and '-'"),
        ([{"title": "", "key": "untitled"}], "x", "source 'untitled' has no title"),
    ],
)
def test_bad_markers_and_keys_are_errors_that_say_what_to_do(sources: list, body: str, message: str) -> None:
    with pytest.raises(MarkerError, match=message.replace("[", r"\[").replace("^", r"\^")):
        strip_source_markers(body, sources)


def test_an_unknown_key_fails_that_file_with_its_name_and_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "bad.md"
    path.write_text(ARTICLE.replace("[^medpath]", "[^medpth]"), encoding="utf-8")
    (error,) = list(load_source(SourceFile(path, tmp_path, "markdown")))
    assert isinstance(error, LoadError)
    assert str(error).startswith("marker [^medpth] names no source: add 'key: medpth'")
    assert "mplus, gard, medpath" in str(error)


def _article(tmp_path: Path) -> Path:
    path = tmp_path / "test.md"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_a_quoted_sentence_is_cited_to_exactly_its_marked_sources(tmp_path: Path) -> None:
    document = load_markdown(_article(tmp_path), tmp_path)
    start, end = 0, len(document.text)
    chunk = Chunk("aqa-test#h#0000", document.doc_id, 0, document.text[start:end], start, end)
    meta = chunk_metadata(document, chunk, "h")
    ev = Evidence.from_chroma(chunk.chunk_id, chunk.text, meta, 0.3)
    assert ev.upstream == upstream_sources(document)

    def cited(sentence: str) -> list[str]:
        at = ev.text.index(sentence)
        citation = cite(1, ev, at, at + len(sentence), 0.7)
        assert citation.upstream_named == len(citation.upstream)
        return [line.split(" | ")[0] for line in citation.upstream]

    assert cited("Lupus has no cure.") == ["MedlinePlus"]
    assert cited("It can harm nearly every organ.") == ["NIH GARD", "MedlinePlus"]
    assert cited("CAR-T put most people in remission.") == ["MedPath"]
    # a list quoted with its lead-in: the sources of all its lines
    assert cited("Signs include:\n\n- a rash on the cheeks\n- **Fatigue.** Deep tiredness.") == [
        "NIH GARD",
        "MedlinePlus",
    ]


def test_every_view_shows_the_marked_source_and_the_article_file(tmp_path: Path) -> None:
    document = load_markdown(_article(tmp_path), tmp_path)
    chunk = Chunk("aqa-test#h#0000", document.doc_id, 0, document.text, 0, len(document.text))
    ev = Evidence.from_chroma(chunk.chunk_id, chunk.text, chunk_metadata(document, chunk, "h"), 0.3)
    at = ev.text.index("CAR-T put most people in remission.")
    citation = cite(1, ev, at, at + 35, 0.7)
    answer = Answer(question="q", answer="CAR-T put most people in remission. [1]", citations=[citation])
    assert citation.url == "corpus/articles/test.md"
    text = answer_text(answer)
    assert "<corpus/articles/test.md>" in text and "    based on: News — MedPath\n" in text + "\n"
    assert "MedlinePlus" not in text
    message = answer_message_html(answer, 1)
    assert "Based on: News — MedPath" in message and "GARD" not in message
    card = source_card_html(citation, 1, None)
    assert "<code>corpus/articles/test.md</code>" in card and "Other sources" not in card


def test_moving_a_marker_changes_the_document_hash_so_reingest_replaces_it(tmp_path: Path) -> None:
    from index.settings import Settings
    from ingest.pipeline import document_hash

    path = _article(tmp_path)
    before = load_markdown(path, tmp_path)
    path.write_text(ARTICLE.replace("[^gard][^mplus]", "[^mplus]"), encoding="utf-8")
    after = load_markdown(path, tmp_path)
    assert after.text == before.text  # the same text, quoted the same way …
    settings = Settings(index_dir=tmp_path / "index")
    assert document_hash(after, settings, "m") != document_hash(before, settings, "m")  # … new sources
