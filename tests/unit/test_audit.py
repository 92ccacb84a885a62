"""tools/audit.py on small samples: pip-audit's JSON, OSV records, safety-db; which findings fail the
run, and that an offline run says loudly what it used instead of passing quietly."""

from __future__ import annotations

import importlib.util
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tools.audit import (
    Finding,
    ServiceUnreachable,
    assign_severities,
    cvss3_base_score,
    cvss3_rating,
    is_network_failure,
    load_safety_db,
    main,
    offline_banner,
    offline_findings,
    parse_report,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "audit"
RECORDS: dict[str, Any] = json.loads((DATA / "osv_records.json").read_text())["records"]
# pip-audit's last stderr line on this machine, where api.osv.dev does not resolve
OFFLINE_STDERR = (
    "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.osv.dev', port=443): Max retries "
    "exceeded with url: /v1/query (Caused by NameResolutionError(\"HTTPSConnection(host='api.osv.dev', "
    "port=443): Failed to resolve 'api.osv.dev' ([Errno -2] Name or service not known)\"))"
)


def sample_report() -> dict[str, Any]:
    return parse_report(json.loads((DATA / "pip_audit_report.json").read_text()))


def severities(findings: list[Finding]) -> dict[str, str]:
    return {f.id: f.severity for f in findings}


def test_parse_report_lists_findings_and_skipped_packages() -> None:
    report = sample_report()
    assert report["audited"] == 5
    assert report["skipped"] == {"autoimmune-qa": "distribution marked as editable"}
    findings = report["findings"]
    assert [(f.package, f.id) for f in findings] == [
        ("jinja2", "GHSA-h5c8-rqwp-cp95"),
        ("pillow", "PYSEC-2022-10"),
        ("examplehttp", "PYSEC-2099-1"),
        ("examplehttp", "PYSEC-2099-2"),
        ("examplelow", "GHSA-xxxx-low0-0001"),
    ]
    assert findings[1].aliases == ["CVE-2022-22817", "GHSA-8vj2-vxx3-667w"]
    assert findings[1].fix_versions == ["9.0.1"]
    assert all(f.severity == "UNKNOWN" for f in findings)  # until the OSV records are read


def test_a_report_with_every_package_skipped_means_the_service_was_not_reached() -> None:
    """Recorded here: pip-audit's default service offline skips everything and still exits 0."""
    recorded = json.loads((DATA / "pip_audit_offline.json").read_text())
    with pytest.raises(ServiceUnreachable, match="skipped all 3 packages"):
        parse_report(recorded)


def test_severity_comes_from_the_record_or_its_github_alias_or_cvss() -> None:
    findings = sample_report()["findings"]
    assign_severities(findings, RECORDS.get)
    assert severities(findings) == {
        "GHSA-h5c8-rqwp-cp95": "MODERATE",  # GitHub's rating wins over the CVSS vector
        "PYSEC-2022-10": "CRITICAL",  # no rating of its own: its GHSA alias's
        "PYSEC-2099-1": "HIGH",  # CVSS v3 7.5
        "PYSEC-2099-2": "UNKNOWN",  # only a CVSS v4 vector: unrated
        "GHSA-xxxx-low0-0001": "LOW",
    }
    assert {f.id for f in findings if f.fails} == {"PYSEC-2022-10", "PYSEC-2099-1", "PYSEC-2099-2"}
    assert next(f for f in findings if f.id == "PYSEC-2022-10").source == "GHSA-8vj2-vxx3-667w"


def test_a_lookup_that_fails_leaves_the_finding_unrated_and_failing() -> None:
    findings = [Finding("jinja2", "3.1.2", "GHSA-h5c8-rqwp-cp95")]

    def unreachable(_: str) -> None:
        raise OSError("network is unreachable")

    assign_severities(findings, unreachable)
    assert findings[0].severity == "UNKNOWN" and findings[0].fails


@pytest.mark.parametrize(
    ("vector", "score", "rating"),
    [
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "CRITICAL"),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5, "HIGH"),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, "MODERATE"),
        ("CVSS:3.0/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.8, "LOW"),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0, "LOW"),
    ],
)
def test_cvss3_base_score(vector: str, score: float, rating: str) -> None:
    assert cvss3_base_score(vector) == score
    assert cvss3_rating(score) == rating


def test_online_run_fails_on_high_and_critical(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([], audit=sample_report, lookup=RECORDS.get) == 1
    out = capsys.readouterr().out
    assert "5 packages audited, 1 skipped" in out
    assert "CRITICAL  pillow" in out and "FAIL: 3 high, critical or unrated" in out
    assert out.index("CRITICAL") < out.index("HIGH") < out.index("MODERATE") < out.index("LOW")


def test_online_run_passes_with_only_moderate_and_low(capsys: pytest.CaptureFixture[str]) -> None:
    def mild() -> dict[str, Any]:
        report = sample_report()
        report["findings"] = [f for f in report["findings"] if f.package in ("jinja2", "examplelow")]
        return report

    assert main([], audit=mild, lookup=RECORDS.get) == 0
    assert "OK according to OSV: no high or critical advisories (2 lower-rated)" in capsys.readouterr().out


def test_network_failures_are_told_apart_from_other_failures() -> None:
    assert is_network_failure(OFFLINE_STDERR)
    assert not is_network_failure("ValueError: invalid requirement 'foo=='")


def _unreachable() -> dict[str, Any]:
    raise ServiceUnreachable(OFFLINE_STDERR)


def sample_db() -> Any:
    return load_safety_db(DATA / "safety_db_sample.json")


def test_offline_database_matches_installed_versions() -> None:
    db = sample_db()
    assert db.published == datetime(2021, 7, 1, 6, 0, 2, tzinfo=UTC)
    assert set(db.advisories) == {"jinja2", "example-pkg"}
    installed = [("jinja2", "2.10"), ("Example_Pkg", "2.0.4"), ("example-pkg", "1.5"), ("certifi", "2026.1")]
    hits = offline_findings(db, installed)
    assert [(f.package, f.version, f.id, f.aliases) for f in hits] == [
        ("jinja2", "2.10", "pyup.io-37094", ["CVE-2019-10906"]),
        ("Example_Pkg", "2.0.4", "pyup.io-90001", []),
    ]
    assert all(f.severity == "UNKNOWN" and f.fails for f in hits)  # safety-db has no severities


def test_offline_run_is_loud_and_fails_on_any_match(capsys: pytest.CaptureFixture[str]) -> None:
    code = main([], audit=_unreachable, database=sample_db, packages=lambda: [("jinja2", "2.10")])
    assert code == 1
    out, err = capsys.readouterr()
    assert "OFFLINE AUDIT" in err and "api.osv.dev" in err
    assert "safety-db sample, advisories up to 2021-07-01" in err
    assert "published after 2021-07-01 were NOT checked" in err
    assert "OFFLINE AUDIT" not in out  # one banner, not two
    assert "UNKNOWN   jinja2" in out


def test_offline_run_without_matches_passes_but_says_what_it_used(capsys: pytest.CaptureFixture[str]) -> None:
    code = main([], audit=_unreachable, database=sample_db, packages=lambda: [("jinja2", "3.1.6")])
    assert code == 0
    out, err = capsys.readouterr()
    assert "OFFLINE AUDIT" in err and "OK according to safety-db of 2021-07-01 (stale)" in out
    assert main(["--require-online"], audit=_unreachable, database=sample_db, packages=list) == 1


def test_offline_run_without_any_database_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([], audit=_unreachable, database=lambda: None, packages=list) == 1
    assert "nothing was checked" in capsys.readouterr().err


def test_offline_banner_gives_the_age() -> None:
    banner = offline_banner(sample_db(), "no route", now=datetime(2021, 7, 31, tzinfo=UTC))
    assert "(29 days old)" in banner


@pytest.mark.skipif(importlib.util.find_spec("safety_db") is None, reason="safety-db not installed")
def test_the_installed_safety_db_loads() -> None:
    db = load_safety_db()
    assert db is not None and db.name == "safety-db"
    assert db.published.year == 2021 and len(db.advisories) > 1000
