"""The default answerer: no LLM; it quotes the sentences of the evidence that best answer the question.

`score` rates the candidates (`retriever.candidates`): the `preselect` best on cheap signals (chunk
score, term coverage, novelty, small nudges) are embedded, and each gets a choice score (what the
answer quotes) and a sufficiency score (below `min_score` the answerer refuses). `compose`
(`retriever.choice`) then takes them best first, skipping repeats, within the audience's limits
(`retriever.audience`), and orders them for reading. Every tuned number is a field of `ExtractiveWeights` (`retriever.weights`);
how they were found: docs/answer-choice-history.md.
"""

from __future__ import annotations

import functools
import re
import threading
from collections import OrderedDict
from collections.abc import Callable

import numpy as np

from index.embedder import Embedder
from index.settings import Settings
from index.terms import content_terms, fold, fuzzy_coverage, hyphens_apart, term_coverage
from retriever.audience import audience_adjustment, sentence_limit
from retriever.candidates import ASKS_STEPS, Candidate, candidates, has_numbered_items
from retriever.choice import YES_NO, Scores, compose, grade_of
from retriever.conversation import own_words
from retriever.coverage import (
    ASKS_DURATION,
    ASKS_MOMENT,
    DISEASES,
    EFFECT_VAGUE,
    MOMENT,
    ONE_AS_A_NUMBER,
    TREATMENTS,
    about_another_disease,
    about_another_treatment,
    asked_harm,
    asked_trigger,
    asks_of,
    compared,
    counts_people,
    disease_effect,
    diseases_named,
    effect_asked,
    kind_terms,
    measured_against,
    names_harm,
    names_pair,
    other_side,
    pair_of,
    paired_subjects,
    treatment_patterns,
    treatments_named,
    trigger_words,
)
from retriever.english import english_words
from retriever.lead import Signals, feature_rows
from retriever.lead import load_model as load_lead_model
from retriever.messages import PATIENT_NOTICE, refusal
from retriever.query import asked_names, class_subject, definition_subject, written_as_name
from retriever.reader import Reader
from retriever.sections import (
    ASKS_AIM,
    ASKS_RESEARCH,
    RESEARCH_SENTENCE,
    STUDY_DESIGN,
    compares,
    is_research_section,
    kinds_asked,
    kinds_of_heading,
    kinds_of_sentence,
    restates,
    section_heading,
)
from retriever.types import (
    Answer,
    Audience,
    Citation,
    Evidence,
    cite,
)
from retriever.weights import SHIPPED, AudienceWeights, ExtractiveWeights

_SETTINGS = Settings.model_fields  # the constructor's defaults are the settings' defaults
ANSWER_BATCH = 2  # texts per forward pass when answering: sorted by length, small batches pad little
CACHE_SIZE = 20_000  # sentence vectors kept (1.5 KB each)
QUANTITY = re.compile(
    r"\b(how (many|much|often|long|common|likely)|what (percent|percentage|proportion|share|number)"
    r"|prevalence|rate of|chances?|odds|likelihood)\b",
    re.IGNORECASE,
)
FIGURE = re.compile(  # not the "one" of "no one can call it a cure" or "one of the options"
    r"\d|\b(two|three|four|five|six|seven|eight|nine|ten|twice|half|percent)\b|" + ONE_AS_A_NUMBER,
    re.I,
)
# "how many lupus patients got car t" (`coverage.counts_people`): a count of people, not the "almost four
# years" of "The first lupus patient … stayed free of symptoms for almost four years." (session 47)
PEOPLE_COUNT = re.compile(
    r"\b(?:\d[\d,.]*|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty"
    r"|dozens|hundreds|thousands|millions?)(?:\s+[\w-]+){0,3}?\s+(?:people|persons|patients|adults|kids"
    r"|children|women|men|americans|babies|infants|individuals|cases|girls|boys|teens|teenagers|participants)\b",
    re.IGNORECASE,
)
# "how long did remission last" (`coverage.ASKS_DURATION`): the figure it asks for is a length of time, not the "Two years ago"
# nor the "five patients" of "Two years ago, … five patients with severe lupus achieved complete
# remission …", which had led before "The first … stayed free of symptoms for almost four years."
_COUNT = r"(?:\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|several|many|a few|a couple of)"
DURATION = re.compile(
    rf"\b{_COUNT}(?:\s*(?:-|–|to|or)\s*{_COUNT})?[- ](?:years?|months?|weeks?|days?|hours?)\b(?! ago\b)"
    r"|\b(lifelong|life-long|for life\b(?!-)|rest of (their|your|his|her) li(fe|ves)|permanent(ly)?)\b",
    re.IGNORECASE,
)
# an age asked: "at what age is ms usually diagnosed", "how old are people when they get lupus" (session
# 37: the first had opened with "A physician may diagnose MS in some patients soon after the onset of
# the illness.", the ages of its first symptoms third)
ASKS_AGE = re.compile(
    r"\b(what|which|at what|at which) ages?\b|\bhow old\b|\bage (of onset|range)\b", re.IGNORECASE
)
AGE = re.compile(
    r"\bages?\b[^.;]{0,20}\d|\b\d+\s*(?:-|–|to|and)\s*\d+\s*years?\b|\b\d+s\b|\b\d+\s*years?\s*(?:old|of age)\b"
    r"|\b(?:over|under|older than|younger than|before|after) (?:the )?(?:age )?\d+\b"
    r"|\b(?:childhood|adolescen\w*|teens?|teenagers?|young adults?|middle[- ]aged?|elderly|older (?:adults|people))\b",
    re.IGNORECASE,
)
# "It is a type of vasculitis." quoted alone leaves the reader asking what "it" is
BACK_REFERENCE = re.compile(
    r"^(It|Its|They|Their|Them|She|He|His|Her|This|These|Those|Most of them|Some of them|The former|The latter)\b"
)
# "what happens if lupus is not treated": what the disease does without treatment (session 34), said
# as "Autoimmune hepatitis … may worsen over time if not treated.", "If left untreated, …"
ASKS_UNTREATED = re.compile(
    r"\b(if|when) (\w+ ){0,4}(is|are|was|goes|go|left)? ?(not|n'?t|never|(do|does|did|is|are|was)n'?t) (\w+ )?"
    r"(treated|treat)\b"
    r"|\buntreated\b|\bwithout (any )?(treatment|medicines?|meds)\b|\bno treatment\b",
    re.IGNORECASE,
)
UNTREATED = re.compile(
    r"\b(if|when) (it is |it's |they are |left )?(not treated|untreated)\b|\bleft untreated\b"
    r"|\bwithout (any )?treatment\b",
    re.IGNORECASE,
)
# "did car t work for lupus", "does car t really work", "is car t effective for lupus": whether a named
# treatment worked, said by a sentence naming it with a result ("… reached complete remission after
# CAR-T"), not how CAR T cells multiply in the blood (session 47)
ASKS_WORKED = re.compile(
    r"^\W*(did|does|do|has|have|will|would|can|could) (\w+[ -]){1,4}(really |actually |even |ever )?(work|works"
    r"|worked|help|helps|helped)\b|\b(is|are|was|were) (\w+[ -]){1,4}(effective|working)\b|\bhow (well|effective)\b",
    re.IGNORECASE,
)
WORKED = re.compile(
    r"\bremissions?\b|\b(improv\w*|respond\w*|responses?|symptom-free|free of symptoms|success\w*|effective"
    r"|promising|worked|helped|benefit\w*|went away|cured?)\b",
    re.IGNORECASE,
)
WHY = re.compile(r"\bwhy\b|\bwhat causes\b|\bcauses? of\b|\breasons?\b", re.I)
# a question on how a disease comes about: "what causes vitiligo", "how do people get lupus"
ASKS_ORIGIN = re.compile(
    r"\bwhat (causes|caused|triggers|brings on|sets off)\b|\bcauses? (of|for)\b|\bcaused by\b"
    r"|\bhow (do|does|did) (you|people|someone|i|kids|children|women|men) (get|catch|develop)\b"
    r"|\bwhy (do|does|did) (you|people|someone|i|kids|children|women|men) (get|develop)\b",
    re.I,
)
# how it comes about, in words other than "cause": "It occurs when the cells that give your skin its
# color are destroyed.", "In people with vitiligo the immune system appears to attack the pigment cells"
ARISES = re.compile(
    r"\b(occurs?|happens?|develops?|arises?) when\b|\b(immune system|antibod(y|ies)|body|[TB] cells)\b(\s+\w+){0,3}"
    r"\s+(attacks?|attacking|destroys?|damages?)\b|\btrigger(s|ed)?\b|\b(genes?|genetic|inherited|runs? in "
    r"(the )?famil(y|ies))\b",
    re.I,
)
# "Rituximab is a monoclonal antibody.", "Lupus nephritis is inflammation of the kidneys…", "X means …";
# not "X is one of several medicines tried", "… is treated with…", "… is usually…", 'BiTEs are "cheap…"'
DEFINITION = re.compile(
    r"^(?P<head>.{1,80}?)\s(?:(?:is|are)\s+(?![\"“'(]|(?:one\s+of|not|also|more|less|most|very|common|uncommon|rare|thought"
    r"|unknown|unclear|uncertain"
    r"|given|made|found|known|seen|still|now|often|sometimes|being|usually|than|like|as|at|in|on|to|for|by"
    r"|with|from)\b|\w+(?:ed|ly|ing)\b)|means\s|refers\s+to\s)",
    re.IGNORECASE,
)
# where to read more, not what it says: "Medscape Reference has an in-depth review of the genetics of
# lupus that was written for healthcare professionals …", "Learn more about …", "For more information, go to …"
# marked down, not left out (some also say where to find trials); those that say nothing else are left out of
# the candidates (`candidates.POINTER`)
POINTS_ELSEWHERE = re.compile(
    r"\b(more (specific|detailed|in-depth) information|in-depth review|can be (accessed|found) (through|at|on)"
    r"|web ?site (offers|has|provides)|you can (find|read|learn)|to (find|learn|read) more|for more information"
    r"|learn more about|written for (healthcare|health care) professionals|(go to|see) the (pdq|health topics)"
    r"|(has|have) an? \w+ page\b|available for viewing|can be viewed (on|at|through)\b"
    r"|information (\w+ ){0,4}is available (from|on|at)\b)",
    re.IGNORECASE,
)
# a named form of a disease, and the words of a question that ask about that form: "Signs of lupus
# nephritis can include: …" does not answer "what are the first signs of lupus"
VARIANTS = (
    (re.compile(r"lupus nephritis", re.I), re.compile(r"kidney|renal|nephritis|urine", re.I)),
    (re.compile(r"neonatal lupus", re.I), re.compile(r"bab(y|ies)|newborn|neonatal|pregnan", re.I)),
    (re.compile(r"drug[- ]induced lupus", re.I), re.compile(r"drug|medicine|medication|induced", re.I)),
    (re.compile(r"(cutaneous|discoid|skin) lupus", re.I), re.compile(r"skin|rash|cutaneous|discoid", re.I)),
)
FORMS = re.compile(r"\b(forms?|types?|kinds?|sorts?|varieties)\b", re.I)
ASKS_METHOD = re.compile(
    r"\bhow (was|were|did)\b.*\b(study|studied|measured|assessed|done|tested|selected)\b"
    r"|\b(method|methods|design|how many patients were|study population)\b",
    re.I,
)
# a question asking about diseases besides the one it names: "besides lupus what other sicknesses are
# they trying car t on" (dev-009) is answered by sentences on other diseases
ASKS_OTHER_DISEASES = re.compile(
    r"\b(besides|other than|apart from|aside from|except|beyond|what else)\b|\bother (autoimmune )?(diseases?|"
    r"conditions?|illness(es)?|sickness(es)?|disorders?)\b",
    re.I,
)
# "itp what meds are there besides prednisone": what follows is what the answer is not about (session 39)
BESIDES = re.compile(
    r"\b(?:besides|other than|apart from|aside from|except(?: for)?|instead of|alternatives? to)\s+"
    r"(?P<thing>[\w'-]+(?: [\w'-]+)?)",
    re.I,
)


def _only(named: set[str], aside: set[str]) -> bool:
    """Whether a sentence names treatments, all of them set aside."""
    return bool(named) and named <= aside


def set_aside(question: str) -> set[str]:
    """The treatments and medicines (`coverage` tables) a question sets aside ("besides prednisone",
    "other than steroids", "instead of chemo"): {"prednisone"}; empty when it sets none aside."""
    named: set[str] = set()
    for match in BESIDES.finditer(own_words(question)):
        named |= treatments_named(match.group("thing"))
    return named


# a sentence whose subject is named before it: "People taking these medications may have…"
POINTS_BACK = re.compile(
    r"\b(these|this|those|such) (medications?|medicines?|drugs?|treatments?|therapies|therapy|agents?)\b",
    re.I,
)
# a sentence telling what its subject causes, not what causes it: "Vitiligo causes white patches…",
# "Pernicious anemia also can cause other problems…" (`is_effect`)
EFFECT = re.compile(r"\b(causes?|leads? to|results? in)\b", re.I)
# what a disease is taken for, not what it does: "Celiac disease can be confused with … iron-deficiency
# anemia …" does not say celiac disease causes anemia (session 43)
LIKENED = re.compile(r"\b(confused with|mistaken for|misdiagnosed as|mimics?|resembles?)\b", re.I)
_IT_OPENS = re.compile(r"^\W*(it|this (condition|disease|disorder|illness|syndrome))\b", re.I)
# "is psoriasis hereditary": a rare subset's inheritance ("Some cases of the generalized form are caused
# by changes in the IL36RN gene and are inherited in an autosomal recessive pattern.") is not how the
# disease runs in families (session 47)
RARE_SUBSET = re.compile(
    r"^\W*(in (some )?rare cases|rarely|some cases of|in a small (number|percentage) of)\b", re.I
)
# what is brought about is a complaint, whatever the subject: "When the synovium is inflamed, it causes
# pain, swelling, and stiffness …" gives no cause of rheumatoid arthritis (session 47)
_COMPLAINT_AFTER = re.compile(
    r"\s+(\w+\s+){0,2}(pain|aches?|swelling|stiffness|weakness|rash(es)?|fatigue|tiredness|fever|itching"
    r"|numbness|tingling|redness|sores?|ulcers?)\b",
    re.I,
)
REASON = re.compile(  # "For these reasons, …" points back to reasons, it does not give one
    r"(?<!these )(?<!this )(?<!those )\b(because|due to|caused by|causes?|since|as a result|result of|leads? to"
    r"|limited by|explains?|reasons?|risk factors?"
    # what the alternative would bring: "Early treatment is important; otherwise there is a
    # risk of permanent vision loss or stroke." for "why do drs rush to treat giant cell arteritis" (session 30)
    r"|otherwise)\b",
    re.I,
)


def _marked(pool: list[Candidate], test: Callable[[str], object]) -> np.ndarray:
    """1.0 for each candidate whose text passes `test` (a regex's `search`), else 0.0."""
    return np.array([bool(test(c.text)) for c in pool], dtype=np.float32)


# a name and what it is, between commas: "Thymectomy, the surgical removal of the thymus gland (…),
# improves symptoms …", "Prednisone, a type of steroid, is …"; the name is one to four words, the first
# a content word ("In hemolytic anemia, the spleen …" names no thing)
APPOSITION = re.compile(
    r"^(?P<head>[^,;:()]{1,60}?(?: \([^)]{1,20}\))?), (?:the|a|an) [^,;:]{3,120}?(?:\([^)]*\))?,\s"
)


def defines(sentence: str, subject: set[str], strict: bool = False) -> bool:
    """Does the sentence define the subject: "<subject…> is a / are the / means / refers to …", with
    every subject word before the verb ("Systemic sclerosis, also called systemic scleroderma, is an
    autoimmune disorder" defines scleroderma), or name it and say what it is between commas
    (`APPOSITION`)?"""
    if not subject:
        return False
    text = sentence.replace("**", "")
    match = DEFINITION.match(text)
    # a hyphenated word by its parts too: "CAR T-cell therapy is …" names the "car t" asked about
    if match is not None and fuzzy_coverage(subject, hyphens_apart(match.group("head"))) >= 1.0:
        head = match.group("head")
        # `strict`: the head opens with the subject ("Lupus is …"), not "A striking feature of lupus is …"
        first = " ".join(head.split()[: len(subject) + 1])
        opens = not strict or fuzzy_coverage(subject, hyphens_apart(first)) >= 1.0
        return opens and not _person_named(head, subject)
    named = APPOSITION.match(text)
    if named is None:
        return False
    words = re.sub(r"\([^)]*\)", "", named.group("head")).split()
    return (
        0 < len(words) <= 4
        and bool(content_terms(words[0]))
        and fuzzy_coverage(subject, named.group("head")) >= 1.0
    )


def _person_named(head: str, subject: set[str]) -> bool:
    """Is the head a person's name made of the subject's word and a surname no English word list has:
    "Anca Askanase is a rheumatologist …" does not define ANCA (session 31); "Sjögren Syndrome is …"
    defines Sjögren."""
    words = re.findall(r"[^\W\d_][\w'-]*", head)
    english = english_words()
    return any(
        first[:1].isupper()
        and not first.isupper()
        and fold(first) in subject
        and following[:1].isupper()
        and fold(following) not in subject
        and fold(following) not in english
        for first, following in zip(words, words[1:], strict=False)
    )


def defines_one(sentence: str, subjects: list[re.Pattern[str]]) -> bool:
    """Does the sentence open by defining one of the subjects: "Rheumatoid arthritis (RA) is an
    autoimmune disease…", "Myositis is inflammation of…" (not "The key sign of myasthenia gravis is…")?"""
    match = DEFINITION.match(sentence.replace("**", ""))
    if match is None:
        return False
    head = match.group("head")
    return any((found := p.search(head)) is not None and found.start() <= 4 for p in subjects)


def unanchored(candidate: Candidate, question_terms: set[str]) -> bool:
    """Does the candidate point back ("these medications", "It is …") to something its chunk, up to
    it, never connects with the question: none of the question's words the candidate lacks comes
    before it? Quoted alone it would read as being about the question's subject."""
    if not (POINTS_BACK.search(candidate.text) or BACK_REFERENCE.match(candidate.text)):
        return False
    missing = question_terms - content_terms(candidate.text)
    if not missing:
        return False
    ev = candidate.evidence
    before = f"{ev.title} {ev.headings} {ev.text[: max(0, candidate.start - ev.start)]}"
    return fuzzy_coverage(missing, before) == 0.0


class SentenceVectors:
    """The embedder's vectors with a bounded cache: evidence sentences recur across questions.

    `pin` keeps vectors computed ahead of questions (`retriever.prefill`) outside the bounded part, so
    answering never evicts them; both methods may run on different threads at once."""

    def __init__(self, embedder: Embedder, size: int = CACHE_SIZE, batch_size: int = ANSWER_BATCH) -> None:
        self.embedder = embedder
        self.size = size
        self.batch_size = batch_size  # texts per forward pass of `encode`
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._pinned: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()  # the dicts only: embedding runs outside it

    def encode(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._pinned and t not in self._cache]
        computed = (
            dict(zip(missing, self.embedder.encode(missing, batch_size=self.batch_size), strict=True))
            if missing
            else {}
        )
        with self._lock:
            vectors = []
            for text in texts:
                vector = self._pinned.get(text)
                if vector is None:
                    vector = self._cache.pop(text, None)
                    vector = computed[text] if vector is None else vector
                    self._cache[text] = vector  # (again) the most recently used
                vectors.append(vector)
            while len(self._cache) > self.size:
                self._cache.popitem(last=False)
        if not vectors:
            return np.zeros((0, self.embedder.dimension), dtype=np.float32)
        return np.stack(vectors)

    def pin(self, texts: list[str], batch_size: int = ANSWER_BATCH) -> None:
        """Embed and keep these texts for good (those already cached are moved, not embedded again)."""
        with self._lock:
            new = [t for t in dict.fromkeys(texts) if t not in self._pinned]
            for text in [t for t in new if t in self._cache]:
                self._pinned[text] = self._cache.pop(text)
            missing = [t for t in new if t not in self._pinned]
        if missing:
            vectors = self.embedder.encode(missing, batch_size=batch_size)
            with self._lock:
                self._pinned.update(zip(missing, vectors, strict=True))

    def pinned(self) -> dict[str, np.ndarray]:
        """A copy of the vectors computed ahead, by text."""
        with self._lock:
            return dict(self._pinned)

    def pin_vectors(self, vectors: dict[str, np.ndarray]) -> None:
        """Keep vectors computed earlier (a saved prefill) as if `pin` had computed them."""
        with self._lock:
            self._pinned.update(vectors)


def _read_some(reader: Reader, question: str, texts: list[str], rows: list[int]) -> np.ndarray:
    """The reader's softmax over the texts at `rows` (in that order), read with the question."""
    if not rows:
        return np.zeros(0, dtype=np.float32)
    logits = reader.score(question, [texts[i] for i in rows])
    read = np.exp(logits - logits.max())
    return (read / read.sum()).astype(np.float32)


class ExtractiveAnswerer:
    """Selects, orders and cites the few sentences that answer the question."""

    name = "extractive"

    def __init__(
        self,
        embedder: Embedder,
        max_sentences: int = _SETTINGS["max_answer_sentences"].default,
        min_score: float = _SETTINGS["min_evidence_score"].default,
        staff_extra_sentences: int = _SETTINGS["staff_extra_sentences"].default,
        use_lead_model: bool = _SETTINGS["lead_model"].default,
        weights: ExtractiveWeights | None = None,
        reader: Reader | None = None,
    ) -> None:
        self.embedder = embedder
        self.reader = reader
        self.max_sentences = max_sentences
        self.min_score = min_score
        self.staff_extra_sentences = staff_extra_sentences
        self.vectors = SentenceVectors(embedder)
        self.use_lead_model = use_lead_model
        self.weights = weights if weights is not None else SHIPPED

    def score(self, question: str, pool: list[Candidate]) -> tuple[list[Candidate], Scores]:
        """The `preselect` candidates best on the cheap signals (chunk similarity, term coverage,
        nudges), and per kept candidate: the choice score, the sufficiency score, the cosine matrix.
        Only the kept sentences are embedded, which bounds the answer's model time."""
        w = self.weights
        terms = content_terms(question)
        moment = bool(ASKS_MOMENT.search(question))
        age = bool(ASKS_AGE.search(question))
        wants_figure = moment or age or bool(QUANTITY.search(question))
        figure = _asked_figure(question, moment, age)
        wants_reason = bool(WHY.search(question))
        kinds = kinds_asked(question)
        asks_cause = wants_reason or "cause" in kinds
        origin = bool(ASKS_ORIGIN.search(question)) or "cause" in kinds
        asked = [ask for ask in asks_of(question) if ask.lifts or ask.lift] if w.w_ask else []
        # "does stress make lupus worse": a sentence naming stress, in a chunk on lupus (session 42)
        trigger = asked_trigger(question) if w.w_ask else None
        names_trigger = trigger_words(trigger[0]) if trigger else None
        on_disease = (
            _names_subject(pool, [DISEASES[d] for d in sorted(trigger[1])])
            if trigger and names_trigger
            else []
        )
        # "can steroids cause osteoporosis": a sentence naming the treatment and the effect (session 43)
        harm = asked_harm(question) if w.w_ask else None
        # "can lupus affect your eyes": a sentence naming the eyes (or vision), on lupus (session 43)
        effect = disease_effect(question) if w.w_ask else None
        on_effect = _names_subject(pool, [DISEASES[d] for d in sorted(effect[0])]) if effect else []
        untreated = bool(ASKS_UNTREATED.search(question))
        worked = treatment_patterns(question) if ASKS_WORKED.search(question) and w.w_ask else []
        subjects = compared(question)
        sections = kinds if w.w_section else frozenset()
        research = w.w_research if not ASKS_RESEARCH.search(question) else 0.0
        subject = definition_subject(question)
        classed = not subject  # "is lupus a cancer": what lupus is, said of lupus first
        subject = subject or class_subject(question)
        design_penalty = w.w_study_design if not ASKS_METHOD.search(question) else 0.0
        # each candidate's definition test, read by the nudges and by `Scores.definitions`
        defining = [defines(c.text, subject, strict=classed) for c in pool]
        chunk = np.array([c.evidence.score for c in pool], dtype=np.float32)
        # "how does teclistamab work": the sources say how BiTEs work, teclistamab's kind
        kin = kind_terms(question, terms) if "mechanism" in kinds else None
        word_sets = [terms, kin] if kin else [terms]  # a sentence's coverage: the better of them
        titled_coverage = np.array(
            [
                max(
                    fuzzy_coverage(
                        words, f"{c.evidence.title} {without_effect(c.text, words) if asks_cause else c.text}"
                    )
                    for words in word_sets
                )
                for c in pool
            ],
            dtype=np.float32,
        )
        # per candidate, once: its section's heading, and which compared things it defines
        headings_of = [section_heading(c.evidence.headings) for c in pool]
        heading_restated = {h: restates(question, h) for h in set(headings_of)} if w.w_heading else {}
        restated = [heading_restated.get(h, False) for h in headings_of]
        about = [  # per ask: is the candidate's chunk about the question's subject (a paired ask)
            _names_subject(pool, paired_subjects(ask, question, kin=True)) for ask in asked
        ]
        # a paired ask's words in a sentence about another treatment (CAR-T's price for teclistamab's)
        paired_ask = any(ask.paired for ask in asked)
        # a question naming no disease is about those its best chunk's title names: "what did askanase
        # say about a cure" (the MedPath lupus article) is not answered by "There is no cure for
        # Isaacs' syndrome." (session 30)
        on = question if diseases_named(question) else f"{question} ({_best_title(pool)})"
        other_disease = [about_another_disease(on, c.text) for c in pool]
        foreign = [
            paired_ask and (about_another_treatment(question, c.text) or other_disease[i])
            for i, c in enumerate(pool)
        ]
        defined = [[defines_one(c.text, [p]) for p in subjects] for c in pool]
        # the kinds a sentence, or a list's lead-in, says it gives ("Symptoms often include …"); prose
        # of the kind asked gets `w_section` (a list has `w_unit`), one of another kind `w_other_kind`
        # (a list loses `w_unit`: "Common lupus symptoms include:" for "what causes lupus flares")
        says = [
            kinds_of_sentence(c.parts[0] if c.parts else c.text) if sections else frozenset() for c in pool
        ]
        # (what a treatment does to cells is said in sentences of every kind: "… the kidneys do not filter
        # well" is no mechanism that a diagnosis answer should avoid)
        other_kind = [bool(said - {"mechanism"}) and not (sections & said) for said in says]
        # a section of the kind asked lifts only where its chunk names the disease asked about: "NINDS
        # says women are affected about 9 times as often as men." (Sjögren's) is no answer to "is
        # vitiligo more common in men or women" (session 30)
        on_subject = (  # read only when a kind is asked: otherwise the section lift is 0 anyway
            _names_subject(pool, [DISEASES[d] for d in sorted(diseases_named(question))])
            if sections
            else [True] * len(pool)
        )
        # per candidate: the asks whose words (`Ask.lift`) it has in a chunk on the question's subject
        gives_ask = [
            [k for k, ask in enumerate(asked) if (ask.lift or ask.evidence).search(c.text) and about[k][i]]
            if not foreign[i]
            else []
            for i, c in enumerate(pool)
        ]
        holds = [any(asked[k].holds_lead for k in given) for given in gives_ask]
        nudges = np.array(
            [
                w.w_first * (c.start == c.evidence.start)
                + w.w_figure * (wants_figure and bool(figure.search(c.text)))
                + w.w_reason
                * ((wants_reason and gives_reason(c.text, terms)) or (origin and bool(ARISES.search(c.text))))
                + w.w_ask
                * (
                    bool(gives_ask[i])
                    or (untreated and bool(UNTREATED.search(c.text)))
                    or (
                        bool(worked)
                        and not other_disease[i]
                        and any(p.search(c.text) for p in worked)
                        and bool(WORKED.search(c.text))
                    )
                    or (
                        names_trigger is not None
                        and on_disease[i]
                        and bool(names_trigger.search(fold(c.text)))
                    )
                    or (harm is not None and names_harm(harm, c.text))
                    or (
                        effect is not None
                        and on_effect[i]
                        and not other_disease[i]  # not myasthenia gravis's eyes for lupus
                        and not LIKENED.search(c.parts[0] if c.parts else c.text)
                        and all(p.search(fold(c.text)) for p in effect[1])
                    )
                )
                * (not foreign[i])
                + w.w_compare * any(defined[i])
                + max(
                    w.w_section
                    * bool(
                        sections & (kinds_of_heading(headings_of[i]) | (frozenset() if c.parts else says[i]))
                    )
                    * on_subject[i],
                    w.w_heading * restated[i],
                )
                + research
                * (is_research_section(headings_of[i]) or bool(kinds and RESEARCH_SENTENCE.match(c.text)))
                + w.w_lead_in * c.text.rstrip().endswith(":")
                + w.w_back_reference * bool(BACK_REFERENCE.match(c.text))
                + w.w_unit * (bool(c.parts) and c.parts[0].endswith(":") and not other_kind[i])  # a lead-in
                + w.w_definition * defining[i]
                + w.w_other_kind * (other_kind[i] and not c.parts)
                + w.w_other_kind * ("inheritance" in sections and bool(RARE_SUBSET.search(c.text)))
                for i, c in enumerate(pool)
            ],
            dtype=np.float32,
        )
        known = terms | content_terms(" ".join({c.evidence.title for c in pool}))
        novelty = np.array(
            [min(w.novel_cap, len(content_terms(c.text) - known)) / w.novel_cap for c in pool],
            dtype=np.float32,
        )
        cheap = w.w_chunk_select * chunk + w.w_coverage * titled_coverage + nudges + w.w_novel * novelty
        if w.follow > 0:  # a sentence right after a strong one in its chunk often carries what it announced
            for i in range(1, len(pool)):
                if pool[i].evidence.chunk_id == pool[i - 1].evidence.chunk_id:
                    cheap[i] = max(cheap[i], w.follow * cheap[i - 1])
        if w.w_unanchored:
            cheap += w.w_unanchored * np.array([unanchored(c, terms) for c in pool], dtype=np.float32)
        if design_penalty:  # after `follow`: a method sentence is not lifted by the one before it
            cheap += design_penalty * _marked(pool, STUDY_DESIGN.search)
        forms = FORMS.search(question)  # "which forms of lupus are there": the forms are the answer
        variants = [] if forms else [v for v, asks in VARIANTS if not asks.search(question)]
        if w.w_variant and variants:
            cheap += w.w_variant * _marked(pool, lambda text: any(v.search(text) for v in variants))
        # and the other way: a question on lupus nephritis is not answered by lupus's own signs ("what are
        # the signs (about: lupus nephritis)" opened with "Common signs of lupus include …", session 37)
        narrowed = [] if forms else [asks for v, asks in VARIANTS if v.search(question)]
        if w.w_variant and narrowed:
            cheap += w.w_variant * _marked(
                pool,
                lambda text: (
                    bool(DISEASES["lupus"].search(text)) and not any(a.search(text) for a in narrowed)
                ),
            )
        if w.w_points_elsewhere:
            cheap += w.w_points_elsewhere * _marked(pool, POINTS_ELSEWHERE.search)
        if w.w_effect and asks_cause:
            cheap += w.w_effect * _marked(pool, lambda text: is_effect(text, terms) is not None)
        if w.w_other_treatment:
            cheap += w.w_other_treatment * np.array(foreign, dtype=np.float32)
        # a sentence on what the question sets aside ("besides prednisone"), and no other treatment, neither
        # opens nor rises: "itp what meds are there besides prednisone" opened with prednisone (session 39)
        # … nor one telling of another treatment, the question's only what it is measured against:
        # "Simpler treatments such as BiTEs may help more lupus patients than CAR-T can." opened "how does
        # car t help lupus" (session 40); nor one on the time before a treatment when the question asks
        # about after it, or the other way round (`other_side`, session 40)
        # … nor, when the question asks how its treatment works or helps, one about another treatment:
        # "how do steroids help ms flares" opened with "CAR-T cell therapy, which removes B cells, is also
        # being explored for MS." (session 41)
        aside = set_aside(question)
        how_it_works = "mechanism" in kinds
        sidelined = [
            (_only(treatments_named(c.text), aside) if aside else measured_against(question, c.text))
            or other_side(question, c.text)
            or (how_it_works and about_another_treatment(question, c.text))
            for c in pool
        ]
        if w.w_other_treatment and any(sidelined):
            cheap += w.w_other_treatment * np.array(sidelined, dtype=np.float32)
        # a sentence on other diseases only; a paired ask's has `w_other_treatment` already
        if w.w_other_disease and not ASKS_OTHER_DISEASES.search(question):
            cheap += w.w_other_disease * np.array(
                [other_disease[i] and not foreign[i] for i in range(len(pool))], dtype=np.float32
            )
        ranked = [int(i) for i in np.argsort(-cheap, kind="stable")]
        keep = ranked[: w.preselect]
        for k in range(len(subjects)):  # a comparison keeps a definition of each thing compared
            definers = [i for i in range(len(pool)) if defined[i][k]]
            if definers and not set(definers) & set(keep):
                keep.append(max(definers, key=lambda i: float(cheap[i])))
        # … and its best sentence comparing them (session 45)
        comparing = (
            [i for i in range(len(pool)) if compares(pool[i].text, subjects)] if len(subjects) > 1 else []
        )
        if comparing and not set(comparing) & set(keep):
            keep.append(max(comparing, key=lambda i: float(cheap[i])))
        pair = pair_of(question, TREATMENTS) if w.keep_pair else ([], [])
        if pair[0]:  # "can car t be used for ms" keeps its best sentence naming both, if any
            naming = [i for i in range(len(pool)) if names_pair(pair, pool[i].text)]
            if naming and not set(naming) & set(keep):
                keep.append(max(naming, key=lambda i: float(cheap[i])))
        opens = set(keep)  # the `preselect_follow` more may follow the first sentence, not be it
        keep = sorted(opens | set(ranked[w.preselect : w.preselect + w.preselect_follow]))
        kept = [pool[i] for i in keep]
        n = len(kept)  # one encode call: the model sorts all texts by length, so batches pad little
        headings = (  # only the lead model reads headings
            [h for h in dict.fromkeys(section_heading(c.evidence.headings) for c in kept) if h]
            if self.use_lead_model
            else []
        )
        vectors = self.vectors.encode(  # the headings ride along, so `_lead_rows` finds them cached
            [question] + [c.text for c in kept] + [with_title(c) for c in kept] + headings
        )
        q, plain, titled = vectors[0], vectors[1 : n + 1], vectors[n + 1 : 2 * n + 1]
        plain_sim, titled_sim = plain @ q, titled @ q
        coverage = np.array(
            [max(term_coverage(words, c.text) for words in word_sets) for c in kept],
            dtype=np.float32,
        )
        choice = w.w_plain * plain_sim + w.w_titled * titled_sim + cheap[keep]
        read = read_some = None  # the reader reads question and sentence together
        reader, texts = self.reader, [c.text for c in kept]
        if (
            reader is not None
            and w.w_reader_first
            and w.reader_window
            and not (w.w_reader or w.w_reader_lead)
        ):
            read_some = functools.partial(_read_some, reader, question, texts)  # read when composing
        elif reader is not None and (w.w_reader or w.w_reader_lead or w.w_reader_first):
            read = _read_some(reader, question, texts, list(range(n)))
            choice = choice + w.w_reader * read
        sufficiency = w.w_sentence * plain_sim + w.w_chunk * chunk[keep] + w.w_terms * coverage
        names = asked_names(question) if w.w_named else set()
        if names:  # "who is fabian muller": the sentence naming him is evidence the cosine cannot weigh
            named = w.w_named * np.array(
                [any(written_as_name(n, c.text) for n in names) for c in kept], dtype=np.float32
            )
            choice, sufficiency = choice + named, sufficiency + named
        rows = lead = None
        if self.use_lead_model:
            rows = self._lead_rows(
                question,
                kept,
                q,
                plain_sim,
                titled_sim,
                coverage,
                titled_coverage[keep],
                novelty[keep],
                subject,
            )
            model = load_lead_model()
            lead = model.score(rows) if model is not None else None
        pinned: list[int] = []
        for k in range(len(subjects)):
            definers = [j for j, i in enumerate(keep) if defined[i][k] and j not in pinned]
            if definers:
                pinned.append(max(definers, key=lambda j: float(choice[j])))
        pinned = pinned if len(pinned) >= 2 else []
        # a sentence comparing them leads, then what each one is (session 45): "whats the difference
        # between car t and those bite drugs" opens with "BiTEs' … are a sharp contrast with CAR-T."
        leads = [j for j, i in enumerate(keep) if i in comparing]  # read once, above
        if leads:
            best = max(leads, key=lambda j: float(choice[j]))
            pinned = [best, *(j for j in pinned if j != best)]
        pinned = pinned if w.w_compare else []
        yes_no = bool(YES_NO.match(own_words(question)))
        return kept, Scores(
            choice,
            sufficiency,
            plain @ plain.T,
            frozenset(known),
            rows,
            lead,
            tuple(pinned),
            yes_no,
            frozenset(terms),
            read,
            read_some,
            asks_cause,
            tuple(other_disease[i] for i in keep),
            bool(ASKS_METHOD.search(question) or ASKS_AIM.search(question)),
            "mechanism" in kinds,
            tuple(i in opens and not _step_label(pool[i].text, question) and not sidelined[i] for i in keep)
            if w.preselect_follow
            else (),
            tuple(defining[i] for i in keep) if subject and not classed else (),
            tuple(bool(sections & says[i]) and on_subject[i] for i in keep) if sections else (),
            _names_effect(kept, question),
            tuple(other_kind[i] for i in keep) if sections else (),
            _acts(kept, question, [other_disease[i] for i in keep])
            if "mechanism" in kinds or DOES_WHAT.search(own_words(question))
            else (),
            tuple(holds[i] for i in keep) if any(holds) else (),
        )

    def _lead_rows(
        self,
        question: str,
        kept: list[Candidate],
        q: np.ndarray,
        plain_sim: np.ndarray,
        titled_sim: np.ndarray,
        coverage: np.ndarray,
        titled_coverage: np.ndarray,
        novelty: np.ndarray,
        subject: set[str],
    ) -> np.ndarray:
        """The `retriever.lead` features of the kept candidates (section headings embedded, cached)."""
        headings = [section_heading(c.evidence.headings) for c in kept]
        unique = [h for h in dict.fromkeys(headings) if h]
        heading_vectors = dict(zip(unique, self.vectors.encode(unique), strict=True)) if unique else {}
        terms = content_terms(question)
        signals = Signals(
            plain_sim=plain_sim,
            titled_sim=titled_sim,
            heading_sim=np.array([float(heading_vectors[h] @ q) if h else 0.0 for h in headings]),
            chunk_sim=np.array([c.evidence.score for c in kept]),
            coverage=coverage,
            titled_coverage=titled_coverage,
            heading_coverage=np.array([fuzzy_coverage(terms, h) if h else 0.0 for h in headings]),
            first_of_chunk=np.array([c.start == c.evidence.start for c in kept]),
            position=np.array([1.0 / (1 + c.index) for c in kept]),
            evidence_rank=np.array([1.0 / (1 + c.rank) for c in kept]),
            context=np.array([c.evidence.context for c in kept]),
            definition=np.array([defines(c.text, subject) for c in kept]),
            lead_in=np.array([c.text.rstrip().endswith(":") for c in kept]),
            back_reference=np.array([bool(BACK_REFERENCE.match(c.text)) for c in kept]),
            list_unit=np.array([bool(c.parts) for c in kept]),
            novelty=novelty,
            grade=np.array([grade_of(c) / 10.0 for c in kept]),
            words=np.array([min(60, len(c.text.split())) / 30.0 for c in kept]),
        )
        return feature_rows(question, [c.text for c in kept], signals)

    def quotable(self, evidence: Evidence) -> list[str]:
        """The texts `score` may embed for this chunk's sentences (`retriever.prefill` embeds them ahead)."""
        pool = candidates([evidence], self.weights)
        if has_numbered_items(
            evidence.text
        ):  # and the units of numbered steps a question asking for steps reads
            texts = {c.text for c in pool}
            steps = candidates([evidence], self.weights, steps=True)
            pool += [c for c in steps if c.parts and c.text not in texts]
        return [c.text for c in pool] + [with_title(c) for c in pool]

    def answer(self, question: str, evidence: list[Evidence], audience: Audience) -> Answer:
        pool = candidates(evidence, self.weights, steps=bool(ASKS_STEPS.search(own_words(question))))
        if not pool:
            return refusal(question, audience, "no_evidence")
        pool, scored = self.score(question, pool)
        scores = scored.sufficiency
        best = int(np.argmax(scores))
        if float(scores[best]) < self.min_score:
            refused = refusal(question, audience, "insufficient_evidence")
            refused.evidence_score = round(float(scores[best]), 4)
            return refused
        # the audience reorders near-equal candidates (plain words for patients, figures for staff)
        shaping = self.weights.audience
        adjusted = scored.choice + self.weights.audience_scale * np.array(
            [_audience_adjustment(c, audience, shaping) for c in pool], dtype=np.float32
        )
        limit = sentence_limit(audience, self.max_sentences, self.staff_extra_sentences, shaping)
        ordered = compose(self.weights, pool, scored, adjusted, limit, audience)
        if self.weights.keep_pair:
            budget = self.weights.patient_words if audience == "patient" else None
            ordered = _with_pair(
                question, pool, scored, adjusted, ordered, self.weights.margin, limit, budget
            )
        citations = [_cite(n, pool[i], float(scores[i])) for n, i in enumerate(ordered, start=1)]
        text = _join([(pool[i], c.n) for c, i in zip(citations, ordered, strict=True)])
        return Answer(
            question=question,
            answer=text,
            citations=citations,
            audience=audience,
            evidence_score=round(float(scores[best]), 4),
            answerer=self.name,
            notice=PATIENT_NOTICE if audience == "patient" else "",
        )


def _best_title(pool: list[Candidate]) -> str:
    """The title of the best-scored retrieved chunk among the candidates' (not one added as context)."""
    retrieved = [c.evidence for c in pool if not c.evidence.context] or [c.evidence for c in pool]
    return max(retrieved, key=lambda e: e.score).title if retrieved else ""


def with_title(candidate: Candidate) -> str:
    """The sentence as embedded with its document's title ("Lupus: It can affect the kidneys.")."""
    return f"{candidate.evidence.title}: {candidate.text}"


def is_effect(sentence: str, question_terms: set[str] | frozenset[str]) -> re.Match[str] | None:
    """The "causes" / "leads to" / "results in" of a sentence whose subject is the question's (its first
    content word is one of `question_terms`, before any comma, or it opens with "It" / "This
    condition"): what that subject brings about ("Vitiligo causes white patches on your skin."), not
    what brings it about; else None."""
    match = EFFECT.search(sentence)
    if not match:
        return None
    before = sentence[: match.start()]
    if _COMPLAINT_AFTER.match(sentence, match.end()):
        return match
    if re.search(r"[,;:]", before):
        return None  # "In neuromyelitis optica, the autoimmune attack causes inflammation…"
    words = re.findall(r"[A-Za-z][\w'-]*", before)
    first = next((w for w in words if content_terms(w)), "")
    # a hyphenated name by its parts: "Guillain-Barre syndrome is a rare disorder that causes …" for
    # "what causes guillain barre syndrome" (session 30)
    parts = content_terms(first.replace("-", " "))
    asked = set(question_terms)
    if _IT_OPENS.match(before) or (
        first and (content_terms(first) <= asked or bool(parts) and parts <= asked)
    ):
        return match
    return None


def without_effect(sentence: str, question_terms: set[str] | frozenset[str]) -> str:
    """The sentence less an effect's "causes" (`is_effect`): "Vitiligo causes white patches on your
    skin." does not have the "cause" that "what causes vitiligo" asks for."""
    effect = is_effect(sentence, question_terms)
    return sentence if effect is None else sentence[: effect.start()] + sentence[effect.end() :]


def _asked_figure(question: str, moment: bool, age: bool) -> re.Pattern[str]:
    """The figure a quantity question asks for: a moment, an age, a length of time, a count of people
    ("how many lupus patients got car t"), else any figure."""
    if moment:
        return MOMENT
    if age:
        return AGE
    if ASKS_DURATION.search(question):
        return DURATION
    return PEOPLE_COUNT if counts_people(question) else FIGURE


def gives_reason(sentence: str, question_terms: set[str] | frozenset[str]) -> bool:
    """Has the sentence a reason word (`REASON`), not counting an effect's "causes" (`is_effect`)?"""
    return bool(REASON.search(without_effect(sentence, question_terms)))


# words that say how, not what: "does eating sugar cause lupus" is about sugar
_HOW = frozenset({"eat", "eating", "drinking", "having", "getting", "being", "too", "lot", "much", "food"})


# a step of a procedure, by its bold label: "**Grow.** The CAR T cells are grown in the lab, …"
_STEP_LABEL = re.compile(r"^\W*\*\*(collect|change|grow|give back|infuse|prepare)\.\*\*", re.IGNORECASE)


def _step_label(text: str, question: str) -> bool:
    """Is the text a labelled step of making CAR T cells, for a question that asks neither for steps
    nor for what that step gives ("how do they get your t cells out": "**Collect.** T cells are taken
    from the patient.", session 46)?"""
    if not _STEP_LABEL.match(text) or ASKS_STEPS.search(own_words(question)):
        return False
    return not any(ask.name in _STEP_ASKS and ask.evidence.search(text) for ask in asks_of(question))


_STEP_ASKS = frozenset({"collect", "made_where"})


def _names_effect(kept: list[Candidate], question: str) -> tuple[bool, ...]:
    """Per kept candidate: does the sentence name the effect a "can X cause / affect Y" question asks
    about, every content word of Y but vague ones ("problems") and X's own (empty for other
    questions)?"""
    asked = effect_asked(question)
    if asked is None:
        return ()
    harm = asked_harm(question)
    if harm is not None:
        # "can steroids cause osteoporosis": the treatment named too, not "Such patients may want to
        # discuss … treatments for osteoporosis." (session 43)
        return tuple(names_harm(harm, c.text) for c in kept)
    subject, said = asked
    if diseases_named(said) and not diseases_named(subject):
        # "does smoking cause ra" asks whether that cause is one: a sentence naming it opens, not "The
        # exact cause of RA is unknown." (session 37); "can medicine cause lupus" has "Drug-induced
        # lupus is lupus that is triggered by a medicine." first already
        cause = content_terms(subject) - EFFECT_VAGUE - _HOW
        if not cause or len(cause) > 2 or any(p.search(subject) for p in TREATMENTS.values()):
            return ()
        # each word as a word's start: "stress" is named by "life stresses"
        named = [re.compile(rf"\b{re.escape(w)}\w{{0,3}}\b", re.IGNORECASE) for w in sorted(cause)]
        return tuple(all(p.search(c.text) for p in named) for c in kept)
    effect = content_terms(said) - content_terms(subject) - EFFECT_VAGUE
    if not effect:
        return ()
    # each word as typed or in the words sources use: "can ms ruin your eyesight" is named by vision
    # problems, "can ra cause fatigue" by … tiredness (session 43)
    of_disease = disease_effect(question)
    return tuple(
        effect <= content_terms(c.text)
        or (of_disease is not None and all(p.search(fold(c.text)) for p in of_disease[1]))
        for c in kept
    )


# what a treatment does to cells or the immune system, said with a verb (`_acts`)
ACTS = re.compile(
    r"\b(works? by|binds?|binding|kills?|killing|destroys?|destroying|removes?|removing|depletes?|depleting"
    r"|wipes? out|lowers?|lowering|reduces?|reducing|resets?|attacks?|attacking|hunts?|go(es)? after|joins?"
    r"|links?|blocks?|blocking|suppress(es|ing)?|holds? back|calms?|brings? down|stops?)\b",
    re.IGNORECASE,
)


# a study's own voice: "We found that … hydroxychloroquine suppress the T-cell response … in mice"
FIRST_PERSON = re.compile(r"^\W*(we|our|in this study|this study)\b", re.IGNORECASE)


# "what do b cells do", "what is the job of b cells", "what are t cells supposed to do": what a cell,
# an organ or a substance the question names does (session 46)
DOES_WHAT = re.compile(
    r"^\W*(?:what|whats|what's)\s+(?:do|does|did|is|are)\s+(?:the\s+|your\s+|our\s+|a\s+|an\s+)?(?P<thing>[a-z][\w -]{0,30}?)"
    r"\s+(?:normally\s+|actually\s+|usually\s+|really\s+|even\s+)?(?:supposed to\s+)?(?:do\b|for\W*$)"
    r"|\b(?:job|role|function|purpose|point)s?\s+of\s+(?:the\s+|your\s+|a\s+|an\s+)?(?P<of>[a-z][\w -]{0,30}?)"
    r"(?:\s+(?:in|for|with)\b|\W*$)",
    re.IGNORECASE,
)
# what a cell or an organ does besides `ACTS`: "B cells are the immune cells that make antibodies."
FUNCTION = re.compile(
    r"\b(makes?|making|produces?|producing|helps?|fights?|fighting|protects?|protecting|defends?|recogni[sz]es?"
    r"|carr(y|ies)|filters?|sends?|controls?|signals?|passes|stores?|releases?|targets?|seals?)\b",
    re.IGNORECASE,
)


def _thing_does(question: str) -> re.Pattern[str] | None:
    """What names the cell, organ or substance a "what does X do" question asks about: X's words
    with a hyphen or a space between, the last one singular or plural ("b cells": "B cells", "B-cell");
    None when the question is no such question, or X names a treatment or a disease (their own rules)
    or nothing."""
    asked = own_words(question)
    match = DOES_WHAT.search(asked)
    thing = (match.group("thing") or match.group("of")) if match else None
    # "what do b cells do wrong in lupus": what goes wrong in a disease is not what the cells do
    if not thing or treatment_patterns(thing) or diseases_named(asked):
        return None
    words = re.findall(r"[a-z]+", thing.lower())
    if not content_terms(thing) or len(words) > 3:
        return None
    last = words[-1]
    # the last word as a word's start: "antibod" for "antibodies", "cell" for "cells"
    words[-1] = (
        last[:-3] if last.endswith("ies") else last[:-1] if last.endswith("s") and len(last) > 3 else last
    )
    # not "CAR T cells" for "t cells"
    return re.compile(
        r"(?<!car )(?<!car-)\b" + r"[- ]".join(re.escape(w) for w in words) + r"\w*\b", re.IGNORECASE
    )


SUBJECT_WORDS = 6  # words before the thing a "what does X do" sentence names: "Before birth and during childhood, the thymus"
# a compound the thing starts, not the thing: "T-cell engager", "platelet count"
_COMPOUND = re.compile(
    r"[- ](engagers?|therap\w*|counts?|levels?|depletion|receptors?|lymphomas?|leuk\w*mias?|cancers?|tests?"
    r"|disorders?)\b",
    re.IGNORECASE,
)


def _acts(kept: list[Candidate], question: str, elsewhere: list[bool]) -> tuple[bool, ...]:
    """Per kept candidate: does it say what the treatment the question names does, naming it (or its
    kind) with a verb of `ACTS`, and not of another disease only? "In lupus, CAR-T works by removing B
    cells …" does; "A BiTE called teclistamab has been used to treat lupus." does not. For a cell, an
    organ or a substance (`_thing_does`): naming it before a verb of `ACTS` or `FUNCTION` ("B cells are
    the immune cells that make antibodies."). Empty when the question names neither."""
    named = treatment_patterns(question)
    if not named:
        thing = _thing_does(question)
        if thing is None:
            return ()

        def functions(text: str) -> bool:
            """The thing named early, first as itself (not a compound it starts), before the verb: not
            "A BiTE holds the two cells together so that the T cell can destroy the B cell."."""
            found = thing.search(text)
            if found is None or FIRST_PERSON.match(text) or _COMPOUND.match(text, found.end()):
                return False
            if len(text[: found.start()].split()) > SUBJECT_WORDS:
                return False
            return bool(ACTS.search(text, found.end()) or FUNCTION.search(text, found.end()))

        return tuple(not elsewhere[k] and functions(c.text) for k, c in enumerate(kept))

    def acts(text: str) -> bool:
        """The treatment named before the verb: not "… chemotherapy to deplete T cells before CAR-T"."""
        first = min((m.start() for p in named for m in [p.search(text)] if m), default=None)
        return first is not None and ACTS.search(text, first) is not None and not FIRST_PERSON.match(text)

    return tuple(not elsewhere[k] and acts(c.text) for k, c in enumerate(kept))


def _names_subject(pool: list[Candidate], subjects: list[re.Pattern[str]]) -> list[bool]:
    """Per candidate: does its chunk (title, headings, text) name one of `subjects` (all True when none
    is asked for)? A paired ask's words lift only sentences about the question's subject."""
    if not subjects:
        return [True] * len(pool)
    named: dict[str, bool] = {}
    for c in pool:
        e = c.evidence
        if e.chunk_id not in named:
            text = f"{e.title}\n{e.headings}\n{e.text}"
            named[e.chunk_id] = any(p.search(text) for p in subjects)
    return [named[c.evidence.chunk_id] for c in pool]


def _join(cited: list[tuple[Candidate, int]]) -> str:
    """The answer text: sentences run on, each with its [n]; a list unit is its lead-in and one
    "- item" line per item, set apart by blank lines."""
    out = ""
    was_list = False
    for candidate, n in cited:
        is_list = bool(candidate.parts)
        body = (
            "\n".join([candidate.parts[0], *(f"- {item}" for item in candidate.parts[1:])])
            if is_list
            else candidate.text
        )
        if out:
            out += "\n\n" if is_list or was_list else " "
        out += f"{body} [{n}]"
        was_list = is_list
    return out


def _audience_adjustment(candidate: Candidate, audience: Audience, weights: AudienceWeights) -> float:
    """A list unit reads as its lead-in and items, each a short line, not as one long sentence."""
    if not candidate.parts:
        return audience_adjustment(candidate.text, audience, weights)
    return float(np.mean([audience_adjustment(part, audience, weights) for part in candidate.parts]))


def _with_pair(
    question: str,
    pool: list[Candidate],
    scored: Scores,
    adjusted: np.ndarray,
    ordered: list[int],
    margin: float,
    limit: int,
    budget: int | None,
) -> list[int]:
    """A treatment-and-disease question's sentences ("car t for ms"). When one names both and the
    opener does not name the treatment (of `TREATMENTS`), the first naming both leads ("can ms patients
    get car t" had opened with "A physician may diagnose MS …", session 26). When none names both:
    for a treatment of `TREATMENTS` that no chosen sentence names at all, the best kept sentence
    naming both leads ("can car t be used for ms" had opened with "Multiple sclerosis (MS) is a
    disease of the central nervous system …" while the evidence said "CAR-T cell therapy, which
    removes B cells, is also being explored for MS.", session 25); otherwise the best one within
    `margin` of the best choice is added last. Either way the last one gives way when the answer is
    full, by `limit` or the word `budget`."""
    pair = pair_of(question)
    if not pair[0] or not ordered:
        return ordered
    treatment = pair_of(question, TREATMENTS)
    naming_both = [i for i in ordered if names_pair(pair, pool[i].text)]
    if naming_both:  # "can ms patients get car t": the chosen sentence naming both leads (session 26)
        asked = pair_of(own_words(question))[0]  # not a follow-up's subject ("… (about: car t for lupus)")
        # unless the opener names both: "car t for myasthenia" had opened with "CAR-T for autoimmune
        # disease is limited by its cost …", a sentence naming the treatment only (session 46)
        if not asked or not treatment[0] or names_pair(pair, pool[ordered[0]].text):
            return ordered
        return [naming_both[0], *(i for i in ordered if i != naming_both[0])]
    leads = bool(treatment[0]) and not any(p.search(pool[i].text) for p in treatment[0] for i in ordered)
    floor = -np.inf if leads else float(scored.choice.max()) - margin
    naming = [i for i in range(len(pool)) if i not in ordered and scored.choice[i] >= floor]
    naming = [i for i in naming if names_pair(pair, pool[i].text)]
    if not naming:
        return ordered
    best = max(naming, key=lambda i: float(adjusted[i]))
    words = sum(len(pool[i].text.split()) for i in [*ordered, best])
    full = len(ordered) >= limit or (budget is not None and words > budget)
    kept = ordered[:-1] if full else ordered
    return [best, *kept] if leads else [*kept, best]


def _cite(n: int, candidate: Candidate, score: float) -> Citation:
    ev = candidate.evidence
    return cite(n, ev, candidate.start - ev.start, candidate.end - ev.start, score)
