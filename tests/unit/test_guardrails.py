"""The checks before retrieval, on many phrasings (rules only, no model: fast)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from retriever.guardrails import screen
from retriever.guardrails.dosing import is_dosing_text
from retriever.guardrails.emergency import detect_emergency
from retriever.guardrails.personal import depersonalise, detect_personal_advice
from retriever.guardrails.scope import ScopeVocabulary, judge_scope
from retriever.messages import emergency_text

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "eval" / "dev.jsonl"

EMERGENCIES = [
    "mum had car-t a week ago and in the last hour she has become confused and mumbling",
    # CAR-T neurotoxicity in patients' words (session 24)
    "i had car t 5 days ago and now i cant remember my address and my handwriting is weird",
    "my dad had car-t last week and his handwriting has gone shaky",
    "after her car t infusion she keeps getting her words all jumbled",
    "my blood pressure is 210/125 and i have a pounding headache, i have scleroderma",
    "nosebleed for an hour that won't stop, i have itp",
    "severe breathlessness during my infusion in the past five minutes",
    "my sister is hearing voices telling her to jump since the steroids",
    "ice score dropped to 3 on day 4 after car-t",
    "he had a focal seizure a minute ago, day 5 after car t",
    "the pills were on the table and now 4 tablets are gone, i think my toddler swallowed them",
    "on cellcept, temp 39.6 and shivering, i feel awful",
    "my skin is blistering and peeling since starting the new antibiotic with my methotrexate",
    "blood is pouring from my gums and nose, i have itp",
    "my 4 year old ate some of my azathioprine tablets, not sure how many",
    "im on cyclophosphamide and peeing blood with clots right now",
    "slipped on the ice and hit my head, im on warfarin and now throwing up",
    "sudden terrible pain in my stomach, its hard as a board",
    "my newborn has gone limp and is grey around the lips",
    "i cant do this anymore, i have all my pills in my hand",
    "two days out from car t, tonight temp 40 and shaking",
    "i swallowed about 20 of my sleeping pills and my prednisone",
    "my toddler got into my plaquenil and ate a handful of tablets",
    "my wife just collapsed, she had her car t infusion two days ago",
    "since the chemo yesterday im shivering with a fever and my blood pressure is 75/45",
    "he had car-t 5 days ago and just had a fit on the kitchen floor",
    # signs written the way people type them (session 13)
    "just had my first teclistamab shot and my face is puffy and i feel dizzy",
    "my son has lupus and has a fever of 40 and a stiff neck",
    "my daughter started a new lupus med and now she has a 104 fever and rash",
    "i coughed up blood this morning and i have lupus",
    "my legs suddenly went weak and i cant walk, i have ms",
    "i cant see out of one eye since this morning, vasculitis",
    "i have a really bad headache worst of my life and i have lupus",
    "im so dizzy i fell down twice after my infusion",
    "got hives all over and my tongue feels thick after rituxan",
    "fever and chills after teclistamab, 39.5",
    "swollen leg and chest pain on plane, i have antiphospholipid",
    "im 20 weeks pregnant with lupus and have a terrible headache and blurry vision",
    "I have lupus and right now I have crushing chest pain going into my left arm, what do I do",
    "got my rituximab infusion an hour ago and now i cant breathe properly and my throat feels tight",
    "my husband had car-t cells 5 days ago, now he has a fever of 40 and is confused and shaking",
    "i just passed out in the bathroom and hit my head, i'm on high dose prednisone",
    "honestly i dont want to be alive anymore, this lupus has taken everything from me",
    "I have myasthenia and my breathing keeps getting weaker and I can barely swallow",
    "i cant breath",
    "I can't breathe properly right now",
    "cant breathe after my infusion help",
    "my wife is struggling to breathe after her treatment today",
    "HELP my son can not breathe",
    "I am having chest pain right now",
    "my chest hurts really bad right now and i'm sweating",
    "I have sudden chest pain and my arm feels numb",
    "my dad has chest pain since an hour ago",
    "my mom fainted after her rituximab infusion",
    "my husband collapsed and won't wake up",
    "she is unresponsive after the infusion",
    "I keep fainting since this morning",
    "my throat is closing up after the infusion",
    "my lips are swelling and i have hives all over after the drip",
    "i think im having an anaphylactic reaction",
    "my daughter is having a seizure",
    "my husband had a seizure after car-t",
    "he got car-t last week and now he's confused and can't find his words",
    "my father had CAR-T two weeks ago and now he has a high fever",
    "I got CAR T cells 3 days ago and now I have a fever of 39.5",
    "high fever after my rituximab infusion yesterday, shaking with chills",
    "My patient who received CAR-T cells on Monday is confused and has a temperature of 40",
    "i want to kill myself",
    "i feel suicidal",
    "I've been thinking about ending my life",
    "i dont want to live anymore",
    "my sister says she wants to die",
    "i keep hurting myself",
    "i took all my pills at once",
    "my face is drooping on one side and my speech is slurred",
    "I think my husband is having a stroke",
    "I'm bleeding heavily and it won't stop",
    "i am coughing up blood",
    "my mum is vomiting blood",
    "worst headache of my life right now, I have lupus",
    "my lips are turning blue",
    "I have MG and I can't swallow my own spit",
    "my brething is getting worse and worse",
    "I cnt breathe",
    "my chset pain is crushing",
    "he is siezing",
    "i feel sucidal",
    "My husband is having trouble breathing after teclistamab",
    "my boyfriend just collapsed on the floor",
    "my baby had car-t and is burning up",
    "chest pain now",
    "my kid has a fever of 104 after his infusion",
    "I'm short of breath and dizzy right now",
    "my tongue is swollen after the injection",
    "I am at risk and I want to die",
    "my son is suicidal",
    "my kid has a fever of 104 and a rash after starting a new med",
]

NOT_EMERGENCIES = [
    "i cant remember what my doctor said about car t side effects",
    "is memory loss a side effect of car t",
    "my handwriting is messy, does lupus cause that",
    "she had a stroke last year and now her doctor wants her on aspirin, is that ok with her lupus meds",
    "my patient has a temp of 38.1 and a cough since yesterday, do we hold the rituximab",
    "why does blood pressure go up in a scleroderma renal crisis",
    "what is the ice score used for after car t",
    "i cant take this fatigue anymore, what helps lupus tiredness",
    "my toddler has a rash, could it be neonatal lupus",
    "why is cyclophosphamide linked to blood in the urine",
    "what is the worst pain of a lupus flare like",
    "what happens if someone takes too many plaquenil tablets",
    "i take 3 tablets of methotrexate once a week, is that the usual amount for ra",
    "my blood pressure is 130/85, is that high for someone with lupus nephritis",
    "i had a fit once as a teenager, does that matter for car t",
    "why does low blood pressure happen after car t",
    "my face is puffy from prednisone is that normal",
    "my face gets puffy on steroids",
    "can lupus cause a stiff neck",
    "does ms make you lose your vision",
    "i cant see very well at night with lupus",
    "can teclistamab cause hives",
    "my leg is swollen, could it be lupus",
    "i had hives after rituximab last year, can i have it again",
    "i lost my hair after chemo",
    "my mom gets a mild fever when she takes her meds, is that normal",
    "what is cytokine release syndrome?",
    "can lupus cause chest pain?",
    "is fever a side effect of CAR-T?",
    "what are the symptoms of myasthenia crisis",
    "can myasthenia gravis mess with your breathing?",
    "does car-t cause trouble breathing?",
    "how common is fever after car-t",
    "what is anaphylaxis",
    "can lupus make you faint?",
    "why do people pass out after infusions",
    "what are the signs of a stroke in lupus patients",
    "does lupus raise stroke risk?",
    "is suicide risk higher in lupus",
    "is depression common with lupus",
    "what is neurotoxicity after CAR-T",
    "can CAR-T cause seizures?",
    "what causes bleeding in lupus",
    "I have lupus, can it cause chest pain?",
    "I had a seizure last year, can lupus cause seizures?",
    "I read that CAR-T can cause trouble breathing, is that true?",
    "what should I do if I get a high fever after CAR-T?",
    "my mom was just told she has myasthenia gravis, what is that",
    "how would i know if lupus is affecting my kidneys",
    "can car t cure my lupus?",
    "if my b cells grow back after car-t wont they just attack me again??",
    "what is lupus exactly",
    "wat are the sypmtoms of lupus",
    "I was just diagnosed with lupus, what is it?",
    "my husband has lupus, how is it treated?",
    "why does myasthenia gravis affect swallowing",
    "what is a myasthenic crisis and how is it treated",
    "what is ICANS",
    "do people get a fever with lupus flares?",
    "my joints are swollen in the morning, is that lupus?",
    "I get tired a lot with my lupus, is that normal?",
    "what does scleroderma do to you",
    "how long does it take to recover from car-t",
    "does rituximab cause infusion reactions",
    "is shortness of breath a symptom of lupus",
    "can lupus affect the lungs and breathing",
    "what is the death rate of lupus",
    "should I stop my hydroxychloroquine? it upsets my stomach",
    "how do i fix a flat tire on my bike",
    "I had chest pain years ago during a flare, is that common?",
    "what happens if someone has a seizure after car-t",
    "why do car-t patients get fevers",
    "can rituximab cause an allergic reaction",
    "does teclistamab cause confusion",
    "i have lupus and my joints hurt, what helps?",
    "I'm pregnant, can lupus affect the baby?",
    "is it normal to have a fever after car-t",
    "I had CAR-T last year, can lupus come back?",
    "how do I know if I am having a lupus flare",
    "is my suicide risk higher with lupus?",
    "what is the suicide rate in lupus",
]

PERSONAL = [
    "what's the best treatment for me",  # session 24
    "which is the safest option for my mom",
    "i think i have lupus what should i do",
    "pharmacist here, patient on tacrolimus got a script for clarithromycin, should i dispense it",
    "should i ring the gp before handing out trimethoprim to a customer on methotrexate",
    "nurse here, patient on rituximab wants her flu jab today. fine to give?",
    "am i right to refuse the jak inhibitor after two bouts of shingles",
    "can i just skip one week of my benlysta while on holiday",
    "night shifts next month, can i move my tacrolimus doses later",
    "starting efgartigimod soon, do i need to stop breastfeeding",
    "can i have a pint or two with my methotrexate tonight",
    "I was wondering whether it would be alright to have a beer while on methotrexate",
    "she asked whether she can take my ibuprofen with her prednisone",
    "is there any reason i shouldn't get the flu jab while on rituximab",
    "ten years without a flare on plaquenil, is it time for me to come off it",
    "my gut says to stop the cellcept, thoughts?",
    "if i refuse the cyclophosphamide am i making a mistake",
    "benlysta or saphnelo for me?",
    "can i go swimming the day after my rituximab infusion",
    "whether I ought to pause my methotrexate before the operation",
    "would i even qualify for the car t trial at 70",
    "forgot my plaquenil last night, should i take two today",
    "rheum says 20 of pred, can i just do 15",
    "do i need a booster if im on ritux",
    "when do i need to come off mtx if we want a baby",
    "should my wife, who is on cellcept, get the flu shot this year",
    "can i go back to the gym after my car t",
    "infusion tomorrow but i have a sore throat, go or cancel?",
    "skip hcq during my chemo?",
    "would you switch her to rituximab now",
    "should i hold azathioprine in a patient with a new infection",
    "45F with refractory SLE on MMF and belimumab, would you refer for CAR-T?",
    "is that combination ok for him, he takes methotrexate and was just given trimethoprim",
    "been symptom free for 3 years on cellcept, ok for me to come off it?",
    "what should i do about my methotrexate before my hip surgery",
    "my neurologist offered ocrevus or rituximab for my ms, which one should i go with",
    "should i push my doctor for car t or wait for the trial results",
    "im seriously thinking about stopping my benlysta, the shots hurt",
    "would you take rituximab if you were in my shoes",
    "is 10 mg of prednisone too much for me",
    "my rheumatologist wants to add azathioprine to my plaquenil, is that a good idea",
    "can i split my cellcept into smaller doses through the day",
    "is it ok if i skip one infusion because of my holiday",
    "would she be a reasonable candidate for cd19 car-t, she has refractory lupus nephritis",
    "should i agree to the switch from imuran to cellcept",
    "should I stop my hydroxychloroquine? it upsets my stomach",
    "am I eligible for car-t? I've had lupus nephritis for 6 years and rituximab didn't work",
    "can i double my prednisone when my lupus flares up?",
    "my doctor gave me 15 mg methotrexate a week, can I skip the folic acid?",
    "im pregnant and have lupus, should i keep taking mycophenolate?",
    "My 62-year-old patient has refractory myositis. Should I refer her for CAR-T or start IVIG first?",
    "how much prednisone should I take during a flare?",
    "can I take ibuprofen with my methotrexate?",
    "is it safe for me to stop taking plaquenil?",
    "should my husband get car-t for his lupus?",
    "do I qualify for the teclistamab trial?",
    "can I get CAR-T for my lupus?",
    "should I start rituximab?",
    "can i skip my infusion next week",
    "should we switch her to mycophenolate?",
    "can i drink alcohol on methotrexate",
    "how many mg of prednisone should i take",
    "is it ok to get the flu vaccine while on rituximab",
    "is car-t right for me",
    "why should i stop my methotrexate before car-t",  # "should": a decision after all
    "can i get a tattoo to cover my vitiligo patches",  # gets a tattoo, not vitiligo (session 27)
    "is it safe to take methotrexate with alcohol?",  # combining medicines: a decision for the care team
    "my lupus rash is getting worse should i up my steroids",
    "can i take tylenol with my lupus meds",
    "can i bump up my prednisone during a flare",
    "ok to drop my plaquenil to once a day?",
    "can i wean off my prednisone myself",
    "can my kids get car t for their lupus",  # a treatment: eligibility, still personal
]

NOT_PERSONAL = [
    "what is the best treatment for lupus",  # session 24: best for a disease, not for me
    "what do doctors do for lupus",
    "what should i know about lupus",
    "my aunt was told never to stop her prednisone suddenly, what happens if someone does",
    "is there any reason people shouldn't get car t",
    "can i expect hair loss after my chemo",
    "what is the risk for my baby of neonatal lupus",
    "continue or stop, what do studies say about hydroxychloroquine in pregnancy?",
    "30 year old with joint pain and a rash, is it lupus or ra?",
    "my mom has lupus, is it reasonable to expect her to recover fully",
    "what happens if you miss a dose of methotrexate",
    "why do some patients need a stress dose of steroids before surgery",
    "can people go back to work after car t",
    "how do i know if i have one of these autoimmune diseases",
    "my doctor wants me to get blood tests, what do they check for",
    "i read that fasting helps lupus, is that a good idea",
    "my rheumatologist wants me to see a kidney doctor, why",
    "what should i ask my doctor before car t",
    "which is better for lupus, cellcept or azathioprine",
    "is car t a good idea for lupus in general",
    "what would happen if i stopped taking prednisone suddenly",
    "can car t cure my lupus?",
    "do ppl have to come off their lupus meds before car t",
    "why cant every lupus patient just get car-t?",
    "how would i know if lupus is affecting my kidneys",
    "what is the usual dose of hydroxychloroquine in lupus?",
    "who can get CAR-T for lupus?",
    "if my b cells grow back after car-t wont they just attack me again??",
    "my mom was just told she has myasthenia gravis, what is that",
    "why do patients need chemotherapy before they receive a CAR-T infusion?",
    "what should i ask my doctor about car-t",
    "why do i have to have chemo before getting car-t cells",  # what the treatment involves, and why
    "why would my doctor give me rituximab for lupus",
    "what should i do to keep my lupus from flaring up",
    "my mom gets a mild fever when she takes her meds, is that normal",
    "can lupus flare up after car-t",
    "is lupus genetic can my kids get it",  # whether a disease passes on, not a decision
    "can my daughter get lupus from me",
    "will my kids inherit ms",
]

OFF_TOPIC = [
    "how do i fix a flat tire on my bike",
    "whats the weather going to be in berlin tomorrow",
    "Write a Python function that reverses a linked list.",
    "who won the football world cup in 2022",
    "give me a good recipe for banana bread",
    "what's the best bicycle for commuting",
    "tell me a joke",
    "how do I reset my wifi router",
    "what is the price of bitcoin today",
    "write me a poem about the sea",
]


@pytest.fixture(scope="module")
def vocabulary() -> ScopeVocabulary:
    return ScopeVocabulary.build(ROOT / "corpus" / "glossary.yaml")


def test_the_tables_are_big_enough() -> None:
    assert len(EMERGENCIES) >= 40 and len(NOT_EMERGENCIES) >= 40


@pytest.mark.parametrize("question", EMERGENCIES)
def test_emergencies_are_recognised(question: str) -> None:
    assert detect_emergency(question) is not None, question


@pytest.mark.parametrize("question", NOT_EMERGENCIES)
def test_general_questions_are_not_emergencies(question: str) -> None:
    assert detect_emergency(question) is None, question


@pytest.mark.parametrize("question", PERSONAL)
def test_personal_decisions_are_recognised(question: str) -> None:
    assert detect_personal_advice(question), question


@pytest.mark.parametrize("question", NOT_PERSONAL)
def test_general_questions_are_not_personal_decisions(question: str) -> None:
    assert not detect_personal_advice(question), question


@pytest.mark.parametrize("question", OFF_TOPIC)
def test_off_topic_questions_are_out_of_scope(question: str, vocabulary: ScopeVocabulary) -> None:
    assert judge_scope(question, vocabulary) == "out", question


@pytest.mark.parametrize(
    "question",
    [
        "is banana bread bad for lupus?",
        "can I ride a bike after CAR-T?",
        "how much does it cost?",
        "What about myositis?",
        "does cold weather make raynaud worse",
        "does hot weather make ms worse",  # "ms" in lower case, beside an off-topic word (session 24)
        "is MS an autoimmune disease",
        "what is avascular necrosis",
        "what do B-cells do",
    ],
)
def test_in_scope_or_unclear_questions_are_not_out_of_scope(
    question: str, vocabulary: ScopeVocabulary
) -> None:
    assert judge_scope(question, vocabulary) != "out", question


def _dev_items() -> list[dict[str, object]]:
    return [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_dev_set_items_are_routed_as_labelled(vocabulary: ScopeVocabulary) -> None:
    """Every emergency and personal item is caught; no answerable item is stopped before retrieval."""
    for item in _dev_items():
        turns = item.get("turns") or [item["question"]]
        question = str(turns[-1])  # type: ignore[index]
        got = screen(question, question, "patient", vocabulary).kind
        if item.get("emergency"):
            assert got == "emergency", question
        elif item.get("personal_advice"):
            assert got == "personal_advice", question
        elif item.get("answerable"):
            assert got is None, question
        elif item.get("topic") == "off-topic":
            assert got == "out_of_scope", question


def test_emergency_message_names_emergency_number_and_treating_team() -> None:
    after_car_t = detect_emergency("my husband had car-t cells 5 days ago, now he has a fever of 40")
    assert after_car_t is not None and after_car_t.after_treatment
    text = emergency_text(after_car_t)
    assert "local emergency number" in text and "emergency department" in text
    assert "24-hour" in text
    chest = detect_emergency("I am having chest pain right now")
    assert chest is not None and "24-hour" not in emergency_text(chest)


def test_self_harm_message_mentions_a_crisis_line_without_a_country_number() -> None:
    found = detect_emergency("i dont want to be alive anymore")
    assert found is not None and found.self_harm
    text = emergency_text(found)
    assert "crisis line" in text and "local emergency number" in text
    assert not any(number in text for number in ("988", "911", "112", "999", "116"))


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("am I eligible for car-t?", "Who can get car-t?"),
        ("should I stop my hydroxychloroquine?", "What is known about stopping hydroxychloroquine?"),
        ("my doctor gave me 15 mg methotrexate a week, can I skip the folic acid?", "folic acid"),
        ("im pregnant and have lupus, should i keep taking mycophenolate?", "pregnancy"),
        ("do i have to quit my lupus meds before getting the cell therapy", "lupus meds before getting"),
        ("can i come off prednisone", "What is known about stopping prednisone?"),  # session 43
        ("can i get off steroids after car t", "What is known about stopping steroids after car t?"),
    ],
)
def test_depersonalise_keeps_the_subject_and_drops_the_person(question: str, expected: str) -> None:
    general = depersonalise(question)
    assert expected in general
    assert not any(w in f" {general.lower()} " for w in (" i ", " my ", " me ", " 15 mg "))


@pytest.mark.parametrize(
    ("sentence", "dosing"),
    [
        ("Patients took 15 mg of methotrexate weekly.", True),
        ("The usual dose is 200 milligrams twice a day.", True),
        ("Do not stop taking prednisone suddenly.", True),
        ("Initial treatment may involve a short course of high dose steroids given intravenously.", True),
        ("Long term treatment may include a low dose of oral steroids.", True),
        ("The infusion is given every two weeks at first.", True),
        ("Most people take it once a day.", True),
        ("Your doctor may slowly cut back the prednisone over several weeks.", True),  # session 19
        ("Lowering the steroid dose too quickly can bring back the symptoms.", True),
        ("Once the disease is quiet, the medicines can be stopped.", True),
        ("Some people are weaned off steroids after a year.", True),
        ("The dose is then gradually reduced.", True),
        ("Prednisone should never be stopped all at once.", True),
        ("The medicine lowers the activity of the immune system.", False),
        ("Hydroxychloroquine is an antimalarial medicine used for lupus.", False),
        ("Five patients reached remission.", False),
        ("Steroids can cause serious side effects when taken for a long time.", False),
    ],
)
def test_dosing_sentences_are_recognised(sentence: str, dosing: bool) -> None:
    assert is_dosing_text(sentence) is dosing


def test_follow_ups_are_judged_in_their_conversation(vocabulary: ScopeVocabulary) -> None:
    leaning = screen(
        "what about cold weather?", "what about cold weather? (about: raynaud)", "patient", vocabulary
    )
    assert leaning.kind is None
    unrelated = screen("who won the world cup", "who won the world cup (about: lupus)", "patient", vocabulary)
    assert unrelated.kind == "out_of_scope"


@pytest.mark.parametrize(
    ("question", "general"),
    [
        ("will car t work for me", "will car t work?"),
        ("how long will i live with lupus", "how long will people live with lupus?"),
        (
            "whats my chance of going into remission with lupus",
            "whats chance of going into remission with lupus?",
        ),
        ("is my lupus going to kill me", "is lupus going to kill people?"),
        ("will my daughter get better from itp", "will people get better from itp?"),
    ],
)
def test_a_personal_prognosis_is_personal_and_asked_of_people_in_general(question: str, general: str) -> None:
    from retriever.guardrails.personal import detect_prognosis

    assert detect_prognosis(question) and detect_personal_advice(question)  # session 43
    assert depersonalise(question) == general


@pytest.mark.parametrize(
    "question",
    [
        "what are my chances of getting ms if my mom has it",  # a risk, answered in general
        "how would car t help my lupus",  # how it works
        "does car t work for lupus",
        "how long do people with lupus live",
    ],
)
def test_a_risk_or_a_general_outcome_is_no_personal_prognosis(question: str) -> None:
    from retriever.guardrails.personal import detect_prognosis

    assert not detect_prognosis(question)


def test_a_personal_question_is_retrieved_in_general_terms(vocabulary: ScopeVocabulary) -> None:
    found = screen("am I eligible for car-t?", "am I eligible for car-t?", "patient", vocabulary)
    assert found.kind == "personal_advice" and found.answer is None
    assert found.question == "Who can get car-t?"


@pytest.mark.parametrize(
    ("question", "alone"),
    [
        ("what's the best treatment for me", True),  # session 24: any treatment sentence passed as facts
        ("which option should i pick", True),
        ("should i stop my hydroxychloroquine", False),  # general facts on hydroxychloroquine
        ("should i get the flu shot", False),
        ("is car t right for me", False),
    ],
)
def test_a_personal_question_naming_no_subject_gets_the_redirect_alone(question: str, alone: bool) -> None:
    from retriever.guardrails.personal import names_no_subject

    assert names_no_subject(depersonalise(question)) is alone


def test_a_patient_is_never_quoted_an_instruction_to_stop_or_start_a_medicine() -> None:
    """Session 33: "is graves disease curable" quoted NIDDK's "Stop your anti-thyroid medication and
    call your health care provider right away if …" to a patient asking a general question."""
    from retriever.guardrails.dosing import redact_instructions, tells_to_stop_or_start
    from retriever.types import Evidence

    assert tells_to_stop_or_start(
        "Stop your anti-thyroid medication and call your provider if you get a rash."
    )
    assert tells_to_stop_or_start("You should stop taking it if you get a rash.")
    assert not tells_to_stop_or_start(
        "Do not stop your medicines without talking to your doctor."
    )  # protective
    assert not tells_to_stop_or_start(
        "Lupus patients usually need to taper off their lupus medicines."
    )  # a fact
    text = (
        "Surgery is seldom used. Stop your anti-thyroid medication if you get a rash. Radioiodine is common."
    )
    ev = Evidence(doc_id="d", chunk_id="d#0", title="Graves disease", text=text, score=0.5)
    (redacted,) = redact_instructions([ev])
    assert "Stop your" not in redacted.text and len(redacted.text) == len(text)
    assert "Surgery is seldom used." in redacted.text and "Radioiodine is common." in redacted.text
    # a personal question's evidence loses it too: it is dosing text
    assert is_dosing_text("Stop your anti-thyroid medication if you get a rash.")
