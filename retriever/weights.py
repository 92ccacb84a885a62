"""Every tuned number of the extractive answer choice, as typed, frozen configuration.

The answerer reads them from the `ExtractiveWeights` it is given (`ExtractiveAnswerer(weights=…)`);
the app's answerer (`retriever.answerers`) is given `SHIPPED`, or `load_weights(AQA_ANSWER_WEIGHTS)`
when that setting names a file of changes, and `evaluation.replay` tries others as
`SHIPPED.model_copy(update=…)`. How they were found: docs/answer-choice-history.md.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from errors import UserError


class AudienceWeights(BaseModel):
    """How the audience shapes an extractive answer (retriever.audience)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    patient_max_sentences: int = Field(default=3, description="Most sentences in a patient answer.")
    staff_number_bonus: float = Field(
        default=0.05, description="Added for staff to a sentence that states a figure."
    )
    grade_weight: float = Field(
        default=0.015, description="Patients: subtracted per Flesch-Kincaid grade above grade_target."
    )
    grade_target: float = Field(
        default=8.0, description="Patients: the grade a sentence may have without penalty."
    )
    max_penalty: float = Field(default=0.2, description="Patients: the largest readability penalty.")


class ExtractiveWeights(BaseModel):
    """The extractive answerer's weights and thresholds (retriever.extractive, retriever.candidates)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # evidence sufficiency (the refusal decision): calibrated with min_evidence_score, keep together
    w_sentence: float = Field(
        default=0.55, description="Sufficiency: × the sentence's cosine to the question."
    )
    w_chunk: float = Field(default=0.30, description="Sufficiency: × its chunk's retrieval score.")
    w_terms: float = Field(
        default=0.15, description="Sufficiency: × the share of the question's content words it has."
    )
    w_named: float = Field(
        default=0.25,
        description="Sufficiency and choice: + this for a sentence naming a person or journal the question asks "
        "about (query.asked_names); the embedder knows no names.",
    )

    # the choice score
    w_plain: float = Field(default=0.30, description="× the sentence's cosine to the question.")
    w_titled: float = Field(default=0.30, description="× the cosine of 'title: sentence' to the question.")
    w_chunk_select: float = Field(default=0.40, description="× the retrieval score of the sentence's chunk.")
    w_coverage: float = Field(
        default=0.30, description="× the share of the question's content words in the sentence or its title."
    )
    w_first: float = Field(default=0.05, description="The first sentence of a chunk (often the definition).")
    w_figure: float = Field(
        default=0.05, description="A sentence with a figure, when the question asks how many."
    )
    w_reason: float = Field(
        default=0.05, description="A sentence giving a reason, when the question asks why."
    )
    w_ask: float = Field(
        default=0.15,
        description="A sentence with words of the kind of fact the question asks for (`retriever.coverage."
        "ASKS`: a price, deaths, side effects, a treating specialist, tests, …).",
    )
    keep_pair: int = Field(
        default=1,
        ge=0,
        le=1,
        description="1: a question naming one treatment and a disease ('car t for ms') gets the best kept "
        "sentence naming both when none of its sentences does: first when none names the treatment (CAR-T, "
        "BiTEs, … only), else in place of its last one; 0: not.",
    )
    w_compare: float = Field(
        default=0.15,
        description="A sentence defining one of the things a question compares ('lupus vs RA: what's the "
        "difference?').",
    )
    w_section: float = Field(
        default=0.1,
        description="A sentence of a section whose heading is of the kind the question asks for "
        "(a diagnosis section for 'how is it diagnosed': `retriever.sections`), or a sentence, not a list, "
        "that says it gives that kind ('Symptoms often include …').",
    )
    w_heading: float = Field(
        default=0.1,
        description="A sentence of a section whose heading restates the question ('Who gets rheumatoid "
        "arthritis?' for 'who gets rheumatoid arthritis': `retriever.sections.restates`), when `w_section` "
        "does not lift it already.",
    )
    w_research: float = Field(
        default=-0.1,
        description="A sentence of a section on research or clinical trials ('What research is being "
        "done for …?'), unless the question asks about research, trials or new treatments.",
    )
    w_lead_in: float = Field(
        default=-0.10, description="A lead-in ending in a colon ('These resources address:')."
    )
    w_back_reference: float = Field(
        default=-0.05, description="A sentence opening by pointing back ('It is a type of vasculitis.')."
    )
    w_definition: float = Field(
        default=0.1, description="'what is X?': a sentence that says 'X is a…' (`defines`)."
    )
    w_study_design: float = Field(
        default=-0.2,
        description="A sentence saying how a study was done ('74 patients were assessed…', 'To determine whether…').",
    )
    w_effect: float = Field(
        default=-0.05,
        description="A question asking for a cause: a sentence saying what its subject causes ('Rheumatoid "
        "arthritis is a disease that causes chronic inflammation', `is_effect`).",
    )
    w_points_elsewhere: float = Field(
        default=-0.2,
        description="A sentence saying where to read more ('Medscape Reference has an in-depth review…', "
        "'Learn more about…').",
    )
    w_variant: float = Field(
        default=-0.1,
        description="A sentence about a named form of a disease (lupus nephritis, neonatal lupus, …) that the "
        "question does not ask about.",
    )
    w_other_treatment: float = Field(
        default=-0.1,
        description="When the question asks for a kind of fact about its treatment (a paired ask: a price, a dose, "
        "side effects, …), a sentence naming only other treatments ('CAR-T costs about $500,000', asked what "
        "teclistamab costs; a BiTE is not another treatment than teclistamab).",
    )
    w_other_disease: float = Field(
        default=-0.1,
        description="When the question names a disease (`coverage.DISEASES`), a sentence naming only other "
        "diseases ('Besides lupus, CAR-T therapy is being explored for … myasthenia gravis …', asked what "
        "autoimmune autonomic ganglionopathy does); not when the question asks about other diseases ('besides "
        "lupus what other sicknesses …').",
    )
    w_unanchored: float = Field(
        default=-0.3,
        description="A sentence about 'these medications' (or 'It …') whose chunk, up to it, names none of "
        "the question's words it lacks: 'People taking these medications may have…' on a page about "
        "azathioprine, asked about rituximab.",
    )
    w_unit: float = Field(
        default=0.1, description="A lead-in with its list (a list unit): several facts in short lines."
    )
    w_novel: float = Field(
        default=0.05, description="× the share of content words neither the question nor the titles have."
    )
    novel_cap: int = Field(default=8, description="New content words at which that share is full.")
    follow: float = Field(
        default=0.9, description="A sentence scores at least this share of the one before it in its chunk."
    )
    preselect: int = Field(
        default=10, description="Candidates embedded per answer, the best on the cheap signals."
    )
    w_other_kind: float = Field(
        default=-0.05,
        description="A sentence saying it gives another kind of fact (`sections.kinds_of_sentence`: symptoms, "
        "treatment, diagnosis …) than every kind the question asks: 'Doctors diagnose pemphigus with …' "
        "for 'how do you treat pemphigus'.",
    )
    preselect_follow: int = Field(
        default=4,
        ge=0,
        description="Further candidates embedded, the next best on the cheap signals: they may follow the "
        "answer's first sentence but not be it.",
    )
    audience_scale: float = Field(
        default=1.0, description="× the audience's adjustment (readability, figures)."
    )

    # choosing the answer's sentences
    margin: float = Field(
        default=0.30, description="Sentences this far below the best choice score are off-topic."
    )
    mmr_lambda: float = Field(
        default=0.1, description="× the cosine to the closest chosen sentence, subtracted."
    )
    w_new: float = Field(
        default=0.025, description="× the share of a candidate's content words not yet said."
    )
    redundant_cosine: float = Field(
        default=0.95, description="A candidate this close to a chosen sentence repeats it."
    )
    paraphrase_cosine: float = Field(
        default=0.84,
        description="… as does one this close that states no figure the chosen one lacks (0.88 until session 36).",
    )
    restated_terms: float = Field(
        default=0.6, description="… or one whose figures a chosen one states, sharing this share of words."
    )
    repeated_terms: float = Field(
        default=0.7, description="… or one whose content words a chosen one holds at this share."
    )
    answer_holds: float = Field(
        default=0.8, description="… or one whose content words the chosen ones hold together at this share."
    )
    patient_words: int = Field(
        default=80, description="A patient answer stops before a sentence takes it past this."
    )

    # the trained models (off unless settings turn them on)
    w_lead: float = Field(
        default=0.05, description="× the lead model's logit, added to choose the leading sentence."
    )
    w_reader: float = Field(
        default=0.0,
        description="× the answer reader's softmax over the kept sentences, added to the choice score.",
    )
    w_reader_lead: float = Field(
        default=0.0,
        description="× the answer reader's softmax, added to choose which chosen sentence leads.",
    )
    w_reader_first: float = Field(
        default=0.3,
        description="× the answer reader's softmax, added to choose the first sentence among all kept ones "
        "(the rest are chosen as before); 0: the reader does not choose the first sentence.",
    )
    reader_spares_lists: int = Field(
        default=1,
        description="1: a list unit counts as the reader's best (the reader, trained on sentences, passes over "
        "lists); 0: its own score.",
        ge=0,
        le=1,
    )
    reader_window: float = Field(
        default=0.1,
        description="With w_reader_first: the reader reads only the sentences whose hand score is within this much "
        "of the hand-chosen opener's, its softmax taken over those (w_reader_first − reader_margin: every one that "
        "can overtake it); 0: all.",
    )
    reader_margin: float = Field(
        default=0.1,
        description="With w_reader_first: the reader's pick leads when its blended score beats the hand-chosen "
        "opener's by more than this (the hand score's own best needs lead_margin). Session 17's fact-trained "
        "reader with 0, a window of 0.3 and reader_grade_slack 2 did not ship (docs/notes/2026-12-04-session17.md).",
    )
    reader_max_read: int = Field(
        default=6,
        ge=0,
        description="With reader_window: read at most this many sentences, the hand-chosen opener and those of "
        "highest hand score within the window (about 10 ms each); 0: no cap. Session 47: 6, for the few "
        "questions whose window holds 7–16 (docs/notes/2026-12-08-session47.md).",
    )
    reader_grade_slack: float = Field(
        default=-1.0,
        description="For a patient, the reader's pick leads only when its grade is at most this much above the "
        "larger of audience.grade_target and the hand-chosen opener's grade; negative: no such limit.",
    )
    acts_margin: float = Field(
        default=0.3,
        ge=0,
        description="A question asking how a named treatment works or what it does: when the opener does not "
        "say what the treatment does (names it, or its kind, with a verb such as removes, binds or kills), the "
        "best-scoring sentence that does opens if it scores within this much of the opener, chosen or not "
        "(session 43: 'how does teclistamab help lupus' opened with 'A BiTE called teclistamab has been used "
        "to treat lupus.'). 0: off.",
    )
    lead_margin: float = Field(
        default=0.1,
        description="Without a lead model: the best sentence leads when it scores this much above the "
        "first in reading order.",
    )
    follow_gap: float = Field(
        default=0.15,
        description="With a lead: a sentence this far below its score does not answer. Also how far below a "
        "list a sentence may score and still open a yes-or-no question in its place (`choice._sentence_opener`).",
    )

    # candidates (retriever.candidates)
    min_words: int = Field(default=4, description="Shortest candidate sentence, in words.")
    max_words: int = Field(default=90, description="Longest candidate sentence, in words.")
    max_unit_words: int = Field(default=80, description="Longest list unit (lead-in and items), in words.")
    min_unit_items: int = Field(default=2, description="Fewest items of a list unit.")
    max_item_words: int = Field(
        default=25, description="Longest item of a list unit (longer: read sentence by sentence)."
    )

    audience: AudienceWeights = Field(default_factory=AudienceWeights, description="The audience's shaping.")


SHIPPED = ExtractiveWeights()  # the weights the app answers with


def load_weights(path: Path | None) -> ExtractiveWeights:
    """`SHIPPED` with the changes a JSON file gives (`answer_weights`: {"lead_margin": 0.15, "audience":
    {"patient_max_sentences": 4}}); None: `SHIPPED`. A file that cannot be read, is not JSON, or
    names an unknown field or a bad value is a UserError naming the file and the field."""
    if path is None:
        return SHIPPED
    try:
        changes = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UserError(f"answer weights file '{path}' cannot be read ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise UserError(f"answer weights file '{path}' is not valid JSON ({exc})") from None
    if not isinstance(changes, dict):
        raise UserError(f"answer weights file '{path}' must hold a JSON object of field: value")
    try:
        return ExtractiveWeights.model_validate(_merged(SHIPPED.model_dump(), changes))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors(include_url=False)
        )
        raise UserError(
            f"answer weights file '{path}': {problems} (the fields are those of "
            "retriever/weights.py ExtractiveWeights)"
        ) from None


def _merged(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """`base` with `changes` applied, nested objects (audience) field by field."""
    out = dict(base)
    for key, value in changes.items():
        nested = out.get(key)
        out[key] = _merged(nested, value) if isinstance(nested, dict) and isinstance(value, dict) else value
    return out
