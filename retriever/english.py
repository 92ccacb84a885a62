"""Everyday English words (pyspellchecker's list), loaded once per process and shared.

The guardrails' shorthand fixer, query spelling correction and the coverage check's test for names
all ask whether a word is English; each used to load its own copy (about 0.2 s each, paid by
whichever question first needed it). `Assistant` warms it on a background thread when it is built."""

from __future__ import annotations

import threading

_lock = threading.Lock()
_words: list[frozenset[str]] = []  # empty until loaded


def english_words() -> frozenset[str]:
    """Every word of the spell checker's English list, lower case."""
    with _lock:  # a question arriving while the warm-up loads waits for it instead of loading again
        if not _words:
            from spellchecker import SpellChecker

            _words.append(frozenset(SpellChecker().word_frequency.dictionary.keys()))
        return _words[0]


def warm_in_background() -> threading.Thread:
    """Load the list on a daemon thread, so that the first question does not wait for it."""
    thread = threading.Thread(target=english_words, name="aqa-english", daemon=True)
    thread.start()
    return thread
