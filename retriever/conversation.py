"""Follow-up questions made standalone before retrieval.

Without an LLM (the default): a rule. A question that leans on the conversation (it starts like
"what about…", points with "it"/"they", or is short without naming a new subject) gets the previous
standalone question appended: "how much does it cost? (about: car t therapy for lupus)" — a "what is …"
question gives its subject alone, as "what is" would pull definitions to the top of the follow-up's
answer.
With an LLM answerer configured: the model is asked for a standalone question (`condense_prompt`);
its reply is used only when it looks like one (`accept_condensed`), else the rule applies."""

from __future__ import annotations

import re
from collections.abc import Callable

from index.terms import content_terms

LEANING = re.compile(
    r"^(and|but|so|also|what about|how about|and what|what else|why|how come|is that|are they|does it|do they|"
    r"can it|can they|is it|will it|how much|how long|how many|how often|when)\b"
    r"|\b(it|its|it's|they|them|their|this|that|these|those|there|he|she|such|the same|one)\b",
    re.I,
)
# "What is myasthenia gravis?" names its own subject: short, but a new question, not a follow-up.
NEW_SUBJECT = re.compile(
    r"^\s*((what|who)\s*(is|are|was|were|'s|s)|tell me about|define|explain|describe)\s+"
    r"(?!(it|its|they|them|this|that|these|those|there|he|she|one)\b)",
    re.I,
)
SHORT_QUESTION_TERMS = 4
# "what are the signs" names an aspect of the subject talked about, not a new subject; the words are
# compared as `content_terms` gives them ("prognosis" → "prognosi"; session 34: "what is the
# prognosis" after "what is myasthenia gravis" was read as a new question and quoted CLL's)
_ASPECT_WORDS = (
    *("sign", "symptom", "side", "effect", "cause", "treatment", "risk", "chance", "option", "odd"),
    *("outlook", "prognosis", "cost", "price", "test", "type", "kind", "stage", "complication", "cure"),
    *("benefit", "rate", "survival", "difference", "alternative", "step", "what", "main", "first"),
    *("early", "common", "usual", "best", "other", "long", "term", "next"),
    *("life", "expectancy", "lifespan", "recovery", "mortality", "death", "outcome", "remission", "like"),
    *("diagnosis", "onset", "age", "success", "result", "process", "procedure", "length", "duration"),
)
ASPECTS = frozenset(_ASPECT_WORDS) | frozenset(content_terms(" ".join(_ASPECT_WORDS)))


def is_followup(question: str) -> bool:
    """A question that starts or points like a follow-up ("what about…", "it", "they") leans on the
    conversation; so does any other short one, unless it asks what something is by name ("what are
    the signs" names no thing, only an aspect of the one talked about)."""
    if LEANING.search(question):
        return True
    terms = content_terms(question)
    if NEW_SUBJECT.search(question) and not terms <= ASPECTS:
        return False
    return len(terms) <= SHORT_QUESTION_TERMS


def condense_followup(question: str, previous_questions: list[str]) -> str:
    """Carry the subject of the previous standalone question into a follow-up that leans on it."""
    question = question.strip()
    if not previous_questions or not is_followup(question):
        return question
    subject = _carried_subject(previous_questions[-1])
    swapped = _swapped(question, subject)
    if swapped:  # "what is graves disease" + "and hashimotos?" → "what is hashimotos"
        return swapped
    subject = _without_frame(subject)  # "what is lupus nephritis" → "lupus nephritis"
    if not SWAPS_SUBJECT.match(question):  # "what causes graves disease" → "graves disease"
        subject = _without_ask(subject) or subject
    new_terms = content_terms(question)
    if new_terms and new_terms <= content_terms(subject):
        return question
    return f"{question} (about: {subject})"


# what a swapping follow-up names after its opening: "what about for myasthenia gravis" → "myasthenia gravis"
_SWAPPED_NAME = re.compile(
    r"^\s*(?:(?:what|how)\s+about|and)\s+(?:(?:for|with|in|if|the|about)\s+)*(?P<name>.+?)\s*[?.!]*\s*$", re.I
)


def _swapped(question: str, previous: str) -> str:
    """The previous question asked of the disease or treatment a swapping follow-up names ("what
    about for myasthenia gravis" after "how does car t work for lupus" → "how does car t work for
    myasthenia gravis"; after a "what is X" question with no name the tables know, "what is" the new
    name); "" when the follow-up names none (`coverage.DISEASES`, `TREATMENTS`), names more than one
    ("car t for ms") or the previous question has nothing to swap."""
    from retriever.coverage import DISEASES, TREATMENTS

    match = _SWAPPED_NAME.match(question)
    if not match:
        return ""
    name = match.group("name")
    kind = next(
        (table for table in (DISEASES, TREATMENTS) if any(_names_only(k, p, name) for k, p in table.items())),
        None,
    )
    if kind is None:  # no name, or more than a name: "car t for ms", "lupus patients"
        return ""
    for pattern in kind.values():  # a disease takes a disease's place, a treatment a treatment's
        old = pattern.search(previous)
        if old and not pattern.search(name):
            return f"{previous[: old.start()]}{name}{previous[old.end() :]}".strip()
    frame = NEW_SUBJECT.match(previous)
    return f"{previous[: frame.end()]}{name}" if frame else ""


_GENERIC = frozenset({"disease", "syndrome", "disorder", "condition"})


def _names_only(name: str, pattern: re.Pattern[str], text: str) -> bool:
    """Does `text` name the table's `name` (matched by `pattern`) and nothing else ("myasthenia
    gravis", "hashimotos", "graves disease"; not "car t for ms", "lupus patients")?"""
    found = pattern.search(text)
    if found is None:
        return False
    start, end = found.span()
    while end < len(text) and text[end].isalnum():  # the whole word: "hashimoto" of "hashimotos"
        end += 1
    return not content_terms(f"{text[:start]} {text[end:]}") - content_terms(name) - _GENERIC


def _carried_subject(previous: str) -> str:
    """The previous standalone question; when it was a follow-up, its subject ("what are the symptoms
    (about: itp)" → "itp"), with its own words first if they name more than aspects of it ("how
    much does car t cost (about: lupus)" → "how much does car t cost lupus"): never a nested
    "(about: …)"."""
    previous = previous.strip().rstrip("?.! ")
    own, marker, about = previous.partition("(about:")
    about = about.strip().removesuffix(")").strip()
    if not marker or not about:
        return previous
    own = own.strip().rstrip("?.! ")
    return f"{own} {about}" if content_terms(_without_ask(_without_frame(own))) - ASPECTS else about


def _without_frame(question: str) -> str:
    """A "what is X" question's X ("what is lupus nephritis" → "lupus nephritis"); other questions,
    and a frame with nothing after it, as they are."""
    named = NEW_SUBJECT.match(question)
    return question[named.end() :].strip() if named and question[named.end() :].strip() else question


# "what about ms", "and for kids": the earlier ask, about something else; the ask is carried too
SWAPS_SUBJECT = re.compile(r"^\s*((what|how)\s+about|and)\b", re.I)
# an earlier question's ask, not its subject: question words and the aspects and verbs it asks about
_ASK_WORDS = re.compile(
    r"\b(what|whats|what's|which|who|whom|whose|when|where|why|how|is|are|was|were|do|does|did|can|could|"
    r"will|would|should|has|have|had|they|you|u|i|the|a|an|of|there|any|causes?|caused|causing|treat|treats|"
    r"treated|treating|treatments?|diagnose[sd]?|diagnosing|diagnosis|prevent(ed|s)?|work|works|working|"
    r"signs?|symptoms?|tests?|risks?|cure[sd]?|outlook|prognosis|side|effects?|types?|kinds?|mean|means)\b",
    re.I,
)


def _without_ask(question: str) -> str:
    """The question without its question words and the aspects it asks for: "what causes graves
    disease" → "graves disease", "does car t work for lupus" → "car t for lupus"; "" when nothing
    else is left."""
    rest = " ".join(_ASK_WORDS.sub(" ", question).split())
    return rest if content_terms(rest) else ""


def own_words(question: str) -> str:
    """What the person typed, without the subject `condense_followup` appended: in "how long does it
    last (about: does car t work for lupus)" "work" is not asked."""
    return question.split("(about:")[0]


# ---------------------------------------------------------------------------- with an LLM configured

CONDENSE_SYSTEM = (
    "You rewrite a follow-up question into one standalone question. Use the earlier questions only to "
    "name what the follow-up refers to. Do not answer it. Reply with the question alone, on one line."
)
CONDENSE_USER = "Earlier questions:\n{history}\n\nFollow-up: {question}\n\nStandalone question:"
CONDENSE_MAX_TOKENS = 64
_ASKS = re.compile(
    r"(what|which|who|whom|whose|when|where|why|how|is|are|was|were|do|does|did|can|could|will|would|"
    r"should|has|have|had)\b",
    re.I,
)

Generate = Callable[[list[dict[str, str]]], str]


def condense_prompt(question: str, previous_questions: list[str]) -> list[dict[str, str]]:
    history = "\n".join(f"- {q}" for q in previous_questions[-3:])
    return [
        {"role": "system", "content": CONDENSE_SYSTEM},
        {"role": "user", "content": CONDENSE_USER.format(history=history, question=question.strip())},
    ]


def accept_condensed(text: str, question: str, previous_questions: list[str]) -> str | None:
    """The model's rewrite if it looks like one: a single question of sensible length that keeps
    a word of the follow-up and names something from the conversation; otherwise None."""
    line = text.strip().strip('"').splitlines()[0].strip() if text.strip() else ""
    line = re.sub(r"^(standalone question|question)\s*:\s*", "", line, flags=re.I).strip()
    if not (3 <= len(line.split()) <= 40) or len(line) > 3 * len(question) + 120:
        return None
    if not (line.endswith("?") or _ASKS.match(line)):  # an answer, not a question
        return None
    terms = content_terms(line)
    earlier = set().union(*(content_terms(q) for q in previous_questions)) if previous_questions else set()
    own = content_terms(question)
    if own and not terms & own:
        return None
    if earlier and not terms & (earlier - own):
        return None
    return line


def llm_condense_followup(question: str, previous_questions: list[str], generate: Generate) -> str:
    """A follow-up rewritten by the model (`generate` takes chat messages, returns its text), or by
    the rule above when there is nothing to condense, the model fails, or its text is not usable."""
    question = question.strip()
    if not previous_questions or not is_followup(question):
        return question
    try:
        text = generate(condense_prompt(question, previous_questions))
    except Exception:  # a model or server failure must not cost the answer: the rule still works
        return condense_followup(question, previous_questions)
    return accept_condensed(text, question, previous_questions) or condense_followup(
        question, previous_questions
    )
