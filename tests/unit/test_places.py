"""Places a question asks "in", and whether a passage mentions them (`retriever.places`)."""

from __future__ import annotations

from retriever.coverage import unmentioned_regions
from retriever.places import display, mentioned, places_named


def test_a_place_is_named_after_in_near_or_from() -> None:
    assert places_named("is lupus more common in california") == ["california"]
    assert places_named("car t trials near new york") == ["new york"]
    assert places_named("how many people in the us have lupus") == ["the us"]
    assert places_named("car t at washington university") == []  # an institution, not asked "in"
    assert places_named("is there a trial in washington university hospital") == []
    assert places_named("what is lupus") == []


def test_a_passage_mentions_a_place_by_its_name_or_a_word_for_it() -> None:
    assert mentioned("the us", "in the united states, about 1 in 2,000")
    assert mentioned("germany", "a german study of five patients")
    assert not mentioned("california", "lupus is more common in women")
    assert display("the us") == "the US" and display("new york") == "New York"


def test_a_region_no_passage_mentions_is_named() -> None:
    # session 41: "is lupus more common in california" got who gets lupus in general
    lupus = ["Among women, lupus is more common in those who are African American or Hispanic."]
    assert unmentioned_regions("is lupus more common in california", lupus) == ["California"]
    assert unmentioned_regions("is lupus more common in africa", lupus) == []  # "African American"
    assert unmentioned_regions("is lupus more common in women", lupus) == []
