"""Spelling normalisation for the checks before retrieval: lower case, straight apostrophes, typed
shorthand expanded ("cant" → "can't", "rn" → "right now") and misspelt sign words corrected (a typo
table, then the closest sign word for a word the English dictionary does not know)."""

from __future__ import annotations

import difflib
import re

from retriever.english import english_words

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
# Spellings people type, mapped to the words the patterns below look for.
_TYPOS = {
    "cant": "can't",
    "cnt": "can't",
    "carnt": "can't",
    "couldnt": "couldn't",
    "dont": "don't",
    "doesnt": "doesn't",
    "wont": "won't",
    "isnt": "isn't",
    "im": "i'm",
    "ive": "i've",
    "id": "i'd",
    "hes": "he's",
    "shes": "she's",
    "theyre": "they're",
    "u": "you",
    "ur": "your",
    "rn": "right now",
    "pls": "please",
    "plz": "please",
    "wanna": "want to",
    "gonna": "going to",
    "breath": "breathe",  # "I can't breath"; the noun reads the same to the patterns
    "breth": "breathe",
    "brethe": "breathe",
    "breeth": "breathe",
    "breathin": "breathing",
    "brething": "breathing",
    "breating": "breathing",
    "pian": "pain",
    "cheast": "chest",
    "chset": "chest",
    "feaver": "fever",
    "fevr": "fever",
    "fver": "fever",
    "siezure": "seizure",
    "seizur": "seizure",
    "siezing": "seizing",
    "unconcious": "unconscious",
    "concious": "conscious",
    "sucidal": "suicidal",
    "suicidle": "suicidal",
    "suacidal": "suicidal",
    "bleading": "bleeding",
    "bledding": "bleeding",
    "fanted": "fainted",
    "fainded": "fainted",
    "passd": "passed",
    "throught": "throat",
    "throut": "throat",
    "trhoat": "throat",
    "swolen": "swollen",
    "swollowing": "swallowing",
    "swollow": "swallow",
    "confussed": "confused",
    "confuesd": "confused",
    "tempreture": "temperature",
    "temprature": "temperature",
    "infussion": "infusion",
    "infuson": "infusion",
    "alive.": "alive",
}
# Unknown words are corrected to the closest of these (difflib, cutoff 0.8).
_SIGN_WORDS = """breathe breathing chest pain pressure fever temperature seizure seizures seizing convulsing
    unconscious unresponsive fainted fainting collapsed suicidal suicide bleeding throat swallow swallowing
    swollen swelling confused confusion disoriented anaphylaxis anaphylactic infusion drooping slurred
    husband daughter""".split()  # noqa: SIM905 - a word list reads best as words


def straight_apostrophes(text: str) -> str:
    """The text with curly quotes, backticks and acute accents as straight apostrophes."""
    return text.translate(_APOSTROPHES)


def normalise(text: str) -> str:
    """Lower case, straight apostrophes, one space; typed shorthand and misspelt sign words corrected."""
    words = re.findall(r"[a-z0-9][a-z0-9'.,%°\-]*|[?!]", straight_apostrophes(text).lower())
    known = english_words()  # only words outside English are corrected
    fixed = []
    for word in words:
        core = word.rstrip(".,")
        tail = word[len(core) :]
        if core in _TYPOS:
            core = _TYPOS[core]
        elif len(core) >= 5 and core.isalpha() and core not in known:
            close = difflib.get_close_matches(core, _SIGN_WORDS, n=1, cutoff=0.8)
            if close:
                core = close[0]
        fixed.append(core + tail)
    return " ".join(fixed)
