"""Sentence spans with character offsets, shared by the chunker and the extractive answerer."""

from __future__ import annotations

import re

# Words whose trailing period does not end a sentence.
_ABBREVIATIONS = {
    "e.g",
    "i.e",
    "dr",
    "mr",
    "mrs",
    "ms",
    "prof",
    "vs",
    "etc",
    "al",
    "fig",
    "approx",
    "no",
    "st",
    "u.s",
    "u.k",
    "jr",
    "sr",
    "inc",
    "ltd",
    "co",
    "mt",
    "ca",
    "cf",
    "resp",
    "min",
    "max",
    "vol",
}
# A sentence ends at . ! or ? (with any closing quotes or brackets) before a space and a capital or a
# digit, which may come after an opening quote or bracket, or after Markdown bold or emphasis
# ("…the skin. **Diffuse** scleroderma…").
# A footnote number glued to the period ("…or a kidney transplant.3 Scientists cannot…", as NIH
# pages print references) ends the sentence too, and belongs to neither sentence.
_END = re.compile(
    r"[.!?](?:[\"'\u201d\u2019)\]]*)(?P<note>(?<=[a-z]\.)\d{1,2})?"
    r"(?=\s+(?:\*\*|__|\*|_)?[\"'\u201c\u2018(\[]?[A-Z0-9])"
)
LIST_MARKER = re.compile(r"^\s*(?:[-*+\u2022]|\d{1,3}[.)])\s+")
_TERMINAL = ".!?:;"

# words no sentence ends on ("The most common symptoms of lupus are"): what follows finishes it
NEVER_FINAL = (
    *("include", "includes", "including", "are", "is", "were", "was", "the", "a", "an", "of", "by"),
    *("from", "for", "to", "with", "as", "like", "following", "such"),
)


def ends_on(words: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern for text whose last word is one of `words` (any case)."""
    return re.compile(rf"\b({'|'.join(words)})$", re.IGNORECASE)


# MedlinePlus pages lost the line break after a list's last item: "- Dry mouth Treatment focuses on
# relieving symptoms. NIH: …". Where the item's words (a phrase: no punctuation, no verb like "can"
# or "is") meet a capitalised word that opens a sentence another follows, a paragraph begins.
_GLUE = re.compile(r"(?<=[A-Za-z)\"'\u201d\u2019]) (?=[A-Z][a-z'\u2019]+ [a-z])")
_GLUE_AUX = re.compile(
    r"\b(can|may|might|could|should|will|would|must|do|does|did|is|are|was|were|has|have|had)\b", re.I
)
_GLUE_OPEN = ends_on(  # the phrase goes on after these: "a rash on the", "caused by", "such as"
    (*NEVER_FINAL, "be", "in", "on", "and", "or", "when", "if", "than", "about", "at", "into", "your", "my")
    + ("his", "her", "their", "its", "our", "that", "which", "who", "called", "named", "after", "before")
    + ("during", "until", "since", "because", "while", "where", "how", "what", "why")
)


def _glued_paragraph(item: str) -> int | None:
    """Where a paragraph glued to a list item starts (an offset in `item`, the text after its marker),
    or None: "Dry mouth Treatment focuses on relieving symptoms. NIH: …" → the offset of "Treatment";
    not "Johns Hopkins Vasculitis Center: …" nor "Signs of childhood Hodgkin lymphoma include…"."""
    for match in _GLUE.finditer(item):
        before, after = item[: match.start()], item[match.end() :]
        if re.search(r"[.!?:;]", before) or _GLUE_AUX.search(before):
            return None  # the item is a sentence of its own
        words = before.split()
        if (len(words) > 1 and words[-1][:1].isupper()) or _GLUE_OPEN.search(before):
            continue  # a name or a phrase goes on: "Johns Hopkins", "pain in the Jaw"
        first = _END.search(after)  # a sentence that another follows
        if not first or len(after[: first.start()].split()) < 4:
            return None
        return match.end()
    return None


def _line_spans(text: str) -> list[tuple[int, int]]:
    """Logical lines: a hard-wrapped line is joined with the next when the next starts in lower case."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            spans.append((start, start))  # a blank line always breaks
            continue
        stripped = line.lstrip()
        if (
            spans
            and spans[-1][1] > spans[-1][0]
            and text[spans[-1][1] - 1] not in _TERMINAL
            and stripped[:1].islower()
            and not LIST_MARKER.match(line)
        ):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return [(s, e) for s, e in spans if e > s]


def _is_abbreviation(text: str, dot: int) -> bool:
    word = re.search(r"([A-Za-z][A-Za-z.]*)$", text[max(0, dot - 12) : dot])
    if not word:
        return False
    raw = word.group(1).rstrip(".")
    token = raw.lower()
    start = max(0, dot - 12) + word.start(1)
    if start > 0 and text[start - 1] in "-/":  # "CAR-T." ends a sentence; "J." or "e.g." do not
        return False
    if len(raw) > 1 and raw.isupper() and "." not in raw:  # "MS." and "CO." are acronyms, not "Ms." or "Co."
        return False
    if token == "no":  # "No. 5" is a number; "No. Most people…" answers a question
        return bool(re.match(r"\s*\d", text[dot + 1 :]))
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """(start, end) spans of sentences in `text`, shifted by `offset`, trimmed, list markers left out."""
    spans: list[tuple[int, int]] = []
    for line_start, line_end in _line_spans(text):
        line = text[line_start:line_end]
        marker = LIST_MARKER.match(line)
        cursor = marker.end() if marker else 0
        glued = _glued_paragraph(line[cursor:]) if marker else None
        if glued is not None:  # the item, then the paragraph glued to it
            spans.append((line_start + cursor, line_start + cursor + glued))
            cursor += glued
        for match in _END.finditer(line):
            if match.start() < cursor:
                continue
            if line[match.start()] == "." and _is_abbreviation(line, match.start()):
                continue
            end = match.start("note") if match.group("note") else match.end()
            spans.append((line_start + cursor, line_start + end))
            cursor = match.end()
        spans.append((line_start + cursor, line_end))
    trimmed: list[tuple[int, int]] = []
    for start, end in spans:
        piece = text[start:end]
        left = len(piece) - len(piece.lstrip())
        right = len(piece.rstrip())
        if right > left:
            trimmed.append((offset + start + left, offset + start + right))
    return trimmed


# a span ending without punctuation on a word no sentence ends on leads into what follows it ("The
# most common symptoms of Crohns disease are", its list left in the next chunk)
_DANGLING = ends_on(NEVER_FINAL)
# a table flattened into one line: NIH GARD's "Signs and Symptoms Approximate number of patients (when
# available) Abdominal pain 90% …" (the Human Phenotype Ontology's list, 64 of the shared pages)
_FLAT_TABLE = re.compile(r"Approximate number of patients \(when available\)", re.IGNORECASE)
# … and such a table cut below its header by the chunker: "7.5% Osteolysis 7.5% Osteomyelitis 7.5% …"
# (three or more; over the shared pages and the 16k MedQuAD answers no prose sentence has three)
_TABLE_ROW = re.compile(r"\b\d+(?:\.\d+)?%\s+(?!CI\b)[A-Z]")
# how to read that table, in the same fixed sentences on every NIH GARD page that has one (each
# 2,171–2,243 times in the 16k MedQuAD answers): nothing about the disease
_TABLE_APPARATUS = re.compile(
    r"(You can use the MedlinePlus Medical Dictionary|Much of this information comes from Orphanet"
    r"|The frequency of a sign or symptom is|The frequency may also be listed|The first number of the fraction"
    r"|For example, a frequency of \d+/\d+|Because these frequencies are based|Sometimes, no information on frequency"
    r"|In these cases, the sign or symptom may be rare or common|If the information is available, the table below"
    r"|The Human Phenotype Ontology (provides the following list|\(HPO\) has collected))",
    re.IGNORECASE,
)
_BOLD_LABEL = re.compile(r"(?:\*\*|__)[^*_\n]+(?:\*\*|__)")
_CLOSED = re.compile(r"[.!?][\"'\u201d\u2019)\]*_]*$")


def is_table_text(sentence: str) -> bool:
    """Is the sentence a flattened symptom table (with its header, or cut below it) or one of the fixed
    sentences that explain how to read one? Neither says anything about the disease in prose."""
    sentence = sentence.strip()
    return bool(
        _FLAT_TABLE.search(sentence)
        or len(_TABLE_ROW.findall(sentence)) >= 3
        or _TABLE_APPARATUS.match(sentence)
    )


def without_tables(text: str) -> str:
    """`text` less its symptom-table sentences (`is_table_text`): what a check of the evidence's words
    should read ("7.5% Feeding difficulties in infancy" says nothing about children with lupus)."""
    sentences = [text[a:b] for a, b in split_sentences(text)]
    kept = [sentence for sentence in sentences if not is_table_text(sentence)]
    return text if len(kept) == len(sentences) else " ".join(kept)


def _opens_inside_brackets(sentence: str) -> bool:
    """Does a closing bracket come before any opening one? The tail of a sentence the chunker cut:
    "4.53; 95% CI 1.61, 12.79; P = 0.004)." (over the chunks retrieved for every gold set, only such
    tails)."""
    depth = 0
    for char in sentence:
        depth += (char in "([") - (char in ")]")
        if depth < 0:
            return True
    return False


def is_fragment(text: str, start: int, end: int) -> bool:
    """Is text[start:end] no sentence to quote on its own? A heading line; a bold label alone
    ("**Fatigue.**"); a lead-in whose list is not with it, ending on a word no sentence ends on
    ("The most common symptoms of Crohns disease are"); a table flattened into a line (with its
    header or cut below it: "7.5% Osteolysis 7.5% Osteomyelitis 7.5% …"), its footnote ("*Most of
    these foods can be found gluten-free.") or the sentences that say how to read it ("For example, a
    frequency of 25/25 means…"); or a line (most often a list item) that is a name with its
    description ("**CLIPPERS**, an inflammatory disease…") or has no closing punctuation ("Acetaminophen
    and ibuprofen", "steroids;", "The following stages are used:"): quoted without the lead-in its list
    hangs from, it reads as a sentence it is not. A chunk that starts inside a list has no marker
    before its first item, so any line counts, not only marked ones. An item that opens with a whole
    sentence ("**Rest.** NINDS names rest…") or defines its label ("**Remission:** a period when
    symptoms improve") stays. So does nothing whose first word is all lower case: a list item cut
    from its lead-in ("a low number of white blood cells" in another chunk), or a split mid-sentence
    ("itching", "a physical exam"); "mRNA", "iPS cells" and "p-ANCA" keep their capitals and stay."""
    sentence = text[start:end].strip()
    first = sentence.split(maxsplit=1)[0] if sentence else ""
    if first[:1].islower() and first == first.lower():
        return True
    if _DANGLING.search(sentence) or _opens_inside_brackets(sentence):
        return True
    if is_table_text(sentence):
        return True  # a flattened table, or "For example, a frequency of 25/25 means that…"
    if sentence.startswith("*") and not sentence.startswith("**"):
        return True  # a table's footnote ("*Most of these foods can be found gluten-free.")
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start : len(text) if line_end < 0 else line_end]
    if line.lstrip().startswith("#"):
        return True
    label = _BOLD_LABEL.match(sentence)
    if label and not sentence[label.end() :].strip(" .:;,"):
        return True
    marker = LIST_MARKER.match(line)
    if line_start + (marker.end() if marker else len(line) - len(line.lstrip())) != start:
        return False  # not the opening of its line
    if label and sentence[label.end() : label.end() + 1] == "," and "," not in sentence[label.end() + 1 :]:
        return True  # "**CLIPPERS**, an inflammatory disease…", not "**Steroids**, such as X, reduce…"
    return not _CLOSED.search(sentence)
