"""Dosing sentences: found (`is_dosing_text`) and blanked out of the evidence for a personal question;
instructions to stop or start a medicine (`tells_to_stop_or_start`) blanked out for every patient."""

from __future__ import annotations

import re
from collections.abc import Callable

from index.sentences import split_sentences
from retriever.types import Evidence

_DOSE = re.compile(
    r"\b\d+(?:[.,]\d+)?\s?(?:-|to|–)?\s?(?:\d+(?:[.,]\d+)?\s?)?(?:mg|milligrams?|mcg|micrograms?|µg|g/day|"
    r"mg/kg|mg/m2|units?/kg|iu)\b",
    re.I,
)
_INSTRUCTION = re.compile(
    r"\b(do not|don't|never|should|must|always|need to|have to) (stop|start|skip|change|double|take|miss|"
    r"increase|decrease|lower|raise|continue|keep)\b"
    r"|\b(should|must|needs? to|has to|have to|is to|are to|ought to)( also| not| never| still| then| always)? be "
    r"(started|stopped|continued|kept|taken|given|prescribed|avoided|increased|decreased|reduced|lowered|"
    r"raised|doubled|discontinued|withdrawn|tapered|restarted|resumed|used)\b"
    r"|\b(stop|start|keep|continue|begin) (taking|using)\b|\bkept going\b"
    r"|\b(are|is) (advised|told|recommended) to (start|stop|keep|take|continue|avoid)\b"
    r"|\bdose (is|was|should be) (increased|reduced|lowered|raised|doubled|tapered)\b"
    r"|\btaper(ed|ing)? (off|down)\b"
    # cutting back: "cutting back on prednisone slowly", "lowering the prednisone dose slowly", "medicines
    # can be stopped", "weaned off steroids", "stopping it all at once"
    r"|\b(cut|cuts|cutting) (back|down)\b|\bwean(s|ed|ing)? (off|from)\b"
    r"|\b(lower|lowers|lowered|lowering|lowest|reduc(e|es|ed|ing)|decreas(e|es|ed|ing)|rais(e|es|ed|ing)|"
    r"increas(e|es|ed|ing)|adjust(s|ed|ing)?|taper(s|ed|ing)?|halv(e|es|ed|ing)|doubl(e|es|ed|ing)) (the |a |its |"
    r"their |your |his |her )?(\w+ ){0,2}(dose|doses|dosage)\b"
    r"|\b(dose|doses|dosage)\b.{0,30}\b(is|are|was|were|be|being)( \w+){0,2} (increased|reduced|lowered|raised|"
    r"doubled|tapered|adjusted|decreased|halved|cut)\b"
    r"|\b(can|may|could|might|will) be (stopped|started|reduced|tapered|discontinued|withdrawn|restarted|lowered|"
    r"increased|decreased)\b"
    r"|\b(stop|stops|stopping|stopped) (it|them|\w+) (suddenly|abruptly|all at once|gradually|slowly)\b",
    re.I,
)
# how much or how often without a number: "a short course of high dose steroids", "a low dose of oral
# steroids", "twice a day"
_REGIMEN = re.compile(
    r"\b(high|higher|low|lower|large|larger|small|smaller|maximum|starting|maintenance|loading|usual|daily|"
    r"weekly)[- ]dos(e|es|ed|ing|age)\b|\bshort course\b|\b(once|twice|three times|four times|\d+ times) (a|per|"
    r"each) (day|week|month)\b|\bevery (\d+|two|three|four|six|other) (hours?|days?|weeks?|months?)\b",
    re.I,
)


# an instruction to the reader to stop or start a medicine: "Stop your anti-thyroid medication and call
# your health care provider right away if …" (NIDDK's Graves disease page); a patient is never told to
# stop or start one, whatever the question (session 33)
_TELLS_TO_STOP = re.compile(
    r"^\W*(?:stop|start|quit|skip|double)\s+(?:taking\s+|using\s+)?"
    r"(?:your|the|this|these|any|all)\b[^.;]{0,40}?\b(?:medicines?|medications?|drugs?|pills?|doses?|treatments?)\b"
    r"|\byou (?:should|must|need to|have to) (?:stop|start|quit|skip|double) (?:taking |using )?(?:your|the|this|these|it)\b",
    re.I,
)


def tells_to_stop_or_start(sentence: str) -> bool:
    """Does the sentence tell the reader to stop or start a medicine ("Stop your anti-thyroid
    medication …")? Not a fact about what people do ("Lupus patients usually need to taper off …"), nor
    "Do not stop your medicines without talking to your doctor"."""
    return bool(_TELLS_TO_STOP.search(sentence))


def redact_instructions(evidence: list[Evidence]) -> list[Evidence]:
    """The evidence with the sentences telling the reader to stop or start a medicine blanked out
    (offsets kept), for a patient's answer."""
    return _redacted(evidence, tells_to_stop_or_start)


def is_dosing_text(sentence: str) -> bool:
    """A sentence with a dose ("15 mg", "500 milligrams", "high dose", "twice a day") or a stop/start
    instruction: never quoted for a personal question."""
    return bool(
        _DOSE.search(sentence)
        or _INSTRUCTION.search(sentence)
        or _REGIMEN.search(sentence)
        or _TELLS_TO_STOP.search(sentence)
    )


def redact_dosing(evidence: list[Evidence]) -> list[Evidence]:
    """The evidence with its dosing sentences blanked out (offsets kept), for a personal question, so
    no answerer can quote them."""
    return _redacted(evidence, is_dosing_text)


def _redacted(evidence: list[Evidence], test: Callable[[str], bool]) -> list[Evidence]:
    """The evidence with the sentences `test` accepts blanked out, offsets kept."""
    redacted = []
    for ev in evidence:
        text = ev.text
        for start, end in split_sentences(ev.text):
            if test(ev.text[start:end]):
                text = text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]
        redacted.append(ev if text == ev.text else ev.model_copy(update={"text": text}))
    return redacted
