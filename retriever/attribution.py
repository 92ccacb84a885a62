"""Which of a project article's public sources stands behind one quoted sentence.

An article marks each sentence with the sources it restates (`[^key]`, `ingest.markers`); a chunk
stores those spans (`index.schema.source_spans_json`), and a quote's citation lists exactly the
sources of the spans it overlaps. Without marks, the sentence's own words decide, as follows.

A project article lists every source it is grounded in (front matter `sources:`), and many of its
sentences name the source they come from: "MedlinePlus says MS may be an autoimmune disease", "…every
organ (NIH GARD)", "The National Cancer Institute (NCI) describes how CAR-T cells are made". A
citation of the article shows first the sources its quoted sentence names; when it names none, no
source is singled out and the reader sees all of the article's sources, as before. (The paragraph
around the quote is no guide: over the 27 articles it would have traced 211 more sentences, but
"In one UK study, 108 of 216 people with lupus (50%) reported fatigue." to Genetics Home Reference,
named by its neighbour, when a PubMed abstract says it. 147 of the 1,602 article sentences name
their source.)

A source is named by its publisher as listed ("MedlinePlus"), without a leading "NIH "
("NIH NINDS" → "NINDS"), or by a long or short form in `ALSO_CALLED`.
"""

from __future__ import annotations

import functools
import json
import re

ALSO_CALLED: dict[str, tuple[str, ...]] = {
    "NIH GARD": ("Genetic and Rare Diseases",),
    "NIH Genetics Home Reference": ("GHR",),
    "National Cancer Institute": ("NCI",),
    "NIH NINDS": ("National Institute of Neurological Disorders and Stroke",),
    "NIH NIDDK": ("National Institute of Diabetes and Digestive and Kidney Diseases",),
    "NIH NHLBI": ("National Heart, Lung, and Blood Institute", "National Heart, Lung and Blood Institute"),
    "NIHSeniorHealth": ("NIH Senior Health",),
}


def publisher_of(line: str) -> str:
    """The publisher of one "publisher | title | date | url" upstream line."""
    return line.split("|", 1)[0].strip()


@functools.lru_cache(maxsize=256)
def _pattern(publisher: str) -> re.Pattern[str] | None:
    names = {publisher, *ALSO_CALLED.get(publisher, ())}
    if publisher.startswith("NIH "):
        names.add(publisher[4:])
    names = {n.strip() for n in names if len(n.strip()) >= 3}
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def named_in(text: str, upstream: list[str]) -> list[str]:
    """The upstream lines whose publisher `text` names, in their listed order. Every page of a named
    publisher is kept: telling them apart by title words would trace "MedlinePlus says MS may be an
    autoimmune disease" to MedlinePlus's "Autoimmune Diseases" page, not its "Multiple Sclerosis"."""
    found = []
    for line in upstream:
        pattern = _pattern(publisher_of(line))
        if pattern is not None and pattern.search(text):
            found.append(line)
    return found


def marked_sources(upstream: list[str], spans: str, start: int, end: int) -> list[str]:
    """The upstream lines that the marked spans overlapping document offsets [start, end) name, in
    the order they are first named; [] when no span covers the quote (or the spans are unreadable)."""
    if not spans:
        return []
    try:
        rows = json.loads(spans)
        lines = [n for a, b, ns in rows if a < end and b > start for n in ns]
    except (ValueError, TypeError):
        return []
    return [upstream[n] for n in dict.fromkeys(lines) if isinstance(n, int) and 0 <= n < len(upstream)]


def attribute(
    upstream: list[str], text: str, start: int, end: int, spans: str = "", offset: int = 0
) -> tuple[list[str], int]:
    """`upstream` with the sources the quote text[start:end] names first, and how many lines lead
    that way (0: it names none, all are the article's sources). When the article marks its sentences
    (`spans`, in document offsets; `text` starts at `offset`), only the quote's marked sources."""
    if not upstream:
        return [], 0
    marked = marked_sources(upstream, spans, offset + start, offset + end)
    if marked:
        return marked, len(marked)
    named = named_in(text[start:end], upstream)
    rest = [line for line in upstream if line not in named]
    return [*named, *rest], len(named)
