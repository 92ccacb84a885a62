"""Download the source catalog (corpus/sources.yaml) into Markdown files that `ingest` reads.

Polite by design: one request at a time, a pause between requests to the same host, a User-Agent
naming the project, and retries with backoff only where a retry can help (timeouts, 5xx, 429).
A page is written as `<out>/<id>.md` only after it was downloaded and converted, through a temporary
file and a rename, so a failed re-fetch never damages the copy from an earlier run.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import http.client
import io
import os
import re
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

import yaml

from errors import UserError
from ingest.loaders import MAX_FILE_BYTES, html_to_text

USER_AGENT = "autoimmune-qa/0.1 (source catalog fetcher; one request at a time)"
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")
HTML_TYPES = {"text/html", "application/xhtml+xml"}
PDF_TYPES = {"application/pdf", "application/x-pdf"}
TEXT_TYPES = {"text/plain", "text/markdown"}


@dataclass(frozen=True)
class CatalogEntry:
    """One public source of the catalog."""

    id: str
    title: str
    publisher: str
    url: str
    license: str
    topics: tuple[str, ...] = ()
    shared_id: str | None = None


@dataclass(frozen=True)
class FetchOptions:
    out: Path
    delay: float = 1.0  # seconds between two requests to the same host
    timeout: float = 30.0  # seconds per request (connect and each read)
    retries: int = 2  # extra attempts after a timeout, 5xx or 429
    backoff: float = 1.0  # first wait before a retry; doubles each time
    max_retry_after: float = 60.0  # cap on a server's Retry-After
    user_agent: str = USER_AGENT


@dataclass
class FetchResult:
    """The outcome for one source: status "ok" (written to path) or "failed" (reason says why)."""

    id: str
    url: str
    status: str
    reason: str = ""
    http_status: int | None = None
    content_type: str = ""
    path: str = ""
    chars: int = 0
    attempts: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Response:
    status: int
    content_type: str
    charset: str | None
    body: bytes
    url: str


class FetchError(Exception):
    """A source that could not be fetched; retryable errors may succeed on another attempt."""

    def __init__(
        self,
        reason: str,
        *,
        retryable: bool = False,
        http_status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.http_status = http_status
        self.retry_after = retry_after
        self.attempts = 0  # set by download()


# ---------------------------------------------------------------------------------------------- catalog


def load_catalog(path: Path) -> list[CatalogEntry]:
    """The catalog's sources; a missing or invalid catalog is a UserError naming the file and problem."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"catalog '{path}' does not exist; pass --catalog corpus/sources.yaml") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read catalog '{path}': {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise UserError(f"catalog '{path}' is not valid YAML{where}; fix the file") from None
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise UserError(f"catalog '{path}' needs a top-level 'sources:' list")
    entries = [_entry(path, number, item) for number, item in enumerate(data["sources"], start=1)]
    if not entries:
        raise UserError(f"catalog '{path}' lists no sources")
    seen: set[str] = set()
    for entry in entries:
        if entry.id in seen:
            raise UserError(f"catalog '{path}': id '{entry.id}' appears twice; ids must be unique")
        seen.add(entry.id)
    return entries


def _entry(path: Path, number: int, item: Any) -> CatalogEntry:
    where = f"catalog '{path}', source {number}"
    if not isinstance(item, dict):
        raise UserError(f"{where}: must be a mapping with id, title, url, ...")
    doc_id = str(item.get("id") or "").strip()
    if not SAFE_ID.match(doc_id):
        raise UserError(f"{where}: 'id' must be letters, digits, '.', '_' or '-' (got {doc_id!r})")
    url = str(item.get("url") or "").strip()
    if url and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise UserError(f"{where} ({doc_id}): 'url' must start with http:// or https:// (got {url!r})")
    topics = item.get("topics") or []
    if not isinstance(topics, list):
        raise UserError(f"{where} ({doc_id}): 'topics' must be a list")
    shared = item.get("shared_id")
    return CatalogEntry(
        id=doc_id,
        title=str(item.get("title") or doc_id).strip(),
        publisher=str(item.get("publisher") or "").strip(),
        url=url,
        license=str(item.get("license") or item.get("terms") or "").strip(),
        topics=tuple(str(t) for t in topics),
        shared_id=str(shared) if shared else None,
    )


def select(entries: list[CatalogEntry], only: Iterable[str] | None) -> list[CatalogEntry]:
    """The entries named by --only (in catalog order), or all of them."""
    wanted = list(only or [])
    if not wanted:
        return entries
    known = {e.id for e in entries}
    unknown = [i for i in wanted if i not in known]
    if unknown:
        raise UserError(f"--only: no source with id {', '.join(unknown)} in the catalog; check the ids")
    return [e for e in entries if e.id in set(wanted)]


# ---------------------------------------------------------------------------------------------- network


@dataclass
class HostPacer:
    """Waits so that two requests to the same host are at least `delay` seconds apart."""

    delay: float
    sleep: Callable[[float], None] = time.sleep
    _last: dict[str, float] = field(default_factory=dict)

    def wait(self, url: str) -> None:
        host = urllib.parse.urlsplit(url).netloc.lower()
        last = self._last.get(host)
        if last is not None:
            remaining = self.delay - (time.monotonic() - last)
            if remaining > 0:
                self.sleep(remaining)
        self._last[host] = time.monotonic()


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def request_once(url: str, options: FetchOptions) -> Response:
    """One GET; raises FetchError (retryable for timeouts, 5xx and 429)."""
    request = urllib.request.Request(url, headers={"User-Agent": options.user_agent, "Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=options.timeout) as reply:
            body = reply.read(MAX_FILE_BYTES + 1)
            if len(body) > MAX_FILE_BYTES:
                raise FetchError(f"response larger than {MAX_FILE_BYTES // 2**20} MiB")
            headers: Message = reply.headers
            return Response(
                status=reply.status,
                content_type=headers.get_content_type() if headers.get("Content-Type") else "",
                charset=headers.get_content_charset(),
                body=body,
                url=reply.geturl(),
            )
    except urllib.error.HTTPError as exc:
        exc.close()
        code = exc.code
        retryable = code == 429 or code >= 500
        retry_after = parse_retry_after(exc.headers.get("Retry-After")) if exc.headers else None
        reason = f"HTTP {code}" + (f" {exc.reason}" if exc.reason else "")
        raise FetchError(reason, retryable=retryable, http_status=code, retry_after=retry_after) from None
    except TimeoutError:
        raise FetchError(f"timeout after {options.timeout:g} s", retryable=True) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise FetchError(f"timeout after {options.timeout:g} s", retryable=True) from None
        raise FetchError(f"network error: {exc.reason}") from None
    except (ConnectionResetError, ConnectionAbortedError, http.client.IncompleteRead) as exc:
        raise FetchError(f"connection lost: {exc!r}", retryable=True) from None
    except (OSError, ValueError, http.client.HTTPException) as exc:
        raise FetchError(f"network error: {exc!r}") from None


def download(
    url: str, options: FetchOptions, pacer: HostPacer, sleep: Callable[[float], None] = time.sleep
) -> tuple[Response, int]:
    """GET with polite pacing and retries; returns the response and the number of attempts."""
    attempt = 0
    while True:
        attempt += 1
        pacer.wait(url)
        try:
            return request_once(url, options), attempt
        except FetchError as exc:
            if not exc.retryable or attempt > options.retries:
                exc.attempts = attempt
                raise
            wait = options.backoff * 2 ** (attempt - 1)
            if exc.retry_after is not None:
                wait = min(exc.retry_after, options.max_retry_after)
            if wait > 0:
                sleep(wait)


# ---------------------------------------------------------------------------------------------- content


def response_text(response: Response) -> tuple[str, str]:
    """(page title, text) of a response by its content type; unsupported types raise FetchError."""
    kind = response.content_type.lower()
    if kind in PDF_TYPES or (not kind and response.body.startswith(b"%PDF-")):
        return "", pdf_text(response.body)
    if kind in HTML_TYPES:
        return html_to_text(_decode(response))
    if kind in TEXT_TYPES:
        return "", _decode(response).replace("\r\n", "\n").replace("\r", "\n")
    raise FetchError(f"unsupported content type: {kind or 'none given'}")


def _decode(response: Response) -> str:
    try:
        return response.body.decode(response.charset or "utf-8", errors="replace")
    except LookupError:  # an unknown charset name
        return response.body.decode("utf-8", errors="replace")


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise FetchError("encrypted PDF")
        pages = [page.extract_text() or "" for page in reader.pages]
    except FetchError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        raise FetchError(f"broken PDF ({type(exc).__name__})") from None
    return "\n\n".join(p.strip() for p in pages if p.strip())


def render_markdown(entry: CatalogEntry, text: str, fetched: dt.date) -> str:
    """The Markdown file for a fetched source: YAML front matter, then '# title' and the text."""
    meta: dict[str, Any] = {
        "id": entry.id,
        "title": entry.title,
        "publisher": entry.publisher,
        "source": f"{entry.publisher} (web page fetched by autoimmune-qa)".strip(),
        "url": entry.url,
        "license": entry.license,
        "topics": list(entry.topics),
        "fetched": fetched.isoformat(),
    }
    if entry.shared_id:
        meta["shared_id"] = entry.shared_id
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
    body = text.strip()
    if not body.startswith("# "):  # pages converted from HTML usually open with their own heading
        body = f"# {entry.title}\n\n{body}"
    return f"---\n{front}---\n\n{body}\n"


def write_atomic(path: Path, text: str) -> None:
    """Write through a hidden temporary file in the same folder, then rename over the target."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------------------------------------- run


def fetch_entry(entry: CatalogEntry, options: FetchOptions, pacer: HostPacer) -> FetchResult:
    """Download, convert and write one source; never raises for a source that fails."""
    result = FetchResult(id=entry.id, url=entry.url, status="failed")
    if not entry.url:
        result.reason = "no url in the catalog"
        return result
    try:
        response, result.attempts = download(entry.url, options, pacer)
        result.http_status, result.content_type = response.status, response.content_type
        _, text = response_text(response)
        if not text.strip():
            raise FetchError("no text found in the response")
        target = options.out / f"{entry.id}.md"
        write_atomic(target, render_markdown(entry, text, dt.date.today()))
    except FetchError as exc:
        result.reason = exc.reason
        result.http_status = exc.http_status or result.http_status
        result.attempts = exc.attempts or result.attempts
        return result
    except OSError as exc:
        result.reason = f"cannot write {options.out}: {exc.strerror or exc}"
        return result
    result.status, result.path, result.chars = "ok", str(target), len(text)
    return result


def fetch_all(
    entries: list[CatalogEntry],
    options: FetchOptions,
    progress: Callable[[int, int, FetchResult], None] | None = None,
) -> list[FetchResult]:
    """Fetch the entries one at a time, in catalog order."""
    if options.out.exists() and not options.out.is_dir():
        raise UserError(f"--out '{options.out}' is a file; give a folder")
    try:
        options.out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create output folder '{options.out}': {exc.strerror or exc}") from None
    pacer = HostPacer(options.delay)
    results = []
    for number, entry in enumerate(entries, start=1):
        result = fetch_entry(entry, options, pacer)
        results.append(result)
        if progress:
            progress(number, len(entries), result)
    return results


def report_table(results: list[FetchResult]) -> str:
    """A plain-text table: id, status, and the file written or the reason for the failure."""
    rows = [("ID", "STATUS", "DETAIL")]
    for r in results:
        detail = f"{r.chars} chars ({r.content_type}) -> {r.path}" if r.status == "ok" else r.reason
        rows.append((r.id, r.status, detail))
    width = [max(len(row[i]) for row in rows) for i in range(2)]
    lines = [f"{a:<{width[0]}}  {b:<{width[1]}}  {c}".rstrip() for a, b, c in rows]
    ok = sum(r.status == "ok" for r in results)
    lines.append(f"{ok} ok, {len(results) - ok} failed")
    return "\n".join(lines)
