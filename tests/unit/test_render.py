"""The chat's developer view: every chunk the answerer saw, searched ones first, context marked."""

from __future__ import annotations

import re

from app.render import ChunkView, dev_view_html
from retriever.types import Answer, Evidence, Retrieved, cite


def test_dev_view_lists_searched_chunks_then_the_context_beside_the_best() -> None:
    best = Evidence(chunk_id="pmid-1#h#0002", doc_id="pmid-1", text="Methods: 75 patients.", score=0.71)
    beside = Evidence(
        chunk_id="pmid-1#h#0003", doc_id="pmid-1", text="Nausea <b>rose</b>.", score=0.52, context=True
    )
    other = Evidence(chunk_id="doc-b#h#0000", doc_id="doc-b", text="Unrelated.", score=0.40)
    answer = Answer(
        question="what happened to nausea?",
        answer="Nausea <b>rose</b>. [1]",
        citations=[cite(1, beside, 0, len(beside.text), 0.6)],
        retrieved=[
            Retrieved(doc_id=e.doc_id, chunk_id=e.chunk_id, score=e.score, context=e.context)
            for e in (best, other, beside)
        ],  # fmt: skip
    )
    chunks = {e.chunk_id: ChunkView(e.text) for e in (best, other, beside)}
    html = dev_view_html(answer, chunks)
    rows = re.findall(
        r"<tr><td>([^<]*)</td><td>([\d.]+)</td><td><code>([^<]*)</code></td><td>([^<]*)</td>", html
    )
    assert rows == [
        ("1", "0.710", "pmid-1#h#0002", ""),
        ("2", "0.400", "doc-b#h#0000", ""),
        ("beside 1", "0.520", "pmid-1#h#0003", "[1]"),
    ]
    assert "&lt;b&gt;rose&lt;/b&gt;" in html and "<b>rose</b>" not in html


def test_upstream_sources_leave_out_empty_fields_in_every_view() -> None:
    from app.render import answer_text, source_card_html, sources_panel

    article = Evidence(
        chunk_id="aqa-car-t#h#0000",
        doc_id="aqa-car-t",
        text="CAR-T cells are made for one person at a time.",
        score=0.7,
        title="What Is CAR-T?",
        upstream=(
            "MedPath | CAR-T Therapy Shows Promise in Treating Lupus |  | \n"
            "National Cancer Institute | CAR T Cells | 2022-03-10 | https://www.cancer.gov/car-t"
        ),
    )
    answer = Answer(
        question="how is CAR-T made?",
        answer="CAR-T cells are made for one person at a time. [1]",
        citations=[cite(1, article, 0, len(article.text), 0.7)],
    )
    text, panel, html = (
        answer_text(answer),
        sources_panel(answer),
        source_card_html(answer.citations[0], 1, None),
    )
    # the quote names neither source: both are shown as the article's sources
    assert (
        "based on (article source): CAR-T Therapy Shows Promise in Treating Lupus — MedPath\n" in text + "\n"
    )
    assert (
        "based on (article source): CAR T Cells — National Cancer Institute — 2022-03-10 — "
        "https://www.cancer.gov/car-t" in text
    )
    for shown in (text, panel, html):
        assert "|" not in shown.split("Shows Promise", 1)[1].split("National Cancer", 1)[0]
    assert '<a href="https://www.cancer.gov/car-t"' in html


def test_an_answer_with_a_list_shows_it_as_a_bulleted_list() -> None:
    from app.render import answer_message_html

    doc = Evidence(chunk_id="d#h#0000", doc_id="d", text="Signs include: foamy urine; swelling.", score=0.7)
    answer = Answer(
        question="signs?",
        answer="Lupus nephritis harms the kidneys. [1]\n\nSigns include:\n- foamy urine\n- <swelling> [1]",
        citations=[cite(1, doc, 0, len(doc.text), 0.7)],
    )
    html = answer_message_html(answer, turn=2)
    body = html.split('<div class="aqa-text">', 1)[1].split("</div>", 1)[0]
    assert body.startswith('<p>Lupus nephritis harms the kidneys. <a class="aqa-cite"')
    assert '<p>Signs include:</p><ul><li>foamy urine</li><li>&lt;swelling&gt; <a class="aqa-cite"' in body
    assert body.endswith("</a></li></ul>") and "- foamy" not in body and "\n" not in body
