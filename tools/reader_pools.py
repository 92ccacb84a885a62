"""Reader training groups from the assistant's own evidence: hard negatives of the kind it meets.

`tools.reader_data` draws a question's negatives from the other sections of its page. At run time the
reader chooses instead among the ten sentences the answerer keeps from the retrieved chunks: other
pages' definitions of the same subject, an article restating another section, a study's aim. This
module asks questions derived from the corpus itself through the real assistant and keeps those ten:

- each question-headed section of a shared-corpus MedQuAD page ("What causes Lupus ?") and of the
  project's articles ("Why is chemotherapy needed before CAR-T cell therapy?") gives one question,
  in plain wording two times in three (`reader_data.plain`);
- the assistant retrieves and preselects as it does for a user (`evaluation.replay.capture`);
- a kept sentence of the section's own text is an answer; a kept sentence whose section heading asks
  something else (or has no heading) is a negative; sentences under a heading of the same kind on
  another page (an article restating the page) are left out, not counted as wrong.

A group is an answer (the section's earliest kept sentence) and `GROUP - 1` negatives, topped up from
the page's other sections when fewer were kept. Needs an index of ../shared/corpus and corpus/
(`autoimmune-qa ingest ../shared/corpus corpus --index DIR`).
"""

from __future__ import annotations

import json
import random
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from evaluation import replay
from retriever import extractive
from retriever.candidates import Candidate, candidates
from tools.reader_data import (
    _PATTERNS,
    ARTICLES,
    GROUP,
    PLAIN_SHARE,
    SHARED,
    Group,
    article_pages,
    plain,
    sentences_of,
)

# the words that show a section heading asks the same kind of thing as the question
SAME_KIND = {
    "what": r"^what (is|are) (?!the )",
    "symptoms": r"symptom|signs",
    "treatments": r"treat|therap|medicine",
    "inherited": r"inherit|genetic|families",
    "how_many": r"how many|how common|affected",
    "genes": r"gene",
    "causes": r"cause",
    "diagnose": r"diagnos|test",
    "research": r"research|trial",
    "outlook": r"outlook|prognos",
    "risk": r"risk|who gets",
    "self_care": r"what to do",
    "prevent": r"prevent",
    "stages": r"stage",
    "complications": r"complication",
}


@dataclass(frozen=True)
class Asked:
    qid: str
    question: str
    kind: str
    doc_id: str
    heading: str
    topic: str  # what the question is about ("Dermatomyositis"; an article's title)
    answers: tuple[str, ...]  # the section's sentences, in order
    others: tuple[str, ...]  # the page's sentences of other sections
    body: str = ""  # the section's text as written (its lists too)


def _norm(text: str) -> str:
    return " ".join(re.sub(r"\[\^[^\]]*\]", "", text).split()).lower()


def shared_questions(rng: random.Random, folder: Path = SHARED) -> list[Asked]:
    """One question per question-headed section of the shared MedQuAD pages."""
    out: list[Asked] = []
    for path in sorted((folder / "medquad").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        doc_id = re.search(r"^id:\s*(\S+)", text, re.M)
        if not doc_id:
            continue
        sections = []
        for block in re.split(r"^## ", text, flags=re.M)[1:]:
            heading, _, body = block.partition("\n")
            heading = " ".join(heading.split())
            base = heading.rstrip(
                "?"
            ).rstrip()  # the bench writes "X ?" and "X? ?", the corpus "X?" and "X??"
            bench_form = base + ("? ?" if heading.endswith("??") else " ?")
            for kind, pattern in _PATTERNS.items():
                match = pattern.fullmatch(bench_form)
                if match:
                    sents = sentences_of(body)
                    if sents:
                        sections.append((kind, match.group("x"), heading, sents, body))
                    break
        for kind, topic, heading, sents, body in sections:
            others = tuple(s for k, _, _, ss, _ in sections if k != kind for s in ss)
            question = plain(topic, kind, rng) if rng.random() < PLAIN_SHARE else heading
            out.append(
                Asked(
                    f"pool-{len(out):04d}",
                    question,
                    kind,
                    doc_id.group(1),
                    heading,
                    topic,
                    sents,
                    others,
                    body,
                )
            )
    return out


def _article_bodies() -> dict[tuple[str, str], str]:
    """(article title, section heading) → the section's text as written."""
    bodies = {}
    for path in sorted(ARTICLES.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        title = re.search(r"^# (.+)$", text, re.M)
        for block in re.split(r"^## ", text, flags=re.M)[1:]:
            heading, _, body = block.partition("\n")
            bodies[(title.group(1) if title else path.stem, " ".join(heading.split()))] = body
    return bodies


def article_questions(rng: random.Random) -> list[Asked]:
    out: list[Asked] = []
    bodies = _article_bodies()
    for page in article_pages():
        for section in page.sections:
            others = tuple(s for o in page.sections if o is not section for s in o.sentences)
            question = section.question.rstrip("?").strip()
            question = question.lower() if rng.random() < PLAIN_SHARE else question
            out.append(
                Asked(
                    f"pool-a{len(out):03d}",
                    question,
                    "article",
                    page.title,
                    section.question,
                    page.title,
                    section.sentences,
                    others,
                    bodies.get((page.title, section.question), ""),
                )
            )
    return out


def _may_answer(text: str, kind: str | None, topic: str) -> bool:
    """A sentence of another section that may still answer: it has the kind's own words ("The cause
    of dermatomyositis is unknown." for "what causes dermatomyositis"), or, for "what is X", it
    defines X. Such sentences are left out of the negatives."""
    if kind == "what":
        return bool(re.match(rf"{re.escape(topic)}\b[^.]{{0,40}}\b(is|are)\b", text, re.I))
    return kind is not None and bool(re.search(SAME_KIND[kind], text, re.I))


def _list_place(candidate: Candidate, section: tuple[str, ...], raw: str) -> int | None:
    """Where a list unit's items stand in the section's text, or None when it is not the section's:
    list units are no sentences, so `sentences_of` never names them, but they answer ("Common lupus
    symptoms include: …" is the symptoms section). The place is that of the first sentence the
    items run into."""
    items = [_norm(part) for part in candidate.parts[1:] if len(part.split()) >= 2]
    if not items:
        return None
    written = _norm(re.sub(r"^[ \t]*(?:[-*+\u2022]|\d{1,3}[.)])[ \t]+", "", raw, flags=re.M))
    found = [written.find(item) for item in items if item in written]
    if not raw or len(found) * 2 < len(items):
        return None
    where = min(found)  # the place of the section's first sentence that comes after the list starts
    body = [_norm(s) for s in section]
    return next((i for i, s in enumerate(body) if written.find(s) > where), len(body))


def _is_own(candidate: Candidate, answers: dict[str, int], asked: Asked) -> bool:
    return _norm(candidate.text) in answers or (
        bool(candidate.parts) and _list_place(candidate, asked.answers, asked.body) is not None
    )


def _own_place(candidate: Candidate, answers: dict[str, int], asked: Asked) -> int:
    place = answers.get(_norm(candidate.text))
    return place if place is not None else (_list_place(candidate, asked.answers, asked.body) or 0)


def _kind_of(heading: str) -> str | None:
    return next((k for k, p in SAME_KIND.items() if re.search(p, heading, re.I)), None)


def pool_groups(index: Path, seed: int = 0) -> list[Group]:
    """Ask every derived question through the assistant (index `index`) and build the groups."""
    rng = random.Random(seed)
    asked = shared_questions(rng) + article_questions(rng)
    with tempfile.TemporaryDirectory() as tmp:
        gold = Path(tmp) / "pool.jsonl"
        gold.write_text(
            "".join(
                json.dumps(
                    {
                        "qid": a.qid,
                        "question": a.question,
                        "answerable": True,
                        "facts": [["x"]],
                        "gold_doc_ids": [],
                        "audience": "patient",
                    }
                )
                + "\n"
                for a in asked
            ),
            encoding="utf-8",
        )
        data = replay.capture(gold, index, {"reader": False})  # the kept ten do not depend on it
    by_qid = {a.qid: a for a in asked}
    answerer = replay.answerer_for(data)
    out = []
    for record in data.records:
        a = by_qid[record.qid]
        pool = candidates(record.evidence, answerer.weights)
        if not pool:
            continue
        kept, _ = answerer.score(record.question, pool)
        answers = {_norm(s): i for i, s in enumerate(a.answers)}
        own = sorted((_own_place(c, answers, a), c.text) for c in kept if _is_own(c, answers, a))
        if not own:
            continue
        same = _kind_of(a.heading) if a.kind == "article" else a.kind
        negatives = []
        for c in kept:
            if _is_own(c, answers, a) or _may_answer(c.text, same, a.topic):
                continue
            heading = extractive.section_heading(c.evidence.headings)
            if heading and same is not None and _kind_of(heading) == same:
                continue  # another page's answer to the same kind of question
            negatives.append(c.text)
        fill = [s for s in a.others if s not in negatives]
        rng.shuffle(fill)
        negatives = (negatives + fill)[: GROUP - 1]
        if len(negatives) == GROUP - 1:
            out.append(Group(record.question, "pool-" + a.kind, a.doc_id, (own[0][1], *negatives)))
    return out


def save(groups: list[Group], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "".join(
            json.dumps({"question": g.question, "kind": g.kind, "title": g.title, "texts": list(g.texts)})
            + "\n"
            for g in groups
        ),
        encoding="utf-8",
    )


def load(path: Path) -> list[Group]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Group(r["question"], r["kind"], r["title"], tuple(r["texts"])) for r in rows]


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True, help="an index of ../shared/corpus and corpus/")
    parser.add_argument("--out", type=Path, required=True, help="where to write the groups (JSON lines)")
    args = parser.parse_args()
    made = pool_groups(args.index)
    save(made, args.out)
    print(f"{len(made)} groups → {args.out}")
