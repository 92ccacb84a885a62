"""What kind of section a question asks for, and what kind a heading opens.

The NIH pages and the project's articles are written as question-headed sections ("How to diagnose
Myasthenia Gravis?", "What are the treatments for Scleroderma?", "What is the outlook for …?"). A
question asking how a disease is diagnosed is answered in the diagnosis section, not by the
sentence that shares its words ("Myasthenia gravis is most often diagnosed in women younger than
40"). `kinds_asked` and `kinds_of_heading` name the kinds; the extractive answerer lifts sentences
of a section whose kind the question asks for (`ExtractiveWeights.w_section`).

The kinds are diagnosis, cause, symptoms, inheritance, treatment, outlook, side effects (session
29), how a treatment works (with sentences on what it does to cells since session 32) and who a
named treatment is for (session 32). Treatment, outlook and who gets it were tried the same way (session
13) and lowered facts met or added a false refusal on the tuning sets: their words ("treat", "live
with", "how common") are in too many questions that ask something narrower. Treatment and outlook came back in session 23,
asked only in so many words ("how is X treated", "what is the treatment for X"; "outlook",
"prognosis"). Prevention changed no answer and is left out.

A sentence that says it gives a kind ("Symptoms often include …", "Treatment often involves …", "…
is diagnosed with …": `kinds_of_sentence`) gets the same lift wherever it stands (session 26): the
NIH pages often put them in the "What is (are) …?" section.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from index.terms import fold
from retriever.coverage import DISEASES, MEDICINES, RELATIVE_HAS, TREATMENTS, WILL_MY_KIDS_GET, contrasts


@dataclass(frozen=True)
class SectionKind:
    name: str
    question: re.Pattern[str]
    heading: re.Pattern[str]
    # a sentence that says it gives this kind, wherever it stands: GARD's "Symptoms often include
    # tingling or numbness …" sits in its "What is (are) …?" section (session 26)
    sentence: re.Pattern[str] | None = None


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


KINDS: tuple[SectionKind, ...] = (
    SectionKind(
        "diagnosis",
        _p(
            r"\bdiagnos\w*|\btests?\b|\btested\b|\btesting\b|\b(know|tell|find out|figure out|check|be sure) (if |whether )?"
            r"(i|you|u|someone|they|he|she|a person) (have|has|got)\b|\bcheck(ed)? for\b"
            # "how do they know its lupus and not something else", "what blood work shows ms", "can an mri
            # show ms", "do you need a biopsy for lupus" (session 47)
            r"|\bhow (do|does|can|would|will) (doctors?|drs?|they|you|u|the doctors?) (know|tell|be sure|figure out|confirm)"
            r" (it'?s|its|it is|that it'?s)\b|\bblood ?work\b|\b(mri|x-?rays?|scans?|biops(y|ies)|ultrasound) "
            r"(\w+ )?(show|shows|find|finds|detect|detects|see|confirm|tell)\b|\bneed (a |an )?(biopsy|mri|scan)\b"
        ),
        _p(r"\bdiagnos\w*|\btests?\b|\bstages?\b"),
        _p(
            r"\bdiagnos(is|ed|es?) (\w+ ){0,3}(by|with|based on|using|through|from)\b|\btests? (\w+ ){0,2}(include|such as)\b"
            # who diagnoses it, when: "A physician may diagnose MS in some patients soon after …" (session 30)
            r"|\b(may|can|cannot|can't|will|to|usually|often) (\w+ )?diagnose\b"
        ),
    ),
    SectionKind(
        "cause",
        _p(
            r"\bcaus\w*|\bwhy (do|does|did|would|is|are) (some|people|you|u|i|someone|patients|it|they)\b|"
            # not "how do you get tested for ms" (session 47)
            r"\bhow (do|does|did|can) (you|u|people|someone|i|a person) (get|catch|develop)\b"
            r"(?! (tested|checked|diagnosed|treated|screened|rid)\b)|\btrigger\w*|"
            r"\bwhat brings (it |\w+ )?on\b|\bcome from\b"
        ),
        _p(r"\bcaus\w*|\bwhy\b|\bgenetic changes\b|\btrigger\w*|\brisk factors?\b"),
    ),
    SectionKind(
        "symptoms",
        _p(r"\bsymptoms?\b|\bsigns?\b|\bfeel like\b|\blook like\b|\bwarning\b"),
        _p(r"\bsymptoms?\b|\bsigns?\b"),
        _p(r"\b(symptoms|signs( and symptoms)?) (\w+ ){0,2}(include|including|are|such as)\b"),
    ),
    SectionKind(
        "inheritance",
        _p(
            r"\binherit\w*|\bhereditary\b|\bgenetic\b|\brun(s)? in (the |my |your )?famil\w*|\bpass(ed)? (it )?(on|down)\b"
            r"|" + WILL_MY_KIDS_GET + "|" + RELATIVE_HAS
        ),
        _p(r"\binherit\w*|\bgenetic\b|\bhereditary\b"),
        # "The inheritance pattern of multiple sclerosis is unknown, although …" sits in GHR's unheaded
        # chunk (session 35)
        _p(
            r"\binheritance pattern\b|\b(is|are) (not )?(usually |directly )?inherited\b|\bruns? in famil\w*"
            r"|\bpassed (down )?(through generations|from parents?)|\bhereditary\b"
            r"|\b(first-degree |close )?relatives? (with|who (has|have|is|are))\b"
        ),
    ),
    SectionKind(
        "treatment",
        _p(
            r"^\W*(how (is|are|do|does|can|should) (\w+[ '-]){0,5}(treated|managed)\b|how (do|does|can) (they|you|u|doctors?|"
            r"people) (treat|manage)\b|what (is|are|s) (the )?(usual |main |standard |best )?(treatments?|therapy|"
            r"therapies) (for|of)\b|whats (the )?(usual |main |standard |best )?(treatments?|therapy) (for|of)\b|(what|which) "
            r"(medicines?|medications?|meds|drugs?) (treat|are used (for|to treat)|are (given|used) for|help with)\b"
            # "what do doctors give for vasculitis", "what can you take for crest syndrome", "what meds help
            # scleroderma", "what treatment is there for gpa", "what is used to treat polymyositis" (session 44)
            r"|(what|which) (\w+ )?(medicines?|medications?|meds|drugs?|pills?|tablets?|treatments?|therapies) ((are|is) "
            r"there |do (you|u|they|doctors?|people) (take|use|give|prescribe) |(are|is) (used|given|prescribed) )?(for|to "
            r"treat|help|helps|calm|control)\b"
            r"|what (do|does|can|could|should|would) (you|u|i|they|doctors?|drs?|people|patients|someone) (take|use|give"
            r"|prescribe|try)( you| them| people| patients)? for\b|what (is|are) (used|given|prescribed|taken) (to treat|for)\b"
            r"|what are (the |my )?(treatment )?options for\b)"
        ),
        _p(r"\btreat\w*|\btherap\w*|\bmanag\w*"),
        _p(
            r"\b(treatments?|therapy|therapies) (\w+ ){0,2}(include|includes|including|involves?|consists? of|is|are)\b"
            r"|\b(treated|managed) (\w+ ){0,2}(with|by)\b"
            r"|\b(medications?|medicines?|drugs?) (\w+ ){0,2}(include|including|such as)\b"
            # "Other FDA approved drugs to treat relapsing forms of MS in adults include …", "MS has no cure,
            # but medicines can slow it down …" (session 32)
            r"|\b(medications?|medicines?|drugs?) to treat (\w+ ){0,6}(include|includes)\b"
            r"|\b(medications?|medicines?|drugs?|treatments?|therapy|therapies) (can|may|help|helps) (\w+ ){0,2}"
            r"(slow|control|ease|reduce|relieve|manage|improve)\b"
            # "Doctors may prescribe cytotoxic medicines if …", "Corticosteroids, such as prednisone, are
            # commonly used to treat ITP." (session 44)
            r"|\bprescrib(e|es|ed)\b (\w+ ){0,3}(medicines?|medications?|drugs?|steroids?|corticosteroids?)\b"
            r"|\b(is|are) (commonly |often |usually |mainly |also )?used to treat\b"
        ),
    ),
    SectionKind(  # asked only in so many words: "live with", "how common" ask narrower things (session 13)
        "outlook",
        _p(
            r"\boutlook\b|\bprognos[ie]s\b|\b(die|dying|died) (from|of)\b|\bfatal\b|\bdeadly\b|\blife expectancy\b"
            r"|\blife ?span\b|\bsurvival\b"
        ),
        _p(r"\boutlook\b|\bprognos[ie]s\b"),
        # "… about one-third … experience good or full recovery …" is no symptom (session 30)
        _p(
            r"\b(prognos[ie]s|outlook|life expectancy|survival rates?)\b"
            r"|\b(good|full|complete|partial|fair|some|no|little)( or \w+)? recovery\b"
            r"|\brecovery (\w+ ){0,2}(begins|starts|takes|occurs|may take|can take)\b"
            # "Most people with lupus live a normal lifespan …", "… can expect a normal or nearly normal
            # life" (session 33); not "destroyed before their normal lifespan is over"
            r"|\b(live|have|expect|with) (a |an )?(normal|nearly normal|shortened|shorter|longer)( or nearly normal)? "
            r"(life ?spans?|lives|life)\b"
        ),
    ),
    SectionKind(  # "what are the side effects of rituximab"; "what does prednisone do" is not answered by them
        "side effects",
        _p(r"\bside[- ]?(effects?|affects?)\b|\badverse (effects?|events?|reactions?)\b"),
        _p(r"\bside[- ]?effects?\b"),
        _p(r"\bside[- ]?effects?\b|\badverse (effects?|events?)\b"),
    ),
    SectionKind(
        "mechanism",
        _p(
            # "how does car t help lupus" had opened with "Simpler treatments such as BiTEs may help more lupus
            # patients than CAR-T can." (the issue's own example; session 38)
            r"\bhow (does|do|did) (\w+[ -]){1,3}(work|works|help|helps)\b|\bwhat (does|do) (\w+[ -]){1,3}do\b"
            r"|\bhow (\w+[ -]){1,3}works\b"
            r"|\bhow (is|are|was|were) (\w+[ -]){1,3}(supposed|meant|going) to (work|help)\b"
            r"|\bhow (would|will|can|could|might) (\w+[ -]){1,3}(work|help)\b"
        ),
        _p(
            r"\bhow (does|do) .{1,40} work|\bwhat (does|do) .{1,40} do\b|\bhow .{1,40} works\b|\bmechanism\b|\bhow is .{1,30} made\b"
        ),
        # what a treatment does to cells or antibodies (session 32): "A BiTE is a molecule that binds a T
        # cell to a B cell", not "Teclistamab is one BiTE." nor "Rituximab does not work for every …"
        _p(
            r"\b(works? by|binds?|attach(es)?|targets?|blocks?|kills?|destroys?|joins?|grabs?|seeks? out|depletes?|hunts?|go(es|ing)? after"
            r"|removes?|lowers?|weakens?|wipes? out|filters?|suppress(es)?|hold(s)? back|reprogram\w*|re-?engineer\w*)\b"
        ),
    ),
    # "who can get car t", "who qualifies for car t for lupus": who a named treatment is for (session 32)
    SectionKind(
        "who it is for",
        _p(
            r"\bwho (can|could|should|would|may|might) (get|have|receive|take|be given|be treated with)\b|\bwho (is|are)"
            r" (\w+[ -]){1,3}for\b|\bwho qualif\w*|\b(qualify|eligible|eligibility|candidates?) (for|to)\b"
            r"|\bwhich (patients|people) (get|can get|receive)\b|\bwho (gets|receives)\b"
            # "which lupus patients can get car t", "is car t only for really bad lupus", "how sick do you
            # have to be to get car t" (session 46)
            r"|\bwhich (\w+ )?(patients|people) (can |could |should )?(get|have|receive)\b|\bwhat (kinds?|types?|sorts?) of "
            r"(\w+ )?(patients|people) (can |could |should )?(get|have|receive)\b|\bis (\w+[ -]){1,3}(only )?for "
            r"(really |very )?(mild|severe|bad|all|everyone|anyone|early)\b|\bhow (sick|ill|bad) do (you|i|people) have to be\b"
        ),
        _p(
            r"\bwho (can|should|might|is|are) (get|have|receive|a candidate|eligible)|\beligib\w*|\bcandidates?\b"
        ),
        _p(
            r"\b(kept|reserved|limited|restricted|offered|used only) (for|to) (\w+ ){0,2}(people|patients|those|adults"
            r"|children|cases)\b|\b(people|patients|adults|children) (\w+ ){0,3}who (have|had|are|did) (\w+ ){0,4}"
            r"(severe|tried|run out|not respond\w*|failed|refractory|relapsed)\b|\beligib\w*|\bcandidates? for\b"
        ),
    ),
    # "who usually gets polymyalgia rheumatica": asked only in so many words, of a disease named
    # (`kinds_asked`; "how common" asks a narrower thing, session 13), answered by who it strikes (session 30)
    SectionKind(
        "who gets it",
        _p(
            r"\bwho (usually |typically |mostly |most often |normally |generally )?(gets?|develops?|can get"
            r"|is (most |more )?(likely|affected|at (higher |greater |most )?risk))\b"
            # "is it more common in women or men" (session 30)
            r"|\bmore (common|likely|often) (in|for|among) (women|men|girls|boys|kids|children|adults|older|younger)\b"
            r"|\b(do|are) (more )?(women|men) (get|more likely)\b|\b(women|men) (or|vs\.?|versus) (men|women)\b"
        ),
        _p(r"\bwho (gets|develops|is affected|is at risk|might get|may get|can get)\b|\brisk factors?\b"),
        _p(
            r"\b(most|more) (common|likely|often)\b (\w+ ){0,3}(in|among|to affect) (\w+ ){0,2}(women|men|girls|boys"
            r"|children|adults|people|those|whites?|blacks?)\b|\bas (often|likely|common) as (men|women)\b"
            r"|\b(affects?|occurs?|develops?|strikes?|starts?|begins?) (\w+ ){0,3}(in|among) (\w+ ){0,2}(women|men"
            r"|children|adults|people (over|under|older|younger|aged|between))\b|\b(people|adults|women|men) (over|under|older "
            r"than|younger than) (the age of )?\d+|\b(women|men|children|adults) (have|face|are at) (the )?(highest|higher"
            r"|greatest|most|greater) risk\b|\b(starts?|begins?|appears?|occurs?) (\w+ ){0,2}(between|after|before|around) "
            r"(the )?ages? (of )?\d+"
        ),
    ),
)


KINDS_BY_NAME = {k.name: k for k in KINDS}


def kinds_asked(question: str) -> frozenset[str]:
    """The kinds of section the question asks for: "how do they diagnose mg" → {"diagnosis"}. "can
    lupus cause depression" asks what lupus brings about, not for its cause section (`asks_an_effect`);
    "can a medicine give you lupus" asks for it (`gives_a_disease`)."""
    kinds = frozenset(k.name for k in KINDS if k.question.search(question))
    # how a treatment works, not what a disease does: "what does sjogrens do" asks for its effects (session 30)
    if "mechanism" in kinds and not _names_a_treatment(question) and _names_a_disease(question):
        kinds -= {"mechanism"}
    # who gets a disease, not who gets a treatment ("who gets rituximab for lymphoma")
    who = KINDS_BY_NAME["who gets it"].question.search(question)
    if who and (not _names_a_disease(question) or _names_a_treatment(question[who.end() :][:40])):
        kinds -= {"who gets it"}
    # who a treatment is for, not who gets a disease (session 32)
    if "who it is for" in kinds:
        kinds -= {"who gets it"} if _names_a_treatment(question) else {"who it is for"}
    if "cause" in kinds and asks_an_effect(question):
        return kinds - {"cause"}
    return kinds | {"cause"} if gives_a_disease(question) else kinds


# "can a medicine give you lupus", "can you get lupus from stress": something bringing on a disease
_GIVES = _p(
    r"\b(give|gives|gave) (you|me|u|someone|people|a person|him|her|them|kids|children)\b"
    r"|\bget (\w+[ -]){1,3}from\b"
)


def gives_a_disease(question: str) -> bool:
    """Does the question ask whether something gives a disease (of `DISEASES`, named after "give you"
    or between "get" and "from")? Not "does teclistamab give you infections"."""
    given = _GIVES.search(question)
    return given is not None and _names_a_disease(question[given.start() :])


# the word a section's heading uses, for a question asking for that section in other words
HEADING_WORDS = {
    "diagnosis": "diagnosis",
    "cause": "causes",
    "symptoms": "symptoms",
    "inheritance": "inherited",
    "treatment": "treatment",
    "outlook": "outlook",
    "side effects": "side effects",
    "mechanism": "how it works",
    "who gets it": "who gets",
    "who it is for": "who can get",
}


def heading_words(question: str) -> str:
    """The heading words of the sections the question asks for without using them: "how do you get ms"
    asks for the cause section and gets "causes" (`retriever.steps.search` adds them to the search
    query). The embedder read "how do you get ms" as near the diagnosis sentences ("A physician may
    diagnose MS …") and the "What causes multiple sclerosis?" chunk was not retrieved (session 25)."""
    kinds = kinds_asked(question)
    return " ".join(
        HEADING_WORDS[k.name] for k in KINDS if k.name in kinds and not k.heading.search(question)
    )


_CAUSE = _p(r"\bcaus(e|es|ing)\b")


def asks_an_effect(question: str) -> bool:
    """Does the question ask what a disease causes ("can lupus cause depression", "does ms cause
    anxiety": a disease of `retriever.coverage.DISEASES` named before "cause", none after), not what
    causes it ("can stress cause a lupus flare", "what causes ms")?"""
    found = _CAUSE.search(question)
    if not found or re.match(r"\W*what\b", question, re.IGNORECASE):
        return False
    return _names_a_disease(question[: found.start()]) and not _names_a_disease(question[found.end() :])


def _names_a_treatment(text: str) -> bool:
    """Does the text name a treatment or medicine of `TREATMENTS` or `MEDICINES`?"""
    return any(p.search(text) for p in (*TREATMENTS.values(), *MEDICINES.values()))


def _names_a_disease(text: str) -> bool:
    """Does the text name a disease of `DISEASES`?"""
    return any(p.search(text) for p in DISEASES.values())


def kinds_of_heading(heading: str) -> frozenset[str]:
    """The kinds of section a heading opens: "How to diagnose Myasthenia Gravis?" → {"diagnosis"}."""
    return frozenset(k.name for k in KINDS if k.heading.search(heading)) if heading else frozenset()


def kinds_of_sentence(sentence: str) -> frozenset[str]:
    """The kinds a sentence says it gives: "Symptoms often include tingling …" → {"symptoms"}."""
    return frozenset(k.name for k in KINDS if k.sentence is not None and k.sentence.search(sentence))


# "What research (or clinical trials) is being done for Myasthenia Gravis?": what scientists are
# studying, which answers a question about research, not one about the disease or its treatment
RESEARCH_HEADING = _p(r"\bresearch\b|\bclinical trials?\b")
ASKS_RESEARCH = _p(
    r"\bresearch\w*|\btrials?\b|\bstud(y|ies|ying)\b|\bscientists?\b|\bnew (treatments?|drugs?|medicines?)\b|\bnewest\b|\blatest\b|\bin the (future|pipeline)\b"
)


# "Researchers continue to evaluate medications to treat refractory celiac disease.": what is being
# studied, said in a treatment section, is no treatment, cause or test (session 34)
RESEARCH_SENTENCE = _p(
    r"^\W*(?:researchers|scientists|investigators)(?:\s+(?:also|still))?\s+(?:continue|hope|are\s+"
    r"(?:(?:also|still)\s+)?(?:studying|testing|evaluating|looking|working|investigating|trying|exploring|developing))"
    r"|^\W*(?:[\w'-]+\s+){0,3}?research\s+(?:also\s+)?(?:on|into|involving|continues|aims|is\s+(?:being|under|ongoing))"
)


def is_research_section(heading: str) -> bool:
    """Does the heading open a section on research or trials?"""
    return bool(heading and RESEARCH_HEADING.search(heading))


# A PubMed abstract is split under labels in capitals (BACKGROUND, OBJECTIVE, METHODS, RESULTS, …).
# What the study found is under RESULTS (PubMedQA drops the conclusions); the background and the aim
# restate the question's words without answering it: "does calprotectin predict ibd relapse" had
# opened with "Assessing the clinical course of inflammatory bowel disease (IBD) patients consists of
# periodical clinical evaluations and laboratory tests." (session 25)
FINDINGS_HEADING = re.compile(r"^(RESULTS?|FINDINGS|CONCLUSIONS?|MAIN (RESULTS|OUTCOMES?))$")
ASKS_AIM = _p(r"\b(aims?|aimed|purposes?|objectives?|goals?|why (was|were|did) (the|this|they))\b")


# how a study was done, not what it found: "74 patients were assessed…", "To determine whether…";
# an abstract's aim and method sentences repeat the question's words without answering it
STUDY_DESIGN = re.compile(
    r"^(to (determine|assess|evaluate|investigate|examine|compare|describe|study)|objectives?|methods?|aims?"
    r"|background|design|patients and methods)\b"
    # a sentence that opens by naming the study's kind: "A retrospective study of prepubertal children aged
    # 3-12 years with CD (n=24) who were compared to …" for "can kids get celiac" (session 47)
    # (not one saying what it found: "A retrospective study of 40 patients found …")
    r"|^(a|an) (\w+ )?(retrospective|prospective|cross-sectional|case-control|cohort|observational|population-based"
    r"|multicent(er|re)|pilot|longitudinal) (\w+ )?(study|analysis|review|survey) of\b"
    r"(?!.*\b(found|finds|showed|shows|suggest\w*|conclud\w*|report\w*|reveal\w*|demonstrat\w*|confirm\w*)\b)"
    r"|\b(we|this study|the study|the aim|our aim) (aimed|sought|examined|investigated|analy[sz]ed|assessed|evaluated"
    r"|studied|compared|recruited|enrolled|reviewed|describe|was to)\b"
    r"|\b(was|were) (assessed|analy[sz]ed|recorded|identified|studied|calculated|measured|evaluated|recruited"
    r"|enrolled|examined|matched|chosen|selected|reviewed|collected|obtained|included|detected|investigated|compared"
    r"|determined|scored|interviewed|followed up|screened)\b",
    re.IGNORECASE,
)


def compares(sentence: str, things: list[re.Pattern[str]]) -> bool:
    """Does the sentence compare the things a question compares (`coverage.contrasts`), not as a study's
    method ("… 31 with dermatomyositis and 40 with polymyositis, compared the thigh muscles")?"""
    return contrasts(sentence, things) and not STUDY_DESIGN.search(sentence)


# who took part, not what was found: "Forty-six study participants (65% females, …) completed the
# trial.", "Overall, 25 (33%) patients concluded the study early, …" stand under RESULTS too
TOOK_PART = _p(
    r"\b(completed|concluded|finished|withdrew from|dropped out of|left) the (trial|study)\b|\blost to follow[- ]up\b"
    r"|\b(were|was) (included|enrolled|recruited|randomi[sz]ed)\b"
)


def reports_a_finding(sentence: str) -> bool:
    """Does a sentence under RESULTS say what was found, not how the study was done or who took part?"""
    return not STUDY_DESIGN.search(sentence) and not TOOK_PART.search(sentence)


def is_findings_section(heading: str) -> bool:
    """Is the heading an abstract's label for what a study found (RESULTS, CONCLUSIONS)?"""
    return bool(FINDINGS_HEADING.match(heading.strip()))


# how closely a heading must restate a question, word for word (`difflib` ratio of their words)
RESTATES = 0.8


def _heading_words(text: str) -> list[str]:
    """Lower-case words, accents folded, MedQuAD's "(are)" and a search query's added parentheses
    ("… (causes)", "… (multiple sclerosis)") left out."""
    text = re.sub(r"\(are\)|(\s*\([^()]*\))+\s*$", " ", text)
    return re.findall(r"[a-z0-9]+", fold(text))


def restates(question: str, heading: str) -> bool:
    """Does the heading say the question, word for word or nearly (`RESTATES`): "who gets rheumatoid
    arthritis" and "Who gets rheumatoid arthritis?", "what causes lupus" and "What causes Lupus?";
    not "What is rheumatoid arthritis?"."""
    if not heading:
        return False
    asked, said = _heading_words(question), _heading_words(heading)
    return bool(asked) and difflib.SequenceMatcher(None, asked, said).ratio() >= RESTATES


def section_heading(headings: str) -> str:
    """The innermost heading of a chunk's "Title > Section > …" path ("" when it has only a title)."""
    parts = [p.strip() for p in headings.split(" > ") if p.strip()]
    return parts[-1] if len(parts) > 1 else ""
