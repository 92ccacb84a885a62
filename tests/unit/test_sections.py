"""The kinds of section a question asks for and a heading opens (retriever/sections.py)."""

from __future__ import annotations

import pytest

from retriever.sections import kinds_asked, kinds_of_heading, kinds_of_sentence, restates


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("how do they diagnose myasthenia gravis", {"diagnosis"}),
        ("what blood tests do they do to check for rheumatoid arthritis", {"diagnosis"}),
        ("how do i know if i have lupus", {"diagnosis"}),
        ("how do u get vasculitis", {"cause"}),
        # session 47: people's words for finding it out, not how one gets it
        ("how do doctors know you have ms", {"diagnosis"}),
        ("how do doctors figure out if you have sjogrens", {"diagnosis"}),
        ("how do they know its lupus and not something else", {"diagnosis"}),
        ("what blood work shows ms", {"diagnosis"}),
        ("can an mri show ms", {"diagnosis"}),
        ("how do you get tested for ms", {"diagnosis"}),
        ("what triggers a lupus flare", {"cause"}),
        ("is ra hereditary", {"inheritance"}),
        ("will my kids get ms", {"inheritance"}),  # session 34
        ("how does rituximab work", {"mechanism"}),
        ("what does sjogrens do to your body", set()),  # a disease's effects, not how it works (session 30)
        ("what are the first signs of ms", {"symptoms"}),
        ("whats the prognosis for stiff person syndrome", {"outlook"}),
        ("what is the outlook for inclusion body myositis", {"outlook"}),
        ("how long can you live with lupus", set()),  # narrower than an outlook section (session 13)
        ("can you die from myasthenia gravis", {"outlook"}),  # session 25
        ("is ms fatal", {"outlook"}),
        ("life expectancy with scleroderma", {"outlook"}),
        ("who usually gets polymyalgia rheumatica", {"who gets it"}),  # session 30
        ("who is at risk for lupus nephritis", {"who gets it"}),
        ("is lupus more common in women or men", {"who gets it"}),
        ("do more women get multiple sclerosis than men", {"who gets it"}),
        ("who gets rituximab for lymphoma in the brain", {"who it is for"}),  # a treatment (session 32)
        ("do patients who get car t for lupus still take plaquenil", set()),
        ("does car t work for lupus", set()),  # whether it works, not how
        ("what is the treatment for myositis", {"treatment"}),
        ("how do they treat graves disease", {"treatment"}),
        ("how is TTP treated", {"treatment"}),
        ("does car t treat lupus", set()),  # only a question that asks how it is treated (session 13)
        # what is given for it, in people's words (session 44; "what treatments help" was left out in session 23)
        ("what treatments help optic neuritis", {"treatment"}),
        ("what do doctors give for vasculitis", {"treatment"}),
        ("what can you take for crest syndrome", {"treatment"}),
        ("what meds help scleroderma", {"treatment"}),
        ("what treatment is there for gpa", {"treatment"}),
        ("what is used to treat polymyositis", {"treatment"}),
        ("what are the options for treating mg besides surgery", {"treatment"}),
        ("what meds are bad for lupus", set()),  # what harms, not what treats
        ("what is rituximab used for", set()),  # what a medicine treats: another question
        ("what medicines treat ankylosing spondylitis", {"treatment"}),  # session 26
        ("which drugs are used for myasthenia gravis", {"treatment"}),
        # what a disease brings about, not what causes it (session 24)
        ("can lupus cause depression", set()),
        ("does ms cause anxiety or mood swings", set()),
        ("can stress cause a lupus flare", {"cause"}),
        ("what can cause ms", {"cause"}),
        ("can a virus cause ms", {"cause"}),
    ],
)
def test_a_question_asks_for_a_kind_of_section(question: str, kinds: set[str]) -> None:
    assert kinds_asked(question) == kinds


def test_a_heading_opens_a_kind_of_section() -> None:
    assert kinds_of_heading("How to diagnose Myasthenia Gravis?") == {"diagnosis"}
    assert kinds_of_heading("How is lupus nephritis diagnosed?") == {"diagnosis"}
    assert kinds_of_heading("What causes Vasculitis?") == {"cause"}
    assert kinds_of_heading("Is rheumatoid arthritis inherited?") == {"inheritance"}
    assert kinds_of_heading("What does rituximab do?") == {"mechanism"}
    assert kinds_of_heading("What are the symptoms of Lupus?") == {"symptoms"}
    assert kinds_of_heading("What are the treatments for Myositis?") == {"treatment"}
    assert kinds_of_heading("What is the outlook for Neurosarcoidosis?") == {"outlook"}
    assert kinds_of_heading("") == set()  # a chunk with a title only


@pytest.mark.parametrize(
    ("sentence", "kinds"),
    [
        ("Symptoms often include tingling or numbness (first in the toes and fingers).", {"symptoms"}),
        ("Common signs and symptoms include painless jaundice and weight loss.", {"symptoms"}),
        ("The results from a chest x ray may show signs that suggest pneumonia.", set()),
        ("Treatment often involves corticosteroids.", {"treatment"}),
        ("Joint pain is often treated with nonsteroidal anti-inflammatory medications.", {"treatment"}),
        ("Medications may include NSAIDs, pain relievers and sulfasalazine.", {"treatment"}),
        # what doctors give, said so (session 44)
        ("Doctors may prescribe cytotoxic medicines if vasculitis is severe.", {"treatment"}),
        ("Corticosteroids, such as prednisone, are commonly used to treat ITP.", {"treatment"}),
        ("Prednisone is a steroid.", set()),
        ("Lupus nephritis is diagnosed with urine tests, blood tests and a kidney biopsy.", {"diagnosis"}),
        ("A doctor may be able to diagnose the disease soon after it starts.", {"diagnosis"}),  # session 30
        (
            "Myasthenia gravis is most often diagnosed in women younger than 40.",
            {"who gets it"},
        ),  # who, not how
        ("CIDP is more common in young adults.", {"who gets it"}),
        # an outlook, not a symptom of "what are the symptoms of transverse myelitis" (session 30)
        ("About a third of the people affected make a good or full recovery.", {"outlook"}),
        ("Recovery usually begins within a few weeks of the attack.", {"outlook"}),
        ("The prognosis varies with the organs involved.", {"outlook"}),
        ("Physical therapy helps the recovery of strength.", set()),
        # the life people can expect (session 33); not a blood cell's lifespan
        ("Most people with lupus live a normal lifespan with regular doctor visits.", {"outlook"}),
        ("People who follow their treatment plan can expect a normal or nearly normal life.", {"outlook"}),
        ("Red blood cells are destroyed before their normal lifespan is over.", set()),
        # who a disease strikes (session 30)
        ("It is far more common in women, and most people are over 50.", {"who gets it"}),
        ("Girls get it about twice as often as boys do.", set()),
        ("The disease usually begins between the ages of 20 and 40.", {"who gets it"}),
        ("Anyone can get it, but women have the highest risk.", {"who gets it"}),
    ],
)
def test_a_sentence_says_which_kind_it_gives(sentence: str, kinds: set[str]) -> None:
    assert kinds_of_sentence(sentence) == kinds


def test_research_sections_and_questions_about_research() -> None:
    from retriever.sections import ASKS_RESEARCH, is_research_section

    assert is_research_section("What research (or clinical trials) is being done for Myasthenia Gravis?")
    assert not is_research_section("How is myasthenia gravis treated?")
    assert ASKS_RESEARCH.search("any new treatments for mg being tested")
    assert not ASKS_RESEARCH.search("is myasthenia gravis curable")


@pytest.mark.parametrize(
    ("sentence", "research"),
    [
        ("Researchers continue to evaluate medications to treat refractory celiac disease.", True),
        ("Scientists are evaluating new and improving current treatments for myasthenia gravis.", True),
        ("Sjögren syndrome research also aims to test new treatments.", True),
        ("Research involving additional treatment options for SPS is ongoing.", True),
        ("Researchers treated five people with severe lupus.", False),  # what a study did
        ("A research team in Germany found that CAR-T reset the immune system.", False),
    ],
)
def test_a_sentence_on_what_is_being_studied(sentence: str, research: bool) -> None:
    from retriever.sections import RESEARCH_SENTENCE

    assert bool(RESEARCH_SENTENCE.match(sentence)) is research


def test_an_abstracts_findings_labels_and_questions_about_how_a_study_was_done() -> None:
    from retriever.sections import ASKS_AIM, is_findings_section, section_heading

    assert section_heading("Can calprotectin predict relapse? > RESULTS") == "RESULTS"
    assert section_heading("Lupus") == ""  # a title alone
    assert all(is_findings_section(h) for h in ("RESULTS", "CONCLUSIONS", "FINDINGS", "MAIN OUTCOMES"))
    # the other labels, and an article's own headings, are not findings
    for heading in (
        "BACKGROUND",
        "OBJECTIVE",
        "METHODS",
        "PATIENTS AND METHODS",
        "What the early results show",
    ):
        assert not is_findings_section(heading)
    assert ASKS_AIM.search("what was the aim of the calprotectin study")
    assert ASKS_AIM.search("why did the study look at folic acid")
    assert not ASKS_AIM.search("does calprotectin predict ibd relapse")


def test_a_section_asked_for_in_other_words_gives_its_heading_word_for_the_search() -> None:
    from retriever.sections import heading_words

    assert heading_words("how do you get ms") == "causes"
    assert heading_words("how do i know if i have celiac") == "diagnosis"
    assert heading_words("what does lupus feel like") == "symptoms"
    assert heading_words("does vitiligo run in families") == "inherited"
    # asked in the heading's own words, or for no section: nothing to add
    assert heading_words("what causes ms") == ""
    assert heading_words("how is lupus diagnosed") == ""
    assert heading_words("what is lupus") == ""


@pytest.mark.parametrize(
    ("question", "asks_cause"),
    [
        ("can a medicine give you lupus", True),  # session 28: something bringing on a disease
        ("can you get lupus from stress", True),
        ("can kids get lupus from their parents", True),
        ("does teclistamab give you infections", False),  # a treatment's harm, no disease given
        ("can lupus give you headaches", False),  # what lupus brings about
    ],
)
def test_a_question_on_what_gives_a_disease_asks_for_its_cause(question: str, asks_cause: bool) -> None:
    assert ("cause" in kinds_asked(question)) is asks_cause


def test_a_sentence_on_how_doctors_diagnose_says_it_gives_the_diagnosis() -> None:
    """Session 28: "Doctors diagnose pemphigus with a physical exam, …" had opened "how do you treat it"."""
    assert kinds_of_sentence("Doctors diagnose frost fever with a physical exam and a blood test.") == {
        "diagnosis"
    }


@pytest.mark.parametrize(
    ("question", "heading", "says_it"),
    [
        ("who gets rheumatoid arthritis", "Who gets rheumatoid arthritis?", True),
        ("What causes lupus", "What causes Lupus?", True),
        ("what is vitiligo", "What is (are) Vitiligo?", True),  # MedQuAD's "(are)" is left out
        ("what causes ms (causes) (multiple sclerosis)", "What causes MS?", True),  # the query's additions
        ("who gets rheumatoid arthritis", "What is rheumatoid arthritis?", False),
        ("who gets lupus", "Who is most likely to get lupus?", False),  # in other words: not restated
        ("who gets lupus", "", False),  # a chunk under its title only
    ],
)
def test_a_heading_restates_a_question_word_for_word_or_nearly(
    question: str, heading: str, says_it: bool
) -> None:
    assert restates(question, heading) is says_it


def test_side_effects_are_a_kind_a_question_asks_and_a_sentence_gives() -> None:
    """Session 29: "what does prednisone do for lupus" (how it works) had opened with its side effects."""
    assert kinds_asked("what are the side effects of rituximab") == {"side effects"}
    assert kinds_asked("any adverse events with teclistamab") == {"side effects"}
    assert "side effects" not in kinds_asked("what does prednisone do for lupus")
    assert kinds_of_sentence("Taking prednisone for a long time can lead to serious side effects.") == {
        "side effects"
    }


def test_a_sentence_on_what_a_treatment_does_to_cells_gives_its_mechanism() -> None:
    """Session 32: "how do bites work" had opened with BiTEs' cost; the binding sentence now lifts."""
    assert kinds_of_sentence("A BiTE is a molecule that binds a T cell to a B cell.") == {"mechanism"}
    assert kinds_of_sentence("Plasmapheresis removes abnormal antibodies from the blood.") == {"mechanism"}
    assert kinds_of_sentence("Teclistamab is one BiTE.") == frozenset()
    assert kinds_of_sentence("Rituximab does not work for every immune disease.") == frozenset()


def test_how_a_treatment_helps_asks_how_it_works() -> None:
    """Session 38: "how does car t help lupus" opened with "Simpler treatments such as BiTEs may help …"."""
    assert kinds_asked("how does car t help lupus") == {"mechanism"}
    assert kinds_asked("how does rituximab help") == {"mechanism"}
    assert "mechanism" not in kinds_asked("how does exercise help lupus")  # no treatment named
    # session 41: "whats car t and how is it supposed to help lupus" opened with "Inside the body, …"
    assert kinds_asked("whats car t and how is it supposed to help lupus") == {"mechanism"}
    assert kinds_asked("how would car t help my lupus") == {"mechanism"}
    assert kinds_asked("how can steroids help ms flares") == {"mechanism"}
    assert kinds_asked("how is benlysta meant to work") == {"mechanism"}
    assert "mechanism" not in kinds_asked("how can exercise help lupus")  # no treatment named
    assert "mechanism" not in kinds_asked("how is car t given")


def test_who_a_named_treatment_is_for_is_its_own_kind() -> None:
    """Session 32: "who qualifies for car t for lupus" asks who the treatment is for, not who gets lupus."""
    assert kinds_asked("who qualifies for car t for lupus") == {"who it is for"}
    assert kinds_asked("who should get rituximab") == {"who it is for"}
    assert kinds_asked("who can get ms") == {"who gets it"}
    # session 46: which patients, what kind of patients, only for bad lupus, how sick you must be
    assert kinds_asked("which lupus patients can get car t") == {"who it is for"}
    assert kinds_asked("is car t only for really bad lupus") == {"who it is for"}
    assert kinds_asked("what kind of patients get car t for lupus") == {"who it is for"}
    assert kinds_asked("how sick do you have to be to get car t") == {"who it is for"}
    assert "who it is for" not in kinds_asked("is lupus for life")
    assert "who it is for" in kinds_of_sentence(
        "CAR-T for lupus is limited to people whose disease is severe and who have already tried other treatments."
    )


def test_medicines_that_treat_or_ease_a_disease_give_its_treatment() -> None:
    """Session 32: the MS treatment sentences had said no kind."""
    assert kinds_of_sentence("MS has no cure, but medicines can slow it down and help control symptoms.") == {
        "treatment"
    }
    assert "treatment" in kinds_of_sentence(
        "Other FDA approved drugs to treat relapsing MS include teriflunomide."
    )
    assert kinds_of_sentence("With treatment, muscle weakness improves a lot.") == frozenset()


def test_a_relative_having_it_asks_whether_it_is_inherited() -> None:
    # session 35: "my mom has ms can i get it" got what MS is and how it is diagnosed
    assert kinds_asked("my mom has ms can i get it") == {"inheritance"}
    assert kinds_asked("my sister has lupus, am i at risk") == {"inheritance"}
    assert kinds_asked("my dad had rheumatoid arthritis will i get it too") == {"inheritance"}
    assert "inheritance" not in kinds_asked("my mom has ms what are the symptoms")


def test_passing_it_to_ones_children_asks_whether_it_is_inherited() -> None:
    # session 47: "can i pass ms to my baby" got what MS is; "can you pass sjogrens to your children"
    # was refused as a question on children
    from retriever.coverage import asks_of

    for question in (
        "can i pass ms to my baby",
        "can i give lupus to my kids",
        "is lupus passed from mother to baby",
        "will my baby have lupus",
        "can you pass sjogren's to your children",
    ):
        assert "inheritance" in kinds_asked(question), question
        assert "children" not in [a.name for a in asks_of(question)], question
    assert "inheritance" not in kinds_asked("can i give tylenol to my kids")  # a medicine given
    assert "inheritance" not in kinds_asked("will my baby have birth defects from methotrexate")
    # s47c: "… get it from me" may ask about a mother's antibodies reaching her baby (held-out 2 lost one)
    assert "inheritance" not in kinds_asked("can my baby get myasthenia gravis from me")


def test_a_sentence_on_how_it_runs_in_families_gives_the_inheritance_kind() -> None:
    # session 35: GHR's "The inheritance pattern of multiple sclerosis is unknown, …" stands in an unheaded chunk
    ms = "The inheritance pattern of multiple sclerosis is unknown, although it appears to run in families."
    assert "inheritance" in kinds_of_sentence(ms)
    relative = (
        "Having a first-degree relative with MS, like a parent or sibling, does increase a person's risk."
    )
    assert "inheritance" in kinds_of_sentence(relative)
    # not a particular condition's mode: "… may be inherited in an autosomal dominant manner in some families"
    assert "inheritance" not in kinds_of_sentence(
        "The condition may be inherited in an autosomal dominant manner."
    )
