"""The deterministic emergency detector on its own test file: nothing missed, little extra."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.text.emergency import is_emergency

MESSAGES = yaml.safe_load(
    (Path(__file__).parent / "data" / "emergency_messages.yml").read_text(encoding="utf-8")
)


def _all(group: str) -> list[tuple[str, str]]:
    return [(language, text) for language, texts in MESSAGES[group].items() for text in texts]


def test_the_file_has_every_language_and_both_kinds():
    for group in ("emergency", "not_emergency"):
        assert set(MESSAGES[group]) == {"fi", "sv", "en", "se"}
    assert len(_all("emergency")) >= 100 and len(_all("not_emergency")) >= 90


def test_recall_is_one_no_emergency_is_missed():
    missed = [f"{lang}: {text}" for lang, text in _all("emergency") if not is_emergency(text)]
    assert missed == []


def test_precision_is_at_least_95_percent():
    positives = [t for _, t in _all("emergency")]
    false_alarms = [f"{lang}: {t}" for lang, t in _all("not_emergency") if is_emergency(t)]
    precision = len(positives) / (len(positives) + len(false_alarms))
    assert precision >= 0.95, false_alarms


@pytest.mark.parametrize("text", ["kaatui viime viikolla mutta nyt kaikki hyvin",
                                  "mikä on hätänumero", "/emergency", ""])
def test_past_events_questions_and_payloads_are_not_emergencies(text):
    assert not is_emergency(text)
