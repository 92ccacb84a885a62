"""End to end on an index of two real articles: a quoted sentence is cited to exactly its marked sources."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.schema import Document, upstream_sources
from index.settings import Settings
from ingest.loaders import load_markdown
from ingest.pipeline import ingest_paths

pytestmark = pytest.mark.slow

ARTICLES = Path(__file__).resolve().parents[2] / "corpus" / "articles"
TWO = ("lupus-treatment-today.md", "car-t-limits.md")


def _marked(document: Document, start: int, end: int) -> list[str]:
    """The upstream lines of the sources the article marks on document.text[start:end]."""
    lines = upstream_sources(document).splitlines()
    line_of = {s["key"]: n for n, s in enumerate(document.extra["sources"])}
    keys = [k for s in document.source_spans if s.start < end and s.end > start for k in s.keys]
    return [lines[line_of[k]] for k in dict.fromkeys(keys)]


def test_each_quoted_article_sentence_lists_exactly_its_marked_sources(tmp_path: Path) -> None:
    from retriever.chain import Assistant

    corpus = tmp_path / "articles"
    corpus.mkdir()
    for name in TWO:
        shutil.copy(ARTICLES / name, corpus / name)
    settings = Settings(index_dir=tmp_path / "index")
    report = ingest_paths([corpus], settings)
    assert not report.failed, report.failed
    documents = {d.doc_id: d for d in (load_markdown(corpus / n, corpus) for n in TWO)}

    assistant = Assistant(settings)
    questions = [
        "What medicines are used for lupus nephritis?",
        "Why is CAR-T hard to scale up?",
        "Can lupus be cured?",
    ]
    checked = 0
    for question in questions:
        answer = assistant.ask(question, audience="staff")
        assert not answer.refused, question
        for c in answer.citations:
            document = documents[c.doc_id]
            assert document.text[c.quote_start : c.quote_end] == c.quote
            expected = _marked(document, c.quote_start, c.quote_end)
            assert expected, (question, c.quote)
            assert c.upstream == expected and c.upstream_named == len(expected), (question, c.quote)
            assert c.url == f"corpus/articles/{Path(document.path).name}"
            checked += 1
    assert checked >= 3
