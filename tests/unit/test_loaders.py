"""Unit tests for ingest.loaders: discovering files and turning them into Documents or LoadErrors."""

from __future__ import annotations

import gzip
import io
import os
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

import ingest.loaders as loaders
from index.schema import Document
from ingest.loaders import (
    LoadError,
    SourceFile,
    default_doc_id,
    discover,
    file_kind,
    html_to_text,
    iter_jsonl,
    load_source,
    split_front_matter,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CORPUS = FIXTURES / "corpus"
BAD = FIXTURES / "bad"


def load(path: Path, root: Path | None = None) -> list[Document | LoadError]:
    """Everything load_source yields for one file (root defaults to its folder)."""
    return list(load_source(SourceFile(path, root or path.parent, file_kind(path))))


def load_one(path: Path, root: Path | None = None) -> Document:
    items = load(path, root)
    assert len(items) == 1, items
    assert isinstance(items[0], Document), items[0]
    return items[0]


def load_error(path: Path, root: Path | None = None) -> LoadError:
    items = load(path, root)
    assert len(items) == 1, items
    assert isinstance(items[0], LoadError), items[0]
    return items[0]


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# --- file_kind ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("a.md", "markdown"),
        ("A.MARKDOWN", "markdown"),
        ("a.txt", "text"),
        ("a.text", "text"),
        ("a.html", "html"),
        ("a.HTM", "html"),
        ("a.pdf", "pdf"),
        ("a.jsonl", "jsonl"),
        ("a.jsonl.gz", "jsonl"),
    ],
)
def test_supported_suffixes_map_to_their_kind_case_insensitively(name: str, kind: str) -> None:
    assert file_kind(Path(name)) == kind


@pytest.mark.parametrize("name", ["notes.xyz", "data.json", "archive.gz", "noext", "a.md.bak"])
def test_unsupported_suffixes_have_no_kind(name: str) -> None:
    assert file_kind(Path(name)) is None


@pytest.mark.parametrize(
    "name",
    ["README.md", "readme.txt", "SOURCES.md", "LICENSE", "LICENCE.md", "CHANGELOG.md", "Contributing.md"],
)
def test_folder_notes_like_readme_sources_and_license_are_skipped(name: str) -> None:
    assert file_kind(Path(name)) is None


# --- default_doc_id ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        ("kidney.html", "kidney"),
        ("nested/kidney.html", "nested/kidney"),
        ("a/b/c.MD", "a/b/c"),
        ("data/records.jsonl.gz", "data/records"),
        ("v1.2/notes.v2.txt", "v1.2/notes.v2"),
    ],
)
def test_default_doc_id_is_the_relative_path_without_extension(rel: str, expected: str) -> None:
    root = Path("/corpus")
    assert default_doc_id(root / rel, root) == expected


def test_default_doc_id_of_a_path_outside_the_root_is_its_bare_name() -> None:
    assert default_doc_id(Path("/elsewhere/deep/page.md"), Path("/corpus")) == "page"


# --- split_front_matter ------------------------------------------------------------------------------


def test_front_matter_is_parsed_and_removed_from_the_body() -> None:
    meta, body = split_front_matter("---\nid: x\ntitle: T\n---\n\n# Body\n")
    assert meta == {"id": "x", "title": "T"}
    assert body == "\n# Body\n"


def test_front_matter_may_be_closed_with_three_dots() -> None:
    meta, body = split_front_matter("---\nid: x\n...\nBody.\n")
    assert meta == {"id": "x"}
    assert body == "Body.\n"


def test_text_without_front_matter_is_returned_unchanged() -> None:
    text = "# Title\n\n---\n\nA rule above, not front matter.\n"
    assert split_front_matter(text) == ({}, text)


def test_empty_front_matter_is_an_empty_mapping() -> None:
    assert split_front_matter("---\n\n---\nBody.\n") == ({}, "Body.\n")


def test_unclosed_front_matter_is_rejected_with_a_clear_reason() -> None:
    with pytest.raises(LoadError, match="not closed"):
        split_front_matter("---\nid: x\ntitle: T\n\nBody.\n")


def test_front_matter_with_invalid_yaml_is_rejected_naming_yaml_and_the_line() -> None:
    with pytest.raises(LoadError, match=r"YAML.*line \d+"):
        split_front_matter("---\nid: x\ntitle: [unclosed\n---\nBody.\n")


@pytest.mark.parametrize("front", ["- a\n- b", "just a string", "42"])
def test_front_matter_that_is_not_a_mapping_is_rejected_with_a_clear_reason(front: str) -> None:
    with pytest.raises(LoadError, match="mapping"):
        split_front_matter(f"---\n{front}\n---\nBody.\n")


# --- Markdown ----------------------------------------------------------------------------------------


def test_markdown_front_matter_fields_are_read() -> None:
    doc = load_one(CORPUS / "car-t.md", CORPUS)
    assert doc.doc_id == "fx-car-t"
    assert doc.title == "CAR-T cells for lupus (test fixture)"
    assert doc.url == "https://example.org/fixtures/car-t"
    assert doc.source == "autoimmune-qa test fixture"
    assert doc.license == "CC BY 4.0 (autoimmune-qa project)"
    assert doc.date == "2026-11-25"
    assert doc.topics == ("CAR-T cell therapy", "lupus")
    assert doc.path == str(CORPUS / "car-t.md")
    assert not doc.text.startswith("---")
    assert "id: fx-car-t" not in doc.text
    assert "## The first study" in doc.text


def test_markdown_unquoted_yaml_date_and_comma_separated_topics_become_text(tmp_path: Path) -> None:
    path = write(tmp_path / "d.md", "---\ndate: 2024-03-05\ntopics: lupus, CAR-T ,\n---\nBody.\n")
    doc = load_one(path)
    assert doc.date == "2024-03-05"
    assert doc.topics == ("lupus", "CAR-T")


def test_markdown_updated_date_is_the_date_cited(tmp_path: Path) -> None:
    path = write(tmp_path / "d.md", "---\ndate: 2026-11-25\nupdated: 2026-11-26\n---\nBody.\n")
    doc = load_one(path)
    assert doc.date == "2026-11-26"


def test_markdown_unknown_front_matter_keys_are_kept_as_extra(tmp_path: Path) -> None:
    path = write(tmp_path / "d.md", "---\naudience: patient\nid: d1\n---\nBody.\n")
    doc = load_one(path)
    assert doc.extra == {"audience": "patient"}


def test_markdown_without_id_falls_back_to_the_relative_path_without_extension(tmp_path: Path) -> None:
    path = write(tmp_path / "topics" / "sub" / "page.md", "---\ntitle: T\n---\nBody.\n")
    assert load_one(path, tmp_path).doc_id == "topics/sub/page"


def test_markdown_title_falls_back_to_the_first_level_one_heading(tmp_path: Path) -> None:
    path = write(tmp_path / "page.md", "Intro line.\n\n## A subsection\n\n# The main title #\n\n# Second\n")
    assert load_one(path).title == "The main title"


def test_markdown_title_falls_back_to_the_file_stem_without_a_heading(tmp_path: Path) -> None:
    path = write(tmp_path / "lupus-basics.md", "## Only a subsection\n\nBody text.\n")
    assert load_one(path).title == "lupus-basics"


def test_front_matter_title_wins_over_the_first_heading(tmp_path: Path) -> None:
    path = write(tmp_path / "page.md", "---\ntitle: From front matter\n---\n# From heading\nBody.\n")
    assert load_one(path).title == "From front matter"


def test_a_bare_hash_line_does_not_make_the_next_paragraph_the_title(tmp_path: Path) -> None:
    path = write(tmp_path / "stem.md", "#\n\nThis paragraph is not a heading.\n")
    assert load_one(path).title == "stem"


def test_markdown_with_only_front_matter_is_rejected_as_empty(tmp_path: Path) -> None:
    path = write(tmp_path / "d.md", "---\nid: d\ntitle: T\n---\n\n   \n")
    assert "empty" in str(load_error(path))


def test_id_spanning_lines_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path / "d.md", '---\nid: "a\\nb"\n---\nBody.\n')
    assert "'id'" in str(load_error(path))


# --- the bad fixture folder --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("binary.md", ["binary"]),
        ("empty.md", ["empty"]),
        ("bad-yaml.md", ["YAML", "line"]),
        ("list-front-matter.md", ["mapping"]),
        ("latin1.txt", ["UTF-8", "offset"]),
        ("broken.pdf", ["PDF"]),
    ],
)
def test_each_bad_fixture_yields_a_load_error_naming_the_problem(name: str, words: list[str]) -> None:
    message = str(load_error(BAD / name, BAD))
    for word in words:
        assert word in message, message


def test_the_good_file_among_bad_ones_loads() -> None:
    doc = load_one(BAD / "good.md", BAD)
    assert doc.doc_id == "fx-good"
    assert "Rituximab" in doc.text


def test_discover_lists_unsupported_files_with_no_kind_so_they_are_skipped() -> None:
    found, missing = discover([BAD])
    assert missing == []
    kinds = {source.path.name: source.kind for source in found}
    assert kinds["notes.xyz"] is None
    assert kinds["good.md"] == "markdown"
    assert kinds["broken.pdf"] == "pdf"
    assert kinds["latin1.txt"] == "text"


def test_discover_marks_readme_sources_and_license_files_as_skipped(tmp_path: Path) -> None:
    for name in ["README.md", "SOURCES.md", "LICENSE", "doc.md"]:
        write(tmp_path / name, "# Hello\n\nText.\n")
    found, _ = discover([tmp_path])
    assert {s.path.name: s.kind for s in found} == {
        "LICENSE": None,
        "README.md": None,
        "SOURCES.md": None,
        "doc.md": "markdown",
    }


# --- text decoding ---------------------------------------------------------------------------------


def test_undecodable_bytes_are_rejected_naming_utf8_and_the_offset(tmp_path: Path) -> None:
    path = write(tmp_path / "x.txt", b"Good start \xff\xfe then junk\n")
    message = str(load_error(path))
    assert "UTF-8" in message
    assert "offset 11" in message


def test_nul_bytes_are_rejected_as_binary(tmp_path: Path) -> None:
    path = write(tmp_path / "x.md", b"# Title\n\x00\x01\x02 data")
    assert "binary" in str(load_error(path))


def test_crlf_and_lone_cr_newlines_are_normalised(tmp_path: Path) -> None:
    path = write(tmp_path / "x.txt", b"Line one.\r\nLine two.\rLine three.\r\n")
    doc = load_one(path)
    assert doc.text == "Line one.\nLine two.\nLine three.\n"
    assert "\r" not in doc.text


def test_utf8_byte_order_mark_is_removed_and_front_matter_still_parsed(tmp_path: Path) -> None:
    path = write(
        tmp_path / "x.md",
        b"\xef\xbb\xbf---\r\nid: bom-doc\r\ntitle: With BOM\r\n---\r\n\r\n# Heading\r\nBody.\r\n",
    )
    doc = load_one(path)
    assert doc.doc_id == "bom-doc"
    assert doc.title == "With BOM"
    assert doc.text == "\n# Heading\nBody.\n"
    assert "\ufeff" not in doc.text


def test_utf8_text_with_non_ascii_characters_loads(tmp_path: Path) -> None:
    path = write(tmp_path / "x.txt", "Café au lait – naïve 5 µg\n")
    assert load_one(path).text == "Café au lait – naïve 5 µg\n"


def test_text_file_title_is_its_first_non_blank_line(tmp_path: Path) -> None:
    path = write(tmp_path / "bites.txt", "\n\n  Bispecific engagers  \n\nBody text.\n")
    assert load_one(path).title == "Bispecific engagers"


def test_text_file_with_a_very_long_first_line_is_titled_by_its_stem(tmp_path: Path) -> None:
    path = write(tmp_path / "long-one.txt", "word " * 60 + "\n")
    assert load_one(path).title == "long-one"


def test_whitespace_only_text_file_is_rejected_as_empty(tmp_path: Path) -> None:
    path = write(tmp_path / "x.txt", " \n\t\n")
    assert "empty" in str(load_error(path))


def test_file_over_the_size_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loaders, "MAX_FILE_BYTES", 2 * 2**20)
    path = write(tmp_path / "big.txt", b"a" * (3 * 2**20))
    assert "limit" in str(load_error(path))


# --- HTML --------------------------------------------------------------------------------------------


def test_html_drops_script_nav_and_footer_text() -> None:
    title, text = html_to_text((CORPUS / "nested" / "kidney.html").read_text(encoding="utf-8"))
    assert title == "Lupus and the kidneys (test fixture)"
    assert "tracking" not in text
    assert "navigation" not in text
    assert "Copyright" not in text
    assert "Lupus nephritis is kidney inflammation caused by lupus." in text


def test_html_headings_become_markdown_heading_lines() -> None:
    _, text = html_to_text(
        "<html><body><h1>Main</h1><p>Intro.</p><h2>Sub</h2><p>More.</p>"
        "<h3>Deeper</h3><ul><li>One</li><li>Two</li></ul></body></html>"
    )
    lines = text.splitlines()
    assert "# Main" in lines
    assert "## Sub" in lines
    assert "### Deeper" in lines
    assert "- One" in lines and "- Two" in lines
    assert lines.index("# Main") < lines.index("Intro.") < lines.index("## Sub") < lines.index("More.")


def test_html_drops_style_header_aside_and_form_elements() -> None:
    _, text = html_to_text(
        "<html><head><style>.x{color:red}</style></head><body><header>Site header</header>"
        "<aside>Related links</aside><form>Search box</form><article><p>Kept text.</p></article>"
        "</body></html>"
    )
    assert text == "Kept text.\n"


def test_html_prefers_the_main_element_over_the_rest_of_the_body() -> None:
    _, text = html_to_text("<body><p>Outside main.</p><main><p>Inside main.</p></main></body>")
    assert text == "Inside main.\n"


def test_html_without_block_elements_falls_back_to_all_text() -> None:
    _, text = html_to_text("<html><body><div>Just   some\n loose text</div></body></html>")
    assert text == "Just some loose text\n"


def test_html_file_title_comes_from_the_title_element_and_id_from_its_path() -> None:
    doc = load_one(CORPUS / "nested" / "kidney.html", CORPUS)
    assert doc.doc_id == "nested/kidney"
    assert doc.title == "Lupus and the kidneys (test fixture)"
    assert doc.text.startswith("# Lupus and the kidneys\n")
    assert "\n## Signs\n" in doc.text


def test_html_file_without_a_title_element_is_titled_by_its_first_h1(tmp_path: Path) -> None:
    path = write(tmp_path / "page.html", "<html><body><h1>Heading title</h1><p>Body.</p></body></html>")
    assert load_one(path).title == "Heading title"


def test_html_file_without_text_is_rejected_as_empty(tmp_path: Path) -> None:
    path = write(tmp_path / "page.html", "<html><head><script>x=1</script></head><body></body></html>")
    assert "empty" in str(load_error(path))


def test_html_list_item_with_a_nested_list_keeps_its_own_text() -> None:
    _, text = html_to_text("<body><ul><li>Fruits<ul><li>apple</li></ul></li></ul></body>")
    assert "Fruits" in text


# --- JSON Lines ----------------------------------------------------------------------------------------


def test_jsonl_fixture_gives_one_document_per_line() -> None:
    docs = load(CORPUS / "records.jsonl", CORPUS)
    assert [d.doc_id for d in docs if isinstance(d, Document)] == ["fx-myositis", "fx-ms"]
    first = docs[0]
    assert isinstance(first, Document)
    assert first.title == "Myositis (test fixture)"
    assert first.url == "https://example.org/fixtures/myositis"
    assert first.text.startswith("Myositis means inflammation")


JSONL_MIXED = (
    '{"id": "ok-1", "title": "First", "text": "First record text."}\n'
    "this is not json\n"
    '{"title": "no text field"}\n'
    "\n"
    '["a", "list"]\n'
    '{"text": "Record without id or title."}\n'
    '{"id": "empty", "text": "   "}\n'
)


def test_jsonl_bad_lines_yield_errors_naming_the_line_while_other_lines_load(tmp_path: Path) -> None:
    path = write(tmp_path / "recs.jsonl", JSONL_MIXED)
    items = list(iter_jsonl(path, tmp_path))
    docs = [i for i in items if isinstance(i, Document)]
    errors = [str(i) for i in items if isinstance(i, LoadError)]
    assert [d.doc_id for d in docs] == ["ok-1", "recs:6"]
    assert len(errors) == 4
    assert errors[0].startswith("line 2:") and "JSON" in errors[0]
    assert errors[1].startswith("line 3:") and "'text'" in errors[1]
    assert errors[2].startswith("line 5:") and "'text'" in errors[2]
    assert errors[3].startswith("line 7:") and "empty" in errors[3]


def test_jsonl_record_without_id_or_title_gets_path_and_line_as_both(tmp_path: Path) -> None:
    path = write(tmp_path / "sub" / "recs.jsonl", '\n{"text": "Body."}\n')
    (doc,) = iter_jsonl(path, tmp_path)
    assert isinstance(doc, Document)
    assert doc.doc_id == "sub/recs:2"
    assert doc.title == "sub/recs:2"


def test_jsonl_gz_file_is_read_through_gzip(tmp_path: Path) -> None:
    path = tmp_path / "recs.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write('{"id": "gz-1", "text": "Compressed one."}\n{"text": "Compressed two."}\n')
    found, _ = discover([tmp_path])
    assert [(s.path.name, s.kind) for s in found] == [("recs.jsonl.gz", "jsonl")]
    docs = list(load_source(found[0]))
    assert all(isinstance(d, Document) for d in docs)
    assert [(d.doc_id, d.text) for d in docs] == [("gz-1", "Compressed one."), ("recs:2", "Compressed two.")]


def test_truncated_jsonl_gz_yields_a_load_error_after_the_complete_lines(tmp_path: Path) -> None:
    data = gzip.compress(b"".join(b'{"id": "r%d", "text": "Record %d."}\n' % (i, i) for i in range(50)))
    path = write(tmp_path / "recs.jsonl.gz", data[: len(data) - 12])  # drop the CRC/size trailer
    items = list(load_source(SourceFile(path, tmp_path, "jsonl")))
    assert isinstance(items[-1], LoadError)
    assert "cannot read" in str(items[-1])
    assert all(isinstance(i, Document) for i in items[:-1])


def test_file_that_is_not_gzip_at_all_yields_a_load_error(tmp_path: Path) -> None:
    path = write(tmp_path / "recs.jsonl.gz", b'{"text": "plain, not compressed"}\n')
    items = list(load_source(SourceFile(path, tmp_path, "jsonl")))
    assert len(items) == 1 and isinstance(items[0], LoadError)
    assert "cannot read" in str(items[0])


def test_corrupt_jsonl_gz_data_yields_a_load_error_instead_of_raising(tmp_path: Path) -> None:
    path = write(tmp_path / "recs.jsonl.gz", b"\x1f\x8b\x08\x00not really gzip at all")
    items = list(load_source(SourceFile(path, tmp_path, "jsonl")))
    assert len(items) == 1 and isinstance(items[0], LoadError)


def test_jsonl_line_over_the_record_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loaders, "MAX_LINE_BYTES", 100)
    path = write(tmp_path / "recs.jsonl", '{"text": "' + "a" * 200 + '"}\n{"text": "small"}\n')
    items = list(iter_jsonl(path, tmp_path))
    assert isinstance(items[0], LoadError) and str(items[0]).startswith("line 1:")
    assert isinstance(items[1], Document)


def test_jsonl_records_with_null_ids_still_get_distinct_ids(tmp_path: Path) -> None:
    path = write(tmp_path / "recs.jsonl", '{"id": null, "text": "A."}\n{"id": null, "text": "B."}\n')
    ids = [d.doc_id for d in iter_jsonl(path, tmp_path) if isinstance(d, Document)]
    assert len(ids) == 2
    assert len(set(ids)) == 2


# --- PDF ---------------------------------------------------------------------------------------------

PDF_SENTENCE = "CAR-T cells target B cells."


def make_pdf(text: str = PDF_SENTENCE) -> bytes:
    """A one-page PDF with a text layer, built by hand with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref_at)
    return bytes(out)


def test_hand_built_pdf_parses_strictly_with_pypdf() -> None:
    data = make_pdf()
    reader = PdfReader(io.BytesIO(data), strict=True)
    assert len(reader.pages) == 1
    assert reader.pages[0].extract_text() == PDF_SENTENCE
    # The xref entries point exactly at the "N 0 obj" lines.
    for number in range(1, 6):
        assert reader.xref[0][number] == data.index(b"%d 0 obj" % number)


def test_pdf_with_a_text_layer_loads_its_text(tmp_path: Path) -> None:
    path = write(tmp_path / "papers" / "cart.pdf", make_pdf())
    doc = load_one(path, tmp_path)
    assert doc.text == PDF_SENTENCE
    assert doc.doc_id == "papers/cart"
    assert doc.title == "cart"


def test_pdf_title_comes_from_its_metadata(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf())))
    writer.add_metadata({"/Title": "CAR-T review"})
    buffer = io.BytesIO()
    writer.write(buffer)
    path = write(tmp_path / "x.pdf", buffer.getvalue())
    assert load_one(path).title == "CAR-T review"


def test_encrypted_pdf_is_rejected_with_a_clear_reason(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf())))
    writer.encrypt("secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    path = write(tmp_path / "locked.pdf", buffer.getvalue())
    message = str(load_error(path))
    assert "encrypted" in message and "PDF" in message


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_truncated_pdf_is_rejected_as_broken(tmp_path: Path, keep: float) -> None:
    data = make_pdf()
    path = write(tmp_path / "cut.pdf", data[: int(len(data) * keep)])
    assert "PDF" in str(load_error(path))


def test_pdf_without_a_text_layer_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path / "blank.pdf", make_pdf(text=""))
    assert "text layer" in str(load_error(path))


# --- discover ------------------------------------------------------------------------------------------


def test_discover_reports_missing_paths_and_still_lists_the_others(tmp_path: Path) -> None:
    write(tmp_path / "a.md", "A.\n")
    gone = tmp_path / "does-not-exist"
    found, missing = discover([gone, tmp_path])
    assert [s.path.name for s in found] == ["a.md"]
    assert len(missing) == 1
    assert missing[0][0] == gone
    assert "no such file" in missing[0][1]


def test_discover_walks_folders_in_sorted_order_with_the_given_path_as_root(tmp_path: Path) -> None:
    for rel in ["b.md", "a.txt", "sub/z.html", "sub/deeper/y.jsonl"]:
        write(tmp_path / rel, "x\n")
    found, missing = discover([tmp_path])
    assert missing == []
    assert [s.path.relative_to(tmp_path.resolve()).as_posix() for s in found] == [
        "a.txt",
        "b.md",
        "sub/z.html",
        "sub/deeper/y.jsonl",
    ]
    assert {s.root for s in found} == {tmp_path.resolve()}


def test_discover_of_a_single_file_uses_its_folder_as_root(tmp_path: Path) -> None:
    path = write(tmp_path / "sub" / "one.md", "# One\n\nText.\n")
    found, missing = discover([path])
    assert missing == []
    assert found == [SourceFile(path.resolve(), path.resolve().parent, "markdown")]
    assert load_one(found[0].path, found[0].root).doc_id == "one"


def test_discover_ids_are_relative_to_the_corpus_root() -> None:
    found, _ = discover([CORPUS])
    ids = []
    for source in found:
        ids += [d.doc_id for d in load_source(source) if isinstance(d, Document)]
    assert sorted(ids) == sorted(["bites", "fx-car-t", "nested/kidney", "fx-myositis", "fx-ms"])


def test_discover_skips_hidden_files_and_hidden_folders(tmp_path: Path) -> None:
    write(tmp_path / "visible.md", "Yes.\n")
    write(tmp_path / ".hidden.md", "No.\n")
    write(tmp_path / ".git" / "inside.md", "No.\n")
    write(tmp_path / "sub" / ".secret.txt", "No.\n")
    write(tmp_path / "sub" / "shown.txt", "Yes.\n")
    found, _ = discover([tmp_path])
    assert sorted(s.path.name for s in found) == ["shown.txt", "visible.md"]


def test_discover_survives_a_symlink_loop_without_hanging(tmp_path: Path) -> None:
    folder = tmp_path / "a"
    write(folder / "doc.md", "# Doc\n\nText.\n")
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "self").symlink_to(folder / "self")  # a symlink that points at itself
    result: dict[str, object] = {}

    def run() -> None:
        try:
            result["value"] = discover([tmp_path])
        except BaseException as exc:  # reported below
            result["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=10)
    assert not thread.is_alive(), "discover hangs on a symlink loop"
    assert "error" not in result, result.get("error")
    found, missing = result["value"]  # type: ignore[misc]
    assert missing == []
    names = [s.path.relative_to(tmp_path.resolve()).as_posix() for s in found]
    assert "a/doc.md" in names
    assert not any(name.startswith("a/loop/") for name in names)
    for source in found:
        if source.kind is not None:
            list(load_source(source))  # must not raise either


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_is_reported_as_permission_denied(tmp_path: Path) -> None:
    path = write(tmp_path / "locked.md", "# Locked\n\nText.\n")
    path.chmod(0)
    try:
        found, _ = discover([tmp_path])
        assert [s.path.name for s in found] == ["locked.md"]
        message = str(load_error(found[0].path, found[0].root))
        assert "permission denied" in message
    finally:
        path.chmod(0o644)


def test_folder_with_a_supported_suffix_given_as_a_file_is_a_load_error(tmp_path: Path) -> None:
    folder = tmp_path / "looks-like.md"
    folder.mkdir()
    items = list(load_source(SourceFile(folder, tmp_path, "markdown")))
    assert len(items) == 1 and isinstance(items[0], LoadError)
    assert "folder" in str(items[0])
