"""The Gradio chat served in-process on a loopback port, driven through gradio_client's `/ask` API."""

from __future__ import annotations

import os

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # before gradio is imported anywhere

import re
import socket
from collections.abc import Iterator
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
