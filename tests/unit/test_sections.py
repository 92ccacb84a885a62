"""The kinds of section a question asks for and a heading opens (retriever/sections.py)."""

from __future__ import annotations

import pytest

from retriever.sections import kinds_asked, kinds_of_heading


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("how do they diagnose myasthenia gravis", {"diagnosis"}),
        ("what blood tests do they do to check for rheumatoid arthritis", {"diagnosis"}),
        ("how do i know if i have lupus", {"diagnosis"}),
        ("what does car t do to b cells", set()),
    ],
)
def test_a_question_asks_for_a_kind_of_section(question: str, kinds: set[str]) -> None:
    assert kinds_asked(question) == kinds


def test_a_heading_opens_a_kind_of_section() -> None:
    assert kinds_of_heading("How to diagnose Myasthenia Gravis?") == {"diagnosis"}
    assert kinds_of_heading("How is lupus nephritis diagnosed?") == {"diagnosis"}
    assert kinds_of_heading("What are the treatments for Myositis?") == set()
    assert kinds_of_heading("") == set()  # a chunk with a title only
