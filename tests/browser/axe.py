"""axe-core's WCAG 2.0/2.1 A and AA audit of a page, for the widget's and the admin's tests."""

from __future__ import annotations

from playwright.sync_api import Page

from bot.config import PROJECT_ROOT

AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Page) -> list[dict]:
    """The violations on the whole page: rule, impact, help and each element's summary."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated, not added as a script tag: the pages' CSP allows no inline script.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
            });
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary),
            }));
        }""",
        WCAG_A_AA,
    )


def described(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
                     for v in violations)


def assert_no_axe_violations(page: Page, where: str = "") -> None:
    violations = axe_violations(page)
    assert violations == [], f"{where}\n{described(violations)}"
