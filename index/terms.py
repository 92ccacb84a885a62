"""Content words of a question or a passage: shared by BM25, reranking and sentence scoring."""

from __future__ import annotations

import functools
import re
import unicodedata

STOPWORDS = frozenset(
    """a about after again all also am an and any are as at be because been before being between both but
    by can could did do does doing done during each for from further had has have having he her here
    hers him his how i if in into is it its itself just me more most my no nor not now of off on once
    only or other our out over own same she should so some such than that the their them then there
    these they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours tell know please explain much many get got thing things""".split()  # noqa: SIM905 - a word list reads best as words
)


def fold(text: str) -> str:
    """Lower case with accents folded: "Sjögren" → "sjogren", "Müller" → "muller"."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def without_accents(text: str) -> str:
    """Lower case with accented letters plain ("Müller" → "muller"); other characters as they are
    (a curly apostrophe still parts words, unlike in `fold`). Plain ASCII, most text here, is only
    lower-cased: decomposing it changes nothing, and the per-letter pass took an eighth of a warm
    `ask` (session 37 profile)."""
    if text.isascii():
        return text.lower()
    return "".join(ch for ch in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(ch))


# contractions typed without the apostrophe (and MedQuAD's pages, which lost theirs: "cant be cured")
CONTRACTIONS = frozenset(
    """cant isnt dont doesnt didnt wont wouldnt shouldnt couldnt arent wasnt werent hasnt havent hadnt
    mustnt im ive youre youve theyre theyve weve thats whats hows whos wheres whys heres theres""".split()  # noqa: SIM905
)
# what an apostrophe leaves: "Sjögren's" → "s", "don't" → "don" and "t", "I'm" → "m"
_APOSTROPHE = re.compile(r"\b[a-z]+n['\u2019]t\b|['\u2019](?:s|m|ve|re|ll|d)\b")


def content_terms(text: str) -> set[str]:
    """Lower-cased content words, accents dropped, with a plural 's' removed: the question's terms to
    look for ("fabian muller" finds "Fabian Müller"). Contractions are no content words: "'s", "'m",
    "'ve", "'re", "'ll" and "'d" go, a word with "n't" goes whole, and "cant", "im", "whats" typed
    without the apostrophe are stopwords (`CONTRACTIONS`); "car t" and "b cells" keep their letter.
    The same passages are read many times per question (coverage, holds, fuzzy matching), so the
    words are kept per text (`_content_terms`) and each caller gets its own set."""
    return set(_content_terms(text))


@functools.lru_cache(maxsize=32768)
def _content_terms(text: str) -> frozenset[str]:
    words = re.findall(r"[a-z0-9][a-z0-9\-]*", _APOSTROPHE.sub(" ", without_accents(text)))
    return frozenset(
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
        for w in words
        if w not in STOPWORDS and w not in CONTRACTIONS
    )


def hyphens_apart(text: str) -> str:
    """The text, then again with its hyphens as spaces, so that a hyphenated word also counts by its
    parts: "CAR T-cell" → "CAR T-cell CAR T cell" ("CAR-T" has the "car" and "t" of "car t")."""
    return f"{text} {text.replace('-', ' ')}" if "-" in text else text


def term_coverage(question_terms: set[str], sentence: str) -> float:
    if not question_terms:
        return 0.0
    return len(question_terms & content_terms(sentence)) / len(question_terms)


@functools.lru_cache(maxsize=8192)
def _one_letter_dropped(word: str) -> frozenset[str]:
    return frozenset(word[:i] + word[i + 1 :] for i in range(len(word)))


@functools.lru_cache(maxsize=8192)
def _dropped_forms(passage: str) -> frozenset[str]:
    """Every word of five or more letters of the passage with one letter dropped (kept per passage)."""
    return frozenset(d for w in _content_terms(passage) if len(w) >= 5 for d in _one_letter_dropped(w))


def fuzzy_coverage(question_terms: set[str], passage: str) -> float:
    """Like `term_coverage`, but a question word of five or more letters also matches a passage word
    that is the same with one letter dropped on either side: a mangled "Sjgren" for "sjogren", or
    a slip like "rhematoid" for "rheumatoid"."""
    if not question_terms:
        return 0.0
    found = _content_terms(passage)
    dropped = _dropped_forms(passage)
    hits = 0
    for term in question_terms:
        if term in found or (
            len(term) >= 5 and (term in dropped or not _one_letter_dropped(term).isdisjoint(found))
        ):
            hits += 1
    return hits / len(question_terms)
