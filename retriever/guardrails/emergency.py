"""Emergency detection and the urgent-care answer (on the user's own words, never the condensed question).

A question is an emergency when it describes an acute danger happening to a person:

- a *severe* sign — can't breathe / struggling to breathe / breathing getting weaker, can't
  swallow, throat tight or closing, swollen tongue or lips, anaphylaxis, fainting / passing out /
  unresponsive, seizing, stroke signs (face drooping, slurred speech, one side numb), severe
  bleeding or coughing/vomiting blood, crushing chest pain or pain spreading to the arm or jaw,
  "worst headache of my life", a fever with a stiff neck, a swollen leg with chest pain or
  breathlessness, sudden weakness, a severe headache with blurred sight in pregnancy — together
  with a person it happens to (I, my husband, she, my patient …) or an acute marker (now, right
  now, suddenly, help!, minutes ago …);
- a *serious* sign — chest pain, a stroke, an allergic reaction, bleeding, a fever, confusion, a
  seizure — owned by a person ("I have chest pain", "my husband is confused") together with an
  acute marker; a fever also when it is high or follows CAR-T or an infusion, confusion and
  seizures also after CAR-T or an infusion; a sudden loss of sight; hives, a puffy face or
  dizziness that fells the person just after a treatment;
- thoughts of suicide or self-harm in the first or third person ("I don't want to be alive", "my
  son is suicidal"); the words suicide, self-harm or overdose alone count unless the question is
  about a risk, rate, cause or link ("is my suicide risk higher with lupus?").

A general question ("can lupus cause chest pain?", "is fever a side effect of CAR-T?", "what
are the symptoms of myasthenia crisis") names no person the sign is happening to, so it is not
an emergency. A sign placed in the past ("last year", "years ago"), in a hypothetical ("what if
I get …", "if I ever …") or in reported speech ("I read that …") counts only with an acute
marker. Misspellings of the sign words are corrected first (`retriever.guardrails.normalise`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from retriever.guardrails.normalise import normalise
from retriever.messages import emergency_text, refusal
from retriever.types import Answer, Audience

_PERSON = re.compile(
    r"\b(i|i'm|i've|i'd|i'll|me|my|myself|mine|we|we're|our|us|he|he's|him|his|himself|she|she's|her|"
    r"herself|patient|husband|wife|partner|son|daughter|child|kid|baby|mom|mum|mother|dad|father|friend|"
    r"brother|sister|grandma|grandmother|grandpa|grandfather)\b"
)
_ACUTE = re.compile(
    r"\b(now|right now|currently|at the moment|suddenly|sudden|all of a sudden|this (morning|evening|"
    r"afternoon|minute)|tonight|since (this|last night|yesterday|an hour|a few|\d)|"
    r"(an?|one|two|three|few|couple of|\d+) (minutes?|mins?|hours?|hrs?) ago|keeps? getting (worse|weaker)|"
    r"in the (last|past) (\w+ )?(minutes?|hours?|hour)|getting worse|worse and worse|won't stop|is having|am having|are having|i'm having|he's having|"
    r"she's having|emergency|911|999|112|hurry|urgent|just (had|started|began|went|passed|fainted|collapsed|"
    r"took|swallowed|coughed|vomited|threw))\b"
    r"|(^|[.!?] )(please )?help\b|\bhelp( me)?( now| please)? ?!|\bsomeone help\b|\bplease help\b"
)
_PAST = re.compile(
    r"\b(last (year|month|week|summer|winter|spring|fall|time)|(years?|months?|weeks?) ago|in the past|"
    r"used to|history of|once had|a while ago|back in|years back|when i was|as a (teen|teenager|child|kid|baby|"
    r"student)|in (my )?(childhood|teens|twenties)|(had|got) (a |an )?\w+ once)\b"
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
# when a treatment was given ("he had car t last week") does not place the sign in the past
_TREATMENT_WHEN = re.compile(
    r"\b(had|got|received|started|was given|were given|finished|after)\s+(my |his |her |the |a |an )?(car-?t|car t|"
    r"cart|infusion|chemo\w*|\w+mab|treatment|dose|shot|injection|transfusion)( \w+){0,2}? (last (week|month|night)|"
    r"yesterday|(\d+|a|one|two|three|four|five|six|few|couple of) (days?|weeks?) ago)\b"
)
_TREATMENT = re.compile(
    r"\b(car-?t|car t|cart|t-?cells?|cells|infusion|infusions|infused|drip|rituximab|ritux|teclistamab|"
    r"blinatumomab|bispecific|bite|chemo|chemotherapy|transfusion|ivig|treatment|injection|shot|jab|med|meds|"
    r"medicine|medicines|medication|medications|drug|drugs|pill|pills|antibiotics?|mycophenolate|cellcept|mmf|pred|"
    r"prednis\w+|steroids?|methotrexate|mtx|azathioprine|tacrolimus|cyclophosphamide|immunosuppress\w*)\b"
)

_BREATH = (
    r"(can't|cannot|can not|couldn't|could not|unable to|struggling to|struggle to|hard to|hardly|barely|"
    r"trouble|difficulty|difficult to|problems?|fighting to) (to )?(breathe|breathing|get (my|his|her|a) "
    r"breathe|catch (my|his|her) breathe)"
    r"|\b(severe|sudden|extreme|really bad|terrible) (breathlessness|shortness of breathe)\b"
    r"|\bshort(ness)? of breathe|\bgasping\b|\bchoking\b|\bnot breathing\b|\bstopped breathing\b"
    r"|\bbreathing (is |has |keeps |keep |seems )?(been )?(getting |gotten |got |become |becoming )?"
    r"(weaker|worse|harder|difficult|shallow|laboured|labored|very fast)"
    r"|\blips? (are |is |look |looks |turning |turned |going |gone )*(blue|grey|gray)\b"
    r"|\b(blue|grey|gray) (around|round) (the |his |her |my )?(lips|mouth)\b"
)
_SEVERE = {
    "breathing": _BREATH,
    "swallowing": r"(can't|cannot|can not|barely|hardly|unable to|trouble|difficulty|struggling to) "
    r"(to )?swallow",
    "anaphylaxis": r"\bthroat (is |feels |feel |is feeling |getting |feels like it'?s |keeps )?(really |very |so )?"
    r"(tight|tightening|closing|swelling|swollen|closing up)"
    r"|\b(tongue|lips?|face) (is |are |feels? |has |have )?(started |starting )?(swelling|swollen|swelled|puffing up)"
    r"|\btongue (is |feels |looks )?(so |really |very |all )?(thick|huge|big|fat)\b"
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
    r"(vomiting|throwing up|coughing up|coughing|puking|spitting up|coughed up|coughed|threw up|vomited|"
    r"puked|spat up|spit up) blood|blood (in|when) (my|i) (vomit|cough)|(peeing|urinating|passing|pissing) (\w+ ){0,2}"
    r"blood|blood clots in (my|his|her|the) (urine|pee)|\b(pouring|gushing|streaming|pumping) (out )?blood\b|"
    r"\bblood (is )?(pouring|gushing|streaming)\b|(vomited|vomiting|threw up|throwing up|coughed up|coughing "
    r"up)\b.{0,20}\bblood\b|\b(nose ?bleed|bleeding)\b.{0,40}\b(won't stop|wont stop|not stopping|will not stop|for "
    r"(\d+|an?|over an?|forty|thirty) (minutes?|mins?|hours?)))",
    "chest pain": r"\b(crushing|squeezing|elephant) .{0,30}\bchest|\bchest .{0,20}\b(crushing|squeezing)|\bchest .{0,60}\b(into|down|to|spreading "
    r"to|going to|radiating to) (my|his|her|the) (left )?(arm|jaw|neck|back)|\bheart attack\b",
    "headache": r"\bworst headache\b|\b(sudden|thunderclap),? (severe |terrible |awful )?headache\b"
    r"|\bheadache.{0,30}\bworst (of (my|his|her) life|ever)\b",
    # a fever with a stiff neck (meningitis); a swollen leg with chest pain or breathlessness (a clot
    # reaching the lung); a sudden weakness; a severe headache with blurred sight in pregnancy
    "fever with a stiff neck": r"\b(fever|temperature|temp)\b.{0,60}\bstiff neck\b|\bstiff neck\b.{0,60}\b(fever|"
    r"temperature|temp)\b",
    "clot signs": r"\b(swollen|swelling|painful|sore|red) (\w+ )?(leg|calf)\b.{0,60}\b(chest (pain|hurts|is hurting)|"
    r"short of breath|breathless)|\bchest (pain|hurts).{0,60}\b(swollen|swelling) (\w+ )?(leg|calf)\b",
    "sudden weakness": r"\bsuddenly (went |gone |became |become |feel |feels |felt |got |is |are )?(so |very )?(weak|numb|"
    r"paraly[sz]ed)\b|\bsudden (weakness|numbness|paralysis)\b",
    "a floppy baby": r"\b(gone|went|going|is|seems|looks) (all |very |really )?(floppy|limp)\b",
    # a blow to the head on a blood thinner, or with vomiting or drowsiness after it
    "head injury": r"\b(hit|banged|bumped|knocked|cracked) (my|his|her|their) head\b.{0,80}\b(vomit\w*|throwing up|"
    r"sleepy|drowsy|confus\w*|won't wake|passed out)|\b(warfarin|coumadin|eliquis|apixaban|xarelto|rivaroxaban|"
    r"blood thinners?|anticoagula\w*)\b.{0,80}\b(hit|banged|bumped|knocked) (my|his|her) head\b",
    "sudden severe pain": r"\bsudden(ly)? (\w+ ){0,2}(worst|severe|terrible|excruciating|unbearable) pain\b|\bworst pain "
    r"(of|in) (my|his|her) (life|belly|stomach|chest|head)|\b(belly|stomach|abdomen|tummy)\b.{0,30}\b(hard as a "
    r"(board|rock)|rigid)\b",
    # many pills at once, on purpose or by a child ("took like 15 of my prednisone pills", "swallowed a
    # bunch of my methotrexate tablets"): poisoning
    "overdose": r"\b(took|taken|swallowed|ate|eaten|downed|got into)\s+(like |about |around |maybe |almost |nearly |"
    r"over |at least )?(\d{2,}|all|a (whole )?(bottle|bunch|handful|lot|pack|packet|box|load|fistful)|too many|lots|"
    r"loads|ten|twelve|fifteen|twenty|thirty|forty|fifty)\b.{0,50}\b(pills?|tablets?|meds|medicines?|medications?|"
    r"capsules?|doses)\b"
    r"|\b(baby|toddler|child|kid|son|daughter|grandson|granddaughter|\d+ ?(year|yr|month)s? old)\b.{0,60}\b(ate|eaten|"
    r"swallowed|got into|chewed|took)\b.{0,60}\b(pills?|tablets?|meds|medicines?|medications?|capsules?)\b"
    r"|\b(baby|toddler|child|kid|son|daughter|grandson|granddaughter)\b.{0,80}\b(pills?|tablets?|capsules?)\b.{0,60}"
    r"\b(swallowed|ate|eaten|chewed)\b|\b(pills?|tablets?|capsules?)\b.{0,80}\b(baby|toddler|child|kid|son|daughter)\b"
    r".{0,30}\b(swallowed|ate|eaten|chewed)\b",
    "very low blood pressure": r"\b(bp|blood pressure)\s+(is |was |of |at |reading |dropped to |down to |only )*"
    r"[3-8]\d( ?/ ?| over | )\d{2}\b|\b(bp|blood pressure)\s+(is |keeps )?(dropping|crashing|tanking|very low|"
    r"really low|so low)\b",
    "skin blistering and peeling": r"\bskin (is |has |keeps )?(started )?(blistering|peeling off|coming off|sloughing)"
    r"|\bblister\w* and peel\w*",
    "very high blood pressure": r"\b(bp|blood pressure)\s+(is |was |of |at |reading |up to |now )*(1[89]\d|2\d\d)"
    r"( ?/ ?| over | )\d{2,3}\b",
    "a falling ICE score": r"\bice score\b.{0,30}\b(dropped|dropping|fell|falling|down|is [0-6]\b)",
    "pregnancy warning signs": r"\bpregnan\w*\b.{0,80}\b(severe|terrible|bad|awful|pounding|worst) headache\b.{0,60}"
    r"\b(blurr\w*|vision|see|seeing|spots)\b",
}
_SERIOUS = {
    "chest pain": r"\bchest (pain|pains|pressure|tightness|is tight|feels tight|hurts|is hurting|hurting)",
    "stroke": r"\b(having|had|is having|think (i'm|he's|she's|i am) having) a stroke\b",
    "allergic reaction": r"\b(allergic reaction|hives all over|covered in hives)\b",
    "fever": r"\b(fever|febrile|temperature|temp|burning up|hot to the touch)\b",
    "confusion": r"\b(confused|confusion|disoriented|disorientated|not making (any )?sense|delirious|"
    r"hallucinat\w*|can't speak|cannot speak|trouble (speaking|talking)|can't find (his|her|my) words|"
    r"doesn't know where (he|she) is|doesn't recognise|doesn't recognize"
    # CAR-T's neurotoxicity (ICANS) as people describe it: memory for their own life, handwriting, words
    r"|(can't|cannot|couldn't|can not) remember (my|his|her|their|our) (own )?(name|address|birthday|phone number|"
    r"kids?|children|wife|husband|partner|family)|(can't|cannot|couldn't) remember (where (i|he|she) (am|is|was|"
    r"lives?)|what day it is|who (i|he|she) (am|is))|forg[eo]t(ten|ting)? (my|his|her) (own )?(name|address)"
    r"|handwriting (is|has|looks|got|went|became|seems|gone) (\w+ ){0,2}(weird|messy|shaky|strange|off|different|"
    r"changed|bad|worse|illegible|wobbly|funny)|(can't|cannot) write (properly|normally|(my|his|her) (own )?name)"
    r"|trouble finding (the |his |her |my )?words|(words (are|come|coming|came) (out )?|(keeps |kept )?getting (his|her|my) words )"
    r"(all )?(jumbled|garbled|wrong|mixed up|muddled))\b",
    "seizure": r"\b(seizure|seizures|fit|fits|shaking uncontrollably|uncontrollable shaking)\b",
    "bleeding": r"\b(bleeding|blood everywhere)\b",
    "sudden loss of sight": r"\b(can't|cannot|can not|couldn't) see (out of|with|from) (one|my|his|her|the|left|right)\b|"
    r"\b(lost|losing) (the |my |his |her )?(vision|sight)\b|\bwent blind\b",
    "allergic reaction after treatment": r"\b(hives|welts|face (is |looks |feels |got |went )?(all )?(puffy|swollen)|"
    r"(puffy|swollen) face|so dizzy (that )?(i|he|she) (fell|fall|can't stand))\b",
}
_SELF_HARM = re.compile(  # a wish to die or to harm oneself, in the person's own words
    r"\b(kill (my|him|her)sel(f|ves)|killing (my|him|her)self|end (my|his|her) (own )?life|"
    r"ending (my|his|her) life|end it all|ending it all|take (my|his|her) (own )?life|want(ed|s)? to die|"
    r"wish (i|he|she) (was|were) dead|better off dead|(don't|do not|doesn't|does not|no longer) want(s)? "
    r"to (live|be alive|be here|wake up|go on)|no reason to live|not worth living|(hurt|hurting|harm|"
    r"harming|cut|cutting) (my|him|her)sel(f|ves)|took all (my|his|her) pills|can't go on|"
    r"(i'm|i am|i feel|feeling|he's|she's|he is|she is|been) (so |really |very )?suicidal|"
    r"(thinking|thoughts) (about|of) (suicide|killing|ending|dying)|voices? (telling|tell|told) (me|him|her|them) to "
    r"(jump|kill|hurt|die|end)|can't do (this|it) (any ?more|much "
    r"longer)|(pills|bottle|tablets)\b.{0,30}\b(in front of me|in my hand))\b"
)
_SELF_HARM_TOPIC = re.compile(r"\b(suicid\w*|self[- ]?harm\w*|overdos\w*)\b")  # also words of a topic
_TOPICAL = re.compile(r"\b(risk|risks|rate|rates|common|link|linked|cause|causes|side effects?|statistics)\b")
_HIGH_FEVER = re.compile(
    r"\b(high|very high|spiking|spiked|burning up|shaking|shivering|chills|rigors|38[.,][5-9]|39([.,]\d)?|4[0-2]([.,]\d)?|"
    r"10[1-7]([.,]\d)?)\b"
)
_CAR_T = re.compile(r"\b(car-?t|car t|cart)\b")
_FILLER = (
    r"((a|an|the|some|very|really|so|bad|severe|sudden|terrible|awful|high|crushing|sharp|now|just|also|still|kind of"
    r"|all|of|focal|small|big|major|minor|full|short|long|another|\d{2,3}([.,]\d)?( ?°| degrees?)? ?[fc]?)\s+){0,4}"
)
_OWNED = (
    r"(\b(is|are|am|was|were|has|have|had|got|gotten|having|getting|seems?|looks?|feels?|felt|became|"
    r"developed|started|become|becoming|gone|i'm|he's|she's|i've|he's|she's|we're|with)\s+"
    + _FILLER
    + r"|\b(my|his|her|our)\s+)"
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


def _past_after(text: str, sign_pattern: str) -> bool:
    """The sign is placed in the past right after it is named: "she had a stroke last year" (a "now" later
    in the message, "her GP now wants …", is about something else)."""
    return any(
        _PAST.match(text, m.end(), m.end() + 40) or _PAST.search(text[m.end() : m.end() + 25])
        for m in re.finditer(sign_pattern, text)
    )


def detect_emergency(question: str) -> Emergency | None:
    """The emergency the question describes, or None (see the module docstring for the rule)."""
    text = normalise(question)
    if not text:
        return None
    person = bool(_PERSON.search(text))
    acute = bool(_ACUTE.search(text))
    untimed = _TREATMENT_WHEN.sub(" ", text)
    distanced = bool(_PAST.search(untimed) or _HYPOTHETICAL.search(text) or _REPORTED.search(text))
    treatment = bool(_TREATMENT.search(text))
    signs: list[str] = []
    if person and (_SELF_HARM.search(text) or (_SELF_HARM_TOPIC.search(text) and not _TOPICAL.search(text))):
        return Emergency(("thoughts of suicide or self-harm",), treatment, True)
    for name, pattern in _SEVERE.items():
        # a falling ICE score is happening to a patient now, said in a clinician's shorthand
        if (
            (person or acute or name == "a falling ICE score")
            and re.search(pattern, text)
            and (acute or not distanced)
        ):
            signs.append(name)
    for name, pattern in _SERIOUS.items():
        if name in signs or not re.search(pattern, text):
            continue
        opens = bool(re.match(r"\s*" + _FILLER + f"(?:{pattern})", text))
        high_now = acute and bool(_HIGH_FEVER.search(text))  # "two days out from car t, tonight temp 40"
        if (
            person or (acute and opens) or (name == "fever" and treatment and (opens or high_now))
        ):  # "chest pain now!"
            owned = _owned(text, pattern)
            if name == "fever":
                high = bool(_HIGH_FEVER.search(text))
                # "a cough since yesterday" dates another sign; a fever is urgent now, high, or after CAR-T
                now = bool(_ACUTE.search(re.sub(r"\bsince (last night|yesterday)\b", " ", text)))
                urgent = (owned or (high and (now or (treatment and person)) and not distanced)) and (
                    (treatment and (high or now or bool(_CAR_T.search(text))) and not distanced)
                    or (high and now)
                )
            elif name in {"confusion", "seizure"}:
                urgent = owned and ((treatment and not distanced) or acute)
            elif name == "allergic reaction after treatment":
                urgent = (
                    treatment
                    and not distanced
                    and bool(re.search(r"\b(just|after|since|today|minutes?|hours?)\b", text))
                )
            elif name == "bleeding":
                urgent = owned and acute and bool(re.search(r"\b(won't stop|a lot|heavily|badly)\b", text))
            else:
                urgent = owned and acute and not _past_after(text, pattern)
            if urgent:
                signs.append(name)
    if not signs:
        return None
    on_purpose = "overdose" in signs and bool(re.search(r"\b(on purpose|deliberately|intentionally)\b", text))
    return Emergency(tuple(signs), treatment, on_purpose)


def emergency_answer(question: str, emergency: Emergency, audience: Audience) -> Answer:
    """The urgent-care message as the answer (`retriever.messages.emergency_text`)."""
    return refusal(question, audience, "emergency", emergency_text(emergency, audience), "guardrails")
