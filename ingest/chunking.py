"""Token-aware, heading-aware chunking: sections by Markdown heading, packed sentence by sentence."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from index.schema import Chunk, Document, chunk_id_for, embed_text
from index.sentences import split_sentences
from index.tokens import count_tokens

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class Section:
    headings: tuple[str, ...]
    start: int
    end: int


def sections(text: str) -> list[Section]:
    """Runs of text between Markdown headings, each with the path of headings above it."""
    found: list[Section] = []
    stack: list[tuple[int, str]] = []
    body_start = pos = 0

    def close(end: int) -> None:
        if text[body_start:end].strip():
            found.append(Section(tuple(h for _, h in stack), body_start, end))

    in_fence = False
    for line in text.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence else _HEADING.match(line)
        if match:
            close(pos)
            level = len(match.group(1))
            stack = [(lv, h) for lv, h in stack if lv < level] + [(level, match.group(2))]
            body_start = pos + len(line) + 1
        pos += len(line) + 1
    close(len(text))
    return found


def _word_windows(text: str, start: int, end: int, max_tokens: int) -> list[tuple[int, int]]:
    """Cut an over-long sentence at word boundaries into pieces of at most max_tokens."""
    pieces: list[tuple[int, int]] = []
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    piece_start = None
    last_end = start
    for w_start, w_end in words:
        if piece_start is None:
            piece_start = w_start
        elif count_tokens(text[piece_start:w_end]) > max_tokens:
            pieces.append((piece_start, last_end))
            piece_start = w_start
        last_end = w_end
    if piece_start is not None:
        pieces.append((piece_start, last_end))
    return pieces


def _units(text: str, section: Section, max_tokens: int) -> list[tuple[int, int, int]]:
    """(start, end, tokens) for each sentence of a section; long sentences are cut."""
    units: list[tuple[int, int, int]] = []
    previous_end = section.start
    for start, end in split_sentences(text[section.start : section.end], section.start):
        # a sentence costs its own tokens plus the list marker or line break before it
        tokens = count_tokens(text[start:end])
        if units:
            tokens = max(tokens, count_tokens(text[previous_end:end]))
        if tokens <= max_tokens:
            units.append((start, end, tokens))
        else:
            pieces = _word_windows(text, start, end, max_tokens - 2)
            units.extend((s, e, count_tokens(text[s:e])) for s, e in pieces)
        previous_end = end
    return units


_ITEM = re.compile(r"[ \t]*(?:[-*+\u2022]|\d{1,3}[.)])[ \t]+")


def _in_item(text: str, start: int) -> bool:
    """Is the sentence at `start` part of a list item (its line opens with a list marker)?"""
    line_start = text.rfind("\n", 0, start) + 1
    return bool(_ITEM.match(text, line_start))


def _lead_in(text: str, current: list[tuple[int, int, int]]) -> int | None:
    """The index in `current` of the lead-in ("Lupus medicines may include:") of the list that
    `current` ends in, when only that list's items follow it."""
    for j in range(len(current) - 1, -1, -1):
        start, end, _ = current[j]
        if text[start:end].rstrip().endswith(":"):
            return j
        if not _in_item(text, start):
            return None
    return None


def _pack(
    units: list[tuple[int, int, int]], max_tokens: int, overlap: int, text: str = ""
) -> list[list[tuple[int, int, int]]]:
    """Sentences packed into chunks of at most `max_tokens`, each repeating up to `overlap` tokens
    of the one before. A list is not cut from its lead-in when it can be helped: when a chunk would
    end inside a list whose lead-in it holds, and the lead-in with its items so far is not the whole
    chunk, the chunk ends before the lead-in and the next one starts there ("Lupus medicines may
    include:" had ended one chunk and "antimalarial drugs / steroids / …" opened the next, so neither
    answered "how is lupus treated?" as a whole)."""
    groups: list[list[tuple[int, int, int]]] = []
    current: list[tuple[int, int, int]] = []
    size = 0
    for unit in units:
        if current and size + unit[2] > max_tokens:
            j = _lead_in(text, current) if text and _in_item(text, unit[0]) else None
            if j and sum(u[2] for u in current[j:]) + unit[2] <= max_tokens:
                groups.append(current[:j])
                current = current[j:]
                current.append(unit)
                size = sum(u[2] for u in current)
                continue
            groups.append(current)
            carried: list[tuple[int, int, int]] = []
            for prev in reversed(current):
                if sum(u[2] for u in carried) + prev[2] > overlap or len(carried) + 1 >= len(current):
                    break
                carried.insert(0, prev)
            while carried and sum(u[2] for u in carried) + unit[2] > max_tokens:
                carried.pop(0)  # the overlap never pushes a chunk over the limit
            current = carried
            size = sum(u[2] for u in current)
        current.append(unit)
        size += unit[2]
    if current:
        groups.append(current)
    return groups


def chunk_document(
    document: Document,
    doc_hash: str,
    max_tokens: int = 160,
    overlap_tokens: int = 32,
    count_wordpieces: Callable[[list[str]], list[int]] | None = None,
    max_wordpieces: int = 256,
) -> list[Chunk]:
    """Chunks of at most max_tokens cl100k tokens that never cross a heading; with a word-piece
    counter, any chunk whose embedded text the model would truncate is split again."""
    text = document.text
    spans: list[tuple[tuple[str, ...], list[tuple[int, int, int]]]] = []
    for section in sections(text) or [Section((), 0, len(text))]:
        for group in _pack(_units(text, section, max_tokens), max_tokens, overlap_tokens, text):
            spans.append((section.headings, group))
    if count_wordpieces is not None:
        spans = _fit_wordpieces(document, spans, count_wordpieces, max_wordpieces)
    chunks = []
    for index, (headings, group) in enumerate(spans):
        start, end = group[0][0], group[-1][1]
        chunks.append(
            Chunk(
                chunk_id=chunk_id_for(document.doc_id, doc_hash, index),
                doc_id=document.doc_id,
                index=index,
                text=text[start:end],
                start=start,
                end=end,
                headings=headings,
                n_tokens=count_tokens(text[start:end]),
            )
        )
    return chunks


def _fit_wordpieces(
    document: Document,
    spans: list[tuple[tuple[str, ...], list[tuple[int, int, int]]]],
    count_wordpieces: Callable[[list[str]], list[int]],
    max_wordpieces: int,
) -> list[tuple[tuple[str, ...], list[tuple[int, int, int]]]]:
    """Halve (by sentence, else by words) every span whose embedded text exceeds the model's limit."""
    result = []
    pending = list(spans)
    while pending:
        texts = [_embedded(document, headings, group) for headings, group in pending]
        counts = count_wordpieces(texts)
        next_round = []
        for (headings, group), count in zip(pending, counts, strict=True):
            if count <= max_wordpieces:
                result.append((headings, group))
            elif len(group) > 1:
                middle = len(group) // 2
                next_round += [(headings, group[:middle]), (headings, group[middle:])]
            else:
                start, end, tokens = group[0]
                halves = _word_windows(document.text, start, end, max(8, tokens // 2))
                if len(halves) < 2:  # one giant word: nothing left to split; keep it (it is reported)
                    result.append((headings, group))
                    continue
                next_round += [(headings, [(s, e, count_tokens(document.text[s:e]))]) for s, e in halves]
        pending = next_round
    result.sort(key=lambda item: item[1][0][0])
    return result


def _embedded(document: Document, headings: tuple[str, ...], group: list[tuple[int, int, int]]) -> str:
    probe = Chunk("", document.doc_id, 0, document.text[group[0][0] : group[-1][1]], 0, 0, headings)
    return embed_text(document, probe)
