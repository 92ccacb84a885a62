"""The chain's steps, each a function from one small frozen value to the next:
`Question` → `Condensed` → `Screened` → `Searched` → `Answer`.

`condense` makes a follow-up standalone (and rewrites it as a search query); `screen_question` runs
the screen (`retriever.guardrails`) and looks for names no source uses; a screened question either
gets its answer at once (`screened_answer`, `unknown_names_answer`) or is searched (`search`) and
answered (`answer`): the answerer's draft (or a refusal when the evidence does not address the
question), citation checking (`retriever.citecheck`), then the answer as the person gets it
(`finish`). `ChainParts` holds what the steps use; `retriever.chain` wires them together.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from errors import UserError
from index.sentences import split_sentences, without_tables
from index.settings import Settings
from index.settings_groups import ScreeningSettings
from index.terms import content_terms, hyphens_apart
from retriever.answerers import Answerer
from retriever.audience import explain_terms
from retriever.citecheck import CiteCheckSettings, check_citations
from retriever.conversation import Generate, condense_followup, llm_condense_followup
from retriever.coverage import (
    DISEASES,
    MEDICINES,
    NAME_OF,
    TREATMENTS,
    Ask,
    answer_lacks,
    asked_harm,
    compared,
    covered_topics,
    statement_units,
    uncovered_asks,
    unknown_words,
    unmentioned_places,
    unmentioned_regions,
    unnamed_effect,
    unnamed_trigger,
    unpaired,
    unpaired_harm,
    untold_activity,
    untold_combination,
)
from retriever.english import english_words
from retriever.extractive import QUANTITY, defines
from retriever.filters import Filters
from retriever.glossary import load_aliases
from retriever.guardrails import Screening, screen
from retriever.guardrails.dosing import is_dosing_text, redact_dosing, redact_instructions
from retriever.guardrails.personal import detect_prognosis, names_no_subject, personal_redirect
from retriever.guardrails.scope import ScopeVocabulary
from retriever.guardrails.small_talk import detect_small_talk
from retriever.messages import (
    PERSONAL_REDIRECT_TEXT,
    PERSONAL_WITHHELD_TEXT,
    PROGNOSIS_REDIRECT_TEXT,
    not_covered_text,
    not_in_sources_text,
    notice_for,
    personal_prefix,
    refusal,
    unmentioned_text,
    untold_part_text,
)
from retriever.query import (
    ASKS_WHO,
    CAPITALISED,
    correct_spelling,
    definition_part,
    definition_subject,
    generic_names,
    journals_named,
    name_candidates,
    papers_as_studies,
    spelled_out_country,
    spelled_out_diseases,
    subject_terms,
    term_asked,
    unknown_names,
    unmentioned,
    unmentioned_phrase,
    with_aliases,
    written_as_name,
)
from retriever.search import IndexRetriever
from retriever.sections import (
    ASKS_RESEARCH,
    HEADING_WORDS,
    compares,
    heading_words,
    is_research_section,
    kinds_asked,
    kinds_of_heading,
    kinds_of_sentence,
    section_heading,
)
from retriever.types import Answer, Audience, Evidence, Retrieved

Message = dict[str, Any]  # {"role": "user" | "assistant", "content": str}


@dataclass(frozen=True)
class ChainParts:
    """What the steps use: the retriever (with the settings), the answerer, the screen's vocabulary,
    the citation check's settings and, with an LLM answerer, its model for condensing follow-ups."""

    retriever: IndexRetriever
    answerer: Answerer
    scope: ScopeVocabulary
    checking: CiteCheckSettings
    generate: Generate | None = None

    @property
    def settings(self) -> Settings:
        return self.retriever.settings


@dataclass(frozen=True)
class Question:
    """What the person asked, with the conversation so far and the filters on the evidence."""

    text: str
    audience: Audience
    history: tuple[Message, ...] = ()
    filters: Filters | None = None


@dataclass(frozen=True)
class Condensed:
    """The question made standalone (`unrewritten`), and that as a search query (`query`)."""

    asked: Question
    unrewritten: str
    query: str
    spelled: str = ""  # `unrewritten` with the abbreviations the sources seldom use spelled out, if any


@dataclass(frozen=True)
class Screened:
    """The screen's verdict and the indexed-nowhere names the question asks about."""

    asked: Question
    unrewritten: str
    screening: Screening
    unknown_names: tuple[str, ...] = ()
    spelled: str = ""  # `Condensed.spelled`

    @property
    def query(self) -> str:
        """What retrieval sees: the search query, depersonalised for a personal question."""
        return self.screening.question

    @property
    def personal(self) -> bool:
        return self.screening.kind == "personal_advice"

    @property
    def answerable(self) -> str:
        """What the answerer judges sentences against: what the person asked (made standalone), not the
        rewritten search query; for a personal question, its depersonalised form."""
        return self.query if self.personal else self.unrewritten


@dataclass(frozen=True)
class Searched:
    """A screened question with the evidence retrieved for it."""

    screened: Screened
    evidence: list[Evidence]
    retrieve_ms: float


def standalone_question(
    question: str, history: list[Message] | tuple[Message, ...] | None, generate: Generate | None = None
) -> str:
    """The question made standalone by carrying the conversation's subject forward, turn by turn:
    by the rule, or, with `generate` (an LLM), by the model where its rewrite is usable. Earlier
    turns are condensed by the rule only, so a conversation costs one model call a question."""
    previous: list[str] = []
    for message in history or []:
        content = str(message.get("content", "")).strip()
        # "thanks" between two questions carries no subject: "is it contagious" is still about psoriasis
        if message.get("role") == "user" and content and detect_small_talk(content) is None:
            previous.append(condense_followup(content, previous))
    if generate is not None:
        return llm_condense_followup(question, previous, generate)
    return condense_followup(question, previous)


def condense(parts: ChainParts, asked: Question) -> Condensed:
    """The standalone question and its search query: spelling slips corrected (`correct_spelling`),
    with the names of the diseases and drugs it gives by abbreviation or brand ("mg", "ra",
    "rituxan") and, with `rewrite_queries`, every glossary alias; the standalone question writes a
    brand as its generic name (`generic_names`: "what is tecvayli" → "what is teclistamab") and a bare
    "what is X?" on the start of a glossary term as the term (`term_asked`: "what is car t" → "what is
    CAR-T cell therapy"). An empty index corrects nothing here (retrieval says it is empty; an
    emergency still gets its message first)."""
    standalone = standalone_question(asked.text, asked.history, parts.generate)
    query, screening = standalone, parts.settings.screening
    vocabulary: dict[str, int] = {}
    if screening.rewrite_queries or screening.correct_spelling:
        try:
            vocabulary = parts.retriever.vocabulary()
        except UserError:
            vocabulary = {}
        corrected = correct_spelling(spelled_out_country(standalone), vocabulary)
        query = with_aliases(
            corrected, screening.glossary, standalone, short_only=not screening.rewrite_queries
        )
        if screening.correct_spelling:  # the answerer, too, judges sentences against "lupus", not "lupis"
            standalone = corrected
    standalone = (
        term_asked(standalone, load_aliases(screening.glossary)) if screening.glossary else standalone
    )
    standalone = papers_as_studies(generic_names(standalone))
    spelled = spelled_out_diseases(standalone, vocabulary)
    return Condensed(asked, standalone, query, spelled if spelled != standalone else "")


def screen_question(parts: ChainParts, condensed: Condensed) -> Screened:
    """The screen's verdict (with `guardrails` on) and the names in the question no source uses."""
    settings, asked = parts.settings.screening, condensed.asked
    names: list[str] = []
    if settings.refuse_unknown_names and name_candidates(asked.text):
        names = unknown_names(asked.text, parts.retriever.vocabulary())
    if settings.guardrails:
        screening = screen(asked.text, condensed.query, asked.audience, parts.scope)
    else:
        screening = Screening(None, None, condensed.query)
    return Screened(asked, condensed.unrewritten, screening, tuple(names), condensed.spelled)


def screened_answer(screened: Screened) -> Answer:
    """The screen's own answer (an emergency, an out-of-scope question), given without retrieval."""
    assert screened.screening.answer is not None
    return screened.screening.answer.model_copy(
        update={"question": screened.asked.text, "standalone_question": screened.query}
    )


def unknown_names_answer(screened: Screened) -> Answer:
    """The refusal for a question naming drugs or trials that no indexed source mentions; a personal
    decision ("on belimumab, can I get the yellow fever jab?") gets the care-team redirect first."""
    asked = screened.asked
    if screened.personal:
        return personal_redirect(asked.text, asked.audience).model_copy(
            update={"standalone_question": screened.query}
        )
    text = not_in_sources_text(list(screened.unknown_names))
    return refusal(asked.text, asked.audience, "not_in_sources", text).model_copy(
        update={"standalone_question": screened.query}
    )


def search(parts: ChainParts, screened: Screened) -> Searched:
    """The evidence for the screened question, with the chunks beside the best one."""
    started = time.perf_counter()
    filters = screened.asked.filters
    where = filters.to_where() if filters else None
    words = heading_words(screened.query)
    query = f"{screened.query} ({words})" if words else screened.query
    evidence = parts.retriever.search_with_context(query, where=where)
    if parts.settings.screening.refuse_unknown_names:  # the chunks that name it, else none
        evidence = _named_elsewhere(parts, screened, evidence, where) or evidence
    if parts.settings.retrieving.rare_word_chunks:
        evidence = evidence + _rare_words_elsewhere(parts, screened, evidence, where)
    if parts.settings.retrieving.definition_chunks:
        evidence = evidence + _definitions_elsewhere(parts, screened, evidence, where)
    if parts.settings.retrieving.covering_chunks:
        evidence = evidence + _covering_elsewhere(parts, screened, evidence, where)
    if parts.settings.retrieving.kind_chunks:
        evidence = evidence + _kind_elsewhere(parts, screened, evidence, where)
        evidence = evidence + _harm_elsewhere(parts, screened, evidence, where)
    if parts.settings.retrieving.compared_chunks:
        evidence = evidence + _compared_elsewhere(parts, screened, evidence, where)
        evidence = evidence + _comparing_elsewhere(parts, screened, evidence, where)
    return Searched(screened, evidence, (time.perf_counter() - started) * 1000)


RARE_WORD_COUNT = 15  # a word the index uses at most this often is rare: "nature", "muller", "nejm"
# chunks a word search reads to find those naming a word: it is stemmed, so "nature" also finds
# "natural", and the chunks that name the word may come after the first few
WORD_SEARCH_DEPTH = 20


def _rare_words_elsewhere(
    parts: ChainParts, screened: Screened, evidence: list[Evidence], where: dict[str, Any] | None
) -> list[Evidence]:
    """Chunks naming a rare word that no retrieved chunk has, of a "who is …?" question or written
    with a capital after the question's first word: "who is fabian muller" and "Which institution is
    Anca Askanase affiliated with?" were refused, the chunk saying who they are not retrieved (the
    embedder knows no names). A word search for those rare words (`RARE_WORD_COUNT`) adds up to
    `rare_word_chunks` chunks that name one. For every word of every question it also turned refusals
    of unanswerable ones into near misses (a rare word found a chunk), so it is kept to names; a name
    typed in lower case counts when no English word list has it and the chunk writes it as a name,
    with a capital inside a sentence (`_written_as_name`): "what did the nejm case reports show"
    finds "… (NEJM) printed case reports …", while "cytokine" finds no chunk ("Cytokines are …")."""
    asked = screened.answerable
    # a "who is …?" question's words, else the words written with a capital after the first
    who = bool(ASKS_WHO.match(asked))
    words = content_terms(asked) if who else content_terms(" ".join(CAPITALISED.findall(asked)))
    lower = set() if who else {w for w in content_terms(asked) if w not in english_words()}
    lower |= journals_named(asked)  # "what did the nature study find": Nature, not "second nature"
    if not words and not lower:
        return []
    try:
        vocabulary = parts.retriever.vocabulary()
    except UserError:
        return []
    have = set().union(*(content_terms(f"{e.title} {e.text}") for e in evidence)) if evidence else set()

    def rare(found: set[str]) -> list[str]:
        return [
            w
            for w in sorted(found)
            if len(w) >= 3 and 0 < vocabulary.get(w, 0) <= RARE_WORD_COUNT and w not in have
        ]

    names, typed = rare(words), rare(lower - words)
    if not names and not typed:
        return []
    wanted = set(names)
    named = _chunks_naming(
        parts,
        names + typed,
        screened,
        evidence,
        where,
        lambda text: bool(content_terms(text) & wanted) or any(written_as_name(w, text) for w in typed),
    )
    return _as_context(named, parts.settings.retrieving.rare_word_chunks)


def _as_context(found: list[Evidence], n: int) -> list[Evidence]:
    """The first n chunks a look-up found, marked as added for answering (`Evidence.context`)."""
    return [e.model_copy(update={"context": True}) for e in found[:n]]


def _defining(text: str, subject: set[str], strict: bool = False) -> bool:
    """Does a sentence of `text` define the subject (`extractive.defines`)?"""
    return any(defines(text[start:end], subject, strict) for start, end in split_sentences(text))


def _definitions_elsewhere(
    parts: ChainParts, screened: Screened, evidence: list[Evidence], where: dict[str, Any] | None
) -> list[Evidence]:
    """Chunks defining what a "what is X?" question asks about when no retrieved sentence does. "what
    is a thymectomy" found the thymus cancer page and a research chunk naming thymectomy, not the
    chunks saying what it is ("Thymectomy, the surgical removal of the thymus gland …"): the
    embedder knows the word little and the rerank kept the thymus chunks above them. A word search
    for X's words adds up to `definition_chunks` chunks holding a sentence that defines X."""
    subject = definition_subject(screened.answerable)
    if not subject or any(_defining(e.text, subject) for e in evidence):
        return []
    found = [  # the chunk's own text: after its title, a first sentence "X, the …," defines nothing
        e
        for e in _chunks_naming(parts, sorted(subject), screened, evidence, where, lambda text: True)
        if _defining(e.text, subject)
    ]
    return _as_context(found, parts.settings.retrieving.definition_chunks)


def _covering_elsewhere(
    parts: ChainParts, screened: Screened, evidence: list[Evidence], where: dict[str, Any] | None
) -> list[Evidence]:
    """Chunks holding every content word of the question when no retrieved chunk does. "can i
    exercise with lupus" found chunks on lupus symptoms and fatigue, none with "exercise", while two
    articles say "Lupus is treated with medicines together with rest, exercise, good nutrition and
    stress management": the embedder reads the question as one about lupus. A word search for the
    question's words adds up to `covering_chunks` chunks whose title and text hold them all."""
    terms = content_terms(screened.answerable)
    if len(terms) < 2:
        return []
    if any(_holds(f"{e.title} {e.text}", terms) for e in evidence):
        return []
    found = _chunks_naming(  # the question's own words: BM25 stems them its way ("lupu" finds nothing)
        parts, [screened.answerable], screened, evidence, where, lambda text: _holds(text, terms)
    )
    return _as_context(found, parts.settings.retrieving.covering_chunks)


def _gives_kind(evidence: Evidence, kinds: frozenset[str], subjects: list[re.Pattern[str]]) -> bool:
    """Does the chunk name one of the subjects and open a section of one of the kinds, or hold a
    sentence that says it gives one ("Most people with lupus live a normal lifespan …": outlook)?"""
    heading = section_heading(evidence.headings)
    if is_research_section(heading) or not any(
        p.search(f"{evidence.title} {evidence.text}") for p in subjects
    ):
        return False
    if kinds & kinds_of_heading(heading):
        return True
    sentences = [evidence.text[start:end] for start, end in split_sentences(evidence.text)]
    # not research: "Research on Sjögren syndrome aims to … improve ways to diagnose it" gives no diagnosis
    return any(kinds & kinds_of_sentence(s) and not ASKS_RESEARCH.search(s) for s in sentences)


def _kind_elsewhere(
    parts: ChainParts, screened: Screened, evidence: list[Evidence], where: dict[str, Any] | None
) -> list[Evidence]:
    """A chunk giving the kind of fact the question asks (`sections.kinds_asked`: outlook, diagnosis,
    treatment, …) about the disease or treatment it names, when no retrieved chunk gives it. "what is
    the outlook for myasthenia gravis" found what the disease is and how common, not "People with
    myasthenia gravis who follow their treatment plan can expect a normal or nearly normal life",
    which stands in the article's treatment section. A word search for the question and the kind's
    heading word adds up to `kind_chunks` chunks that name the subject and give the kind."""
    asked = screened.answerable
    kinds = kinds_asked(asked)
    subjects = [p for p in (*DISEASES.values(), *TREATMENTS.values(), *MEDICINES.values()) if p.search(asked)]
    if not kinds or not subjects or any(_gives_kind(e, kinds, subjects) for e in evidence):
        return []
    words = " ".join([asked, *(HEADING_WORDS[k] for k in sorted(kinds))])
    found = _chunks_naming(parts, [words], screened, evidence, where, lambda text: True)
    giving = [e for e in found if _gives_kind(e, kinds, subjects)]
    return _as_context(giving, parts.settings.retrieving.kind_chunks)


def _harm_elsewhere(
    parts: ChainParts, screened: Screened, evidence: list[Evidence], where: dict[str, Any] | None
) -> list[Evidence]:
    """A chunk with a sentence naming the treatment and the harm a question asks of it
    (`coverage.asked_harm`) when no retrieved sentence names both. "will i get infections while on
    steroids" found what steroids are and how they are given, not the list of corticosteroids' side
    effects that "can steroids cause infections" finds, and was refused as untold (session 45). A
    word search for the question and the harm adds up to `kind_chunks` chunks that name both."""
    asked = screened.answerable
    harm = asked_harm(asked)
    if harm is None or not unpaired_harm(asked, [f"{e.title} {e.text}" for e in evidence]):
        return []
    # a sentence naming both that says it is a harm (`coverage.names_harm`)
    found = _chunks_naming(
        parts, [asked, harm[0]], screened, evidence, where, lambda text: not unpaired_harm(asked, [text])
    )
    return _as_context(found, parts.settings.retrieving.kind_chunks)


_RANKS = re.compile(r"\b(better|worse|safer|stronger|best|worst)\b", re.IGNORECASE)


def _opens_defining(text: str, thing: re.Pattern[str], subject: set[str]) -> bool:
    """Does a sentence of `text` open with the thing (after "A", "An", "The") and say what it is
    (`extractive.defines`): "Lupus (also called …) is a disorder of the immune system"?"""
    for start, end in split_sentences(text):
        sentence = re.sub(r"^(a|an|the)\s+", "", text[start:end].replace("**", ""), flags=re.IGNORECASE)
        if thing.match(sentence) is not None and defines(sentence, subject, strict=True):
            return True
    return False


def _compared_elsewhere(
    parts: ChainParts, screened: Screened, evidence: list[Evidence], where: dict[str, Any] | None
) -> list[Evidence]:
    """Chunks on a thing the question compares (`coverage.compared`) that no retrieved sentence says
    what it is of (`_compared_one`). "what is the difference between lupus and ra" found only lupus
    chunks, "whats the difference between ms and myasthenia gravis" only MS ones: the embedder reads
    the question as one about its better-known thing. A word search for the missing thing's name adds
    up to `compared_chunks` chunks naming it, those defining it first."""
    asked = screened.answerable
    things = compared(asked)
    # what each is, not a figure, a kind of fact or which is better: "How common were fatigue and
    # fibromyalgia in primary Sjögren's compared with lupus patients?" is answered by the study's figures
    if len(things) < 2 or QUANTITY.search(asked) or kinds_asked(asked) or _RANKS.search(asked):
        return []
    added: list[Evidence] = []
    for thing in things:
        said = thing.search(asked)
        name = NAME_OF.get(id(thing)) or (said.group(0) if said else "")
        if name:
            added += _compared_one(parts, screened, evidence + added, where, thing, name)
    return added


def _comparing_elsewhere(
    parts: ChainParts, screened: Screened, evidence: list[Evidence], where: dict[str, Any] | None
) -> list[Evidence]:
    """A chunk with a sentence comparing the things a question compares (`sections.compares`) when no
    retrieved sentence does: "teclistamab vs car t which is better for autoimmune" found what each is,
    not "BiTEs' low cost, speed and simplicity are a sharp contrast with CAR-T." (session 45). A word
    search for the question adds up to `compared_chunks` chunks with one."""
    asked = screened.answerable
    things = compared(asked)
    if len(things) < 2 or any(_comparing(e.text, things) for e in evidence):
        return []
    found = _chunks_naming(parts, [asked], screened, evidence, where, lambda text: _comparing(text, things))
    return _as_context(found, parts.settings.retrieving.compared_chunks)


def _comparing(text: str, things: list[re.Pattern[str]]) -> bool:
    return any(compares(unit, things) for unit in statement_units(text))


def _compared_one(
    parts: ChainParts,
    screened: Screened,
    evidence: list[Evidence],
    where: dict[str, Any] | None,
    thing: re.Pattern[str],
    name: str,
) -> list[Evidence]:
    """The chunks `_compared_elsewhere` adds for one thing compared: none when a retrieved sentence
    opens with it and says what it is ("Lupus is …"; not a list naming it, an article's title naming
    it among others, "Neonatal lupus is a rare form of lupus"), else those a word search for its name
    finds naming it, the ones saying what it is first, the search's order otherwise."""
    subject = content_terms(name)
    if any(_opens_defining(e.text, thing, subject) for e in evidence):
        return []
    found = _chunks_naming(parts, [name], screened, evidence, where, lambda text: bool(thing.search(text)))
    found.sort(key=lambda e: not _opens_defining(e.text, thing, subject))  # a stable sort
    return _as_context(found, parts.settings.retrieving.compared_chunks)


def _holds(text: str, terms: set[str]) -> bool:
    """Does the text have every one of the terms, a hyphenated word also by its parts ("CAR-T" has the
    "car" of "car t", session 30)?"""
    return content_terms(hyphens_apart(text)) >= terms


def _chunks_naming(
    parts: ChainParts,
    words: list[str],
    screened: Screened,
    evidence: list[Evidence],
    where: dict[str, Any] | None,
    names: Callable[[str], bool],
) -> list[Evidence]:
    """The chunks a word search for `words` finds, best first, that are not in `evidence` and whose
    title and text `names` accepts (`WORD_SEARCH_DEPTH` of them read)."""
    have = {e.chunk_id for e in evidence}
    found = parts.retriever.search_words(" ".join(words), screened.query, WORD_SEARCH_DEPTH, where)
    return [e for e in found if e.chunk_id not in have and names(f"{e.title} {e.text}")]


NAMED_ELSEWHERE = 5  # chunks naming a name the retrieved ones never use that replace them


def _unnamed(asked: str, texts: list[str]) -> list[str]:
    """What the question is about that none of `texts` names: its subject's words (`unmentioned`),
    else a "what is X?" subject's words together (`unmentioned_phrase`); [] when all are named."""
    missing = unmentioned(subject_terms(asked), texts)
    phrase = None if missing else unmentioned_phrase(asked, texts)
    return missing or ([phrase] if phrase else [])


def _named_elsewhere(
    parts: ChainParts, screened: Screened, evidence: list[Evidence], where: dict[str, Any] | None
) -> list[Evidence]:
    """Chunks naming what the question asks about when the retrieved ones never do. "what is
    peripheral neuropathy" found NIH pages on nerve disorders, while the lupus symptoms article
    names it in a list; without that chunk the question was refused as naming something the sources
    lack. A word search for the name finds such chunks; those that name it replace the retrieved
    ones, which say nothing about it ([] when the retrieved ones name it, or no chunk does)."""
    asked = screened.answerable
    unnamed = _unnamed(asked, [f"{e.title} {e.text}" for e in evidence])
    if not unnamed:
        return []
    named = _chunks_naming(
        parts, unnamed, screened, evidence, where, lambda text: not _unnamed(asked, [text])
    )
    return named[:NAMED_ELSEWHERE]


def answer(parts: ChainParts, searched: Searched) -> Answer:
    """The answer from the evidence: drafted, its citations checked, then finished."""
    started = time.perf_counter()
    personal = searched.screened.personal
    drafted = draft(parts, searched)
    checked = check_citations(
        drafted.answer,
        searched.evidence,
        parts.retriever.embedder,
        parts.checking,
        drop=is_dosing_text if personal else None,
    )
    if drafted.untold and not checked.refused:  # after the check: the line quotes no source
        checked = checked.model_copy(update={"answer": f"{checked.answer}\n\n{drafted.untold}"})
    return finish(parts, searched, checked, started)


@dataclass(frozen=True)
class Drafted:
    """The drafted answer, and a line saying which part of the question the sources do not cover
    (empty when it answers all of it or is a refusal)."""

    answer: Answer
    untold: str = ""


# refusals a question with an abbreviation the sources seldom use is asked again for, spelled out; not
# "insufficient_evidence": asked again, "what is mg" was answered, and so was an unanswerable plain_val
# question refused before (session 38, L177b)
SPELLED_RETRY = frozenset({"not_in_sources", "not_covered"})


def draft(parts: ChainParts, searched: Searched) -> Drafted:
    """The answerer's answer, or a refusal when the evidence does not address what is asked. A question
    naming a disease by an abbreviation the sources seldom use (`query.spelled_out_diseases`) that is
    refused as naming what the sources lack or asking what they do not cover is asked again with the
    disease's name: "what is pbc", "how is ssc treated" had been refused as naming something no
    source mentions. Only then: read with the name from the start, "can mg go away …" lost "The
    remission can be temporary or permanent." (session 38). A question asking what the abbreviation
    is ("what is mg") is asked again whatever its refusal: the embedder reads "mg" as milligrams, no
    sentence scored enough, and what a disease is the sources always say (session 41).

    "what is X and …?" refused as asking what the sources do not cover answers what X is, then says
    which part they do not cover (`Drafted.untold`): "what is teclistamab and is it safe" had been
    refused whole (session 41)."""
    screened = searched.screened
    answer = _draft(parts, searched, screened.answerable)
    retried = SPELLED_RETRY | (
        {"insufficient_evidence"} if definition_subject(screened.answerable) else set()
    )
    if answer.refused and answer.refusal_reason in retried and screened.spelled and not screened.personal:
        again = _draft(parts, searched, screened.spelled)
        if not again.refused:
            return Drafted(again)
    if answer.refused and answer.refusal_reason == "not_covered" and not screened.personal:
        first = definition_part(screened.answerable)
        part = _draft(parts, searched, first) if first else None
        if part is not None and not part.refused:
            asks, names = _uncovered(parts.retriever.vocabulary, screened.answerable, searched.evidence)
            if asks or names:
                kinds = list(dict.fromkeys(a.what for a in asks))
                return Drafted(part, untold_part_text(kinds, names, screened.asked.audience))
    return Drafted(answer)


def _draft(parts: ChainParts, searched: Searched, asked: str) -> Answer:
    screened, evidence = searched.screened, searched.evidence
    audience = screened.asked.audience
    # a personal question's general facts only when they answer its depersonalised form; else (a
    # refusal here) the care-team redirect alone (`finish`)
    refused = draft_refusal(
        asked,
        screened.unrewritten if screened.personal else None,
        audience,
        evidence,
        parts.retriever.vocabulary,
        parts.settings.screening,
    )
    if refused is not None:
        return refused
    if not screened.personal:  # a patient is never told to stop or start a medicine
        answer = parts.answerer.answer(
            asked, redact_instructions(evidence) if audience == "patient" else evidence, audience
        )
        lacking = (
            answer_lacks(asked, [c.quote for c in answer.citations])
            if parts.settings.screening.refuse_uncovered and not answer.refused
            else ""
        )
        if lacking:
            return not_covered(asked, audience, evidence, [lacking])
        return answer
    if names_no_subject(asked):  # "what's the best treatment for me": no general facts to give
        return personal_redirect(asked, audience)
    if withheld_lead(parts.answerer, asked, evidence, audience):
        return refusal(asked, audience, "personal_advice", PERSONAL_WITHHELD_TEXT[audience])
    answer = parts.answerer.answer(asked, redact_dosing(evidence), audience)
    if not answer.refused and off_subject(asked, answer):
        return personal_redirect(asked, audience)
    if not answer.refused and detect_prognosis(screened.unrewritten) and not tells_an_outcome(answer):
        return personal_redirect(asked, audience)  # "will car t work for me": not how CAR T cells multiply
    return answer


# what a prognosis's general facts speak of: how the disease or the treatment goes for people
OUTCOME = re.compile(
    r"\b(remissions?|cured?|cures|curable|lifespan|life span|live|lives|living|survival|survive|outlook|prognosis"
    r"|recover\w*|go(es)? away|better|worse|improv\w*|fatal|life-threatening|die|dies|death|deaths|disab\w*"
    r"|progress\w*|predict\w*|comes? back|relaps\w*|flares?|free of symptoms|symptom-free)\b",
    re.IGNORECASE,
)


def tells_an_outcome(answer: Answer) -> bool:
    """Does a personal prognosis's general answer lead with how things go for people (`OUTCOME`)? "will
    car t work for me" had got "Inside the body, the CAR T cells multiply in the blood." (session 43)."""
    return bool(OUTCOME.search(_lead(answer)))


def _lead(answer: Answer) -> str:
    """The answer's first quoted sentence (its text when it quotes none)."""
    return answer.citations[0].quote if answer.citations else answer.answer


def off_subject(asked: str, answer: Answer) -> bool:
    """Whether a personal question's general facts lead with a sentence naming none of the medicines it
    names: "my patient on mycophenolate wants to conceive, should she switch to azathioprine?" is not
    answered by iodine in pregnancy, nor "should I keep taking hydroxychloroquine while breastfeeding" by
    the pregnancy problems of antiphospholipid syndrome."""
    named = [p for p in (*TREATMENTS.values(), *MEDICINES.values()) if p.search(asked)]
    return bool(named) and not any(p.search(_lead(answer)) for p in named)


def withheld_lead(answerer: Answerer, asked: str, evidence: list[Evidence], audience: Audience) -> bool:
    """Whether the sentence that answers a personal question's general form is one a personal question never
    gets (a dose, a stop/start instruction). Then the sentences left answer something else ("can I stop my
    lupus meds if I get CAR-T" got three sentences on CAR-T's results once "Tapering off lupus medicines
    before CAR-T can set off flare-ups of lupus." was withheld), and the care-team redirect stands alone.
    Asked of the extractive answerer only (its answer costs milliseconds; an LLM's would cost a generation)."""
    if getattr(answerer, "name", "") != "extractive":
        return False
    full = answerer.answer(asked, evidence, audience)
    return not full.refused and bool(full.citations) and is_dosing_text(full.citations[0].quote)


def draft_refusal(
    asked: str,
    own_words: str | None,
    audience: Audience,
    evidence: list[Evidence],
    vocabulary: Callable[[], dict[str, int]],
    settings: ScreeningSettings,
) -> Answer | None:
    """The draft step's refusal (`evidence_refusal`) of the question as answered and, for a personal
    question, of the person's own words (`own_words`): its ask ("drinks while on …"), which the
    depersonalised question loses, is not given by near misses. `evaluation.refusals` replays this."""
    refused = evidence_refusal(asked, audience, evidence, vocabulary, settings)
    if refused is None and own_words is not None:
        refused = evidence_refusal(own_words, audience, evidence, vocabulary, settings)
    return refused


def evidence_refusal(
    asked: str,
    audience: Audience,
    evidence: list[Evidence],
    vocabulary: Callable[[], dict[str, int]],
    settings: ScreeningSettings,
) -> Answer | None:
    """The refusal when the evidence does not address what is asked, else None: a term no passage
    names ("what is lymphodepletion?" is not answered by sentences on B-cell depletion), an ask no
    passage gives (`retriever.coverage`), or a name the sources never use. `vocabulary` gives the
    index's words (read only when needed)."""
    texts = [f"{e.title} {e.text}" for e in evidence]
    if settings.refuse_unknown_names:
        unnamed = _unnamed(asked, texts)  # "cytokine release syndrome"
        if unnamed:
            return refusal(asked, audience, "not_in_sources", unmentioned_text(unnamed))
    if settings.refuse_uncovered:
        asks, names = _uncovered(vocabulary, asked, evidence)
        if asks or names:
            return not_covered(asked, audience, evidence, list(dict.fromkeys(a.what for a in asks)), names)
    if settings.refuse_unknown_names:  # after the asks: "does lupus ruin your teeth" is the teeth ask's
        effect = unnamed_effect(asked, texts)  # "does addisons disease cause insomnia"
        if effect:
            return refusal(asked, audience, "not_in_sources", unmentioned_text([effect]))
    for check, said in _UNTOLD if settings.refuse_uncovered else ():
        untold = check(asked, texts)
        if untold:
            return not_covered(asked, audience, evidence, [said.format(untold)])
    return None


# what a question pairs that no passage or sentence names together, in turn, and how the not-covered
# line says it (`coverage`): "can stress make itp worse" (no passage on ITP says anything of stress),
# "can car t cause infections", "can you take ibuprofen with prednisone", "can you exercise after car t"
_UNTOLD: tuple[tuple[Callable[[str, list[str]], str], str], ...] = (
    (unnamed_trigger, "facts on {}"),
    # before the harm: "does methotrexate interfere with birth control" asks a combination, not a harm
    (untold_combination, "facts on {}"),
    (unpaired_harm, "facts on {}"),
    (untold_activity, "{}"),
)


def not_covered(
    asked: str, audience: Audience, evidence: list[Evidence], kinds: list[str], names: list[str] | None = None
) -> Answer:
    """The "not_covered" refusal: what the sources do not give (`kinds`) or never mention (`names`),
    then the topics they do cover on the subject."""
    topics = covered_topics(evidence, question=asked)
    return refusal(asked, audience, "not_covered", not_covered_text(kinds, names or [], topics, audience))


def _uncovered(
    vocabulary: Callable[[], dict[str, int]], asked: str, evidence: list[Evidence]
) -> tuple[list[Ask], list[str]]:
    """What the question asks for that the evidence never addresses, and the names it never uses."""
    texts = [f"{e.title} {e.headings} {without_tables(e.text)}" for e in evidence]  # a table answers no ask
    names = unknown_words(asked, vocabulary())
    names += [w for w in unmentioned_places(asked, texts) if w not in names]
    pair = unpaired(asked, pairing_units(evidence))
    if pair:
        names.append(pair)
    asks = uncovered_asks(asked, texts, [e.title for e in evidence])
    if not asks and not names:  # "is car t approved in europe" says approvals, the kind it lacks
        names = unmentioned_regions(asked, texts)
    return asks, names


def pairing_units(evidence: list[Evidence]) -> list[str]:
    """The passages in which a treatment and a disease count as named together (`unpaired`): each
    paragraph of a chunk (a lead-in ending in ":" with the list after it), read with its section's
    heading but not its document's title. "does rituximab work for lupus" had counted as covered by
    the lupus medicines article's section "What does rituximab do?", which speaks of cold agglutinin
    disease only, and got near misses (session 25)."""
    units = []
    for e in evidence:
        heading = section_heading(e.headings)
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", without_tables(e.text)) if p.strip()]
        merged: list[str] = []
        for paragraph in paragraphs:
            if merged and merged[-1].endswith(":"):
                merged[-1] = f"{merged[-1]} {paragraph}"
            else:
                merged.append(paragraph)
        units += [f"{heading} {paragraph}" for paragraph in merged]
    return units


def finish(parts: ChainParts, searched: Searched, checked: Answer, started: float) -> Answer:
    """The checked answer as the person gets it: glossary explanations for patients, a personal
    question's care-team line (or the redirect alone), the notice, what was asked and retrieved."""
    screened = searched.screened
    asked = screened.asked
    shown = personal_answer(checked, asked) if screened.personal else checked
    explanations = shown.explanations
    if asked.audience == "patient" and not checked.refused:  # the terms of the answer, not its care-team line
        explanations = explain_terms(checked.answer, screened.query, parts.settings.screening.glossary)
    timings = shown.timings_ms.model_copy(
        update={
            "retrieve": round(searched.retrieve_ms, 2),
            "answer": round((time.perf_counter() - started) * 1000, 2),
        }
    )
    return shown.model_copy(
        update={
            "question": asked.text,
            "standalone_question": screened.query,
            "explanations": explanations,
            "notice": shown.notice or notice_for(asked.audience),
            "retrieved": [
                Retrieved(doc_id=e.doc_id, chunk_id=e.chunk_id, score=e.score, context=e.context)
                for e in searched.evidence
            ],
            "timings_ms": timings,
        }
    )


def personal_answer(checked: Answer, asked: Question) -> Answer:
    """A personal decision or prognosis: the general facts behind the care-team line, or the redirect
    alone (the draft's redirects read the depersonalised question: a prognosis gets its own words here)."""
    prognosis = detect_prognosis(asked.text)
    if checked.refused and checked.refusal_reason == "personal_advice":
        if prognosis and checked.answer == PERSONAL_REDIRECT_TEXT[asked.audience]:
            return checked.model_copy(update={"answer": PROGNOSIS_REDIRECT_TEXT[asked.audience]})
        return checked  # the draft's own redirect: the answer withheld, or facts that do not answer
    if checked.refused:
        redirect = personal_redirect(asked.text, asked.audience)
        return redirect.model_copy(update={"evidence_score": checked.evidence_score})
    prefix = personal_prefix(asked.audience, prognosis)
    return checked.model_copy(update={"answer": f"{prefix}\n\n{checked.answer}"})
