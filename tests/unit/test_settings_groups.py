"""Settings grouped by concern: the flat fields and the views by concern carry the same values."""

from __future__ import annotations

import pytest

from index.settings import Settings


def test_every_setting_is_in_one_group_and_its_view_carries_it() -> None:
    settings = Settings(top_k=7, answerer="LLAMACPP", feedback=False, support_cosine=0.6)
    groups = [
        settings.store,
        settings.embedding,
        settings.chunking,
        settings.retrieving,
        settings.screening,
        settings.answering,
        settings.llm_answerer,
        settings.chat,
    ]
    names = [name for group in groups for name in type(group).model_fields]
    assert sorted(names) == sorted(set(Settings.model_fields) - {"support_cosine", "support_overlap"})
    assert (settings.retrieving.top_k, settings.answering.answerer, settings.chat.feedback) == (
        7,
        "llamacpp",
        False,
    )
    assert settings.support.cosine == 0.6


def test_the_flat_environment_variables_still_set_the_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AQA_TOP_K", "12")
    monkeypatch.setenv("AQA_SUPPORT_OVERLAP", "0.5")
    settings = Settings()
    assert (settings.top_k, settings.retrieving.top_k, settings.support.overlap) == (12, 12, 0.5)


def test_a_view_is_frozen() -> None:
    with pytest.raises(ValueError):
        Settings().retrieving.top_k = 3  # type: ignore[misc]
