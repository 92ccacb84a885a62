"""Patients' wording → the sources' terms: glossary aliases and spelling slips, before retrieval.

`correct_spelling` replaces words the corpus never uses by the closest word it does use ("rhematoid"
→ "rheumatoid"); `with_aliases` then adds the glossary term for every alias the question uses
("lupus kidney" → "lupus nephritis", "immune reset" → "CAR-T cell therapy"). The rewritten
question is what retrieval sees and what the JSON returns as `standalone_question`. It also reads
what a question is about: the subject of a "what is X?" (`definition_subject`, `subject_terms`) and
the drug or trial names it uses (`unknown_names`).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from pathlib import Path

from index.terms import STOPWORDS, content_terms, fold
from retriever.conversation import own_words
from retriever.coverage import DISEASES, MEDICINES, TREATMENTS
from retriever.english import english_words, sounded, swapped
from retriever.glossary import Alias, abbreviation_pattern, load_aliases, name_pattern

MIN_SPELLCHECK_LENGTH = 5
SWAP_LENGTH = 4  # from four letters a word with two letters swapped is corrected ("wrok" → "work")
SPELLING_CUTOFF = 0.8
# how people type the small words of a question: "wat is lupis" had stayed "wat is lupus" (a wat is a
# temple, so the dictionary knew it) and was not read as asking what lupus is (session 25). Only small
# words: "meds" → "medicines" and "ppl" → "people" moved five tuning answers, mostly for the worse
# (the embedder reads "meds" well; "medicines" drew general sentences on medicines)
SHORTHAND = {
    "wat": "what",
    "wot": "what",
    "wut": "what",
    "whut": "what",
    "wht": "what",
    "hw": "how",
    "wen": "when",
    "whn": "when",
    "whr": "where",
    "r": "are",
    "u": "you",
    "ur": "your",
    "cn": "can",
    "shud": "should",
    "shld": "should",
    "cud": "could",
    "abt": "about",
    "bcuz": "because",
    "cuz": "because",
    "coz": "because",
}
NAME_SLIP_CUTOFF = 0.85  # "teclistimab" is 0.91 from "teclistamab"; "obinutuzumab" is 0.69 from "rituximab"


def expand_aliases(question: str, aliases: tuple[Alias, ...], original: str = "") -> str:
    """The question with the glossary term of every alias it (or its `original` wording, before
    spelling correction touched an alias such as "blina") uses."""
    terms = []
    for alias in aliases:
        if (
            alias.term.lower() not in question.lower()
            and alias.term not in terms
            and (alias.pattern.search(question) or (original and alias.pattern.search(original)))
        ):
            terms.append(alias.term)
    return f"{question} ({'; '.join(terms)})" if terms else question


# the country as people type it, as the sources write it: "how many people have lupus in the us" (the
# sources say "In the United States, SLE is thought to affect …"); "us" alone is a pronoun
COUNTRY = re.compile(
    r"\bthe\s+(?:us|u\.s\.?|usa|u\.s\.a\.?)(?![\w.])|\b(?:usa|(?-i:US|USA))\b", re.IGNORECASE
)


def spelled_out_country(question: str) -> str:
    """The question with "the US", "USA", "U.S." written "the United States"."""
    return COUNTRY.sub("the United States", question)


def correct_spelling(question: str, vocabulary: dict[str, int]) -> str:
    """Replace each word that is neither in the corpus nor an English word by the closest frequent
    corpus word with the same first letter: "rhematoid" → "rheumatoid", never "price" → "rice"."""
    if not vocabulary:
        return question
    known = [w for w, n in vocabulary.items() if n >= 2]
    english = english_words()

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        lower = word.lower()
        if lower in SHORTHAND:
            return SHORTHAND[lower]
        if lower in vocabulary or lower in STOPWORDS or lower in english or len(lower) < SWAP_LENGTH:
            return word
        # "wrok" → "work", "nefritis" → "nephritis"
        fixed = swapped(lower, english) or swapped(lower, vocabulary) or sounded(lower, vocabulary)
        if fixed or len(lower) < MIN_SPELLCHECK_LENGTH:
            return fixed or word
        same_start = [w for w in known if w[0] == lower[0]]
        close = difflib.get_close_matches(lower, same_start, n=1, cutoff=SPELLING_CUTOFF)
        return close[0] if close else word

    return re.sub(r"[A-Za-z][A-Za-z']*[A-Za-z]|\b[A-Za-z]\b", fix, question)


def with_aliases(corrected: str, glossary: Path | None, original: str, short_only: bool = False) -> str:
    """The spelling-corrected question with its aliases' glossary terms (`expand_aliases`) and the
    diseases and drugs it names by abbreviation or brand only (`abbreviated_diseases`, `brand_names`:
    "is ra genetic" → "… (rheumatoid arthritis)"); with `short_only`, of the glossary's aliases only
    its abbreviations ("can mg go away" → "… (myasthenia gravis)")."""
    aliases = tuple(a for a in load_aliases(glossary) if a.short or not short_only) if glossary else ()
    return expand_aliases(
        corrected, (*aliases, *abbreviated_diseases(corrected), *brand_names(corrected)), original
    )


def brand_names(question: str) -> tuple[Alias, ...]:
    """Aliases for the treatments and medicines of `coverage.TREATMENTS` and `MEDICINES` the question
    names by another of their names, a brand or a slip ("plaquenil" → hydroxychloroquine)."""
    found = []
    for name, pattern in {**TREATMENTS, **MEDICINES}.items():
        for other in pattern.pattern.split("|"):
            if re.fullmatch(r"[a-z]+", other) and other != name.lower():
                alias = name_pattern(other, case_sensitive=False)
                if alias.search(question):
                    found.append(Alias(alias, name, True))
    return tuple(found)


def generic_names(question: str) -> str:
    """The question with the treatments and medicines it names by brand or slip written by their
    names ("what is tecvayli" → "what is teclistamab", "is rituxan used for lupus" → "is rituximab
    …"): the answer and the checks of what the passages name read the name the sources use
    (session 34: "what is tecvayli" had been refused as never mentioned)."""
    for alias in brand_names(question):
        question = alias.pattern.sub(alias.term, question)
    return question


def _letters(text: str) -> str:
    """Letters and digits only, lower case: "CAR-T" → "cart"."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def term_asked(question: str, aliases: tuple[Alias, ...]) -> str:
    """A "what is X?" question whose whole X is a glossary alias that starts its term ("car t",
    "cart" for CAR-T cell therapy, "autoimmune" for autoimmune disease) asks what the term is: the
    question with X written as the term. "what is car t" had opened with "CAR is short for …" and
    "what is cart" been refused, where "what is car t therapy" opened with the definition (session 37)."""
    match = DEFINITION_QUESTION.match(question)
    # the whole question: "whats car t and how is it supposed to help lupus" asks how it helps, too
    # (read as the term's, it lost "… aimed at B cells" for the definition; plain_dev, s37i)
    if not match or question[match.end("subject") :].strip(" ?.!"):
        return question
    asked = match.group("subject").strip()
    plain = _letters(asked)
    for alias in aliases:
        term = _letters(alias.term)
        if plain and term != plain and term.startswith(plain) and alias.pattern.fullmatch(asked):
            start, end = match.span("subject")
            return f"{question[:start]}{alias.term}{question[end:]}"
    return question


def abbreviated_diseases(question: str) -> tuple[Alias, ...]:
    """Aliases for the diseases of `coverage.DISEASES` the question names by an abbreviation of at
    most five letters ("ra", "itp", "aps", "t1d"), not after a number ("15 mg") nor before a slash."""
    found = []
    for name, pattern in DISEASES.items():
        for match in pattern.finditer(question):
            short = match.group(0)
            alias = abbreviation_pattern(short)
            if len(short) <= 5 and " " not in short and alias.search(question):
                found.append(Alias(alias, name, True))
                break
    return tuple(found)


SELDOM_USED = 30  # chunks: an abbreviation the sources use less often is spelled out for the answerer


def spelled_out_diseases(question: str, vocabulary: dict[str, int]) -> str:
    """The question with each disease it names by an abbreviation the sources seldom use (in fewer
    than `SELDOM_USED` chunks) written by the disease's name: "car t for mg" → "car t for
    myasthenia gravis", "what is pbc" → "what is primary biliary cirrhosis" (`steps.draft` asks it
    when the question as typed is refused as naming what the sources lack: an abbreviation no source
    uses reads as such a name; session 38). Those the sources use for the disease ("ms", "ra",
    "sle", "itp") stay as written."""
    if not vocabulary:
        return question
    for alias in abbreviated_diseases(question):
        short = alias.pattern.search(question)
        if short and vocabulary.get(short.group(0).lower(), 0) < SELDOM_USED:
            question = alias.pattern.sub(alias.term, question)
    return question


# A drug's or a trial's name: a word ending like a biologic's generic name (-mab, -cel, -nib, -cept)
# or an acronym in capitals (CASTLE, REGENCY). Common words in capitals are in the index anyway.
_NAME = re.compile(r"\b([A-Z]{4,}|[A-Za-z]{4,}(?:mab|cel|nib|cept))\b")


def name_candidates(question: str) -> list[str]:
    """Words shaped like a drug's or a trial's name, known to the sources or not."""
    return [m.group(0) for m in _NAME.finditer(question)]


ASKS_WHO = re.compile(r"\s*who(?:'s| is| was| are| were)\b", re.IGNORECASE)  # "who is fabian muller"
# a word written with a capital after the question's first word: "Anca Askanase", "NEJM"
CAPITALISED = re.compile(r"(?<=\S)\s+([A-Z][\w-]*)")
# a journal named as where a study appeared: "the nature study", "the paper in Nature"; not "the nature of lupus"
_JOURNALS = r"(nature|lancet|jama|nejm|bmj)"
JOURNAL = re.compile(
    rf"\b(?:in|published in|from) (?:the )?(?:journal )?{_JOURNALS}\b"
    rf"|\b{_JOURNALS} (?:study|studies|paper|papers|article|report|reports|trial|case)\b",
    re.IGNORECASE,
)


# a person a question quotes: "According to Fabian Müller, …"; not "according to NIDDK" (capitals alone)
# nor a publisher of three words, "According to Genetics Home Reference" (whatever it says on any subject)
ACCORDING = re.compile(r"\b(?i:according to) ((?:[A-Z][^\W\d_A-Z]+\b[\s,?.]*){1,2})(?![\s,]*[A-Z])")


def journals_named(question: str) -> set[str]:
    """The journals a question names as where a study appeared: "what did the nature study find" →
    {"nature"}; "what is the nature of lupus" → set()."""
    return {(m.group(1) or m.group(2)).lower() for m in JOURNAL.finditer(question)}


# a paper that found or said something is a study: "what did the nature paper find" had quoted "… a
# strip of chemically treated paper, called a dipstick, …" third (session 38)
_PAPER = re.compile(r"\bpaper(s?)\b", re.IGNORECASE)
_PAPER_FOUND = re.compile(
    r"\bpapers? (find|finds|found|say|says|said|show|shows|showed|report|reports|reported|conclude\w*)\b",
    re.IGNORECASE,
)


def papers_as_studies(question: str) -> str:
    """The question with "paper" written "study" where it is a journal's ("the nature paper") or says
    what was found ("what did the paper find"): the sources say "study", and "paper" alone matched a
    dipstick's strip of paper."""
    if not (JOURNAL.search(question) or _PAPER_FOUND.search(question)):
        return question
    return _PAPER.sub(lambda m: "studies" if m.group(1) else "study", question)


def asked_names(question: str) -> set[str]:
    """The people and journals the question asks about by name (folded): a "who is …?" question's
    words, a word written as a name that no English word list has ("Where does Anca Askanase work?":
    "askanase"; the list holds many names, "fabian" and "muller" among them) and a journal named as
    where a study appeared (`journals_named`). The embedder knows no names: a sentence naming one is
    evidence it cannot weigh (session 30)."""
    asked = own_words(question)  # not a follow-up's subject: "how long did the first patient stay well"
    if ASKS_WHO.match(asked):
        return content_terms(asked)
    english = english_words()
    # a disease named after a person is the disease asked about, not the person: "Sjögren's", "Graves"
    eponyms = {
        fold(w) for p in DISEASES.values() for m in p.finditer(asked) for w in re.findall(r"[^\W\d_]+", m[0])
    }
    written = {  # a name's letters only: not "T-cell"
        fold(w)
        for w in CAPITALISED.findall(asked)
        if re.fullmatch(r"[A-Z][a-z']+", _plain_letters(w))
        and fold(w) not in english
        and fold(w) not in STOPWORDS
        and fold(w).removesuffix("'s") not in eponyms
    }
    # whom the question quotes: "According to Fabian Müller, …" (English word list or not)
    quoted = {fold(w) for m in ACCORDING.finditer(asked) for w in re.findall(r"[^\W\d_]+", m[1])} - eponyms
    return written | quoted | journals_named(asked)


def _plain_letters(word: str) -> str:
    """The word with accents dropped, its case kept: "Müller" → "Muller"."""
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()


def written_as_name(word: str, text: str) -> bool:
    """Does `text` write `word` with a capital (or in capitals) inside a sentence, as a name is
    written, accents aside: "… (NEJM) printed …", "Anca Askanase, a rheumatologist …", "in the words of
    Fabian Müller"; not "Cytokines are …"?"""
    plain = _plain_letters(text)
    head, rest = re.escape(word[:1].upper()), re.escape(word[1:])
    return bool(re.search(rf"(?:[^.!?\s]\s+|\()(?-i:{head})(?i:{rest})\b", plain))


def unknown_names(question: str, vocabulary: dict[str, int]) -> list[str]:
    """The drug or trial names in the question that no indexed chunk mentions: the sources cannot
    answer a question about them, however close the rest of the question is to what they say.

    A question written all in capitals is shouting, not naming, so its capitals do not count. A drug
    name one slip away from a word the sources use ("teclistimab") is that word misspelt, not unknown."""
    from index.bm25 import surface_words

    if not vocabulary:  # an empty index: retrieval says so
        return []
    letters = [c for c in question if c.isalpha()]
    shouting = bool(letters) and sum(c.isupper() for c in letters) > 0.6 * len(letters)
    names: list[str] = []
    for word in name_candidates(question):
        if shouting and word.isupper():
            continue
        words = surface_words(word)
        if not words or all(w in vocabulary for w in words) or word in names:
            continue
        lower = word.lower()
        if not word.isupper() and difflib.get_close_matches(
            lower, [w for w in vocabulary if w[:1] == lower[:1]], n=1, cutoff=NAME_SLIP_CUTOFF
        ):
            continue
        names.append(word)
    return names


# "what is rituximab?", "what does remission mean?", "explain lupus to me": the subject after the frame
DEFINITION_QUESTION = re.compile(
    r"^\s*(?:what\s*(?:is|are|'s)|whats|define|explain|tell\s+me\s+about|what\s+(?:does|do)(?=.*\bmean\b))"
    r"\s+(?:an?\s+|the\s+)?(?P<subject>.+?)(?:\s+mean)?"
    # a second question after "and" is not part of the subject: "what is itp and is it serious"
    r"(?P<rest>,?\s+and\s+(?:is|are|was|how|what|who|why|can|could|does|do|did|when|where|will|would|should|which)\b.*?)?"
    r"\s*[?.!]*\s*$",
    re.IGNORECASE,
)
# "known": a personal question depersonalised as "What is known about psoriasis arthritis?" (session 36:
# refused as never naming "known about psoriasis arthritis")
FILLER = frozenset(
    {"exactly", "really", "actually", "basically", "simply", "simple", "term", "word", "known"}
)
# "what is the difference between cutaneous lupus and sle" compares two things, it asks for no
# definition of "difference between cutaneous lupus" (session 33: refused as never mentioned)
_COMPARISON_SUBJECT = re.compile(r"^(?:the\s+|a\s+)?(?:main\s+|big\s+)?differen(?:ces?|t)\b", re.IGNORECASE)


def _definition_match(question: str) -> re.Match[str] | None:
    """The "what is X?" match of the question, None for none or for "what is the difference …"."""
    match = DEFINITION_QUESTION.match(question)
    return None if match is None or _COMPARISON_SUBJECT.match(match.group("subject")) else match


def definition_subject(question: str) -> set[str]:
    """The content words of what a "what is X?" question asks to have defined (empty otherwise):
    "what is lupus exactly" → {"lupu"}, "what does remission mean?" → {"remission"}."""
    match = _definition_match(question)
    if not match:
        return set()
    words = content_terms(match.group("subject")) - FILLER
    said = [w for w in match.group("subject").split() if w.lower() not in {"a", "an", "the", *FILLER}]
    # the kind named last ("a bite drug") or before one name ("the drug rituximab"), not inside a
    # name ("drug induced lupus")
    ends = said[-1:] + (said[:1] if len(said) == 2 else [])
    kind = {t for w in ends for t in content_terms(w)} & KIND_NOUNS
    return words - kind or words


def definition_part(question: str) -> str:
    """The first question of "what is X and …?" as "what is X" (empty for any other question): "what
    is teclistamab and is it safe" → "what is teclistamab"."""
    match = _definition_match(question)
    if match is None or not match.group("rest"):
        return ""
    return f"what is {match.group('subject')}"


# what kind of thing the subject is, not the subject: "what is a bite drug" asks what a BiTE is, and
# "To repurpose a drug means …" had opened its answer, defining "drug" (session 40)
KIND_NOUNS = frozenset({"drug", "medicine", "medication", "pill"})


# "is car t chemo", "is lupus a cancer", "is teclistamab a car t": a yes/no question on what kind of
# thing a named treatment or disease is is answered by what it is: "CAR-T cell therapy … is an
# immunotherapy …" (session 31); not "is fatigue a symptom of lupus" (fatigue is no named subject)
CLASS_QUESTION = re.compile(
    r"^\s*(?:is|are|isn'?t|aren'?t)\s+(?P<subject>.+?)\s+(?:(?:an?|the same as|an?\s+(?:type|kind|form|sort)\s+of"
    r"|one of the|considered(?:\s+an?)?)\s+(?P<cls>.+?)|(?P<bare>chemo\w*|immunotherapy|gene therapy|steroids?"
    r"|biologics?|antibod\w+|vaccines?|cancer))\s*[?.!]*\s*$",
    re.IGNORECASE,
)
RELATION = re.compile(
    r"\b(side[- ]?effects?|symptoms?|signs?|risks?|causes?|complications?|treatments?|cures?|options?|results?"
    r"|triggers?|reasons?|way|good|bad|safe|better|worse|problem|thing)\b",
    re.IGNORECASE,
)


def class_subject(question: str) -> set[str]:
    """The content words of the named treatment or disease a "is X a Y?" question asks the kind of
    (empty otherwise): "is car t chemo" → {"car", "t"}, "is lupus a cancer" → {"lupu"}."""
    match = CLASS_QUESTION.match(question)
    if match is None or RELATION.search(match.group("cls") or ""):
        return set()
    subject = match.group("subject")
    if not any(p.search(subject) for p in (*DISEASES.values(), *TREATMENTS.values(), *MEDICINES.values())):
        return set()
    # a disease by its abbreviation, as the sources name it: "is mg an autoimmune disease" is answered by
    # "Myasthenia gravis is a long-lasting autoimmune disease …" (session 45)
    # (not "is ra the same as regular arthritis": "RA is different from osteoarthritis" answers it as
    # typed; not "is sle a type of lupus", which asks the kind of lupus SLE is)
    short, asked = subject.strip(), content_terms(match.group("cls") or "")
    for name, pattern in DISEASES.items():
        named = content_terms(name) - FILLER
        fits = len(short) <= 5 and " " not in short and pattern.fullmatch(short) is not None
        if fits and not named & asked and not re.search(r"\bsame as\b", question, re.IGNORECASE):
            return named
    return content_terms(subject) - FILLER


def subject_terms(question: str) -> list[str]:
    """The unusual words (five letters or more, not English, nor a compound of English words) of what a
    "what is X?" question asks about: "what is lymphodepletion?" → ["lymphodepletion"]; "what is lupus
    exactly" → []; "what are the first-line treatments for …" → []."""
    match = _definition_match(question)
    if not match:
        return []
    english = english_words()
    found: list[str] = []
    for word in re.findall(r"[^\W\d_][\w'\-]*[^\W\d_]", match.group("subject")):
        lower = word.lower()
        if (
            len(lower) >= MIN_SPELLCHECK_LENGTH
            and lower not in STOPWORDS
            and lower not in FILLER
            and lower not in english
            and not _english_compound(lower, english)
            and word not in found
        ):
            found.append(word)
    return found


def _english_compound(word: str, english: frozenset[str] | set[str]) -> bool:
    """A hyphenated word made of English words (or single letters): "first-line", "long-term",
    "b-cell"; not "anti-cd20"."""
    parts = word.split("-")
    return len(parts) > 1 and all(
        len(p) == 1 or (len(p) >= 3 and p in english) or p in STOPWORDS for p in parts
    )


def _folded_words(text: str, parts: bool = False) -> set[str]:
    """Lower-case words with accents folded: "Sjögren" → "sjogren"; with `parts`, a hyphenated word's
    parts too ("Guillain-Barr" → "guillain-barr", "guillain", "barr")."""
    words = set(re.findall(r"[a-z][a-z'\-]*[a-z]", fold(text)))
    if parts:
        words |= {part for word in words if "-" in word for part in word.split("-") if len(part) > 1}
    return words


def unmentioned(terms: list[str], texts: list[str]) -> list[str]:
    """The terms that none of `texts` uses, accents folded and a spelling slip allowed ("sjogrens"
    is the sources' "Sjögren", as close as the spelling corrector allows)."""
    if not terms:
        return []
    words: set[str] = set()
    for text in texts:
        words |= _folded_words(text, parts=True)
    missing = []
    for term in terms:
        lower = next(iter(_folded_words(term)), term.lower())
        if lower in words:
            continue
        if difflib.get_close_matches(
            lower, [w for w in words if w[:1] == lower[:1]], n=1, cutoff=SPELLING_CUTOFF
        ):
            continue
        missing.append(term)
    return missing


PHRASE_SLACK = 3  # extra words a passage may put between the words of a "what is X?" phrase
# the last word of a named condition, reaction or treatment: "cytokine release syndrome"
TERM_HEADS = frozenset(
    {
        *("syndrome", "disease", "disorder", "reaction", "crisis", "storm", "toxicity", "transplant"),
        *("transplantation", "depletion", "antibody", "antibodies", "lupus", "arthritis", "sclerosis"),
        *("myositis", "vasculitis", "nephritis", "anemia", "neuropathy", "encephalitis", "encephalopathy"),
        *("rash", "test"),
    }
)

# a word that names a condition by its ending: "aplasia", "neutropenia", "uveitis", "lymphoma"
CONDITION_ENDING = re.compile(r"(itis|osis|emia|aemia|penia|plasia|pathy|oma|algia|trophy|plegia|cytosis)$")


def unmentioned_phrase(question: str, texts: list[str]) -> str | None:
    """The subject of a "what is X?" question of two or more words (up to "for", "in", …) that no text
    uses together (its words within the subject's length + `PHRASE_SLACK` words of each other, as
    `_together` finds them), else None:
    "what is cytokine release syndrome" when the passages say "immune cells release cytokines" and
    "Schnitzler syndrome" but never the syndrome itself. Only a subject of at most four words that
    ends like a name (`TERM_HEADS`, or a condition's `CONDITION_ENDING`: "b cell aplasia") is checked:
    "what is the standard treatment regimen" asks about what the passages say in other words. A
    question of another form is checked for a reaction's name (`asked_phrase`)."""
    found = _defined_name(question)
    if found is None:  # not the name of a thing, or another form of question: a reaction's name
        phrase = asked_phrase(question)
        found = (phrase, phrase) if phrase else None
    if found is None:
        return None
    subject, wanted = found
    return None if _together(wanted, texts, len(subject) + PHRASE_SLACK) else " ".join(subject)


def _defined_name(question: str) -> tuple[list[str], list[str]] | None:
    """The words of the name a "what is X?" question asks about and those of them to find together
    (no stopwords); None when X is not the name of a thing ("what is the standard treatment regimen")."""
    match = _definition_match(question)
    if not match:
        return None
    # a follow-up's carried "(about: …)" is no part of its own subject (session 34)
    subject_said = fold(own_words(match.group("subject")).lower())
    named = re.split(r"\s+(?:for|in|of|with|after|before|during|and|or)\s+", subject_said)[0]
    subject = [w for w in re.findall(r"[a-z0-9]+", named) if w not in FILLER]
    while len(subject) > 1 and subject[0] in STOPWORDS:  # "known about psoriasis arthritis"
        subject = subject[1:]
    wanted = [w for w in subject if w not in STOPWORDS]
    named_thing = bool(subject) and (subject[-1] in TERM_HEADS or bool(CONDITION_ENDING.search(subject[-1])))
    if len({w[:4] for w in wanted}) < 2 or len(subject) > 4 or not named_thing:
        return None
    return subject, wanted


def asked_phrase(question: str) -> list[str] | None:
    """The words of a name of three or four words that a question of another form than "what is X?"
    asks about: words that are no stopwords, ending like a reaction's name (`REACTION_HEADS`), with no
    disease in it and one word of five letters or more that is not English, so a technical name
    ("what does cytokine release syndrome feel like" → cytokine, release, syndrome; session 36: it had
    been answered with Goodpasture syndrome's symptoms); None for none ("does lupus cause kidney
    disease": English words)."""
    words = re.findall(r"[a-z0-9]+", fold(own_words(question).lower()))
    english = english_words()
    for i, word in enumerate(words):
        if word not in REACTION_HEADS:
            continue
        start = i
        # back to a stopword or a verb; "my test showed anti dsdna antibodies": no past tense in a name
        while start > 0 and i - start < 3 and words[start - 1] not in _NOT_IN_NAMES:
            if words[start - 1].endswith("ed") and words[start - 1] in english:
                break
            start -= 1
        phrase = words[start : i + 1]
        if (
            len(phrase) >= 3
            and any(len(w) >= MIN_SPELLCHECK_LENGTH and w not in english for w in phrase[:-1])
            # a disease inside it: "chronic inflammatory demyelinating polyneuropathy syndrome"
            and not any(p.search(" ".join(phrase[:-1])) for p in DISEASES.values())
            and not any(len(w) >= 5 and CONDITION_ENDING.search(w) for w in phrase[:-1])
        ):
            return phrase
    return None


# the last words of a reaction or complication's name (`asked_phrase`); a disease's names vary more
# between people and sources ("primary biliary cholangitis" / "cirrhosis"), so they are not read there
REACTION_HEADS = frozenset({"syndrome", "reaction", "reactions", "storm", "toxicity", "crisis"})
# words that end a name read backwards from its last word: "what causes guillain barre syndrome"
_NAME_ENDERS = frozenset(
    {
        *("cause", "causes", "caused", "causing", "get", "gets", "getting", "got", "have", "has"),
        *("having", "had", "treat", "treats", "treated", "treating", "trigger", "triggers", "develop"),
        *("develops", "developing", "prevent", "prevents", "cure", "cures", "mean", "means", "feel"),
        *("feels", "like", "help", "helps", "give", "gives", "lead", "leads", "make", "makes"),
        *("affect", "affects", "worsen", "worsens", "risk", "risks", "symptoms", "signs", "treatment"),
        *("treatments", "outlook", "prognosis", "diagnosis", "test", "tests"),
    }
)
_NOT_IN_NAMES = STOPWORDS | FILLER | _NAME_ENDERS


def _together(wanted: list[str], texts: list[str], span: int) -> bool:
    """Whether a text uses all `wanted` words within `span` words of each other: a text word starting
    with a wanted word's first four letters, or holding a wanted word of six letters or more, a
    plural's "s" aside, uses it ("antisynthetase" holds "synthetases"; session 34: "what is anti
    synthetase syndrome" had been refused as never mentioned)."""
    keys = [w[:4] for w in wanted]
    cores = [w.removesuffix("s") if len(w) >= 6 else "" for w in wanted]
    for text in texts:
        where: dict[str, list[int]] = {}
        for i, x in enumerate(re.findall(r"[a-z0-9]+", fold(text.lower()))):
            for core, key in zip(cores, keys, strict=True):
                if x.startswith(key) or (core and core in x):
                    where.setdefault(key, []).append(i)
        if len(where) < len(set(keys)):
            continue
        first = keys[0]
        if any(all(any(abs(j - i) < span for j in where[k]) for k in keys) for i in where[first]):
            return True
    return False
