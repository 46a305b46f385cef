"""Audit both virtualenvs' packages with pip-audit and write the result into docs/security.md.

    .venv-app/bin/python -m bot.security_audit          # writes docs/security.md's section
    .venv-app/bin/python -m bot.security_audit --check  # exit 1 when a reachable one is found

pip-audit runs from the application's virtualenv and reads each virtualenv's site-packages
(``--path``). Each finding in the Rasa server's tree, which Rasa's pins hold back, is marked
with whether input from outside reaches that package: the public entry is nginx, then the
Rasa server's channels (Sanic, socket.io), the NLU pipeline and the tracker store. A package
pip-audit could not look up is listed as unchecked, never as clean.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path

from bot.config import PROJECT_ROOT
from bot.launcher import APP_BIN, RASA_BIN

SECURITY_DOC = PROJECT_ROOT / "docs" / "security.md"
START = "<!-- dependency-audit:start -->"
END = "<!-- dependency-audit:end -->"
AUDIT_TIMEOUT_S = 600

# What in the Rasa server's tree reads input from outside (a citizen's message or request),
# and how. Every other package there runs at training, on the project's own files or on
# answers from its own action server, and no outside input reaches it.
REACHABLE_IN_RASA = {
    "sanic": "parses every HTTP request to the channels (behind nginx, 64 kB bodies)",
    "sanic-routing": "routes every request to the channels",
    "httptools": "Sanic's HTTP parser",
    "websockets": "the socket.io channel's WebSocket frames",
    "python-socketio": "the web chat's messages",
    "python-engineio": "the web chat's transport",
    "ujson": "Sanic's JSON parser for request bodies",
    "spacy": "tokenises every message (NLU)",
    "tensorflow": "runs the NLU and dialogue models on every message's features",
    "numpy": "the NLU features of every message",
    "rapidfuzz": "fuzzy matching of every message (catalogue names)",
    "lingua-language-detector": "the language of every message",
    "voikko": "the Finnish lemmas of every message",
    "sqlalchemy": "stores each conversation (text redacted) in the tracker store",
    "psycopg2-binary": "the PostgreSQL driver of the tracker store",
    "redis": "locks and rate counts per conversation",
}


@dataclass
class Finding:
    package: str
    version: str
    ids: list[str]
    fixes: list[str]


@dataclass
class Audit:
    name: str
    packages: int = 0
    findings: list[Finding] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)
    error: str = ""


def site_packages(bin_dir: Path) -> Path:
    return next((bin_dir.parent / "lib").glob("python3.*/site-packages"))


def installed_versions(site: Path) -> dict[str, str]:
    """Each distribution in ``site``, by its lower-case name with dashes."""
    return {dist.metadata["Name"].lower().replace("_", "-"): dist.version
            for dist in metadata.distributions(path=[str(site)])}


def run_pip_audit(site: Path) -> dict:
    """pip-audit's JSON report of the packages installed in ``site``."""
    done = subprocess.run(
        [str(APP_BIN / "pip-audit"), "--path", str(site), "--format", "json",
         "--progress-spinner", "off", "--timeout", "30"],
        capture_output=True, text=True, timeout=AUDIT_TIMEOUT_S, check=False,
    )
    # pip-audit exits 1 when it finds something; its JSON is on stdout either way.
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError:
        raise RuntimeError((done.stderr or done.stdout).strip()[-500:]) from None


def read_report(name: str, report: dict) -> Audit:
    audit = Audit(name)
    for dependency in report.get("dependencies", []):
        audit.packages += 1
        if dependency.get("skip_reason"):
            audit.unchecked.append(dependency["name"])
            continue
        vulns = dependency.get("vulns") or []
        if vulns:
            audit.findings.append(Finding(
                dependency["name"], dependency.get("version", ""),
                [v["id"] for v in vulns],
                sorted({fix for v in vulns for fix in v.get("fix_versions", [])})))
    return audit


def exposure(audit: Audit, package: str) -> str:
    if audit.name != "rasa":
        return "the staff application or the action server: upgrade it in constraints-app.txt"
    why = REACHABLE_IN_RASA.get(package.lower())
    return f"**reachable**: {why}" if why else "not reached by outside input"


def render(audits: list[Audit], today: date) -> str:
    titles = {"rasa": "The Rasa server's `.venv` (Rasa 3.6.21 and its pins)",
              "app": "The application's `.venv-app` (staff application, web page, action server)"}
    lines = [START, f"Written by `.venv-app/bin/python -m bot.security_audit` on {today}.", ""]
    for audit in audits:
        lines.append(f"**{titles[audit.name]}**: {audit.packages} packages, "
                     f"{len(audit.findings)} with known vulnerabilities, "
                     f"{len(audit.unchecked)} not checked.")
        if audit.error:
            lines.append(f"pip-audit did not run: {audit.error}")
        if audit.findings:
            lines += ["", "| package | version | advisories | fixed in | exposure |",
                      "|---|---|---|---|---|"]
            lines += [f"| {f.package} | {f.version} | {', '.join(f.ids)} | "
                      f"{', '.join(f.fixes) or '-'} | {exposure(audit, f.package)} |"
                      for f in audit.findings]
        if audit.unchecked:
            names = ("all of them" if len(audit.unchecked) == audit.packages
                     else ", ".join(sorted(audit.unchecked)))
            lines += ["", f"Not checked (pip-audit could not look them up, which is not a clean"
                      f" bill): {names}."]
        if audit.name == "rasa" and audit.versions:
            lines += ["", "What outside input reaches in this tree, to watch first:", "",
                      "| package | version | how input reaches it |", "|---|---|---|"]
            lines += [f"| {package} | {audit.versions[package]} | {why} |"
                      for package, why in REACHABLE_IN_RASA.items() if package in audit.versions]
        lines.append("")
    lines.append(END)
    return "\n".join(lines)


def write_section(text: str, doc: Path = SECURITY_DOC) -> None:
    content = doc.read_text(encoding="utf-8")
    before, _, rest = content.partition(START)
    _, _, after = rest.partition(END)
    doc.write_text(before + text + after, encoding="utf-8")


def audit_all() -> list[Audit]:
    audits = []
    for name, bin_dir in (("rasa", RASA_BIN), ("app", APP_BIN)):
        try:
            site = site_packages(bin_dir)
            audit = read_report(name, run_pip_audit(site))
            audit.versions = installed_versions(site)
            audits.append(audit)
        except (RuntimeError, OSError, StopIteration, subprocess.TimeoutExpired) as error:
            audits.append(Audit(name, error=str(error) or type(error).__name__))
    return audits


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.security_audit", description=__doc__)
    parser.add_argument("--check", action="store_true",
                        help="only print; exit 1 if a finding is reachable from outside")
    args = parser.parse_args(argv)
    audits = audit_all()
    text = render(audits, date.today())
    print(text)
    if args.check:
        reachable = [f for a in audits for f in a.findings
                     if a.name == "app" or exposure(a, f.package).startswith("**reachable")]
        return 1 if reachable else 0
    write_section(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
