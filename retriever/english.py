"""Everyday English words (pyspellchecker's list), loaded once per process and shared.

The guardrails' shorthand fixer, query spelling correction and the coverage check's test for names
all ask whether a word is English; each used to load its own copy (about 0.2 s each, paid by
whichever question first needed it). `Assistant` warms it on a background thread when it is built."""

from __future__ import annotations

import threading
from collections.abc import Container

_lock = threading.Lock()
_words: list[frozenset[str]] = []  # empty until loaded


def english_words() -> frozenset[str]:
    """Every word of the spell checker's English list, lower case."""
    with _lock:  # a question arriving while the warm-up loads waits for it instead of loading again
        if not _words:
            from spellchecker import SpellChecker

            _words.append(frozenset(SpellChecker().word_frequency.dictionary.keys()))
        return _words[0]


def swapped(word: str, known: Container[str]) -> str | None:
    """The first word of `known` that `word` becomes with two neighbouring letters swapped ("wrok" →
    "work"), else None: the commonest slip of a fast typist, too far from the word for a ratio test."""
    for i in range(len(word) - 1):
        if word[i] != word[i + 1]:
            candidate = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            if candidate in known:
                return candidate
    return None


def sounded(word: str, known: Container[str]) -> str | None:
    """The first word of `known` that `word` becomes with one "f" written "ph" ("nefritis" →
    "nephritis"), else None: a slip by sound, which the ratio test sends elsewhere ("neuritis")."""
    for i, letter in enumerate(word):
        if letter == "f":
            candidate = f"{word[:i]}ph{word[i + 1 :]}"
            if candidate in known:
                return candidate
    return None


def warm_in_background() -> threading.Thread:
    """Load the list on a daemon thread, so that the first question does not wait for it."""
    thread = threading.Thread(target=english_words, name="aqa-english", daemon=True)
    thread.start()
    return thread
