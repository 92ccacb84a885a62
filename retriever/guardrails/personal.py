"""Personal advice: a request for a decision about one person's treatment, and the general question behind it.

`detect_personal_advice` finds a dose ("how much should I take", "double my prednisone", a dose in
mg), stopping, starting, skipping, switching or combining a medicine for me / my X / my patient
("should I stop my …", "can I take X with Y"), eligibility ("am I eligible for CAR-T?", "do I
qualify"), "should I …" about a treatment, a referral decision about a specific patient ("should
I refer her"), or a personal prognosis (`detect_prognosis`: "will car t work for me", "how long will
i live with lupus"). The chain then answers the depersonalised question (`depersonalise`: "am I eligible
for CAR-T?" → "Who can get CAR-T?") from the sources, with dosing sentences removed
(`retriever.guardrails.dosing`), behind a line saying it can't advise on their own treatment
(`retriever.messages.personal_prefix`), or gives the care-team redirect alone (`personal_redirect`).
"""

from __future__ import annotations

import re

from index.terms import STOPWORDS, content_terms
from retriever.coverage import diseases_named
from retriever.guardrails.normalise import normalise
from retriever.messages import PERSONAL_REDIRECT_TEXT, PROGNOSIS_REDIRECT_TEXT, refusal
from retriever.types import Answer, Audience

_DRUG_WORDS = (
    r"(dose|doses|dosage|dosing|medicine|medicines|medication|medications|meds|med|drug|drugs|pill|pills|"
    r"tablet|tablets|treatment|treatments|therapy|infusion|infusions|injection|injections|shot|shots|steroid|"
    r"steroids|prednisone|prednisolone|methotrexate|hydroxychloroquine|plaquenil|mycophenolate|"
    r"cellcept|azathioprine|cyclophosphamide|rituximab|belimumab|tacrolimus|ivig|folic acid|vaccine|"
    r"vaccines|car-?t|car t|cart|bispecific|teclistamab|blinatumomab|chemo|chemotherapy|biologic|biologics|"
    r"supplement|supplements|vitamin \w+|immunosuppressant\w*|antibiotic\w*|\w+mab|\w+nib|\w+ine|\w+ate|"
    r"\w+one|\w+olone|pred|hcq|mmf|mtx|aza|ritux|benlysta|imuran|ibuprofen|advil|motrin|aleve|naproxen|tylenol|"
    r"acetaminophen|paracetamol|aspirin|nsaids?|warfarin|eliquis|jab|jabs|booster)"
)
_DECIDE = (
    r"(take|taking|stop|stopping|quit|quitting|start|starting|restart|resume|skip|skipping|miss|missing|"
    r"double|doubling|halve|increase|increasing|decrease|decreasing|lower|lowering|raise|raising|reduce|"
    r"reducing|cut down|cut back|taper|tapering|change|changing|switch|switching|come off|coming off|go off|"
    r"get off|keep taking|continue|continuing|stay on|combine|mix|get|have|try|use|give|refer|be on|go on|"
    r"up|bump up|bump|add|drop|cut|wean off|wean|hold|pause|boost|split|spread|space out)"
)
_OBJECT = rf"(taking |using |on )?(my|his|her|our|the|a|an|this|these|it|them|\d+|{_DRUG_WORDS})"
_PERSONAL = [
    # "what's the best treatment for me", "the right medicine for my son", "what should i do" (session 24)
    r"\b(best|right|safest|better) (\w+ ){0,2}(treatments?|medicines?|medications?|meds|options?|drugs?|"
    r"therapy|therapies|choice) for (me|him|her|us|my \w+)\b",
    r"\bwhat (should|do) (i|we) do( now| next)?\s*[?.!]*\s*$",  # not "… do to keep my lupus from flaring"
    # "should I …", "should my husband …", "should we start …"
    rf"\bshould (i|we|my \w+|he|she|they) (still |really |just |keep |be )?{_DECIDE}\b",
    r"\bshould (i|we) (be )?(worried|concerned|go|see|get|have|wait|avoid|refer)\b",
    # "can I drink alcohol on methotrexate", "can I get pregnant on mycophenolate"
    rf"\b(can|could|may|should|shall) (i|we|he|she|my \w+) \w+( \w+){{0,4}} (on|with|while (on|taking|using|having)) "
    rf"(my |his |her )?{_DRUG_WORDS}",
    r"\b(right|good|safe|ok|okay|fine|alright|suitable|an option|appropriate|worth it|(a )?good idea|a good (choice|option|move)|the "
    r"right (choice|call|move|thing)|better|best|safer|too much|too high|too low|too strong|(any|a|an) (problem|issue|"
    r"risk|concern)s?( with (that|this|it))?) for (me|him|her|us|"
    r"my \w+)\b",
    r"\b(if you were (me|him|her|in my shoes)|in my (shoes|position|place)|what would you do)\b",
    # a dose missed or to be taken ("missed my mtx shot yesterday, can i just do it today", "can i just do 30",
    # "do i need a stress dose")
    r"\b(missed|forgot|skipped|forgotten) (to take )?(my|his|her) (\w+ ){0,2}(dose|doses|shot|pill|pills|tablet|"
    r"tablets|injection|infusion|meds|medicine|medication)\b",
    r"\b(can|could|should) (i|we|he|she) (just )?(do|take|go with|stay at|stick (to|with)) (\d+|it today|it tomorrow)\b",
    r"\b(do|does|will|would) (i|we|he|she|my \w+) need (a|an|to take|extra|more|another) (\w+ )?(dose|shot|"
    r"dosing|steroids?|cover|booster|infusion)\b",
    r"\bwhen (do|should|can|must) (i|we|he|she) (need to |have to )?(stop|start|switch|come off|restart|take)\b",
    # "should my husband, who is on ocrelizumab, get the shingles vaccine …", "can i go back to swimming"
    r"\bshould (i|we|he|she|my \w+),[^?.]{0,80}?\b(get|have|take|stop|start|skip|wait|switch|go|keep)\b",
    r"\b(can|could|should) (i|we|he|she|my \w+) (go back to|return to|resume|get back to)\b",
    # a choice as a fragment: "go or reschedule?", "continue, extend the interval, or stop?"
    r"\b(go|proceed|continue|keep going|stop|start|switch|hold|extend|reduce|increase|cancel)\b[^?.]{0,40}\bor "
    r"(just |simply )?(reschedule|cancel|wait|postpone|skip|stop|continue|switch|hold|reduce|extend|delay|cut|lower|"
    r"drop|keep)\b[^.?]{0,20}\?\s*$",
    # a decision as a fragment: "stop hcq before my knee surgery?"
    r"^(stop|start|skip|hold|pause|restart|continue|keep taking|take) (\w+ ){0,2}(before|after|during|while|"
    r"with|for) (my|his|her)\b",
    # clinicians: "would you refer her for CAR-T", "should I hold mycophenolate in my patient", a case
    # vignette ("62F with …", "28M, new-onset MG …") that asks what to do
    r"\bwould you (refer|switch|start|stop|give|add|treat|hold|continue|escalate|use|choose|pick|go with)\b",
    r"\bshould (i|we) (hold|continue|pause|restart|reduce|increase|add|taper|discontinue|resume|redose|re-dose|"
    r"dispense|supply|administer|give it|hand it out) ",
    r"\bshould (i|we) (ring|call|phone|contact|page|bleep) (the|her|his|their) (gp|doctor|prescriber|consultant|"
    r"rheumatologist|team)\b",
    r"(^|[.!?] )(ok|okay|fine|safe|alright) to (give|dispense|administer|supply|hand (it )?out)( it| them| her| him)?"
    r"( today| now)?\s*\?",
    r"\b(do|should|shall) we (proceed|go ahead|continue|hold)\b|\bwhat (do|should) we do (about|with)\b",
    r"\b(is it|would it be|it is) (reasonable|appropriate|advisable|indicated) to (add|start|stop|switch|give|use|"
    r"try|continue|hold|refer|treat|escalate|taper|increase|reduce|restart)\b.{0,60}\b(her|him|this patient|my "
    r"patient)\b",
    r"^\d{1,3} ?(m|f|yo|y/o|year[- ]old|yr[- ]old)\b.{0,300}\b(should|would you|reasonable|continue|stop|start|"
    r"switch|hold|add|refer|or (\w+ )?(start|stop|switch|wait|continue|add|give|treat|stabili[sz]e|refer|hold|use|"
    r"try|go))\b.{0,200}\?",
    rf"\b(ok|okay|safe|fine|alright) for (me|him|her|us) to {_DECIDE}\b",
    rf"\bwhat (should|do|can|must) (i|we) do (with|about) (my|his|her|our) (\w+ ){{0,2}}{_DRUG_WORDS}\b",
    r"\bwhich (one|treatment|option|drug|medicine|med|therapy)\b.{0,40}\b(should|would) (i|we|he|she)\b"
    r"|\b(choose|pick|go with) for (him|her|me|us)\b",
    r"\bshould (i|we|my \w+|he|she) (still |really |just )?(push|go for|sign up|join|enrol|enroll|wait|hold off|"
    r"choose|pick|opt|agree|consent|accept|refuse|decline|say yes|go ahead)\b",
    rf"\bshould (i|we) (ask|push|press|fight|beg|request)( my \w+)? (to|for) ({_DECIDE}\b|{_DRUG_WORDS})",
    r"\b(i'm|im|i am|i've been|been|we're|we are) (really |seriously )?(thinking|considering|planning|debating|"
    r"tempted|wanting|inclined|leaning) (of |about |to |towards )?(quit|quitting|stop|stopping|skip|skipping|come off|"
    r"coming off|go off|going off|switch|switching|lower|lowering|taper|tapering|cut|cutting)\b"
    r"|^(thinking|considering|planning|debating) (of |about )?(quitting|stopping|skipping|coming off|going off|"
    r"switching|lowering|tapering|cutting|adding|taking|trying|starting)\b"
    r"|\b(my gut says|my instinct says|part of me wants) (to )?(stop|quit|skip|start|switch|come off|go off|drop)\b",
    # indirect and formal: "whether it would be alright to …", "whether I ought to suspend …", "is there any
    # reason I shouldn't …", "is it time for me to come off it", "am I making a mistake if I say no"
    r"\b(whether|if) (it('s| is| would be| will be| might be)|it'd be) (ok|okay|alright|all right|safe|fine|wise|"
    r"sensible|a problem)( for (me|him|her|us))? to\b",
    rf"\b(whether|if) (i|we|he|she|my \w+) (can|could|should|may|might|ought to|need to|must|have to) "
    rf"({_DECIDE}|suspend|redose)\b",
    r"\bany reason (why )?(i|we|he|she|my \w+) (shouldn't|should not|can't|cannot|couldn't|mustn't) \w+",
    rf"\bis it time (for (me|him|her|us) )?to ({_DECIDE}|redose)\b",
    r"\b(am i|would i be|are we) (making )?a mistake\b",
    r"\b(am i|are we|would i be) (right|wrong|crazy|silly|mad|being silly|being stupid) to\b",
    r"\b(can|could|should|may) (i|we|he|she) (just )?(skip|miss|delay|postpone|push back|move|shift) (a|one|this|next|"
    r"my|his|her|tonight's|today's|the next|the) \w+",
    r"\b(move|shift|change|switch|space out|split|time) (my|his|her|the) (dose|doses|dosing|pills|tablets|meds|"
    r"medicine|medicines|injection|injections|infusion)\b",
    r"\b(need to|have to|should (i|we)|must (i|we)) (stop|keep|continue|pause) (breast ?)?feeding\b",
    # "Ocrevus or Kesimpta for me?", "can i hit the gym the day after my ritux infusion"
    r"\b[\w-]+ or [\w-]+ for (me|him|her|us|my \w+)\b",
    r"\b(can|could|should) (i|we|he|she) (still |just |safely )?(go|do|hit|play|swim|drink|eat|fly|travel|drive|work|"
    r"exercise|run|lift|train|have sex|get a tattoo|get vaccinated|get a vaccine|take|use|return|resume|shower|bathe)"
    r"\b[^?.]{0,40}\b(after|before|during) (my|his|her) (\w+ ){0,2}(infusion|dose|shot|injection|treatment|chemo|"
    r"car-?t|car t|transplant|surgery)\b",
    r"\b(i|we) (should|shouldn't) (take|stop|start|skip|keep|double|be taking)\b",
    # "can I take …", "is it ok for me to stop my …", "do I need to keep taking …"
    rf"\b(can|could|may|must|do|does|would|will|shall) (i|we|my \w+|he|she) (still |really |just )?(need to |have "
    rf"to |still )?{_DECIDE} ({_OBJECT})",
    rf"\b(is it|would it be|it is) (ok|okay|safe|fine|alright|bad|dangerous|wise|risky) (for (me|him|her|us) )?"
    rf"(to|if (i|we|he|she)) {_DECIDE} ({_OBJECT}|one\b|both\b)",
    rf"\bam i (allowed|ok|okay|safe) to {_DECIDE} ({_OBJECT})",
    rf"\b(my|his|her) {_DRUG_WORDS}( \w+)? (dose|dosage)\b",
    r"\b(how much|how many|what dose|which dose|what dosage|how often|how long) .{0,40}\b(should|can|do|must) "
    r"(i|we|he|she|my \w+) (take|give|use|be on|stay on)\b",
    rf"(?<!never to )(?<!not to )\b(stop|skip|double|halve|increase|decrease|lower|raise|change|switch|come off|quit|up|bump up|bump|"
    rf"drop|cut|wean off|boost|hold|pause) (taking )?(my|his|her) {_DRUG_WORDS}",
    rf"\b{_DECIDE} .{{0,30}}\b(with|while|and) (on )?(my|his|her) (\w+ ){{0,2}}{_DRUG_WORDS}\b",
    r"\b\d+(\.\d+)? ?(mg|milligrams?|mcg|micrograms?|g|grams?|units?|ml)\b.{0,80}\b(should|can|could|may|do) "
    r"(i|we|he|she)\b",
    # eligibility
    r"\b(am i|is (my \w+|he|she)|are we|would i be|would (he|she) be) (\w+ )?(eligible|a (good |suitable |"
    r"reasonable |appropriate |possible |potential |strong |likely |decent )?candidate|suitable|qualified|a fit)\b",
    r"\b(do|does|would|will|could) (i|he|she|my \w+) (even |still |ever )?(qualify|be eligible|be a candidate|get "
    r"accepted)\b",
    r"\b(can|could|should|would) (i|we|he|she|my \w+) (get|have|be given|be treated with|receive|try|sign "
    r"up for|join|enrol|enroll) (car-?t|car t|cart|this|that|it|the (treatment|trial|therapy)|a trial|"
    r"teclistamab|rituximab|bispecific)",
    # "my rheumy wants me to add plaquenil, is that a good idea": a person, a treatment and the question
    rf"\b(me|my|i)\b.{{0,160}}\b{_DRUG_WORDS}\b.{{0,160}}\bis (that|this|it) (a good idea|wise|smart|the right "
    rf"(call|choice|move))\b",
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


# "can my kids get it too" (after "is lupus genetic") asks whether a disease passes on, not for a
# decision: a named disease, something caught or inherited, and no treatment word
_CATCH = re.compile(
    r"\b(can|could|will|would|might|may|do|does|is|are) (i|we|my \w+|he|she|they|it) (also |ever |still )?"
    r"(get|catch|inherit|develop|have|pass|be passed|be born with)\b"
)
_TREATMENT_WORD = re.compile(rf"\b{_DRUG_WORDS}\b|\bcar[- ]?t\b")
_CAUGHT = re.compile(r"\s+(it|this|that|them)\b")


def _catches_a_disease(text: str) -> bool:
    """Whether the question asks if someone gets, catches or inherits a disease: a named disease
    (`coverage.DISEASES`) within four words after "can I get", or "it": "can my kids get it too", "could
    my daughter inherit sjogrens", not "can i get a tattoo to cover my vitiligo patches"."""
    for match in _CATCH.finditer(text):
        after = " ".join(text[match.end() :].split()[:4])
        if _CAUGHT.match(text, match.end()) or diseases_named(after):
            return True
    return False


# a personal prognosis: how it will go for me or my child ("will car t work for me", "whats my chance of
# going into remission", "how long will i live with lupus", "is my lupus going to kill me"); not a risk
# ("my chances of getting ms"), not how a treatment would work ("how would car t help my lupus")
_PROGNOSIS = re.compile(
    r"(?<!how )\b(will|would|is|does) (it|car[- ]?t|cart|this|that|the treatment|treatment|the drug|the medicine"
    r"|[a-z]+mab|ivig|rituxan|benlysta|plaquenil|prednisone|chemo) (\w+ )?(work|help|cure)\s+(for |on )?(me|my|him"
    r"|her|us)\b"
    r"|\bmy (chances?|odds|prognosis|outlook|life expectancy)\b(?! of (getting|developing|catching|passing))"
    r"|\bwill (i|he|she|my (\w+ ){0,2}?(son|daughter|mom|mum|dad|wife|husband|child|kid|baby|partner)) (be cured"
    r"|get better|go into remission|recover|die|survive|be ok|be okay|be fine|walk again)\b"
    r"|\bhow long (will|do|does|can) (i|he|she|my \w+) (have (left )?to live|live|have left)\b"
    r"|\b(is|will) my \w+ (ever )?(going to |gonna )?(kill me|go away|get better|get worse|be cured)\b"
    r"|\bam i (going to|gonna) (die|be ok|be okay|get better)\b"
    r"|\bchances? (that |of )?(it|car[- ]?t|cart|this|[a-z]+mab|ivig|the treatment) (works?|helps?|working|helping)"
    r" (for|on) (me|my)\b"
)


def detect_prognosis(question: str) -> bool:
    """Does the question ask how it will go for one person (`_PROGNOSIS`)? A personal question: the
    general facts come behind a line saying only the care team can tell (session 43)."""
    return bool(_PROGNOSIS.search(normalise(question)))


def _general_prognosis(text: str) -> str:
    """A personal prognosis asked of people in general: "how long will i live with lupus" → "how long
    will people live with lupus?", "will car t work for me" → "will car t work?"."""
    text = re.sub(r"\b(for|on) (me|him|her|us)\b", " ", text)
    text = re.sub(
        r"\b(my|our|his|her) (\w+ )?(son|daughter|mom|mum|dad|wife|husband|child|kid|baby|partner)\b",
        "people",
        text,
    )
    text = re.sub(r"\b(my|our)\b", " ", text)
    text = re.sub(r"\b(i|he|she|we|me)\b", "people", text)
    text = re.sub(r"\bam people\b", "are people", text)
    return " ".join(text.replace("?", " ").split()) + "?"


def detect_personal_advice(question: str) -> bool:
    """True when the question asks for a decision about one person's treatment (dose, stop, start …)
    or how it will go for one person (`detect_prognosis`)."""
    if detect_prognosis(question):
        return True
    text = normalise(question)
    if not text or _NOT_PERSONAL.search(text) and not re.search(r"\b(i|my|me|we)\b", text):
        return False
    if _ASKS_WHY.search(text) and not re.search(r"\bshould\b", text):
        return False
    if _catches_a_disease(text) and not _TREATMENT_WORD.search(text):
        return False
    return bool(_PERSONAL_RE.search(text))


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
    r"go off|get off|quit|increase|decrease|lower|raise|keep)\b"
)


_STOPPING = frozenset({"stop", "stopping", "skip", "skipping", "quit", "come off", "go off", "get off"})


def depersonalise(question: str) -> str:
    """The general question behind a personal one: "am I eligible for CAR-T?" → "Who can get CAR-T?";
    "should I stop my hydroxychloroquine?" → "What is known about stopping hydroxychloroquine?"."""
    text = normalise(question)
    if detect_prognosis(text):
        return _general_prognosis(text)
    subject = ""
    about = re.search(r"\(about: (.+)\)\s*$", text)
    if about:  # a follow-up carried the conversation's subject: keep it
        subject = about.group(1)
        text = text[: about.start()]
    eligibility = re.search(r"\b(eligible|candidate|qualify|suitable)\b", text)
    pregnant = re.search(r"\b(pregnant|pregnancy|breastfeeding|breast feeding|nursing)\b", text)
    verb = _TOPIC_VERBS.search(text)
    # a two-word verb goes whole: "can i come off prednisone" is not "… stopping come prednisone" (session 43)
    text = re.sub(r"\b(come|go|get|coming|going|getting) off\b", " ", text)
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
    if verb and verb.group(1) in _STOPPING:
        return f"What is known about stopping {rest}?"
    return f"What is known about {rest}?"


# words a depersonalised question keeps that name no subject: "What is known about what's best treatment?"
_GENERIC = content_terms(
    "known best better right safe safest treatment treatments medicine medicines medication medications med "
    "meds drug drugs option options choice choices pick choose therapy therapies stopping starting taking "
    "switching changing"
)


def names_no_subject(depersonalised: str) -> bool:
    """Does the depersonalised question name nothing to give general facts on ("what's the best
    treatment for me" → only generic words)? Then the care-team redirect stands alone."""
    return not content_terms(depersonalised) - _GENERIC


def personal_redirect(question: str, audience: Audience) -> Answer:
    """The refusal when no general facts can be given: a decision (or a prognosis) for the care team."""
    text = (PROGNOSIS_REDIRECT_TEXT if detect_prognosis(question) else PERSONAL_REDIRECT_TEXT)[audience]
    return refusal(question, audience, "personal_advice", text, "guardrails")
