"""The insights page's charts, drawn on the server as SVG with pygal.

An SVG shown with ``<img>`` runs no script and needs no change to the admin's content security
policy; each chart has a text alternative and the page shows the same figures in a table.
Colours: dark blue and orange, told apart also without colour vision, each at least 3:1
against white (WCAG 1.4.11); text large enough to read at 100 % zoom.
"""

from __future__ import annotations

import pygal
from pygal.style import Style

from bot.staff.insights import Insights

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1a1a1a",
    foreground_strong="#1a1a1a",
    foreground_subtle="#595959",
    colors=("#1f4e8c", "#b35900", "#2e7d32", "#6a1b9a"),
    font_family="sans-serif",
    label_font_size=14,
    major_label_font_size=14,
    value_font_size=14,
    legend_font_size=15,
    title_font_size=17,
    tooltip_font_size=14,
    # pygal's default 0.7 would pale the bars below 3:1 against white.
    opacity="1",
    opacity_hover="0.85",
)


def _chart(kind, **options):
    # js=[]: pygal would otherwise link its tooltip script from the internet.
    defaults = {"style": STYLE, "js": [], "show_y_guides": True, "legend_at_bottom": True,
                "print_values": False, "width": 760, "height": 380}
    return kind(**{**defaults, **options})


def _whole_numbers(largest: int) -> list[int]:
    """Axis labels for counts: whole numbers only, at most about ten of them."""
    step = max(1, -(-largest // 10))
    return list(range(0, max(largest, 1) + step, step))


def weeks_chart(data: Insights) -> bytes:
    """Answered and unanswered questions per week, stacked."""
    chart = _chart(pygal.StackedBar, title="Kysymykset viikoittain")
    chart.x_labels = [f"vk {f.week.week}" for f in data.trend]
    chart.add("Vastatut", [f.answered for f in data.trend])
    chart.add("Vastaamatta", [f.unanswered for f in data.trend])
    chart.y_labels = _whole_numbers(max((f.questions for f in data.trend), default=0))
    return chart.render()


def services_chart(data: Insights) -> bytes:
    """The most asked services of the chosen week, the most asked at the top."""
    services = list(reversed(data.top_services))
    chart = _chart(pygal.HorizontalBar, title="Kysytyimmät palvelut", show_legend=False,
                   height=max(220, 60 + 34 * len(services)))
    chart.x_labels = [s.name for s in services]
    chart.add("Kysymyksiä", [s.count for s in services])
    chart.y_labels = _whole_numbers(max((s.count for s in services), default=0))
    return chart.render()


CHARTS = {"viikot": weeks_chart, "palvelut": services_chart}
