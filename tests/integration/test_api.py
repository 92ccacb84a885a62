"""The REST API and the chat on one uvicorn server (real model, real Chroma), driven with httpx."""

from __future__ import annotations

import os

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # before gradio is imported anywhere

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from index.settings import Settings
from index.store import open_store
from retriever.types import Answer

pytestmark = pytest.mark.slow

QUESTION = "How does CAR-T cell therapy help people with lupus?"


def _basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@pytest.fixture(scope="module")
def assistant(built_index: Settings) -> Any:
    from retriever.chain import Assistant

    return Assistant(built_index)


@pytest.fixture(scope="module")
def base_url(assistant: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app as `autoimmune-qa chat` serves it (UI mounted at "/"), without auth."""
    from app.api import create_app, running

    settings = assistant.settings.model_copy(
        update={"feedback_db": tmp_path_factory.mktemp("fb") / "feedback.sqlite3"}
    )
    with running(create_app(assistant, settings)) as url:
        yield url


@pytest.fixture(scope="module")
def http(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=60) as client:
        yield client


def test_health(http: httpx.Client) -> None:
    response = http.get("/api/health")
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "status": "ok",
        "documents": 5,
        "chunks": body["chunks"],
        "answerer": "extractive",
        "prefill_state": "off",  # the suite turns it off (tests/conftest.py; test_prefill.py tests it)
        "prefill_ready": 0,
        "prefill_total": 0,
        "prefill_saved": 0,
    }
    assert body["chunks"] >= 5


def test_ask_returns_the_cli_json(http: httpx.Client, assistant: Any) -> None:
    response = http.post("/api/ask", json={"question": QUESTION})
    assert response.status_code == 200, response.text
    raw = response.json()
    assert set(raw) == set(Answer.model_fields), "POST /api/ask must return Answer.model_dump()"
    answer = Answer.model_validate(raw)
    direct = assistant.ask(QUESTION)
    assert answer.answer == direct.answer
    assert answer.citations == direct.citations
    assert answer.citations and "fx-car-t" in {c.doc_id for c in answer.citations}
    assert answer.audience == assistant.settings.audience
    assert not answer.refused


def test_ask_with_history_audience_and_filters(http: httpx.Client) -> None:
    body = {
        "question": "how much does it cost?",
        "history": [
            {"role": "user", "content": "What is CAR-T therapy for lupus?"},
            {"role": "assistant", "content": "CAR-T cells destroy B cells. [1]"},
        ],
        "audience": "staff",
        "filters": {"topic": ["CAR-T cell therapy"]},
    }
    response = http.post("/api/ask", json=body)
    assert response.status_code == 200, response.text
    answer = Answer.model_validate(response.json())
    assert answer.audience == "staff"
    assert "car-t" in answer.standalone_question.lower()
    assert {c.doc_id for c in answer.citations} == {"fx-car-t"}
    assert any("$500,000" in c.quote for c in answer.citations)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "question"),
        ({"question": ""}, "question"),
        ({"question": "x", "audience": "doctor"}, "audience"),
        ({"question": "x", "filters": {"colour": ["red"]}}, "filters.colour"),
        ({"question": "x", "filters": {"date_from": "last year"}}, "filters.date_from"),
        ({"question": "x", "history": [{"role": "robot", "content": "hi"}]}, "history.0.role"),
        ({"question": "x", "extra": 1}, "extra"),
    ],
)
def test_bad_requests_are_422_with_a_clear_message(
    http: httpx.Client, body: dict[str, Any], field: str
) -> None:
    response = http.post("/api/ask", json=body)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail.startswith("invalid request: ")
    assert field in detail, detail
    assert {"field", "message"} <= set(response.json()["errors"][0])


def test_body_that_is_not_json_is_422(http: httpx.Client) -> None:
    response = http.post("/api/ask", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert "invalid request" in response.json()["detail"]


def test_user_error_is_400_with_its_message(tmp_path: Path) -> None:
    from app.api import create_app, running
    from retriever.chain import Assistant

    settings = Settings(index_dir=tmp_path / "empty")
    open_store(settings).chunks()  # an index folder with an empty collection
    with running(create_app(Assistant(settings), ui=False)) as url:
        response = httpx.post(url + "api/ask", json={"question": QUESTION}, timeout=60)
    assert response.status_code == 400
    assert "empty or missing" in response.json()["detail"]
    assert "autoimmune-qa ingest" in response.json()["detail"]


def test_openapi_docs_and_ui_are_served(http: httpx.Client) -> None:
    schema = http.get("/openapi.json").json()
    assert {"/api/ask", "/api/health"} <= set(schema["paths"])
    docs = http.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    ui = http.get("/")
    assert ui.status_code == 200 and "text/html" in ui.headers["content-type"]
    assert "aqa-chat" in http.get("/config").text  # the Gradio app is mounted at "/"


def test_gradio_ask_api_still_works_on_the_mounted_app(base_url: str) -> None:
    from gradio_client import Client

    client = Client(base_url, verbose=False, analytics_enabled=False, download_files=False)
    try:
        result = client.predict(QUESTION, [], "staff", api_name="/ask")
    finally:
        client.close()
    assert set(result) == set(Answer.model_fields)
    assert result["audience"] == "staff" and result["citations"]


# -- auth -------------------------------------------------------------------------------------------

PROTECTED = [
    "/",
    "/docs",
    "/openapi.json",
    "/api/health",
    "/config",
    "/gradio_api/info",
    "/gradio_api/file=README.md",
]


@pytest.fixture(scope="module")
def basic_url(assistant: Any) -> Iterator[str]:
    from app.api import create_app, running

    settings = assistant.settings.model_copy(
        update={"auth": SecretStr("reader:s3cret pass"), "feedback": False}
    )
    with running(create_app(assistant, settings)) as url:
        yield url


@pytest.fixture(scope="module")
def token_url(assistant: Any) -> Iterator[str]:
    from app.api import create_app, running

    settings = assistant.settings.model_copy(update={"auth": SecretStr("tok-12345"), "feedback": False})
    with running(create_app(assistant, settings)) as url:
        yield url


def test_auth_off_by_default(http: httpx.Client) -> None:
    assert Settings().auth is None
    assert http.get("/api/health").status_code == 200


@pytest.mark.parametrize("path", PROTECTED)
def test_basic_auth_guards_every_route(basic_url: str, path: str) -> None:
    with httpx.Client(base_url=basic_url, timeout=30) as client:
        missing = client.get(path)
        assert missing.status_code == 401
        assert missing.headers["www-authenticate"].startswith("Basic ")
        assert client.get(path, headers=_basic("reader", "wrong")).status_code == 401
        assert client.get(path, headers=_basic("someone", "s3cret pass")).status_code == 401
        assert client.get(path, headers={"Authorization": "Bearer s3cret pass"}).status_code == 401
        if path != "/gradio_api/file=README.md":  # Gradio itself refuses files outside allowed paths
            assert client.get(path, headers=_basic("reader", "s3cret pass")).status_code == 200


def test_basic_auth_lets_the_api_answer(basic_url: str) -> None:
    with httpx.Client(base_url=basic_url, timeout=60, headers=_basic("reader", "s3cret pass")) as client:
        response = client.post("/api/ask", json={"question": QUESTION})
        assert response.status_code == 200
        assert response.json()["citations"]
    assert httpx.post(basic_url + "api/ask", json={"question": QUESTION}).status_code == 401


def test_basic_auth_with_gradio_client(basic_url: str) -> None:
    from gradio_client import Client

    client = Client(
        basic_url,
        verbose=False,
        analytics_enabled=False,
        download_files=False,
        headers=_basic("reader", "s3cret pass"),
    )
    try:
        result = client.predict(QUESTION, [], "patient", api_name="/ask")
    finally:
        client.close()
    assert result["citations"]


def test_bearer_token(token_url: str) -> None:
    with httpx.Client(base_url=token_url, timeout=60) as client:
        assert client.get("/api/health").status_code == 401
        assert client.get("/api/health", headers={"Authorization": "Bearer nope"}).status_code == 401
        ok = {"Authorization": "Bearer tok-12345"}
        assert client.get("/api/health", headers=ok).status_code == 200
        assert client.get("/", headers=ok).status_code == 200
        assert client.post("/api/ask", json={"question": QUESTION}, headers=ok).status_code == 200
        # a browser cannot send a bearer token: basic auth with the token as password works too
        assert client.get("/", headers=_basic("anyone", "tok-12345")).status_code == 200
        assert client.get("/", headers=_basic("anyone", "tok-1234")).status_code == 401


def test_parse_auth() -> None:
    from app.api import parse_auth
    from errors import UserError

    assert parse_auth(None) is None and parse_auth("  ") is None
    assert parse_auth("ann:pa:ss") == ("ann", "pa:ss")
    assert parse_auth("token") == "token"
    with pytest.raises(UserError, match="AQA_AUTH"):
        parse_auth("ann:")
