"""The glossary module: reading the file, aliases and short forms, and how its three readers differ."""

from __future__ import annotations

from pathlib import Path

import pytest

from retriever.audience import explain_terms
from retriever.glossary import (
    GlossaryEntry,
    is_short_form,
    load_aliases,
    name_pattern,
    read_glossary,
    resolve_glossary,
)
from retriever.guardrails.scope import ScopeVocabulary, judge_scope
from retriever.query import expand_aliases

GLOSSARY = Path(__file__).resolve().parents[2] / "corpus" / "glossary.yaml"


def test_no_file_a_missing_file_or_broken_yaml_gives_no_entries(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("terms: [unclosed", encoding="utf-8")
    assert read_glossary(None) == ()
    assert read_glossary(tmp_path / "missing.yaml") == ()
    assert read_glossary(broken) == ()


def test_entries_are_read_as_written_with_their_strings_stripped(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    path.write_text(
        "terms:\n  - term: ' lupus nephritis '\n    aliases: [' LN ', '', lupus kidney]\n"
        "    definition: ' Kidney inflammation. '\n  - term: bare\n",
        encoding="utf-8",
    )
    assert read_glossary(path) == (
        GlossaryEntry("lupus nephritis", ("LN", "", "lupus kidney"), "Kidney inflammation."),
        GlossaryEntry("bare", (), ""),
    )
    assert read_glossary(path)[0].names() == ("lupus nephritis", "LN", "lupus kidney")


def test_a_term_with_a_parenthesis_gives_its_bare_name_and_short_form() -> None:
    entry = GlossaryEntry("bispecific T-cell engager (BiTE)", ("BiTEs", "study"), "")
    assert entry.bare_term() == "bispecific T-cell engager"
    assert entry.term_short_forms() == ["BiTE"]
    assert entry.specific_aliases(frozenset({"study"})) == ["BiTEs"]


def test_short_forms_are_at_most_four_capitals() -> None:
    assert all(is_short_form(name) for name in ("MS", "SLE", "HCQ"))
    assert not any(is_short_form(name) for name in ("BiTE", "SSc", "CAR-T", "ms"))


def test_any_case_short_forms_go_by_length_alone() -> None:
    assert is_short_form("SSc", longest=3, any_case=True)
    assert is_short_form("tec", longest=3, any_case=True)
    assert not is_short_form("SLEx", longest=3, any_case=True)


def test_a_name_matches_as_whole_words_across_spaces_and_hyphens() -> None:
    pattern = name_pattern("B cell", case_sensitive=False)
    assert pattern.search("a b-cell count")
    assert not pattern.search("B cells")
    assert name_pattern("MS", case_sensitive=True).search("Is MS autoimmune?")
    assert not name_pattern("MS", case_sensitive=True).search("ms Smith")


def test_a_relative_glossary_path_is_found_from_another_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert resolve_glossary(Path("corpus/glossary.yaml")) == GLOSSARY
    assert resolve_glossary(Path("nowhere.yaml")) == Path("nowhere.yaml")
    assert resolve_glossary(None) is None
    assert load_aliases(Path("corpus/glossary.yaml")) == load_aliases(GLOSSARY) != ()  # query expansion too


def test_the_three_readers_apply_their_own_alias_rules() -> None:
    aliases = load_aliases(GLOSSARY)
    # expansion: "SSc" only as written, "lupus" never
    assert expand_aliases("what is SSc?", aliases).endswith("(systemic sclerosis)")
    assert expand_aliases("what is ssc?", aliases) == "what is ssc?"
    assert expand_aliases("what is lupus", aliases) == "what is lupus"
    # explanations: "SSc" in any case (not capitals only), "lupus" names systemic lupus erythematosus
    assert [e["term"] for e in explain_terms("ssc is rare.", "q", GLOSSARY)] == ["systemic sclerosis"]
    assert [e["term"] for e in explain_terms("Lupus can harm kidneys.", "q", GLOSSARY)] == [
        "systemic lupus erythematosus"
    ]
    # scope: every alias counts, short forms in capitals only as written
    vocabulary = ScopeVocabulary.build(GLOSSARY)
    assert judge_scope("ssc and my bike", vocabulary) == "unsure"
    assert judge_scope("SLE and my bike", vocabulary) == "unsure"
    assert judge_scope("hcq and my bike", vocabulary) == "out"  # a short form, not in capitals
    assert judge_scope("HCQ and my bike", vocabulary) == "unsure"
    # a disease of `retriever.coverage`'s tables counts in any case (session 24: "hot weather … ms")
    assert judge_scope("sle and my bike", vocabulary) == "unsure"
