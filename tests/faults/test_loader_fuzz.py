"""Property-based fuzzing of every loader: any bytes give Documents or a LoadError, never a crash."""

from __future__ import annotations

import gzip
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.schema import Document
from ingest.chunking import chunk_document
from ingest.loaders import LoadError, SourceFile, file_kind, load_source

SUFFIXES = [".md", ".txt", ".html", ".pdf", ".jsonl", ".jsonl.gz"]
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Inputs that look like the formats, so the parsers get past their first checks.
markdownish = st.builds(
    lambda front, body: f"---\n{front}\n---\n{body}",
    st.text(alphabet=st.sampled_from(list("ab:- []{}#'\"\n\t0")), max_size=80),
    st.text(max_size=400),
)
htmlish = st.builds(
    lambda tags, text: "".join(f"<{t}>{text}</{t}>" for t in tags) + "<script>x</script><li><ul><li>y",
    st.lists(st.sampled_from(["p", "h1", "h2", "li", "ul", "main", "td", "blockquote", "nav"]), max_size=12),
    st.text(max_size=60),
)
pdfish = st.builds(lambda tail: b"%PDF-1.4\n" + tail, st.binary(max_size=300))
jsonlish = st.lists(
    st.one_of(
        st.builds(lambda t: '{"id": "x", "text": ' + repr(t).replace("'", '"') + "}", st.text(max_size=40)),
        st.text(max_size=40),
        st.just('{"id": null, "text": "ok text here"}'),
    ),
    max_size=6,
).map("\n".join)


def _load(tmp_path: Path, name: str, data: bytes) -> list[Document | LoadError]:
    path = tmp_path / name
    path.write_bytes(data)
    return list(load_source(SourceFile(path, tmp_path, file_kind(path))))


def _check(results: list[Document | LoadError]) -> None:
    for item in results:
        assert isinstance(item, Document | LoadError)
        if isinstance(item, Document):
            assert item.text.strip() and item.doc_id
            for chunk in chunk_document(item, "0" * 64, max_tokens=64, overlap_tokens=8):
                assert item.text[chunk.start : chunk.end] == chunk.text


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_never_crash_a_loader(tmp_path: Path, data: bytes, suffix: str) -> None:
    if suffix == ".jsonl.gz" and data[:2] != b"\x1f\x8b":
        data = gzip.compress(data)
    _check(_load(tmp_path, "doc" + suffix, data))


@FUZZ
@given(text=markdownish)
def test_markdown_with_odd_front_matter(tmp_path: Path, text: str) -> None:
    _check(_load(tmp_path, "doc.md", text.encode("utf-8", "surrogatepass")))


@FUZZ
@given(text=htmlish)
def test_html_fragments(tmp_path: Path, text: str) -> None:
    _check(_load(tmp_path, "doc.html", text.encode("utf-8", "surrogatepass")))


@FUZZ
@given(data=pdfish)
def test_truncated_and_garbled_pdfs(tmp_path: Path, data: bytes) -> None:
    _check(_load(tmp_path, "doc.pdf", data))


@FUZZ
@given(text=jsonlish)
def test_json_lines_mixed_good_and_bad(tmp_path: Path, text: str) -> None:
    _check(_load(tmp_path, "doc.jsonl", text.encode("utf-8", "surrogatepass")))
