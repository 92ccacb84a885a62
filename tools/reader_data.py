"""Training groups for the answer reader (`retriever.reader`), derived from MedQuAD's question-headed pages.

Each MedQuAD page (`../shared/bench/medquad_all.jsonl.gz`, CC BY 4.0) is one topic ("Lupus") with
sections headed by a question of one of about fifteen kinds (what is it, symptoms, treatments, causes,
inheritance, how many people, outlook, …). A group is one question and eight sentences from the same
page: one of the first two sentences of that question's own section (the answer) and seven from the
page's other sections (the same topic, another ask). Every sentence names or implies the same subject,
so only reading what the question asks tells them apart; that is what the answerer's bi-encoder
similarity cannot do. One negative in four comes from a page on another topic with the same kind of
question instead, so the subject still counts.

The questions are rewritten as people type them (`PLAIN`: "what does lupus feel like", "is lupus
genetic", "can u die from lupus"), lower-cased, with a slip now and then, for two thirds of groups;
MedQuAD's own wording keeps the rest. Kinds are balanced (at most `PER_KIND` groups each).

The project's own articles (`corpus/articles`, question-headed too: "Why is chemotherapy needed before
CAR-T cell therapy?") add groups of the kinds MedQuAD lacks (how many patients, why, how a treatment
works, what it costs): a section's first or second sentence answers its heading, and sentences of the
article's other sections, or of another article, do not. They are repeated `ARTICLE_REPEAT` times
(each with another draw of negatives) so they are not lost among the MedQuAD groups.

The pages of ../shared/corpus (the documents the assistant answers from) are kept by default: the
reader is trained on the corpus it reads, as an index is built from it. `--leave-out-shared` drops
them, to measure the reader on documents it never saw.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from index.sentences import is_fragment, split_sentences

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "bench" / "medquad_all.jsonl.gz"
SHARED = ROOT.parent / "shared" / "corpus"
GROUP = 8  # sentences per question: one answer, seven others
PER_KIND = 500
PLAIN_SHARE = 2 / 3
ARTICLES = ROOT / "corpus" / "articles"
ARTICLE_REPEAT = 3
MIN_WORDS, MAX_WORDS = 4, 60

# MedQuAD's question kinds: the heading pattern (X = the topic) → plain ways people ask it
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "what": (
        r"what is \(are\) (?P<x>.+?) \?",
        (
            "what is {x}",
            "whats {x}",
            "what does {x} mean",
            "{x} meaning",
            "can you explain {x}",
            "what kind of disease is {x}",
            "{x}?",
            "what is {x} in simple words",
        ),
    ),
    "symptoms": (
        r"what are the symptoms of (?P<x>.+?) \?",
        (
            "signs of {x}",
            "how do i know if i have {x}",
            "what does {x} feel like",
            "{x} symptoms",
            "what happens to your body with {x}",
            "symptoms of {x}?",
            "what are early signs of {x}",
        ),
    ),
    "treatments": (
        r"what are the treatments for (?P<x>.+?) \?",
        (
            "how is {x} treated",
            "meds for {x}",
            "what helps with {x}",
            "treatment options for {x}",
            "how do doctors treat {x}",
            "is there a cure for {x}",
            "what medicine for {x}",
        ),
    ),
    "inherited": (
        r"is (?P<x>.+?) inherited \?",
        (
            "does {x} run in families",
            "can i pass {x} to my kids",
            "is {x} genetic",
            "will my children get {x}",
            "is {x} hereditary",
        ),
    ),
    "how_many": (
        r"how many people are affected by (?P<x>.+?) \?",
        (
            "how common is {x}",
            "how many ppl have {x}",
            "is {x} rare",
            "how many people get {x}",
            "{x} how common",
        ),
    ),
    "genes": (
        r"what are the genetic changes related to (?P<x>.+?) \?",
        (
            "what gene causes {x}",
            "which mutations cause {x}",
            "what genes are involved in {x}",
            "{x} gene",
        ),
    ),
    "causes": (
        r"what causes (?P<x>.+?) \?",
        (
            "why do people get {x}",
            "what triggers {x}",
            "where does {x} come from",
            "what is the cause of {x}",
            "how do you get {x}",
            "why did i get {x}",
        ),
    ),
    "diagnose": (
        r"how to diagnose (?P<x>.+?) \?",
        (
            "how do doctors test for {x}",
            "what tests show {x}",
            "how do you find out you have {x}",
            "how is {x} diagnosed",
            "test for {x}",
        ),
    ),
    "research": (
        r"what research \(or clinical trials\) is being done for (?P<x>.+?) \?",
        (
            "any new research on {x}",
            "are there trials for {x}",
            "studies on {x}",
            "what are scientists doing about {x}",
        ),
    ),
    "outlook": (
        r"what is the outlook for (?P<x>.+?) \?",
        (
            "will i get better from {x}",
            "life expectancy with {x}",
            "can you die from {x}",
            "what to expect with {x}",
            "can u die from {x}",
            "does {x} go away",
        ),
    ),
    "risk": (
        r"who is at risk for (?P<x>.+?)\? \?",
        (
            "who gets {x}",
            "am i at risk for {x}",
            "who is more likely to get {x}",
            "who can get {x}",
        ),
    ),
    "self_care": (
        r"what to do for (?P<x>.+?) \?",
        (
            "what can i do about {x} at home",
            "tips for living with {x}",
            "how to cope with {x}",
            "what should i do if i have {x}",
        ),
    ),
    "prevent": (
        r"how to prevent (?P<x>.+?) \?",
        (
            "can {x} be prevented",
            "how to avoid {x}",
            "how do i stop getting {x}",
            "ways to prevent {x}",
        ),
    ),
    "stages": (
        r"what are the stages of (?P<x>.+?) \?",
        ("what are the stages of {x}", "how is {x} staged", "{x} stages"),
    ),
    "complications": (
        r"what are the complications of (?P<x>.+?) \?",
        ("what problems can {x} lead to", "can {x} cause other problems", "complications of {x}"),
    ),
}
_PATTERNS = {kind: re.compile(pattern, re.I) for kind, (pattern, _) in KINDS.items()}


@dataclass(frozen=True)
class Section:
    kind: str
    topic: str
    question: str
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class Page:
    title: str
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class Group:
    question: str
    kind: str
    title: str
    texts: tuple[str, ...]  # texts[0] answers the question


def shared_topics(folder: Path = SHARED) -> set[str]:
    """Lower-cased titles of the shared corpus's documents: pages on these topics are left out."""
    titles = set()
    for path in folder.rglob("*.md"):
        match = re.search(r"^title:\s*\"?(.+?)\"?\s*$", path.read_text(encoding="utf-8"), re.M)
        if match:
            titles.add(_topic_key(match.group(1)))
    return titles


def _topic_key(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", title.lower()).strip()


def sentences_of(answer: str) -> tuple[str, ...]:
    """The answer's whole sentences of `MIN_WORDS`–`MAX_WORDS` words, in order."""
    found = []
    for start, end in split_sentences(answer):
        text = " ".join(answer[start:end].split())
        usable = MIN_WORDS <= len(text.split()) <= MAX_WORDS and not text.endswith(("?", ":"))
        if usable and not is_fragment(answer, start, end) and not text.lower().startswith("key points"):
            found.append(text)
    return tuple(found)


def pages(path: Path = BENCH, leave_out: set[str] | None = None) -> list[Page]:
    leave_out = set() if leave_out is None else leave_out
    found = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            if _topic_key(doc["title"]) in leave_out:
                continue
            sections = []
            for block in re.split(r"^## ", doc["text"], flags=re.M)[1:]:
                heading, _, body = block.partition("\n")
                heading = " ".join(heading.split())
                for kind, pattern in _PATTERNS.items():
                    match = pattern.fullmatch(heading)
                    if match:
                        sents = sentences_of(body)
                        if sents:
                            sections.append(Section(kind, match.group("x"), heading, sents))
                        break
            if len({s.kind for s in sections}) >= 3:
                found.append(Page(doc["title"], tuple(sections)))
    return found


_MARKER = re.compile(r"(?:\[\^[^\]\n]*\])+")
_FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)


def article_pages(folder: Path = ARTICLES) -> list[Page]:
    """The project's articles as pages: each "## …?" section, its sentences without source markers
    or list items (kind "article": the heading is the question)."""
    found = []
    for path in sorted(folder.glob("*.md")):
        text = _FRONT.sub("", path.read_text(encoding="utf-8"))
        title = re.search(r"^# (.+)$", text, re.M)
        sections = []
        for block in re.split(r"^## ", text, flags=re.M)[1:]:
            heading, _, body = block.partition("\n")
            heading = " ".join(heading.split())
            prose = "\n".join(
                line for line in body.splitlines() if not line.lstrip().startswith(("- ", "* ", "|", "#"))
            )
            sents = sentences_of(_MARKER.sub("", prose))
            if heading.endswith("?") and sents:
                sections.append(Section("article", heading, heading, sents))
        if len(sections) >= 2:
            found.append(Page(title.group(1) if title else path.stem, tuple(sections)))
    return found


def article_groups(all_pages: list[Page], rng: random.Random) -> list[Group]:
    """Groups from the articles: a section's first or second sentence answers its heading; the other
    seven are sentences of the article's other sections, one in four from another article."""
    everything = [s for page in all_pages for section in page.sections for s in section.sentences]
    out = []
    for _ in range(ARTICLE_REPEAT):
        for page in all_pages:
            for section in page.sections:
                others = [s for other in page.sections if other is not section for s in other.sentences]
                if len(others) < GROUP - 1:
                    continue
                negatives = rng.sample(others, GROUP - 1)
                for k in range(len(negatives)):
                    if rng.random() < 0.25:
                        other = rng.choice(everything)
                        if other not in section.sentences and other not in others:
                            negatives[k] = other
                question = section.question.rstrip("?").strip()
                if rng.random() < PLAIN_SHARE:
                    question = question.lower()
                answer = section.sentences[0] if rng.random() < 0.7 else rng.choice(section.sentences[:2])
                out.append(Group(question, "article", page.title, (answer, *negatives)))
    return out


def plain(question_topic: str, kind: str, rng: random.Random) -> str:
    """The question as a person might type it: a plain template, lower case, sometimes a slip."""
    topic = question_topic.lower()
    text = rng.choice(KINDS[kind][1]).format(x=topic)
    if rng.random() < 0.25:
        words = text.split()
        i = rng.randrange(len(words))
        word = words[i]
        if len(word) > 4:
            j = rng.randrange(1, len(word) - 1)
            words[i] = word[:j] + word[j + 1 :]  # a dropped letter
        text = " ".join(words)
    if rng.random() < 0.3:
        text += "?"
    return text


def groups(all_pages: list[Page], seed: int = 0, articles: list[Page] | None = None) -> list[Group]:
    """Balanced groups of `GROUP` texts, the answer first (see the module docstring)."""
    rng = random.Random(seed)
    by_kind: dict[str, list[tuple[Page, Section]]] = {}
    for page in all_pages:
        for section in page.sections:
            by_kind.setdefault(section.kind, []).append((page, section))
    out = []
    for kind in sorted(by_kind):
        items = by_kind[kind]
        rng.shuffle(items)
        for page, section in items[:PER_KIND]:
            others = [s for other in page.sections if other.kind != kind for s in other.sentences]
            if len(others) < GROUP:
                continue
            positive = rng.choice(section.sentences[:2])
            negatives = rng.sample(others, GROUP - 1)
            for k in range(len(negatives)):
                if rng.random() < 0.25:  # the same ask about another topic
                    other_page, other_section = rng.choice(items)
                    other = rng.choice(other_section.sentences[:2])
                    if other_page.title != page.title and other not in section.sentences:
                        negatives[k] = other  # (generic sentences recur across pages)
            question = plain(section.topic, kind, rng) if rng.random() < PLAIN_SHARE else section.question
            out.append(Group(question, kind, page.title, (positive, *negatives)))
    out += article_groups(articles or [], rng)
    rng.shuffle(out)
    return out


if __name__ == "__main__":
    ps = pages()
    gs = groups(ps)
    print(len(ps), "pages,", len(gs), "groups")
    for g in gs[:5]:
        print(g.kind, "|", g.question, "|", g.title, "\n   +", g.texts[0], "\n   -", g.texts[1])
