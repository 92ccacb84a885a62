"""Source markers in the project's articles: `[^key]` after a sentence names the source it restates.

An article lists its public sources in front matter (`sources:`), each with a short `key`. A marker
`[^key]` (or two, `[^a][^b]`) closes the sentence or run of sentences it covers: the text since the
previous marker on the same line, or since the line's start (after a list marker). The markers are
stripped here, before chunking, so the text that is chunked, embedded and quoted, and every offset
into it, is the text a reader sees; each covered run is kept as a `SourceSpan` of that text.
A document whose sources have no keys is left as it is (its `[^1]` footnotes are not markers).
"""

from __future__ import annotations

import re
from typing import Any

from index.schema import SourceSpan

KEY = re.compile(r"[a-z0-9][a-z0-9-]*")
# a run of markers, with the spaces before it: "…kidneys.[^niddk-ln][^gard-lupus]"
_MARKERS = re.compile(r"[ \t]*(?:\[\^[^\]\n]*\])+")
_ONE = re.compile(r"\[\^([^\]\n]*)\]")
_LINE_LEAD = re.compile(r"[ \t]*(?:(?:[-*+\u2022]|\d{1,3}[.)])[ \t]+)?")


class MarkerError(ValueError):
    """A marker or source key that cannot be resolved; the message says which and what to do."""


def source_keys(sources: Any) -> list[str]:
    """The keys of a front-matter `sources:` list, checked: well formed, unique, on a titled source."""
    if not isinstance(sources, list):
        return []
    keys: list[str] = []
    for n, source in enumerate(sources, start=1):
        if not isinstance(source, dict) or source.get("key") in (None, ""):
            continue
        key = str(source["key"])
        if not KEY.fullmatch(key):
            raise MarkerError(
                f"source {n} has key {key!r}: use lower-case letters, digits and '-' (e.g. niddk-lupus)"
            )
        if key in keys:
            raise MarkerError(f"two sources have the key {key!r}: give each source its own key")
        if not str(source.get("title") or "").strip():
            raise MarkerError(f"source {key!r} has no title: add its title in the front matter")
        keys.append(key)
    return keys


def strip_source_markers(body: str, sources: Any) -> tuple[str, tuple[SourceSpan, ...]]:
    """The body without its markers, and the span of text each run of markers covers."""
    keys = source_keys(sources)
    if not keys:
        return body, ()
    known = set(keys)
    out: list[str] = []
    spans: list[SourceSpan] = []
    offset = 0  # where the current line starts in the stripped text
    for line in body.split("\n"):
        pieces: list[str] = []
        cursor = 0  # in the line as written
        length = 0  # of the stripped line so far
        covered_from = _LINE_LEAD.match(line).end()  # type: ignore[union-attr]
        for match in _MARKERS.finditer(line):
            pieces.append(line[cursor : match.start()])
            length += match.start() - cursor
            found = [k.strip() for k in _ONE.findall(match.group(0))]
            for key in found:
                if key not in known:
                    raise MarkerError(
                        f"marker [^{key}] names no source: add 'key: {key}' to the source it means in "
                        f"the front matter's sources: list, or use one of {', '.join(keys)}"
                    )
            covered = "".join(pieces)[covered_from:]
            start = covered_from + len(covered) - len(covered.lstrip())
            if length > start:
                spans.append(SourceSpan(offset + start, offset + length, tuple(dict.fromkeys(found))))
            cursor = match.end()
            covered_from = length
        pieces.append(line[cursor:])
        stripped = "".join(pieces)
        out.append(stripped)
        offset += len(stripped) + 1
    return "\n".join(out), tuple(spans)


def unmarked_sentences(text: str, spans: tuple[SourceSpan, ...]) -> list[str]:
    """The sentences of `text` (headings left out) that no span covers: what a writer must still mark."""
    from index.sentences import split_sentences

    covered = sorted((s.start, s.end) for s in spans)
    missing = []
    pos = 0
    for line in text.split("\n"):
        if line.strip() and not line.lstrip().startswith("#"):
            for start, end in split_sentences(line, pos):
                if not any(a < end and b > start for a, b in covered):
                    missing.append(text[start:end])
        pos += len(line) + 1
    return missing
