"""Incremental ingest against a real Chroma index with the real model."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.settings import Settings
from index.store import open_store
from ingest.pipeline import Ingestor, ingest_paths

pytestmark = pytest.mark.slow


def chunk_rows(settings: Settings) -> dict[str, dict]:
    got = open_store(settings).chunks().get(include=["metadatas"])  # type: ignore[union-attr]
    return dict(zip(got["ids"], got["metadatas"], strict=True))


@pytest.fixture
def corpus_copy(tmp_path: Path, fixture_corpus: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(fixture_corpus, target)
    return target


def test_first_ingest_adds_every_document_with_citable_metadata(built_index: Settings) -> None:
    rows = chunk_rows(built_index)
    assert {m["doc_id"] for m in rows.values()} == {
        "fx-car-t",
        "bites",
        "nested/kidney",
        "fx-myositis",
        "fx-ms",
    }
    car_t = [m for m in rows.values() if m["doc_id"] == "fx-car-t"]
    assert {m["url"] for m in car_t} == {"https://example.org/fixtures/car-t"}
    assert any("Cost" in m["headings"] for m in car_t)
    assert all(m["end"] > m["start"] for m in rows.values())


def test_reingest_of_unchanged_corpus_embeds_nothing(corpus_copy: Path, settings: Settings) -> None:
    ingest_paths([corpus_copy], settings)
    before = chunk_rows(settings)
    report = ingest_paths([corpus_copy], settings)
    assert (report.added, report.updated, report.unchanged, report.removed) == (0, 0, 5, 0)
    assert report.chunks == 0 and report.embed_seconds == 0.0
    assert chunk_rows(settings) == before


def test_changed_document_is_replaced_without_stale_chunks(corpus_copy: Path, settings: Settings) -> None:
    ingest_paths([corpus_copy], settings)
    doc = corpus_copy / "bites.txt"
    doc.write_text(doc.read_text() + "\nBlinatumomab is another engager, used in leukemia.\n")
    report = ingest_paths([corpus_copy], settings)
    assert (report.updated, report.unchanged) == (1, 4)
    rows = [m for m in chunk_rows(settings).values() if m["doc_id"] == "bites"]
    assert len({m["doc_hash"] for m in rows}) == 1
    assert sorted(m["chunk_index"] for m in rows) == list(range(len(rows)))


def test_document_that_disappeared_is_removed(corpus_copy: Path, settings: Settings) -> None:
    ingest_paths([corpus_copy], settings)
    (corpus_copy / "nested" / "kidney.html").unlink()
    report = ingest_paths([corpus_copy], settings)
    assert report.removed == 1 and report.documents == 4
    assert all(m["doc_id"] != "nested/kidney" for m in chunk_rows(settings).values())


def test_documents_from_another_root_are_kept(
    corpus_copy: Path, bad_corpus: Path, settings: Settings
) -> None:
    ingest_paths([corpus_copy], settings)
    report = ingest_paths([bad_corpus], settings)
    assert report.removed == 0 and report.documents == 6


def test_file_that_turns_bad_keeps_its_indexed_version(corpus_copy: Path, settings: Settings) -> None:
    ingest_paths([corpus_copy], settings)
    before = {k: v for k, v in chunk_rows(settings).items() if v["doc_id"] == "fx-car-t"}
    (corpus_copy / "car-t.md").write_bytes(b"\x00\x01binary now")
    report = ingest_paths([corpus_copy], settings)
    assert [f["path"] for f in report.failed] == [str(corpus_copy / "car-t.md")]
    assert report.removed == 0
    assert {k: v for k, v in chunk_rows(settings).items() if v["doc_id"] == "fx-car-t"} == before


def test_bad_files_are_reported_and_the_good_one_is_ingested(bad_corpus: Path, settings: Settings) -> None:
    report = ingest_paths([bad_corpus], settings)
    assert report.added == 1
    assert report.skipped == [str(bad_corpus / "notes.xyz")]
    reasons = {Path(f["path"]).name: f["error"] for f in report.failed}
    assert set(reasons) == {
        "binary.md",
        "empty.md",
        "bad-yaml.md",
        "list-front-matter.md",
        "latin1.txt",
        "broken.pdf",
    }
    assert "UTF-8" in reasons["latin1.txt"] and "empty" in reasons["empty.md"]


def test_duplicate_ids_across_files_fail_the_second(tmp_path: Path, settings: Settings) -> None:
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text(f"---\nid: same\n---\n\nText of {name} about lupus and B cells.\n")
    report = ingest_paths([tmp_path / "a.md", tmp_path / "b.md"], settings)
    assert report.added == 1
    assert "duplicate id 'same'" in report.failed[0]["error"]


def test_update_interrupted_after_writing_chunks_is_completed_by_the_next_run(
    corpus_copy: Path, tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest_paths([corpus_copy], settings)
    doc = corpus_copy / "car-t.md"
    doc.write_text(doc.read_text().replace("roughly $500,000", "about $500,000"))

    ingestor = Ingestor(settings)
    real_documents = ingestor.store.documents

    class Crash(Exception):
        pass

    def documents_that_fail_on_write():  # the crash comes after the new chunks are written
        collection = real_documents()

        def crash(*args: object, **kwargs: object) -> None:
            raise Crash

        object.__setattr__(collection, "upsert", crash)
        return collection

    monkeypatch.setattr(ingestor.store, "documents", documents_that_fail_on_write)
    with pytest.raises(Crash):
        ingestor.run([corpus_copy])
    # The document is never without chunks: the new version's are in before the old ones go, and its
    # record still names the old version, so the next run redoes it.
    rows = [m for m in chunk_rows(settings).values() if m["doc_id"] == "fx-car-t"]
    record = open_store(settings).documents().get(ids=["fx-car-t"])["metadatas"][0]
    assert rows and {m["doc_hash"] for m in rows} != {record["doc_hash"]}

    report = ingest_paths([corpus_copy], settings)
    assert report.updated == 1
    clean = Settings(index_dir=tmp_path / "clean")
    ingest_paths([corpus_copy], clean)
    assert sorted(chunk_rows(settings)) == sorted(chunk_rows(clean))
