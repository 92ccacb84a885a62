"""The Gradio chat served in-process on a loopback port, driven through gradio_client's `/ask` API."""

from __future__ import annotations

import os

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # before gradio is imported anywhere

import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from index.settings import Settings
from retriever.types import Answer, Citation

pytestmark = pytest.mark.slow

PAYLOAD = "<script>alert(1)</script> [x](javascript:alert(1))"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def chat_url(built_index: Settings) -> Iterator[str]:
    """The chat app launched on a free loopback port; closed after the module."""
    from app.chat import build_app
    from retriever.chain import Assistant

    port = _free_port()
    demo = build_app(Assistant(built_index))
    demo.queue()
    try:
        demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


@pytest.fixture(scope="module")
def client(chat_url: str) -> Iterator[Any]:
    from gradio_client import Client

    c = Client(chat_url, verbose=False, analytics_enabled=False, download_files=False)
    try:
        yield c
    finally:
        c.close()


def _ask(
    client: Any, question: str, history: list[dict[str, str]] | None = None, audience: str = "patient"
) -> tuple[Answer, dict[str, Any]]:
    result = client.predict(question, history, audience, api_name="/ask")
    assert isinstance(result, dict), result
    assert set(result) == set(Answer.model_fields), "the /ask API must return Answer.model_dump()"
    return Answer.model_validate(result), result


def test_root_page_answers(chat_url: str) -> None:
    response = httpx.get(chat_url, timeout=10)
    assert response.status_code == 200
    assert "text/html" in response.headers.get("content-type", "")


def test_ask_returns_cited_answer(client: Any) -> None:
    answer, raw = _ask(client, "How does CAR-T cell therapy help people with lupus?")
    assert raw["refused"] is False
    assert answer.refusal_reason is None
    assert answer.audience == "patient"
    assert answer.citations
    for citation in raw["citations"]:
        assert set(Citation.model_fields) <= set(citation)
        assert isinstance(citation["n"], int)
        assert citation["quote"]
    assert "fx-car-t" in {c.doc_id for c in answer.citations}
    for n in map(int, re.findall(r"\[(\d+)\]", answer.answer)):
        assert n in {c.n for c in answer.citations}
    assert answer.retrieved


def test_followup_is_made_standalone(client: Any) -> None:
    history = [
        {"role": "user", "content": "What is CAR-T therapy for lupus?"},
        {"role": "assistant", "content": "CAR-T cells destroy B cells. [1]"},
    ]
    answer, _ = _ask(client, "how much does it cost?", history, "staff")
    assert answer.question == "how much does it cost?"
    assert "car-t" in answer.standalone_question.lower()
    assert answer.audience == "staff"
    assert not answer.refused
    assert any("$500,000" in c.quote for c in answer.citations), answer.citations


def test_off_topic_question_is_refused(client: Any) -> None:
    answer, raw = _ask(client, "How do I fix a bicycle chain?")
    assert raw["refused"] is True
    assert answer.refusal_reason is not None
    assert answer.citations == []


def _hostile_answer(doc_id: str = "fx-hostile") -> Answer:
    citation = Citation(
        n=1,
        doc_id=doc_id,
        chunk_id=f"{doc_id}#0",
        title=PAYLOAD,
        url="javascript:alert(1)",
        source=PAYLOAD,
        quote=PAYLOAD,
        score=0.9,
        publisher=PAYLOAD,
        date=PAYLOAD,
        license=PAYLOAD,
    )
    return Answer(question=PAYLOAD, answer=f"{PAYLOAD} [1]", citations=[citation], notice=PAYLOAD)


def test_rendered_markdown_escapes_html_and_links() -> None:
    from app.render import answer_markdown, sources_panel

    answer = _hostile_answer()
    for rendered in (answer_markdown(answer), sources_panel(answer)):
        assert "<script>" not in rendered.lower()
        assert "](javascript:" not in rendered.lower()
        assert "(javascript:" not in rendered.replace("\\(", "").lower()
    assert "**[1]**" in answer_markdown(answer)  # citation markers stay visible


def test_sources_panel_escapes_backticks_in_doc_id() -> None:
    from app.render import sources_panel

    rendered = sources_panel(_hostile_answer(doc_id="x`[x](javascript:alert(1))`"))
    assert "](javascript:" not in rendered


def test_api_filters_limit_the_evidence(client: Any) -> None:
    result = client.predict(
        "What happened to lupus patients?", [], "staff", {"topic": ["CAR-T cell therapy"]}, api_name="/ask"
    )
    assert result["citations"] and {c["doc_id"] for c in result["citations"]} == {"fx-car-t"}


# -- the web chat's HTML, streaming and feedback -----------------------------------------------------

HOSTILE_TEXT = (
    "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) "
    '<a href="javascript:alert(1)">y</a>'
)


def _assert_inert(rendered: str) -> None:
    """No element from document text: no script or img tag, no event handler, no javascript: link."""
    lowered = rendered.lower()
    assert "<script" not in lowered and "<img" not in lowered, rendered
    assert not re.search(r"<[a-z][^<>]*\son[a-z]+\s*=", lowered), rendered
    assert not re.search(r"href\s*=\s*[\"']?\s*javascript:", lowered), rendered


def test_chat_message_html_is_escaped_and_links_citations() -> None:
    from app.render import answer_message_html

    answer = _hostile_answer()
    answer.answer = f"{HOSTILE_TEXT} [1] and [7]"
    answer.citations[0].quote = HOSTILE_TEXT
    rendered = answer_message_html(answer, turn=3, first=True)
    _assert_inert(rendered)
    assert '<a class="aqa-cite" href="#aqa-src-3-1"' in rendered  # [1] opens source 1 of answer 3
    assert "[7]" in rendered and "aqa-src-3-7" not in rendered  # not a citation: stays text
    assert "&lt;script&gt;" in rendered  # shown, not run
    assert "\n\n" not in rendered  # one HTML block: Markdown never reads document text
    assert 'class="aqa-notice"' in rendered and "not medical advice" in rendered.lower()
    assert 'class="aqa-sources"' in rendered and "[1] " in rendered


def test_sources_panel_html_highlights_the_quote_in_its_chunk() -> None:
    from app.render import ChunkView, sources_panel_html

    answer = _hostile_answer()
    chunk_text = f"Before the quote. {HOSTILE_TEXT} After the quote."
    citation = answer.citations[0]
    citation.quote = HOSTILE_TEXT
    citation.quote_start = 100 + chunk_text.index(HOSTILE_TEXT)  # offsets are in the document
    citation.upstream = ["<b>NIH</b> | [t](javascript:alert(1)) | 2024 | javascript:alert(2)"]
    chunk = ChunkView(text=chunk_text, start=100, headings="<img src=x onerror=alert(1)>")
    rendered = sources_panel_html([(answer, {citation.chunk_id: chunk})])
    _assert_inert(rendered)
    assert 'id="aqa-src-1-1"' in rendered
    assert 'Before the quote. <mark class="aqa-hl">&lt;script&gt;' in rendered
    assert "</mark> After the quote." in rendered
    assert "Based on" in rendered


def test_quote_outside_its_chunk_is_still_shown() -> None:
    from app.render import ChunkView, highlighted_chunk

    citation = _hostile_answer().citations[0]
    citation.quote = "A sentence the chunk does not have."
    rendered = highlighted_chunk(citation, ChunkView(text="Other text.", start=0))
    assert '<mark class="aqa-hl">A sentence the chunk does not have.</mark>' in rendered
    assert "Other text." in rendered


def test_emergency_answer_is_a_distinct_alert() -> None:
    from app.render import answer_message_html

    urgent = Answer(
        question="I have chest pain and cannot breathe",
        answer="Call your local emergency number now.",
        refused=True,
        refusal_reason="emergency",
    )
    rendered = answer_message_html(urgent, turn=1)
    assert 'class="aqa-urgent" role="alert"' in rendered
    assert "Get urgent care now" in rendered
    normal = answer_message_html(Answer(question="q", answer="Plain answer."), turn=1)
    assert "aqa-urgent" not in normal


def test_not_medical_advice_once_per_conversation() -> None:
    from app.chat import Turn, render_messages
    from retriever.messages import PATIENT_NOTICE

    answer = Answer(
        question="q", answer="A. [1]", notice=PATIENT_NOTICE, citations=_hostile_answer().citations
    )
    messages = render_messages([Turn("q1", answer, {}), Turn("q2", answer, {}), Turn("q3", answer, {})])
    assert [m["role"] for m in messages] == ["user", "assistant"] * 3
    notices = [m["content"].count('class="aqa-notice"') for m in messages if m["role"] == "assistant"]
    assert notices == [1, 0, 0]
    assert PATIENT_NOTICE not in messages[3]["content"]  # the per-answer copy is folded into it


def test_stream_turn_yields_pieces_then_the_answer_with_its_chunks(built_index: Settings) -> None:
    from app.chat import Turn, stream_turn
    from retriever.chain import Assistant

    assistant = Assistant(built_index)
    items = list(
        stream_turn(assistant, "How does CAR-T cell therapy help people with lupus?", [], "staff", {})
    )
    pieces, final = items[:-1], items[-1]
    assert pieces and all(isinstance(p, str) for p in pieces)
    assert isinstance(final, Turn)
    assert pieces[-1] == final.answer.answer  # the pieces add up to the answer
    assert final.answer.audience == "staff" and final.answer.citations
    for c in final.answer.citations:
        chunk = final.chunks[c.chunk_id]
        assert chunk.text[c.quote_start - chunk.start : c.quote_end - chunk.start] == c.quote
    assert set(final.chunks) >= {r.chunk_id for r in final.answer.retrieved}
    followup = list(stream_turn(assistant, "how much does it cost?", [final], "staff", {"topic": ["lupus"]}))
    last = followup[-1]
    assert isinstance(last, Turn) and "car-t" in last.answer.standalone_question.lower()


def test_fetch_chunks_asks_the_assistant_for_stored_chunks(built_index: Settings) -> None:
    from app.chat import fetch_chunks
    from retriever.chain import Assistant

    assistant = Assistant(built_index)
    answer = assistant.ask("How does CAR-T cell therapy help people with lupus?")
    ids = [r.chunk_id for r in answer.retrieved]
    chunks = fetch_chunks(assistant, [*ids, "", "no-such-doc#000000000000#0000"])
    assert set(chunks) == set(ids)  # blank and unknown ids are left out
    for c in answer.citations:
        chunk = chunks[c.chunk_id]
        assert chunk.text[c.quote_start - chunk.start : c.quote_end - chunk.start] == c.quote
    assert fetch_chunks(assistant, []) == {}


def test_feedback_store(tmp_path: Path) -> None:
    import sqlite3

    from app.feedback import FeedbackStore

    path = tmp_path / "deep" / "feedback.sqlite3"
    store = FeedbackStore(path)
    assert not path.exists()  # nothing is written until there is feedback
    common: dict[str, Any] = {
        "answer_id": "a1",
        "question": "What is CAR-T?",
        "answer": "CAR-T cells destroy B cells. [1]",
        "citations": [{"n": 1, "doc_id": "fx-car-t"}],
        "settings": {"audience": "patient", "answerer": "extractive", "retrieval": "dense"},
    }
    store.record(**common, rating=1)
    store.record(**common, rating=None, comment="  Clear, thanks.  ")
    rows = store.rows()
    assert [(r["rating"], r["comment"]) for r in rows] == [(1, ""), (None, "Clear, thanks.")]
    assert rows[0]["citations"] == [{"n": 1, "doc_id": "fx-car-t"}]
    assert rows[0]["settings"]["retrieval"] == "dense" and rows[0]["created_at"].endswith("+00:00")
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with pytest.raises(ValueError):
        store.record(**common, rating=5)
    assert FeedbackStore(path).rows()[1]["comment"] == "Clear, thanks."  # a new process reads it back


def test_feedback_can_be_turned_off(built_index: Settings) -> None:
    from app.chat import build_app
    from retriever.chain import Assistant

    def chatbot_of(settings: Settings) -> Any:
        demo = build_app(Assistant(settings), settings=settings)
        return next(b for b in demo.blocks.values() if getattr(b, "elem_id", None) == "aqa-chat")

    assert getattr(chatbot_of(built_index.model_copy(update={"feedback": True})), "likeable", False)
    assert not getattr(chatbot_of(built_index.model_copy(update={"feedback": False})), "likeable", False)


def test_stop_cancels_every_answering_event(built_index: Settings) -> None:
    from app.chat import build_app
    from retriever.chain import Assistant

    config = build_app(Assistant(built_index), settings=built_index).get_config_file()
    ids = {c["props"].get("elem_id"): c["id"] for c in config["components"] if c.get("props")}
    by_id = {d["id"]: d for d in config["dependencies"]}
    stop = (ids["aqa-stop"], "click")
    cancelled = {c for d in config["dependencies"] if stop in map(tuple, d["targets"]) for c in d["cancels"]}
    assert len(cancelled) == 5  # the answers started by Send, Enter, Regenerate, Retry and an example
    for dep_id in cancelled:
        assert ids["aqa-chat"] in by_id[dep_id]["outputs"]  # each streams into the chat
        assert by_id[dep_id]["trigger_after"] is not None  # after the step that takes the question
