"""Which scored candidates an extractive answer quotes, and in what order (`compose`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from index.terms import content_terms
from retriever.audience import sentence_grade
from retriever.candidates import Candidate
from retriever.sections import is_findings_section, reports_a_finding, section_heading
from retriever.types import Audience
from retriever.weights import ExtractiveWeights

# a sentence that goes on from the one before it ("However, it is unclear …") does not open an answer
CONTINUES = re.compile(
    r"^(However|In addition|Additionally|Also|Moreover|Furthermore|Therefore|Thus|But|Instead|Otherwise"
    r"|As a result|For this reason|In contrast|Similarly|Likewise|Yet|Still|Even so)\b"
)
# "Other symptoms may include …" goes on from the main ones: it does not open a kind's answer
OTHERS = re.compile(r"^(Other|Another|Additional|More|Further)\b")
# "can it go away", "is ms an autoimmune disease": a sentence says yes or no, a list does not
YES_NO = re.compile(r"^\s*(can|could|is|are|does|do|did|will|would|should|has|have|was|were)\b", re.I)
FIGURES = re.compile(
    r"\d[\d,.]*\d|\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twice|half)\b", re.I
)

# a sentence saying a treatment did not work: it answers "does it work", not "how does it work"
NOT_WORKING = re.compile(
    r"\b(does|do|did|will|would|may|might|can|could)(n'?t| not) (always )?work\b|\bfailed to work\b", re.I
)


@dataclass(frozen=True)
class Scores:
    """What `ExtractiveAnswerer.score` found for the kept candidates."""

    choice: np.ndarray  # what orders the sentences for the answer
    sufficiency: np.ndarray  # what the refusal threshold and the citation scores use
    similarity: np.ndarray  # candidate-by-candidate cosine
    known: frozenset[str] = frozenset()  # content words of the question and the evidence titles
    rows: np.ndarray | None = None  # retriever.lead feature rows of the kept candidates
    lead: np.ndarray | None = None  # the trained lead model's scores (None without a model)
    pinned: tuple[int, ...] = ()  # sentences that lead in this order (a comparison's definitions)
    yes_no: bool = False  # the question asks yes or no: a list unit does not open the answer
    terms: frozenset[str] = frozenset()  # the question's content words
    read: np.ndarray | None = None  # the answer reader's softmax over the kept candidates (None: off)
    # or, with `reader_window`: the reader's softmax over the kept candidates at the rows given
    read_some: Callable[[list[int]], np.ndarray] | None = None
    asks_cause: bool = False  # the question asks for a cause ("what causes ms", "why do people get lupus")
    elsewhere: tuple[bool, ...] = ()  # per kept candidate: about another disease than the question's
    asks_study: bool = False  # the question asks how a study was done or what it aimed at
    asks_mechanism: bool = False  # the question asks how a treatment works ("how does rituximab work")
    opens: tuple[bool, ...] = ()  # per kept candidate: may open the answer (empty: every one may)
    # per kept candidate: defines what a "what is X?" question asks (empty: not such a question)
    definitions: tuple[bool, ...] = ()
    # per kept candidate: says it gives the kind of section asked ("Treatments include: …" for "how do
    # doctors treat myasthenia gravis"), of the question's disease (empty: no kind asked)
    gives_kind: tuple[bool, ...] = ()
    # per kept candidate: names the effect a "can X cause / affect Y" question asks about (empty: none)
    names_effect: tuple[bool, ...] = ()
    # per kept candidate: says it gives a kind of section other than those asked ("… can lead to serious
    # side effects" for "what does prednisone do for lupus"; empty: no kind asked)
    other_kind: tuple[bool, ...] = ()
    # per kept candidate: says what the treatment a "how does X work / what does X do" question names
    # does (names it or its kind, with a verb such as removes, binds, kills; empty: not such a question)
    acts: tuple[bool, ...] = ()
    # per kept candidate: has the words of a kind of fact the question asks whose words answer it
    # (`coverage.Ask.holds_lead`) in a chunk on its subject (empty: none has); the reader does not put
    # one without them before one with them
    holds_lead: tuple[bool, ...] = ()

    def may_open(self, i: int) -> bool:
        """Whether kept candidate `i` may be the answer's first sentence (`preselect_follow`)."""
        return not self.opens or self.opens[i]


# a sentence saying its subject's cause is unknown: it answers only a question that asks for a cause
CAUSE_UNKNOWN = re.compile(
    r"\b(no one|nobody|doctors|scientists|researchers) (knows?|understands?|(do|does) not know|don'?t know) "
    r"(\w+ ){0,3}caus|\bcaus\w*\b.{0,60}\b(is|are|remains?|still) (still |often |usually |largely |mostly )?(unknown|not known|unclear|"
    r"not (yet |well |fully |completely )?(known|understood))\b",
    re.IGNORECASE,
)


def without_held(ordered: list[int], pool: list[Candidate], keep: tuple[int, ...] = ()) -> list[int]:
    """`ordered` less each sentence whose content words all stand in another, longer one of it; when
    the dropped one came first, the longer one takes its place. "For vasculitis, a doctor may refer a
    patient to other specialists too." says nothing that "For vasculitis, a doctor may refer a patient
    to specialists such as a rheumatologist, dermatologist, nephrologist or neurologist." does not.
    `keep` (a comparison's pinned definitions) stay where they are."""
    terms = {i: content_terms(pool[i].text) for i in ordered}
    out = list(ordered)
    for i in ordered:
        if i in keep or pool[i].parts or not terms[i]:
            continue
        holder = next((j for j in out if j != i and not pool[j].parts and terms[i] < terms[j]), None)
        if holder is None:
            continue
        at = out.index(i)
        if at == 0 and CONTINUES.match(pool[holder].text):
            continue  # "However, …" cannot come first
        if out.index(holder) > at:  # the held one came first: the longer one takes its place
            out.remove(holder)
            out[at] = holder
        else:
            out.remove(i)
    return out


def compose(
    weights: ExtractiveWeights,
    pool: list[Candidate],
    scored: Scores,
    adjusted: np.ndarray,
    limit: int,
    audience: Audience,
) -> list[int]:
    """The answer's sentences in the order shown, up to `limit` and, for patients, `patient_words`
    words. Without a lead model: the hand-weighted choice (`choose`) in reading order, except that the
    best sentence leads when it scores `lead_margin` above the first in reading order. With one: its
    best sentence first, then, in reading order, only sentences that also answer (within
    `follow_gap` of the lead's score) and say something new. Either way, less any sentence that a
    longer chosen one holds whole (`without_held`)."""
    lead = None
    if scored.lead is not None:
        lead = adjusted + weights.w_lead * scored.lead
    if lead is not None and scored.opens:
        lead = np.where(scored.opens, lead, -np.inf)
    first = int(np.argmax(lead)) if lead is not None else None
    overlaps = repeats(weights, pool, scored.similarity)
    words = [len(c.text.split()) for c in pool]
    budget = weights.patient_words if audience == "patient" else None

    def pick(first: int | None, allowed: np.ndarray | None = None, pinned: tuple[int, ...] = ()) -> list[int]:
        return choose(  # a new NewWords each time: choosing adds to what it has said
            weights, adjusted, scored.choice, scored.similarity, limit, overlaps, new_words(pool, scored.known),
            first=first, allowed=allowed, budget=budget, words=words, pinned=pinned,
        )  # fmt: skip

    chosen = pick(
        first,
        lead >= lead[first] - weights.follow_gap if lead is not None and first is not None else None,
        scored.pinned,
    )
    if scored.pinned:  # "lupus vs RA": what each one is, first
        rest = _reading_order([i for i in chosen if i not in scored.pinned], pool, scored.choice)
        return without_held([*scored.pinned, *rest], pool, scored.pinned)
    if first is None and weights.w_reader_first and (scored.read is not None or scored.read_some is not None):
        first = _reader_first(weights, pool, scored, adjusted, chosen, audience)
        if first is not None:
            chosen = pick(first)
    if first is None:
        ordered = _reading_order(chosen, pool, scored.choice)
        leading = adjusted if scored.read is None else adjusted + weights.w_reader_lead * scored.read
        best = max((i for i in ordered if scored.may_open(i)), key=lambda i: float(leading[i]), default=None)
        if best is not None and float(leading[best] - leading[ordered[0]]) > weights.lead_margin:
            ordered = [best, *(i for i in ordered if i != best)]
        opener = next((i for i in ordered if not CONTINUES.match(pool[i].text) and scored.may_open(i)), None)
        if scored.yes_no and opener is not None and pool[opener].parts:
            opener = _sentence_opener(weights, opener, ordered, pool, scored, adjusted)
        if opener is not None and opener != ordered[0]:  # "However, …" cannot come first
            ordered = [opener, *(i for i in ordered if i != opener)]
        return without_held(
            _acts_first(weights, _openers_first(ordered, pool, scored), pool, scored, adjusted), pool
        )
    ordered = [first, *_reading_order([i for i in chosen if i != first], pool, scored.choice)]
    return without_held(
        _acts_first(weights, _openers_first(ordered, pool, scored), pool, scored, adjusted), pool
    )


def _acts_first(
    weights: ExtractiveWeights,
    ordered: list[int],
    pool: list[Candidate],
    scored: Scores,
    adjusted: np.ndarray,
) -> list[int]:
    """A question asking how a named treatment works or what it does opens with the best-scoring kept
    sentence that says what it does (`Scores.acts`), chosen or not, when the opener does not and that
    sentence scores within `acts_margin` of it; one not chosen takes the last chosen one's place. "how
    does teclistamab help lupus" opened with "A BiTE called teclistamab has been used to treat lupus.",
    "what does car t do for lupus patients" with "These factors limit CAR-T therapy …" (session 43)."""
    if not ordered or not scored.acts or scored.acts[ordered[0]] or not weights.acts_margin:
        return ordered
    best = max(
        (
            i
            for i, acts in enumerate(scored.acts)
            if acts and scored.may_open(i) and not CONTINUES.match(pool[i].text) and not pool[i].parts
        ),
        key=lambda i: float(adjusted[i]),
        default=None,
    )
    if best is None or float(adjusted[ordered[0]] - adjusted[best]) > weights.acts_margin:
        return ordered
    rest = [i for i in ordered if i != best]
    return [best, *(rest if best in ordered else rest[:-1])]


def _openers_first(ordered: list[int], pool: list[Candidate], scored: Scores) -> list[int]:
    """The order after the openers' rules, in turn: the kind asked, the effect asked, a study's
    findings, the words of an ask that holds the lead."""
    ordered = _findings_first(_effect_first(_kind_first(ordered, pool, scored), pool, scored), pool, scored)
    return _ask_first(ordered, pool, scored)


def _ask_first(ordered: list[int], pool: list[Candidate], scored: Scores) -> list[int]:
    """The first chosen sentence with the words of an ask whose words answer (`Scores.holds_lead`)
    opens, when the opener has none: "how do they take out your t cells for car t" had opened with
    "CAR T cells multiply in the patient's blood after the infusion." and given "For CAR T-cell
    therapy, T cells are collected from the patient …" third (session 46)."""
    if not ordered or not scored.holds_lead or scored.holds_lead[ordered[0]]:
        return ordered
    return _marked_first(
        ordered, pool, scored, scored.holds_lead, lambda i: not (scored.yes_no and pool[i].parts)
    )


def _marked_first(
    ordered: list[int],
    pool: list[Candidate],
    scored: Scores,
    marked: tuple[bool, ...],
    also: Callable[[int], bool],
) -> list[int]:
    """The order with the first chosen sentence that is `marked`, may open, does not go on from one
    before it ("However, …") and passes `also` moved first (the order as it was when none does)."""
    opener = next(
        (
            i
            for i in ordered
            if marked[i] and scored.may_open(i) and not CONTINUES.match(pool[i].text) and also(i)
        ),
        None,
    )
    return ordered if opener is None else [opener, *(i for i in ordered if i != opener)]


def _kind_first(ordered: list[int], pool: list[Candidate], scored: Scores) -> list[int]:
    """The first chosen sentence that says it gives the kind asked (`Scores.gives_kind`) opens, when
    the opener does not: "how do doctors treat myasthenia gravis" opens with "Treatments include: …",
    not "With treatment, muscle weakness improves a lot …". A list does not open a yes-or-no question."""
    if not ordered or not scored.gives_kind:
        return ordered
    if scored.gives_kind[ordered[0]] and not OTHERS.match(pool[ordered[0]].text):
        return ordered  # "Other FDA approved drugs … include …" goes on from the main ones
    return _marked_first(
        ordered,
        pool,
        scored,
        scored.gives_kind,
        lambda i: not OTHERS.match(pool[i].text) and not (scored.yes_no and pool[i].parts),
    )


def _effect_first(ordered: list[int], pool: list[Candidate], scored: Scores) -> list[int]:
    """The first chosen sentence naming the effect a "can X cause / affect Y" question asks about
    (`Scores.names_effect`) opens, when the opener does not name it: "can scleroderma affect the
    heart" opens with "The most commonly affected organs are the esophagus, heart, lungs, and
    kidneys.", not "Systemic scleroderma is an autoimmune disorder …" (session 34)."""
    if not ordered or not scored.names_effect or scored.names_effect[ordered[0]]:
        return ordered
    # not myasthenia gravis's eyes for lupus
    return _marked_first(
        ordered, pool, scored, scored.names_effect, lambda i: not (scored.elsewhere and scored.elsewhere[i])
    )


def _findings_first(ordered: list[int], pool: list[Candidate], scored: Scores) -> list[int]:
    """An answer that would open with an abstract's background, aim or methods opens instead with
    what the same study found: its chosen sentences under RESULTS that report a finding, not who
    took part (`reports_a_finding`), in reading order from the first that does not go on from one
    before it; unless the question asks how the study was done or what it aimed at. "does
    calprotectin predict ibd relapse" opens with the relapse counts, not "Assessing the clinical
    course of inflammatory bowel disease (IBD) patients consists of periodical clinical evaluations …"."""
    if not ordered or scored.asks_study:
        return ordered
    if scored.definitions and scored.definitions[ordered[0]]:
        return ordered  # "what is avascular necrosis": the background's definition, not "Eleven patients had AVN"
    lead = pool[ordered[0]].evidence
    if is_findings_section(section_heading(lead.headings)):
        return ordered
    findings = sorted(
        (
            i
            for i in ordered
            if pool[i].evidence.doc_id == lead.doc_id
            and is_findings_section(section_heading(pool[i].evidence.headings))
            and reports_a_finding(pool[i].text)
        ),
        key=lambda i: (pool[i].evidence.start, pool[i].start),
    )
    opener = next((i for i in findings if not CONTINUES.match(pool[i].text)), None)
    if opener is None:
        return ordered
    return [opener, *(i for i in findings if i != opener), *(i for i in ordered if i not in findings)]


def grade_of(candidate: Candidate) -> float:
    """The candidate's Flesch-Kincaid grade as the readability penalty reads it (a list unit: its items
    averaged, each a short line)."""
    if not candidate.parts:
        return sentence_grade(candidate.text)
    return float(np.mean([sentence_grade(part) for part in candidate.parts]))


def _reader_first(
    weights: ExtractiveWeights,
    pool: list[Candidate],
    scored: Scores,
    adjusted: np.ndarray,
    chosen: list[int],
    audience: Audience,
) -> int | None:
    """The sentence the hand score plus `w_reader_first` × the reader's softmax puts first, when it
    beats the hand-chosen opener by `reader_margin` and, for a patient, reads no harder than
    `reader_grade_slack` above the grade target or the opener, whichever is higher; else None (the
    hand choice stands). With
    `reader_window` only the sentences within that much of the opener's hand score are read (no
    other can overtake it); a list unit counts as the reader's best."""
    hand = _reading_order(chosen, pool, scored.choice)
    opener = next(
        (i for i in hand if not CONTINUES.match(pool[i].text) and scored.may_open(i)),
        hand[0] if hand else None,
    )
    if opener is None:
        return None
    if scored.read_some is not None:
        floor = adjusted[opener] - weights.reader_window
        rows = [
            i
            for i, c in enumerate(pool)
            if not c.parts and adjusted[i] >= floor and i != opener and scored.may_open(i)
        ]
        rows.sort(key=lambda i: -float(adjusted[i]))
        cap = weights.reader_max_read
        rows = ([opener] if not pool[opener].parts else []) + rows
        rows = rows[:cap] if cap else rows
        read = np.zeros(len(pool), dtype=np.float32)
        read[rows] = scored.read_some(rows)
    elif scored.read is not None:
        read = scored.read
    else:
        return None
    if weights.reader_spares_lists == 1:
        read = np.where([bool(c.parts) for c in pool], read.max(), read)
    blend = adjusted + weights.w_reader_first * read
    best = int(np.argmax(blend))
    overtakes = float(blend[best] - blend[opener]) > weights.reader_margin
    if best == opener or not overtakes or CONTINUES.match(pool[best].text) or not scored.may_open(best):
        return None
    if CAUSE_UNKNOWN.search(pool[best].text) and not scored.asks_cause:
        return None  # "No one knows what causes MS." does not answer "does ms cause anxiety"
    if scored.asks_mechanism and NOT_WORKING.search(pool[best].text):
        return None  # "Rituximab does not work for every immune disease." does not say how it works
    if scored.holds_lead and scored.holds_lead[opener] and not scored.holds_lead[best]:
        return None  # "how do they get your t cells out": "**Collect.** …", not "… infused back" (session 46)
    if scored.elsewhere and scored.elsewhere[best]:
        return None  # "An endocrinologist … treats Graves disease" does not answer "… treats lupus"
    if scored.definitions and scored.definitions[opener] and not scored.definitions[best]:
        return None  # "what is itp and is it dangerous": "ITP is a … blood disorder" before who gets it
    # "what does prednisone do for lupus" is not answered by "Taking prednisone … can lead to … side effects"
    if scored.other_kind and scored.other_kind[best] and not scored.other_kind[opener]:
        return None
    if audience == "patient" and weights.reader_grade_slack >= 0:
        ceiling = max(weights.audience.grade_target, grade_of(pool[opener])) + weights.reader_grade_slack
        if grade_of(pool[best]) > ceiling:
            return None
    return best


def choose(
    weights: ExtractiveWeights,
    adjusted: np.ndarray,
    choice: np.ndarray,
    similarity: np.ndarray,
    limit: int,
    overlaps: np.ndarray | None = None,
    new: NewWords | None = None,
    first: int | None = None,
    allowed: np.ndarray | None = None,
    budget: int | None = None,
    words: list[int] | None = None,
    pinned: tuple[int, ...] = (),
) -> list[int]:
    """Best first by `adjusted`, each lowered by `mmr_lambda` × its cosine to the closest chosen one
    and raised by `w_new` × the share of its words not yet said (`new`); never a sentence `margin` below
    the best unadjusted score, a near-duplicate of a chosen one, one that `overlaps` marks as
    repeating a chosen one (`repeats`), or one whose content words the chosen sentences together
    already hold (`answer_holds`): after "An estimated 1.1 to 2.5 million people worldwide have
    multiple sclerosis." and "Closer to the equator, MS affects about 1 in 20,000 people.", the
    article's "MS is estimated to affect about 1.1 to 2.5 million people around the world." says
    nothing new (0.6 and 0.4 of its words shared with each, 0.8 with both)."""
    floor = float(choice.max()) - weights.margin
    given = ([first] if first is not None else []) + [i for i in pinned if i != first]
    open_ = [
        i
        for i in range(len(choice))
        if choice[i] >= floor and (allowed is None or allowed[i]) and i not in given
    ]
    chosen: list[int] = []
    held: set[str] = set()  # content words of the chosen sentences
    used = 0  # words so far, against `budget`
    for i in given:  # the lead (and a comparison's definitions) come first, whatever they score
        chosen.append(i)
        held |= new.terms[i] if new is not None else set()
        if new is not None:
            new.said |= new.terms[i]
        used += words[i] if words else 0
    while open_ and len(chosen) < limit:
        closest = similarity[np.ix_(open_, chosen)].max(axis=1) if chosen else np.zeros(len(open_))
        gain = weights.w_new * np.array([new.share(i) for i in open_]) if new is not None else 0.0
        k = int(np.argmax(adjusted[open_] - weights.mmr_lambda * closest + gain))
        i = open_.pop(k)
        clash = overlaps is not None and bool(chosen) and bool(overlaps[i, chosen].any())
        terms = new.terms[i] if new is not None else set()
        said_already = bool(terms) and len(terms & held) >= weights.answer_holds * len(terms)
        too_long = budget is not None and words is not None and used + words[i] > budget
        if float(closest[k]) < weights.redundant_cosine and not clash and not said_already and not too_long:
            chosen.append(i)
            used += words[i] if words else 0
            held |= terms
            if new is not None:
                new.said |= terms
    return chosen


@dataclass
class NewWords:
    """Content words per candidate and those already said (the question, the titles, the chosen)."""

    terms: list[set[str]]
    said: set[str]

    def share(self, i: int) -> float:
        return len(self.terms[i] - self.said) / max(1, len(self.terms[i]))


def new_words(pool: list[Candidate], known: frozenset[str]) -> NewWords:
    return NewWords([content_terms(c.text) for c in pool], set(known))


def repeats(
    weights: ExtractiveWeights, pool: list[Candidate], similarity: np.ndarray | None = None
) -> np.ndarray:
    """Candidate-by-candidate: may i not follow j? When their quoted spans overlap in one document
    (a list unit and its own items), when j already holds `repeated_terms` of i's content words
    (a sentence restating one item of a chosen list, which the embeddings do not see as close),
    when both are lists (one list an answer keeps it short), or, given the cosines, when i is a
    paraphrase of j (`paraphrase_cosine`) that states no figure j lacks: "Drug exposure is believed
    to trigger roughly 10 percent of SLE cases." after "About 10 percent of SLE cases are thought to
    be triggered by drug exposure, and more than 80 drugs…"; and, without the cosines, when i states
    figures, all of them j's, and shares `restated_terms` of its words with j."""
    n = len(pool)
    terms = [content_terms(c.text) for c in pool]
    figures = [{f.lower() for f in FIGURES.findall(c.text)} for c in pool]
    out = np.zeros((n, n), dtype=bool)
    for i, a in enumerate(pool):
        for j, b in enumerate(pool):
            if i == j:
                continue
            same_span = a.evidence.doc_id == b.evidence.doc_id and a.start < b.end and b.start < a.end
            held = len(terms[i] & terms[j]) / len(terms[i]) if terms[i] else 1.0
            one_list = bool(a.parts) and bool(b.parts)  # one list an answer keeps it short
            paraphrase = (
                similarity is not None
                and float(similarity[i, j]) >= weights.paraphrase_cosine
                and figures[i] <= figures[j]
            )
            restated = bool(figures[i]) and figures[i] <= figures[j] and held >= weights.restated_terms
            out[i, j] = same_span or held >= weights.repeated_terms or one_list or paraphrase or restated
    return out


def _sentence_opener(
    weights: ExtractiveWeights,
    listed: int,
    ordered: list[int],
    pool: list[Candidate],
    scored: Scores,
    adjusted: np.ndarray,
) -> int:
    """A yes-or-no question's opener when a list unit (`listed`) would open: the best chosen sentence
    that names every question word the list names. "can it go away (about: myasthenia gravis)" opens
    with "For some people, myasthenia gravis can go into remission …", not the list of its symptoms;
    "can lupus mess with your brain, like seizures or memory" keeps the list that names seizures. A
    sentence saying a cause is unknown opens only a question asking for a cause (`CAUSE_UNKNOWN`). A
    sentence scoring `follow_gap` or more below the list does not answer: "can lupus hurt your brain"
    keeps the list of nervous system problems, not "A striking feature of lupus is a butterfly shaped
    rash over the cheeks." (it names lupus, the only question word the list names)."""
    named = content_terms(pool[listed].text) & scored.terms
    said = [
        i
        for i in ordered
        if not pool[i].parts
        and not CONTINUES.match(pool[i].text)
        and scored.may_open(i)
        and named <= content_terms(pool[i].text)
        and (scored.asks_cause or not CAUSE_UNKNOWN.search(pool[i].text))
        and float(adjusted[listed] - adjusted[i]) < weights.follow_gap
    ]
    return max(said, key=lambda i: float(adjusted[i])) if said else listed


def _reading_order(chosen: list[int], pool: list[Candidate], scores: np.ndarray) -> list[int]:
    """Chunks in order of their best sentence; sentences of one chunk in document order."""
    best_of_chunk: dict[str, float] = {}
    for i in chosen:
        key = pool[i].evidence.chunk_id
        best_of_chunk[key] = max(best_of_chunk.get(key, -1.0), float(scores[i]))
    return sorted(chosen, key=lambda i: (-best_of_chunk[pool[i].evidence.chunk_id], pool[i].start))
