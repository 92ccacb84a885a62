"""Files on disk → `Document`s: Markdown (YAML front matter), text, HTML, PDF and JSON Lines."""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from index.schema import Document
from ingest.markers import MarkerError, strip_source_markers

MAX_FILE_BYTES = 64 * 1024 * 1024  # larger files are refused, not read into memory
MAX_LINE_BYTES = 8 * 1024 * 1024  # one JSON Lines record
SUFFIX_KINDS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".jsonl": "jsonl",
    ".jsonl.gz": "jsonl",
}


# Files that describe a folder rather than hold content; listed as skipped, never indexed.
FOLDER_NOTES = re.compile(r"^(readme|sources|license|licence|changelog|contributing)(\.[a-z]+)?$", re.I)


class LoadError(Exception):
    """A file that cannot be ingested; the message says why and what to do."""


@dataclass(frozen=True)
class SourceFile:
    path: Path
    root: Path  # the PATH the user gave; ids are relative to it
    kind: str | None  # None: not a supported type (skipped)


def file_kind(path: Path) -> str | None:
    name = path.name.lower()
    if FOLDER_NOTES.match(name):
        return None
    for suffix, kind in SUFFIX_KINDS.items():
        if name.endswith(suffix):
            return kind
    return None


def discover(paths: list[Path]) -> tuple[list[SourceFile], list[tuple[Path, str]]]:
    """All files under the given paths (sorted; hidden files and symlinked folders not followed),
    plus the paths that could not be read at all."""
    found: list[SourceFile] = []
    missing: list[tuple[Path, str]] = []
    for given in paths:
        root = given.resolve() if given.exists() else given
        if not given.exists():
            missing.append((given, "no such file or folder; check the path"))
        elif given.is_file():
            found.append(SourceFile(root, root.parent, file_kind(root)))
        else:
            for folder, dirs, files in os.walk(root, followlinks=False, onerror=_reporter(missing, root)):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    path = Path(folder) / name
                    found.append(SourceFile(path, root, file_kind(path)))
    return found, missing


def _reporter(missing: list[tuple[Path, str]], root: Path) -> Callable[[OSError], None]:
    def unreadable(error: OSError) -> None:
        missing.append((Path(error.filename or root), f"cannot read folder: {error.strerror}"))

    return unreadable


def default_doc_id(path: Path, root: Path) -> str:
    """The path relative to the PATH given, without its extension, with forward slashes."""
    try:
        rel = path.relative_to(root)
    except ValueError:
        rel = Path(path.name)
    name = rel.name
    for suffix in sorted(SUFFIX_KINDS, key=len, reverse=True):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    return (rel.parent / name).as_posix()


def read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise LoadError(
                f"file is {size / 2**20:.0f} MiB, over the {MAX_FILE_BYTES // 2**20} MiB limit; split it"
            )
        return path.read_bytes()
    except PermissionError:
        raise LoadError("permission denied; make the file readable") from None
    except IsADirectoryError:
        raise LoadError("is a folder, not a file") from None
    except OSError as exc:
        raise LoadError(f"cannot read: {exc.strerror or exc}") from None


def decode_text(data: bytes) -> str:
    """UTF-8 text with normalised newlines; binary or undecodable input is a LoadError."""
    if b"\x00" in data[:65536]:
        raise LoadError("binary data (NUL bytes), not a text document")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(
            f"not valid UTF-8 (bad byte at offset {exc.start}); re-save the file as UTF-8"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _require_text(text: str) -> str:
    if not text.strip():
        raise LoadError("empty document (no text)")
    return text


def _as_str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value).strip()


def _topics(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(t.strip() for t in value.split(",") if t.strip())
    if isinstance(value, list):
        return tuple(str(t).strip() for t in value if str(t).strip())
    raise LoadError("front matter 'topics' must be a list of strings")


def _document(meta: dict[str, Any], text: str, path: Path, root: Path, title: str) -> Document:
    doc_id = _as_str(meta.get("id")) or default_doc_id(path, root)
    if len(doc_id) > 512 or "\n" in doc_id:
        raise LoadError("'id' must be one line of at most 512 characters")
    # a revised document is cited with the date of the text it holds: `updated` over `date`
    date = _as_str(meta.get("updated") or meta.get("date") or meta.get("year"))
    known = {"id", "title", "url", "source", "license", "date", "topics", "publisher", "text"}
    extra = {k: v for k, v in meta.items() if k not in known}
    return Document(
        doc_id=doc_id,
        text=_require_text(text),
        title=_as_str(meta.get("title")) or title,
        path=str(path),
        url=_as_str(meta.get("url")),
        source=_as_str(meta.get("source")),
        license=_as_str(meta.get("license")),
        date=date,
        topics=_topics(meta.get("topics")),
        publisher=_as_str(meta.get("publisher")),
        extra=extra,
    )


_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_H1 = re.compile(r"^#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.M)


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    match = _FRONT.match(text)
    if not match:
        if text.startswith("---\n"):
            raise LoadError("front matter is not closed: add a line '---' after it")
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark else ""
        raise LoadError(f"invalid YAML front matter{where}; fix the YAML between the '---' lines") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise LoadError("front matter must be a mapping of keys (id: ..., title: ...), not a list or value")
    return meta, text[match.end() :]


def load_markdown(path: Path, root: Path) -> Document:
    meta, body = split_front_matter(decode_text(read_bytes(path)))
    try:  # an article's [^key] source markers (ingest.markers)
        body, spans = strip_source_markers(body, meta.get("sources"))
    except MarkerError as exc:
        raise LoadError(str(exc)) from None
    heading = _H1.search(body)
    document = _document(meta, body, path, root, heading.group(1) if heading else path.stem)
    return replace(document, source_spans=spans) if spans else document


def load_text(path: Path, root: Path) -> Document:
    text = decode_text(read_bytes(path))
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return _document({}, text, path, root, first if 0 < len(first) <= 120 else path.stem)


_HTML_DROP = [
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "template",
]


def html_to_text(html: str) -> tuple[str, str]:
    """(title, main text) of an HTML page; headings become Markdown headings for the chunker."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup(_HTML_DROP):
        tag.decompose()
    main = soup.find("main") or soup.find("article") or soup.body or soup
    lines: list[str] = []
    for element in main.find_all(
        ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "td", "th", "pre", "blockquote"]
    ):
        nested = element.find(["p", "li", "ul", "ol", "h1", "h2", "h3", "h4"]) is not None
        if nested and element.name in {"li", "td", "blockquote"}:
            # its block children are visited on their own; keep only its own words
            text = " ".join(" ".join(str(t) for t in element.find_all(string=True, recursive=False)).split())
        else:
            text = " ".join(element.get_text(" ", strip=True).split())
        if not text:
            continue
        if element.name[0] == "h" and element.name[1:].isdigit():
            lines.append("\n" + "#" * int(element.name[1]) + " " + text + "\n")
        elif element.name == "li":
            lines.append("- " + text)
        else:
            lines.append(text + "\n")
    if not lines:
        lines = [" ".join(main.get_text(" ", strip=True).split())]
    return title, "\n".join(lines).strip() + "\n"


def load_html(path: Path, root: Path) -> Document:
    title, text = html_to_text(decode_text(read_bytes(path)))
    heading = _H1.search(text)
    return _document({}, text, path, root, title or (heading.group(1) if heading else path.stem))


def load_pdf(path: Path, root: Path) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    data = read_bytes(path)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise LoadError("encrypted PDF; save an unencrypted copy")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
        title = str(info.title) if info and info.title else ""
    except LoadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        raise LoadError(f"broken PDF ({type(exc).__name__}); re-export it") from None
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text.strip():
        raise LoadError("PDF has no text layer (scanned?); run OCR first")
    return _document({"title": title} if title else {}, text, path, root, path.stem)


def iter_jsonl(path: Path, root: Path) -> Iterator[Document | LoadError]:
    """One Document per line ({id,title,text,url,...}); a bad line yields a LoadError naming it."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                where = f"line {number}"
                if len(raw) > MAX_LINE_BYTES:
                    yield LoadError(f"{where}: record over {MAX_LINE_BYTES // 2**20} MiB")
                    continue
                try:
                    record = json.loads(decode_text(raw))
                except (json.JSONDecodeError, LoadError) as exc:
                    yield LoadError(f"{where}: not a JSON object ({exc})")
                    continue
                if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                    yield LoadError(f"{where}: needs an object with a 'text' string")
                    continue
                if not record.get("id"):
                    record["id"] = f"{default_doc_id(path, root)}:{number}"
                try:
                    yield _document(record, record["text"], path, root, str(record["id"]))
                except LoadError as exc:
                    yield LoadError(f"{where}: {exc}")
    except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as exc:
        yield LoadError(f"cannot read (corrupt or truncated file?): {exc}")


_SINGLE = {"markdown": load_markdown, "text": load_text, "html": load_html, "pdf": load_pdf}


def load_source(source: SourceFile) -> Iterator[Document | LoadError]:
    """The documents of one file; errors are yielded, never raised, so one file cannot stop a run."""
    if source.kind == "jsonl":
        yield from iter_jsonl(source.path, source.root)
        return
    loader = _SINGLE[source.kind or ""]
    try:
        yield loader(source.path, source.root)
    except LoadError as exc:
        yield exc
    except RecursionError:
        yield LoadError("document nests too deeply to parse")
