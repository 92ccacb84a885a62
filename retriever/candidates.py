"""The sentences an extractive answer may quote: each usable sentence of the evidence once, and a
lead-in together with its list items as one unit."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from index.sentences import NEVER_FINAL, ends_on, is_fragment, split_sentences
from retriever.types import Evidence
from retriever.weights import ExtractiveWeights


@dataclass(frozen=True)
class Candidate:
    evidence: Evidence
    rank: int
    text: str  # as the answer shows it (a list unit is rendered on one line)
    start: int  # offset in the document of the quoted span
    end: int
    parts: tuple[str, ...] = ()  # a list unit's lead-in and items (readability is judged on them)
    index: int = 0  # the sentence's place in its chunk (0: the chunk's first)


_ITEM_MARKER = re.compile(r"[ \t]*(?:[-*+\u2022]|\d{1,3}[.)])[ \t]+")
_NUMBERED = re.compile(r"[ \t]*\d{1,3}[.)][ \t]+")
_NUMBERED_LINE = re.compile(r"^" + _NUMBERED.pattern, re.MULTILINE)


def has_numbered_items(text: str) -> bool:
    """Whether `text` has a numbered list line, the only place `steps` changes what `candidates` reads."""
    return bool(_NUMBERED_LINE.search(text))


_STEP_ITEM_SLACK = 5  # words a numbered item may run over `max_item_words` when steps are asked
# "what is the process of car t", "how do they make car t cells", "what should we expect": the steps
ASKS_STEPS = re.compile(
    r"\b(steps?|process|procedure)\b|\bwalk (me|us) through\b|\bwhat (should|can|do|will) (i|we|you) expect\b"
    r"|\bwhat to expect\b|\bwhat happens (during|in|at|when (you|they|i|we) (get|have|start))\b"
    r"|\bhow (is|are|do|does) (they |you |doctors )?(\w+[ -]){0,4}(made|done|make|produced|manufactured|prepared)\b"
    r"|\bwhat does (a |an |the )?[\w -]{1,30} involve\b",
    re.IGNORECASE,
)


def _line_prefix(text: str, start: int) -> str:
    return text[text.rfind("\n", 0, start) + 1 : start]


def _is_name_line(item: str) -> bool:
    """A list item that names a resource rather than saying something: "Genetic Testing Registry:
    Myasthenia gravis", "Cleveland Clinic" (a colon, or mostly capitalised words)."""
    words = re.findall(r"[A-Za-z][\w'-]*", item)
    capitalised = sum(w[0].isupper() for w in words)
    return ":" in item or not words or capitalised * 2 > len(words)


# words a sentence cannot end on: a line ending in one is unfinished, and the list below finishes it
_UNFINISHED = ends_on(
    (*NEVER_FINAL, "be", "have", "has", "cause", "causes", "treat", "in", "on", "can", "may", "might")
    + ("could", "should", "will", "would", "often", "usually", "and", "or", "when", "if", "contain")
    + ("contains", "involve", "involves")
)


def _is_lead_in(text: str, end: int, lead: str) -> bool:
    """Can this span lead a list? One ending in a colon ("Signs of lupus nephritis can include:"), or
    one that ends its line on a word no sentence ends on, as many NIH pages write them ("Goodpasture
    syndrome is usually treated with", "The most common symptoms of adrenal insufficiency are"). Not
    a line that merely lacks punctuation: a chunk may open inside a list, its first item's marker
    left in the chunk before ("B lymphocytes, which make antibodies to help fight infection")."""
    if lead.endswith(":"):
        return True
    rest = text[end:]
    line_ends = not rest[: rest.find("\n") if "\n" in rest else len(rest)].strip()
    return line_ends and len(lead.split()) >= 3 and bool(_UNFINISHED.search(lead))


def list_units(
    text: str, spans: list[tuple[int, int]], weights: ExtractiveWeights, steps: bool = False
) -> dict[int, tuple[int, tuple[str, ...]]]:
    """Lead-ins (`_is_lead_in`) followed by list items, as one unit each: {index of the lead-in
    span: (end offset of the unit, (lead-in, item, item, …))}. List items alone are short and
    rarely look like the question ("- foamy urine"); the lead-in alone ("Signs of lupus nephritis can
    include:") looks like it but says nothing. Together they answer. Items are taken while the unit
    stays within `max_unit_words`; a unit needs `min_unit_items` short items (`max_item_words`: a
    list of paragraphs is read sentence by sentence), and a list of names (links to
    resources, `_is_name_line`) is no unit. With `steps` (the question asks how something is done), a
    numbered item may run `_STEP_ITEM_SLACK` words longer: a step may take two sentences."""
    units: dict[int, tuple[int, tuple[str, ...]]] = {}
    for i, (start, end) in enumerate(spans):
        lead = text[start:end].rstrip()
        if not _is_lead_in(text, end, lead):
            continue
        items: list[list[str]] = []
        numbered = False
        unit_end = end
        words = len(lead.split())
        for s, e in spans[i + 1 :]:
            prefix = _line_prefix(text, s)
            if _ITEM_MARKER.fullmatch(prefix):
                items.append([])  # a new item
                numbered = numbered or bool(_NUMBERED.fullmatch(prefix))
            elif not (items and _ITEM_MARKER.match(prefix)) or "\n" in text[unit_end:s].strip(" \t"):
                break  # not a list line, or a new paragraph
            elif items[-1] and not re.search(r"[.!?][\"'\u201d\u2019)\]*_]*$", items[-1][-1]):
                break  # a paragraph glued to the last item ("- Dry mouth Treatment focuses on…")
            piece = text[s:e]
            if words + len(piece.split()) > weights.max_unit_words:
                if items and not items[-1]:
                    items.pop()
                break
            items[-1].append(piece)
            words += len(piece.split())
            unit_end = e
        named = sum(_is_name_line(" ".join(item)) for item in items if item)
        # "what is the process of car t": "2. **Change.** In a laboratory, … The changed cells are now called …"
        # (session 35); only then, or the steps outweigh the sentences that answer other CAR-T questions
        longest = weights.max_item_words + (_STEP_ITEM_SLACK if numbered and steps else 0)
        short = all(len(" ".join(item).split()) <= longest for item in items)
        if len(items) >= weights.min_unit_items and named * 2 <= len(items) and short:
            units[i] = (unit_end, (lead, *(" ".join(item).rstrip(" .;,") for item in items if item)))
    return units


# a heading glued to the sentence that repeats it (NCI's pages lost the line break): "Chemotherapy
# Chemotherapy is a cancer treatment…", "Stage II Stage II AIDS-related lymphoma is…"
_REPEATED_HEADING = re.compile(r"((?:[A-Z][\w'()-]*)(?: [\w'()-]+){0,5}) (?=\1\b)")
# the same, the heading spelling out the short form the sentence then uses (session 31): "Chimeric
# antigen receptor (CAR) T-cell therapy CAR T-cell therapy is a type of immunotherapy …", in six NCI
# pages; "Symptoms of Generalized Anxiety Disorder (GAD) GAD develops slowly."
_ABBREVIATED_HEADING = re.compile(
    r"[A-Z][^.!?()\n]{2,60}\((?P<abbr>[A-Z]{2,6})\)(?P<tail>[^.!?()\n]{0,40}?)\s+(?=(?P=abbr)(?P=tail)\b)"
)
# a run-in heading in title case glued to the sentence after it (NIHSeniorHealth's pages lost the line
# breaks): "Psoriasis Triggers These so-called triggers …", "Genes Play a Role No one knows …"
_RUN_IN_HEAD = (  # its words: capitalised, or short lower-case ones between them; the last capitalised
    r"[A-Z][\w'-]*(?: (?:[A-Z][\w'-]*|a|an|and|or|of|the|for|to|in|on|with|your|from|can|take|is|are))*"
    r" [A-Z][\w'-]*"
)
_RUN_IN_HEADING = re.compile(
    _RUN_IN_HEAD + r" (?=(?:These|This|The|No|Some|Many|Most|If|In|A|An|It|People|There|Different|Scientists"
    r"|Doctors|Your|You|Symptoms|Each|When|About|Although|Because|For|Once|Other|Researchers|Several)\b(?! [A-Z]))"
)


# the same in sentence case (NCI's stage and type headings): "Metastatic Ewing sarcoma The cancer has
# spread …", "Progressive hairy cell leukemia In progressive …": a capitalised opener after a lower-case
# word with no stop between them
_RUN_IN_SENTENCE_CASE = re.compile(
    r"[A-Z][\w'()-]*(?: [\w'()-]+){0,6} [a-z][\w'()-]* "
    r"(?=(?:These|This|The|No|Some|Many|Most|If|In|It|People|There|When) [a-z])"
)


@functools.lru_cache(maxsize=512)
def _run_in_before(title: str) -> re.Pattern[str] | None:
    """A title-case run-in heading (`_RUN_IN_HEAD`) before a sentence that opens with its page's
    subject: `title`'s first word of three or more letters, capitalised, and at most one more word
    before a lower-case one ("Affects More Women Than Men Rheumatoid arthritis occurs …", "Types of
    Psoriasis Psoriasis occurs …"); None for a title without such a word."""
    word = next((w for w in re.findall(r"[A-Za-z][\w'-]*", title) if len(w) >= 3), None)
    if word is None:
        return None
    return re.compile(rf"{_RUN_IN_HEAD} (?={re.escape(word[0].upper() + word[1:])}\b(?: [\w'-]+)? [a-z])")


def without_repeated_heading(
    text: str, spans: list[tuple[int, int]], title: str = ""
) -> list[tuple[int, int]]:
    """The sentence spans, each starting after a glued heading: one its own first words repeat, a
    run-in heading in title case (`_RUN_IN_HEADING`, or before the page's subject named as in its
    `title`) or in sentence case (`_RUN_IN_SENTENCE_CASE`)."""
    out = []
    before_subject = _run_in_before(title) if title else None
    for start, end in spans:
        glued = (
            _REPEATED_HEADING.match(text, start, end)
            or _ABBREVIATED_HEADING.match(text, start, end)
            or _RUN_IN_HEADING.match(text, start, end)
            or _RUN_IN_SENTENCE_CASE.match(text, start, end)
            or (before_subject.match(text, start, end) if before_subject else None)
        )
        out.append((glued.end(), end) if glued else (start, end))
    return out


# a sentence that only sends the reader elsewhere answers nothing: "The Lupus Foundation of American has a
# page called Is lupus hereditary? that provides a good overview." had opened "is lupus hereditary"
# (session 38); "For more information, go to …", "See … to learn more …", "See Drugs Approved for … for
# more information.", "Click here to …". Not where to find trials ("Information about clinical trials
# is available from the NCI website."): that answers. `extractive.POINTS_ELSEWHERE` (weighed by
# `w_points_elsewhere`) marks down the wider family of pointing sentences, which may still answer; this
# leaves out only those that say nothing else. (Two patterns for one idea: merging them changes answers
# and needs a full run, left for a later session.)
POINTER = re.compile(
    r"^\W*(for (more|additional|further) information\b|see \S.{0,80}\b(to learn more|for more)\b|click here\b"
    r"|you can find more information\b)|\bhas a page (called|on)\b|\bprovides a good overview\b"
    r"|\bweb ?site offers more (specific )?information\b",
    re.IGNORECASE,
)


def candidates(evidence: list[Evidence], weights: ExtractiveWeights, steps: bool = False) -> list[Candidate]:
    """Every usable sentence of the evidence, once, with its offsets in its document; a lead-in
    followed by a list stands for the lead-in and its items together (`list_units`). Text opening
    with an all-lower-case word ("a low number of white blood cells", a list item whose lead-in is
    not in the chunk) is a fragment and left out (`index.sentences.is_fragment`), as is a sentence that
    only points elsewhere (`POINTER`). `steps`: the question
    asks how something is done (`ASKS_STEPS`), and numbered steps are read as one unit (`list_units`)."""
    seen: set[str] = set()
    found = []
    for rank, ev in enumerate(evidence):
        spans = without_repeated_heading(ev.text, split_sentences(ev.text), ev.title)
        units = list_units(ev.text, spans, weights, steps)
        for i, (start, end) in enumerate(spans):
            sentence = ev.text[start:end]
            words = len(sentence.split())
            parts: tuple[str, ...] = ()
            if i in units:
                end, parts = units[i]
                sentence = f"{parts[0]} {'; '.join(parts[1:])}."
            elif (
                words < weights.min_words
                or words > weights.max_words
                or sentence.rstrip().endswith(
                    ("?", ":")
                )  # a lead-in without its list says nothing (session 44)
                or is_fragment(ev.text, start, end)
                or POINTER.search(sentence)
            ):
                continue
            key = " ".join(sentence.lower().split())
            if key in seen:
                continue
            seen.add(key)
            found.append(Candidate(ev, rank, sentence, ev.start + start, ev.start + end, parts, i))
    return found
