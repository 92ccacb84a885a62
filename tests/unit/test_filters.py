"""Metadata filters become Chroma `where` clauses; bad values are user errors."""

from __future__ import annotations

import pytest

from errors import UserError
from index.schema import date_number
from retriever.filters import Filters, parse_filters


def test_empty_filters_do_not_filter() -> None:
    assert Filters().to_where() is None and Filters().is_empty()


def test_one_filter_is_a_bare_clause() -> None:
    assert Filters(source=["MedPath"]).to_where() == {"source": {"$in": ["MedPath"]}}


def test_topics_match_any_tag_case_insensitively() -> None:
    where = Filters(topic=["Lupus", "CAR-T cell therapy"]).to_where()
    assert where == {
        "$or": [{"topic_tags": {"$contains": "lupus"}}, {"topic_tags": {"$contains": "car-t cell therapy"}}]
    }


def test_date_range_includes_the_whole_last_year_or_month() -> None:
    where = Filters(date_from="2020", date_to="2024-05").to_where()
    assert where == {"$and": [{"date_num": {"$gte": 20200000}}, {"date_num": {"$lte": 20240599}}]}


def test_several_filters_are_all_required() -> None:
    where = Filters(audience="Patient", date_to="2026-11-25").to_where()
    assert where == {"$and": [{"audience_tags": {"$contains": "patient"}}, {"date_num": {"$lte": 20261125}}]}


def test_dates_become_sortable_numbers() -> None:
    assert (date_number("2026-11-25"), date_number("2019"), date_number("n/a")) == (20261125, 20190000, 0)


def test_a_bad_date_is_a_user_error_naming_the_field() -> None:
    with pytest.raises(UserError, match="date_from"):
        parse_filters(date_from="last week")
