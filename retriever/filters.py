"""Metadata filters (source, topic, audience, date range) → a Chroma `where`, applied to both retrievers."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from errors import UserError
from index.schema import date_number


class Filters(BaseModel):
    """What the evidence may come from. Empty fields do not filter."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: list[str] = Field(default_factory=list, description="Exact `source` values, any of them.")
    topic: list[str] = Field(default_factory=list, description="Topic tags (case-insensitive), any of them.")
    audience: str | None = Field(None, description="Documents written for this audience (patient, staff).")
    date_from: str | None = Field(
        None, description="Documents dated on or after (YYYY, YYYY-MM or YYYY-MM-DD)."
    )
    date_to: str | None = Field(None, description="Documents dated on or before.")

    @field_validator("date_from", "date_to")
    @classmethod
    def _date(cls, value: str | None) -> str | None:
        if value and not date_number(value):
            raise ValueError("use YYYY, YYYY-MM or YYYY-MM-DD")
        return value

    def is_empty(self) -> bool:
        return not (self.source or self.topic or self.audience or self.date_from or self.date_to)

    def to_where(self) -> dict[str, Any] | None:
        clauses: list[dict[str, Any]] = []
        if self.source:
            clauses.append({"source": {"$in": list(self.source)}})
        if self.topic:
            tags = [{"topic_tags": {"$contains": t.strip().lower()}} for t in self.topic]
            clauses.append(tags[0] if len(tags) == 1 else {"$or": tags})
        if self.audience:
            clauses.append({"audience_tags": {"$contains": self.audience.strip().lower()}})
        if self.date_from:
            clauses.append({"date_num": {"$gte": date_number(self.date_from)}})
        if self.date_to:
            to = date_number(self.date_to)
            # a bare year or month includes its whole span
            to += 9999 if to % 10000 == 0 else 99 if to % 100 == 0 else 0
            clauses.append({"date_num": {"$lte": to}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def parse_filters(**values: Any) -> Filters:
    """Filters from CLI or API values; a bad value is a UserError naming the field."""
    try:
        return Filters(**{k: v for k, v in values.items() if v not in (None, [], "")})
    except ValidationError as exc:
        first = exc.errors()[0]
        field = first["loc"][0] if first["loc"] else "filters"
        raise UserError(f"filter '{field}': {first['msg']}; fix that value") from None
