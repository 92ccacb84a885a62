"""The glossary file (corpus/glossary.yaml): its terms, definitions, aliases and short forms.

Three readers take names from it, each by its own rule:
- query expansion (`load_aliases`, used by `retriever.query`): an alias in the question adds its term; aliases
  in `EXPANSION_SKIPS` or contained in their term are left out; aliases of three characters or fewer
  match only as written, whatever their case ("MS", "tec", "SSc");
- explanations (`retriever.audience.load_glossary`): the term without its parenthesis, its aliases
  not in `EXPLANATION_SKIPS`, and the short form in its parenthesis ("(BiTE)"); short forms in
  capitals (`is_short_form`) match only as written;
- scope (`retriever.guardrails.scope`): every term and alias is an in-scope word or phrase; short
  forms in capitals match only as written.
All three resolve the path first (`resolve_glossary`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[1]

# Aliases too general to say which term is meant.
GENERAL_ALIASES = frozenset(
    {"study", "trial", "trials", "research study", "medical study", "cell therapy", "autoimmune", "monoclonal",
     "relapse", "immunity", "immune cells", "cancer drugs", "bispecific"}
)  # fmt: skip
# Query expansion also leaves out "lupus" (an alias of systemic lupus erythematosus).
EXPANSION_SKIPS = GENERAL_ALIASES | {"lupus"}
# Explanations also leave out aliases too short or too everyday to show that the term is meant.
EXPLANATION_SKIPS = GENERAL_ALIASES | {
    "tec", "cart", "car t", "ig", "mab", "symptom-free", "symptom free", "in remission", "immune reset",
    "deep reset", "blood cancer treatment", "blood cancer drug", "white cells",
}  # fmt: skip


@dataclass(frozen=True)
class GlossaryEntry:
    """One term of the glossary file, its strings stripped (empty when the file leaves them out)."""

    term: str
    aliases: tuple[str, ...]
    definition: str

    def names(self) -> tuple[str, ...]:
        """The term and its aliases, empty ones left out."""
        return tuple(n for n in (self.term, *self.aliases) if n)

    def specific_aliases(self, skips: frozenset[str]) -> list[str]:
        """The aliases whose lower-case form is not in `skips`, empty ones left out."""
        return [a for a in self.aliases if a and a.lower() not in skips]

    def bare_term(self) -> str:
        """The term without its parenthesis: "bispecific T-cell engager (BiTE)" → "bispecific T-cell engager"."""
        return re.sub(r"\s*\(.*?\)", "", self.term)

    def term_short_forms(self) -> list[str]:
        """The short forms in the term's parenthesis: "bispecific T-cell engager (BiTE)" → ["BiTE"]."""
        return re.findall(r"\((\w+)\)", self.term)


def resolve_glossary(path: Path | None) -> Path | None:
    """The glossary file: as given, or a relative path taken from the project folder when the
    working directory has no such file (the CLI run from elsewhere)."""
    if path is None or path.is_absolute() or path.is_file():
        return path
    inside = PROJECT_ROOT / path
    return inside if inside.is_file() else path


@functools.cache
def read_glossary(path: Path | None) -> tuple[GlossaryEntry, ...]:
    """The entries of the glossary file at `path` as written; none without a readable file."""
    if path is None:
        return ()
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return ()
    return tuple(
        GlossaryEntry(
            term=str(entry.get("term", "")).strip(),
            aliases=tuple(str(a).strip() for a in entry.get("aliases") or []),
            definition=str(entry.get("definition", "")).strip(),
        )
        for entry in data.get("terms") or []
    )


def is_short_form(name: str, longest: int = 4, any_case: bool = False) -> bool:
    """A name that counts only as written: at most `longest` characters, in capitals unless
    `any_case` ("MS" is multiple sclerosis, "ms" a title; "15 mg" is no myasthenia gravis)."""
    return len(name) <= longest and (any_case or name.isupper())


def name_pattern(name: str, case_sensitive: bool) -> re.Pattern[str]:
    """The name as whole words, a space or hyphen between them: "B cell" finds "B-cell"."""
    words = r"[\s-]+".join(re.escape(w) for w in name.split())
    return re.compile(rf"(?<![\w-]){words}(?![\w-])", 0 if case_sensitive else re.I)


def abbreviation_pattern(name: str) -> re.Pattern[str]:
    """An abbreviation as a whole word in any case, but not as a unit after a number or before a
    slash: "can mg go away", not "15 mg", "10mg" or "2 mg/kg"."""
    return re.compile(rf"(?<![\d.])(?<![\d.]\s)(?<![\w-]){re.escape(name)}(?![\w-])(?!\s*/)", re.I)


@dataclass(frozen=True)
class Alias:
    """An alias as a whole-word pattern, and the term it stands for (query expansion)."""

    pattern: re.Pattern[str]
    term: str
    short: bool = False  # an abbreviation ("MG", "SLE", "SSc"): it names one thing


@functools.cache
def load_aliases(path: Path | None) -> tuple[Alias, ...]:
    """The glossary's aliases for query expansion (the first rule of the module docstring); no
    glossary, no aliases."""
    aliases = []
    for entry in read_glossary(resolve_glossary(path)):
        for alias in entry.specific_aliases(EXPANSION_SKIPS):
            if not entry.term or alias.lower() in entry.term.lower():
                continue
            # short forms (MS, MG, LN) as written, and an acronym in lower case too ("can mg go away")
            # unless a number comes before it or a slash after it: "15 mg", "10mg", "mg/kg" are doses
            case_sensitive = is_short_form(alias, longest=3, any_case=True)
            pattern = name_pattern(alias, case_sensitive)
            if case_sensitive and alias.isupper() and len(alias) >= 2:
                pattern = abbreviation_pattern(alias)
            aliases.append(Alias(pattern, entry.term, case_sensitive and alias[:1].isupper()))
    return tuple(aliases)
