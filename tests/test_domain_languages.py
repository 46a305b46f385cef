"""Every fixed answer of domain.yml in Finnish, Swedish, English and Northern Sámi."""

from __future__ import annotations

import re

import pytest
import yaml

from bot.config import PROJECT_ROOT
from bot.text.language import LANGUAGES
from tests.support.texts import variation_language

DOMAIN_TEXT = (PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8")
RESPONSES = yaml.safe_load(DOMAIN_TEXT)["responses"]
PLACEHOLDER = re.compile(r"{(\w+)}")
# The numbers an answer must never lose in translation.
URGENT_NUMBERS = ("112", "116 117")


def _by_language(name: str) -> dict[str, dict]:
    return {variation_language(v): v for v in RESPONSES[name]}


@pytest.mark.parametrize("name", RESPONSES)
def test_every_response_has_one_variation_per_language(name):
    variations = RESPONSES[name]
    assert sorted(variation_language(v) for v in variations) == sorted(LANGUAGES)


@pytest.mark.parametrize("name", RESPONSES)
def test_each_variation_tells_the_widget_its_language(name):
    for variation in RESPONSES[name]:
        assert variation.get("metadata", {}).get("lang") == variation_language(variation)


@pytest.mark.parametrize("name", RESPONSES)
def test_translations_keep_placeholders_buttons_and_urgent_numbers(name):
    variations = _by_language(name)
    finnish = variations["fi"]
    for language, variation in variations.items():
        assert set(PLACEHOLDER.findall(variation["text"])) == set(
            PLACEHOLDER.findall(finnish["text"])), language
        buttons, finnish_buttons = variation.get("buttons", []), finnish.get("buttons", [])
        assert len(buttons) == len(finnish_buttons), language
        for button, finnish_button in zip(buttons, finnish_buttons, strict=True):
            if finnish_button["payload"].startswith("/"):
                assert button["payload"] == finnish_button["payload"], language
        for number in URGENT_NUMBERS:
            assert (number in variation["text"]) == (number in finnish["text"]), (language, number)


def test_the_sami_texts_are_marked_for_review():
    assert "# review: se awaiting native speaker" in DOMAIN_TEXT
