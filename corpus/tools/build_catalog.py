"""Write corpus/sources.yaml: every document of ../shared/corpus plus a few other public pages.

Run from the repository root:  .venv/bin/python corpus/tools/build_catalog.py [SHARED_CORPUS]

Entries for shared documents come from their front matter (title, url, license, topics); the
publisher follows the MedQuAD subset in the id. The extra pages below are written by hand.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
DEFAULT_SHARED = REPO.parent / "shared" / "corpus"
OUT = REPO / "corpus" / "sources.yaml"

MEDQUAD_PUBLISHERS = {
    "gard": "NIH GARD",
    "ghr": "NIH Genetics Home Reference",
    "mplus": "MedlinePlus",
    "ninds": "NIH NINDS",
    "niddk": "NIH NIDDK",
    "cancergov": "National Cancer Institute",
    "nhlbi": "NIH NHLBI",
    "seniorhealth": "NIHSeniorHealth",
}
US_GOV = "public domain (US government work)"

# Authoritative pages a reader may want that are not in the shared corpus.
EXTRA_SOURCES: list[dict[str, Any]] = [
    {
        "id": "niams-lupus",
        "title": "Systemic Lupus Erythematosus (Lupus)",
        "publisher": "NIH NIAMS",
        "url": "https://www.niams.nih.gov/health-topics/lupus",
        "license": US_GOV,
        "topics": ["lupus"],
    },
    {
        "id": "medlineplus-lupus",
        "title": "Lupus",
        "publisher": "MedlinePlus",
        "url": "https://medlineplus.gov/lupus.html",
        "license": US_GOV,
        "topics": ["lupus"],
    },
    {
        "id": "medlineplus-autoimmune-diseases",
        "title": "Autoimmune Diseases",
        "publisher": "MedlinePlus",
        "url": "https://medlineplus.gov/autoimmunediseases.html",
        "license": US_GOV,
        "topics": ["autoimmune disease"],
    },
    {
        "id": "niddk-lupus-nephritis",
        "title": "Lupus Nephritis",
        "publisher": "NIH NIDDK",
        "url": "https://www.niddk.nih.gov/health-information/kidney-disease/lupus-nephritis",
        "license": US_GOV,
        "topics": ["lupus", "lupus nephritis"],
    },
    {
        "id": "nci-car-t-cells",
        "title": "CAR T Cells: Engineering Patients' Immune Cells to Treat Their Cancers",
        "publisher": "National Cancer Institute",
        "url": "https://www.cancer.gov/about-cancer/treatment/research/car-t-cells",
        "license": US_GOV,
        "topics": ["CAR-T cell therapy"],
    },
    {
        "id": "nci-drug-blinatumomab",
        "title": "Blinatumomab",
        "publisher": "National Cancer Institute",
        "url": "https://www.cancer.gov/about-cancer/treatment/drugs/blinatumomab",
        "license": US_GOV,
        "topics": ["bispecific T-cell engagers", "blinatumomab"],
    },
    {
        "id": "nci-drug-rituximab",
        "title": "Rituximab",
        "publisher": "National Cancer Institute",
        "url": "https://www.cancer.gov/about-cancer/treatment/drugs/rituximab",
        "license": US_GOV,
        "topics": ["rituximab / B-cell depletion"],
    },
    {
        "id": "medlineplus-multiple-sclerosis",
        "title": "Multiple Sclerosis",
        "publisher": "MedlinePlus",
        "url": "https://medlineplus.gov/multiplesclerosis.html",
        "license": US_GOV,
        "topics": ["multiple sclerosis"],
    },
    {
        "id": "ninds-multiple-sclerosis",
        "title": "Multiple Sclerosis",
        "publisher": "NIH NINDS",
        "url": "https://www.ninds.nih.gov/health-information/disorders/multiple-sclerosis",
        "license": US_GOV,
        "topics": ["multiple sclerosis"],
    },
    {
        "id": "medlineplus-myasthenia-gravis",
        "title": "Myasthenia Gravis",
        "publisher": "MedlinePlus",
        "url": "https://medlineplus.gov/myastheniagravis.html",
        "license": US_GOV,
        "topics": ["myasthenia gravis"],
    },
    {
        "id": "ninds-myasthenia-gravis",
        "title": "Myasthenia Gravis",
        "publisher": "NIH NINDS",
        "url": "https://www.ninds.nih.gov/health-information/disorders/myasthenia-gravis",
        "license": US_GOV,
        "topics": ["myasthenia gravis"],
    },
    {
        "id": "niams-myositis",
        "title": "Myositis",
        "publisher": "NIH NIAMS",
        "url": "https://www.niams.nih.gov/health-topics/myositis",
        "license": US_GOV,
        "topics": ["myositis"],
    },
    {
        "id": "niams-scleroderma",
        "title": "Scleroderma",
        "publisher": "NIH NIAMS",
        "url": "https://www.niams.nih.gov/health-topics/scleroderma",
        "license": US_GOV,
        "topics": ["systemic sclerosis"],
    },
    {
        "id": "clinicaltrials-lupus-car-t",
        "title": "ClinicalTrials.gov search: lupus, CAR-T",
        "publisher": "ClinicalTrials.gov (NIH NLM)",
        "url": "https://clinicaltrials.gov/search?cond=Lupus&intr=CAR-T",
        "license": "see site terms",
        "topics": ["lupus", "CAR-T cell therapy"],
    },
    {
        "id": "pubmed-36109639",
        "title": "Anti-CD19 CAR T cell therapy for refractory systemic lupus erythematosus",
        "publisher": "PubMed",
        "url": "https://pubmed.ncbi.nlm.nih.gov/36109639/",
        "license": "see site terms (abstract text belongs to the publisher/authors)",
        "topics": ["lupus", "CAR-T cell therapy", "B-cell depletion"],
    },
]

HEADER = """\
# Catalog of public sources for autoimmune-qa (generated by corpus/tools/build_catalog.py; edit the
# extra pages there, not here). `autoimmune-qa fetch` downloads these pages.
# - shared_id: the document in ../shared/corpus with the same content (null: not in it).
# - ids of shared documents carry a "web-" prefix, so a fetched page and the shared document can sit
#   in one index without replacing each other.
# - MedQuAD's http:// links are given as https:// (same host); the MedPath article has no known url.
"""


def split_front_matter(text: str) -> dict[str, Any]:
    if not text.startswith("---\n"):
        return {}
    meta = yaml.safe_load(text[4:].split("\n---", 1)[0])
    return meta if isinstance(meta, dict) else {}


def publisher_for(doc_id: str, source: str) -> str:
    if doc_id.startswith("medquad-"):
        return MEDQUAD_PUBLISHERS[doc_id.split("-")[1]]
    if doc_id.startswith("pmid-"):
        return "PubMed"
    return source or "unknown"


def shared_entry(meta: dict[str, Any]) -> dict[str, Any]:
    doc_id = str(meta["id"])
    url = str(meta.get("url") or "")
    if url.startswith("http://"):
        url = "https://" + url[len("http://") :]
    return {
        "id": f"web-{doc_id}",
        "title": str(meta.get("title", doc_id)),
        "publisher": publisher_for(doc_id, str(meta.get("source") or "")),
        "url": url,
        "license": str(meta.get("license") or "see site terms"),
        "topics": [str(t) for t in meta.get("topics") or []],
        "shared_id": doc_id,
    }


def build(shared: Path) -> list[dict[str, Any]]:
    entries = []
    for path in sorted(shared.rglob("*.md")):
        meta = split_front_matter(path.read_text(encoding="utf-8"))
        if meta.get("id"):
            entries.append(shared_entry(meta))
    entries.sort(key=lambda e: e["id"])
    return entries + [{**extra, "shared_id": None} for extra in EXTRA_SOURCES]


def main(argv: list[str]) -> int:
    shared = Path(argv[0]) if argv else DEFAULT_SHARED
    if not shared.is_dir():
        print(f"build_catalog: shared corpus '{shared}' not found; pass its path", file=sys.stderr)
        return 2
    entries = build(shared)
    body = yaml.safe_dump({"sources": entries}, sort_keys=False, allow_unicode=True, width=110)
    OUT.write_text(HEADER + body, encoding="utf-8")
    print(f"wrote {OUT}: {len(entries)} sources ({len(EXTRA_SOURCES)} not in the shared corpus)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
