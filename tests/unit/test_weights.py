"""The answer choice's weights are typed configuration: documented, frozen, passed in, one source each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from errors import UserError
from evaluation.replay import changed_weights, parse_changes
from index.settings import Settings
from retriever.answerers import make_answerer
from retriever.extractive import ExtractiveAnswerer
from retriever.weights import SHIPPED, AudienceWeights, ExtractiveWeights, load_weights


@pytest.mark.parametrize("model", [ExtractiveWeights, AudienceWeights])
def test_every_weight_says_what_it_means(model: type[ExtractiveWeights | AudienceWeights]) -> None:
    assert all(field.description for field in model.model_fields.values())


def test_weights_cannot_be_changed_in_place_or_misspelt() -> None:
    with pytest.raises(ValidationError):
        SHIPPED.margin = 0.2  # type: ignore[misc]
    with pytest.raises(ValidationError):
        ExtractiveWeights(marging=0.2)  # type: ignore[call-arg]


def test_the_answerer_defaults_are_the_settings_defaults() -> None:
    settings = Settings()
    answerer = ExtractiveAnswerer(embedder=None)  # type: ignore[arg-type]
    assert answerer.max_sentences == settings.max_answer_sentences
    assert answerer.min_score == settings.min_evidence_score
    assert answerer.staff_extra_sentences == settings.staff_extra_sentences
    assert answerer.use_lead_model == settings.lead_model
    assert answerer.weights is SHIPPED


def test_replay_names_are_the_fields_in_upper_case() -> None:
    names = [n.upper() for n, f in ExtractiveWeights.model_fields.items() if f.annotation in (int, float)]
    names += [n.upper() for n in AudienceWeights.model_fields]
    changes = parse_changes([f"{name}=1" for name in names])
    assert set(changes) == set(names)
    assert parse_changes(["W_CHUNK_SELECT=0.3", "PATIENT_MAX_SENTENCES=5"]) == {
        "W_CHUNK_SELECT": 0.3,
        "PATIENT_MAX_SENTENCES": 5,
    }
    for bad in ["AUDIENCE=1", "w_chunk_select=0.3", "MAX_EXPLANATIONS=1", "PRESELECT=1.5"]:
        with pytest.raises(UserError):
            parse_changes([bad])


def test_a_replay_change_is_a_new_weights_object() -> None:
    changed = changed_weights({"W_CHUNK_SELECT": 0.3, "PATIENT_MAX_SENTENCES": 5})
    assert (changed.w_chunk_select, changed.audience.patient_max_sentences) == (0.3, 5)
    assert (SHIPPED.w_chunk_select, SHIPPED.audience.patient_max_sentences) == (0.4, 3)
    assert changed_weights({}) == SHIPPED


def test_a_weights_file_changes_the_named_fields_only(tmp_path: Path) -> None:
    path = tmp_path / "weights.json"
    path.write_text(json.dumps({"lead_margin": 0.15, "audience": {"patient_max_sentences": 4}}))
    weights = load_weights(path)
    assert (weights.lead_margin, weights.audience.patient_max_sentences) == (0.15, 4)
    assert weights.audience.grade_target == SHIPPED.audience.grade_target and weights.margin == SHIPPED.margin
    assert load_weights(None) is SHIPPED
    assert make_answerer(Settings(answer_weights=path)).weights == weights  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ('{"lead_margn": 0.15}', "lead_margn: Extra inputs are not permitted"),
        ('{"audience": {"patient_max_sentences": "many"}}', "audience.patient_max_sentences"),
        ("[0.1]", "must hold a JSON object"),
        ("{lead_margin: 0.1", "is not valid JSON"),
        (None, "cannot be read"),
    ],
)
def test_a_bad_weights_file_names_itself_and_the_field(
    tmp_path: Path, content: str | None, says: str
) -> None:
    path = tmp_path / "weights.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(UserError) as caught:
        load_weights(path)
    assert str(path) in str(caught.value) and says in str(caught.value)
