"""Checks for corpus/sources.yaml (the source catalog) and corpus/glossary.yaml.

The shared corpus lives next to the repository:
    Path(__file__).resolve().parents[3] / "shared" / "corpus"
Checks that need it are skipped when that folder is absent.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from ingest.fetch import load_catalog

REPO_ROOT = Path(__file__).resolve().parents[2]
CATALOG = REPO_ROOT / "corpus" / "sources.yaml"
GLOSSARY = REPO_ROOT / "corpus" / "glossary.yaml"
ARTICLES_DIR = REPO_ROOT / "corpus" / "articles"
SHARED_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"

SOURCE_KEYS = {"id", "title", "publisher", "url", "license", "topics", "shared_id"}
TERM_KEYS = {"term", "aliases", "definition", "shared_ids"}
NGRAM = 10


def front_matter(text: str) -> dict[str, Any]:
    match = re.match(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", text, re.DOTALL)
    meta = yaml.safe_load(match.group(1)) if match else None
    return meta if isinstance(meta, dict) else {}


@functools.lru_cache(maxsize=1)
def sources() -> list[dict[str, Any]]:
    data = yaml.safe_load(CATALOG.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and isinstance(data.get("sources"), list), "needs a 'sources:' list"
    return data["sources"]


@functools.lru_cache(maxsize=1)
def terms() -> list[dict[str, Any]]:
    data = yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and isinstance(data.get("terms"), list), "needs a 'terms:' list"
    return data["terms"]


@functools.lru_cache(maxsize=1)
def shared_documents() -> dict[str, dict[str, Any]]:
    """Shared document id -> its front matter."""
    docs = {}
    for path in sorted(SHARED_CORPUS.rglob("*.md")):
        meta = front_matter(path.read_text(encoding="utf-8"))
        if meta.get("id"):
            docs[str(meta["id"])] = meta
    return docs


def tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


@functools.lru_cache(maxsize=1)
def shared_ngrams() -> dict[tuple[str, ...], str]:
    """Every word 10-gram of the shared corpus -> one file it occurs in."""
    index: dict[tuple[str, ...], str] = {}
    for path in sorted(SHARED_CORPUS.rglob("*.md")):
        words = tokens(path.read_text(encoding="utf-8"))
        for i in range(len(words) - NGRAM + 1):
            index.setdefault(tuple(words[i : i + NGRAM]), path.name)
    return index


def require_shared_corpus() -> None:
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {SHARED_CORPUS}")


# ---------------------------------------------------------------------------------------------- catalog


def test_catalog_entries_have_the_required_keys() -> None:
    assert sources(), "the catalog is empty"
    for entry in sources():
        assert isinstance(entry, dict)
        assert set(entry) >= SOURCE_KEYS, f"{entry.get('id')}: missing {sorted(SOURCE_KEYS - set(entry))}"
        for key in ("id", "title", "publisher", "license"):
            assert isinstance(entry[key], str) and entry[key].strip(), f"{entry['id']}: empty {key}"
        assert isinstance(entry["url"], str)
        assert isinstance(entry["topics"], list) and all(isinstance(t, str) for t in entry["topics"])
        assert entry["shared_id"] is None or isinstance(entry["shared_id"], str)


def test_catalog_ids_are_unique_and_the_fetcher_accepts_the_catalog() -> None:
    ids = [entry["id"] for entry in sources()]
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert [e.id for e in load_catalog(CATALOG)] == ids


def test_catalog_urls_are_https_except_for_shared_documents_without_one() -> None:
    for entry in sources():
        if entry["url"] == "":
            # only a shared document that has no url upstream (the MedPath article) may have none
            assert entry["shared_id"], f"{entry['id']}: url missing"
            if SHARED_CORPUS.is_dir():
                assert not shared_documents()[entry["shared_id"]].get("url"), entry["id"]
        else:
            assert entry["url"].startswith("https://"), f"{entry['id']}: {entry['url']}"


def test_catalog_shared_ids_exist_and_cover_the_shared_corpus() -> None:
    require_shared_corpus()
    docs = shared_documents()
    listed = [entry["shared_id"] for entry in sources() if entry["shared_id"]]
    assert not set(listed) - set(docs), f"not in the shared corpus: {sorted(set(listed) - set(docs))}"
    assert not set(docs) - set(listed), f"shared documents missing: {sorted(set(docs) - set(listed))[:5]}"


def test_every_source_an_article_cites_is_in_the_catalog() -> None:
    listed = {entry["shared_id"] for entry in sources() if entry["shared_id"]}
    cited: dict[str, str] = {}
    for path in sorted(ARTICLES_DIR.glob("*.md")):
        for source in front_matter(path.read_text(encoding="utf-8")).get("sources") or []:
            if isinstance(source, dict) and source.get("shared_id"):
                cited.setdefault(str(source["shared_id"]), path.name)
    missing = {doc: article for doc, article in cited.items() if doc not in listed}
    assert not missing, f"cited by articles but not in {CATALOG.name}: {missing}"


# ---------------------------------------------------------------------------------------------- glossary


def test_glossary_terms_have_the_required_keys() -> None:
    assert terms(), "the glossary is empty"
    names = [str(t.get("term", "")).lower() for t in terms()]
    assert len(names) == len(set(names)), "duplicate terms"
    for term in terms():
        assert set(term) == TERM_KEYS, f"{term.get('term')}: keys {sorted(set(term) ^ TERM_KEYS)}"
        assert isinstance(term["term"], str) and term["term"].strip()
        assert isinstance(term["definition"], str) and len(tokens(term["definition"])) >= 10
        assert isinstance(term["aliases"], list) and all(isinstance(a, str) for a in term["aliases"])
        assert isinstance(term["shared_ids"], list) and term["shared_ids"], f"{term['term']}: no shared_ids"


def test_glossary_shared_ids_exist() -> None:
    require_shared_corpus()
    docs = shared_documents()
    for term in terms():
        missing = [doc for doc in term["shared_ids"] if doc not in docs]
        assert not missing, f"{term['term']}: not in the shared corpus: {missing}"


def test_glossary_definitions_copy_no_passages() -> None:
    require_shared_corpus()
    index = shared_ngrams()
    for term in terms():
        words = tokens(term["definition"])
        hits = [
            (" ".join(words[i : i + NGRAM]), index[tuple(words[i : i + NGRAM])])
            for i in range(len(words) - NGRAM + 1)
            if tuple(words[i : i + NGRAM]) in index
        ]
        assert not hits, f"{term['term']}: shares a {NGRAM}-word run with a shared document: {hits[:2]}"
