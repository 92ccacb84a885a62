"""Does the evidence address what the question specifically asks for?

An on-topic question the sources cannot answer ("does insurance pay for CAR-T?", "how many days in
hospital after CAR-T?") retrieves evidence as close to it as an answerable one: the same drug, the
same disease. Similarity cannot tell them apart; what tells them apart is the question's most
specific ask. Three checks, after retrieval:

- `uncovered_asks`: the question asks for a kind of fact that sources often lack (a price, insurance
  cover, a hospital stay, deaths, an approval, an age limit, a waiting time, where to go, a dose, the
  newest drug, side effects, hair loss, a cancer a treatment may cause, which doctor treats it, how
  soon a treatment works, how it is diagnosed, children, pregnancy, diet, contagion, a cure, how often
  it is given, having it again, work or time off, teeth, hearing, nails, smell, taste or voice,
  tattoos, pets, herbs, a donor or off-the-shelf version of a treatment, lab values, cannabis, yoga,
  acupuncture, massage or meditation, the companies making it), and no
  retrieved passage has words of that kind — for a paired ask, no passage that also names the
  question's treatment (or disease): a page on alopecia does not say rituximab makes hair fall out;
- `unpaired`: the question names a treatment and a disease ("can car t be used for rheumatoid
  arthritis?") and no retrieved passage mentions the two together;
- `unknown_words`: the question names something no indexed chunk mentions (a brand, a company, an
  acronym: a word the sources never use, that is neither a slip of a word they use nor English).

- `unmentioned_regions`: the question asks about a country, state or city (`retriever.places`) that
  no retrieved passage mentions ("is lupus more common in california").

Any of them makes the answer one line saying the sources do not cover it, with the sections they
do have on the subject (`retriever.messages.not_covered_text`), instead of a pile of near misses.
Two more read the drafted answer (`answer_lacks`, from `retriever.steps`): a "how many" answer
quoting no count (`count_not_given`) and a person asked for whom no quoted sentence names
(`person_not_named`).

The asks also steer an answer the sources do give: the extractive answerer lifts sentences with
the words of the kind asked for (`asks_of`, `ExtractiveWeights.w_ask`), and a comparison
(`compared`) leads with a definition of each thing compared.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
from dataclasses import dataclass

from index.sentences import LIST_MARKER, split_sentences
from index.terms import STOPWORDS, content_terms, fold
from retriever.conversation import own_words
from retriever.english import english_words, swapped
from retriever.places import display, mentioned, places_named
from retriever.types import Evidence

MAX_UNKNOWN = 2  # more unknown words than this: not English ("¿Cómo ayuda la terapia…"), no names
SLIP_CUTOFF = 0.8  # difflib ratio at which a question word is a slip of a word the sources use


@dataclass(frozen=True)
class Ask:
    """A kind of fact a question may ask for, and the words a passage that gives it uses."""

    name: str
    what: str  # "prices or costs": completes "The sources I have don't give …"
    question: re.Pattern[str]
    evidence: re.Pattern[str]
    # "treatment": when the question names a treatment (`TREATMENTS`), the words must come in a passage
    # that names it too ("does rituximab make your hair fall out" is not answered by a page on
    # alopecia); "subject": the same with a named treatment or disease (`DISEASES`)
    paired: str = ""
    named: bool = False  # asked only when the question names a treatment
    unnamed: bool = False  # asked only when it names none ("does car t hurt" is `pain`'s)
    ignore: re.Pattern[str] | None = None  # passages that never give it, whatever words they have
    unpaired: tuple[str, ...] = ()  # diseases (`DISEASES` names) that do not count as the subject
    not_asked: re.Pattern[str] | None = None  # questions with its words that ask something else
    lifts: bool = True  # whether its words lift a sentence in an answer (`ExtractiveWeights.w_ask`)
    lift: re.Pattern[str] | None = None  # narrower words that lift a sentence when `lifts` is False
    # a paired ask whose words count only in a sentence naming the treatment: "how is teclistamab given"
    # is not answered by a chunk naming teclistamab and CAR-T, "… returned to the patient by infusion"
    same_sentence: bool = False
    # with `same_sentence`: when the question names two or more treatments, the sentence names each (or
    # its kind): "teclistamab vs rituximab, which works better" is not answered by CAR-T's comparisons
    every: bool = False
    # a paired ask whose words count only in a passage naming the question's disease, when it names one:
    # "what is the cure rate of car t for leukemia" is not answered by lupus patients' remissions
    on_disease: bool = False
    # its words answer the question: the answer reader does not put a sentence without them before an
    # opener with them ("how do they get your t cells out": the collect step, session 46)
    holds_lead: bool = False


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# a doctor who treats, not one who reads a biopsy: "A **rheumatologist** treats disorders that…"
TREATING_SPECIALIST = _p(
    r"\b(rheumatolog|nephrolog|neurolog|dermatolog|hematolog|haematolog|oncolog|endocrinolog|immunolog"
    r"|gastroenterolog|cardiolog|pulmonolog|ophthalmolog|urolog|allerg|special)ists?\b"
)


# "will my kids get ms": whether it is inherited, not facts on children (session 34; `sections.KINDS`)
WILL_MY_KIDS_GET = (
    r"\bwill (my|our|his|her|their) (kids?|children|sons?|daughters?) (get|have|inherit)\b"
    # "can i pass ms to my baby", "can i give lupus to my kids", "is lupus passed from mother to baby",
    # "will my baby have lupus" (session 47; not "can my kids get it from me": a baby may get a mother's
    # antibodies, which is no inheritance)
    r"|\b(pass|passed|passing) (it|this|them|[\w']+( [\w']+)?) (down |on )?to (my|your|our|their|his|her|the)"
    r" (kids?|children|child|bab(y|ies)|sons?|daughters?)\b"
    # a disease given, not a medicine ("can i give tylenol to my kids")
    r"|\b(give|giving) (it|this|that|the disease|lupus|sle|ms|mg|myasthenia gravis|sj[oö]gren'?s?( syndrome)?"
    r"|scleroderma|vasculitis|ra|rheumatoid arthritis|psoriasis) to (my|your|our|their|his|her|the)"
    r" (kids?|children|child|bab(y|ies)|sons?|daughters?)\b"
    r"|\bpassed (down )?from (\w+ )?(mother|mom|mum|parents?|father|dad) to (\w+ )?(child|children|kids?|bab(y|ies))\b"
    r"|\bwill (my|our|his|her|their|the) bab(y|ies) (get|have|inherit)\b(?! (a |any )?(problems?|birth|defects?"
    r"|complications?|issues?|side))"
)
# "when was car t first used for lupus", "when did the nature study come out": the figure asked is a
# moment in time, a year, a month or how long ago (session 33); "May" is left out (the verb "may")
ASKS_MOMENT = re.compile(r"^\W*when (was|were|did|had)\b|\bwhat year\b|\bhow long ago\b", re.IGNORECASE)
MOMENT = re.compile(
    r"\b(1[89]|20)\d\d\b|\b(January|February|March|April|June|July|August|September|October|November|December)\b"
    r"|\b(?i:ago|(years?|months?|weeks?) (before|earlier|later))\b"
)
# "my mom has ms can i get it": whether it is inherited, not how one gets it (session 35)
RELATIVE_HAS = (
    r"\b(my|our) (mom|mother|mum|dad|father|parents?|sisters?|brothers?|siblings?|aunts?|uncles?|grand\w+|cousins?"
    r"|twin|relatives?|family members?) (has|had|have|got|gets|was diagnosed with|were diagnosed with)\b.{0,60}?"
    r"\b(can|will|could|would|am|are|should|do|does) (i|we|me|us) (\w+ ){0,2}(get|have|inherit|develop|catch|be at"
    r"|at risk|likely)\b"
)

# what a person stops or stays off (the `stopping` ask): medicines by kind or by name
_MEDICINE_WORDS = (
    r"(meds|medicines?|medications?|drugs?|treatment|pills?|tablets?|infusions?|shots?|rituximab|rituxan|plaquenil"
    r"|hydroxychloroquine|prednisone|steroids?|methotrexate|azathioprine|imuran|mycophenolate|cellcept|benlysta"
    r"|belimumab|ivig|teclistamab|tecvayli|blinatumomab|obinutuzumab|anifrolumab|saphnelo)"  # session 46
)
# medicines taken after a named treatment: "do people still need meds after car t for lupus"
_AFTER_MEDS = r"(meds|medicines?|medications?|drugs|pills|tablets|steroids|prednisone|immunosuppressants?)"
_AFTER_TREATMENT = r"after\s+(getting |having )?(car[- ]?t|cart|\w+mab|the (infusion|treatment|therapy))\b"
_MEDS_AFTER = re.compile(
    rf"\b{_AFTER_MEDS}\b(\s+[\w-]+){{0,3}}\s+{_AFTER_TREATMENT}|\b{_AFTER_TREATMENT}(\s+[\w-]+){{0,5}}\s+{_AFTER_MEDS}\b"
    # "after car t are you med free", "can car t get you off prednisone" (session 47)
    r"|\b(meds?|medicines?|medications?|drugs?|steroids?|pills?)[- ]free\b"
    rf"|\b(get|gets|getting|got) (you|me|people|patients|them|her|him) off (\w+ ){{0,3}}{_AFTER_MEDS}\b",
    re.IGNORECASE,
)
# … unless it asks about stopping them: "what happens if i stop my meds after car t" is the stopping ask's too
_MEDS_AFTER_NOT_STOPPED = re.compile(
    rf"^(?!.*\b(stop\w*|quit\w*|taper\w*|wean\w*|discontinu\w*|(come|comes|coming|get|getting|go|going) off)\b)"
    rf".*?(?:{_MEDS_AFTER.pattern})",
    re.IGNORECASE,
)

ASKS: tuple[Ask, ...] = (
    Ask(
        "cost",
        "prices or costs",
        _p(
            r"\b(costs?|price[sy]?|pricey|expensive|afford\w*|charges?|how much (do|does|is|would|will) .{0,40}\bpay)\b"
            # "how much is teclistamab a month", "how much is rituximab per infusion" (session 46)
            r"|\bhow much (is|are|was|would be|will be) (a |an |the |one )?(\w+[ -]){1,3}(a|per|each|for a|for one) "
            r"(month|year|week|course|round|infusion|shot|treatment|session)\b"
        ),
        _p(r"\b(costs?|costly|prices?|expensive|cheap\w*|dollars?|afford\w*|euros?)\b|[$€£]\s?\d"),
        "treatment",  # "how much does rituximab cost" is not answered by CAR-T's price
    ),
    Ask(
        "insurance",
        "insurance cover",
        _p(
            r"\b(insurance|insurers?|insured|medicaid|medicare|copays?|co-pays?|(does|do|will|would) .{0,40}\bcover"
            r"|who (pays|covers|foots))\b"
            # "is car t covered by blue cross" (session 46)
            r"|\b(is|are|be|get|gets) (it |this |that |\w+ ){0,3}covered\W*$|\bcovered (by|under|on) (my |your |the |their "
            r"|a )?(insurance|insurers?|plans?|policy|provider|\w+ (cross|shield|healthcare|health|care|insurance|plan))\b"
            r"|\b(blue cross|blue shield|aetna|cigna|united ?healthcare|humana|kaiser|tricare|nhs)\b"
        ),
        _p(r"\b(insurance|insurers?|medicaid|medicare|reimburs\w*)\b"),
    ),
    Ask(
        "hospital_stay",
        "how long a hospital stay lasts",
        _p(
            r"\b(stay|days?|nights?|weeks?)\b.{0,30}\b(hospital|hopsital|hospitals)\b|\b(hospital stay|discharged?)\b"
            # "how long are you in hospital for car-t" (session 33)
            r"|\bhow long (\w+ ){0,3}in (the )?(hospital|hopsital)\b"
        ),
        _p(r"\b(hospital stay|days? in (the )?hospital|inpatient|discharged?|length of stay|admitted)\b"),
        "subject",  # a Crohn's surgery abstract's "length of hospital stay" is not CAR-T's
    ),
    Ask(  # "how long is recovery from car t": how long it takes to get over a treatment (session 43)
        "recovery",
        "how long recovery takes",
        _p(
            r"\bhow long (is|does|will|would|did|was) (the )?recovery\b|\brecovery (time|period)\b"
            r"|\bhow (long|fast|quickly|soon) (\w+ ){0,4}(to |until |before |till )?(\w+ )?recover\b"
            r"|\b(back to|return to|go back to) (work|school|normal|my normal life)\b"
        ),
        _p(r"\brecover\w*\b|\b(back to|return to|go back to) (work|school|normal|usual)"),
        "treatment",
        named=True,
        same_sentence=True,  # "Recovery can take a few weeks to a few years." is said of Guillain-Barré
    ),
    Ask(
        "deaths",
        "how long people live or how many die",  # "how long do people with scleroderma live" (session 45)
        _p(
            r"\b(die[sd]?|dying|deaths?|mortality|fatal\w*|survival|survive|life expectancy|life ?span|shorten "
            r"(your|my|their|his|her|the) life|how long (can|will|do|does|would) (i|you|we|people|someone|he|she) live"
            # "how long do lupus patients live" (session 37)
            r"|how long (can|will|do|does|would) ((\w+ ){1,2}(patients|people|ppl|persons|sufferers)|(people|patients|ppl|persons|someone|folks) with( \w+){1,3}) live"
            r"|kill (you|me|him|her|people|someone|patients)|deadly|life[- ]threatening)\b"
        ),
        _p(
            r"\b((?<!cells )(?<!cell )die[sd]?|dying(?! (cells?|tissues?))|deaths?|mortality|fatal\w*|survival|surviv\w+|"
            r"life expectancy|life ?span|normal life|"
            r"live (a )?(normal|long|full)|life[- ]threatening|deadly)\b"
        ),
        # "do they live a normal life span (about: takayasu arteritis)" is not answered by another disease's
        # "people with SPENCDI typically have a shortened life expectancy" (session 39)
        "subject",
    ),
    Ask(
        "approval",
        "approvals",
        _p(r"\b(approved?|approval|licen[cs]ed|fda|ema)\b"),
        _p(r"\b(approv\w*|licen[cs]ed|fda)\b"),
        "treatment",  # another drug's approval does not say whether CAR-T is approved
    ),
    Ask(
        "age_limit",
        "age limits",
        _p(
            r"\b(age (limit|cut ?off|range|restriction)s?|too old|too young|cut ?off age|(upper|lower|maximum|minimum"
            r"|max|min) age|oldest|youngest)\b"
            # "can i get car t if im over 70" (session 35)
            r"|\b(if|when) (i'?m|i am|you'?re|youre|you are|he'?s|she'?s|they'?re|someone is|a person is) (over|under"
            r"|above|below|older than|younger than) \d+\b"
        ),
        _p(  # an age, not a count: "over the age of 65", "aged 18 to 65", not "over 40 patients"
            r"\b(age limits?|too old|too young|upper age|older (adults|people|patients)|(over|under|above|below) "
            r"the age of \d+|(older|younger) than \d+|\d+ years? (old|of age)|ages? \d+ (to|and|-) \d+|aged \d+)\b"
        ),
        # "is there an upper age limit for teclistamab" is not answered by the ages of children with ALL,
        # nor "… for car t for lupus" by the share of lupus cases over 50 (session 42)
        "treatment",
        same_sentence=True,
    ),
    Ask(
        "waiting",
        "waiting times",
        _p(
            r"\b(wait(ing)?( list| time)?s?|waitlists?|queue)\b"
            r"|\bhow (soon|quickly|fast) (can|could|will|would|do|does) (i|you|we|people|patients|he|she|my \w+) get (it|"
            r"treated|the (treatment|therapy|infusion)|car[- ]?t|cart|teclistamab|rituximab|benlysta|belimumab|bites?)\b"
        ),
        _p(r"\b(wait(ing)?|waitlists?|queue)\b"),
        "subject",
    ),
    Ask(
        "where",
        "which hospitals or centres offer it",
        _p(
            r"\b(which|what|best|good|top) (hospitals?|clinics?|cent(er|re)s?)\b|\bwhere (can|could|should) (i|you|we) (get|go|find|have)\b"
        ),
        # a place that gives care or where someone works ("University Hospital of Erlangen"), not a research
        # institute ("NIH: National Cancer Institute" ends every NCI page) nor the middle of something
        # ("the center of the body") (session 39)
        _p(r"\b(hospitals?|clinics?|universit(y|ies))\b|(?<!the )\bcent(er|re)s?\b(?! of\b)"),
        "subject",  # a myasthenia gravis page's "Cleveland Clinic" is not where stiff person syndrome is treated
        # nor where myasthenia gravis is: GARD's list of pages to read ("These resources address the diagnosis
        # or management of myasthenia gravis: - Cleveland Clinic - Genetic Testing Registry …")
        ignore=_p(r"\bthese resources address\b"),
    ),
    Ask(
        "place",
        "where trials or treatment are offered near a place",
        _p(
            r"\bnear (me|here|us|my|our|[a-z]{3,})\b|\bin (my|our) (area|city|town|state|country)\b"
            # "where is the nearest car t clinic" (session 46)
            r"|\b(nearest|closest) (\w+ ){0,2}(clinics?|hospitals?|cent(er|re)s?|sites?|trials?|doctors?|places?"
            r"|locations?|specialists?|rheumatologists?)\b"
        ),
        _p(r"\b(locations?|sites?|near you|clinicaltrials\.gov|recruit\w*|enrol\w*)\b"),
    ),
    Ask(  # "do i need a referral for car t" got what "CAR" stands for (session 46): no source says
        "referral",
        "facts on referrals",
        # not "should i refer her for car-t or start ivig first": a decision, not a referral (dev-113)
        _p(r"\breferrals?\b|\b(get|be|being|gets|got) referred\b|\brefer me\b"),
        _p(r"\breferrals?\b|\brefer(red)? (you|patients?|people|them) to\b"),
    ),
    Ask(  # "how can i find a car t trial" got CAR-T's steps before ClinicalTrials.gov (session 36)
        "find_trial",
        "where to look for trials",
        _p(
            r"\b(find|finding|look(ing)? for|search(ing)? for|join|joining|enrol\w*|sign up for|get into) (a |an |the |any )?"
            r"(\w+ ){0,3}(clinical )?(trials?|studies|study)\b"
        ),
        _p(
            r"\bclinicaltrials\.gov\b|\bclinical research trials and you\b|\b(look|search|looking|searching) for (a )?"
            r"trials?\b|\bfind trials?\b|\bresearch-matching\b"
        ),
    ),
    Ask(
        "dose",
        "doses",
        _p(  # "mg" alone is MG
            r"\b(dose|doses|dosage|dosing|milligrams?|per kilogram)\b|\d\s*mg\b|\bhow often (is|are|do|does|should|would"
            r"|will) .{0,30}\b(given|taken|infused|injected|repeated)\b"
        ),
        _p(
            r"\b(dose|doses|dosage|dosing|milligrams?|per kilogram)\b|\d\s*mg\b|/kg\b|\bevery \d+ (days|weeks|months)\b"
            r"|\b(once|twice|three times) (a|every|per) (day|week|month)\b"
        ),
        "treatment",  # "what dose of teclistamab" is not answered by the doses children with ALL get
    ),
    Ask(  # "is rituximab given every 6 months", "how often do you get teclistamab" (session 31)
        "frequency",
        "how often it is given",
        _p(
            r"\b(given|taken|infused|injected|done|repeated) (once )?(every|each|once a|twice a)\b"
            r"|\bhow often (do|does|would|will|should|can) (you|i|u|people|patients|someone|they|he|she) "
            # not "get infections on rituximab": how often a harm comes, not the treatment (session 42)
            r"(get|have|need|receive|take|go for) ((?!on |from |with |after |while |during )\w+ ){0,2}?(infusions?|shots?"
            r"|injections?|doses?|treatments?|it|them|car[- ]?t|ivig|\w+mab)\b"
            # "how many infusions of rituximab do you get" (session 35)
            r"|\bhow many (\w+ )?(infusions|doses|shots|injections|rounds|treatments|sessions|cycles|courses)( of [\w-]+"
            r"( [\w-]+)?)? (do|does|will|would|should|did|can) (you|i|u|people|patients|someone|they|he|she|kids)\b"
        ),
        _p(
            # not "high-dose": how much, not how often ("high-dose intravenous immune globulin")
            r"(?<!high-)(?<!low-)(?<!high )(?<!low )\b(dose|doses|dosage|dosing|every \d+ (days|weeks|months)"
            r"|once (a|every|per) (day|week|month|year)"
            r"|twice (a|every|per) (day|week|month|year)|(daily|weekly|monthly)|infusions? (every|each))\b"
        ),
        "treatment",
        named=True,
    ),
    Ask(  # "how is teclistamab given", "is methotrexate a pill or a shot" (session 33)
        "route",
        "how it is given",
        _p(
            r"\bhow (is|are|was|were|do|does|would|will) (\w+[ '-]){1,4}(given|taken|administered|delivered|infused"
            r"|injected)\b"
            r"|\bhow (do|does|should|would) (you|i|u|people|patients|someone|they) take\b"
            r"|\b(is|are) (\w+[ '-]){1,3}(given|taken) (by|through|as|into|under|in) (a |an |the )?(mouth|vein|pills?"
            r"|tablets?|shots?|injections?|infusions?|drip|skin|iv)\b"
            r"|\b(is|are) (it|they|\w+) (a |an )?(pill|tablet|shot|injection|infusion|iv|drip)s?\b"
            r"|\b(pills?|tablets?|shots?|injections?|infusions?|iv|drip) or (a |an )?(pills?|tablets?|shots?|injections?"
            r"|infusions?|iv|drip)\b"
        ),
        _p(
            r"\b(infusions?|infused|inject\w*|by mouth|orally|oral|pills?|tablets?|capsules?|(through|into|in) a vein"
            r"|intravenous\w*|under the skin|subcutaneous\w*|drip|shots?)\b|\bIV\b"
        ),
        "treatment",
        named=True,
        same_sentence=True,
        # how often, how long, how soon it is given: other asks (frequency, onset)
        not_asked=_p(r"\bhow (often|long|soon|quickly|much|many)\b"),
    ),
    Ask(
        "side_effects",
        "side effects",
        _p(r"\bside[- ]?(effects?|affects?)\b|\badverse (effects?|events?|reactions?)\b"),  # "side affects"
        _p(r"\b(side[- ]?effects?|adverse|toxicit\w*|cytokine release|neurotoxic\w*)\b"),
        "treatment",
        same_sentence=True,
    ),
    Ask(  # "is hydroxychloroquine safe long term": a named treatment's risks, not what it treats
        "safety",
        "facts on how safe it is",
        # "what are the risks of teclistamab" asks the same (session 30), not for a disease's risk factors
        _p(
            r"\b(is|are) (\w+ ){1,4}safe\b|\bhow safe\b|\bsafety\b|\bsafe (long[- ]term|to take|to use)\b"
            r"|\b(risks|dangers) (of|from|with)\b|\b(is|are) (\w+ ){1,4}(dangerous|risky)\b"
            r"|\bhow (risky|dangerous)\b"  # "how risky is car t" (session 35)
        ),
        _p(
            # not "risk" alone: "… the risk of relapse is low" in a chunk naming the medicine says nothing of it;
            # not what trials are for: NCI's "… to find out if new cancer treatments are safe and effective"
            # stands in every chunk naming CAR-T on its pages ("is car t safe", session 37)
            r"\b((?<!treatments are )(?<!whether they are )(?<!new treatment is )safe|safety|side[- ]?effects?|harm\w*|adverse|toxicit\w*|dangers?|dangerous|"
            r"serious (problems?|infections?))\b"
        ),
        "treatment",
        named=True,
        # "is plaquenil safe in pregnancy": safe in a setting another ask (or none) reads; "can be taken
        # during pregnancy" answers it without a word on risks
        # "is car t safe for lupus" asks it of the disease treated (session 33); "safe for kids" is a setting
        not_asked=_p(
            r"\bsafer?\b (\w+ ){0,2}(in|during|while|with|when|if|after|before|around|near)\b"
            r"|\bsafer?\b (\w+ ){0,2}for (my |your |the |a |an |older |young )?(kids?|child|children|bab(y|ies)|"
            r"pregnan\w*|elderly|old|older|seniors?|women|men|teens?|teenagers?|me|him|her|them|someone|breast\w*)\b"
        ),
    ),
    Ask(  # "does teclistamab cause infections": a named treatment's harm, not a disease's sign
        "harm",
        "side effects",
        _p(
            # "how can i lower my risk of infections on rituximab" (session 36)
            r"\b(risk|chance|odds) of (getting |catching )?(an? )?infections?\b|"
            r"\b(cause|causes|give|gives) (you |me |u |people |patients )?(an? |more |bad |serious )?(infections?|"
            r"rash\w*|fevers?|nausea|weight gain|headaches?|seizures?|confusion|blood clots?)\b"
            r"|\b(affects?|damages?|harms?|mess(es)? with) (your |my |the |their )?(memory|thinking|brain|mood|sleep|"
            r"heart|liver|kidneys?|eyes?|nerves?)\b"
            # "does teclistamab make you tired" (session 31)
            r"|\bmakes? (you |me |u |people |patients |him |her |them )?(feel )?(tired|sleepy|sick|dizzy|nauseous"
            r"|depressed|anxious|fat|gain weight|lose weight)\b"
        ),
        _p(r"\b(side[- ]?effects?|adverse|toxicit\w*|cytokine release|neurotoxic\w*|infections?|risks?)\b"),
        "treatment",
        named=True,
    ),
    Ask(
        "hair_loss",
        "facts on hair loss",
        _p(
            r"\bhair (loss|fall\w*|thin\w*)|\b(lose|losing|lost) (my |your |their |his |her |the )?hair\b|\bbald\w*"
        ),
        _p(r"\bhair\b|\balopecia\b"),
        "subject",
    ),
    Ask(
        "cancer_risk",
        "facts on a risk of cancer from it",
        _p(
            r"\b(cause|causes|causing|lead to|leads to|risk of)\b.{0,12}\b(cancers?|leuk\w{0,2}mia|lymphomas?|"
            r"malignan\w*|tumou?rs?)\b|\b(give|gives|get|getting) (you |me |u )?(a )?(second |new |another )?(cancer|"
            r"leuk\w{0,2}mia|lymphoma|tumou?r)s? (from|later|after|years)\b"
            # "can car t give you cancer" (session 43)
            r"|\bgives? (you|me|u|people|patients) (an? )?(second |new |another )?(cancer|leuk\w{0,2}mia|lymphoma"
            r"|tumou?r)s?\b"
        ),
        _p(  # a cancer it causes, not the cancer it treats
            r"\b(second(ary)? (cancers?|malignan\w*|tumou?rs?)|new (types of )?cancers?|(causes?|caused|causing|"
            r"risk of) (\w+ ){0,2}(cancers?|malignan\w*|lymphomas?|leuk\w{0,2}mias?))\b"
        ),
        "treatment",
        named=True,
    ),
    Ask(
        "specialist",
        "the kind of doctor who treats it",
        _p(
            r"\b(what|which) (kind|type|sort)s? of (doctor|dr|specialist|physician)s?\b|\b(which|what) (doctor|dr|specialist)s?\b|"
            r"\bwhat specialists?\b|\bwho (treats|handles|manages|looks after|diagnoses|should (i|we) see)\b|"
            r"\b(doctor|dr|specialist)s? (for|who treats|that treats|that handles)\b"
        ),
        TREATING_SPECIALIST,
        "subject",
    ),
    Ask(
        "onset",
        "how soon it starts to work",
        _p(
            r"\bhow (long|soon|quickly|fast) (does|do|will|would|until|till|before|for|is it before) .{0,40}\b(work|"
            r"works|working|kick in|kicks in|take effect|takes effect|help|helps)\b|\bwhen (will|does|do|would|should) "
            r".{0,40}\b(start (to )?work(ing)?|work|kick in|take effect|notice)\b"
        ),
        _p(
            r"\b(within|after|in|for) (about |around )?(\d+|a few|a couple of|several|one|two|three|four|five|six|eight|"
            r"twelve) (days?|weeks?|months?)\b|\btakes? (\w+ ){0,3}(days?|weeks?|months?)\b"
            r"|\b\d+ (to|-|or) \d+ (days|weeks|months)\b|\b(days|weeks|months) (to|before|until) (\w+ ){0,3}(work|help|improve)"
        ),
        "treatment",
    ),
    Ask(  # "how long does teclistamab treatment last", "how long does rituximab last" (session 35)
        "length",
        "how long treatment lasts",
        _p(r"\bhow long (does|do|did|will|would|is|are|was|were|can|could|should)\b"),
        _p(
            r"\b(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|several|many|few|couple of)[- ]"
            r"(hours?|days?|weeks?|months?|years?|decades?)\b(?! ago)"
            r"|\b(within|for|over|takes?|taking|took|lasts?|lasting|lasted|up to|after|in) (\w+ ){0,2}(hours|days"
            r"|weeks|months|years|decades)\b(?! ago)"
            r"|\b(lifelong|life-long|for life|permanent\w*|temporar\w*|indefinite\w*|(short|long) (time|period|while))\b"
        ),
        "treatment",
        named=True,
        lifts=False,  # a length of time already lifts a sentence for "how long" (`extractive.DURATION`)
        same_sentence=True,  # a duration in a sentence naming it: "… stayed free of symptoms for almost four years"
        # how long ago, how long to live, to work, in hospital: other asks (deaths, onset, hospital_stay)
        not_asked=_p(
            r"\b(ago|live|living|lived|life|work|works|working|kick in|take effect|help|helps|hospital|hopsital|wait\w*)\b"
        ),
    ),
    Ask(  # "when was rituximab approved": a year, a month or how long ago, in a sentence naming it (session 35)
        "moment",
        "when it happened",
        ASKS_MOMENT,
        _p(MOMENT.pattern + r"|\b(first|recently|now|today|currently)\b"),
        "treatment",
        named=True,
        same_sentence=True,
        lifts=False,  # a moment already lifts a sentence for "when was …" (`MOMENT`, by `w_figure`)
    ),
    Ask(  # "when is the best time of day to take prednisone": no source says (session 35)
        "time_of_day",
        "what time of day to take it",
        _p(
            r"\b(time of (the )?day|morning or (night|evening)|(at|in the) (night|evening|morning)|before bed|bedtime)\b"
        ),
        _p(r"\b(morning|evening|night|bedtime|time of (the )?day)\b"),
        "treatment",
        named=True,
    ),
    Ask(  # "does teclistamab need chemo first": chemotherapy before a named treatment (session 36)
        "chemo_first",
        "whether chemotherapy comes first",
        _p(
            r"\b(chemo\w*|lymphodeplet\w*)\b.{0,40}\b(before|first|beforehand|prior)\b|\b(before|prior to)\b.{0,40}"
            r"\bchemo\w*|\bneeds? chemo\w*"
        ),
        _p(r"\b(chemo\w*|lymphodeplet\w*|conditioning)\b"),
        "treatment",
        named=True,
        same_sentence=True,
        lifts=False,  # CAR-T's own questions keep their answers: its chemotherapy sentences name it
    ),
    Ask(  # "whats the success rate of car t for ewing sarcoma": how often it works, said of it (session 39)
        "success_rate",
        "how often it works",
        _p(
            r"\b(success|failure|response|remission|cure) rates?\b|\bhow (often|likely) (does|do|is|will|would) .{0,40}"
            r"\b(work|succeed|help)\b|\b(what|which) (percent|percentage|proportion|fraction) .{0,40}\b(works?|"
            r"respond\w*|remission|better|cured)\b|\bchances? (of|that) .{0,40}\b(working|works?|success|remission"
            r"|cure)\b|\bodds\b"
        ),
        _p(
            r"\d+(\.\d+)?\s*(%|percent)|\b(\d+|all|most|many|half|none|some|two|three|four|five|six|seven|eight"
            r"|nine|ten) (of|out of) (the |these |those )?(\d+ )?(\w+ ){0,2}(patients|people|participants|children"
            # not rituximab's kind, "biologic response modifiers" (session 43)
            r"|adults|cases|persons)\b|\b(?<!biologic )respon(se|ses|ded|ders?)\b|\bremissions?\b"
        ),
        "treatment",
        named=True,
        same_sentence=True,
        lifts=False,  # what answers how often it works is said in so many ways; only the refusal reads it
        # … but a share of the people treated reaching an outcome lifts: "what is the success rate of car t
        # for lupus" opened with how long the first patient stayed free of symptoms (session 43)
        lift=_p(
            r"\d+(\.\d+)?\s*(%|percent)|\b(\d+|all|most|many|half|none|two|three|four|five|six|seven|eight|nine"
            r"|ten)( of| out of)? (the |these |those )?(\d+ )?(\w+ ){0,2}(patients|people|participants|children|adults"
            r"|cases)\b.{0,80}\b(remissions?|respon\w*|improv\w*|better|cured?)\b"
        ),
        on_disease=True,
    ),
    Ask(  # "teclistamab vs rituximab for lupus which one works better" (session 39)
        "better",
        "which one works better",
        _p(
            r"\b(which|what)( one|'?s| is| works?| would| does| do)? (\w+ ){0,2}(better|best|more effective|safer"
            r"|stronger)\b|\b(is|are|works?) (\w+ ){0,3}(better|more effective|safer|stronger) than\b"
        ),
        _p(
            r"\b(better|worse|best|more|less|fewer|than|compared|comparison|whereas|contrast|unlike|simpler|cheaper"
            r"|safer|faster|slower|stronger|deeper|superior|inferior|equally|as effective|advantages?)\b"
        ),
        "treatment",
        named=True,
        same_sentence=True,
        lifts=False,
        every=True,
    ),
    Ask(  # "how many lupus patients got teclistamab": a count in a sentence naming it (session 36)
        "count",
        "how many people have had it",
        _p(
            r"\bhow many (\w+ ){0,3}(patients|people|persons|ppl|kids|children|adults|women|men|folks)\b.{0,40}\b(get|got"
            r"|gotten|had|have had|received|were treated|been treated|tried|been given|were given|took|been on)\b"
        ),
        _p(
            r"\b\d[\d,.]*\b|\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?"
            r"|thousands?|millions?)\b"
        ),
        "treatment",
        named=True,
        same_sentence=True,
        lifts=False,  # a figure already lifts a sentence for "how many" (`extractive.QUANTITY`)
        # not "one": "Lupus was one of the diseases in the case reports on teclistamab." counts nobody
    ),
    Ask(  # "what happens if you stop taking plaquenil": stopping a named medicine (session 36); the NHLBI
        # sarcoidosis page's "When you stop taking prednisone, …" had opened its answer
        "stopping",
        "what happens when it is stopped",
        _p(
            r"\b(stop(s|ped|ping)?|quit(s|ting)?) (taking|using|having|getting)\b|\b(come|comes|coming|came|go|goes|going"
            r"|get|gets|getting) off\b|\btaper\w*|\bdiscontinu\w*|\bwean\w*|\b(stop(s|ped|ping)?|quit(s|ting)?) (my |your "
            rf"|his |her |their |the )?{_MEDICINE_WORDS}\b"
            # "after car t do you still need lupus meds", "did patients stay off drugs" (session 36)
            r"|\b(still (need |needs |needed )?(to )?(take |takes |taking |on )?|(stay|stays|stayed|staying) off )(any "
            rf"|their |my |your |the |lupus |all )*{_MEDICINE_WORDS}\b"
        ),
        _p(
            r"\b(stop(s|ped|ping)?|quit\w*|taper\w*|discontinu\w*|withdraw\w*|cut(ting)? back|come off|drug-free"
            r"|medication-free|medicine-free|without (any )?(medicines?|medications?|drugs))\b"
        ),
        "treatment",
        named=True,
        same_sentence=True,
        not_asked=_MEDS_AFTER_NOT_STOPPED,  # the medicines after a treatment: `meds_after` (tapering is before it)
    ),
    Ask(  # "what if car t doesnt work for me", "what happens if car t fails" (session 47): no source says
        "fails",
        "what is done when it does not work",
        _p(
            # asked as "if / what if / when …": not a history told ("am I eligible for car-t? … rituximab didn't
            # work" asks who is eligible: s47g's dev-109)
            r"\b(if|when) (\w+[ -]){0,5}(doesn'?t|does not|dont|don'?t|didn'?t|did not|won'?t|will not|stops?|stopped)"
            r" (\w+ )?(work|working|help|helping)\b|\bif (\w+[ -]){1,3}fails?\b|\b(can|could|does|will|might) (\w+[ -]){1,3}fail\b"
        ),
        _p(
            r"\b(did not work|didn'?t work|does not work|doesn'?t work|not respond\w*|no response|failed|fails|failure"
            r"|second (infusion|treatment|course|dose))\b"
        ),
        "treatment",
        named=True,
        same_sentence=True,
    ),
    Ask(  # "will i need medicine after car t", "are people off all their meds after car t" (session 45)
        "meds_after",
        "whether people still need medicines after it",
        _MEDS_AFTER,
        _p(
            r"\b(drug-free|medication-free|medicine-free|without (needing |taking )?(any )?(medicines?|medications?|drugs)"
            r"|no longer (need|needed|needing|take|took|taking)|off (their |all |all their )?(medicines?|medications?|drugs))\b"
        ),
        "treatment",
        named=True,
        same_sentence=True,
    ),
    Ask(  # "do your b cells grow back after rituximab" (had opened with NCI's list of lymphomas rituximab
        # treats), "does the immune system grow back after car t": B cells coming back after a named
        # treatment, in a sentence naming it (session 38); the sources say it of CAR-T only
        "cells_return",
        "facts on whether B cells come back",
        _p(
            r"\b(b[- ]?cells?|b[- ]?lymphocytes|immune (system|cells?))\b[^.?]{0,40}\b(grows?|growing|comes?|coming"
            r"|bounces?) back\b|\b(b[- ]?cells?|immune system)\b[^.?]{0,20}\b(return|recover|regrow|regenerate|rebuild)"
        ),
        _p(
            r"\b(b[- ]?cells?|b[- ]cell (counts?|numbers?)|immune system)\b[^.]{0,40}\b(come back|comes back|came back"
            r"|grow back|recover\w*|return(s|ed|ing)?|regrow\w*)\b"
        ),
        "treatment",
        named=True,
        same_sentence=True,
    ),
    Ask(  # "how do they diagnose myasthenia gravis": how, not who is diagnosed at what age
        "diagnosis",
        "how it is diagnosed",
        _p(
            r"\bhow (do|does|did|can|is|are|would|will) (they|doctors?|drs?|you|u|one|it|[\w']+ [\w']+|[\w']+) ([\w']+ )?"
            r"(diagnose[sd]?|test(ed)? for|tested|tell if|find out if|check for)\b|\bwhat tests?\b|\bwhich tests?\b"
        ),
        _p(
            # "tests", not "aims to test new treatments" or "to test whether": research, not a diagnosis
            r"\bdiagnos\w* (with|by|using|based on|through|from)\b|\btests?\b(?! (new|whether)\b)|\bbiops(y|ies)\b"
            r"|\bexam(ination)?s?\b"
            r"|\b(scans?|mri|x-?rays?|ultrasound|blood work|urinalysis)\b"
        ),
        "subject",
        # a list of links ("These resources address the diagnosis or management of …: - … Test")
        ignore=_p(r"\bthese resources address\b"),
    ),
    Ask(
        "children",
        "facts on children",
        _p(r"\b(kids?|child|children|toddlers?|teens?|teenagers?|young people|pediatric|paediatric)\b"),
        _p(
            # "the decision to have children" is about pregnancy, not children
            r"\b(child|(?<!have )(?<!having )children|childhood|kids?|pediatric|paediatric|infants?|infancy|newborns?|"
            r"neonatal|teen\w*|adolescen\w*|young people|youth|juvenile|babies|baby|boys|girls)\b"
            # the ages it strikes answer whether the young get it: "… almost always in people over 50"
            # for "can young people get polymyalgia rheumatica" (session 32)
            r"|\b(over|under|after|before|between|above|below) (the )?ages? (of )?\d+|\b(people|adults|persons) (over|under"
            r"|older than|younger than|aged) \d+|\bages? \d+ (to|and|-) \d+"
        ),
        "subject",
        # "can ms be passed down to kids", "will my children inherit it": whether it is inherited
        not_asked=_p(
            r"\b(pass(es|ed|ing)?|hand(s|ed)?) (it |this )?(down|on) to\b|\binherit\w*\b|\b(genetic|hereditary|"
            r"runs? in (the )?famil\w*)\b|" + WILL_MY_KIDS_GET + "|" + RELATIVE_HAS
        ),
    ),
    Ask(
        "pregnancy",
        "facts on pregnancy or fertility",
        _p(r"\b(pregnan\w*|fertil\w*|conceiv\w*|breast-?feed\w*|have (a )?bab(y|ies))\b"),
        _p(r"\b(pregnan\w*|fertil\w*|conceiv\w*|breast-?feed\w*|bab(y|ies)|miscarriages?|birth)\b"),
        "treatment",  # "is plaquenil safe in pregnancy" is not answered by warfarin's harm to the fetus
    ),
    Ask(
        "diet",
        "advice on diet",
        _p(r"\b(diets?|dietary|foods?|eat|eating|nutrition\w*)\b"),
        _p(r"\b(diets?|dietary|foods?|eat|eating|nutrition\w*|meals?|sodium|salt)\b"),
        "treatment",
    ),
    Ask(
        "contagious",
        "facts on whether it is contagious",
        _p(
            r"\b(contagious|catching|catchable|infectious|catch(ing)? (\w+ )?from|spread(s)? (it )?to (others|other people))\b"
            # "can psoriasis spread by touch" (session 35)
            r"|\bspread(s|ing)? (\w+ )?(by|through|from) (touch\w*|contact|kissing|sex|skin)\b"
            # "can you catch vitiligo" (session 37)
            r"|\b(can|could|do|does|will|would) (you|u|i|we|people|ppl|someone|others|kids|children|a person) catch\b(?!( \w+){0,3} (early|earlier|sooner|in time|quickly|fast))"
            # "can my dog give me lupus": a person or animal passing it on, not "can a medicine give you lupus"
            r"|\b(dogs?|cats?|pets?|animals?|husband|wife|partner|boyfriend|girlfriend|kids?|child|children|baby|mom|mum"
            r"|dad|friends?|people|person|someone|others) (\w+ )?(give|pass|spread)s? (it |lupus )?(to )?(me|you|u|him|her"
            r"|them|us|it|lupus|others)\b"
        ),
        _p(r"\b(contagious|infectious|catching|spread from (one )?person|passed from (one )?person)\b"),
        "subject",  # "is it contagious (about: vitiligo)" is not answered by "Pemphigus is not contagious."
    ),
    Ask(  # "can lupus turn into leukemia": a disease becoming a cancer, not the cancer itself
        "becomes_cancer",
        "facts on it turning into a cancer",
        _p(
            r"\b(turns?|turning|changes?|chang(ed|ing)|progress(es|ed|ing)?|develops?|developing|become|becomes) "
            r"into (an? )?(\w+ )?(cancers?|leuk\w{0,2}mias?|lymphomas?|tumou?rs?)\b"
        ),
        _p(
            r"\b(risk|chance|likely|develops?|developing|leads? to|turns? into|progress\w* to)\b.{0,60}"
            r"\b(cancers?|malignan\w*|lymphomas?|leuk\w{0,2}mias?)\b"
        ),
        "subject",
        unpaired=("lymphoma", "leukemia", "myeloma"),  # the cancer asked about is not the subject
    ),
    Ask(
        "alcohol",
        "facts on alcohol",
        _p(r"\b(alcohol|booze|beers?|wine|liquor|drunk)\b|\bdrink(ing|s)? (on|with|while|after)\b"),
        _p(r"\b(alcohol\w*|beer|wine|liquor|drinking)\b"),
        "subject",
    ),
    Ask(
        "vaccines",
        "facts on vaccines",
        _p(r"\b(vaccin\w*|immuni[sz]\w*|(flu|covid|pneumonia|shingles|booster) (shots?|jabs?)|boosters?)\b"),
        _p(r"\b(vaccin\w*|immuni[sz]ation\w*|flu shots?|boosters?)\b"),
        "subject",
    ),
    Ask(
        "activities",
        "facts on driving or travel",
        _p(
            r"\b(drive|driving|drove|travel\w*|fly|flying|flights?|go abroad|go on (a )?(holiday|vacation|trip))\b"
        ),
        # not what travels in the body: "helps nerve signals travel" had answered "can i fly with myasthenia
        # gravis" (session 46)
        _p(r"\b(drive|driving|(?<!signals )(?<!impulses )(?<!messages )travel\w*|fly|flying|flights?)\b"),
    ),
    Ask(  # "is there a lupus support group near me" (session 46): a page on the disease that names one
        "support_group",
        "facts on support groups",
        _p(r"\bsupport groups?\b"),
        _p(r"\bsupport groups?\b"),
        "subject",
    ),
    # session 47: more subjects no source gives, each had got loosely related sentences
    Ask(  # "do i need a caregiver after car t"
        "caregiver",
        "facts on caregivers or help at home",
        _p(
            r"\bcare-?givers?\b|\bcarers?\b|\bsomeone (to )?(stay|be|live) with (me|you|them|him|her)\b|\bhelp at home\b"
        ),
        _p(r"\bcare-?givers?\b|\bcarers?\b|\bhelp at home\b"),
    ),
    Ask(  # "what should i pack for the hospital for car t"
        "packing",
        "what to bring",
        _p(r"\b(what|which things) (should|do|to) (i |you |we )?(pack|bring|take with)\b|\bpack(ing)? for\b"),
        _p(r"\b(pack|packing|bring (with you|along))\b"),
    ),
    Ask(  # "can you get car t as an outpatient"
        "outpatient",
        "whether it is given in or out of hospital",
        _p(r"\b(outpatient|inpatient|out-patient|in-patient)\b|\bgo home (the )?same day\b|\bovernight\b"),
        _p(r"\b(outpatients?|inpatients?|hospitali[sz]ed|overnight|same day)\b"),
        "treatment",
        named=True,
    ),
    Ask(  # "can i dye my hair with lupus"
        "cosmetics",
        "facts on hair dye or cosmetics",
        _p(
            r"\b(dye|dyeing|colou?r|colou?ring|bleach\w*) (my |your |her |his )?hair\b|\bhair (dye|colou?r\w*)\b"
            r"|\bmake-?up\b|\bnail polish\b|\bmanicures?\b|\bbotox\b|\bcosmetics?\b"
        ),
        _p(r"\b(hair dyes?|dyes?|cosmetics?|make-?up|nail polish|botox)\b"),
    ),
    Ask(  # "is lupus worse at night": a disease by the time of day (`time_of_day` is a medicine's)
        "time_of_day_disease",
        "facts on the time of day",
        _p(
            r"\b(worse|better|bad|flares?|hurts?|pain\w*) (\w+ )?(at night|in the (morning|evening|night)|at bedtime)\b"
            r"|\b(at night|in the (morning|evening)) (\w+ )?(worse|better)\b"
        ),
        _p(r"\b(morning|evening|night|nights|bedtime|awakening|end of the day)\b"),
        "subject",
        unnamed=True,
    ),
    Ask(  # "when can i go back to the gym after car t", "can you exercise with lupus" (a sentence naming it)
        "exercise",
        "facts on exercise",
        _p(r"\b(gym|work ?out|working out|exercis\w*|lift(ing)? weights|sports?|jogging)\b"),
        _p(r"\b(exercis\w*|physical activity|physically active|gym|sports?|workouts?)\b"),
        "subject",
    ),
    # a part of the body the sources seldom name, asked about with a disease or treatment: "does lupus
    # affect your teeth", "can lupus cause hearing loss" got the organs lupus affects (session 31)
    Ask(
        "teeth",
        "facts on teeth or gums",
        _p(r"\b(teeth|tooth|dental|dentists?|gums?|cavities)\b"),
        _p(r"\b(teeth|tooth|dental|gums?|cavities|periodont\w*)\b"),
        "subject",
    ),
    Ask(
        "hearing",
        "facts on hearing or the ears",
        _p(r"\b(hearing|deaf\w*|ears?|tinnitus)\b"),
        _p(r"\b(hearing|deaf\w*|ears?|tinnitus|cochlea\w*|inner ear)\b"),
        "subject",
    ),
    Ask(
        "nails",
        "facts on nails",
        _p(r"\b(finger ?nails?|toe ?nails?|nails?)\b"),
        _p(r"\b(finger ?nails?|toe ?nails?|nails?|nail beds?)\b"),
        "subject",
    ),
    Ask(
        "senses",
        "facts on smell, taste or the voice",
        _p(r"\b(smell|taste|voice)\b"),
        _p(r"\b(smell\w*|tast\w*|olfact\w*|voice|hoarse\w*|speech|speak\w*|talk\w*|slurred)\b"),
        "subject",
    ),
    Ask(  # "can you get car t more than once" (session 31); not "won't they attack me again"
        "repeat",
        "facts on having it again",
        _p(
            # "is car t one time or do you need more", "do you only get car t once" (session 45)
            r"\b(a |just |only )?one[- ]time (thing|treatment|deal|infusion|dose|shot|therapy|or)\b|\b(is|are) (\w+ ){1,3}one[- ]time\b"
            r"|\b(only|just) once\b|\b(only|just) (get|have|need|take|receive|give) ([\w-]+ ){1,3}once\b|\bonce or (more|twice|again|several)\b|\bmore than one (dose|infusion|treatment|round)\b"
            r"|\b(get|have|had|receive|take|do|done|give|given|use|used|try)( [\w-]+){0,3} (again|more than once|a second time"
            r"|twice(?! (a|an|per|daily|every|weekly)\b)|a 2nd time)\b"
            r"|\b(be|been) (repeated|redone|given again|done again)\b|\b(second|another|repeat) (round|course|infusion|dose)"
            r" of\b"
        ),
        _p(
            r"\b(again|more than once|second (dose|infusion|round|course|treatment)|repeat\w*|re-?treat\w*|retreat\w*"
            r"|another (dose|infusion|round|course)|twice)\b"
        ),
        "treatment",
        named=True,
    ),
    Ask(  # "can i work after car t", "how many weeks off work after a thymectomy" (session 31)
        "work",
        "facts on work or time off",
        _p(
            r"\b(go(ing)? back to|return(ing)? to|back at|off|time off|miss(ing)?) work\b|\bwork(ing)? (after|while"
            r"|during)\b|\b(weeks?|days?|months?) off\b|\bmy (job|work)\b"
            # "can i still work with ra" (session 35)
            r"|\b(can|could|will) (i|you|u|people|patients|someone|he|she|they) (still |keep (on )?|continue to )?work"
            r"(ing)?\b(?! (for|on|in))"
            r"|\b(my |the )?(boss|employer|manager|coworkers?|co-workers?|colleagues?)\b"  # "how do i tell my boss"
        ),
        _p(r"\b((return|go back|back) to work|time off|off work|employ\w*|jobs?|workplace|sick leave)\b"),
        "subject",
    ),
    # things people ask about living with a disease or treatment that the sources never take up (session
    # 32): "can i get a tattoo if i have scleroderma", "can i keep my cat while im on rituximab", "do herbs
    # like bugleweed help graves disease"; not sleep: GARD's symptom tables list "Sleep disturbance" for
    # lupus and Sjögren's, pages a search seldom finds
    # "can you donate blood if you have ms", "can i drink coffee with lupus", "can teclistamab be given
    # at home" (session 35): no source takes them up
    Ask(
        "blood_donation",
        "facts on donating blood",
        # not "were there more antibodies than in blood donors": a study's controls
        _p(r"\b(donat\w* (blood|plasma|platelets|bone marrow|organs?|eggs|sperm)|(give|giving) blood)\b"),
        # not a study's controls: "… 21 healthy blood donors by nephelometric assay"
        _p(r"\b((?<!healthy )blood donors?|donat(e|ing) (blood|plasma)|(give|giving) blood)\b"),
    ),
    Ask(  # "how do i get disability for lupus": benefits, not a disease's disabling course
        "disability",
        "facts on disability benefits",
        _p(
            r"\b(disability (benefits?|claims?|insurance|payments?|allowance|pension)|(apply\w* for|qualify\w* for|file for"
            r"|go on|be on) (\w+ )?disability|(do|can|could|would) (i|you|u) get disability|ssdi)\b"
            r"|\b(is|are) (\w+ ){1,3}(a|considered a|classed as a|counted as a) disability\b"  # "is lupus a disability"
            r"|\bsocial security\b|\bssi\b"  # "do you qualify for social security with myasthenia gravis" (session 46)
        ),
        _p(r"\b(disability (benefits?|insurance|claims?|payments?)|social security)\b"),
    ),
    Ask(  # "can you join the army with lupus" got what lupus is (session 46): no source says
        "military",
        "facts on military service",
        _p(r"\b(army|military|navy|air force|marines?|enlist\w*|armed forces|national guard)\b"),
        _p(r"\b(army|military|navy|armed forces|service members?|veterans?|enlist\w*)\b"),
    ),
    Ask(  # "what app can track lupus flares" (session 46): no source names one
        "app",
        "facts on apps",
        _p(r"\b(apps?|smartphones?|phone apps?|mobile apps?)\b"),
        _p(r"\b(apps?|smartphones?|mobile (phones?|devices?))\b"),
    ),
    Ask(  # "can kids with lupus go to school" got the list of nervous system problems (session 46)
        "school",
        "facts on school",
        _p(
            r"\b(go(ing)? to|attend\w*|back to|miss(ing|es)?|stay(ing)? (home )?from|at|in) school\b"
            r"|\bschool (days?|work|nurse|year|sports)\b"
        ),
        _p(r"\bschools?\b|\bclass(es|room)\b"),
        "subject",
    ),
    Ask(  # "does cold weather make ra worse" (session 35); not "cold agglutinin" nor "a cold"
        "weather",
        "facts on the weather",
        _p(
            r"\b(weather|humid\w*|rainy|barometric|climate|winter|summer)\b|\bcold (temperatures?|climates?|months)\b"
        ),
        _p(r"\b(weather|cold|heat|hot|temperatures?|climates?|winter|summer|humid\w*|sun\w*)\b"),
        "subject",
        lifts=False,  # "Sunlight may help some symptoms go away." is no answer to "does cold weather …"
        lift=_p(r"\b(weather|temperatures?|climates?|humid\w*)\b"),
    ),
    Ask(  # "is lupus worse in the summer", "can i go in the sun with lupus" (session 45)
        "sun",
        "facts on the sun",
        _p(r"\b(summer|sunny|sunshine|sun|sunlight|sunburns?|tanning|tan|beach|uv)\b"),
        _p(r"\b(sun\w*|ultraviolet|uv)\b"),
        "subject",
    ),
    Ask(
        "caffeine",
        "facts on coffee or caffeine",
        _p(r"\b(coffee|caffeine|energy drinks?)\b"),
        _p(r"\b(coffee|caffeine)\b"),
        "subject",
    ),
    Ask(
        "at_home",
        "facts on having it at home",
        _p(r"\b(at home|home (infusions?|treatment|care))\b"),
        _p(r"\bat home\b|\bhome\b"),
        "treatment",
        named=True,
        same_sentence=True,
    ),
    Ask(
        "tattoo",
        "facts on tattoos or piercings",
        _p(r"\b(tattoo\w*|piercings?|pierced)\b"),
        _p(r"\b(tattoo\w*|piercings?|pierced)\b"),
    ),
    Ask(
        "pets",
        "facts on pets or animals",
        _p(r"\b(cats?|kittens?|dogs?|pupp(y|ies)|pets?|animals?|litter ?box)\b"),
        _p(r"\b(cats?|dogs?|pets?|animals?|mice|mouse|rats?)\b"),
        "subject",
        # "can having pets … cause vasculitis" asks for a cause, which a study's risk factors may give;
        # "can my dog give me lupus" whether it is catching (`contagious`)
        not_asked=_p(
            r"\bcaus\w*|\btrigger\w*|\brisks?\b|\b(get|catch) (it|\w+) from\b|\b(give|pass|spread)\w*\b"
        ),
    ),
    Ask(
        "herbs",
        "facts on herbs",
        # not "supplements": "do vitamin d supplements help ms" has answers; "does turmeric help lupus" (session 35)
        _p(
            r"\b(herbs?|herbal|turmeric|curcumin|fish oils?|omega[- ]?3s?|ginger|ginseng|echinacea|elderberry)\b"
        ),
        _p(r"\b(herb\w*|supplement\w*|botanical\w*|natural|alternative (medicine|therap\w*))\b"),
        "subject",
    ),
    # "what anca level means my gpa is coming back", "what b cell count do they look for after car t": a
    # lab value, which a passage gives as a number with its unit (session 32)
    Ask(
        "level",
        "lab values or cut-offs",
        _p(
            r"\bwhat (\w+[ -]){0,3}(levels?|counts?|numbers?|values?|readings?|titers?|titres?)( range)? (do|does|did|means?"
            r"|is|are|should|would|counts?|shows?|tells?|makes?)\b|\bhow (high|low) (does|do|should|is|are|must) (\w+ ){0,3}"
            r"(levels?|counts?)\b"
        ),
        _p(
            r"\d[\d,.]*\s*(to|-|–)?\s*[\d,.]*\s*(per|/|mg|ml|µl|ul|mm|mmol|iu|units?|cells|platelets|percent|%)"
            r"|\b(normal|low|high|raised|elevated)\w* (levels?|counts?) (is|are|of|range|means?)\b"
        ),
        "subject",
        lifts=False,  # "10 to 20 per 100,000 people" is a number with "per", no lab value
    ),
    # "is medical marijuana good for ms", "does acupuncture help rheumatoid arthritis": no document takes
    # them up (session 32); "covid" is a word the sources never use (`unknown_words`)
    Ask(
        "cannabis",
        "facts on cannabis",
        _p(r"\b(cannabis|marijuana|weed|cbd|thc|cannabinoids?)\b"),
        _p(r"\b(cannabis|marijuana|cannabinoids?|cbd|thc)\b"),
    ),
    Ask(
        "mind_body",
        "facts on yoga, acupuncture, massage or meditation",
        _p(
            r"\b(yoga|acupunctur\w*|massages?|meditat\w*|tai chi|qigong|chiropract\w*|reiki|mindfulness|pilates"
            r"|hypno\w*)\b"
        ),
        _p(
            r"\b(yoga|acupunctur\w*|massag\w*|meditat\w*|tai chi|qigong|chiropract\w*|reiki|mindfulness|pilates"
            r"|hypno\w*|relaxation|complementary)\b"
        ),
        "subject",  # "does chiropractic help ankylosing spondylitis" is not answered by a page on MS (session 35)
    ),
    # "can they make car t from a donor's cells": a treatment from someone else's cells (session 32)
    Ask(
        "donor",
        "facts on donor or off-the-shelf versions",
        _p(
            r"\b(donors?'?s?|off[- ]the[- ]shelf|allogeneic|someone else'?s|other (people'?s|persons?'?s?) cells)\b"
        ),
        _p(r"\b(donors?|donated|donation|allogeneic|off[- ]the[- ]shelf|universal)\b"),
        "treatment",
        named=True,
    ),
    # "which drug companys are making car t for lupus": no document names a company (the MedPath article
    # says only that "biotech companies and large pharmaceutical firms are investing"), session 32
    Ask(
        "company",
        "which companies make or develop it",
        _p(
            r"\b(which|what|name (of )?the|any|who are the) (drug |pharma\w* |biotech\w* )?(compan(y|ies|ys)|firms?"
            r"|manufacturers?|drug ?makers?)\b|\b(compan(y|ies|ys)|firms) (are |is )?(making|developing|running|behind"
            r"|working on|selling|testing)\b"
        ),
        # a company's name, written as a name ("Kite Pharma", "Cabaletta Bio"): case matters here
        re.compile(
            r"\b[A-Z][\w&-]+ (Inc|Ltd|Corp|Pharma|Pharmaceuticals?|Therapeutics|Biotech|Bio|Biosciences|Oncology)\b"
        ),
        lifts=False,
    ),
    Ask(
        "maker",
        "who makes it",
        _p(
            r"\bwho (makes|made|manufactures|produces|sells)\b|\bmanufacturer\b|\b(drug ?maker|drug company)\b"
        ),
        _p(r"\b(manufactur\w*|compan(y|ies)|made by|produced by|laborator(y|ies)|labs?|pharmaceutical)\b"),
        "treatment",
    ),
    Ask(  # "where do they send my cells to be made", "where are car t cells made" (session 46)
        "made_where",
        "where it is made",
        _p(
            r"\bwhere (do|does|are|is|will|did|would) (they |you |the |my |your |their |car[- ]?t |t[- ]?|own )*"
            r"(cells? )?(get |be |being )?(made|make|sent|send|grown|grow|engineered|changed|modified|manufactured"
            r"|built|produced)\b|\bwhere do (my |your |the |their )?(t[- ]?)?cells go\b"
        ),
        _p(r"\b(laborator(y|ies)|labs?|manufactur\w*|facilit(y|ies)|centers?|centres?)\b"),
        "treatment",
        holds_lead=True,
    ),
    Ask(  # "how do they get your t cells out", "do they draw blood to make the car t" (session 46)
        "collect",
        "how the cells are collected",
        _p(
            r"\b(get|gets|take|takes|taking|taken|collect\w*|harvest\w*|remove|removes|removed|draw|draws|drawn"
            r"|extract\w*|gather\w*) (out )?(all )?(of )?(your |my |the |their |his |her |a patient's |patients' |some )?"
            r"(own )?t[- ]?cells\b|\b(t[- ]?)?cells (out|taken|collected|removed|drawn|harvested)\b"
            r"|\bwhere do (they |you )?(get |take )?(the |my |your |their )?(t[- ]?)?cells (come )?from\b"
            r"|\b(take|takes|taking|draw|draws|drawing) (your |my |some |the |their )?blood\b.{0,30}\bcar[- ]?t\b"
            r"|\bcar[- ]?t\b.{0,30}\b(take|takes|taking|draw|draws|drawing) (your |my |some |the |their )?blood\b"
            r"|\bhow are (the )?(t[- ]?)?cells (collected|taken|gathered|harvested)\b"
            # "do they take your own cells for car t", "how do they get the cells for car t therapy"
            r"|\b(get|take|takes|taking|collect\w*|harvest\w*|remove|draw|extract\w*) (your |my |the |their |a patient's )?"
            r"(own )?cells\b.{0,30}\bcar[- ]?t\b"
        ),
        _p(
            r"\b(collected|taken|removed|drawn|harvested|gathered) from (the |a |each )?(patient|person|body|blood)"
            r"|\*\*collect\b"
        ),
        "treatment",
        not_asked=_p(r"\bhow (many|often|long)\b|\bwhere do (my |your |the |their )?(t[- ]?)?cells go\b"),
        holds_lead=True,
    ),
    Ask(  # "do they put you to sleep for car t" (session 46): no source says
        "sedation",
        "facts on sedation or being asleep",
        _p(
            r"\bput (you|me|u|them|him|her|patients?|people) (to sleep|under)\b|\b(asleep|awake|an(a)?esthe\w*"
            r"|sedat\w*|general an\w+)\b|\bknock(ed|s)? (you|me|u) out\b"
        ),
        _p(r"\b(sedat\w*|an(a)?esthe\w*|asleep|awake|numbing)\b"),
        "treatment",
        named=True,
    ),
    Ask(  # "what do car t cells attack in lupus", "what does teclistamab target" (session 46)
        "target",
        "what it attacks",
        _p(
            r"\b(what|which)( kinds? of| types? of)? ((\w+ )?(cells? |proteins? |things? |parts? ))?(do|does|did|will|would|can"
            r"|is|are)"
            r" (the )?(\w+[ -]){1,4}(attack|attacks|target|targets|go after|goes after|kill|kills|destroy|destroys"
            r"|hunt|hunts|aim at|aimed at|go for|bind to|binds to|grab|grabs|attach to|attaches to)\b"
        ),
        _p(
            r"\b(attack\w*|target\w*|aimed at|kill\w*|destroy\w*|go(es)? after|going after|hunt\w*|track\w* down"
            r"|seek\w* out|wipe[sd]? out|binds?|join\w*|links?|latch\w* onto|deplet\w*|remov\w*|lowers? the numbers?)\b"
        ),
        "treatment",
        named=True,
        lifts=False,  # "killing" or "removal" alone is common; the lift needs what is attacked
        lift=_p(
            r"\b(attack\w*|target\w*|aimed at|kill\w*|destroy\w*|go(es)? after|going after|hunt\w* down|track\w* down"
            r"|seek\w* out|wipe[sd]? out|binds?|joins?|links?|latch\w* onto|deplet\w*|remov\w*|lowers? the numbers? of)"
            r"\b[^.;:]{0,40}\b(cells?|proteins?|lymphocytes)\b"
        ),
        holds_lead=True,
    ),
    Ask(
        "discovery",
        "who discovered or first made it",
        _p(r"\bwho (first )?(discovered|invented|developed|came up with|created|found)\b"),  # "made": `maker`
        _p(r"\b(discover\w*|invent\w*|pioneer\w*|first (described|developed|made|created|named))\b"),
        "subject",
    ),
    Ask(  # "does car t hurt": a treatment's pain, not a disease's
        "pain",
        "facts on whether it hurts",
        _p(r"\b(hurt|hurts|painful|pain|sore)\b"),
        _p(r"\b(hurt|hurts|painful|pain\w*|sore\w*|discomfort|needle)\b"),
        "treatment",
        named=True,
    ),
    Ask(  # "is ms painful", "does scleroderma hurt": a disease's pain, asked in so many words (session 33)
        "pain_disease",
        "facts on whether it hurts",
        _p(
            r"\b(is|are) (\w+[ '-]){1,4}(painful|sore)\b"
            r"|\b(does|do|can|will|would) (\w+[ '-]){1,4}(hurt|hurts|cause pain|be painful)\b"
        ),
        _p(r"\b(hurt|hurts|painful|pain\w*|sore\w*|discomfort)\b"),
        "subject",
        unnamed=True,
    ),
    Ask(  # "is there a cure for type 1 diabetes": no document speaks of one
        "cure",
        "facts on a cure or whether it goes away",
        _p(r"\b(cures?|curable|cured|go(es)? away|permanent(ly)?)\b"),
        _p(
            r"\b(cure[sd]?|curable|incurable|remissions?|go(es)? away|life-?long|for life|rest of (your|their|his|her|"
            r"a person's) li(fe|ves)|permanent\w*)\b"
        ),
        "subject",
        lifts=False,  # session 24: lifting "… may go into remission temporarily …" made answers harder to read
        # whether it can be cured, in so many words: "Lupus cannot be cured, but …", "There is no cure for MS.",
        # or a lifelong treatment: "You will need to take hormone pills for the rest of your life."
        lift=_p(
            r"\b(no (known |specific |effective )?cure|not (yet )?(a |found a )?cure|(cannot|can't|cant|can not|can|"
            r"will not|does not|do not|not) (\w+ ){0,2}(be )?cured?|(in)?curable|go(es)? away on (its|their) own"
            r"|life-?long|for life|(for )?the rest of (your|their|his|her|a person's) li(fe|ves))\b"
        ),
    ),
    Ask(  # "can guillain barre come back": the sources say "relapse", not "come back"
        "relapse",
        "facts on whether it comes back",
        # not "relapsing" nor "recurrent": "which antibody for relapsing MS …" names a form of MS
        _p(r"\b(come|comes|coming|came) back\b|\brelapse[sd]?\b|\brecur(s|red|ring|rences?)?\b"),
        _p(
            r"\b(relaps\w*|recur\w*|(come|comes|came|coming) back|reappear\w*|returns?|returned|again|flare\w*)\b"
        ),
        "subject",
        lifts=False,  # "again", "return", "flare" and "relapsing" are too common to lift a sentence
        lift=_p(r"\b(relapse[sd]?|recur(s|red|ring|rences?)?|(come|comes|came|coming) back|reappear\w*)\b"),
    ),
    Ask(
        "newest",
        "the newest approvals",
        _p(r"\b(newest|latest|most recent(ly)?|just approved)\b"),
        _p(r"\b(newest|latest|most recent(ly)?|recently approved)\b"),
    ),
)


def asks_of(question: str) -> list[Ask]:
    """The kinds of fact the question asks for (a named treatment's harm only when it names one). A
    follow-up's subject names what it is about, not what it asks: in "how long does it last (about:
    does car t work for lupus)" "work" is not asked."""
    treated = any(p.search(question) for p in _TREATED)
    asked = own_words(question)
    return [
        ask
        for ask in ASKS
        if ask.question.search(asked)
        and (treated or not ask.named)
        and not (treated and ask.unnamed)
        and not (ask.not_asked and ask.not_asked.search(asked))
    ]


def uncovered_asks(question: str, texts: list[str], titles: list[str] | None = None) -> list[Ask]:
    """The asks of the question that none of the texts has words for (a paired ask: none of the texts
    that name the question's treatment, or its treatment or disease; for an ask paired with the
    subject, when the question names none the tables know, none naming a question word that is a
    word of a passage's `titles`: "is it contagious (about: vitiligo)" needs a passage on vitiligo)."""
    asked = asks_of(question)
    if not asked:
        return []
    uncovered = []
    for ask in asked:
        usable = [t for t in texts if not (ask.ignore and ask.ignore.search(t))]
        about = _about(ask, question, usable, "\n".join(usable))
        if ask.paired == "subject" and not paired_subjects(ask, question) and titles:
            named = titled_subject(question, titles)
            about = [t for t in usable if named & content_terms(t)] if named else about
        if not any(ask.evidence.search(t) for t in about):
            uncovered.append(ask)
    return uncovered


# title words that name no particular subject ("Behcet's disease": the subject is Behcet)
_GENERIC_TITLE_WORDS = content_terms(
    "disease diseases syndrome disorder disorders condition conditions type types treatment treatments "
    "therapy therapies cancer cancers adult adults childhood children primary chronic acute autoimmune "
    "what information about health people"
)


def titled_subject(question: str, titles: list[str]) -> set[str]:
    """The question's words (stemmed) that are words of a passage title, generic ones left out:
    {"vitiligo"} for "is it contagious (about: vitiligo)" with a page titled "Vitiligo"."""
    title_words: set[str] = set()
    for title in titles:
        title_words |= content_terms(title)
    return (content_terms(question) & title_words) - _GENERIC_TITLE_WORDS


def paired_subjects(ask: Ask, question: str, kin: bool = False) -> list[re.Pattern[str]]:
    """What a passage must name for a paired ask's words to count: the question's treatment or
    medicine (and, for "subject", its disease); [] when the ask is not paired or none is named. With
    `kin`, a named treatment's kind counts too (BiTEs for teclistamab: "BiTEs are cheap")."""
    subjects = [p for p in _TREATED if p.search(question)] if ask.paired else []
    if kin and subjects:
        subjects += [TREATMENTS[kind] for kind in _kinds_of(treatments_named(question))]
    if ask.paired == "subject":
        subjects += [p for name, p in DISEASES.items() if name not in ask.unpaired and p.search(question)]
    return subjects


def _about(ask: Ask, question: str, texts: list[str], joined: str) -> list[str]:
    """The texts an ask's words must be found in: those naming the question's subject when the ask is
    paired and the question names one (for `same_sentence`, the sentences naming it), else all of them
    together."""
    subjects = paired_subjects(ask, question)
    if not subjects:
        return [joined]
    diseases = [p for p in DISEASES.values() if p.search(question)] if ask.on_disease else []
    if diseases:
        texts = [t for t in texts if any(p.search(t) for p in diseases)]
    if ask.same_sentence:
        texts = [t[start:end] for t in texts for start, end in split_sentences(t)]
    named = treatments_named(question) if ask.every else set()
    if len(named) >= 2:
        each = [[_BY_NAME[n], *(TREATMENTS[k] for k in _kinds_of({n}))] for n in sorted(named)]
        return [t for t in texts if all(any(p.search(t) for p in ways) for ways in each)]
    return [t for t in texts if any(p.search(t) for p in subjects)]


def _named(patterns: dict[str, str]) -> dict[str, re.Pattern[str]]:
    return {name: _p(pattern) for name, pattern in patterns.items()}


# The treatments and diseases a question may pair ("does rituximab help myasthenia gravis?"), each
# with the ways the sources and people write it. A question naming one treatment and any of these
# diseases needs a passage that mentions the treatment together with one of them.
TREATMENTS = _named(
    {
        "CAR-T": r"\bcar[- ]?t\b|\bcart\b|chimeric antigen",
        "BiTEs": r"\bbites?\b|\bbispecific|t-cell engagers?",
        "teclistamab": r"teclistamab|teclistimab|tecvayli",
        "blinatumomab": r"blinatumomab|blincyto",
        "rituximab": r"rituximab|rituxan|ritux",  # "ritux side effects" (session 45)
        "obinutuzumab": r"obinutuzumab|gazyva",
        "belimumab": r"belimumab|benlysta",
        "anifrolumab": r"anifrolumab|saphnelo",
    }
)
# Older medicines people ask the same things about ("how long does plaquenil take to work"): a
# paired ask needs its words in a passage naming the medicine. Not used by `unpaired`.
MEDICINES = _named(
    {
        "hydroxychloroquine": r"hydroxychloroquine|plaquenil",
        "prednisone": r"prednis\w+|\bpred\b|steroids?|corticosteroids?",
        "methotrexate": r"methotrexate|trexall|otrexup",
        "mycophenolate": r"mycophenolate|cellcept|myfortic",
        "azathioprine": r"azathioprine|imuran",
        "cyclophosphamide": r"cyclophosphamide|cytoxan",
        "IVIG": r"\bivig\b|immune globulin",
    }
)
DISEASES = _named(
    {
        "lupus": r"lupus|\bsle\b",
        "rheumatoid arthritis": r"rheumatoid|\bra\b",
        "multiple sclerosis": r"multiple sclerosis|\bms\b",
        "myasthenia gravis": r"myasthenia|\bmg\b",
        "systemic sclerosis": r"scleroderma|systemic sclerosis|\bssc\b",
        "myositis": r"myositis|myopathy",
        "Sjögren syndrome": r"sj\w{0,2}gren",
        "vasculitis": r"vasculitis|arteritis|polyangiitis",
        "type 1 diabetes": r"type 1 diabetes|\bt1d\b",
        "psoriasis": r"psoria",
        "inflammatory bowel disease": r"crohn|colitis|inflammatory bowel|\bibd\b",
        "myeloma": r"myeloma",
        "lymphoma": r"lymphoma",
        "leukemia": r"leuk\w{0,2}mia",
        "stiff person syndrome": r"stiff[- ]person",
        "immune thrombocytopenia": r"\bitp\b|thrombocytop",
        "neuromyelitis optica": r"neuromyelitis|\bnmosd\b",
        "pemphigus": r"pemphig",
        "celiac disease": r"c(o)?eliac",
        "Graves disease": r"\bgraves",
        "Hashimoto thyroiditis": r"hashimoto",
        # "aps type 1" is autoimmune polyglandular syndrome
        "antiphospholipid syndrome": r"antiphospholipid|\baps\b(?![- ]?(type ?)?[12i]\b)",
        "autoimmune hepatitis": r"autoimmune hepatitis",
        # the other diseases the shared documents have pages on (session 27): a sentence on one of them
        # is about another disease than the question's, and a question naming one has a subject
        "autoimmune polyglandular syndrome": r"polyglandular|\baps[- ]?(type ?)?[12i]\b",
        "Addison disease": r"addison",
        "sarcoidosis": r"sarcoid",
        "Guillain-Barré syndrome": r"guillain|\bgbs\b",
        "Kawasaki disease": r"kawasa\w*",
        "Behçet disease": r"beh\w{0,2}et'?s?\b",
        "vitiligo": r"vitiligo",
        "alopecia": r"alopecia",
        "CIDP": r"\bcidp\b|chronic inflammatory demyelinating",
        "primary biliary cirrhosis": r"biliary (cirrhosis|cholangitis)|\bpbc\b",
        "IgA nephropathy": r"iga nephropathy",
        "membranous nephropathy": r"membranous nephropathy",
        "Goodpasture syndrome": r"goodpasture|anti-gbm",
        "thrombotic thrombocytopenic purpura": r"\bttp\b|thrombotic thrombocytopenic",
        "hemolytic anemia": r"h(a)?emolytic an(a)?emia|\baiha\b|cold agglutinin",
        "pernicious anemia": r"pernicious",
        "polymyalgia rheumatica": r"polymyalgia",
        "ankylosing spondylitis": r"ankylosing|spondyl(itis|oarthr\w*)",
        "psoriatic arthritis": r"psoriatic arthritis",
        "juvenile arthritis": r"juvenile (idiopathic |rheumatoid )?arthritis|\bjia\b|\bjra\b",
        "Lambert-Eaton syndrome": r"lambert[- ]eaton|\blems\b",
        "transverse myelitis": r"transverse myelitis",
        "optic neuritis": r"optic neuritis",
        "acute disseminated encephalomyelitis": r"\badem\b|disseminated encephalomyelitis",
        "autoimmune pancreatitis": r"autoimmune pancreatitis",
        "Henoch-Schönlein purpura": r"henoch|\bhsp\b",
        "Still's disease": r"\bstill'?s disease",
        "eosinophilic fasciitis": r"eosinophilic fasciitis",
        "mixed connective tissue disease": r"mixed connective tissue|\bmctd\b",
        "Isaacs syndrome": r"\bisaacs",
        "autoimmune autonomic ganglionopathy": r"ganglionopathy",
        "relapsing polychondritis": r"polychondritis",
        "dermatitis herpetiformis": r"dermatitis herpetiformis",
        "thymoma": r"thymoma|thymic carcinoma",
        "Ewing sarcoma": r"\bewing",
    }
)


_TREATED = (*TREATMENTS.values(), *MEDICINES.values())  # every treatment and medicine a table names
_BY_NAME = {**TREATMENTS, **MEDICINES}  # the same, by name
# a table's pattern → its name ("rheumatoid arthritis" for the pattern that finds "ra"), for `compared`'s
NAME_OF = {id(p): name for name, p in (*TREATMENTS.items(), *MEDICINES.items(), *DISEASES.items())}
_KIND_OF = {"teclistamab": "BiTEs", "blinatumomab": "BiTEs"}  # a BiTE is not another treatment than BiTEs


def treatments_named(text: str) -> set[str]:
    return {name for name, p in _BY_NAME.items() if p.search(text)}


def _kinds_of(names: set[str]) -> set[str]:
    """The kinds the named treatments are of: {"BiTEs"} for {"teclistamab"}."""
    return {_KIND_OF[n] for n in names if n in _KIND_OF}


def kind_terms(question: str, terms: set[str]) -> set[str] | None:
    """The question's content words with each named treatment that is of a kind (`_KIND_OF`) put as
    its kind ("how does teclistamab work" → {"bite", "work"}), None when it names none: how a BiTE
    works is how teclistamab works, and the sources say it of BiTEs (session 33)."""
    found = False
    out = set(terms)
    for name, pattern in (*TREATMENTS.items(), *MEDICINES.items()):
        said = pattern.search(question)
        if said is None or name not in _KIND_OF:
            continue
        found = True
        out = (out - content_terms(said.group(0)) - content_terms(name)) | content_terms(_KIND_OF[name])
    return out if found else None


def about_another_treatment(question: str, sentence: str) -> bool:
    """Does the sentence name only treatments other than the question's? "CAR-T cell therapy costs
    about $500,000" is about another treatment than "how much does teclistamab cost"; a sentence on
    BiTEs is not (teclistamab is one), nor one naming no treatment. False when the question names none."""
    asked = treatments_named(question)
    named = treatments_named(sentence)
    if not asked or not named:
        return False
    return not named & _kin(asked)


def treatment_patterns(question: str) -> list[re.Pattern[str]]:
    """What names the treatments a question names, their kinds and their kinds' members (BiTEs and
    teclistamab for either); [] when it names none."""
    return [_BY_NAME[n] for n in sorted(_kin(treatments_named(question)))]


def _kin(names: set[str]) -> set[str]:
    """The treatments named, their kinds and the members of their kinds: {"BiTEs", "teclistamab"}
    for either."""
    return names | _kinds_of(names) | {n for n, kind in _KIND_OF.items() if kind in names}


_THAN = re.compile(r"\b(than|unlike)\b", re.I)


def measured_against(question: str, sentence: str) -> bool:
    """Does the sentence tell of another treatment, naming the question's only as what it is measured
    against ("Simpler treatments such as BiTEs may help more lupus patients than CAR-T can." for "how
    does car t help lupus")? The question's treatment (or its kind, or a member of it) is named only
    after "than"/"unlike", another before it. False when the question compares (`COMPARES`) or itself
    measures against something ("what's a cheaper option than CAR-T for lupus?"): then the comparison
    is the answer."""
    said = _THAN.search(sentence)
    if said is None or _THAN.search(question) or COMPARES.search(question):
        return False
    asked = treatments_named(question)
    if not asked:
        return False
    ours = _kin(asked)
    before, after = treatments_named(sentence[: said.start()]), treatments_named(sentence[said.end() :])
    return bool(after & ours) and not before & ours and bool(before)


_SIDE = re.compile(r"\b(?P<side>before|after)\b(?P<what>(?:\W+\w+){1,3})", re.I)


def _sides(text: str) -> dict[str, set[str]]:
    """The treatments named just after "before" and just after "after": {"after": {"CAR-T"}}."""
    found: dict[str, set[str]] = {}
    for match in _SIDE.finditer(text):
        named = treatments_named(match.group("what"))
        if named:
            found.setdefault(match.group("side").lower(), set()).update(named)
    return found


def other_side(question: str, sentence: str) -> bool:
    """Does the sentence tell of the time before a treatment when the question asks about after it, or
    the other way round? "Lupus patients usually need to taper off their lupus medicines before
    CAR-T." does not answer "do you still need lupus meds after car t". False when the sentence also
    speaks of the side asked, or the question asks of neither."""
    if not _SIDE.search(sentence):
        return False
    asked = _sides(question)
    if len(asked) != 1:
        return False
    side, treatments = next(iter(asked.items()))
    said = _sides(sentence)
    other = "before" if side == "after" else "after"
    return bool(said.get(other, set()) & treatments) and not re.search(rf"\b{side}\b", sentence, re.I)


# any disease of the table, in one pass over the lower-cased text (a case-blind search costs twice
# as much): most sentences name none, and 58 searches each cost the answer step milliseconds
_ANY_DISEASE = re.compile("|".join(f"(?:{p.pattern})" for p in DISEASES.values()))
_LOWER_DISEASES = {name: re.compile(p.pattern) for name, p in DISEASES.items()}


@functools.lru_cache(maxsize=4096)
def diseases_named(text: str) -> frozenset[str]:
    """The names of the diseases of `DISEASES` the text names (cached: a question is read against
    each of its candidate sentences)."""
    lower = text.lower()
    if not _ANY_DISEASE.search(lower):
        return frozenset()
    return frozenset(name for name, p in _LOWER_DISEASES.items() if p.search(lower))


def about_another_disease(question: str, sentence: str) -> bool:
    """Does the sentence name diseases of `DISEASES`, none of them the question's? "An endocrinologist …
    treats Graves disease" is about another disease than "what kind of doctor treats lupus"; a sentence
    naming no disease is not. False when the question names none."""
    asked = diseases_named(question)
    if not asked:
        return False
    named = diseases_named(sentence)
    return bool(named) and not named & asked


_NAMED = (*_TREATED, *DISEASES.values())  # … and every disease

COMPARES = _p(
    r"\bdifferen(ces?|t) (between|from|than)\b|\b(the|what'?s|whats) difference\b|\b(vs\.?|versus)\b"
    r"|\bsame (thing |disease |way )?as\b|\bsimilar to\b|\bcompared? (to|with)\b|\bdiffers? from\b|\b(tell|telling) (them )?apart\b"
    r"|\b(better|worse|safer|stronger) than\b"
)


_THING = r"[a-z][\w'-]*(?: (?:[a-z][\w'-]*|\d{1,2})){0,2}"  # "type 2 diabetes"
_END_OF_THING = r"\s*(?:[?.!,]|$|\b(?:in|for|when|what|whats|which|and how)\b)"
_PAIRS = (  # "the difference between X and Y", "X vs Y"
    _p(rf"\bdifferen(?:ces?|t) between (?P<a>{_THING}) and (?P<b>{_THING}){_END_OF_THING}"),
    _p(
        rf"^(?:(?:what|whats|what's|is|the|difference|between|of)\s+)*(?P<a>{_THING}) (?:vs\.?|versus) (?P<b>{_THING}){_END_OF_THING}"
    ),
    # "how is dermatomyositis different from polymyositis", "is polymyositis the same as dermatomyositis"
    _p(
        rf"^(?:how (?:is|are|does|do) |is |are )(?:an? |the )?(?P<a>{_THING}) (?:different from|differs? from|the same "
        rf"(?:thing |disease )?as) (?:an? |the )?(?P<b>{_THING}){_END_OF_THING}"
    ),
)


# words that start no thing to compare with: "how is lupus different from other diseases"
_VAGUE = frozenset(
    {
        "other",
        "others",
        "another",
        "normal",
        "regular",
        "usual",
        "it",
        "them",
        "this",
        "that",
        "those",
        "these",
    }
)
_OTHER = _p(  # what a named thing is compared with: "how is car t different from a stem cell transplant"
    r"\b(?:different from|differs? from|better than|worse than|safer than|same (?:thing |way )?as|similar to"
    rf") (?:a |an |the )?(?P<b>{_THING}){_END_OF_THING}"  # not "vs" or "compared with": a study's controls
)


# a kind named before the thing both kinds are of: "acute and chronic itp", "limited and diffuse scleroderma"
_KIND_WORDS = frozenset(
    [
        "acute",
        "chronic",
        "primary",
        "secondary",
        "limited",
        "diffuse",
        "localized",
        "localised",
        "systemic",
        "relapsing",
        "progressive",
        "mild",
        "severe",
        "early",
        "late",
        "juvenile",
        "adult",
        "childhood",
        "cutaneous",
        "discoid",
        "generalized",
        "generalised",
        "ocular",
    ]
)


def _unshared(things: list[str]) -> list[str]:
    """The first of two compared things with the words it shares with the second put back: "type 1 and
    type 2 diabetes" compares type 1 diabetes and type 2 diabetes, "acute and chronic itp" acute ITP and
    chronic ITP (session 35); a first thing that is a name of its own stays as it is ("polymyositis")."""
    first, second = things[0].split(), things[1].split()
    kind = (
        first[0] == second[0] or first[-1].isdigit() or (len(first) == 1 and first[0].lower() in _KIND_WORDS)
    )
    if not kind or len(first) >= len(second):
        return things
    return [" ".join(first + second[len(first) :]), things[1]]


def compared(question: str) -> list[re.Pattern[str]]:
    """The two or more treatments or diseases a question compares ("lupus vs rheumatoid arthritis
    whats the difference"), as their patterns in the question's order; [] when it compares nothing."""
    if not COMPARES.search(question):
        return []

    def in_order(patterns: dict[str, re.Pattern[str]]) -> list[re.Pattern[str]]:
        found = [(m.start(), p) for p in patterns.values() if (m := p.search(question))]
        return [p for _, p in sorted(found, key=lambda f: f[0])]

    treatments = in_order(TREATMENTS)
    if len(treatments) >= 2:  # "car t vs rituximab for lupus": the treatments, lupus is the setting
        return treatments
    diseases = in_order(DISEASES)
    if len(diseases) >= 2:
        return diseases
    named = treatments or diseases
    other = _OTHER.search(question)
    if len(named) == 1 and other and not named[0].search(other.group("b")):
        # one thing a table names, the other from the wording: "car t vs a stem cell transplant"
        thing = re.sub(r"^(the|a|an)\s+", "", other.group("b").strip(), flags=re.I)
        named_too = any(p.fullmatch(thing) for p in _NAMED)  # "sjogrens the same as lupus": both in tables
        if len(thing) >= 3 and thing.split()[0].lower() not in _VAGUE and not named_too:
            return [named[0], _p(r"\b" + r"[\s-]+".join(map(re.escape, thing.split())))]
    # two things no table tells apart: "the difference between polymyositis and dermatomyositis"
    pair = next((m for m in (p.search(question) for p in _PAIRS) if m), None)
    if not pair:
        return []
    things = _unshared([re.sub(r"^(the|a|an)\s+", "", pair.group(g).strip(), flags=re.I) for g in ("a", "b")])
    # two names of one thing ("sle and lupus"), not two kinds of one ("polymyositis and dermatomyositis")
    same = any(
        p.fullmatch(things[0]) and p.fullmatch(things[1]) for p in [*TREATMENTS.values(), *DISEASES.values()]
    )
    # "how is lupus different from other diseases": "other diseases" is no thing to compare with
    vague = any(t.split()[0].lower() in _VAGUE for t in things)
    if same or vague or any(len(t) < 3 for t in things) or things[0].lower() == things[1].lower():
        return []  # "sle and lupus": one disease, two names
    return [_p(r"\b" + r"[\s-]+".join(map(re.escape, t.split()))) for t in things]


# a sentence that compares, not a study that "compared the thigh muscles": "BiTEs' low cost, speed and
# simplicity are a sharp contrast with CAR-T.", "RA is different from osteoarthritis, …", "BiTEs may not
# reach as deeply into body tissues as CAR-T cells do."
_CONTRASTED = _p(
    r"\b(than|unlike|contrasts?|contrasted|whereas|compared (to|with)|in comparison|different (from|than)|differences?"
    r"|differs?|both|same as"
    r"|similar|instead of|rather than|as (\w+ ){1,2}as)\b"
)


def contrasts(text: str, things: list[re.Pattern[str]]) -> bool:
    """Does the sentence name every thing a question compares (`compared`; a treatment also by its kind,
    BiTEs for teclistamab) and compare them (session 45)?"""
    if len(things) < 2 or not _CONTRASTED.search(text):
        return False
    for thing in things:
        kinds = _kinds_of({NAME_OF.get(id(thing), "")})
        if not thing.search(text) and not any(TREATMENTS[k].search(text) for k in kinds):
            return False
    return True


def pair_of(
    question: str, among: dict[str, re.Pattern[str]] | None = None
) -> tuple[list[re.Pattern[str]], list[re.Pattern[str]]]:
    """The one treatment (or medicine) a question names, with its kind (BiTEs for teclistamab), and the
    diseases it names with it ("car t for ms"); ([], []) unless it names exactly one and a disease, or
    (with `among`, e.g. `TREATMENTS`) unless that one is among them."""
    named = treatments_named(question)
    diseases = [p for p in DISEASES.values() if p.search(question)]
    if len(named) != 1 or not diseases or (among is not None and not named <= set(among)):
        return [], []
    return [_BY_NAME[name] for name in named] + [TREATMENTS[kind] for kind in _kinds_of(named)], diseases


def names_pair(pair: tuple[list[re.Pattern[str]], list[re.Pattern[str]]], text: str) -> bool:
    """Does the text name the question's treatment and one of its diseases (`pair_of`)?"""
    treatment, diseases = pair
    return any(p.search(text) for p in treatment) and any(p.search(text) for p in diseases)


def unpaired(question: str, texts: list[str]) -> str | None:
    """ "CAR-T for rheumatoid arthritis" when the question names one treatment and one or more
    diseases and no passage mentions the treatment with any of them; else None. A follow-up's
    subject counts: "can it be used for ms (about: rituximab)"."""
    treatments = [name for name, pattern in TREATMENTS.items() if pattern.search(question)]
    diseases = [name for name, pattern in DISEASES.items() if pattern.search(question)]
    if len(treatments) != 1 or not diseases:
        return None
    treatment = TREATMENTS[treatments[0]]
    for text in texts:
        if treatment.search(text) and any(DISEASES[d].search(text) for d in diseases):
            return None
    return f"{treatments[0]} for {' or '.join(diseases)}"


# A place or an institution named in the question: "does mayo clinic do…", "trials in sydney". The
# retrieved passages must mention it, even when it is English or the index names it elsewhere.
NAMED = re.compile(
    r"\b([a-z]{3,}) (?:clinic|hospital|medical cent(?:er|re)|university|institute)\b"
    r"|\b(?:trials?|studies|study|clinics?|hospitals?|cent(?:er|re)s?|doctors?|specialists?)\b"
    r"[a-z ]{0,20}?\b(?:in|near|around) ([a-z]{4,})\b"
)


def unknown_words(question: str, vocabulary: dict[str, int]) -> list[str]:
    """Words of the question that no indexed chunk uses, that are no slip of a word it uses and are
    not everyday English (a brand, a company, a city): "skyrizi", "nhs", "amgen". A place named in
    English ("mayo clinic", "trials in sydney") is `unmentioned_places`'s."""
    if not vocabulary:
        return []
    english = english_words()
    found: list[str] = []
    for word in re.findall(r"[a-z][a-z'\-]*[a-z]", _plain(question)):
        if len(word) < 3 or word in STOPWORDS or word in vocabulary or word in found:
            continue
        if word in english or "'" in word or "-" in word:
            continue  # English, however rare ("foamy", "eligibility"), is not a name
        known = _known(vocabulary)
        if len(word) <= 4 and any(w.startswith(word) for w in known.by_letter.get(word[0], [])):
            continue  # a short form of a word the sources use: "vit" for "vitamin"
        if _stem(word) in known.stems:
            continue  # "sicknesses" for "sickness", "eligibility" for "eligible"
        same_start = known.by_letter.get(word[0], [])
        if any(w.startswith(word[:5]) and abs(len(w) - len(word)) <= 2 for w in same_start if len(word) >= 5):
            continue  # "germany" for "german", "hospitals" for "hospital"
        if difflib.get_close_matches(word, same_start, n=1, cutoff=SLIP_CUTOFF):
            continue
        if len(word) >= 4 and (swapped(word, english) or swapped(word, vocabulary)):
            continue  # "wrok" for "work": two letters swapped
        found.append(word)
    # many such words are another language or a jumble, not names: the other refusals handle those
    return found if len(found) <= MAX_UNKNOWN else []


def _plain(question: str) -> str:
    return str(fold(re.sub(r"<[^>]*>", " ", own_words(question))))  # markup is not asked about


# what a study or trial is "in" besides a place: a journal, or a group of people or animals
NOT_PLACES = frozenset(
    """nature science lancet jama nejm bmj journal journals mice rats animals humans people patients adults
    children kids women men girls boys babies infants teens teenagers families""".split()  # noqa: SIM905 - a word list reads best as words
)


def named_places(question: str) -> list[str]:
    """The places and institutions the question names: "mayo" in "does mayo clinic do car t"; not
    "nature" in "what did the study in nature show" (`NOT_PLACES`)."""
    found = [w for match in NAMED.finditer(_plain(question)) for w in match.groups() if w]
    return [w for w in dict.fromkeys(found) if w not in STOPWORDS and w not in NOT_PLACES]


def unmentioned_places(question: str, texts: list[str]) -> list[str]:
    """Places the question names that none of the retrieved passages mentions: the index may name
    "Mayo" somewhere (a foundation in an unrelated page), but the passages on the question do not."""
    joined = fold(" ".join(texts))
    # a passage word with the same start mentions it: "German" for "germany"
    return [
        w for w in named_places(question) if not re.search(rf"\b{re.escape(w[: max(4, len(w) - 2)])}", joined)
    ]


def unmentioned_regions(question: str, texts: list[str]) -> list[str]:
    """Countries, states and cities the question asks "in" (`retriever.places`) that none of the
    retrieved passages mentions, as an answer writes them: "is lupus more common in california" is
    not answered by who gets lupus in general (session 41)."""
    joined = fold(" ".join(texts))  # lower case, as `places` reads text
    return [display(p) for p in places_named(_plain(question)) if not mentioned(p, joined)]


def _stem(word: str) -> str:
    from index.bm25 import _stemmer

    return str(_stemmer().stemWord(word))


@dataclass(frozen=True)
class _Known:
    """A vocabulary's stems and its words by first letter, built once per vocabulary."""

    vocabulary: dict[str, int]
    stems: frozenset[str]
    by_letter: dict[str, list[str]]


_KNOWN: dict[int, _Known] = {}


def _known(vocabulary: dict[str, int]) -> _Known:
    from index.bm25 import _stemmer

    found = _KNOWN.get(id(vocabulary))
    if found is None or found.vocabulary is not vocabulary:  # a new index, or a re-ingested one
        by_letter: dict[str, list[str]] = {}
        for w in vocabulary:
            by_letter.setdefault(w[:1], []).append(w)
        found = _Known(vocabulary, frozenset(_stemmer().stemWords(list(vocabulary))), by_letter)
        if len(_KNOWN) >= 8:
            _KNOWN.clear()
        _KNOWN[id(vocabulary)] = found
    return found


# MedQuAD's headings ask "What is (are) Multiple Sclerosis ?"; an article asks "What is multiple sclerosis?"
_ARE = re.compile(r"\s*\((are|is)\)", re.IGNORECASE)


# a PubMed abstract's section label (OBJECTIVES, PATIENTS AND METHODS, …): a refusal listed
# "OBJECTIVES; METHODS; What is Psoriasis" as what the sources cover (session 31); its title says it
_ABSTRACT_LABEL = re.compile(r"^[A-Z][A-Z ,&/-]{2,}$")


# "can lupus affect your eyes", "does ms cause memory problems": the effect asked about follows the verb
EFFECT_QUESTION = re.compile(
    r"^\W*(?:can|could|does|do|will|would)\s+(?P<subject>.+?)\s+(?:cause|causes|affect|affects|give|gives|"
    r"lead to|leads to|trigger|triggers|damage|damages|harm|hurt|attack|attacks|turn into|become)\s+"
    r"(?:you |your |the |a |an |my |people'?s? )?(?P<effect>[^?.!,;]+?)\s*(?:[?.!,;].*)?$",
    re.IGNORECASE,
)
# words too vague to be the effect asked about ("does ms cause problems")
EFFECT_VAGUE = frozenset(
    {"problem", "issue", "thing", "body", "people", "person", "someone", "anything", "other"}
)


def asked_effect(question: str) -> tuple[str, str] | None:
    """A "can X cause / affect Y" question's X and Y, Y ending where a second question starts ("does
    lupus cause hair loss and is it permanent"); None for other questions."""
    match = EFFECT_QUESTION.match(own_words(question))
    if not match:
        return None
    said = re.split(
        r"\s+and\s+(?:is|are|does|do|can|could|how|what|whats|why|will|when)\b", match.group("effect")
    )[0]
    return match.group("subject"), said


# an effect's plain words and the words sources use for it: "can ms cause tiredness" is answered by fatigue
_SAME_EFFECT = {
    "tired": "fatigu|exhaust|letharg|drows",
    "exhaust": "fatigu|tired",
    "fatigu": "tired|exhaust",
    "sleep": "drows|insomn",
    "itch": "prurit",
    "dizz": "vertigo|lighthead|faint",
    "ache": "pain",
    "achy": "pain|ache",
    "sore": "pain",
    "vomit": "nause|sick",
    "puke": "nause|vomit",
    "throw": "nause|vomit",
    "nause": "vomit|sick",
    "belly": "abdom|stomach",
    "tummy": "abdom|stomach",
    "stomach": "abdom|belly|digest|bowel",
    "kidney": "renal|nephr",
    "heart": "cardi",
    "lung": "pulmon|respirat|breath",
    "brain": "neuro|cerebr|cognit",
    "memor": "cognit|think|concentrat",
    "liver": "hepat",
    "skin": "cutane|rash|derm",
    "eye": "ocul|vision|uveit",
    "mood": "depress|anxi|emotion",
    "depress": "mood|anxi",
    "sad": "depress|mood",
    "bone": "osteo",
    "teeth": "dental|cavit|tooth",
    "tooth": "dental|cavit|teeth",
    "hair": "alopec",
    "bald": "alopec|hair",
    "bleed": "hemorr|haemorr|blood",
    "bruis": "purpur|bleed",
    "breath": "dyspn|respirat|lung",
    "swell": "swoll|edema|oedema",
    "swoll": "swell|edema|oedema",
    "numb": "tingl|paresth|neuropath",
    "pee": "urin|bladder",
    "period": "menstru",
    "pregnan": "fertil|miscarr",
    "blind": "vision|eye",
    "deaf": "hearing",
}
_EFFECT_WORDS = frozenset(
    {
        "trouble",
        "difficulty",
        "bad",
        "worse",
        "serious",
        "feel",
        "feeling",
        "need",
        "needing",
        "use",
        "using",
        "end",
    }
)
# a harm people get after, from or on a treatment: "do people get infections after car t", "will i get
# a rash from rituximab" (session 45); only harms, so "do people get better after car t" is no effect
_HARM_GOT = (
    r"(?:infections?|sick|ill|rash(?:es)?|fevers?|nausea|nauseous|headaches?|seizures?|cancers?|blood clots?"
    r"|hair loss|weight gain|shingles|pneumonia|colds?|flu|diarrh\w+|sores|(?:allergic |infusion )?reactions?"
    r"|low blood counts?|brain fog|memory (?:problems?|loss)|confusion|tired|fatigue)"
)
# the same kind of question in other words: "does ivig for cidp mess up your sleep", "what percent of ppl
# with polymyositis end up in a wheelchair" (session 39)
_OTHER_EFFECT_FORMS = (
    # "can ms make you blind", "can lupus make you infertile" (session 45)
    re.compile(
        r"^\W*(?:can|could|does|do|will|would)\s+(?P<subject>.+?)\s+(?:make|makes|leave|leaves|turn|turns)\s+(?:you|u|me"
        r"|people|someone|a person|them|him|her|patients)\s+(?:go\s+|become\s+)?(?P<effect>blind|deaf|infertile|sterile"
        r"|bald|forgetful)\s*(?:[?.!,;].*)?$",
        re.IGNORECASE,
    ),
    re.compile(
        r"^\W*(?:do|does|will|would|can|could|did|might|may)\s+(?:you|u|i|we|people|ppl|patients|someone|anyone"
        r"|most people|kids|children|a person|my \w+)\s+(?:get|catch|develop|end up with|end up getting)\s+"
        rf"(?P<effect>(?:(?:an?|more|lots of|bad|serious|any|really|a lot of|the)\s+)*{_HARM_GOT})\s+"
        r"(?:after|from|on|with|while on|while taking|when on|when taking|because of|during)\s+(?:the |a |an |your |my )?"
        r"(?P<subject>[^?.!,;]+?)\s*(?:[?.!,;].*)?$",
        re.IGNORECASE,
    ),
    re.compile(
        r"^\W*(?:can|could|does|do|will|would)\s+(?P<subject>.+?)\s+(?:mess up|mess with|interfere with|disturb"
        r"|ruin|wreck|worsen)\s+(?:you |your |the |a |an |my )?(?P<effect>[^?.!,;]+?)\s*(?:[?.!,;].*)?$",
        re.IGNORECASE,
    ),
    re.compile(
        r"^\W*(?:what|how many|how much)\b.{0,30}?\b(?:percent|percentage|%|proportion|fraction|number|many)\b.*?"
        r"\b(?:people|ppl|patients|persons|kids|children|women|men|folks|those|adults)\s+(?:with|who have|on|taking)"
        r"\s+(?P<subject>.+?)\s+(?:end up|ends up|wind up|go on to|goes on to|develop|develops|become|becomes"
        r"|have to)\s+(?:in |on |with |a |an |the |to )*(?P<effect>[^?.!,;]+?)\s*(?:[?.!,;].*)?$",
        re.IGNORECASE,
    ),
)


def effect_asked(question: str) -> tuple[str, str] | None:
    """A "can X cause / affect Y" question's X and Y in any of its forms (`asked_effect`,
    `_OTHER_EFFECT_FORMS`); None for other questions."""
    asked = asked_effect(question)
    for form in _OTHER_EFFECT_FORMS if asked is None else ():
        match = form.match(own_words(question))
        if match:
            return match.group("subject"), match.group("effect")
    return asked


def _effect_words(said: str, subject: str) -> set[str]:
    """The words of an effect asked about that name it (not "trouble", "bad", nor the subject's)."""
    return content_terms(said) - content_terms(subject) - EFFECT_VAGUE - _EFFECT_WORDS


def _effect_pattern(words: set[str]) -> re.Pattern[str]:
    """What names any of an effect's words in folded text: each word's start, or a word sources use
    for it (`_SAME_EFFECT`: "fatigue" for tiredness)."""
    names = []
    for word in sorted(words):
        stem = word[: max(4, len(word) - 3)]
        names.append(re.escape(stem))
        same = next(
            (alt for plain, alt in _SAME_EFFECT.items() if stem.startswith(plain) or plain.startswith(stem)),
            "",
        )
        names += [same] if same else []
    return re.compile(rf"\b({'|'.join(names)})", re.IGNORECASE)


def _word_named(word: str) -> re.Pattern[str]:
    """What names one word of an effect in folded text: its start as far as its stem goes ("bruis" for
    bruising, "liver" for liver, not "live"), or a word sources use for it (`_SAME_EFFECT`)."""
    start = os.path.commonprefix([word, _stem(word)])
    start = start if len(start) >= 3 else word
    same = next(
        (alt for plain, alt in _SAME_EFFECT.items() if start.startswith(plain) or plain.startswith(start)), ""
    )
    return re.compile(rf"\b({re.escape(start)}{'|' + same if same else ''})", re.IGNORECASE)


def disease_effect(question: str) -> tuple[frozenset[str], list[re.Pattern[str]]] | None:
    """What a "can X cause / affect Y" question asks of a disease X: X's diseases and one pattern per
    word of Y (`_word_named`); None when X is no disease the tables know, Y is a disease or a
    treatment's harm is asked. "can lupus affect your eyes", "can ms ruin your eyesight"."""
    asked = effect_asked(question)
    if asked is None or asked_harm(question) is not None:
        return None
    subject, said = asked
    diseases = diseases_named(subject)
    words = _effect_words(said, subject)
    if not diseases or diseases_named(said) or not words:
        return None
    return diseases, [_word_named(word) for word in sorted(words)]


def unnamed_effect(question: str, texts: list[str]) -> str:
    """The effect a "can X cause / affect Y" question asks about, as typed, when none of `texts` names
    any of its words (as a word's start, or a plain word's source word: "fatigue" for "tiredness");
    "" otherwise, or when Y is a disease ("does smoking cause ra" asks about a cause). "does addisons
    disease cause insomnia or trouble sleeping" had got the causes of Addison disease, "can ms cause
    hiccups" MS's symptoms (session 39)."""
    asked = effect_asked(question)
    if asked is None or diseases_named(asked[1]):
        return ""
    subject, said = asked
    words = _effect_words(said, subject)
    if not words or _effect_pattern(words).search(fold(" ".join(texts))):
        return ""
    # as typed, less a leading "needing" or a trailing "after": "none of the passages mentions a wheelchair"
    said = re.sub(r"^(?:needing|need|using|use|having|getting)\s+", "", said.strip(), flags=re.IGNORECASE)
    return re.sub(r"(?:\s+(?:after|afterwards|later|too|also|now|anymore))+$", "", said, flags=re.IGNORECASE)


def statement_units(text: str) -> list[str]:
    """A text's sentences, each list kept whole with the sentence that leads into it ("Side effects of
    prednisone may include" and its items are one unit)."""
    units: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        if units and LIST_MARKER.match(paragraph):
            units[-1] = f"{units[-1]}\n{paragraph}"
        else:
            units += [paragraph[start:end] for start, end in split_sentences(paragraph)]
    return units


# words of an effect that name too much on their own: "blood clots" is not answered by a sentence on IVIG
# and the blood
_HARM_GENERIC = frozenset(
    "blood gain loss damage lot really fall long term level count body high low".split()  # noqa: SIM905 - a word list
)


def asked_harm(question: str) -> tuple[str, list[re.Pattern[str]], re.Pattern[str]] | None:
    """What a "can X cause / affect Y" question asks of a treatment the tables name: Y as typed, the
    patterns naming X (or its kind), and the pattern naming Y (its disease, or its words:
    `_effect_pattern`); None for other questions."""
    asked = effect_asked(question)
    if asked is None:
        return None
    subject, said = asked
    named = treatments_named(subject)
    if not named:
        return None
    diseases = diseases_named(said)
    if diseases:
        effect = re.compile("|".join(f"(?:{DISEASES[d].pattern})" for d in sorted(diseases)), re.IGNORECASE)
    else:
        words = _effect_words(said, subject)
        if not words:
            return None
        effect = _effect_pattern(words - _HARM_GENERIC or words)
    return said, treatment_patterns(subject), effect


# a sentence saying something is a harm: "Side effects of corticosteroids include … infections", not
# "These may include - Steroids … - Antibiotics to treat associated infections" (session 45)
SAYS_HARM = re.compile(
    r"\b(side[- ]?effects?|adverse|risks?|chances?|toxic\w*|harm\w*|dangers?|complications?|(can|may|might|could"
    r"|to|will|often|also|sometimes) (cause|lead to|raise|increase|bring|trigger|result in|make)|causes?d?|caused by"
    r"|leads? to|linked to|associated with|raises?|increases?|weakens?|damages?|worsens?|triggers?)\b",
    re.IGNORECASE,
)


def names_harm(harm: tuple[str, list[re.Pattern[str]], re.Pattern[str]], unit: str) -> bool:
    """Does the sentence (or list with its lead-in) name the treatment and the effect of `asked_harm`,
    and say it is a harm (`SAYS_HARM`)?"""
    return any(p.search(unit) for p in harm[1]) and all(p.search(fold(unit)) for p in _harm_words(harm))


def _harm_words(harm: tuple[str, list[re.Pattern[str]], re.Pattern[str]]) -> list[re.Pattern[str]]:
    """What a sentence naming the treatment of `asked_harm` must also say: the effect, as a harm."""
    return [harm[2], SAYS_HARM]


def unpaired_harm(question: str, texts: list[str]) -> str:
    """The effect a "can X cause Y" question asks of a treatment X (`asked_harm`), with X as typed,
    when no sentence of `texts` names both ("infections from car t"); "" otherwise. "can car t cause
    infections" got "Myositis can be caused by an injury, an infection or an autoimmune disease.", "does
    ivig cause blood clots" how clots form in TTP (session 43): the sources say nothing of either."""
    harm = asked_harm(question)
    if harm is None:
        return ""
    if _named_together(texts, harm[1], _harm_words(harm)):  # `names_harm` of any unit
        return ""
    said = re.sub(r"^(?:a|an|the|any|more|bad|serious|really)\s+", "", harm[0].strip(), flags=re.IGNORECASE)
    said = _HARM_NOUN.get(said.lower(), said)  # "tiredness from prednisone", not "tired from …"
    return f"{said} from {_as_named(question)}"


_HARM_NOUN = {"tired": "tiredness", "sick": "feeling sick", "ill": "feeling ill", "nauseous": "nausea"}


# "can you take ibuprofen with prednisone", "is it safe to take rituximab while pregnant", "does plaquenil
# interact with other meds", "does methotrexate interfere with birth control": a named medicine taken
# with another thing, or in pregnancy (session 44)
_TAKEN_WITH = (
    re.compile(
        r"^\W*(?:(?:can|could|should|may)\s+(?:you|u|people|someone|one|patients|a person|women)\s+|is it (?:ok|okay"
        r"|safe|alright|fine|bad|dangerous) to\s+)(?:take|use|mix|combine|be on|get|have)\s+(?P<subject>.+?)\s+"
        r"(?:with|and|while|together with|alongside|on top of|plus|during)\s+(?:you are |you're |being |on |taking "
        r"|having )?(?P<other>[^?.!,;]+?)\s*(?:[?.!,;].*)?$",
        re.IGNORECASE,
    ),
    re.compile(
        r"^\W*(?:does|do|can|could|will|would|is|are)\s+(?P<subject>.+?)\s+(?:interact|interfere|clash|mix)\w*\s+"
        r"(?:badly\s+)?with\s+(?:your |my |the |a |an |any )?(?P<other>[^?.!,;]+?)\s*(?:[?.!,;].*)?$",
        re.IGNORECASE,
    ),
)
_TOGETHER = re.compile(r"\s+(together|at the same time|at once|as well)\s*$", re.IGNORECASE)
_PREGNANCY_ASK = next(a for a in ASKS if a.name == "pregnancy")  # its words, asked and given
_ANY_MEDICINE = re.compile(
    r"^(?:other |any |my |your |some |certain )?(?:meds|medicines?|medications?|drugs?|pills?|prescriptions?"
    r"|anything( else)?)$",
    re.IGNORECASE,
)
_INTERACTION_NAMED = re.compile(
    r"\b(interact\w*|interfer\w*|together with|combin\w*|along with)", re.IGNORECASE
)


def taken_with(question: str) -> tuple[str, str, list[re.Pattern[str]], list[re.Pattern[str]]] | None:
    """What a question asking whether a named medicine can be taken with something, or in pregnancy,
    asks (`_TAKEN_WITH`): the medicine as typed, the other thing as typed, the patterns naming the
    medicine (or its kind), and the patterns a sentence must also all name (the other medicine, the
    words for pregnancy, for interacting, or each word of the other thing); None for other questions."""
    own = own_words(question)
    match = next((m for form in _TAKEN_WITH if (m := form.match(own))), None)
    if match is None:
        return None
    subject, other = match.group("subject"), _TOGETHER.sub("", match.group("other")).strip()
    if not treatment_patterns(subject):  # "can you take ibuprofen with prednisone": the one the tables know
        subject, other = other, subject
    medicine = treatment_patterns(subject)
    if not medicine:
        return None
    if _PREGNANCY_ASK.question.search(other):
        wanted = [_PREGNANCY_ASK.evidence]
    elif treatments_named(other):
        wanted = [re.compile("|".join(p.pattern for p in treatment_patterns(other)), re.IGNORECASE)]
    elif _ANY_MEDICINE.match(other):
        wanted = [_INTERACTION_NAMED]
    else:
        words = content_terms(other) - EFFECT_VAGUE
        if not words:
            return None
        wanted = [_word_named(w) for w in sorted(words)]
    return subject, other, medicine, wanted


def untold_combination(question: str, texts: list[str]) -> str:
    """What a question of `taken_with` asks, said for the not-covered line ("taking ibuprofen with
    prednisone", "rituximab in pregnancy"), when no sentence (or list with its lead-in) of `texts`
    names the medicine and all the rest; "" otherwise. "can you take ibuprofen with prednisone" got
    how long people take prednisone, "does methotrexate interfere with birth control" a placebo-
    controlled trial's nausea, "does plaquenil interact with other meds" what hydroxychloroquine is."""
    asked = taken_with(question)
    if asked is None:
        return ""
    subject, other, medicine, wanted = asked
    if _BODY_PART.search(other):  # "does hydroxychloroquine interfere with your eyes" asks a harm
        return ""
    if _named_together(texts, medicine, wanted):
        return ""
    named = _as_named(subject) or subject
    if _PREGNANCY_ASK.question.search(other):
        return f"{named} in pregnancy"
    return f"taking {named} with {_as_named(other) or other}"


_BODY_PART = re.compile(
    r"^(?:your |my |the |his |her |their )?(?:eyes?|eyesight|vision|memory|brain|mood|sleep|heart|liver|kidneys?"
    r"|nerves?|skin|hair|bones?|teeth|stomach|lungs?|thinking|periods?|fertility)$",
    re.IGNORECASE,
)


def _named_together(texts: list[str], names: list[re.Pattern[str]], wanted: list[re.Pattern[str]]) -> bool:
    """Does one sentence (or list with its lead-in: `statement_units`) of `texts` name one of `names`
    and, in its folded text, every one of `wanted`?"""
    for text in texts:
        for unit in statement_units(text):
            if any(p.search(unit) for p in names) and all(p.search(fold(unit)) for p in wanted):
                return True
    return False


# "can you exercise after car t", "is it safe to swim after rituximab": something done after a named
# treatment (session 44); stopping medicines, pregnancy, a relapse or a cure have their own asks
_DONE_AFTER = re.compile(
    r"^\W*(?:(?:can|could|should|may)\s+(?:you|u|i|people|someone|one|patients|a person|we)\s+|is it (?:ok|okay"
    r"|safe|alright|fine|bad|dangerous) to\s+|(?:when|how soon) (?:can|could|should) (?:you|u|i|people|someone"
    r"|patients|a person)\s+)(?P<activity>[\w' -]+?)\s+(?:right |straight |soon |too soon )?after\s+(?:getting |having "
    r"|receiving |a |an |the |your |my |their )*(?P<subject>[^?.!,;]+?)\s*(?:[?.!,;].*)?$",
    re.IGNORECASE,
)
_OWN_ASKS_AFTER = re.compile(
    r"\b(stop\w*|quit\w*|come off|get off|go off|taper\w*|wean\w*|pregnan\w*|baby|babies|conceiv\w*|children|kids"
    r"|relapse\w*|flare\w*|come back|cured?|live|die|work|working|job|school|drive|driving|travel\w*|fly|flying"
    r"|still|need|take|taking|medicines?|meds|drugs?|again|back)\b",
    re.IGNORECASE,
)


def untold_activity(question: str, texts: list[str]) -> str:
    """What a "can you X after T" question asks, with T a treatment the tables know, said for the
    not-covered line ("whether people can exercise after CAR-T"), when no sentence of `texts` names T (or its kind) and
    each word of X; "" otherwise. "can you exercise after car t" got how CAR T cells multiply."""
    match = _DONE_AFTER.match(own_words(question))
    if (
        match is None
        or _OWN_ASKS_AFTER.search(match.group("activity"))
        or diseases_named(match.group("activity"))
    ):
        return ""
    subject = match.group("subject")
    treatment = treatment_patterns(subject)
    words = content_terms(match.group("activity")) - EFFECT_VAGUE - {"go", "get", "have", "be", "do", "start"}
    if not treatment or not words:
        return ""
    if _named_together(texts, treatment, [_word_named(w) for w in sorted(words)]):
        return ""
    return f"whether people can {match.group('activity').strip()} after {_as_named(subject) or subject}"


def _as_named(question: str) -> str:
    """The first treatment a question names, as the tables name it ("CAR-T" for "car t", "IVIG" for
    "ivig") or, for a medicine named in other words, as typed ("steroids", "plaquenil")."""
    for name, pattern in _BY_NAME.items():
        typed = pattern.search(question)
        if typed is None:
            continue
        same = re.sub(r"\W", "", typed.group(0)).lower() == re.sub(r"\W", "", name).lower()
        return name if name in TREATMENTS or same else typed.group(0)
    return ""


# "does stress make itp worse", "does heat make ms worse": what may set off or worsen a disease
_WORSENS = re.compile(
    r"^\W*(?:can|could|does|do|will|would)\s+(?P<subject>.+?)\s+(?:make|makes)\s+(?:you |your |the |a |an |my |his "
    r"|her |their )?(?P<effect>[^?.!,;]+?)\s+(?:worse|flare|flare up|flares|act up)\b",
    re.IGNORECASE,
)
# "does turmeric help lupus", "can fish oil help ra": a remedy the tables do not know, asked to help
_HELPS = re.compile(
    r"^\W*(?:can|could|does|do|will|would|is|are)\s+(?P<subject>.+?)\s+(?:help|helps|help with|good for|treat"
    r"|cure|work for|improve|ease|relieve)\s+(?:you |your |my |the |a |an )?(?P<effect>[^?.!,;]+?)\s*(?:[?.!,;].*)?$",
    re.IGNORECASE,
)
# words of "X" that name no trigger ("does eating too much sugar …")
_NOT_TRIGGERS = frozenset(
    """eating drinking having getting being doing taking too lots lot certain kind kinds type types
    little bit cutting cut out quitting quit stopping stop losing lose avoiding avoid using adding starting
    trying going more less extra free""".split()  # noqa: SIM905 - a word list reads best as words
)
# a trigger's plain words and the words sources use for it (word starts): "viral infections" for a virus
_SAME_TRIGGER = {
    "virus": "viral",
    "sun": r"sunlight|ultraviolet|uv\b",
    "food": "diet|eat|nutrition",
    "smok": "cigarette|tobacco",
    "drink": "alcohol",
    "alcohol": "drink",
    "medicin": "drug|medication",
    "drug": "medicin|medication",
    "weather": "cold|heat|humid|temperature|climate",
    "hot": "heat|temperature",
    "heat": r"hot\b|temperature",
    "vaccin": "immuniz|immunis",
}


def asked_trigger(question: str) -> tuple[str, frozenset[str]] | None:
    """What a question asks may set off or worsen a disease, and the diseases it names: ("stress",
    {"itp"}) for "can stress make itp worse", ("gluten", {"lupus"}) for "does gluten cause lupus";
    None when X names a disease or a treatment (their effects are other asks) or Y is not a disease
    or its flares."""
    own = own_words(question)
    match = _WORSENS.match(own) or _HELPS.match(own)
    asked = (match.group("subject"), match.group("effect")) if match else asked_effect(question)
    if asked is None:
        return None
    subject, effect = asked
    if not (diseases_named(effect) or re.search(r"\bflares?\b", effect, re.IGNORECASE)):
        return None
    if diseases_named(subject) or any(p.search(subject) for p in _TREATED):
        return None
    return subject, diseases_named(question)


def trigger_words(subject: str) -> re.Pattern[str] | None:
    """What names the X of `asked_trigger` in lower-cased, accent-folded text: each of its words' start
    (the word and its stem share it: "smok" for smoking) or a word sources use for it ("sunlight" for
    sun, "viral" for virus); None when X has no word to look for ("does eating too much …")."""
    names = []
    for word in re.findall(r"[a-z]+", fold(subject)):
        if word in STOPWORDS or word in _NOT_TRIGGERS or len(word) < 3:
            continue
        start = os.path.commonprefix([word, _stem(word)])
        if len(start) >= 3:
            names.append(re.escape(start))
            names += [alt for plain, alt in _SAME_TRIGGER.items() if start.startswith(plain)]
    return re.compile(rf"\b({'|'.join(names)})") if names else None


def unnamed_trigger(question: str, texts: list[str]) -> str:
    """The X of "does X make Y worse" / "can X cause Y" (`asked_trigger`) when no text naming the
    question's disease names it (`trigger_words`); "" otherwise. "can stress make itp worse" got three
    sentences on what ITP is, "does dairy make psoriasis worse" what psoriasis is, "does gluten cause
    lupus" other diseases seen with lupus (session 42): none of the passages on the disease says
    anything of stress, dairy or gluten."""
    asked = asked_trigger(question)
    named = trigger_words(asked[0]) if asked else None
    if asked is None or named is None:
        return ""
    subject, diseases = asked
    about = [t for t in texts if diseases & diseases_named(t)] if diseases else texts
    if named.search(fold(" ".join(about))):
        return ""
    return re.sub(
        r"^(?:the|a|an|too much|lots of|eating|drinking|having|getting)\s+", "", subject.strip(), flags=re.I
    )


# "how many car t cells do they give you": a count asked for
ASKS_COUNT = re.compile(r"\bhow many\b", re.IGNORECASE)
# "one" as a number: not the "one" of "no one can call it a cure", "one of the options", "one by one"
ONE_AS_A_NUMBER = (
    r"(?<!\bno )(?<!\bany )(?<!\bevery )(?<!\beach )(?<!\bthe )(?<!\bthis )(?<!\bthat )(?<!\bwhich )(?<!\bsome )"
    r"(?<!\bby )(?<!-)\bone\b(?! of (?:the|these|those|them|its|their)\b)(?! another\b)(?! by one\b)(?!-by-one)"
)
# what gives a count, or says how many in words ("most", "rare")
_COUNT_GIVEN = re.compile(
    r"\d|\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundreds?"
    r"|thousands?|millions?|billions?|dozens?|twice|half|percent|most|majority|minority|rare|rarely)\b|"
    + ONE_AS_A_NUMBER,
    re.IGNORECASE,
)


# words that end what a "how many" question counts: "how many car t trials are there for ms"
_COUNT_ENDS = frozenset(
    """of in for with do does did are is were was have has had get gets got can could will would should
    before after per a an the it they you i u to from at on each every more less fewer than""".split()  # noqa: SIM905 - a word list reads best as words
)
# counts of people: any population figure counts ("1.3 million adults" for "how many patients")
_PEOPLE = frozenset(
    """people ppl persons patients adults kids children women men americans babies infants folks
    individuals cases girls boys teens teenagers sufferers survivors participants subjects volunteers
    users""".split()  # noqa: SIM905 - a word list reads best as words
)
# words ending in "s" that name nothing counted ("how many patients has it helped")
_NOT_PLURAL = frozenset({"is", "was", "has", "does", "this", "its", "us", "yes", "as", "thus", "always"})
# a time in any unit ("almost four years" for "how many months did they stay in remission")
_TIMES = ("minut", "hour", "day", "week", "month", "year")
# what a source may call the counted thing instead (stems): "studies" for trials, "centers" for hospitals
# medicines by any name ("more than 80 drugs" for "how many medicines can cause lupus")
_MEDICINES = ("drug", "medicin", "medic", "med")
_COUNTED_ALSO = {
    "trial": ("studi", "study"),
    "hospit": ("center", "centr", "clinic"),
    "kind": ("type", "form"),
    **{unit: _TIMES for unit in _TIMES},
    **{name: _MEDICINES for name in _MEDICINES},
}


def _count_words(question: str) -> list[str]:
    """The first three words after "how many", up to a comma or a stop ([] for no "how many")."""
    found = re.search(r"\bhow many\b([^,.;:?!()]*)", own_words(question), re.IGNORECASE)
    return re.findall(r"[a-z][\w'-]*", found.group(1).lower())[:3] if found else []


def counted(question: str) -> str:
    """The stem of what a "how many" question counts when it is not people: "trial" for "how many car t
    trials are there for ms" (the plural word of its first three, before "of / in / do / are …" or a
    comma), "" for "how many ppl have lupus", "how many patients developed AVN, and …", "how many die"
    or a question asking no count."""
    head = ""
    for word in _count_words(question):
        if word in _COUNT_ENDS:
            break
        if word in _PEOPLE:
            return ""
        if word.endswith("s") and word not in _NOT_PLURAL:  # "how many" counts a plural
            head = word
    return _stem(head) if head else ""


def counts_people(question: str) -> bool:
    """Does a "how many" question count people: "how many lupus patients got car t", "how many ppl were
    in the german study" (a people word among the three words `counted` reads), not "how many die"?"""
    for word in _count_words(question):
        if word in _COUNT_ENDS:
            return False
        if word in _PEOPLE:
            return True
    return False


def count_not_given(question: str, quotes: list[str]) -> bool:
    """Does a "how many" question's answer quote no count, or (counting a thing, not people) no count in
    a sentence naming that thing? "how many car t cells do they give you" got "The changed cells are
    now called chimeric antigen receptor (CAR) T cells." and two steps of making them (session 41);
    "how many ivig infusions does it take before stiff person syndrome gets better" got "SPS affects
    twice as many women as men." (session 42): the sources do not say, and the answer should say so."""
    if not quotes or not ASKS_COUNT.search(own_words(question)):
        return False
    counts = [q for q in quotes if _COUNT_GIVEN.search(q)]
    thing = counted(question)
    if thing and counts:
        names = [
            re.compile(r"\b" + re.escape(s), re.IGNORECASE) for s in (thing, *_COUNTED_ALSO.get(thing, ()))
        ]
        counts = [q for q in counts if any(n.search(q) for n in names)]
    return not counts


# "who led the car t lupus study", "what is the name of the german doctor who did car t for lupus": a
# person asked for (not who treats or who gets a disease: a specialist or a group of people answers)
ASKS_PERSON = re.compile(
    r"^\W*who (led|ran|did|conducted|carried out|performed|wrote|discovered|invented|developed|created"
    r"|came up with|started|founded|first (used|tried|gave|treated))\b"
    r"|\bname of the (\w+ ){0,2}(doctor|dr|researcher|scientist|person|team|lead\w*)\b"
    r"|\bwhich (doctor|dr|researcher|scientist|team) (led|ran|did|conducted|discovered|invented|developed)\b",
    re.IGNORECASE,
)
# a person written by name: "Fabian Müller", "Anca Askanase", "Dr. Smith" (a second word no English list
# has, so not "Columbia University" nor "German Study")
_PERSON = re.compile(r"\b(?:Dr|Prof|Professor)\.?\s+[A-Z]|\b[A-Z][\w'’-]+\s+(?P<surname>[A-Z][\w'’-]+)")


def person_not_named(question: str, quotes: list[str]) -> bool:
    """Does a question asking for a person (`ASKS_PERSON`) get an answer naming none? "who led the car t
    lupus study" got three sentences on the German study, which names no one who led it (session 41)."""
    if not quotes or not ASKS_PERSON.search(own_words(question)):
        return False
    english = english_words()
    for quote in quotes:
        for match in _PERSON.finditer(quote):
            surname = match.group("surname")
            if surname is None or surname.lower() not in english:
                return False
    return True


# "how much does teclistamab cost", "what is the price of car t": an amount of money asked for (not "is
# car t expensive", which "BiTEs are cheap" or "very expensive" answers)
ASKS_PRICE = re.compile(
    r"\bhow much (do|does|is|are|would|will|did|could|can) .{0,40}\b(cost|costs|charge|run|set .{0,10} back)\b"
    r"|\bwhat (do|does|did|would|will) .{0,40}\bcost\b|\b(the )?(price|cost) (of|for|per)\b",
    re.IGNORECASE,
)
_COST = next(ask for ask in ASKS if ask.name == "cost")


def price_not_given(question: str, quotes: list[str]) -> bool:
    """Does a question asking what a treatment costs get no word of price or cost (`ASKS` "cost") in a
    sentence naming that treatment or its kind (any such sentence, when it names none)? "how much does
    teclistamab cost" got "Teclistamab is one BiTE." and CAR-T's $500,000 (session 42): the sources
    give no price for it ("how much do bites cost" is answered by "BiTEs are cheap")."""
    if not quotes or not ASKS_PRICE.search(own_words(question)):
        return False
    named = paired_subjects(_COST, question, kin=True)
    return not any(
        _COST.evidence.search(q) and (not named or any(p.search(q) for p in named)) for q in quotes
    )


# "what dose of diazepam do they usually give", "how much prednisone do they give for a flare": an
# amount of a medicine asked for
ASKS_DOSE = re.compile(
    r"\b(what|which) (is the )?(usual |normal |typical |starting )?(doses?|dosages?)\b|\bdoses? of\b"
    r"|\bhow much (\w+ ){1,3}(do|does|would|will|should|is|are) (they|you|doctors?|people|patients|kids|children"
    r"|someone) (usually |normally |typically )?(give|take|prescribe|get|need|use)\b",
    re.IGNORECASE,
)
# an amount with its unit: "1 mg/kg", "20 mg weekly", "1 million CAR T cells per kilogram"
DOSE_GIVEN = re.compile(
    r"\b\d[\d.,]*\s*(mg|milligrams?|mcg|micrograms?|g|grams?|units?|ml|iu)\b|/kg\b|\bper kilogram\b",
    re.IGNORECASE,
)


def dose_not_given(question: str, quotes: list[str]) -> bool:
    """Does a question asking a medicine's amount get no amount with its unit? "what dose of diazapam do
    they usually give for stiff person syndrome" (rd-048) got "People with SPS respond to high doses of
    diazepam …" (session 42): the sources give no dose."""
    return (
        bool(quotes)
        and bool(ASKS_DOSE.search(own_words(question)))
        and not any(DOSE_GIVEN.search(q) for q in quotes)
    )


# "how often do people get bad headaches from ivig", "how often does nausea happen": how often a harm or
# an event comes, and what comes
ASKS_RATE = (
    re.compile(
        r"\bhow often (do|does|did|will|would|can) (people|ppl|patients|someone|you|u|kids|children|women|men|adults"
        r"|they)( with [\w' -]+?)? (get|have|develop|experience|suffer from|end up with) (?P<what>[\w' -]+?)"
        r"(?= (from|after|on|with|while|when|during|if|because)\b|\s*[?.!,]|\s*$)",
        re.IGNORECASE,
    ),
    re.compile(
        r"\bhow often (does|do|is|are|will) (?P<what>[\w' -]+?) (happen|occur|come back|return|recur|show up|flare)\b",
        re.IGNORECASE,
    ),
)
# how often, in words or figures
_RATE_GIVEN = re.compile(
    _COUNT_GIVEN.pattern
    + r"|\b(often|common|commonly|uncommon|frequent|frequently|usually|sometimes|occasionally"
    r"|seldom|always|never|every)\b",
    re.IGNORECASE,
)


def rate_not_given(question: str, quotes: list[str]) -> bool:
    """Does a question asking how often a harm or an event comes (`ASKS_RATE`) get no sentence saying how
    often that names it? "my husband gets ivig for his myasthenia gravis, how often do people get bad
    headaches from it" (rd-041) got the symptoms of myasthenia gravis (session 42)."""
    asked = own_words(question)
    match = next((m for form in ASKS_RATE if (m := form.search(asked))), None)
    if not quotes or match is None:
        return False
    words = content_terms(match.group("what")) - EFFECT_VAGUE - _EFFECT_WORDS - {"bad", "really", "very"}
    if not words:
        return False
    names = [re.compile(r"\b" + re.escape(w[: max(4, len(w) - 2)]), re.IGNORECASE) for w in words]
    return not any(_RATE_GIVEN.search(q) and any(n.search(q) for n in names) for q in quotes)


# "how long till b cells come back after car t", "how long does a lupus flare last": a length of time
# asked (not "how long ago", nor a life's length, a hospital stay or a recovery: their own asks)
ASKS_DURATION = re.compile(r"\bhow long\b(?! ago\b)", re.IGNORECASE)  # `extractive` lifts a time for it
_HOW_LONG_ELSEWHERE = re.compile(
    r"\bhow long\b.{0,40}\b(live|lives|living|hospital|hopsital|recover\w*|ago)\b", re.IGNORECASE
)
# any time said, however loosely: a unit of time, or a word for how long something lasts
_TIME_GIVEN = re.compile(  # "a fever that lasts longer than5days": a unit glued to its number counts
    r"(?<![a-z])(seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|lifelong|life-long|lifetime|chronic"
    r"|temporar\w*|permanent\w*|long-term|short-term|long term|short term|a long time|for life|overnight|daily"
    r"|quickly|rapidly|slowly|gradually|soon|briefly|until|ongoing|indefinitely|forever|time-limited)\b",
    re.IGNORECASE,
)


def duration_not_given(question: str, quotes: list[str]) -> bool:
    """Does a "how long" question get no sentence saying any length of time (`_TIME_GIVEN`)? "how long
    till b cells come back after car t" got "B cells do come back after CAR-T cell therapy." three ways,
    "how long do car t cells stay in your body" how they multiply (session 44): the sources give no time
    for either."""
    asked = own_words(question)
    if not quotes or not ASKS_DURATION.search(asked) or _HOW_LONG_ELSEWHERE.search(asked):
        return False
    return not any(_TIME_GIVEN.search(q) for q in quotes)


def answer_lacks(question: str, quotes: list[str]) -> str:
    """What the question asks for that the drafted answer's quotes do not give, as the not-covered line
    says it ("that number", "prices or costs", "the person's name"), else "": "how many car t cells do
    they give you" answered with how the cells are made, "how much does teclistamab cost" with CAR-T's
    price, "who led the car t lupus study" with what it found."""
    if count_not_given(question, quotes):
        return "that number"
    if price_not_given(question, quotes):
        return "prices or costs"
    if dose_not_given(question, quotes):
        return "doses"
    if rate_not_given(question, quotes):
        return "how often it happens"
    if duration_not_given(question, quotes):
        return (
            "how long it takes" if re.search(r"\btakes?\b", question, re.IGNORECASE) else "how long it lasts"
        )
    return "the person's name" if person_not_named(question, quotes) else ""


def covered_topics(evidence: list[Evidence], limit: int = 3, question: str = "") -> list[str]:
    """The section headings (or titles) of the best evidence: what the sources do say on the subject,
    each once ("What is (are) Multiple Sclerosis" and "What is multiple sclerosis" are one topic).
    When the question names treatments or diseases, only evidence naming one of them counts: refused
    "how long do you stay in hospital after car t", a page on diagnosing autoimmune hepatitis is no
    topic of it; a subject the tables do not know counts by the titles (`titled_subject`: asked about
    vitiligo, not "What causes Pemphigus vulgaris"). When no evidence names them, every piece counts."""
    subjects = [p for p in _NAMED if p.search(question)]
    about = [ev for ev in evidence if any(p.search(f"{ev.title} {ev.headings} {ev.text}") for p in subjects)]
    if not subjects:  # a subject the tables do not know: a question word that titles a passage ("vitiligo")
        named = titled_subject(question, [ev.title for ev in evidence])
        about = [ev for ev in evidence if named & content_terms(f"{ev.title} {ev.headings}")] if named else []
    topics: list[str] = []
    for ev in about or evidence:
        if ev.context:
            continue
        parts = [p.strip() for p in ev.headings.split(" > ") if p.strip()] or [ev.title]
        # a section's heading, else the title: "OBJECTIVES" says nothing of the topic
        heading = parts[-1] if len(parts) > 1 and not _ABSTRACT_LABEL.match(parts[-1]) else ev.title
        topic = _ARE.sub("", heading).strip().rstrip("?").strip()
        if topic and topic.lower() not in {t.lower() for t in topics}:
            topics.append(topic)
        if len(topics) == limit:
            break
    return topics
