"""`autoimmune-qa fetch` against a real local HTTP server (127.0.0.1 only, no other network)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.cli import main
from ingest.fetch import USER_AGENT, FetchOptions, HostPacer, download
from ingest.loaders import load_markdown, split_front_matter

HTML_PAGE = b"""<!doctype html>
<html><head><title>Lupus basics (test page)</title><script>var tracker = "SCRIPT-TEXT";</script></head>
<body>
<nav><a href="/">NAV-TEXT home</a></nav>
<main>
<h1>Lupus basics</h1>
<p>Lupus is an autoimmune disease in which the immune system attacks healthy tissue.</p>
<ul><li>Joint pain</li><li>Fatigue</li></ul>
</main>
<footer>FOOTER-TEXT</footer>
</body></html>
"""
PDF_SENTENCE = "CAR-T cells reset the immune system in lupus."


def build_pdf(text: str) -> bytes:
    """A one-page PDF with a text layer, written by hand with a correct xref table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref_at)
    return bytes(out)


class FixtureServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), FixtureHandler)
        self.hits: dict[str, int] = {}
        self.user_agents: set[str] = set()
        self.broken = False  # when set, every page answers 500

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the slow page writes to a client that gave up: a broken pipe is expected


class FixtureHandler(BaseHTTPRequestHandler):
    server: FixtureServer

    def log_message(self, format: str, *args: Any) -> None:  # keep the test output clean
        pass

    def send(self, status: int, content_type: str, body: bytes, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        hits = self.server.hits
        hits[self.path] = hits.get(self.path, 0) + 1
        self.server.user_agents.add(self.headers.get("User-Agent", ""))
        if self.server.broken:
            self.send(500, "text/plain", b"server error")
        elif self.path == "/page.html":
            self.send(200, "text/html; charset=utf-8", HTML_PAGE)
        elif self.path == "/paper.pdf":
            self.send(200, "application/pdf", build_pdf(PDF_SENTENCE))
        elif self.path == "/notes.txt":
            self.send(200, "text/plain; charset=utf-8", b"Plain notes about B-cell depletion.\n")
        elif self.path == "/slow":
            time.sleep(1.5)  # longer than the client's timeout
            self.send(200, "text/plain", b"too late")
        elif self.path == "/flaky":
            if hits[self.path] == 1:
                self.send(503, "text/plain", b"busy", Retry_After="0")
            else:
                self.send(200, "text/html", b"<html><body><p>Back after a retry.</p></body></html>")
        elif self.path == "/limited":
            if hits[self.path] == 1:
                self.send(429, "text/plain", b"slow down", Retry_After="120")
            else:
                self.send(200, "text/plain", b"Allowed now.")
        elif self.path == "/archive.zip":
            self.send(200, "application/zip", b"PK\x03\x04 not a document")
        else:
            self.send(404, "text/plain", b"not found")


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    httpd = FixtureServer()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


SOURCES = {
    "page": "/page.html",
    "paper": "/paper.pdf",
    "notes": "/notes.txt",
    "missing": "/missing",
    "slow": "/slow",
    "flaky": "/flaky",
    "archive": "/archive.zip",
}


def write_catalog(path: Path, base: str) -> Path:
    sources = [
        {
            "id": doc_id,
            "title": f"Test source {doc_id}",
            "publisher": "Test Publisher",
            "url": base + route,
            "license": "public domain (test fixture)",
            "topics": ["lupus"],
            "shared_id": None,
        }
        for doc_id, route in SOURCES.items()
    ]
    path.write_text(yaml.safe_dump({"sources": sources}, sort_keys=False), encoding="utf-8")
    return path


def run_fetch(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main(["fetch", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def fast(catalog: Path, out: Path) -> list[str | Path]:
    return ["--catalog", catalog, "--out", out, "--delay", "0", "--timeout", "0.4", "--retries", "1"]


def test_fetch_reports_each_outcome_and_writes_ingestable_markdown(
    server: FixtureServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = write_catalog(tmp_path / "sources.yaml", f"http://127.0.0.1:{server.server_port}")
    out = tmp_path / "fetched"

    code, stdout, _ = run_fetch(capsys, *fast(catalog, out), "--json")

    assert code == 0
    report = json.loads(stdout)
    results = {r["id"]: r for r in report["results"]}
    assert [r["id"] for r in report["results"]] == list(SOURCES)
    assert {k: r["status"] for k, r in results.items()} == {
        "page": "ok",
        "paper": "ok",
        "notes": "ok",
        "missing": "failed",
        "slow": "failed",
        "flaky": "ok",
        "archive": "failed",
    }
    assert (report["ok"], report["failed"]) == (4, 3)
    assert results["missing"]["reason"].startswith("HTTP 404")
    assert results["missing"]["attempts"] == 1, "a 404 is not retried"
    assert results["slow"]["reason"].startswith("timeout")
    assert results["slow"]["attempts"] == 2, "a timeout is retried (--retries 1)"
    assert results["flaky"]["attempts"] == 2 and server.hits["/flaky"] == 2
    assert results["archive"]["reason"] == "unsupported content type: application/zip"
    assert server.user_agents == {USER_AGENT}

    written = sorted(p.name for p in out.iterdir())
    assert written == ["flaky.md", "notes.md", "page.md", "paper.md"], "only successes are written"

    page = load_markdown(out / "page.md", out)
    assert page.doc_id == "page" and page.title == "Test source page"
    assert page.publisher == "Test Publisher" and page.license == "public domain (test fixture)"
    assert page.url.endswith("/page.html") and page.topics == ("lupus",)
    assert "immune system attacks healthy tissue" in page.text and "Joint pain" in page.text
    for dropped in ("SCRIPT-TEXT", "NAV-TEXT", "FOOTER-TEXT"):
        assert dropped not in page.text
    meta, _ = split_front_matter((out / "page.md").read_text(encoding="utf-8"))
    assert set(meta) >= {"id", "title", "publisher", "url", "license", "topics", "fetched"}
    assert len(str(meta["fetched"])) == 10  # ISO date, YYYY-MM-DD

    assert PDF_SENTENCE in load_markdown(out / "paper.md", out).text
    assert "B-cell depletion" in load_markdown(out / "notes.md", out).text
    assert "Back after a retry." in load_markdown(out / "flaky.md", out).text


def test_failed_refetch_keeps_the_earlier_file(
    server: FixtureServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = write_catalog(tmp_path / "sources.yaml", f"http://127.0.0.1:{server.server_port}")
    out = tmp_path / "fetched"
    code, stdout, _ = run_fetch(capsys, *fast(catalog, out), "--only", "page")
    assert code == 0 and "page" in stdout and "1 ok, 0 failed" in stdout
    before = (out / "page.md").read_bytes()

    server.broken = True
    code, stdout, _ = run_fetch(capsys, *fast(catalog, out), "--only", "page", "notes", "--retries", "0")

    assert code == 1, "all failed"
    assert "HTTP 500" in stdout and "0 ok, 2 failed" in stdout
    assert (out / "page.md").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["page.md"], "no temporary files left behind"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "does not exist"),
        ("sources: [unclosed", "not valid YAML"),
        ("items: []", "'sources:' list"),
        ("sources:\n  - title: no id\n", "'id'"),
        ("sources:\n  - {id: a, url: 'ftp://x'}\n", "'url'"),
        ("sources:\n  - {id: a, url: ''}\n  - {id: a, url: ''}\n", "appears twice"),
    ],
)
def test_missing_or_invalid_catalog_is_a_user_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, problem: str
) -> None:
    catalog = tmp_path / "sources.yaml"
    if content is not None:
        catalog.write_text(content, encoding="utf-8")
    code, _, stderr = run_fetch(capsys, "--catalog", catalog, "--out", tmp_path / "out")
    assert code == 2
    assert stderr.startswith("autoimmune-qa: error: ") and str(catalog) in stderr and problem in stderr


def test_unknown_only_id_is_a_user_error(
    server: FixtureServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = write_catalog(tmp_path / "sources.yaml", f"http://127.0.0.1:{server.server_port}")
    code, _, stderr = run_fetch(capsys, *fast(catalog, tmp_path / "out"), "--only", "nope")
    assert code == 2 and "nope" in stderr and not server.hits


def test_retry_after_is_honoured_up_to_the_cap_and_requests_to_a_host_are_spaced(
    server: FixtureServer, tmp_path: Path
) -> None:
    waits: list[float] = []
    options = FetchOptions(out=tmp_path, delay=0.5, timeout=2, retries=2, max_retry_after=5)
    pacer = HostPacer(options.delay, sleep=waits.append)
    url = f"http://127.0.0.1:{server.server_port}/limited"

    response, attempts = download(url, options, pacer, sleep=waits.append)

    assert (response.status, response.body, attempts) == (200, b"Allowed now.", 2)
    assert waits[0] == 5, "Retry-After: 120 is capped at max_retry_after"
    # the recorded sleeps take no time, so the pacer also spaces the retry from the first request
    assert len(waits) == 2 and 0.3 < waits[1] <= 0.5
    download(url, options, pacer, sleep=waits.append)
    assert len(waits) == 3 and 0.3 < waits[2] <= 0.5, "the next request to the host waits for the delay"
