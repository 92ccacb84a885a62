"""Unit tests for ingest.chunking: sections by heading, token-bounded chunks, word-piece fitting."""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from index.schema import Chunk, Document, embed_text
from ingest.chunking import Section, chunk_document, count_tokens, sections
from ingest.loaders import LoadError, discover, load_source

SHARED_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
HEADING_LINE = re.compile(r"^#{1,6}\s+\S", re.M)
MAX_WORDPIECES = 256


def make_doc(text: str, doc_id: str = "doc", title: str = "A title") -> Document:
    return Document(doc_id=doc_id, text=text, title=title, path=f"/corpus/{doc_id}.md")


def hash_of(document: Document) -> str:
    return hashlib.sha256(document.text.encode()).hexdigest()


def assert_exact_slices(document: Document, chunks: list[Chunk]) -> None:
    for chunk in chunks:
        assert chunk.text == document.text[chunk.start : chunk.end]
        assert chunk.text == chunk.text.strip() and chunk.text
        assert chunk.doc_id == document.doc_id


def prose(rng: random.Random, n_sentences: int, words: tuple[int, int] = (6, 18)) -> str:
    vocab = ["lupus", "cells", "therapy", "kidney", "immune", "patients", "rituximab", "blood", "dose"]
    sentences = []
    for _ in range(n_sentences):
        body = " ".join(rng.choice(vocab) for _ in range(rng.randint(*words)))
        sentences.append(body.capitalize() + ".")
    return " ".join(sentences)


def sentence_of(n_words: int, word: str = "cells") -> str:
    """A sentence of exactly n_words + 1 cl100k tokens (each ' cells' is one token, '.' another)."""
    return "Lupus" + f" {word}" * (n_words - 1) + "."


# --- sections ------------------------------------------------------------------------------------------

NESTED = (
    "Preface text before any heading.\n\n"
    "# Lupus\n\nIntro to lupus.\n\n"
    "## Treatment\n\nTreatment overview.\n\n"
    "### CAR-T\n\nCAR-T details.\n\n"
    "### Rituximab ###\n\nRituximab details.\n\n"
    "## Outlook\n\nOutlook text.\n\n"
    "# Kidneys\n\n"
    "#### Deep heading under a skipped level\n\nDeep text.\n\n"
    "## Signs\n\nSigns text.\n"
)


def test_sections_give_the_heading_path_for_nested_headings() -> None:
    found = sections(NESTED)
    assert [(s.headings, NESTED[s.start : s.end].strip()) for s in found] == [
        ((), "Preface text before any heading."),
        (("Lupus",), "Intro to lupus."),
        (("Lupus", "Treatment"), "Treatment overview."),
        (("Lupus", "Treatment", "CAR-T"), "CAR-T details."),
        (("Lupus", "Treatment", "Rituximab"), "Rituximab details."),
        (("Lupus", "Outlook"), "Outlook text."),
        (("Kidneys", "Deep heading under a skipped level"), "Deep text."),
        (("Kidneys", "Signs"), "Signs text."),
    ]


def test_sections_skip_headings_without_body_text() -> None:
    found = sections("# A\n\n## B\n\n\n## C\n\nOnly C has text.\n")
    assert found == [
        Section(
            ("A", "C"), len("# A\n\n## B\n\n\n## C\n"), len("# A\n\n## B\n\n\n## C\n\nOnly C has text.\n")
        )
    ]


def test_hash_without_a_space_is_not_a_heading() -> None:
    text = "#hashtag is text\n\nMore text.\n"
    assert sections(text) == [Section((), 0, len(text))]


def test_text_without_headings_is_one_section() -> None:
    text = "Just a paragraph.\n\nAnd another one.\n"
    assert sections(text) == [Section((), 0, len(text))]


# --- chunk_document: shape -----------------------------------------------------------------------------


def long_markdown(seed: int = 7) -> str:
    rng = random.Random(seed)
    parts = ["# Guide\n", prose(rng, 3)]
    for i in range(4):
        parts.append(f"## Part {i}\n")
        parts += [prose(rng, 12), prose(rng, 9)]
        parts.append(f"### Detail {i}\n")
        parts.append(prose(rng, 15))
    return "\n\n".join(parts) + "\n"


def test_every_chunk_text_is_the_exact_document_slice() -> None:
    doc = make_doc(long_markdown())
    chunks = chunk_document(doc, hash_of(doc), max_tokens=60, overlap_tokens=16)
    assert len(chunks) > 10
    assert_exact_slices(doc, chunks)


def test_no_chunk_crosses_a_markdown_heading() -> None:
    doc = make_doc(long_markdown())
    found = sections(doc.text)
    chunks = chunk_document(doc, hash_of(doc), max_tokens=60, overlap_tokens=16)
    for chunk in chunks:
        assert not HEADING_LINE.search(chunk.text), chunk.text
        owners = [s for s in found if s.start <= chunk.start and chunk.end <= s.end]
        assert len(owners) == 1, (chunk.start, chunk.end)
        assert owners[0].headings == chunk.headings


def test_chunks_carry_the_heading_path_of_nested_headings() -> None:
    doc = make_doc(NESTED)
    chunks = chunk_document(doc, hash_of(doc))
    assert [(c.headings, c.heading_path, c.text) for c in chunks] == [
        ((), "", "Preface text before any heading."),
        (("Lupus",), "Lupus", "Intro to lupus."),
        (("Lupus", "Treatment"), "Lupus > Treatment", "Treatment overview."),
        (("Lupus", "Treatment", "CAR-T"), "Lupus > Treatment > CAR-T", "CAR-T details."),
        (("Lupus", "Treatment", "Rituximab"), "Lupus > Treatment > Rituximab", "Rituximab details."),
        (("Lupus", "Outlook"), "Lupus > Outlook", "Outlook text."),
        (
            ("Kidneys", "Deep heading under a skipped level"),
            "Kidneys > Deep heading under a skipped level",
            "Deep text.",
        ),
        (("Kidneys", "Signs"), "Kidneys > Signs", "Signs text."),
    ]


def test_chunk_ids_are_doc_id_hash12_and_a_four_digit_index_and_unique() -> None:
    doc = make_doc(long_markdown(), doc_id="guides/lupus")
    doc_hash = hash_of(doc)
    chunks = chunk_document(doc, doc_hash, max_tokens=40, overlap_tokens=8)
    assert len(chunks) > 20
    for position, chunk in enumerate(chunks):
        assert chunk.index == position
        assert chunk.chunk_id == f"guides/lupus#{doc_hash[:12]}#{position:04d}"
        assert re.fullmatch(r"guides/lupus#[0-9a-f]{12}#\d{4}", chunk.chunk_id)
    assert len({c.chunk_id for c in chunks}) == len(chunks)


def test_chunks_follow_document_order() -> None:
    doc = make_doc(long_markdown())
    chunks = chunk_document(doc, hash_of(doc), max_tokens=60, overlap_tokens=16)
    starts = [c.start for c in chunks]
    assert starts == sorted(starts)
    assert len(set(starts)) == len(starts)


def test_a_new_document_hash_gives_new_chunk_ids_for_the_same_text() -> None:
    doc = make_doc("Some text. More text.\n")
    first = chunk_document(doc, "a" * 64)
    second = chunk_document(doc, "b" * 64)
    assert [c.text for c in first] == [c.text for c in second]
    assert {c.chunk_id for c in first}.isdisjoint(c.chunk_id for c in second)


def test_document_of_only_headings_still_gives_a_chunk() -> None:
    doc = make_doc("# Title only\n")
    chunks = chunk_document(doc, hash_of(doc))
    assert len(chunks) == 1
    assert_exact_slices(doc, chunks)


# --- chunk_document: size limits ---------------------------------------------------------------------


def test_no_chunk_exceeds_max_tokens_in_single_line_paragraphs() -> None:
    rng = random.Random(3)
    parts = []
    for i in range(5):
        parts += [f"## Part {i}", prose(rng, 25, words=(3, 40))]
    doc = make_doc("\n\n".join(parts) + "\n")
    for max_tokens in (32, 60, 160):
        chunks = chunk_document(doc, hash_of(doc), max_tokens=max_tokens, overlap_tokens=0)
        assert len(chunks) > 5
        assert_exact_slices(doc, chunks)
        for chunk in chunks:
            assert count_tokens(chunk.text) <= max_tokens, (max_tokens, chunk.text)
            assert chunk.n_tokens <= max_tokens


def test_a_single_unbreakable_word_may_exceed_max_tokens_but_stays_whole() -> None:
    rng = random.Random(5)
    giant = "".join(rng.choice("qwxzjkvbpy") for _ in range(600))  # hundreds of tokens, no spaces
    text = f"Before the giant word. {giant} After the giant word.\n"
    doc = make_doc(text)
    chunks = chunk_document(doc, hash_of(doc), max_tokens=32, overlap_tokens=0)
    assert_exact_slices(doc, chunks)
    over = [c for c in chunks if count_tokens(c.text) > 32]
    assert [c.text for c in over] == [giant]
    assert giant in [c.text for c in chunks]


def test_very_long_sentence_without_punctuation_is_cut_at_word_boundaries() -> None:
    rng = random.Random(11)
    words = [
        rng.choice(["lupus", "kidney", "inflammation", "rituximab", "cells", "2024"]) for _ in range(900)
    ]
    text = "## Run on\n\n" + " ".join(words) + "\n"
    doc = make_doc(text)
    chunks = chunk_document(doc, hash_of(doc), max_tokens=50, overlap_tokens=0)
    assert len(chunks) > 10
    assert_exact_slices(doc, chunks)
    for chunk in chunks:
        assert count_tokens(chunk.text) <= 50
        assert text[chunk.start - 1].isspace()
        assert chunk.end == len(text) or text[chunk.end].isspace()
    assert [w for c in chunks for w in c.text.split()] == words  # nothing lost, nothing repeated


def test_long_unpunctuated_sentence_inside_prose_is_cut_while_neighbours_stay_whole() -> None:
    run_on = " ".join(["immune"] * 300)
    text = f"First short sentence. {run_on}. Last short sentence.\n"
    doc = make_doc(text)
    chunks = chunk_document(doc, hash_of(doc), max_tokens=40, overlap_tokens=0)
    assert_exact_slices(doc, chunks)
    assert all(count_tokens(c.text) <= 40 for c in chunks)
    assert chunks[0].text.startswith("First short sentence.")
    assert chunks[-1].text.endswith("Last short sentence.")
    assert sum(c.text.count("immune") for c in chunks) == 300


# --- overlap -------------------------------------------------------------------------------------------


def test_overlap_carries_whole_sentences_between_consecutive_chunks_of_one_section() -> None:
    sentences = [sentence_of(9, word) for word in ["cells", "blood", "kidney", "immune", "dose"] * 4]
    head = "## Only section\n\n"
    doc = make_doc(head + " ".join(sentences) + "\n")
    starts, pos = set(), len(head)
    for sentence in sentences:
        starts.add(pos)
        pos += len(sentence) + 1
    chunks = chunk_document(doc, hash_of(doc), max_tokens=40, overlap_tokens=12)
    assert len(chunks) >= 4
    for before, after in zip(chunks, chunks[1:], strict=False):
        assert after.start < before.end, "consecutive chunks of one section should overlap"
        assert after.start in starts, "overlap starts at a sentence boundary"
        shared = doc.text[after.start : before.end]
        assert count_tokens(shared) <= 12
        assert after.end > before.end


def test_zero_overlap_gives_disjoint_chunks() -> None:
    sentences = [sentence_of(9) for _ in range(20)]
    doc = make_doc(" ".join(sentences) + "\n")
    chunks = chunk_document(doc, hash_of(doc), max_tokens=40, overlap_tokens=0)
    for before, after in zip(chunks, chunks[1:], strict=False):
        assert after.start > before.end


def test_overlap_never_crosses_into_the_next_section() -> None:
    body = " ".join(sentence_of(9) for _ in range(8))
    doc = make_doc(f"## One\n\n{body}\n\n## Two\n\n{body}\n")
    two_start = doc.text.index("## Two")
    chunks = chunk_document(doc, hash_of(doc), max_tokens=40, overlap_tokens=12)
    first_of_two = next(c for c in chunks if c.headings == ("Two",))
    assert first_of_two.start > two_start
    assert all(c.end < two_start for c in chunks if c.headings == ("One",))


def test_overlap_is_not_carried_when_it_would_repeat_the_whole_previous_chunk() -> None:
    sentences = [sentence_of(30) for _ in range(6)]  # 31 tokens each: one sentence per chunk
    doc = make_doc(" ".join(sentences) + "\n")
    chunks = chunk_document(doc, hash_of(doc), max_tokens=40, overlap_tokens=35)
    assert len(chunks) == 6
    for before, after in zip(chunks, chunks[1:], strict=False):
        assert after.start > before.end


def test_overlap_carried_into_a_chunk_never_pushes_it_over_max_tokens() -> None:
    text = f"{sentence_of(19)} {sentence_of(19)} {sentence_of(149)}\n"  # 20 + 20 + 150 tokens
    doc = make_doc(text)
    chunks = chunk_document(doc, hash_of(doc), max_tokens=160, overlap_tokens=32)
    assert all(count_tokens(c.text) <= 160 for c in chunks), [count_tokens(c.text) for c in chunks]


def test_list_markers_and_line_breaks_count_towards_max_tokens() -> None:
    doc = make_doc("\n".join(f"- item{i}" for i in range(300)) + "\n")
    chunks = chunk_document(doc, hash_of(doc), max_tokens=160, overlap_tokens=0)
    assert all(count_tokens(c.text) <= 160 for c in chunks), max(count_tokens(c.text) for c in chunks)


# --- real word-piece counter ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def count_wordpieces() -> Callable[[list[str]], list[int]]:
    from index.embedder import get_embedder
    from index.settings import Settings

    return get_embedder(Settings()).count_wordpieces


def dense_document(seed: int = 0) -> Document:
    """Long words and long numbers: few cl100k tokens are many BERT word pieces."""
    rng = random.Random(seed)

    def word() -> str:
        roll = rng.random()
        if roll < 0.2:
            return f"{rng.randint(10**5, 10**12)}.{rng.randint(0, 99999)}"
        if roll < 0.4:
            return "".join(rng.choice("bcdfghjklmnpqrstvwxzaeiouy") for _ in range(rng.randint(12, 25)))
        return rng.choice(
            ["lupus", "cells", "the", "therapy", "CAR-T", "anti-CD19", "mg/kg", "immunosuppression"]
        )

    parts = ["# Dense guide"]
    for s in range(6):
        parts.append(f"## Section {s} on hydroxychloroquine and mycophenolate")
        for _ in range(4):
            sentences = [
                " ".join(word() for _ in range(rng.randint(5, 40))).capitalize() + "."
                for _ in range(rng.randint(3, 8))
            ]
            parts.append(" ".join(sentences))
    return make_doc("\n\n".join(parts) + "\n", doc_id="dense", title="A generated dense document")


def truncated(document: Document, chunks: list[Chunk], counter: Callable[[list[str]], list[int]]) -> int:
    counts = counter([embed_text(document, c) for c in chunks])
    return sum(count > MAX_WORDPIECES for count in counts)


@pytest.mark.parametrize("max_tokens", [160, 400])
def test_embedded_text_of_every_chunk_fits_the_model_word_piece_limit(
    count_wordpieces: Callable[[list[str]], list[int]], max_tokens: int
) -> None:
    doc = dense_document()
    plain = chunk_document(doc, hash_of(doc), max_tokens=max_tokens)
    fitted = chunk_document(doc, hash_of(doc), max_tokens=max_tokens, count_wordpieces=count_wordpieces)
    assert_exact_slices(doc, fitted)
    assert truncated(doc, fitted, count_wordpieces) == 0
    assert len(fitted) >= len(plain)
    assert [c.index for c in fitted] == list(range(len(fitted)))
    assert len({c.chunk_id for c in fitted}) == len(fitted)
    if max_tokens == 400:
        # 400 cl100k tokens of this text are far more than 256 word pieces: the check must split.
        assert truncated(doc, plain, count_wordpieces) > 0
        assert len(fitted) > len(plain)


def test_word_piece_fitting_keeps_chunks_inside_their_sections(
    count_wordpieces: Callable[[list[str]], list[int]],
) -> None:
    doc = dense_document(seed=1)
    found = sections(doc.text)
    for chunk in chunk_document(doc, hash_of(doc), max_tokens=400, count_wordpieces=count_wordpieces):
        owner = next(s for s in found if s.start <= chunk.start and chunk.end <= s.end)
        assert owner.headings == chunk.headings


@pytest.mark.slow
def test_shared_corpus_chunks_all_fit_the_model_word_piece_limit(
    count_wordpieces: Callable[[list[str]], list[int]],
) -> None:
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {SHARED_CORPUS}")
    sources, _ = discover([SHARED_CORPUS])
    n_docs = n_chunks = n_truncated = 0
    for source in sources:
        if source.kind is None:
            continue
        for doc in load_source(source):
            if isinstance(doc, LoadError):
                continue
            chunks = chunk_document(doc, hash_of(doc), count_wordpieces=count_wordpieces)
            assert_exact_slices(doc, chunks)
            n_docs += 1
            n_chunks += len(chunks)
            n_truncated += truncated(doc, chunks, count_wordpieces)
    assert n_docs > 0
    assert n_truncated == 0, f"{n_truncated} of {n_chunks} chunks would be truncated"


def test_a_list_is_not_cut_from_its_lead_in_when_the_chunk_can_end_before_it() -> None:
    intro = " ".join(f"Sentence {i} says something about lupus and the kidneys." for i in range(8))
    items = "\n".join(f"- item {i}, a medicine for lupus" for i in range(6))
    document = make_doc(f"{intro} Lupus medicines may include:\n{items}\n\nAfter the list comes prose.")
    chunks = chunk_document(document, hash_of(document), max_tokens=110, overlap_tokens=0)
    assert_exact_slices(document, chunks)
    holding = [c for c in chunks if "Lupus medicines may include:" in c.text]
    assert len(holding) == 1
    assert holding[0].text.startswith("Lupus medicines may include:")  # the chunk before ended at the prose
    assert all(f"item {i}," in holding[0].text for i in range(6))
    assert all(c.n_tokens <= 110 for c in chunks)
    # a list too long for any chunk is still cut (after as many items as fit)
    long_items = "\n".join(f"- item {i}, a medicine for lupus that is given by vein" for i in range(30))
    long_doc = make_doc(f"{intro} Lupus medicines may include:\n{long_items}")
    long_chunks = chunk_document(long_doc, hash_of(long_doc), max_tokens=110, overlap_tokens=0)
    assert_exact_slices(long_doc, long_chunks)
    assert all(c.n_tokens <= 110 for c in long_chunks) and len(long_chunks) > 3
