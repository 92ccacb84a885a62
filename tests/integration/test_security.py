"""Nobody in where they don't belong, nothing out that shouldn't leave: loopback by default, every
route behind AQA_AUTH, no telemetry (settings and a socket guard), no secrets in feedback or logs.

test_api.py already checks a handful of routes with both kinds of credentials; here every route the
app has (its own, and the mounted Gradio app's) is enumerated and tried without them.
"""

from __future__ import annotations

import os

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # before gradio is imported anywhere (this process)

import base64
import contextlib
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from bench.load import ROOT, free_port, wait_until_healthy
from index.settings import Settings
from tests.conftest import FIXTURES
from tests.integration.socket_guard import OutboundBlocked, SocketGuard, is_local
from tools.procs import stop

pytestmark = pytest.mark.slow

PASSWORD = "pw-Zq81-unguessable"
API_KEY = "sk-test-Yy52-not-a-real-key"
QUESTION = "How does CAR-T cell therapy help people with lupus?"
# Routes every Gradio 6 app has; if the walk below stops finding them, it is broken, not the app safe.
GRADIO_ROUTES = {
    "/config",
    "/gradio_api/info",
    "/gradio_api/upload",
    "/gradio_api/queue/join",
    "/gradio_api/queue/data",
    "/gradio_api/file={path_or_url:path}",
    "/gradio_api/call/{api_name}",
    "/gradio_api/heartbeat/{session_hash}",
}


def _basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


@pytest.fixture(scope="module")
def assistant(built_index: Settings) -> Any:
    from retriever.chain import Assistant

    return Assistant(built_index)


# -- (a) loopback unless told otherwise -------------------------------------------------------------


def test_chat_binds_loopback_by_default(
    built_index: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    from app.cli import build_parser, main

    monkeypatch.delenv("AQA_HOST", raising=False)
    assert Settings().host == "127.0.0.1"
    assert build_parser().parse_args(["chat"]).host is None  # no flag: the setting's default
    bound: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: bound.update(kwargs))
    index = str(built_index.index_dir)
    assert main(["chat", "--index", index, "--no-ingest", "--no-feedback", "--port", "0"]) == 0
    assert bound["host"] == "127.0.0.1"
    assert "on http://127.0.0.1:0/" in capsys.readouterr().err


def test_chat_leaves_a_named_index_as_it_is(
    built_index: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`chat --index DIR` must not add the bundled articles to the user's own index; --corpus does."""
    import uvicorn

    from app.cli import main
    from index.store import open_store

    def document_ids() -> set[str]:
        return set(open_store(Settings(index_dir=index), create=False).documents().get()["ids"])

    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: None)
    monkeypatch.delenv("AQA_INDEX_DIR", raising=False)
    monkeypatch.delenv("AQA_CORPUS_DIR", raising=False)
    corpus = tmp_path / "bundled"
    corpus.mkdir()
    (corpus / "extra.md").write_text(
        "---\nid: extra-article\ntitle: Extra\n---\n# Extra\n\nAn extra article about lupus flares.\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)  # the default corpus/ would be tmp_path/corpus: absent
    index = tmp_path / "index"
    shutil.copytree(built_index.index_dir, index)  # built_index itself must not be written to
    before = document_ids()
    assert before and "extra-article" not in before
    assert main(["chat", "--index", str(index), "--no-feedback", "--port", "0"]) == 0
    assert "as it is" in capsys.readouterr().err
    assert document_ids() == before
    assert main(["chat", "--index", str(index), "--corpus", str(corpus), "--no-feedback", "--port", "0"]) == 0
    assert document_ids() == before | {"extra-article"}


def _own_sockets(pid: int) -> list[tuple[str, str, str]]:
    """(state, local address, remote address) of the TCP sockets process `pid` holds (from /proc)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = []
    for table in ("tcp", "tcp6"):
        lines = Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]
        for line in lines:
            cols = line.split()
            if cols[9] in inodes:
                found.append((cols[3], _address(cols[1]), _address(cols[2])))
    return found


def _address(hex_address: str) -> str:
    """/proc/net/tcp's 'hex ip:hex port' as an IP string (little-endian 32-bit words)."""
    import ipaddress

    ip_hex = hex_address.split(":")[0]
    raw = b"".join(bytes.fromhex(ip_hex[i : i + 8])[::-1] for i in range(0, len(ip_hex), 8))
    return str(ipaddress.ip_address(raw))


# -- (b) every route needs the credentials ----------------------------------------------------------


def all_routes(routes: list[Any], prefix: str = "") -> list[tuple[str, set[str]]]:
    """(path, methods) of every route of a Starlette/FastAPI app, through mounts and included routers."""
    found: list[tuple[str, set[str]]] = []
    for route in routes:
        original = getattr(route, "original_router", None)  # FastAPI's included routers
        if original is not None:
            included = getattr(getattr(route, "include_context", None), "prefix", "") or ""
            found += all_routes(original.routes, prefix + included)
        elif hasattr(route, "app") and hasattr(route.app, "routes") and not hasattr(route, "methods"):
            found += all_routes(route.app.routes, prefix + route.path)  # a Mount
        elif hasattr(route, "path"):
            methods = set(getattr(route, "methods", None) or {"WEBSOCKET"})
            found.append((prefix + route.path, methods))
    return found


def concrete(path: str) -> str:
    """A route template with sample values for its parameters."""
    path = path.replace("{path_or_url:path}", "README.md")
    return re.sub(r"\{[^}]+\}", "x", path) or "/"


@pytest.fixture(scope="module", params=["basic", "token"])
def guarded_app(request: pytest.FixtureRequest, assistant: Any) -> Any:
    from app.api import create_app

    auth = f"reader:{PASSWORD}" if request.param == "basic" else PASSWORD
    settings = assistant.settings.model_copy(update={"auth": SecretStr(auth), "feedback": False})
    return create_app(assistant, settings)


def test_every_route_needs_the_credentials(guarded_app: Any) -> None:
    from starlette.testclient import TestClient
    from starlette.websockets import WebSocketDisconnect

    routes = all_routes(guarded_app.routes)
    paths = {path for path, _ in routes}
    assert {"/", "/api/ask", "/api/health", "/docs", "/openapi.json"} <= paths
    assert paths >= GRADIO_ROUTES, GRADIO_ROUTES - paths
    assert len(routes) > 60
    tried = 0
    with TestClient(guarded_app, raise_server_exceptions=True) as client:
        for path, methods in routes:
            url = concrete(path)
            if "WEBSOCKET" in methods:
                with pytest.raises(WebSocketDisconnect), client.websocket_connect(url):
                    pass
                tried += 1
                continue
            for method in sorted(methods | {"OPTIONS"}):
                for headers in ({}, _basic("reader", "wrong"), {"Authorization": "Bearer wrong"}):
                    response = client.request(method, url, headers=headers)
                    assert response.status_code == 401, (method, url, headers, response.status_code)
                    assert response.headers["www-authenticate"].startswith("Basic ")
                    tried += 1
        # paths no route has, and ways around the routing table, are refused the same way
        for url in ["/nonexistent", "//api/health", "/api/../api/health", "/gradio_api/file=/etc/passwd"]:
            assert client.get(url).status_code == 401
        # and the credentials do open the door (the 401s above are the guard's, not the routes')
        auth = guarded_app.user_middleware[0].kwargs["credentials"]
        good = _basic(*auth) if isinstance(auth, tuple) else {"Authorization": f"Bearer {auth}"}
        assert client.get("/api/health", headers=good).status_code == 200
        assert client.get("/config", headers=good).status_code == 200
    assert tried > 3 * len(routes)


# -- (c) no telemetry, no outbound connections ------------------------------------------------------


def test_chroma_clients_have_telemetry_off(built_index: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    import chromadb

    from index.store import make_client, open_store

    assert open_store(built_index).client.get_settings().anonymized_telemetry is False
    given: dict[str, Any] = {}
    monkeypatch.setattr(chromadb, "HttpClient", lambda **kwargs: given.update(kwargs))
    make_client(built_index.model_copy(update={"chroma_host": "127.0.0.1", "chroma_port": 9}))
    assert given["settings"].anonymized_telemetry is False


def test_gradio_analytics_are_off_even_when_the_environment_does_not_say(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "GRADIO_ANALYTICS_ENABLED"}
    code = (
        "import os, app.chat, gradio.analytics as a; "
        "print(os.environ['GRADIO_ANALYTICS_ENABLED'], a.analytics_enabled())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["False", "False"]


def test_socket_guard_blocks_outbound_and_passes_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard itself, with the real socket functions swapped for stubs: nothing leaves the machine."""
    import socket

    guard = SocketGuard().install()
    calls: list[Any] = []
    try:
        for name in ("connect", "create_connection", "getaddrinfo"):
            guard.originals[name] = lambda *args, _n=name, **kw: calls.append((_n, args))
        with socket.socket() as sock:
            with pytest.raises(OutboundBlocked):
                sock.connect(("192.0.2.10", 443))
            sock.connect(("127.0.0.1", 9))
        with pytest.raises(OutboundBlocked):
            socket.create_connection(("api.osv.dev", 443))
        with pytest.raises(OutboundBlocked):
            socket.getaddrinfo("huggingface.co", 443)
        socket.getaddrinfo("localhost", 80)
    finally:
        guard.uninstall()
    assert [c[0] for c in calls] == ["connect", "getaddrinfo"]  # only the loopback ones went through
    assert [e["call"] for e in guard.outbound] == ["connect", "create_connection", "getaddrinfo"]
    assert is_local("::1") and is_local("127.0.0.53") and not is_local("10.0.0.1")


@pytest.fixture(scope="module")
def guarded_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """`autoimmune-qa -v chat` under the socket guard, with auth and an API key set and the analytics
    variable unset: it ingests the fixture corpus, loads the model, serves; then it is asked questions
    over REST and gradio_client and stopped. Yields what was seen."""
    work = tmp_path_factory.mktemp("guarded")
    shutil.copytree(FIXTURES / "corpus", work / "corpus")
    port = free_port()
    events, log = work / "events.jsonl", work / "server.log"
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("GRADIO_ANALYTICS_ENABLED", "AQA_HOST")},
        "AQA_AUTH": f"reader:{PASSWORD}",
        "OPENAI_API_KEY": API_KEY,
        "AQA_FEEDBACK_DB": str(work / "feedback.sqlite3"),
    }
    command = [sys.executable, "-m", "tests.integration.socket_guard", str(events), "-v", "chat"]
    command += ["--index", str(work / "index"), "--corpus", str(work / "corpus"), "--port", str(port)]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=sink, stderr=sink)
        url = f"http://127.0.0.1:{port}/"
        seen: dict[str, Any] = {"sockets": [], "bodies": {}, "pid": process.pid}
        done = threading.Event()

        def sample() -> None:
            while not done.is_set() and process.poll() is None:
                with contextlib.suppress(OSError):  # the process may end between two reads
                    seen["sockets"] += _own_sockets(process.pid)
                done.wait(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            wait_until_healthy(url, process, 240, f"reader:{PASSWORD}")
            seen.update(_exercise(url))
        finally:
            done.set()
            sampler.join(timeout=5)
            stop(process, 20)
    seen["events"] = [json.loads(line) for line in events.read_text().splitlines()]
    seen["log"] = log.read_text(errors="replace")
    yield seen


def _exercise(url: str) -> dict[str, Any]:
    from gradio_client import Client

    good = _basic("reader", PASSWORD)
    seen: dict[str, Any] = {"bodies": {}}
    with httpx.Client(base_url=url, timeout=120) as client:
        seen["unauthenticated"] = client.get("/api/health").status_code
        seen["wrong_password"] = client.get("/", headers=_basic("reader", PASSWORD + "x")).status_code
        for path in ("/", "/config", "/gradio_api/info", "/openapi.json", "/api/health", "/docs"):
            response = client.get(path, headers=good)
            assert response.status_code == 200, (path, response.status_code)
            seen["bodies"][path] = response.text
        asked = client.post("/api/ask", json={"question": QUESTION}, headers=good)
        seen["rest_answer"] = asked.json()
        seen["bodies"]["/api/ask"] = asked.text
    gradio = Client(url, verbose=False, analytics_enabled=False, download_files=False, headers=good)
    try:
        seen["gradio_answer"] = gradio.predict(QUESTION, [], "staff", api_name="/ask")
    finally:
        gradio.close()
    return seen


def test_chat_process_listens_on_loopback_only(guarded_run: dict[str, Any]) -> None:
    listening = {local for state, local, _ in guarded_run["sockets"] if state == "0A"}
    assert listening == {"127.0.0.1"}, guarded_run["sockets"][:20]


def test_no_outbound_connection_attempts_while_ingesting_starting_and_answering(
    guarded_run: dict[str, Any],
) -> None:
    events = guarded_run["events"]
    assert events and events[0]["allowed"] and "127.0.0.1" in events[0]["address"], "the guard was on"
    assert [e for e in events if not e["allowed"]] == []
    assert "5 added" in guarded_run["log"] and "0 failed" in guarded_run["log"]  # it did ingest
    assert guarded_run["rest_answer"]["citations"] and guarded_run["gradio_answer"]["citations"]
    assert guarded_run["unauthenticated"] == guarded_run["wrong_password"] == 401
    # the OS's view of the process's own TCP sockets agrees, whatever layer opened them (C, Rust)
    remotes = {remote for state, _, remote in guarded_run["sockets"] if state != "0A"}
    assert all(is_local(r) for r in remotes), remotes
    assert json.loads(guarded_run["bodies"]["/config"])["analytics_enabled"] is False


# -- (d) no secrets in feedback or logs -------------------------------------------------------------


def test_logs_and_responses_hold_no_secrets(guarded_run: dict[str, Any]) -> None:
    assert "auth on" in guarded_run["log"]  # the server did start with AQA_AUTH set
    for secret in (PASSWORD, API_KEY):
        assert secret not in guarded_run["log"]
        for path, body in guarded_run["bodies"].items():
            assert secret not in body, path


def test_feedback_db_and_logs_hold_no_secrets(
    assistant: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    import gradio as gr

    from app.chat import build_app

    monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
    monkeypatch.setenv("AQA_AUTH", f"reader:{PASSWORD}")
    db = tmp_path / "feedback.sqlite3"
    settings = Settings(index_dir=assistant.settings.index_dir, feedback_db=db)
    assert settings.auth is not None and settings.auth.get_secret_value().endswith(PASSWORD)
    assert PASSWORD not in repr(settings) and PASSWORD not in str(settings.model_dump())
    caplog.set_level("DEBUG")
    demo = build_app(assistant, settings=settings)
    fns = {f.name: f.fn for f in demo.fns.values() if getattr(f, "name", None)}
    *_, (messages, turns, _panel, _dev) = fns["respond"](QUESTION, [], "staff", [], [])
    fns["on_like"](turns, gr.LikeData(None, {"index": 1, "value": messages[1], "liked": False}))
    fns["on_comment"]("missing the cost", 0, turns)
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT rating, comment, question, settings FROM feedback").fetchall()
    assert [(r[0], r[1]) for r in rows] == [(-1, ""), (None, "missing the cost")]
    assert all(r[2] == QUESTION for r in rows)
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("feedback"))
    assert QUESTION.encode() in stored  # the grep below reads the right bytes
    captured = capfd.readouterr()
    logs = caplog.text + captured.out + captured.err
    for secret in (PASSWORD, API_KEY):
        assert secret.encode() not in stored
        assert secret not in logs
