"""Checks that run before retrieval: emergencies, personal medical decisions, questions out of scope.

All three are rules over the words of the question (no model, a few milliseconds), in this order:

1. **Emergency** (`detect_emergency`, on the user's own words, never on the condensed question). A
   question is an emergency when it describes an acute danger happening to a person:

   - a *severe* sign — can't breathe / struggling to breathe / breathing getting weaker, can't
     swallow, throat tight or closing, swollen tongue or lips, anaphylaxis, fainting / passing out /
     unresponsive, seizing, stroke signs (face drooping, slurred speech, one side numb), severe
     bleeding or coughing/vomiting blood, crushing chest pain or pain spreading to the arm or jaw,
     "worst headache of my life" — together with a person it happens to (I, my husband, she, my
     patient …) or an acute marker (now, right now, suddenly, help!, minutes ago …);
   - a *serious* sign — chest pain, a stroke, an allergic reaction, bleeding, a fever, confusion, a
     seizure — owned by a person ("I have chest pain", "my husband is confused") together with an
     acute marker; a fever also when it is high or follows CAR-T or an infusion, confusion and
     seizures also after CAR-T or an infusion;
   - thoughts of suicide or self-harm in the first or third person ("I don't want to be alive", "my
     son is suicidal"); the words suicide, self-harm or overdose alone count unless the question is
     about a risk, rate, cause or link ("is my suicide risk higher with lupus?").

   A general question ("can lupus cause chest pain?", "is fever a side effect of CAR-T?", "what
   are the symptoms of myasthenia crisis") names no person the sign is happening to, so it is not
   an emergency. A sign placed in the past ("last year", "years ago"), in a hypothetical ("what if
   I get …", "if I ever …") or in reported speech ("I read that …") counts only with an acute
   marker. Misspellings of the sign words are corrected first (a small typo table, then the closest
   sign word for words the English dictionary does not know).

2. **Out of scope** (`judge_scope`, on the user's own words). The question is out of scope when it
   contains at least one clear off-topic signal (bicycles, recipes, programming, sports, weather,
   gadgets, money …, `OFF_TOPIC`: only words that are never about health) and not one in-scope
   word: a glossary term or alias, a word of the health/disease/treatment/body vocabulary
   (`IN_SCOPE_WORDS`), a medical word form (-itis, -osis, -mab, …) or a word of the corpus's
   document titles. When it has neither, or both, the question is "unsure" and goes on to
   retrieval, where the evidence threshold decides. So an in-scope question is never refused here,
   a follow-up like "how much does it cost?" is left to the chain, and so is a follow-up that
   points back at the conversation ("what about cold weather?" after a question on Raynaud).

3. **Personal advice** (`detect_personal_advice`). A request for a decision about one person's
   treatment: a dose ("how much should I take", "double my prednisone", a dose in mg), stopping,
   starting, skipping, switching or combining a medicine for me / my X / my patient ("should I stop
   my …", "can I take X with Y"), eligibility ("am I eligible for CAR-T?", "do I qualify"), "should I
   …" about a treatment, or a referral decision about a specific patient ("should I refer her").
   The chain then answers the depersonalised question (`depersonalise`: "am I eligible for CAR-T?" →
   "Who can get CAR-T?") from the sources, with dosing sentences removed (`is_dosing_text`), behind a
   line saying it can't advise on their own treatment.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from index.sentences import split_sentences
from index.terms import STOPWORDS
from retriever.conversation import LEANING
from retriever.glossary import is_short_form, read_glossary, resolve_glossary
from retriever.types import PATIENT_NOTICE, Answer, Audience, Evidence

GuardKind = Literal["emergency", "personal_advice", "out_of_scope"]
Scope = Literal["in", "out", "unsure"]

# ------------------------------------------------------------------------------------------ normalising

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
# Spellings people type, mapped to the words the patterns below look for.
_TYPOS = {
    "cant": "can't",
    "cnt": "can't",
    "carnt": "can't",
    "couldnt": "couldn't",
    "dont": "don't",
    "doesnt": "doesn't",
    "wont": "won't",
    "isnt": "isn't",
    "im": "i'm",
    "ive": "i've",
    "id": "i'd",
    "hes": "he's",
    "shes": "she's",
    "theyre": "they're",
    "u": "you",
    "ur": "your",
    "rn": "right now",
    "pls": "please",
    "plz": "please",
    "wanna": "want to",
    "gonna": "going to",
    "breath": "breathe",  # "I can't breath"; the noun reads the same to the patterns
    "breth": "breathe",
    "brethe": "breathe",
    "breeth": "breathe",
    "breathin": "breathing",
    "brething": "breathing",
    "breating": "breathing",
    "pian": "pain",
    "cheast": "chest",
    "chset": "chest",
    "feaver": "fever",
    "fevr": "fever",
    "fver": "fever",
    "siezure": "seizure",
    "seizur": "seizure",
    "siezing": "seizing",
    "unconcious": "unconscious",
    "concious": "conscious",
    "sucidal": "suicidal",
    "suicidle": "suicidal",
    "suacidal": "suicidal",
    "bleading": "bleeding",
    "bledding": "bleeding",
    "fanted": "fainted",
    "fainded": "fainted",
    "passd": "passed",
    "throught": "throat",
    "throut": "throat",
    "trhoat": "throat",
    "swolen": "swollen",
    "swollowing": "swallowing",
    "swollow": "swallow",
    "confussed": "confused",
    "confuesd": "confused",
    "tempreture": "temperature",
    "temprature": "temperature",
    "infussion": "infusion",
    "infuson": "infusion",
    "alive.": "alive",
}
# Unknown words are corrected to the closest of these (difflib, cutoff 0.8).
_SIGN_WORDS = """breathe breathing chest pain pressure fever temperature seizure seizures seizing convulsing
    unconscious unresponsive fainted fainting collapsed suicidal suicide bleeding throat swallow swallowing
    swollen swelling confused confusion disoriented anaphylaxis anaphylactic infusion drooping slurred
    husband daughter""".split()  # noqa: SIM905 - a word list reads best as words


@functools.cache
def _dictionary() -> frozenset[str] | None:
    """English words (pyspellchecker's list), so that only unknown words are corrected; None without it."""
    try:
        from spellchecker import SpellChecker
    except ImportError:  # pragma: no cover - a dependency of the project
        return None
    return frozenset(SpellChecker().word_frequency.dictionary.keys())


def normalise(text: str) -> str:
    """Lower case, straight apostrophes, one space; typed shorthand and misspelt sign words corrected."""
    words = re.findall(r"[a-z0-9][a-z0-9'.,%°\-]*|[?!]", text.translate(_APOSTROPHES).lower())
    known = _dictionary()
    fixed = []
    for word in words:
        core = word.rstrip(".,")
        tail = word[len(core) :]
        if core in _TYPOS:
            core = _TYPOS[core]
        elif known is not None and len(core) >= 5 and core.isalpha() and core not in known:
            close = difflib.get_close_matches(core, _SIGN_WORDS, n=1, cutoff=0.8)
            if close:
                core = close[0]
        fixed.append(core + tail)
    return " ".join(fixed)


# ------------------------------------------------------------------------------------------ emergencies

_PERSON = re.compile(
    r"\b(i|i'm|i've|i'd|i'll|me|my|myself|mine|we|we're|our|us|he|he's|him|his|himself|she|she's|her|"
    r"herself|patient|husband|wife|partner|son|daughter|child|kid|baby|mom|mum|mother|dad|father|friend|"
    r"brother|sister|grandma|grandmother|grandpa|grandfather)\b"
)
_ACUTE = re.compile(
    r"\b(now|right now|currently|at the moment|suddenly|sudden|all of a sudden|this (morning|evening|"
    r"afternoon|minute)|tonight|since (this|last night|yesterday|an hour|a few|\d)|"
    r"(an?|one|two|three|few|couple of|\d+) (minutes?|mins?|hours?|hrs?) ago|keeps? getting (worse|weaker)|"
    r"getting worse|worse and worse|won't stop|is having|am having|are having|i'm having|he's having|"
    r"she's having|emergency|911|999|112|hurry|urgent)\b"
    r"|(^|[.!?] )(please )?help\b|\bhelp( me)?( now| please)? ?!|\bsomeone help\b|\bplease help\b"
)
_PAST = re.compile(
    r"\b(last (year|month|week|summer|winter|spring|fall|time)|(years?|months?|weeks?) ago|in the past|"
    r"used to|history of|once had|a while ago|back in|years back|when i was)\b"
)
_HYPOTHETICAL = re.compile(
    r"\b(what if|what (should|do|would|to) (i|we|you|one)? ?do (if|when)|if (i|we|you|he|she|my \w+|"
    r"someone|a person|a patient|people) (ever |later |then )?(get|gets|have|has|develop|develops|start|"
    r"starts|feel|feels|experience|experiences|notice|notices|were|was|had)|in case|is it normal to|"
    r"how (would|will|do) (i|we|you) know)\b"
)
_REPORTED = re.compile(
    r"\b(i (read|heard|saw|learned|learnt|was told|wonder|wondered|am curious|was wondering)|"
    r"i'm (curious|wondering)|is it true|people say|does it mean)\b"
)
_TREATMENT = re.compile(
    r"\b(car-?t|car t|cart|t-?cells?|cells|infusion|infusions|infused|drip|rituximab|ritux|teclistamab|"
    r"blinatumomab|bispecific|bite|chemo|chemotherapy|transfusion|ivig|treatment|injection|shot|jab)\b"
)

_BREATH = (
    r"(can't|cannot|can not|couldn't|could not|unable to|struggling to|struggle to|hard to|hardly|barely|"
    r"trouble|difficulty|difficult to|problems?|fighting to) (to )?(breathe|breathing|get (my|his|her|a) "
    r"breathe|catch (my|his|her) breathe)"
    r"|\bshort(ness)? of breathe|\bgasping\b|\bchoking\b|\bnot breathing\b|\bstopped breathing\b"
    r"|\bbreathing (is |has |keeps |keep |seems )?(been )?(getting |gotten |got |become |becoming )?"
    r"(weaker|worse|harder|difficult|shallow|laboured|labored|very fast)"
    r"|\blips? (are |is |look |looks |turning |turned |going |gone )*(blue|grey|gray)\b"
)
_SEVERE = {
    "breathing": _BREATH,
    "swallowing": r"(can't|cannot|can not|barely|hardly|unable to|trouble|difficulty|struggling to) "
    r"(to )?swallow",
    "anaphylaxis": r"\bthroat (is |feels |feel |is feeling |getting |feels like it'?s |keeps )?(really |very |so )?"
    r"(tight|tightening|closing|swelling|swollen|closing up)"
    r"|\b(tongue|lips?|face) (is |are |feels? |has |have )?(started |starting )?(swelling|swollen|swelled|puffing up)"
    r"|\banaphyla\w*",
    "fainting": r"\b(passed out|pass out|passing out|fainted|fainting|blacked out|blacking out|collapsed|"
    r"collapsing|unconscious|unresponsive|won't wake up|can't wake (him|her|them|up)|not waking up|lost "
    r"consciousness|losing consciousness|keeps? fainting)\b",
    "seizing": r"\b(seizing|convulsing|convulsions?|having a fit|having a seizure|having seizures)\b",
    "stroke signs": r"\b(face|mouth|smile) (is |has |looks )?(drooping|droops|droopy|dropped|lopsided)"
    r"|\bslurr(ed|ing) (speech|words|his words|her words|my words)|\bspeech is slurred"
    r"|\b(one|left|right) side of (my|his|her|the) (body|face) (is |went |has gone |feels )?(numb|weak|"
    r"paraly[sz]ed|dead)",
    "bleeding": r"\b(bleeding (heavily|a lot|badly|so much|everywhere|non ?stop)|(heavy|severe|massive) "
    r"bleeding|won't stop bleeding|can't stop (the )?bleeding|bleeding (that |and it )?won't stop|"
    r"(vomiting|throwing up|coughing up|coughing|puking|spitting up) blood|blood (in|when) (my|i) "
    r"(vomit|cough))",
    "chest pain": r"\b(crushing|squeezing|elephant) .{0,30}\bchest|\bchest .{0,20}\b(crushing|squeezing)|\bchest .{0,60}\b(into|down|to|spreading "
    r"to|going to|radiating to) (my|his|her|the) (left )?(arm|jaw|neck|back)|\bheart attack\b",
    "headache": r"\bworst headache\b|\b(sudden|thunderclap),? (severe |terrible |awful )?headache\b",
}
_SERIOUS = {
    "chest pain": r"\bchest (pain|pains|pressure|tightness|is tight|feels tight|hurts|is hurting|hurting)",
    "stroke": r"\b(having|had|is having|think (i'm|he's|she's|i am) having) a stroke\b",
    "allergic reaction": r"\b(allergic reaction|hives all over|covered in hives)\b",
    "fever": r"\b(fever|febrile|temperature|temp|burning up|hot to the touch)\b",
    "confusion": r"\b(confused|confusion|disoriented|disorientated|not making (any )?sense|delirious|"
    r"hallucinat\w*|can't speak|cannot speak|trouble (speaking|talking)|can't find (his|her|my) words|"
    r"doesn't know where (he|she) is|doesn't recognise|doesn't recognize)\b",
    "seizure": r"\b(seizure|seizures|fit|fits|shaking uncontrollably|uncontrollable shaking)\b",
    "bleeding": r"\b(bleeding|blood everywhere)\b",
}
_SELF_HARM = re.compile(  # a wish to die or to harm oneself, in the person's own words
    r"\b(kill (my|him|her)sel(f|ves)|killing (my|him|her)self|end (my|his|her) (own )?life|"
    r"ending (my|his|her) life|end it all|ending it all|take (my|his|her) (own )?life|want(ed|s)? to die|"
    r"wish (i|he|she) (was|were) dead|better off dead|(don't|do not|doesn't|does not|no longer) want(s)? "
    r"to (live|be alive|be here|wake up|go on)|no reason to live|not worth living|(hurt|hurting|harm|"
    r"harming|cut|cutting) (my|him|her)sel(f|ves)|took all (my|his|her) pills|can't go on|"
    r"(i'm|i am|i feel|feeling|he's|she's|he is|she is|been) (so |really |very )?suicidal|"
    r"(thinking|thoughts) (about|of) (suicide|killing|ending|dying))\b"
)
_SELF_HARM_TOPIC = re.compile(r"\b(suicid\w*|self[- ]?harm\w*|overdos\w*)\b")  # also words of a topic
_TOPICAL = re.compile(r"\b(risk|risks|rate|rates|common|link|linked|cause|causes|side effects?|statistics)\b")
_HIGH_FEVER = re.compile(
    r"\b(high|very high|spiking|spiked|burning up|shaking|shivering|chills|rigors|3[89]([.,]\d)?|4[0-2]([.,]\d)?|"
    r"10[1-7]([.,]\d)?)\b"
)
_CAR_T = re.compile(r"\b(car-?t|car t|cart)\b")
_FILLER = r"((a|an|the|some|very|really|so|bad|severe|sudden|terrible|awful|high|crushing|sharp|now|just|also|still|kind of|all|of)\s+){0,4}"
_OWNED = (
    r"(\b(is|are|am|was|were|has|have|had|got|gotten|having|getting|seems?|looks?|feels?|felt|became|"
    r"developed|started|i'm|he's|she's|i've|he's|she's|we're)\s+" + _FILLER + r"|\b(my|his|her|our)\s+)"
)


@dataclass(frozen=True)
class Emergency:
    """What `detect_emergency` found: the signs, and whether treatment or self-harm is involved."""

    signs: tuple[str, ...]
    after_treatment: bool = False  # CAR-T, an infusion or another treatment is mentioned
    self_harm: bool = False


def _owned(text: str, sign_pattern: str) -> bool:
    """The sign is said to be happening to a person: "I have …", "my husband is …", "my chest hurts",
    or it opens the message with the person left out ("high fever after my infusion")."""
    for match in re.finditer(sign_pattern, text):
        before = text[max(0, match.start() - 80) : match.start()]
        opening = re.fullmatch(r"\s*" + _FILLER, before)  # "high fever after my infusion"
        if (
            opening
            or re.search(_OWNED + r"$", before)
            or re.search(r"\b(i|he|she|we|patient|my \w+)\s+$", before)
        ):
            return True
    return False


def detect_emergency(question: str) -> Emergency | None:
    """The emergency the question describes, or None (see the module docstring for the rule)."""
    text = normalise(question)
    if not text:
        return None
    person = bool(_PERSON.search(text))
    acute = bool(_ACUTE.search(text))
    distanced = bool(_PAST.search(text) or _HYPOTHETICAL.search(text) or _REPORTED.search(text))
    treatment = bool(_TREATMENT.search(text))
    signs: list[str] = []
    if person and (_SELF_HARM.search(text) or (_SELF_HARM_TOPIC.search(text) and not _TOPICAL.search(text))):
        return Emergency(("thoughts of suicide or self-harm",), treatment, True)
    if person or acute:
        for name, pattern in _SEVERE.items():
            if re.search(pattern, text) and (acute or not distanced):
                signs.append(name)
    for name, pattern in _SERIOUS.items():
        if name in signs or not re.search(pattern, text):
            continue
        if person or (acute and re.match(r"\s*" + _FILLER + f"(?:{pattern})", text)):  # "chest pain now!"
            owned = _owned(text, pattern)
            if name == "fever":
                high = bool(_HIGH_FEVER.search(text))
                urgent = owned and (
                    (treatment and (high or acute or bool(_CAR_T.search(text))) and not distanced)
                    or (high and acute)
                )
            elif name in {"confusion", "seizure"}:
                urgent = owned and ((treatment and not distanced) or acute)
            elif name == "bleeding":
                urgent = owned and acute and bool(re.search(r"\b(won't stop|a lot|heavily|badly)\b", text))
            else:
                urgent = owned and acute
            if urgent:
                signs.append(name)
    if not signs:
        return None
    return Emergency(tuple(signs), treatment)


def emergency_text(emergency: Emergency, audience: Audience = "patient") -> str:
    """The urgent-care message: emergency number first, the treating team for treated patients."""
    if emergency.self_harm:
        return (
            "I'm really sorry you're feeling this way, and I'm glad you said it. Please get help right now: "
            "call your local emergency number, or go to the nearest emergency department. You can also "
            "contact a suicide and crisis line in your country to talk to someone straight away, day or "
            "night. If you can, tell someone you trust and stay with them. You don't have to go through "
            "this alone."
        )
    lines = [
        "This may be a medical emergency. Call your local emergency number now, or go to the nearest "
        "emergency department. Don't wait for an answer here or for symptoms to pass."
    ]
    if emergency.after_treatment:
        lines.append(
            "If this is after CAR-T cell therapy or an infusion, also call the treating team's 24-hour "
            "number and tell them about the treatment."
        )
    if audience == "staff":
        lines.append("For a patient in your care, follow your emergency protocol and call for help now.")
    return " ".join(lines)


def emergency_answer(question: str, emergency: Emergency, audience: Audience) -> Answer:
    return Answer(
        question=question,
        answer=emergency_text(emergency, audience),
        refused=True,
        refusal_reason="emergency",
        audience=audience,
        notice=PATIENT_NOTICE if audience == "patient" else "",
        answerer="guardrails",
    )


# -------------------------------------------------------------------------------------- personal advice

_DRUG_WORDS = (
    r"(dose|doses|dosage|dosing|medicine|medicines|medication|medications|meds|med|drug|drugs|pill|pills|"
    r"tablet|tablets|treatment|treatments|therapy|infusion|infusions|injection|injections|shot|shots|steroid|"
    r"steroids|prednisone|prednisolone|methotrexate|hydroxychloroquine|plaquenil|mycophenolate|"
    r"cellcept|azathioprine|cyclophosphamide|rituximab|belimumab|tacrolimus|ivig|folic acid|vaccine|"
    r"vaccines|car-?t|car t|cart|bispecific|teclistamab|blinatumomab|chemo|chemotherapy|biologic|biologics|"
    r"supplement|supplements|vitamin \w+|immunosuppressant\w*|antibiotic\w*|\w+mab|\w+nib|\w+ine|\w+ate|"
    r"\w+one|\w+olone)"
)
_DECIDE = (
    r"(take|taking|stop|stopping|quit|quitting|start|starting|restart|resume|skip|skipping|miss|missing|"
    r"double|doubling|halve|increase|increasing|decrease|decreasing|lower|lowering|raise|raising|reduce|"
    r"reducing|cut down|cut back|taper|tapering|change|changing|switch|switching|come off|coming off|go off|"
    r"get off|keep taking|continue|continuing|stay on|combine|mix|get|have|try|use|give|refer|be on|go on)"
)
_OBJECT = rf"(taking |using |on )?(my|his|her|our|the|a|an|this|these|it|them|\d+|{_DRUG_WORDS})"
_PERSONAL = [
    # "should I …", "should my husband …", "should we start …"
    rf"\bshould (i|we|my \w+|he|she|they) (still |really |just |keep |be )?{_DECIDE}\b",
    r"\bshould (i|we) (be )?(worried|concerned|go|see|get|have|wait|avoid|refer)\b",
    # "can I drink alcohol on methotrexate", "can I get pregnant on mycophenolate"
    rf"\b(can|could|may|should|shall) (i|we|he|she|my \w+) \w+( \w+)? (on|with|while (on|taking|using|having)) "
    rf"(my |his |her )?{_DRUG_WORDS}",
    r"\b(right|good|safe|suitable|an option|appropriate|worth it) for (me|him|her|us|my \w+)\b",
    r"\b(i|we) (should|shouldn't) (take|stop|start|skip|keep|double|be taking)\b",
    # "can I take …", "is it ok for me to stop my …", "do I need to keep taking …"
    rf"\b(can|could|may|must|do|does|would|will|shall) (i|we|my \w+|he|she) (still |really |just )?(need to |have "
    rf"to |still )?{_DECIDE} ({_OBJECT})",
    rf"\b(is it|would it be|it is) (ok|okay|safe|fine|alright|bad|dangerous|wise|risky) (for (me|him|her|us) )?"
    rf"(to|if (i|we|he|she)) {_DECIDE} ({_OBJECT})",
    rf"\bam i (allowed|ok|okay|safe) to {_DECIDE} ({_OBJECT})",
    rf"\b(my|his|her) {_DRUG_WORDS}( \w+)? (dose|dosage)\b",
    r"\b(how much|how many|what dose|which dose|what dosage|how often|how long) .{0,40}\b(should|can|do|must) "
    r"(i|we|he|she|my \w+) (take|give|use|be on|stay on)\b",
    rf"\b(stop|skip|double|halve|increase|decrease|lower|raise|change|switch|come off|quit) (taking )?(my|his|"
    rf"her) {_DRUG_WORDS}",
    rf"\b{_DECIDE} .{{0,30}}\b(with|while|and) (my|his|her) {_DRUG_WORDS}",
    r"\b\d+(\.\d+)? ?(mg|milligrams?|mcg|micrograms?|g|grams?|units?|ml)\b.{0,80}\b(should|can|could|may|do) "
    r"(i|we|he|she)\b",
    # eligibility
    r"\b(am i|is (my \w+|he|she)|are we|would i be|would (he|she) be) (\w+ )?(eligible|a (good |suitable )?"
    r"candidate|suitable|qualified|a fit)\b",
    r"\b(do|does|would|will|could) (i|he|she|my \w+) (qualify|be eligible|be a candidate|get accepted)\b",
    r"\b(can|could|should|would) (i|we|he|she|my \w+) (get|have|be given|be treated with|receive|try|sign "
    r"up for|join|enrol|enroll) (car-?t|car t|cart|this|that|it|the (treatment|trial|therapy)|a trial|"
    r"teclistamab|rituximab|bispecific)",
    # clinicians asking about one patient
    r"\b(my|this|our) (\d+[- ]year[- ]old )?(patient|pt)\b.{0,120}\b(should|can|could|would|do|is|eligible)\b",
    r"\bshould (i|we) (refer|start|switch|give|prescribe|treat|escalate|stop)\b",
]
_PERSONAL_RE = re.compile("|".join(f"(?:{p})" for p in _PERSONAL))
_NOT_PERSONAL = re.compile(
    r"\b(do (people|patients|ppl|they)|does (everyone|every patient)|can (people|patients|ppl|they|you))\b"
)


# "why do I have to have chemo before CAR-T?" asks what a treatment involves and why, not what to decide
_ASKS_WHY = re.compile(
    r"^(but |so |and )?(why|how come) (do|does|did|would|will|is|are|was|were|must|have)\b"
)


def detect_personal_advice(question: str) -> bool:
    """True when the question asks for a decision about one person's treatment (dose, stop, start …)."""
    text = normalise(question)
    if not text or _NOT_PERSONAL.search(text) and not re.search(r"\b(i|my|me|we)\b", text):
        return False
    if _ASKS_WHY.search(text) and not re.search(r"\bshould\b", text):
        return False
    return bool(_PERSONAL_RE.search(text))


_DOSE = re.compile(
    r"\b\d+(?:[.,]\d+)?\s?(?:-|to|–)?\s?(?:\d+(?:[.,]\d+)?\s?)?(?:mg|milligrams?|mcg|micrograms?|µg|g/day|"
    r"mg/kg|mg/m2|units?/kg|iu)\b",
    re.I,
)
_INSTRUCTION = re.compile(
    r"\b(do not|don't|never|should|must|always|need to|have to) (stop|start|skip|change|double|take|miss|"
    r"increase|decrease|lower|raise|continue|keep)\b"
    r"|\b(should|must|needs? to|has to|have to|is to|are to|ought to)( also| not| still| then| always)? be "
    r"(started|stopped|continued|kept|taken|given|prescribed|avoided|increased|decreased|reduced|lowered|"
    r"raised|doubled|discontinued|withdrawn|tapered|restarted|resumed|used)\b"
    r"|\b(stop|start|keep|continue|begin) (taking|using)\b|\bkept going\b"
    r"|\b(are|is) (advised|told|recommended) to (start|stop|keep|take|continue|avoid)\b"
    r"|\bdose (is|was|should be) (increased|reduced|lowered|raised|doubled|tapered)\b"
    r"|\btaper(ed|ing)? (off|down)\b",
    re.I,
)


def is_dosing_text(sentence: str) -> bool:
    """A sentence with a dose ("15 mg", "500 milligrams") or a stop/start instruction: never quoted
    for a personal question."""
    return bool(_DOSE.search(sentence) or _INSTRUCTION.search(sentence))


def redact_dosing(evidence: list[Evidence]) -> list[Evidence]:
    """The evidence with its dosing sentences blanked out (offsets kept), for a personal question, so
    no answerer can quote them."""
    redacted = []
    for ev in evidence:
        text = ev.text
        for start, end in split_sentences(ev.text):
            if is_dosing_text(ev.text[start:end]):
                text = text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]
        redacted.append(ev if text == ev.text else ev.model_copy(update={"text": text}))
    return redacted


_FRAME = [  # the personal scaffolding removed from the question, leaving its subject
    r"\b(i'm|i am|im) (pregnant|breastfeeding|breast feeding|nursing)\b",
    r"\b(should|can|could|may|must|do|does|would|will|is it (ok|okay|safe|fine|alright|bad|dangerous)( for "
    r"(me|him|her))? to|am i (allowed|ok|okay) to) (i|we|my \w+|he|she)?",
    r"\b(am i|is (my \w+|he|she)|are we|would i be) (\w+ )?(eligible|a (good |suitable )?candidate|suitable|"
    r"qualified) (for|to)?",
    r"\b(do|does|would|will|could) (i|he|she|my \w+) (qualify|be eligible|be a candidate) (for)?",
    r"\bmy doctor (gave|prescribed|put) me( on)?\b",
    r"\b(my|our|this) (\d+[- ]year[- ]old )?(patient|pt)\b",
    r"\b(i've|i have|i had|i've had|he has|she has|she's had|he's had) ",
    r"\b(need to|have to|still|keep|keep taking|just|really|first|instead)\b",
    r"\b(when|if|because|since) (my|i|it)\b",
    r"\b(\d+[- ]year[- ]old)\b",
    r"\b\d+(\.\d+)? ?(mg|milligrams?|mcg|micrograms?|g|grams?|units?|ml)( a| per)? ?(day|week|daily|weekly)?\b",
    r"\b(for )?\d+ (years?|months?|weeks?|days?)\b",
    r"\b(a|per|every|each|twice a|once a) (day|week|month)\b|\b(daily|weekly|monthly)\b",
    r"\b(i|me|my|mine|myself|we|our|us|he|she|him|her|his|hers|it|refer|didn't|work|upsets?|honestly)\b",
]
_RELATIONS = frozenset({"before", "after", "during", "without"})  # "stopping X before Y" ≠ "X Y"
_TOPIC_VERBS = re.compile(
    r"\b(stop|stopping|skip|skipping|double|doubling|start|starting|take|taking|switch|change|come off|"
    r"go off|quit|increase|decrease|lower|raise|keep)\b"
)


def depersonalise(question: str) -> str:
    """The general question behind a personal one: "am I eligible for CAR-T?" → "Who can get CAR-T?";
    "should I stop my hydroxychloroquine?" → "What is known about stopping hydroxychloroquine?"."""
    text = normalise(question)
    subject = ""
    about = re.search(r"\(about: (.+)\)\s*$", text)
    if about:  # a follow-up carried the conversation's subject: keep it
        subject = about.group(1)
        text = text[: about.start()]
    eligibility = re.search(r"\b(eligible|candidate|qualify|suitable)\b", text)
    pregnant = re.search(r"\b(pregnant|pregnancy|breastfeeding|breast feeding|nursing)\b", text)
    verb = _TOPIC_VERBS.search(text)
    for pattern in _FRAME:
        text = re.sub(pattern, " ", text)
    words = [w for w in re.findall(r"[a-z0-9][a-z0-9\-']*", text) if w not in STOPWORDS or w in _RELATIONS]
    words = [
        w for w in words if not _TOPIC_VERBS.fullmatch(w) and w not in {"eligible", "candidate", "qualify"}
    ]
    rest = " ".join(dict.fromkeys(words))
    if subject:
        rest = f"{rest} {subject}".strip()
    if eligibility:
        return f"Who can get {rest}?" if rest else question
    if not rest:
        return question
    if pregnant:
        rest = f"{rest} during pregnancy"
    if verb and verb.group(1) in {"stop", "stopping", "skip", "skipping", "quit", "come off", "go off"}:
        return f"What is known about stopping {rest}?"
    return f"What is known about {rest}?"


def personal_prefix(audience: Audience) -> str:
    """The line before the general facts of a personal question: the decision is the care team's."""
    if audience == "staff":
        return (
            "I can't make a decision about a specific patient; that rests with the treating physician and "
            "care team. In general, the sources say:"
        )
    return (
        "I can't advise on your own treatment, so please ask your doctor or care team before you change "
        "anything. In general, the sources say:"
    )


def personal_redirect(question: str, audience: Audience) -> Answer:
    """The refusal when no general facts can be given: a decision for the care team."""
    if audience == "staff":
        text = (
            "I can't make a decision about a specific patient, and my sources don't cover this question in "
            "general. Please decide with the treating physician and care team."
        )
    else:
        text = (
            "I can't advise on your own treatment, and my sources don't give general facts on this. Please "
            "ask your doctor or care team; they know your situation and can tell you what is safe for you."
        )
    return Answer(
        question=question,
        answer=text,
        refused=True,
        refusal_reason="personal_advice",
        audience=audience,
        notice=PATIENT_NOTICE if audience == "patient" else "",
        answerer="guardrails",
    )


# ------------------------------------------------------------------------------------------------ scope

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
    raw = question.translate(_APOSTROPHES)
    text = normalise(question)
    tokens = set(re.findall(r"[a-z0-9][a-z0-9\-']*", text))
    singular = {t[:-1] for t in tokens if len(t) > 3 and t.endswith("s")}
    in_scope = bool(
        (tokens | singular) & vocabulary.words
        or any(p.search(raw) for p in vocabulary.phrases)
        or any(m.group(0) not in _NOT_MEDICAL_FORMS for m in _MEDICAL_FORM.finditer(text))
    )
    off_topic = bool(tokens & OFF_TOPIC or _OFF_TOPIC_PHRASES.search(text))
    if off_topic and not in_scope:
        return "out"
    return "in" if in_scope and not off_topic else "unsure"


def out_of_scope_answer(question: str, audience: Audience) -> Answer:
    return Answer(
        question=question,
        answer=(
            "Sorry, I can only help with questions about autoimmune diseases, the immune system and their "
            "treatments (such as lupus, CAR-T cell therapy or B-cell depletion). Please ask me about one "
            "of those."
        ),
        refused=True,
        refusal_reason="out_of_scope",
        audience=audience,
        notice=PATIENT_NOTICE if audience == "patient" else "",
        answerer="guardrails",
    )


# ------------------------------------------------------------------------------------------- the screen


@dataclass(frozen=True)
class Screening:
    """The verdict before retrieval: an answer to give at once, or the question to retrieve for."""

    kind: GuardKind | None
    answer: Answer | None = None  # emergency and out-of-scope answers, given without retrieval
    question: str = ""  # the question retrieval and the answerer see (depersonalised when personal)


def screen(question: str, standalone: str, audience: Audience, vocabulary: ScopeVocabulary) -> Screening:
    """Run the three checks in order: emergency, out of scope, personal advice."""
    emergency = detect_emergency(question)
    if emergency is not None:
        return Screening("emergency", emergency_answer(question, emergency, audience), standalone)
    # a follow-up that points back at the conversation ("what about cold weather?") keeps its subject
    leans_on_conversation = standalone != question and bool(LEANING.search(question))
    if judge_scope(question, vocabulary) == "out" and not leans_on_conversation:
        return Screening("out_of_scope", out_of_scope_answer(question, audience), standalone)
    if detect_personal_advice(question):
        return Screening("personal_advice", None, depersonalise(standalone))
    return Screening(None, None, standalone)
