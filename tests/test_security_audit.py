"""The dependency audit's report (bot.security_audit): findings are marked by whether outside
input reaches them, and what pip-audit could not look up is never reported as clean."""

from __future__ import annotations

from datetime import date

from bot.security_audit import END, START, main, read_report, render, write_section

REPORT = {"dependencies": [
    {"name": "sanic", "version": "21.12.2", "vulns": [
        {"id": "GHSA-xxxx", "fix_versions": ["22.6.1"]}]},
    {"name": "keras", "version": "2.12.0", "vulns": [
        {"id": "PYSEC-yyyy", "fix_versions": ["3.0.0"]}]},
    {"name": "click", "version": "8.1.7", "vulns": []},
    {"name": "numpy", "skip_reason": "Dependency not found on PyPI and could not be audited"},
]}


def test_findings_in_rasas_tree_say_whether_outside_input_reaches_them():
    audit = read_report("rasa", REPORT)
    audit.versions = {"sanic": "21.12.2", "numpy": "1.23.5"}
    text = render([audit], date(2026, 12, 1))
    assert (audit.packages, [f.package for f in audit.findings]) == (4, ["sanic", "keras"])
    rows = text.splitlines()
    sanic_row = next(line for line in rows if line.startswith("| sanic | 21.12.2 | GHSA"))
    keras_row = next(line for line in rows if line.startswith("| keras |"))
    assert "**reachable**" in sanic_row and "22.6.1" in sanic_row
    assert "not reached by outside input" in keras_row
    # numpy was not looked up: it is named as unchecked, and listed among what to watch.
    assert "Not checked" in text and "numpy" in text.split("Not checked")[1]
    assert "| numpy | 1.23.5 |" in text


def test_an_audit_that_looked_nothing_up_says_so():
    audit = read_report("app", {"dependencies": [
        {"name": n, "skip_reason": "not found"} for n in ("fastapi", "sqladmin")]})
    text = render([audit], date(2026, 12, 1))
    assert "0 with known vulnerabilities, 2 not checked" in text
    assert "Not checked (pip-audit could not look them up, which is not a clean bill): all" in text


def test_the_section_is_replaced_and_the_rest_of_the_document_kept(tmp_path):
    doc = tmp_path / "security.md"
    doc.write_text(f"before\n{START}\nold\n{END}\nafter\n")
    write_section(f"{START}\nnew\n{END}", doc)
    assert doc.read_text() == f"before\n{START}\nnew\n{END}\nafter\n"


def test_check_fails_on_a_reachable_finding(monkeypatch):
    import bot.security_audit as security_audit

    audit = read_report("rasa", REPORT)
    monkeypatch.setattr(security_audit, "audit_all", lambda: [audit])
    assert main(["--check"]) == 1
    audit.findings = [f for f in audit.findings if f.package != "sanic"]
    assert main(["--check"]) == 0
