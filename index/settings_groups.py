"""Settings grouped by concern: small typed, frozen views of `Settings` that the code is given."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


def same_as(group: type[BaseModel], name: str) -> Any:
    """The group's field (default, bounds, description) for the flat setting that feeds it, so the
    number is written once."""
    return group.model_fields[name]


class SupportThresholds(BaseModel):
    """When a cited quote supports an answer sentence (retriever.citecheck): the app's citation check
    and the evaluator's support criterion judge with the same object."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    cosine: float = Field(
        default=0.70,
        ge=-1,
        le=1,
        description="A quote supports a sentence at this embedding cosine (or the overlap below).",
    )
    overlap: float = Field(
        default=0.75, ge=0, le=1, description="… or when it holds this share of the sentence's content words."
    )
