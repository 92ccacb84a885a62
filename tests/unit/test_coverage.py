"""What the evidence covers: asks the sources lack, and names they never use (retriever/coverage.py)."""

from __future__ import annotations

import pytest

from retriever.coverage import (
    ASKS,
    about_another_treatment,
    asks_of,
    compared,
    covered_topics,
    uncovered_asks,
    unknown_words,
    unmentioned_places,
    unpaired,
)
from retriever.messages import not_covered_text
from retriever.types import Evidence

CAR_T = [
    "CAR-T cell therapy costs about $500,000 when it is used for cancer.",
    "One patient was treated with CAR-T at the University Hospital of Erlangen.",
    "Most patients reached drug-free remission after CAR-T; long-term outcomes are still being monitored.",
]


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("will insurance pay for car-t if you have lupus", ["insurance"]),
        ("how many days do you stay in hospital after car t", ["hospital_stay"]),
        ("do people die from car t", ["deaths"]),
        ("when did the fda approve car-t for lupus", ["approval", "moment"]),  # and when (session 35)
        ("is there an age limit for car t", ["age_limit"]),
        ("how long is the waiting list for car t", ["waiting"]),
        ("what dose of car t cells do they give", ["dose"]),
        ("whats the newest car t drug", ["newest"]),
        ("any car t trials near boston", ["place"]),
        ("what are the side effects of car t cells", ["side_effects"]),
        ("can i get pregnant after car t", ["pregnancy"]),
        ("will my kids get lupus", []),  # whether it is inherited, not "facts on children" (session 34)
        ("is there a special diet to follow after car t", ["diet"]),
        ("is lupus contagious", ["contagious"]),
        ("whats the life expectancy with scleroderma", ["deaths"]),
        ("can car t kill you", ["deaths"]),
        ("is car t deadly", ["deaths"]),
        ("is car-t life threatening", ["deaths"]),
        ("can i catch ms from my partner", ["contagious"]),
        ("does car t make your hair fall out", ["hair_loss"]),
        ("can car t give you cancer later", ["cancer_risk"]),
        ("does car t cause infections", ["harm"]),
        ("what kind of doctor treats lupus", ["specialist"]),
        ("how long does car t take to work", ["onset"]),
        ("can kids get car t", ["children"]),
        ("how do they diagnose lupus", ["diagnosis"]),
        ("how often is car t given", ["dose"]),
        ("how much does rituximab cost per infusion", ["cost"]),  # the price given is CAR-T's
        ("can i drink alcohol after car t", ["alcohol"]),
        ("is it ok to have a beer on car t", ["alcohol"]),
        ("what vaccines can i get after car t", ["vaccines"]),
        ("can you drive after car t", ["activities"]),
        ("can i travel abroad after car t", ["activities"]),
        ("what is the maximum age for car t", ["age_limit"]),
        ("does car t affect memory", ["harm"]),
        ("who discovered car t", ["discovery"]),
        ("does car t hurt", ["pain"]),
        ("does lupus hurt", ["pain_disease"]),  # a disease's pain, asked in so many words (session 33)
        ("is there a cure for myositis", ["cure"]),  # session 24
        ("car t side affects", ["side_effects"]),  # a common misspelling (session 24)
    ],
)
def test_an_ask_no_passage_has_words_for_is_uncovered(question: str, asks: list[str]) -> None:
    assert [a.name for a in uncovered_asks(question, CAR_T)] == asks


@pytest.mark.parametrize(
    "question",
    [
        "how much does car t cost",  # the passages give a price
        "which hospitals do car t for lupus",  # … and name a hospital
        "does car t put lupus into remission",  # asks for no special kind of fact
        "can car t cure my lupus",
        "why does mg make your eyelids droop",  # MG, the disease, not milligrams
        "is there a cheaper shot than car t",  # a shot is an injection, not a vaccine
        "does car t kill the b cells",  # killing cells is what it does, not a death
        "what are b cells and does car t kill them",
        "should i drink more water after car t",  # water, not alcohol
    ],
)
def test_an_ask_the_passages_answer_or_no_special_ask_is_covered(question: str) -> None:
    assert uncovered_asks(question, CAR_T) == []


@pytest.mark.parametrize(
    ("question", "passage"),
    [
        ("what are the side effects of prednisone", "Prednisone can cause side effects such as weight gain."),
        ("side effects of car t", "Cytokine release syndrome is the most common toxicity of CAR-T."),
        ("is rheumatoid arthritis contagious", "Rheumatoid arthritis is not contagious."),
        ("who makes car t cells", "A lab adds receptors to the patient's T cells to make CAR-T cells."),
        ("does lupus shorten your life", "Most people with lupus live a normal lifespan."),
        ("can women with lupus have babies", "Women with APS can still have successful pregnancies."),
        (
            "what should i eat with lupus nephritis",
            "Eating less salt (sodium) can help control blood pressure.",
        ),
    ],
)
def test_side_effects_pregnancy_and_diet_are_covered_by_passages_that_give_them(
    question: str, passage: str
) -> None:
    assert uncovered_asks(question, [passage]) == []


RITUXIMAB = [
    "Rituximab lowers the number of B cells; it is used for lymphoma and some autoimmune diseases.",
    "In alopecia areata, hair falls out in small, round patches on the scalp.",
    "Second cancers are one late effect of childhood leukemia treatment.",
    "A rheumatologist treats disorders of the joints; lupus is an example.",
    "In children with lupus, rashes are common.",
    "Patients improved within 6 weeks of starting azathioprine.",
]


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        # the words are in a passage, but not one about the question's treatment
        ("will rituxan make me lose my hair", ["hair_loss"]),
        ("can u get cancer from rituximab", ["cancer_risk"]),
        ("who makes rituximab", ["maker"]),
        ("how long does rituximab take to work", ["onset"]),
        # … or its disease
        ("which specialist treats myasthenia gravis", ["specialist"]),
        ("can kids get scleroderma", ["children"]),
        # a passage names the subject and has the words
        ("what kind of doctor treats lupus", []),
        ("can kids get lupus", []),
        # an older medicine is a subject too: the azathioprine passage does not say it of plaquenil
        ("how long does it take for plaquenil to work", ["onset"]),
        # no treatment or disease named: any passage will do
        ("does it make your hair fall out", []),
        # a disease's sign, not a treatment's harm: not asked
        ("does lupus cause a rash", []),
        # a disease turning into a cancer: the leukemia passage is not about lupus
        ("can lupus turn into leukemia", ["becomes_cancer"]),
    ],
)
def test_a_paired_ask_needs_its_words_in_a_passage_about_the_subject(question: str, asks: list[str]) -> None:
    assert [a.name for a in uncovered_asks(question, RITUXIMAB)] == asks


def test_a_disease_turning_into_a_cancer_is_covered_by_a_passage_on_its_cancer_risk() -> None:
    passage = "People with lupus nephritis have a high risk of some cancers, mainly B-cell lymphoma."
    assert uncovered_asks("can lupus turn into lymphoma", [passage]) == []
    assert uncovered_asks("can lupus turn into lymphoma", RITUXIMAB[:1]) != []


@pytest.mark.parametrize(
    ("question", "passage", "about_it"),
    [
        (
            "how long do you stay in hospital after car t",
            "Length of hospital stay was longest after open resection for Crohn's disease.",
            "Most patients treated with CAR-T leave the hospital after 10 days in the hospital.",
        ),
        (
            "what dose of teclistamab was used",
            "Children with T-cell ALL are given higher doses of anticancer drugs.",
            "Teclistamab was given at a dose of 1.5 mg/kg every week.",
        ),
        (
            "is car t approved for lupus",
            "The FDA approved belimumab for lupus in 2011.",
            "The FDA has approved CAR-T cell therapy only for blood cancers.",
        ),
        (
            "how long is the waiting list for car t",
            "Patients with kidney failure may wait years for a kidney transplant.",
            "Patients often wait months for a place in a CAR-T trial.",
        ),
    ],
)
def test_a_stay_dose_approval_or_wait_counts_only_in_a_passage_about_the_subject(
    question: str, passage: str, about_it: str
) -> None:
    assert uncovered_asks(question, [passage]) != []
    assert uncovered_asks(question, [passage, about_it]) == []


def test_a_count_of_patients_is_not_an_age_limit() -> None:
    counts = ["Over 40 lupus patients worldwide have now received CAR-T-cell therapy."]
    assert [a.name for a in uncovered_asks("is there an age limit for getting car t", counts)] == [
        "age_limit"
    ]
    ages = ["CAR-T trials enrolled adults aged 18 to 65 years."]
    assert uncovered_asks("is there an age limit for getting car t", ages) == []


def test_an_age_limit_is_given_in_a_sentence_naming_the_treatment() -> None:
    # session 42: the share of lupus cases over 50 is no age limit for CAR-T, nor the ages of children
    # with ALL one for teclistamab
    asked = "is there an age limit for car t for lupus, my mom is 71"
    lupus = "CAR-T is being tried in lupus. People older than 50 still account for 20 percent of SLE cases."
    assert [a.name for a in uncovered_asks(asked, [lupus])] == ["age_limit"]
    assert uncovered_asks("is 60 too old to get myasthenia gravis", [lupus]) == []  # no treatment named


VOCABULARY = {
    w: 3
    for w in [
        "lupus",
        "car",
        "cell",
        "therapy",
        "german",
        "study",
        "eligible",
        "sickness",
        "hospital",
        "rituximab",
        "vitamin",
        "clinic",
        "trial",
    ]
}


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        ("does skyrizi work for lupus", ["skyrizi"]),  # a brand no chunk mentions
        ("what does amgen charge for car t", ["amgen"]),  # a company
        ("did car t work for the patients in germany", []),  # "german" is the sources' word
        ("what limits car t eligibility", []),  # the stem of "eligible"
        ("besides lupus what other sicknesses", []),
        ("is rituxin used for lupis", []),  # slips of words the sources use
        ("is it all hype or does it work", []),  # English, however rare
        ("<img src=x onerror=alert(1)> what is lupus", []),  # markup
        ("¿Cómo ayuda la terapia CAR-T a las personas con lupus?", []),  # another language
        ("what limits car t eligibility, is foamy pee a sign", []),
        ("does smoking or low vit d have anything to do with lupus", []),  # "vit": vitamin
        ("is car t given in hospital for lupus", []),  # "hospital" is the sources' word
        ("car-t for lupus does it wrok", []),  # two letters swapped: "work" (session 24)
        ("does rituxmiab help lupus", []),  # … "rituximab"
    ],
)
def test_unknown_words_are_names_the_sources_never_use(question: str, unknown: list[str]) -> None:
    assert unknown_words(question, VOCABULARY) == unknown


def test_a_place_the_passages_never_mention_is_not_covered() -> None:
    assert unmentioned_places("does mayo clinic do the car t for lupus", CAR_T) == ["mayo"]
    assert unmentioned_places("any car t lupus trials in sydney i could join", CAR_T) == ["sydney"]
    assert unmentioned_places("was car t for lupus done at the erlangen hospital", CAR_T) == []
    assert unmentioned_places("is car t for lupus tested in children", ["Trials in children."]) == []
    # a study is "in" a journal or a group of people too: no place is named
    assert unmentioned_places("what did the study in nature show", CAR_T) == []
    assert unmentioned_places("were the car t studies in mice or people", CAR_T) == []
    assert unmentioned_places("how does car t work in lupus", CAR_T) == []
    german = ["The German study treated five patients."]
    assert unmentioned_places("were the car t trials in germany any good", german) == []


def _evidence(headings: str, context: bool = False) -> Evidence:
    return Evidence(chunk_id=headings, doc_id="d", text="x", score=0.5, title="CAR-T", headings=headings,
                    context=context)  # fmt: skip


def test_the_refusal_names_what_is_missing_and_what_the_sources_cover() -> None:
    evidence = [
        _evidence("CAR-T > What does CAR-T cost?"),
        _evidence("CAR-T > Who can get CAR-T?", context=True),  # context chunks are not what was found
        _evidence("CAR-T > What does CAR-T cost?"),
        _evidence("CAR-T > How is CAR-T made?"),
    ]
    topics = covered_topics(evidence)
    assert topics == ["What does CAR-T cost", "How is CAR-T made"]
    text = not_covered_text(
        [a.what for a in uncovered_asks("does insurance cover car t", CAR_T)], [], topics, "patient"
    )
    assert text.startswith("The sources I have don't give insurance cover for this")
    assert text.endswith("What they do cover on this subject: What does CAR-T cost; How is CAR-T made.")
    assert "don't mention skyrizi" in not_covered_text([], ["skyrizi"], [], "staff")
    # a name another one holds is said once (a brand read as its generic name, session 34)
    text = not_covered_text([], ["anifrolumab", "anifrolumab for lupus"], [], "patient")
    assert "don't mention anifrolumab for lupus, so" in text


def test_an_abstracts_section_label_is_no_topic_its_title_is() -> None:
    title = "Methotrexate and alcohol in psoriasis"
    evidence = [
        Evidence(
            chunk_id="a", doc_id="p", text="x", score=0.5, title=title, headings=f"{title} > OBJECTIVES"
        ),
        Evidence(
            chunk_id="b",
            doc_id="p",
            text="x",
            score=0.5,
            title=title,
            headings=f"{title} > PATIENTS AND METHODS",
        ),
        _evidence("Psoriasis > What is (are) Psoriasis ?"),
    ]
    assert covered_topics(evidence) == [title, "What is Psoriasis"]


LUPUS_CAR_T = [
    "CAR-T cell therapy put five people with severe lupus into remission.",
    "Rheumatoid arthritis (RA) is an autoimmune disease that mainly inflames the joints.",
]


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("can car t be used for rheumatoid arthritis", "CAR-T for rheumatoid arthritis"),
        ("does rituxan help RA or lupus", "rituximab for lupus or rheumatoid arthritis"),
        ("is blinatumomab approved for treating lupus?", "blinatumomab for lupus"),
        ("can it be used for ms (about: rituximab)", "rituximab for multiple sclerosis"),
    ],
)
def test_a_treatment_never_mentioned_with_the_asked_disease_is_unpaired(question: str, missing: str) -> None:
    assert unpaired(question, LUPUS_CAR_T) == missing


@pytest.mark.parametrize(
    "question",
    [
        "does car t work for lupus",  # mentioned together
        "can car-t cure my sle",  # the short form
        "what is car t",  # no disease asked about
        "is rheumatoid arthritis contagious",  # no treatment asked about
        "car t or rituximab for lupus",  # two treatments: a comparison, not checked here
    ],
)
def test_a_treatment_mentioned_with_the_disease_or_no_pair_is_not_unpaired(question: str) -> None:
    assert unpaired(question, LUPUS_CAR_T) is None


@pytest.mark.parametrize(
    ("question", "things"),
    [
        ("lupus vs rheumatoid arthritis whats the difference", ["lupus", "rheumatoid"]),
        ("how is ra different from lupus", ["ra", "lupus"]),  # the question's order
        ("is scleroderma the same thing as lupus", ["scleroderma", "lupus"]),
        ("is car t better than rituximab for lupus", ["car t", "rituximab"]),  # lupus is the setting
        ("does car t work for lupus", []),  # no comparison
        ("did antiphospholipid antibodies make a difference in lupus", []),
        ("whats the difference between sle and lupus", []),  # one disease, two names
        (
            "whats the difference between polymyositis and dermatomyositis",
            ["polymyositis", "dermatomyositis"],
        ),
        ("does teclistamab work the same way as car t", ["teclistamab", "car t"]),
        # one thing a table names, the other taken from the wording
        ("how is car t different from a stem cell transplant", ["car t", "stem cell transplant"]),
        ("how is lupus different from other diseases", []),  # not a thing
        ("whats the difference between lupus and other diseases", []),
        # two kinds of one thing of the tables, in the wording (session 27)
        ("how is dermatomyositis different from polymyositis", ["dermatomyositis", "polymyositis"]),
        ("is polymyositis the same as dermatomyositis", ["polymyositis", "dermatomyositis"]),
        ("how did antibody levels in ms compare with healthy donors", []),  # a study's controls
    ],
)
def test_a_comparison_names_the_things_it_compares(question: str, things: list[str]) -> None:
    assert [p.search(question).group(0) for p in compared(question)] == things  # type: ignore[union-attr]


def test_a_follow_ups_subject_is_not_what_it_asks() -> None:
    remission = ["The first lupus patient treated with CAR-T stayed free of symptoms for almost four years."]
    assert uncovered_asks("how long does it last (about: does car t work for lupus)", remission) == []
    assert [a.name for a in uncovered_asks("what are the side effects (about: rituximab)", RITUXIMAB)] == [
        "side_effects"
    ]


def test_juvenile_is_about_children() -> None:
    assert uncovered_asks("can kids get myositis", ["Juvenile myositis is rare."]) == []


def test_a_list_of_links_does_not_say_how_a_disease_is_diagnosed() -> None:
    links = [
        "Myasthenia gravis > Treatments These resources address the diagnosis or management of "
        "myasthenia gravis: - Genetic Testing Registry - MedlinePlus Encyclopedia: Acetylcholine Receptor Test",
        "Myasthenia gravis is most often diagnosed in women younger than 40.",
    ]
    question = "how do they diagnose myasthenia gravis"
    assert [a.name for a in uncovered_asks(question, links)] == ["diagnosis"]
    told = [*links, "Myasthenia gravis is diagnosed with a blood test for antibodies and a nerve test."]
    assert uncovered_asks(question, told) == []


def test_research_that_tests_new_treatments_does_not_say_how_a_disease_is_diagnosed() -> None:
    research = [
        "Sjögren syndrome research also aims to test new treatments and find ways to cure the disease.",
        "To test whether the drug helps, Sjögren syndrome patients were given it or a placebo.",
    ]
    question = "how is sjogren's diagnosed"  # the spelling fix's apostrophe is still a word of the subject
    assert [a.name for a in uncovered_asks(question, research)] == ["diagnosis"]
    tested = [*research, "Sjögren syndrome is diagnosed with blood tests and an eye test."]
    assert uncovered_asks(question, tested) == []


def test_deciding_to_have_children_is_no_fact_on_children() -> None:
    family = ["Rheumatoid arthritis may affect the decision to have children."]
    assert [a.name for a in uncovered_asks("can kids get rheumatoid arthritis", family)] == ["children"]
    assert (
        uncovered_asks("can kids get rheumatoid arthritis", ["Rheumatoid arthritis in children is rare."])
        == []
    )


@pytest.mark.parametrize(
    ("sentence", "lifts"),
    [
        ("There is no cure for MS, but medicines may slow it down.", True),
        ("Lupus cannot be cured, but medicines can help keep lupus in check.", True),
        ("Surgery usually does not cure Crohn's disease forever.", True),
        ("It often goes away on its own, but symptoms may last a lifetime.", True),
        ("Research aims to find ways to treat, prevent and cure the disease.", False),
        ("Some people go into remission for a time.", False),  # session 24: remission is not lifted
        ("At first, many people doubted lupus could ever be cured.", False),  # history, not an answer
        ("You will need to take hormone pills for the rest of your life.", True),  # session 28: lifelong
        ("People who have pernicious anemia may need lifelong treatment.", True),
    ],
)
def test_the_cure_ask_lifts_a_sentence_saying_whether_it_can_be_cured(sentence: str, lifts: bool) -> None:
    (cure,) = [a for a in asks_of("does lupus go away on its own") if a.name == "cure"]
    assert not cure.lifts and cure.lift is not None
    assert bool(cure.lift.search(sentence)) is lifts


def test_a_passage_saying_it_can_be_life_threatening_answers_whether_it_can_kill_you() -> None:
    lupus = ["In lupus, damage to the body's major organs can be life-threatening."]
    assert uncovered_asks("can lupus kill you", lupus) == []
    assert uncovered_asks("is lupus deadly", ["Most people with lupus live a normal lifespan."]) == []
    assert [a.name for a in uncovered_asks("can lupus kill you", ["Lupus can harm the heart."])] == ["deaths"]
    # cells dying is biology, not how many people die
    dying_cells = ["Scientists have found a change in how the body handles dying cells."]
    assert [a.name for a in uncovered_asks("can lupus kill you", dying_cells)] == ["deaths"]


def test_a_topic_asked_in_medquads_words_and_an_articles_is_named_once() -> None:
    evidence = [
        _evidence("Multiple Sclerosis > What is (are) Multiple Sclerosis ?"),
        _evidence("Multiple sclerosis (MS) > What is multiple sclerosis?"),
        _evidence("ADEM > What is (are) Acute Disseminated Encephalomyelitis ?"),
    ]
    assert covered_topics(evidence) == [
        "What is Multiple Sclerosis",
        "What is Acute Disseminated Encephalomyelitis",
    ]


@pytest.mark.parametrize(
    ("question", "sentence", "other"),
    [
        ("how much does teclistamab cost", "CAR-T cell therapy costs about $500,000.", True),
        ("how much does teclistamab cost", "BiTEs are cheap, fast and uncomplicated.", False),  # its kind
        ("are bites cheaper", "Teclistamab is one BiTE.", False),  # one of them
        ("does rituximab work for lupus", "CAR-T put lupus into remission.", True),
        ("does rituximab work for lupus", "Rituximab and CAR-T both remove B cells.", False),
        ("does rituximab work for lupus", "Lupus is an autoimmune disease.", False),  # names none
        ("what is lupus", "CAR-T put lupus into remission.", False),  # the question names none
    ],
)
def test_a_sentence_naming_only_other_treatments_is_about_another_treatment(
    question: str, sentence: str, other: bool
) -> None:
    assert about_another_treatment(question, sentence) is other


@pytest.mark.parametrize(
    ("question", "sentence", "other"),
    [
        ("what kind of doctor treats lupus", "An endocrinologist often treats Graves disease.", True),
        (
            "what kind of doctor treats lupus",
            "A rheumatologist treats disorders of the joints.",
            False,
        ),  # none
        ("what kind of doctor treats lupus", "Lupus and APS often come together.", False),  # names lupus
        ("what kind of doctor treats ms", "Multiple sclerosis is treated by neurologists.", False),  # same
        (
            "what kind of doctor treats joints",
            "An endocrinologist treats Graves disease.",
            False,
        ),  # none asked
    ],
)
def test_a_sentence_naming_only_other_diseases_is_about_another_disease(
    question: str, sentence: str, other: bool
) -> None:
    from retriever.coverage import about_another_disease

    assert about_another_disease(question, sentence) is other


def test_a_refusal_lists_only_topics_on_the_questions_subject() -> None:
    def ev(title: str, heading: str, text: str) -> Evidence:
        return Evidence(chunk_id=heading, doc_id=title, text=text, score=0.5, title=title,
                        headings=f"{title} > {heading}")  # fmt: skip

    evidence = [
        ev("CAR-T in lupus", "How long has remission lasted after CAR-T for lupus?", "Almost four years."),
        ev("Autoimmune hepatitis", "How to diagnose Autoimmune Hepatitis", "A liver biopsy shows it."),
        ev("What is CAR-T", "How are CAR T cells made?", "T cells are collected from the blood."),
    ]
    every = [
        "How long has remission lasted after CAR-T for lupus",
        "How to diagnose Autoimmune Hepatitis",
        "How are CAR T cells made",
    ]
    asked = "how long do you stay in hospital after car t"
    assert covered_topics(evidence, question=asked) == [every[0], every[2]]
    assert covered_topics(evidence) == every
    assert covered_topics(evidence, question="how long is the hospital stay") == every  # names nothing
    assert covered_topics(evidence, question="hospital stay for myositis") == every  # none names it


def test_pregnancy_with_a_named_medicine_needs_a_passage_naming_it() -> None:
    warfarin = ["Warfarin is not used during pregnancy because it can harm the fetus."]
    assert [a.name for a in uncovered_asks("is plaquenil safe in pregnancy", warfarin)] == ["pregnancy"]
    told = [*warfarin, "Hydroxychloroquine (Plaquenil) can be taken during pregnancy."]
    assert uncovered_asks("is plaquenil safe in pregnancy", told) == []
    # no treatment named: any passage on pregnancy answers
    assert (
        uncovered_asks(
            "can women with lupus have babies", ["Women with APS can have successful pregnancies."]
        )
        == []
    )


def test_a_cure_is_covered_by_a_passage_on_the_subject_that_speaks_of_one() -> None:
    passages = ["There is no cure for MS, but medicines may slow it down.", "Vitiligo causes white patches."]
    titles = ["Multiple sclerosis", "Vitiligo"]
    assert uncovered_asks("is there a cure for ms", passages, titles) == []
    assert [a.name for a in uncovered_asks("is vitiligo permanent", passages, titles)] == ["cure"]
    assert [a.name for a in uncovered_asks("does lupus go away", passages, titles)] == ["cure"]


@pytest.mark.parametrize(
    ("question", "children"),
    [
        ("can ms be passed down to kids", False),
        ("will my children inherit lupus", False),
        ("does lupus run in families, can my kids get it", False),
        ("can kids get ms", True),
        ("can children get car t for lupus", True),
    ],
)
def test_passing_it_down_to_the_kids_asks_about_heredity_not_children(question: str, children: bool) -> None:
    assert ("children" in [a.name for a in asks_of(question)]) is children


def test_a_question_pairs_one_treatment_with_its_diseases() -> None:
    from retriever.coverage import names_pair, pair_of

    pair = pair_of("car t for ms")
    assert names_pair(pair, "CAR-T is being explored for multiple sclerosis (MS).")
    assert not names_pair(pair, "CAR-T was first built for blood cancers.")
    assert names_pair(pair_of("is teclistamab used in lupus"), "BiTEs were used to treat lupus.")  # its kind
    assert pair_of("what is lupus") == ([], [])  # no treatment
    assert pair_of("car t vs rituximab for lupus") == ([], [])  # two treatments: a comparison


def test_a_subject_the_tables_do_not_know_is_read_from_the_passage_titles() -> None:
    from retriever.coverage import titled_subject

    texts = [
        "Schnitzler syndrome Schnitzler syndrome causes hives and fevers.",
        "Pemphigus vulgaris Pemphigus is not contagious.",
    ]
    titles = ["Schnitzler syndrome", "Pemphigus vulgaris"]
    question = "is it contagious (about: schnitzler)"
    assert titled_subject(question, titles) == {"schnitzler"}
    assert titled_subject("is behcets disease contagious", ["Behcet's disease"]) == {
        "behcet"
    }  # not "disease"
    # the other disease's "not contagious" does not answer it; without titles it did
    assert [a.name for a in uncovered_asks(question, texts, titles)] == ["contagious"]
    assert uncovered_asks(question, texts) == []
    answered = [*texts, "Schnitzler syndrome Schnitzler syndrome is not contagious."]
    assert uncovered_asks(question, answered, [*titles, "Schnitzler syndrome"]) == []
    # a disease the tables know needs no titles (session 27)
    vitiligo = ["Vitiligo Vitiligo causes white patches.", "Pemphigus vulgaris Pemphigus is not contagious."]
    assert [a.name for a in uncovered_asks("is it contagious (about: vitiligo)", vitiligo)] == ["contagious"]
    # an ask paired with treatments only is not paired with a titled subject
    diet = "what foods should i avoid with crest syndrome"
    assert (
        uncovered_asks(diet, ["Systemic sclerosis Avoid fatty foods and caffeine."], ["Systemic sclerosis"])
        == []
    )


def test_a_treatment_and_a_disease_count_as_named_together_only_in_one_paragraph_or_its_heading() -> None:
    """Session 25: a lupus article's section on what rituximab does (it speaks of cold agglutinin disease)
    had counted as naming rituximab with lupus, through the article's title."""
    from retriever.steps import pairing_units
    from retriever.types import Evidence

    def chunk(doc: str, title: str, heading: str, text: str) -> Evidence:
        return Evidence(
            chunk_id=f"{doc}#c#1",
            doc_id=doc,
            title=title,
            headings=f"{title} > {heading}",
            score=0.5,
            text=text,
        )

    section = chunk(
        "a",
        "Lupus Medicines",
        "What does rituximab do?",
        "Rituximab lowers the number of B cells.\n\nIt is given for cold agglutinin disease.",
    )
    listed = chunk(
        "b",
        "CAR-T beyond lupus",
        "Where else is it tried?",
        "CAR-T is being tried in these diseases:\n\n- myositis\n- multiple sclerosis",
    )
    units = pairing_units([section, listed])
    assert units[:2] == [
        "What does rituximab do? Rituximab lowers the number of B cells.",
        "What does rituximab do? It is given for cold agglutinin disease.",
    ]
    assert unpaired("does rituximab work for lupus", units) == "rituximab for lupus"
    assert unpaired("is car t used for myositis", units) is None  # a lead-in reads with its list


@pytest.mark.parametrize(
    ("question", "diseases"),
    [
        ("what glands does aps type 1 hit", ["autoimmune polyglandular syndrome"]),
        ("can aps cause miscarriage", ["antiphospholipid syndrome"]),
        ("what percentage of people with gbs need a ventilator", ["Guillain-Barré syndrome"]),
        ("do behcets ulcers hurt", ["Behçet disease"]),
        ("is psoriatic arthritis worse than psoriasis", ["psoriasis", "psoriatic arthritis"]),
    ],
)
def test_the_disease_table_names_the_diseases_of_the_shared_pages(question: str, diseases: list[str]) -> None:
    from retriever.coverage import DISEASES

    assert [name for name, p in DISEASES.items() if p.search(question)] == diseases


def test_diseases_named_reads_the_table_in_any_case() -> None:
    from retriever.coverage import DISEASES, diseases_named

    for text in ("Sjögren syndrome affects the glands.", "ITP and TTP", "No disease here.", "GBS in BEHCETS"):
        assert diseases_named(text) == {name for name, p in DISEASES.items() if p.search(text)}


def test_a_named_treatments_safety_needs_words_on_its_risks() -> None:
    question = "is hydroxychloroquine safe long term"
    said = ["Hydroxychloroquine is a medicine for treating systemic lupus erythematosus (SLE)."]
    assert [a.name for a in uncovered_asks(question, said)] == ["safety"]
    risks = ["Taking prednisone for a long time, above all at high doses, can lead to serious side effects."]
    assert uncovered_asks("is prednisone safe long term", risks) == []
    assert "safety" not in [a.name for a in asks_of("is it safe to keep my cats")]  # no treatment named
    # the risks of a named treatment are its safety (session 30), not the leukaemia risk factors a page lists
    factors = [
        "Possible risk factors for ALL include past treatment with chemotherapy.",
        "Teclistamab is one BiTE.",
    ]
    assert [a.name for a in uncovered_asks("what are the risks of teclistamab", factors)] == ["safety"]
    assert [a.name for a in asks_of("is rituximab dangerous")] == ["safety"]
    assert [a.name for a in asks_of("what are the risks of getting lupus")] == []  # no treatment named


def test_a_question_on_a_disease_coming_back_asks_for_a_relapse() -> None:
    """Session 29: "can guillain barre come back" never quoted "About 3 percent may suffer a relapse
    …"; "relapsing MS" names a form of MS and asks nothing of the kind."""
    assert [a.name for a in asks_of("can guillain barre come back")] == ["relapse"]
    assert "relapse" not in [a.name for a in asks_of("which antibody for relapsing MS was approved again")]
    gbs = ["Guillain-Barre syndrome: about 3 percent may suffer a relapse many years after the first attack."]
    assert uncovered_asks("can guillain barre syndrome come back", gbs) == []
    flares = ["Vasculitis may go into remission; it can flare again later."]
    assert uncovered_asks("does vasculitis come back", flares) == []  # a flare says it
    assert [
        a.name
        for a in uncovered_asks(
            "can myasthenia gravis come back", ["Myasthenia gravis can go into remission."]
        )
    ] == ["relapse"]


def test_a_treatment_making_you_feel_unwell_or_someone_giving_it_to_you_are_asks() -> None:
    # session 31: "does teclistamab make you tired", "can my dog give me lupus"
    assert [a.name for a in asks_of("does teclistamab make you tired")] == ["harm"]
    assert [a.name for a in asks_of("can my husband pass it to me")] == ["contagious"]
    assert [a.name for a in asks_of("can my dog give me lupus")] == ["contagious"]
    assert asks_of("can a medicine give you lupus") == []  # drug-induced lupus: answered
    assert asks_of("does lupus make you tired") == []  # a disease's sign, not a treatment's harm


def test_having_a_named_treatment_again_is_an_ask() -> None:
    # session 31: "can you get car t more than once" got the steps of making CAR T cells
    assert [a.name for a in asks_of("can you get car t more than once")] == ["repeat"]
    assert [a.name for a in asks_of("is a second round of rituximab possible")] == ["repeat"]
    # whether the B cells come back (`cells_return`, session 38), not having CAR-T again
    assert [
        a.name for a in asks_of("if my b cells grow back after car-t wont they just attack me again")
    ] == ["cells_return"]
    assert asks_of("can i take prednisone twice a day") == []
    assert asks_of("can they treat it again") == []  # no treatment named


def test_a_body_part_the_sources_seldom_name_needs_a_passage_naming_it_with_the_subject() -> None:
    # session 31: "does lupus affect your teeth" got the organs lupus affects
    lupus = ["Lupus can affect many parts of the body, including the joints, skin, kidneys and heart."]
    assert [a.name for a in uncovered_asks("does lupus affect your teeth", lupus)] == ["teeth"]
    sjogren = ["People with Sjögren syndrome are at increased risk of tooth decay."]
    assert uncovered_asks("does sjogrens make you get more cavities", sjogren) == []
    weakness = ["The weakness of myasthenia gravis often affects chewing, talking and swallowing."]
    assert uncovered_asks("does myasthenia gravis affect your voice", weakness) == []


def test_how_often_a_named_treatment_is_given_is_an_ask_high_dose_does_not_cover() -> None:
    # session 31: "is rituximab given every 6 months"
    assert [a.name for a in asks_of("is rituximab given every 6 months")] == ["frequency"]
    assert [a.name for a in asks_of("how often do you get rituximab infusions")] == ["frequency"]
    assert asks_of("how often do you get lupus flares") == []
    assert asks_of("how often do people get cytokine release syndrome after car t") == []
    high = ["A trial of high-dose chemotherapy and targeted therapy (rituximab)."]
    assert [a.name for a in uncovered_asks("is rituximab given every 6 months", high)] == ["frequency"]
    assert uncovered_asks("is rituximab given every 6 months", ["Rituximab is given every 6 months."]) == []


def test_how_long_a_named_treatment_lasts_needs_a_length_of_time_in_a_sentence_naming_it() -> None:
    # session 35: "how long does teclistamab treatment last" got "Teclistamab is one BiTE." and CAR-T's years
    assert [a.name for a in asks_of("how long does teclistamab treatment last")] == ["length"]
    assert [a.name for a in asks_of("how long do you stay on plaquenil")] == ["length"]
    assert asks_of("how long does lupus last") == []  # no treatment named
    assert "length" not in [a.name for a in asks_of("how long does rituximab take to work")]  # onset's
    assert "length" not in [a.name for a in asks_of("how long ago was rituximab first used")]
    chunk = ["Teclistamab is one BiTE. The first patient stayed free of symptoms for almost four years."]
    assert [a.name for a in uncovered_asks("how long does teclistamab treatment last", chunk)] == ["length"]
    remission = ["The first patient treated with CAR-T stayed free of symptoms for almost four years."]
    assert uncovered_asks("how long did remission last after car t", remission) == []
    short = [
        "Steroids are used only for a short time because long-term use can lead to serious side effects."
    ]
    assert uncovered_asks("how long are steroids given", short) == []


def test_donating_blood_coffee_home_treatment_and_spread_by_touch_are_asks() -> None:
    # session 35: "can you donate blood if you have ms", "can i drink coffee with lupus", "can teclistamab
    # be given at home", "can psoriasis spread by touch" got piles of near misses
    assert [a.name for a in asks_of("can you donate blood if you have ms")] == ["blood_donation"]
    assert [a.name for a in asks_of("can i drink coffee with lupus")] == ["caffeine"]
    assert [a.name for a in asks_of("can teclistamab be given at home")] == ["at_home"]
    assert asks_of("can i rest at home with lupus") == []  # no treatment named
    assert [a.name for a in asks_of("can psoriasis spread by touch")] == ["contagious"]
    assert asks_of("how does psoriasis spread on the skin") == []
    controls = ["ASO was measured in 21 patients with relapsing-remitting MS and 21 healthy blood donors."]
    assert [a.name for a in uncovered_asks("can you donate blood if you have ms", controls)] == [
        "blood_donation"
    ]
    home = ["Teclistamab is a BiTE.", "Mild cases of guttate psoriasis are usually treated at home."]
    assert [a.name for a in uncovered_asks("can teclistamab be given at home", home)] == ["at_home"]


def test_working_having_it_twice_and_an_age_over_a_number_are_asks() -> None:
    # session 35: "can i still work with ra", "can car t be done twice", "can i get car t if im over 70"
    assert [a.name for a in asks_of("can i still work with ra")] == ["work"]
    assert asks_of("can car t work for ms") == []
    assert [a.name for a in asks_of("can car t be done twice")] == ["repeat"]
    assert "age_limit" in [a.name for a in asks_of("can i get car t if im over 70")]
    assert asks_of("can car t help people over 40") == []


def test_disability_benefits_a_boss_how_risky_and_how_many_infusions_are_asks() -> None:
    # session 35: "how do i get disability for lupus" got lupus's triggers, "how risky is car t" the steps
    assert [a.name for a in asks_of("how do i get disability for lupus")] == ["disability"]
    assert asks_of("how many people get disability from ms") == []  # the disease's course
    assert [a.name for a in asks_of("how do i tell my boss i have ms")] == ["work"]
    assert [a.name for a in asks_of("how risky is car t")] == ["safety"]
    assert [a.name for a in asks_of("how many infusions of rituximab do you get")] == ["frequency"]
    assert asks_of("how many treatments of car t have been given") == []
    benefits = ["Lupus can be disabling. Social Security disability benefits may help."]
    assert uncovered_asks("how do i get disability for lupus", benefits) == []


def test_herbs_by_name_the_weather_and_a_disability_are_asks() -> None:
    # session 35: "does turmeric help lupus", "does hot humid weather make sjogrens worse", "is lupus a
    # disability" got near misses; "does chiropractic help ankylosing spondylitis" was covered by a page
    # on another disease
    assert [a.name for a in asks_of("does turmeric help lupus")] == ["herbs"]
    assert [a.name for a in asks_of("does fish oil help rheumatoid arthritis")] == ["herbs"]
    assert [a.name for a in asks_of("does hot humid weather make sjogrens worse")] == ["weather"]
    assert asks_of("what is cold agglutinin disease") == []
    assert [a.name for a in asks_of("is lupus a disability")] == ["disability"]
    ms = ["Yoga and relaxation help some people with MS."]
    assert [a.name for a in uncovered_asks("does chiropractic help ankylosing spondylitis", ms)] == [
        "mind_body"
    ]
    psoriasis = ["Psoriasis triggers include cold weather, stress and skin injury."]
    assert uncovered_asks("does cold weather make psoriasis worse", psoriasis) == []


def test_when_a_named_treatment_came_and_the_time_of_day_are_asks() -> None:
    # session 35: "when was rituximab approved" got NCI's list of cancers; "when is the best time of day to
    # take prednisone" how long people take it
    assert "moment" in [a.name for a in asks_of("when was rituximab approved")]
    assert asks_of("when was lupus first described") == []  # no treatment named
    nci = ["NCI says rituximab is used for several lymphomas and leukemias."]
    assert "moment" in [a.name for a in uncovered_asks("when was rituximab approved", nci)]
    nature = [
        "The German study of CAR-T for lupus was published in Nature, two years before MedPath covered it."
    ]
    assert uncovered_asks("when did the nature study on car t come out", nature) == []
    assert [a.name for a in asks_of("when is the best time of day to take prednisone")] == ["time_of_day"]
    # no treatment named: not a medicine's time of day (the disease's is `time_of_day_disease`, session 47)
    assert "time_of_day" not in [a.name for a in asks_of("is lupus worse in the morning")]


def test_finding_a_trial_and_a_risk_of_infections_are_asks() -> None:
    # session 36: "how can i find a car t trial" opened with CAR-T's steps; "how can i lower my risk of
    # infections on rituximab" got NCI's list of cancers
    assert [a.name for a in asks_of("how can i find a car t trial")] == ["find_trial"]
    assert [a.name for a in asks_of("how do i join a clinical trial for lupus")] == ["find_trial"]
    assert asks_of("what did the german study find") == []
    ctgov = [
        "To find trials for a disease, a person can type its name into the ClinicalTrials.gov search box."
    ]
    assert uncovered_asks("how can i find a car t trial", ctgov) == []
    assert [a.name for a in asks_of("how can i lower my risk of infections on rituximab")] == ["harm"]


def test_chemotherapy_before_a_named_treatment_is_an_ask() -> None:
    # session 36: "does teclistamab need chemo first" got "Teclistamab is one BiTE." and NCI's CAR-T list
    assert [a.name for a in asks_of("does teclistamab need chemo first")] == ["chemo_first"]
    car_t = [
        "Chemotherapy is given before CAR-T cell therapy to deplete, or lower, the T cells the patient already has."
    ]
    assert uncovered_asks("why do you need chemo before car t", car_t) == []
    assert [a.name for a in uncovered_asks("does teclistamab need chemo first", car_t)] == ["chemo_first"]


def test_how_many_people_had_a_named_treatment_is_an_ask() -> None:
    # session 36: "how many lupus patients got teclistamab" got three sentences without a number
    assert [a.name for a in asks_of("how many lupus patients got teclistamab")] == ["count"]
    assert asks_of("how many people have ms") == []  # no treatment named
    nejm = [
        "In September, The New England Journal of Medicine printed case reports on a BiTE called teclistamab."
    ]
    assert [a.name for a in uncovered_asks("how many lupus patients got teclistamab", nejm)] == ["count"]
    medpath = ["More than 40 people with lupus around the world have received CAR-T."]
    assert uncovered_asks("how many ppl with lupus got car t so far", medpath) == []


def test_stopping_a_named_medicine_is_an_ask() -> None:
    # session 36: "what happens if you stop taking plaquenil" opened with "When you stop taking prednisone, …"
    assert [a.name for a in asks_of("what happens if you stop taking plaquenil")] == ["stopping"]
    assert [a.name for a in asks_of("what happens if you stop rituximab")] == ["stopping"]
    assert "stopping" in [a.name for a in asks_of("can lupus patients come off their meds after car t")]
    assert asks_of("does car t stop lupus") == []  # what it does to the disease
    # medicines after a treatment are `meds_after`'s (session 45): tapering comes before CAR-T
    assert [a.name for a in asks_of("after car t do you still need lupus meds")] == ["meds_after"]
    assert [a.name for a in asks_of("did lupus patients stay off drugs after car t")] == ["meds_after"]
    assert asks_of("can you stay on prednisone long term") == []
    assert asks_of("what happens if i quit taking my lupus meds") == []  # no treatment named
    prednisone = ["When you stop taking prednisone, you should cut back slowly (as your doctor advises)."]
    assert [a.name for a in uncovered_asks("what happens if you stop taking plaquenil", prednisone)] == [
        "stopping"
    ]
    assert uncovered_asks("what happens if you stop taking prednisone", prednisone) == []
    car_t = ["In lupus, CAR-T has led to drug-free remission in many patients."]
    assert uncovered_asks("can lupus patients come off their meds after car t", car_t) == []


def test_b_cells_coming_back_after_a_named_treatment_is_an_ask() -> None:
    # session 38: "do your b cells grow back after rituximab" opened with NCI's list of lymphomas
    assert [a.name for a in asks_of("do your b cells grow back after rituximab")] == ["cells_return"]
    assert [a.name for a in asks_of("does the immune system grow back after car t")] == ["cells_return"]
    assert "cells_return" not in [a.name for a in uncovered_asks("do b cells come back", [])]  # none named
    assert asks_of("will my hair grow back after rituximab") == []
    car_t = ["B cells do come back after CAR-T cell therapy."]
    assert uncovered_asks("do b cells come back after car t", car_t) == []
    assert [a.name for a in uncovered_asks("do b cells grow back after rituximab", car_t)] == ["cells_return"]
    # the treatment in another sentence does not count: "Over time, B-cell counts recover."
    passage = ["Rituximab is a monoclonal antibody. Over time, B-cell counts recover."]
    assert [a.name for a in uncovered_asks("do b cells grow back after rituximab", passage)] == [
        "cells_return"
    ]


def test_work_after_treatment_and_who_pays_are_asks() -> None:
    # session 31: "can i work after car t" got the steps of CAR-T; "who pays for car t trials" a definition
    assert [a.name for a in asks_of("can i work after car t")] == ["work"]
    assert [a.name for a in asks_of("how many weeks off work after a thymectomy for mg")] == ["work"]
    assert [a.name for a in asks_of("who pays for car t trials")] == ["insurance"]
    assert asks_of("does car t work") == []
    assert asks_of("how does rituximab work") == []


def test_tattoos_pets_herbs_and_donor_versions_are_asks() -> None:
    # session 32: "can i get a tattoo if i have scleroderma" got what causes scleroderma; "can i keep my
    # cat while im on rituximab" the treatment; "can they make car t from a donor's cells" its steps
    assert [a.name for a in asks_of("can i get a tattoo if i have sclerodema")] == ["tattoo"]
    assert [a.name for a in asks_of("can i keep my cat while im on rituximab")] == ["pets"]
    assert [a.name for a in asks_of("do herbs like bugleweed help graves disease")] == ["herbs"]
    assert [a.name for a in asks_of("can they make car t from a donor's cells")] == ["donor"]
    assert [a.name for a in asks_of("is there an off the shelf car t")] == ["donor"]
    assert asks_of("can having pets or farm work cause vasculitis") == []  # a cause: a study may give it
    assert asks_of("do vitamin d supplements help ms") == []  # the MS pages take up vitamin D
    assert asks_of("were there more antibodies than in blood donors") == []  # no treatment named


def test_a_pet_or_herb_ask_needs_a_passage_naming_it_with_the_subject() -> None:
    cat = ["Rituximab lowers B cells, so infections are more likely."]
    assert [a.name for a in uncovered_asks("can i keep my cat while im on rituximab", cat)] == ["pets"]
    natural = ["Some natural treatments help some people with psoriasis, such as fish oil."]
    assert uncovered_asks("are there herbal treatments for psoriasis", natural) == []
    donated = ["IVIG gives the body normal antibodies from donated blood."]
    assert uncovered_asks("is ivig made from a donor's blood", donated) == []


def test_a_lab_value_is_an_ask_a_number_with_its_unit_gives_it() -> None:
    # session 32: "what b cell count do they look for … after car t" got how CAR T cells multiply
    assert [a.name for a in asks_of("what b cell count do they look for after car t")] == ["level"]
    assert [a.name for a in asks_of("what tsh level means graves disease")] == ["level"]
    assert asks_of("what number of people get lupus") == []
    platelets = ["ITP: a normal platelet count ranges from 150,000 to 450,000 platelets per microliter."]
    assert uncovered_asks("what platelet count is dangerous with itp", platelets) == []
    counts = ["Over time, B-cell counts recover after CAR-T, but the new B cells no longer attack."]
    asked = "what b cell count do they look for after car t"
    assert [a.name for a in uncovered_asks(asked, counts)] == ["level"]


def test_cannabis_and_mind_body_therapies_are_asks() -> None:
    # session 32: "is medical marijuana good for ms", "does yoga help ms" got what MS is
    assert [a.name for a in asks_of("is medical marijuana good for ms")] == ["cannabis"]
    assert [a.name for a in asks_of("does cbd oil help lupus pain")] == ["cannabis"]
    assert [a.name for a in asks_of("does yoga help ms")] == ["mind_body"]
    assert [a.name for a in asks_of("does acupuncture help rheumatoid arthritis")] == ["mind_body"]
    ms = ["There is no cure for MS, but medicines may slow it down and help control symptoms."]
    assert [a.name for a in uncovered_asks("does yoga help ms", ms)] == ["mind_body"]
    # a passage naming the disease (session 35: a page on MS no longer covers "does chiropractic help as")
    ra = [
        "People with rheumatoid arthritis can feel stressed. Regular rest periods can help and so can relaxation, "
        "distraction, or visualization exercises."
    ]
    assert uncovered_asks("does tai chi help ra", ra) == []


def test_which_company_makes_it_needs_a_company_named() -> None:
    # session 32: no document names a company; "Biotech companies … are investing" names none
    assert [a.name for a in asks_of("which drug companys are making car t for lupus")] == ["company"]
    assert [a.name for a in asks_of("what company makes teclistamab")] == ["company"]
    assert [a.name for a in asks_of("who makes rituximab")] == ["maker"]
    investing = ["Biotech companies and large pharmaceutical firms are investing in CAR-T."]
    asked = "which companies are making car t"
    assert [a.name for a in uncovered_asks(asked, investing)] == ["company"]
    assert uncovered_asks(asked, ["Kite Pharma makes a CAR-T product."]) == []


def test_the_ages_a_disease_strikes_answer_whether_the_young_get_it() -> None:
    # session 32: "can young people get polymyalgia rheumatica" was refused beside "… over 50"
    pmr = ["Polymyalgia rheumatica is most common in women and almost always occurs in people over 50."]
    assert uncovered_asks("can young people get polymyalgia rheumatica", pmr) == []
    pm = ["Polymyositis: most cases are in adults between the ages of 31 and 60."]
    assert uncovered_asks("can kids get polymyositis", pm) == []
    lupus = ["Lupus can affect many parts of the body."]
    assert [a.name for a in uncovered_asks("can kids get lupus", lupus)] == ["children"]


def test_how_a_named_treatment_is_given_is_an_ask_answered_only_in_a_sentence_naming_it() -> None:
    """Session 33: "how is teclistamab given" got what teclistamab treats; a chunk naming teclistamab
    and CAR-T, "… returned to the patient by infusion", does not say how teclistamab is given."""
    for question in (
        "how is teclistamab given",
        "how do you take hydroxychloroquine",
        "is methotrexate a pill or a shot",
        "is prednisone taken by mouth",
    ):
        assert [a.name for a in asks_of(question)] == ["route"], question
    assert "route" not in [a.name for a in asks_of("how often is rituximab given")]  # how often: another ask
    assert asks_of("how is lupus treated") == []  # no treatment named
    chunk = "Teclistamab is one BiTE. For CAR-T, T cells are returned to the patient by infusion."
    assert [a.name for a in uncovered_asks("how is teclistamab given", [chunk])] == ["route"]
    assert uncovered_asks("how is rituximab given", ["Rituximab is given through a vein."]) == []


def test_a_named_treatments_side_effects_are_said_in_a_sentence_naming_it() -> None:
    """Session 33: "what are the side effects of rituximab" got prednisone's, from a chunk naming both."""
    chunk = "Rituximab is an antibody medicine. Taking prednisone for a long time can lead to serious side effects."
    assert [a.name for a in uncovered_asks("what are the side effects of rituximab", [chunk])] == [
        "side_effects"
    ]
    assert uncovered_asks("what are the side effects of prednisone", [chunk]) == []


def test_whether_a_named_disease_hurts_is_an_ask() -> None:
    """Session 33: "is myasthenia gravis painful" got its symptoms, none a word on pain."""
    assert [a.name for a in asks_of("is myasthenia gravis painful")] == ["pain_disease"]
    assert [a.name for a in asks_of("does scleroderma hurt")] == ["pain_disease"]
    assert asks_of("what helps joint pain in lupus") == []  # pain is the subject, not whether it hurts
    symptoms = ["Typical symptoms of myasthenia gravis are drooping eyelids and double vision."]
    assert [a.name for a in uncovered_asks("is myasthenia gravis painful", symptoms)] == ["pain_disease"]
    assert uncovered_asks("does scleroderma hurt", ["Scleroderma can cause pain in the joints."]) == []


def test_a_treatment_of_a_kind_is_read_as_its_kind_for_how_it_works() -> None:
    """Session 33: the sources say how BiTEs work, not how teclistamab, a BiTE, does."""
    from index.terms import content_terms
    from retriever.coverage import kind_terms

    question = "how does teclistamab work"
    assert kind_terms(question, content_terms(question)) == content_terms("bite work")
    assert kind_terms("how does rituximab work", content_terms("rituximab work")) is None  # of no kind


def test_safety_asked_of_the_disease_treated_and_a_hospital_stay_in_other_words_are_asks() -> None:
    """Session 33: "is car t safe for lupus" read "for lupus" as a setting ("safe for kids") and asked
    nothing; "how long are you in hospital for car-t" did not say "stay"."""
    assert [a.name for a in asks_of("is car t safe for lupus")] == ["safety"]
    assert "safety" not in [a.name for a in asks_of("is car t safe for kids")]  # a setting: the children ask
    assert "safety" not in [a.name for a in asks_of("is plaquenil safe in pregnancy")]
    assert [a.name for a in asks_of("how long are you in hospital for car-t")] == ["hospital_stay"]


def test_two_kinds_of_one_thing_are_compared_whole() -> None:
    # session 35: "whats the difference between type 1 and type 2 diabetes" compared nothing ("1" is no word)
    # and got three sentences on type 1 diabetes
    patterns = [p.pattern for p in compared("whats the difference between type 1 and type 2 diabetes")]
    assert patterns == [r"\btype[\s-]+1[\s-]+diabetes", r"\btype[\s-]+2[\s-]+diabetes"]
    assert [p.pattern for p in compared("difference between acute and chronic itp")] == [
        r"\bacute[\s-]+itp",
        r"\bchronic[\s-]+itp",
    ]
    # no table tells them apart; "discoid" is a kind of what the second names
    assert [p.pattern for p in compared("discoid vs systemic lupus")] == [
        r"\bdiscoid[\s-]+lupus",
        r"\bsystemic[\s-]+lupus",
    ]
    # a first thing with a name of its own keeps it
    assert [p.pattern for p in compared("difference between polymyositis and inclusion body myositis")] == [
        r"\bpolymyositis",
        r"\binclusion[\s-]+body[\s-]+myositis",
    ]


def test_what_trials_are_for_is_no_safety_and_catching_testing_and_living_are_asks() -> None:
    """Session 37: "is car t safe" was answered by how CAR T cells are made, because NCI's "Clinical
    trials are done to find out if new cancer treatments are safe and effective …" stands in every
    chunk naming CAR-T on its pages; "can you catch vitiligo", "how is sjogrens tested" and "how long
    do lupus patients live" asked nothing."""
    trials = [
        "CAR T-cell therapy is being studied. Clinical trials are done to find out if new cancer treatments "
        "are safe and effective or better than the standard treatment."
    ]
    assert [a.name for a in uncovered_asks("is car t safe", trials)] == ["safety"]
    said = ["Infliximab, which blocks a protein, is safe and effective in treating dermatomyositis."]
    assert uncovered_asks("is infliximab safe", said) == []
    assert [a.name for a in asks_of("can you catch vitiligo")] == ["contagious"]
    assert "contagious" not in [a.name for a in asks_of("can you catch it early")]
    assert "contagious" not in [a.name for a in asks_of("can doctors catch lupus early")]
    assert [a.name for a in asks_of("how is sjogrens tested")] == ["diagnosis"]
    assert "deaths" in [a.name for a in asks_of("how long do lupus patients live")]
    assert "deaths" in [a.name for a in asks_of("how long will people with ms live")]


def test_where_care_is_given_is_not_a_research_institute_nor_another_subjects_clinic() -> None:
    # session 39: NCI's footer, and a myasthenia gravis page's resource list, had counted as where care is given
    thymoma = [
        "Surgery to remove the tumor is the most common treatment of thymoma. NIH: National Cancer Institute"
    ]
    assert [a.name for a in uncovered_asks("what hospital is best for thymoma surgery", thymoma)] == ["where"]
    mg = ["These resources address the management of myasthenia gravis: - Cleveland Clinic"]
    sps = [
        "Stiff person syndrome is treated with diazepam.",
        "Myasthenia gravis is treated at the Cleveland Clinic.",
    ]
    asked = "which hospital is the best for stiff person syndrome"
    assert [a.name for a in uncovered_asks(asked, sps, ["Stiff person syndrome", "Myasthenia gravis"])] == [
        "where"
    ]
    # a list of pages to read is not where care is given (session 39, L190)
    assert [
        a.name for a in uncovered_asks("which clinic treats myasthenia gravis", mg, ["Myasthenia gravis"])
    ] == ["where"]
    treated = ["Myasthenia gravis is treated at a hospital or clinic that has a neurologist."]
    assert uncovered_asks("which clinic treats myasthenia gravis", treated, ["Myasthenia gravis"]) == []
    centre = ["The center of each patch becomes ivory colored."]
    assert [a.name for a in uncovered_asks("best center for morphea", centre, ["Morphea"])] == ["where"]


def test_how_often_a_named_treatment_works_needs_a_rate_said_of_it() -> None:
    # session 39: "whats the success rate of car t for ewing sarcoma" got NCI's list of cancers CAR-T is studied for
    asked = "whats the success rate of car t for ewing sarcoma that came back"
    assert "success_rate" in [a.name for a in asks_of(asked)]
    nci = ["CAR T-cell therapy is being studied in the treatment of Ewing sarcoma that has recurred."]
    assert "success_rate" in [a.name for a in uncovered_asks(asked, nci)]
    german = ["All 5 patients with severe lupus treated in a German study reached remission after CAR-T."]
    assert uncovered_asks("what is the success rate of car t for lupus", german) == []
    # the rate said of another treatment does not count
    assert [a.name for a in uncovered_asks("success rate of teclistamab for lupus", german)] == [
        "success_rate"
    ]
    assert "success_rate" not in [
        a.name for a in asks_of("what is the success rate of surgery")
    ]  # none named


def test_which_works_better_needs_a_sentence_comparing_them() -> None:
    # session 39: "teclistamab vs rituximab for lupus which one works better" got a line on each
    asked = "teclistamab vs rituximab for lupus which one works better"
    assert "better" in [a.name for a in asks_of(asked)]
    each = [
        "Rituximab lowers the numbers of certain immune cells. Teclistamab is one BiTE.",
        "Simpler treatments such as BiTEs may help more lupus patients than CAR-T can.",
    ]
    assert "better" in [a.name for a in uncovered_asks(asked, each)]
    # a sentence naming both compares them; teclistamab is named by its kind, BiTEs
    assert uncovered_asks("which is better car t or bites", each) == []
    assert "better" not in [a.name for a in uncovered_asks("is teclistamab better than car t", each)]
    assert "better" not in [a.name for a in asks_of("what is the best treatment for lupus")]  # none named


def test_make_you_blind_is_an_effect_asked() -> None:
    # session 45: "can ms make you blind" opened with what MS is
    from retriever.coverage import disease_effect, effect_asked

    assert effect_asked("can ms make you blind") == ("ms", "blind")
    assert disease_effect("can lupus make you blind") is not None
    assert effect_asked("can ms make you tired") is None  # the harm ask's wording, for treatments


def test_the_summer_sun_is_asked_about() -> None:
    # session 45: "is lupus worse in the summer" got the list of lupus symptoms
    assert "sun" in [a.name for a in asks_of("is lupus worse in the summer")]
    assert "sun" in [a.name for a in asks_of("is tanning bad for lupus")]
    assert "sun" not in [a.name for a in asks_of("does cold weather make psoriasis worse")]
    rash = ["Lupus: The butterfly rash often appears, or gets stronger, after time in sunlight."]
    assert "sun" not in [a.name for a in uncovered_asks("can i go in the sun with lupus", rash)]
    assert "sun" in [a.name for a in uncovered_asks("is summer bad for ms", ["MS: MS affects the brain."])]


def test_medicines_after_a_treatment_are_asked_of_it() -> None:
    # session 45: "will i need medicine after car t" opened with chemotherapy before the infusion, "do
    # people still need meds after car t" with tapering before it
    assert [a.name for a in asks_of("will i need medicine after car t")] == ["meds_after"]
    assert [a.name for a in asks_of("do people still need meds after car t for lupus")] == ["meds_after"]
    assert "meds_after" not in [a.name for a in asks_of("do you keep taking prednisone after a flare")]
    stopped = [a.name for a in asks_of("what happens if i stop my meds after car t")]
    assert "stopping" in stopped and "meds_after" in stopped
    free = ["In lupus, CAR-T has led to drug-free remission in many patients."]
    assert uncovered_asks("are people off all their meds after car t", free) == []
    assert [a.name for a in uncovered_asks("do you still need meds after rituximab", free)] == ["meds_after"]


def test_one_time_or_more_asks_whether_it_is_given_again() -> None:
    # session 45: "is car t one time or do you need more" opened with "CLL usually gets worse slowly"
    asked = [a.name for a in asks_of("is car t one time or do you need more")]
    assert "repeat" in asked
    assert "repeat" in [a.name for a in asks_of("is car t a one-time treatment")]
    assert "repeat" in [a.name for a in asks_of("do you only get car t once")]
    assert "repeat" not in [a.name for a in asks_of("how many times more likely are women to get lupus")]
    made = ["Making cells for one person at a time makes CAR-T production hard to scale up."]
    assert "repeat" in [a.name for a in uncovered_asks("is car t one time or do you need more", made)]


def test_deaths_are_asked_of_the_question_subject() -> None:
    # session 39: "do they live a normal life span (about: takayasu arteritis)" was covered by another
    # disease's "people with SPENCDI typically have a shortened life expectancy"
    other = [
        "Takayasu arteritis inflames the aorta.",
        "People with SPENCDI typically have a shortened life expectancy.",
    ]
    titles = ["Takayasu arteritis", "SPENCDI"]
    asked = "do people with takayasu arteritis live a normal life span"
    assert [a.name for a in uncovered_asks(asked, other, titles)] == ["deaths"]
    lupus = ["Most people with lupus live a normal lifespan with regular doctor visits."]
    assert uncovered_asks("is lupus fatal", lupus, ["Lupus"]) == []


def test_a_count_asked_is_given_by_a_figure_or_a_word_for_how_many() -> None:
    from retriever.coverage import count_not_given

    making = ["The changed cells are now called chimeric antigen receptor (CAR) T cells."]
    assert count_not_given("how many car t cells do they give you", making)  # session 41
    assert not count_not_given("how many people got car t", ["All 5 patients went into remission."])
    assert not count_not_given("how many people got car t", ["Five people were treated."])
    assert not count_not_given("how many people with lupus get kidney disease", ["Most people do not."])
    assert not count_not_given("how many people get it", ["It is rare."])
    assert count_not_given("how many get it", ["No one can call it a cure yet."])  # not a count
    assert not count_not_given("what are car t cells", making)  # no count asked
    assert not count_not_given("how many car t cells do they give you", [])  # nothing quoted: not this check


def test_a_counted_thing_is_named_beside_the_count() -> None:
    from retriever.coverage import count_not_given, counted

    assert counted("how many car t trials are there for ms") == "trial"
    assert counted("how many ivig infusions does it take") == "infus"
    assert counted("how many times more women than men get lupus") == "time"
    assert counted("how many lupus patients have had car t") == ""  # people: any population figure
    assert counted("how many ppl with lupus") == ""
    assert counted("how many patients developed AVN, and were aPL linked to it?") == ""  # s42b's dev-059
    assert counted("how many die from lupus") == ""  # no plural: nothing in particular
    # session 42: "twice as many" counts women, not infusions
    assert count_not_given(
        "how many ivig infusions does it take", ["SPS affects twice as many women as men."]
    )
    assert not count_not_given("how many drugs can cause lupus", ["More than 80 drugs may be involved."])
    assert not count_not_given("how many car t trials are there", ["Two studies are under way."])  # a study
    remission = ["The first patient stayed free of symptoms for almost four years."]
    assert not count_not_given("how many months did they stay in remission", remission)  # any time unit
    # a medicine by any name, people by any word (session 42's L205c)
    assert not count_not_given("how many medicines can cause lupus", ["More than 80 drugs have been linked."])
    assert counted("how many lupus sufferers are there") == ""
    assert counted("how many girls get lupus compared to boys") == ""


def test_a_person_asked_for_is_given_by_a_name() -> None:
    from retriever.coverage import person_not_named

    study = ["All 5 patients with severe lupus treated in a German study reached complete remission."]
    assert person_not_named("who led the car t lupus study", study)  # session 41
    assert person_not_named("what is the name of the german doctor who did car t for lupus", study)
    named = ["CAR-T removes B cells, according to Fabian Müller of the University Hospital of Erlangen."]
    assert not person_not_named("who led the car t lupus study", named)
    assert not person_not_named("who led it", ["Dr. Smith led the study."])
    assert person_not_named("who led it", ["Columbia University ran the study."])  # no person
    assert not person_not_named("who treats lupus", study)  # a specialist answers, not a name
    assert not person_not_named("who gets lupus", study)
    # a journal publishes: "The New England Journal of Medicine printed case reports …" answers it
    assert not person_not_named("who published the teclistamab case reports", study)
    assert not person_not_named("who led the car t lupus study", [])  # nothing quoted: not this check


def test_a_trigger_asked_about_is_named_in_a_passage_on_the_disease() -> None:
    from retriever.coverage import asked_trigger, unnamed_trigger

    assert asked_trigger("can stress make itp worse") == ("stress", frozenset({"immune thrombocytopenia"}))
    assert asked_trigger("does gluten cause lupus") == ("gluten", frozenset({"lupus"}))
    assert asked_trigger("does lupus cause hair loss") is None  # an effect of the disease
    assert asked_trigger("can rituximab cause lupus") is None  # a treatment's harm is another ask
    itp = "ITP is an autoimmune disorder. In most cases, an autoimmune response is thought to cause ITP."
    assert unnamed_trigger("can stress make itp worse", [itp]) == "stress"  # session 42
    celiac = "Celiac disease is a condition in which the immune system is abnormally sensitive to gluten."
    lupus = "Things that may help trigger lupus include sunlight, stress and certain medicines."
    assert unnamed_trigger("does gluten cause lupus", [celiac, lupus]) == "gluten"  # not on lupus
    assert unnamed_trigger("does stress make lupus worse", [celiac, lupus]) == ""
    assert unnamed_trigger("can the sun trigger lupus flares", [lupus]) == ""  # "sunlight" names it
    assert unnamed_trigger("can medicine cause lupus", [lupus]) == ""  # "medicines"
    # a remedy asked to help (session 42): "can fish oil help ra", "will cutting out sugar help psoriasis"
    assert asked_trigger("can fish oil help ra") == ("fish oil", frozenset({"rheumatoid arthritis"}))
    assert asked_trigger("does rituximab help lupus") is None  # a treatment the tables know
    ra = "RA treatment aims to ease pain and swelling. Exercise can help people manage weight."
    assert unnamed_trigger("can fish oil help ra", [ra]) == "fish oil"
    assert unnamed_trigger("does losing weight help rheumatoid arthritis", [ra]) == ""
    assert unnamed_trigger("will cutting out sugar help ra", [ra + " Cuts heal."]) == "cutting out sugar"


def test_a_harm_asked_of_a_treatment_is_named_beside_it() -> None:
    from retriever.coverage import asked_harm, names_harm, statement_units, unpaired_harm

    # session 43: "can car t cause infections" got a sentence on what causes myositis
    myositis = "Myositis can be caused by an injury, an infection or an autoimmune disease."
    car_t = "CAR-T for autoimmune disease is limited by its cost and how complex it is."
    assert unpaired_harm("can car t cause infections", [myositis, car_t]) == "infections from CAR-T"
    assert unpaired_harm("does ivig cause blood clots", ["IVIG adds antibodies to the blood plasma."]) == (
        "blood clots from IVIG"  # "blood" alone names too much
    )
    assert unpaired_harm("can car t cause diabetes", [car_t]) == "diabetes from CAR-T"
    assert unpaired_harm("can steroids cause weight gain", [myositis]) == "weight gain from steroids"
    listed = "Side effects of prednisone may include\n\n- weight gain\n- acne\n- diabetes"
    assert statement_units(f"Prednisone is a steroid. {listed}") == [
        "Prednisone is a steroid.",
        "Side effects of prednisone may include\n- weight gain\n- acne\n- diabetes",
    ]
    assert unpaired_harm("can steroids cause weight gain", [listed]) == ""  # the list's lead-in names it
    assert unpaired_harm("can prednisone cause diabetes", [listed]) == ""
    assert unpaired_harm("can steroids make you tired", [listed]) == ""  # not a "cause" question
    assert unpaired_harm("can lupus cause infections", [myositis]) == ""  # a disease's effect: other checks
    harm = asked_harm("can steroids cause osteoporosis")
    assert harm is not None
    assert names_harm(harm, "Corticosteroid treatment is linked to a higher risk of osteoporosis.")
    assert not names_harm(harm, "Such patients may discuss treatments for osteoporosis.")


def test_a_harm_people_get_after_a_treatment_is_asked_of_the_treatment() -> None:
    """Session 45: "do people get infections after car t" got how CAR T cells multiply; "will i get
    infections while on steroids" a pemphigus page listing antibiotics for infections beside steroids."""
    from retriever.coverage import asked_harm, effect_asked, names_harm, unpaired_harm

    assert effect_asked("do people get infections after car t") == ("car t", "infections")
    assert effect_asked("will i get a rash from rituximab?") == ("rituximab", "a rash")
    assert effect_asked("can you get shingles on methotrexate") == ("methotrexate", "shingles")
    assert effect_asked("do people get better after car t") is None  # no harm
    assert effect_asked("do kids get car t after chemo") is None
    car_t = "CAR T cells multiply in the patient's blood after the infusion."
    assert unpaired_harm("do people get infections after car t", [car_t]) == "infections from CAR-T"
    assert unpaired_harm("do people get tired on prednisone", [car_t]) == "tiredness from prednisone"
    harm = asked_harm("will i get infections while on steroids")
    assert harm is not None
    treated = "These may include\n- Steroids, which reduce inflammation\n- Antibiotics to treat associated infections"
    listed = "Side effects of corticosteroids include\n\n- acne\n- a higher chance of developing infections"
    assert not names_harm(harm, treated)  # named together, but not as a harm
    assert names_harm(harm, listed)
    assert unpaired_harm("will i get infections while on steroids", [treated]) == "infections from steroids"
    assert unpaired_harm("will i get infections while on steroids", [treated, listed]) == ""


def test_a_medicine_taken_with_another_or_in_pregnancy_needs_a_sentence_naming_both() -> None:
    from retriever.coverage import taken_with, untold_combination

    # session 44: each had got sentences on the medicine alone
    trial = "In a placebo-controlled study, 75 patients on methotrexate were asked to stop their folic acid."
    assert untold_combination("does methotrexate interfere with birth control", [trial]) == (
        "taking methotrexate with birth control"  # "controlled" is not birth control
    )
    plaquenil = "Plaquenil is a brand name of hydroxychloroquine."
    assert untold_combination("does plaquenil interact with other meds", [plaquenil]) == (
        "taking plaquenil with other meds"  # as typed: `_as_named`
    )
    assert untold_combination("can you take rituximab while pregnant", ["Rituximab lowers B cells."]) == (
        "rituximab in pregnancy"
    )
    # a body part asks a harm (`unpaired_harm`), not a combination (session 45)
    assert untold_combination("does hydroxychloroquine interfere with your eyes", [plaquenil]) == ""
    assert untold_combination("can you take plaquenil and rituximab together", [plaquenil]) == (
        "taking plaquenil with rituximab"
    )
    told = "Tell your doctor before taking plaquenil, as it may interact with other medications."
    assert untold_combination("does plaquenil interact with other meds", [told]) == ""
    assert taken_with("can you take fish oil with lupus meds") is None  # no medicine the tables know
    listed = (
        "Lupus medicines may include:\n\n- ibuprofen, aspirin or other NSAIDs\n- steroids (corticosteroids)"
    )
    assert untold_combination("can you take ibuprofen with prednisone", [listed]) == ""  # one unit names both
    assert (
        untold_combination(
            "is it safe to take methotrexate while breastfeeding",
            ["Methotrexate should not be taken while breastfeeding."],
        )
        == ""
    )
    assert untold_combination("what is plaquenil", [plaquenil]) == ""  # not a question of the form


def test_something_done_after_a_treatment_needs_a_sentence_naming_both() -> None:
    from retriever.coverage import untold_activity

    # session 44: "can you exercise after car t" got how CAR T cells multiply
    multiply = ["Inside the body, the CAR T cells multiply in the blood."]
    assert (
        untold_activity("can you exercise after car t", multiply) == "whether people can exercise after CAR-T"
    )
    assert untold_activity("is it safe to swim after rituximab", ["Rituximab lowers B cells."]) == (
        "whether people can swim after rituximab"
    )
    told = ["Light exercise is fine a few weeks after CAR-T cell therapy."]
    assert untold_activity("can you exercise after car t", told) == ""
    # what other asks answer: stopping medicines, a relapse, going back to work; and no treatment named
    assert untold_activity("can you stop your meds after car t", multiply) == ""
    assert untold_activity("can you get lupus again after car t", multiply) == ""
    assert untold_activity("when can you go back to work after car t", multiply) == ""
    assert untold_activity("can you exercise after a flare", multiply) == ""


def test_a_how_long_question_needs_some_length_of_time_in_the_answer() -> None:
    from retriever.coverage import answer_lacks, duration_not_given

    # session 44: "B cells do come back after CAR-T cell therapy." said three ways, and no time
    back = ["B cells do come back after CAR-T cell therapy.", "B cells do come back after the deep reset."]
    assert answer_lacks("how long till b cells come back after car t", back) == "how long it lasts"
    assert answer_lacks("how long does it take to make car t cells", back) == "how long it takes"
    assert not duration_not_given(
        "how long does acute itp last", ["Acute ITP generally lasts less than 6 months."]
    )
    assert not duration_not_given(  # a unit glued to its number, as one page prints it
        "how long does kawasaki disease last", ["One main symptom is a fever that lasts longer than5days."]
    )
    assert not duration_not_given("how long does lupus last", ["Lupus is a chronic disease."])
    assert not duration_not_given("how long ago was car t first used", back)  # a moment: another ask
    assert not duration_not_given("how long can you live with lupus", back)  # a life's length: another ask
    assert not duration_not_given("do b cells come back after car t", back)
    assert not duration_not_given("how long till b cells come back", [])  # a refusal has nothing to read


def test_an_effect_asked_of_a_disease_is_read_word_by_word() -> None:
    from index.terms import fold
    from retriever.coverage import disease_effect

    asked = disease_effect("can ms ruin your eyesight")  # session 43
    assert asked is not None
    diseases, words = asked
    assert diseases == frozenset({"multiple sclerosis"})
    assert all(p.search(fold("vision problems, often the first symptom")) for p in words)
    liver = disease_effect("can celiac disease damage the liver")
    assert liver is not None
    assert not any(p.search("people live with it") for p in liver[1])  # the word's start, not "live"
    assert disease_effect("can car t cause infections") is None  # a treatment's harm
    assert disease_effect("does smoking cause ra") is None  # a cause asked of a disease
    assert disease_effect("what is lupus") is None


def test_a_success_rate_is_given_in_a_passage_on_the_disease_asked() -> None:
    from retriever.coverage import ASKS, uncovered_asks

    # session 43: "what is the cure rate of car t for leukemia" passed on lupus patients' remissions
    lupus = "CAR-T in lupus. All 5 patients with severe lupus reached complete remission after CAR-T."
    leukemia = "NCI lists CAR T-cell therapy as under study for chronic lymphocytic leukemia."
    passages = [lupus, leukemia]
    assert [a.name for a in uncovered_asks("what is the cure rate of car t for leukemia", passages)] == [
        "success_rate"
    ]
    assert not uncovered_asks("what is the success rate of car t for lupus", passages)
    assert not uncovered_asks("what is the success rate of car t", passages)  # no disease named
    ra = "Biologic response modifiers, such as rituximab, can help reduce joint damage in RA."
    assert [a.name for a in uncovered_asks("what percentage of ra patients respond to rituximab", [ra])] == [
        "success_rate"  # rituximab's kind is no response to it
    ]
    rate = next(ask for ask in ASKS if ask.name == "success_rate")
    assert rate.lift is not None
    assert rate.lift.search(lupus)  # a share of the people treated reaching an outcome lifts
    assert not rate.lift.search("More than 40 people with lupus have had CAR-T.")


def test_how_long_recovery_takes_is_said_of_the_treatment() -> None:
    from retriever.coverage import uncovered_asks

    # session 43: "how long is recovery from car t" got the first lupus patient's four years of remission
    car_t = "The first lupus patient treated with CAR-T stayed free of symptoms for almost four years."
    gbs = "Guillain-Barré syndrome can be severe. Recovery can take a few weeks to a few years."
    names = [a.name for a in uncovered_asks("how long is recovery from car t", [car_t, gbs])]
    assert "recovery" in names
    assert "recovery" not in [
        a.name
        for a in uncovered_asks(
            "how long is recovery from car t", [car_t + " Most people recover within weeks of CAR-T."]
        )
    ]
    assert not uncovered_asks(
        "how long does it take to recover from guillain barre", [gbs]
    )  # no treatment: not read


def test_a_price_asked_for_is_given_beside_the_treatment() -> None:
    from retriever.coverage import answer_lacks, price_not_given

    # session 42: CAR-T's price is no answer to what teclistamab costs
    drafted = [
        "Teclistamab is one BiTE.",
        "CAR-T cell therapy costs about $500,000 when it is used for cancer.",
    ]
    assert price_not_given("how much does teclistamab cost a month", drafted)
    assert answer_lacks("how much does teclistamab cost", drafted) == "prices or costs"
    assert not price_not_given("how much does car t cost", drafted)
    cheap = ['BiTEs are "cheap, fast, uncomplicated," in the words of Fabian Müller.']
    assert not price_not_given("how much do bites cost", cheap)  # a word for the cost of its kind
    assert not price_not_given("is teclistamab expensive", drafted)  # no amount asked
    assert price_not_given("how much does a lupus blood test cost", ["Blood tests can look for antibodies."])


def test_a_dose_asked_for_is_given_as_an_amount() -> None:
    from retriever.coverage import answer_lacks, dose_not_given

    # session 42: rd-048 got "high doses of diazepam", no amount
    high = ["People with SPS respond to high doses of diazepam and several anti-convulsants."]
    assert dose_not_given("what dose of diazapam do they usually give for stiff person syndrome", high)
    assert answer_lacks("what is the usual dose of hydroxychloroquine", high) == "doses"
    assert not dose_not_given("how much folic acid do people take", ["FA 5 mg daily was given."])
    assert not dose_not_given("what CAR-T cell dose was given", ["1 million CAR T cells per kilogram."])
    assert not dose_not_given("does diazepam help sps", high)  # no amount asked


def test_how_often_a_harm_comes_is_said_of_that_harm() -> None:
    from retriever.coverage import asks_of, rate_not_given

    # session 42: rd-041 got the symptoms of myasthenia gravis
    asked = "my husband gets ivig for his myasthenia gravis, how often do people get bad headaches from it"
    assert rate_not_given(asked, ["Typical symptoms of myasthenia gravis are drooping eyelids."])
    nausea = ["At 9 months there was an increased incidence of nausea in the placebo group (45 vs. 7%)."]
    assert not rate_not_given("how often does nausea happen", nausea)
    assert rate_not_given(
        "how often do people with ra get lung problems", ["RA may affect 1 percent of people."]
    )
    assert not rate_not_given("how often is rituximab given", nausea)  # not how often a harm comes
    # how often a harm comes on a treatment is not how often the treatment is given
    assert asks_of("how often do people get infections on rituximab") == []
    assert [a.name for a in asks_of("how often do you get rituximab infusions")] == ["frequency"]


def test_the_process_of_car_t_is_asked_in_plain_words() -> None:
    # session 46: "how do they get your t cells out" got how CAR T cells multiply in the blood
    names = lambda q: [a.name for a in asks_of(q)]  # noqa: E731 - a short reading aid
    assert "collect" in names("how do they get your t cells out")
    assert "collect" in names("do they draw blood to make the car t")
    assert "collect" not in names("how many times do they take your blood for car t")
    assert "collect" not in names("do they take blood to test for lupus")
    assert "collect" in names("do they take your own cells for car t")
    assert "collect" not in names("do they take cells from your kidney for a biopsy")
    assert "made_where" in names("where do they send my cells to be made")
    assert "made_where" in names("where are car t cells made")
    taken = ["CAR-T: **Collect.** T cells are taken from the patient."]
    assert "collect" not in [a.name for a in uncovered_asks("how do they get your t cells out", taken)]
    # being put to sleep, of a named treatment: no source says
    assert "sedation" in names("do they put you to sleep for car t")
    assert "sedation" in names("do you get anesthesia for rituximab")
    assert "sedation" not in names("does lupus make you sleepy")
    infusion = ["CAR-T: The CAR T cells are returned to the patient by infusion."]
    assert "sedation" in [a.name for a in uncovered_asks("are you awake for car t", infusion)]


def test_what_a_treatment_attacks_is_asked_of_it() -> None:
    # session 46: "what do car t cells attack in lupus" opened with "Inside the body, the CAR T cells
    # multiply in the blood."
    names = lambda q: [a.name for a in asks_of(q)]  # noqa: E731 - a short reading aid
    assert "target" in names("what do car t cells attack in lupus")
    assert "target" in names("what does teclistamab target")
    assert "target" in names("what cells does rituximab go after")
    assert "target" in names("which immune cells does car t kill")
    assert "target" not in names("what does lupus attack")  # a disease's attack: no treatment named
    target = next(a for a in ASKS if a.name == "target")
    assert target.lift is not None
    assert target.lift.search("In lupus, the engineered CAR T cells are aimed at B cells.")
    assert not target.lift.search("Killing is rare.")


def test_more_ways_to_ask_what_the_sources_do_not_say() -> None:
    # session 46: each was answered with what CAR-T is or how its cells multiply
    names = lambda q: [a.name for a in asks_of(q)]  # noqa: E731 - a short reading aid
    assert "cost" in names("how much is teclistamab a month")
    assert "cost" in names("how much is rituximab per infusion")
    assert "cost" not in names("how much is too much prednisone")
    assert "insurance" in names("is car t covered by blue cross")
    assert "insurance" in names("is car t covered")
    assert "insurance" not in names("is psoriasis skin covered by scales")
    assert "waiting" in names("how soon can i get car t after asking")
    assert "waiting" not in names("how soon can i get pregnant after stopping methotrexate")
    assert "place" in names("where is the nearest car t clinic")
    assert "place" not in names("what is the closest thing to a cure for lupus")
    assert "stopping" in names("can you stop teclistamab once you feel better")
    assert "referral" in names("do i need a referral for car t")
    assert "referral" not in names("what is lupus also referred to as")
    assert "referral" in [
        a.name for a in uncovered_asks("do i need a referral for car t", ["CAR-T: CAR-T is costly."])
    ]


def test_military_service_apps_school_and_social_security_are_asked_about() -> None:
    # session 46: each got what the disease is or a list of its symptoms; no source says
    names = lambda q: [a.name for a in asks_of(q)]  # noqa: E731 - a short reading aid
    assert "military" in names("can you join the army with lupus")
    assert "app" in names("what app can track lupus flares")
    assert "school" in names("can kids with lupus go to school")
    assert "school" not in names("what is the best school of thought on lupus")
    assert "disability" in names("do you qualify for social security with myasthenia gravis")
    lupus = ["Lupus: Lupus is an autoimmune disease."]
    assert "school" in [a.name for a in uncovered_asks("can kids with lupus go to school", lupus)]


def test_support_groups_and_flying_are_asked_of_the_disease_not_of_nerve_signals() -> None:
    # session 46: "is there a lupus support group near me" got who gets lupus; "can i fly with
    # myasthenia gravis" counted "… helps nerve signals travel" as travel
    assert "support_group" in [a.name for a in asks_of("is there a lupus support group near me")]
    signals = ["Myasthenia gravis: Myelin helps nerve signals travel."]
    assert "activities" in [a.name for a in uncovered_asks("can i fly with myasthenia gravis", signals)]
    trips = ["Myasthenia gravis: People with it can travel with planning."]
    assert "activities" not in [a.name for a in uncovered_asks("can i fly with myasthenia gravis", trips)]


def test_caregivers_packing_cosmetics_and_the_time_of_day_are_asks() -> None:
    # session 47: each had got loosely related sentences (what "CAR" stands for, a list of skin signs)
    def names(question: str) -> list[str]:
        return [a.name for a in asks_of(question)]

    assert "caregiver" in names("do i need a caregiver after car t")
    assert "packing" in names("what should i pack for the hospital for car t")
    assert "outpatient" in names("can you get car t as an outpatient")
    assert "cosmetics" in names("can i dye my hair with lupus")
    assert "time_of_day_disease" in names("is lupus worse at night")
    assert "time_of_day_disease" not in names(
        "when is the best time of day to take prednisone"
    )  # a medicine's
    assert "exercise" in names("can you exercise with lupus")
    lupus = ["Lupus: Lupus care mixes medicine, rest, exercise and good nutrition."]
    assert "exercise" not in [a.name for a in uncovered_asks("can you exercise with lupus", lupus)]
    assert "time_of_day_disease" in [a.name for a in uncovered_asks("is lupus worse at night", lupus)]
    morning = ["Rheumatoid arthritis: Joints are often stiff in the morning."]
    assert not uncovered_asks("is rheumatoid arthritis worse in the morning", morning)


def test_a_treatment_that_fails_and_being_medicine_free_are_asks() -> None:
    # session 47: "what if car t doesnt work for me" got what "CAR" stands for; "after car t are you med
    # free" how the cells are grown
    def names(question: str) -> list[str]:
        return [a.name for a in asks_of(question)]

    assert "fails" in names("what if car t doesnt work for me")
    assert "fails" in names("what happens if car t fails")
    assert "fails" not in names("does rituximab work for lupus")
    assert "fails" not in names("how does car t work")
    # s47g: a history told is no question on failure (dev-109 lost its general facts on eligibility)
    assert "fails" not in names("am I eligible for car-t? I've had lupus nephritis and rituximab didn't work")
    assert "fails" in names("what do they do if car t didnt work")
    assert "meds_after" in names("after car t are you med free")
    assert "meds_after" in names("will car t get me off all my lupus meds")
    cart = ["CAR-T: CAR-T cell therapy changes a patient's T cells."]
    assert "fails" in [a.name for a in uncovered_asks("what if car t doesnt work for me", cart)]
    sps = ["A study of rituximab in stiff-person syndrome found that rituximab did not work."]
    assert not uncovered_asks("what if rituximab doesnt work for sps", sps)
