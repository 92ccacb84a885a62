"""Scope: is the question about the assistant's field (autoimmune diseases, the immune system, treatments)?

On the user's own words (`judge_scope`), the question is out of scope when it contains at least one
clear off-topic signal (bicycles, recipes, programming, sports, weather, gadgets, money …,
`OFF_TOPIC`: only words that are never about health) and not one in-scope word: a glossary term or
alias, a word of the health/disease/treatment/body vocabulary (`IN_SCOPE_WORDS`), a medical word
form (-itis, -osis, -mab, …), a word of the corpus's document titles, or a disease or treatment
of `retriever.coverage`'s tables in any case ("ms", "itp", "car t"). When it has neither, or
both, the question is "unsure" and goes on to retrieval, where the evidence threshold decides. So
an in-scope question is never refused here, a follow-up like "how much does it cost?" is left to
the chain, and so is a follow-up that points back at the conversation ("what about cold weather?"
after a question on Raynaud).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from index.terms import STOPWORDS
from retriever.coverage import DISEASES, TREATMENTS
from retriever.glossary import is_short_form, read_glossary, resolve_glossary
from retriever.guardrails.normalise import normalise, straight_apostrophes
from retriever.messages import OUT_OF_SCOPE_TEXT, refusal
from retriever.types import Answer, Audience

Scope = Literal["in", "out", "unsure"]

# Words that place a question in the assistant's field: health, disease, the body, treatment, research.
IN_SCOPE_WORDS = frozenset(
    """health healthy disease diseases illness ill sick sickness disorder disorders syndrome condition
    conditions symptom symptoms sign signs pain ache aches sore fever rash rashes fatigue tired tiredness
    swelling inflammation inflamed infection infections germ germs virus viruses bacteria immune immunity
    immunology autoimmune autoimmunity antibody antibodies antigen cell cells blood plasma platelet
    platelets marrow bone bones joint joints muscle muscles nerve nerves skin kidney kidneys liver lung
    lungs heart brain spine spinal eye eyes organ organs tissue tissues gland glands thyroid stomach gut
    gum gums mouth throat urine body doctor doctors nurse nurses physician rheumatologist hematologist
    neurologist oncologist specialist hospital clinic patient patients care medicine medicines medication
    medications meds drug drugs dose doses dosage pill pills tablet treatment treatments treat treated
    therapy therapies infusion injection vaccine vaccines vaccination surgery transplant chemo cancer
    cancers tumor tumour leukemia leukaemia lymphoma myeloma diagnosis diagnosed diagnose test tests
    biopsy scan mri screening trial trials study studies research researchers evidence remission relapse
    flare flares cure cured curable prognosis chronic acute genetic genes gene inherited hereditary
    pregnancy pregnant fertility diet nutrition vitamin vitamins supplement supplements exercise sleep
    stress depression anxiety mental steroid steroids prednisone methotrexate hydroxychloroquine
    mycophenolate azathioprine cyclophosphamide rituximab biologic biologics side effect effects risk
    risks lupus car-t cart bispecific bite bites allergy allergies allergic asthma diabetes arthritis
    sclerosis myositis vasculitis scleroderma sjogren sjögren raynaud psoriasis crohn colitis celiac
    anemia anaemia lymph lymphocyte lymphocytes leukocyte wellness wellbeing medical clinical""".split()  # noqa: SIM905 - a word list reads best as words
)
_MEDICAL_FORM = re.compile(
    r"\b[a-z]{3,}(itis|osis|oses|aemia|emia|mab|nib|pathy|ectomy|plasty|algia|uria|cyte|cytes|globulin|"
    r"ology|ologist|oma|omas)\b"
)
_NOT_MEDICAL_FORMS = frozenset(
    {"academia", "aroma", "diploma", "technology", "astrology", "apology", "ideology", "methodology",
     "terminology", "mythology", "chronology", "aromas", "diplomas", "coma", "soma", "sauna", "biology"}
)  # fmt: skip
# Clear signals of a question about something else: only words that are never about health
# ("travel", "cost", "program", "country" or "cooking" can be, so they are not here).
OFF_TOPIC = frozenset(
    """bike bikes bicycle bicycles tire tires tyre tyres puncture motorbike motorcycle recipe recipes bake
    baking cake cakes cookie cookies pasta pizza dessert weather forecast football soccer basketball
    baseball cricket tennis golf hockey rugby nba nfl fifa olympics movie movies netflix song songs lyrics
    album poem poems joke jokes riddle python javascript typescript golang coding programming compiler sql
    html css linux laptop iphone android printer wifi router password stocks bitcoin crypto cryptocurrency
    mortgage election homework essay translate equation restaurant restaurants""".split()  # noqa: SIM905
)
_OFF_TOPIC_PHRASES = re.compile(
    r"\b(world cup|linked list|flat tire|flat tyre|super bowl|who won|stock market|capital of|banana bread|"
    r"oil change|car engine|write (a|an|me a|some) (function|program|script|code)|stock price)\b"
)


_GENERIC_TERM_WORDS = frozenset({"system", "multiple", "clinical", "trial"})


@dataclass
class ScopeVocabulary:
    """The in-scope words: glossary terms and aliases, the fixed list above, and corpus title words."""

    words: frozenset[str] = IN_SCOPE_WORDS
    phrases: tuple[re.Pattern[str], ...] = field(default_factory=tuple)

    @classmethod
    def build(cls, glossary: Path | None = None, titles: Iterable[str] = ()) -> ScopeVocabulary:
        words = set(IN_SCOPE_WORDS)
        phrases: list[re.Pattern[str]] = []
        entries = read_glossary(resolve_glossary(glossary))
        terms = {entry.term for entry in entries if entry.term}
        for name in (name for entry in entries for name in entry.names()):
            if is_short_form(name):  # SLE, MS, HCQ: only in capitals ("ms" is a title)
                phrases.append(re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])"))
                continue
            tokens = re.findall(r"[a-z0-9][a-z0-9\-']*", name.lower())
            if len(tokens) == 1:
                words.add(tokens[0])
            elif tokens:  # a phrase; the words of a term's name count alone too ("nephritis")
                phrases.append(re.compile(r"\b" + r"[\s-]+".join(re.escape(t) for t in tokens) + r"\b", re.I))
                if name in terms:
                    words.update(t for t in tokens if len(t) >= 4 and t not in _GENERIC_TERM_WORDS)
        for title in titles:
            for token in re.findall(r"[a-z][a-z\-']+", title.lower()):
                if len(token) >= 5 and token not in STOPWORDS and token not in OFF_TOPIC:
                    words.add(token)
        return cls(frozenset(words), tuple(phrases))


def judge_scope(question: str, vocabulary: ScopeVocabulary) -> Scope:
    """ "out" only with an off-topic signal and no in-scope word; "in" with an in-scope word and no
    signal; "unsure" otherwise (retrieval and the evidence threshold decide)."""
    raw = straight_apostrophes(question)
    text = normalise(question)
    tokens = set(re.findall(r"[a-z0-9][a-z0-9\-']*", text))
    singular = {t[:-1] for t in tokens if len(t) > 3 and t.endswith("s")}
    in_scope = bool(
        (tokens | singular) & vocabulary.words
        or any(p.search(raw) for p in vocabulary.phrases)
        or any(m.group(0) not in _NOT_MEDICAL_FORMS for m in _MEDICAL_FORM.finditer(text))
        # a disease or treatment as patients type it: "does hot weather make ms worse"
        or any(p.search(text) for p in (*DISEASES.values(), *TREATMENTS.values()))
    )
    off_topic = bool(tokens & OFF_TOPIC or _OFF_TOPIC_PHRASES.search(text))
    if off_topic and not in_scope:
        return "out"
    return "in" if in_scope and not off_topic else "unsure"


def out_of_scope_answer(question: str, audience: Audience) -> Answer:
    """The out-of-scope refusal: what the assistant can help with."""
    return refusal(question, audience, "out_of_scope", OUT_OF_SCOPE_TEXT, "guardrails")
