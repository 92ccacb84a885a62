"""Dependency audit: known vulnerabilities in what is installed; high or critical ones fail the run.

    python -m tools.audit                      # `make audit` (and so `make test`)
    python -m tools.audit --require-online     # also fail when the vulnerability service is unreachable

Online, pip-audit checks the installed environment against OSV (the PyPA and GitHub advisory
databases). pip-audit reports no severity, so each finding's OSV record (and its aliases') is read:
GitHub's rating (LOW, MODERATE, HIGH, CRITICAL) when there is one, else the CVSS v3 base score. A HIGH
or CRITICAL finding fails the run, and so does one whose severity cannot be found.

Offline (api.osv.dev and pypi.org do not answer, as on this project's machines) pip-audit cannot
check anything: it skips every package and still says "No known vulnerabilities found". This script
then falls back to the newest advisory database that installs from the package registry, safety-db
(PyUp's free database, last published July 2021), and says so loudly with the database's date: every
advisory published since was NOT checked. Its advisories carry no severity, so any match fails.
Without safety-db either, the run fails: it never passes without having checked something.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import math
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

OSV_VULN_URL = "https://api.osv.dev/v1/vulns/{id}"
FAILING = {"CRITICAL", "HIGH", "UNKNOWN"}
ORDER = ["CRITICAL", "HIGH", "UNKNOWN", "MODERATE", "LOW"]
NETWORK_ERRORS = (
    "ConnectionError",
    "NameResolutionError",
    "Max retries exceeded",
    "Failed to resolve",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "timed out",
    "ConnectTimeout",
)

Lookup = Callable[[str], dict[str, Any] | None]


@dataclass
class Finding:
    """One advisory that applies to an installed package."""

    package: str
    version: str
    id: str
    aliases: list[str] = field(default_factory=list)
    fix_versions: list[str] = field(default_factory=list)
    severity: str = "UNKNOWN"
    source: str = ""  # where the severity came from

    @property
    def fails(self) -> bool:
        return self.severity in FAILING


class ServiceUnreachable(Exception):
    """The vulnerability service did not answer: the audit must fall back, not pass."""


# -- pip-audit (online) -----------------------------------------------------------------------------


def run_pip_audit(timeout: int = 15) -> dict[str, Any]:
    """pip-audit's JSON report of this environment against OSV; ServiceUnreachable without network."""
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "audit.json"
        command = [sys.executable, "-m", "pip_audit", "--vulnerability-service", "osv", "--format", "json"]
        command += ["--progress-spinner", "off", "--skip-editable", "--aliases", "on", "--desc", "off"]
        command += ["--timeout", str(timeout), "--output", str(out)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=30 * 60)
        if out.exists() and out.read_text().strip():
            return parse_report(json.loads(out.read_text()))
    if is_network_failure(done.stderr):
        raise ServiceUnreachable(_last_line(done.stderr))
    raise RuntimeError(f"pip-audit failed (exit {done.returncode}): {_last_line(done.stderr)}")


def is_network_failure(stderr: str) -> bool:
    return any(marker in stderr for marker in NETWORK_ERRORS)


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else "(no output)"


def parse_report(report: dict[str, Any] | list[Any]) -> dict[str, Any]:
    """pip-audit JSON (current format {dependencies, fixes}, or the older bare list) →
    {findings: [Finding], audited: int, skipped: {name: reason}}. A report in which every package was
    skipped means the service was not reached (pip-audit then still says it found nothing)."""
    dependencies = report["dependencies"] if isinstance(report, dict) else report
    findings: list[Finding] = []
    skipped: dict[str, str] = {}
    audited = 0
    for dep in dependencies:
        if dep.get("skip_reason"):
            skipped[dep["name"]] = dep["skip_reason"]
            continue
        audited += 1
        for vuln in dep.get("vulns", []):
            findings.append(
                Finding(
                    package=dep["name"],
                    version=dep["version"],
                    id=vuln["id"],
                    aliases=list(vuln.get("aliases", [])),
                    fix_versions=list(vuln.get("fix_versions", [])),
                )
            )
    if dependencies and not audited:
        raise ServiceUnreachable(
            f"pip-audit skipped all {len(skipped)} packages: {next(iter(skipped.values()))}"
        )
    return {"findings": findings, "audited": audited, "skipped": skipped}


# -- severity ---------------------------------------------------------------------------------------


def fetch_osv(vuln_id: str, timeout: float = 15) -> dict[str, Any] | None:
    """One OSV record by id (None when OSV has no such record)."""
    try:
        with urllib.request.urlopen(OSV_VULN_URL.format(id=vuln_id), timeout=timeout) as response:
            return json.loads(response.read())  # type: ignore[no-any-return]
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise


def record_severity(record: dict[str, Any]) -> str | None:
    """GitHub's qualitative rating of an OSV record, else the rating of its CVSS v3 base score."""
    rating = str((record.get("database_specific") or {}).get("severity") or "").upper()
    if rating in ("LOW", "MODERATE", "MEDIUM", "HIGH", "CRITICAL"):
        return "MODERATE" if rating == "MEDIUM" else rating
    for entry in record.get("severity") or []:
        if str(entry.get("type", "")).startswith("CVSS_V3"):
            return cvss3_rating(cvss3_base_score(entry["score"]))
    return None


def assign_severities(findings: Iterable[Finding], lookup: Lookup) -> None:
    """Each finding's severity from its own OSV record, else from an alias's (GHSA first)."""
    for finding in findings:
        candidates = [finding.id] + sorted(finding.aliases, key=lambda a: not a.startswith("GHSA-"))
        for vuln_id in candidates:
            try:
                record = lookup(vuln_id)
            except (OSError, ValueError):  # unreachable mid-run or a bad answer: stays UNKNOWN (fails)
                record = None
            severity = record_severity(record) if record else None
            if severity:
                finding.severity, finding.source = severity, vuln_id
                break


_CVSS3 = {
    "AV": {"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2},
    "AC": {"L": 0.77, "H": 0.44},
    "UI": {"N": 0.85, "R": 0.62},
    "CIA": {"H": 0.56, "L": 0.22, "N": 0.0},
    "PR_U": {"N": 0.85, "L": 0.62, "H": 0.27},
    "PR_C": {"N": 0.85, "L": 0.68, "H": 0.5},
}


def _roundup(value: float) -> float:
    """CVSS v3.1's Roundup: the smallest number with one decimal that is >= value."""
    scaled = round(value * 100_000)
    return scaled / 100_000 if scaled % 10_000 == 0 else (math.floor(scaled / 10_000) + 1) / 10


def cvss3_base_score(vector: str) -> float:
    """The CVSS v3.0/3.1 base score of a vector such as 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'."""
    parts = dict(p.split(":", 1) for p in vector.split("/") if ":" in p and not p.startswith("CVSS"))
    changed = parts["S"] == "C"
    iss = 1 - math.prod(1 - _CVSS3["CIA"][parts[k]] for k in ("C", "I", "A"))
    impact = 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 if changed else 6.42 * iss
    privileges = _CVSS3["PR_C" if changed else "PR_U"][parts["PR"]]
    exploitability = 8.22 * _CVSS3["AV"][parts["AV"]] * _CVSS3["AC"][parts["AC"]] * privileges
    exploitability *= _CVSS3["UI"][parts["UI"]]
    if impact <= 0:
        return 0.0
    total = 1.08 * (impact + exploitability) if changed else impact + exploitability
    return _roundup(min(total, 10.0))


def cvss3_rating(score: float) -> str:
    if score >= 9.0:
        return "CRITICAL"
    if score >= 7.0:
        return "HIGH"
    if score >= 4.0:
        return "MODERATE"
    return "LOW"


# -- safety-db (offline) ----------------------------------------------------------------------------


@dataclass
class OfflineDatabase:
    name: str
    version: str
    published: datetime  # when its newest data was taken
    advisories: dict[str, list[dict[str, Any]]]

    def age_days(self, now: datetime | None = None) -> int:
        return ((now or datetime.now(UTC)) - self.published).days


def load_safety_db(path: Path | None = None) -> OfflineDatabase | None:
    """safety-db's insecure_full.json (found without importing the package, whose __init__ reads
    files relative to the current directory), or None when it is not installed."""
    if path is None:
        spec = importlib.util.find_spec("safety_db")
        if spec is None or not spec.submodule_search_locations:
            return None
        path = Path(next(iter(spec.submodule_search_locations))) / "insecure_full.json"
        version = importlib.metadata.version("safety-db")
    else:
        version = "sample"
    data = json.loads(path.read_text(encoding="utf-8"))
    meta = data.pop("$meta", {})
    published = datetime.fromtimestamp(int(meta.get("timestamp", 0)), UTC)
    advisories = {str(canonicalize_name(name)): list(entries) for name, entries in data.items()}
    return OfflineDatabase("safety-db", version, published, advisories)


def installed() -> list[tuple[str, str]]:
    """(name, version) of every distribution in this environment."""
    found = {}
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            found[canonicalize_name(name)] = dist.version
    return sorted(found.items())


def offline_findings(db: OfflineDatabase, packages: Iterable[tuple[str, str]]) -> list[Finding]:
    """Advisories whose version specifiers match an installed version (no severity: UNKNOWN)."""
    findings = []
    for name, raw_version in packages:
        try:
            version = Version(raw_version)
        except InvalidVersion:
            continue
        for advisory in db.advisories.get(canonicalize_name(name), []):
            try:
                hit = any(version in SpecifierSet(s, prereleases=True) for s in advisory.get("specs", []))
            except InvalidSpecifier:
                hit = True  # an advisory we cannot read is reported, not dropped
            if hit:
                aliases = [advisory["cve"]] if advisory.get("cve") else []
                findings.append(Finding(name, raw_version, advisory["id"], aliases, source=db.name))
    return findings


def offline_banner(db: OfflineDatabase, reason: str, now: datetime | None = None) -> str:
    rule = "!" * 100
    return "\n".join(
        [
            rule,
            f"OFFLINE AUDIT: the vulnerability service is unreachable ({reason}).",
            f"Used instead: {db.name} {db.version}, advisories up to {db.published:%Y-%m-%d} "
            f"({db.age_days(now)} days old). Vulnerabilities published after {db.published:%Y-%m-%d} "
            "were NOT checked.",
            "Run `make audit` where api.osv.dev answers for a current audit.",
            rule,
        ]
    )


# -- the run ----------------------------------------------------------------------------------------


def findings_table(findings: list[Finding]) -> str:
    if not findings:
        return "no known vulnerabilities in the installed packages"
    rows = sorted(findings, key=lambda f: (ORDER.index(f.severity), f.package, f.id))
    lines = [f"{'severity':9} {'package':28} {'version':14} {'advisory':22} fixed in"]
    for f in rows:
        ids = f.id + (f" ({', '.join(f.aliases[:2])})" if f.aliases else "")
        lines.append(
            f"{f.severity:9} {f.package:28} {f.version:14} {ids:22} {', '.join(f.fix_versions) or '-'}"
        )
    return "\n".join(lines)


def verdict(findings: list[Finding], checked_by: str) -> int:
    failing = [f for f in findings if f.fails]
    if failing:
        print(f"FAIL: {len(failing)} high, critical or unrated advisories apply to installed packages")
        return 1
    print(f"OK according to {checked_by}: no high or critical advisories ({len(findings)} lower-rated)")
    return 0


def main(
    argv: list[str] | None = None,
    *,
    audit: Callable[[], dict[str, Any]] = run_pip_audit,
    lookup: Lookup = fetch_osv,
    database: Callable[[], OfflineDatabase | None] = load_safety_db,
    packages: Callable[[], list[tuple[str, str]]] = installed,
) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.audit", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--require-online", action="store_true", help="fail when the vulnerability service is unreachable"
    )
    args = parser.parse_args(argv)
    try:
        report = audit()
    except ServiceUnreachable as exc:
        return offline(str(exc), args.require_online, database, packages)
    findings = report["findings"]
    assign_severities(findings, lookup)
    print(f"pip-audit against OSV: {report['audited']} packages audited, {len(report['skipped'])} skipped")
    for name, reason in report["skipped"].items():
        print(f"  skipped {name}: {reason}")
    print(findings_table(findings))
    return verdict(findings, "OSV")


def offline(
    reason: str,
    require_online: bool,
    database: Callable[[], OfflineDatabase | None],
    packages: Callable[[], list[tuple[str, str]]],
) -> int:
    db = database()
    if db is None:
        print(
            f"FAIL: the vulnerability service is unreachable ({reason}) and no offline advisory database "
            "is installed (pip install safety-db); nothing was checked",
            file=sys.stderr,
        )
        return 1
    # once, on stderr: in CI logs even when stdout is filtered; the verdict line on stdout says "(stale)"
    print(offline_banner(db, reason), file=sys.stderr)
    installed_now = packages()
    findings = offline_findings(db, installed_now)
    print(
        f"{db.name}: {len(installed_now)} installed packages checked against {len(db.advisories)} packages' advisories"
    )
    print(findings_table(findings))
    code = verdict(findings, f"{db.name} of {db.published:%Y-%m-%d} (stale)")
    if require_online:
        print("FAIL: --require-online and the vulnerability service is unreachable", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
