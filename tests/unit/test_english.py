"""The shared English word list: one load per process, warmed in the background."""

from __future__ import annotations

from retriever.english import english_words, warm_in_background


def test_english_words_hold_everyday_words_and_not_brand_names() -> None:
    words = english_words()
    assert {"price", "foamy", "eligibility", "hospital"} <= words
    assert "skyrizi" not in words


def test_the_warm_up_loads_the_list_every_caller_then_shares() -> None:
    warm_in_background().join(timeout=60)
    assert english_words() is english_words()
