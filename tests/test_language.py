"""The language of a message: lingua for fi/sv/en, the lexicon for Northern Sámi.

Two files of messages, each by a writer who had read neither ``data/`` nor the detector:
``language_messages_dev.yml`` was read while tuning, ``language_messages_held_out.yml`` never.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.nlu.gazetteers import build_gazetteers
from bot.nlu.language_entity import language_of
from bot.text.language import asked_language, conversation_language, message_language

DATA = Path(__file__).parent / "data"
# The share of messages whose language must be recognised, and the share that may be taken for
# another language (a miss may keep the conversation's language instead). The held-out limits
# sit below what was measured when the file was first run (fi 100 %, sv ≥ 95 %, en 94.7 %,
# se 87.8 % with 12 % taken for another language: lingua has no Sámi model, the lexicon awaits
# a native speaker) and guard against falling back; they were not used to tune the detector.
SETS = {
    "language_messages_dev.yml": {"fi": (0.95, 0.05), "sv": (0.95, 0.05), "en": (0.95, 0.05),
                                  "se": (0.95, 0.05)},
    "language_messages_held_out.yml": {"fi": (0.95, 0.05), "sv": (0.95, 0.05),
                                       "en": (0.90, 0.05), "se": (0.80, 0.15)},
}


def _read(name: str) -> dict:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def gazetteers():
    return build_gazetteers()


@pytest.mark.parametrize("name, language",
                         [(name, language) for name, limits in SETS.items() for language in limits])
def test_messages_are_recognised(name, language, gazetteers):
    required, other_language = SETS[name][language]
    messages = _read(name)["messages"][language]
    assert len(messages) >= 30
    found = {m: language_of(m, gazetteers) for m in messages}
    wrong = [(m, got) for m, got in found.items() if got != language]
    share = 1 - len(wrong) / len(messages)
    print(f"{name} {language}: {len(messages) - len(wrong)}/{len(messages)} ({share:.1%}); {wrong}")
    assert share >= required, wrong
    assert len([w for w in wrong if w[1] is not None]) <= other_language * len(messages), wrong


@pytest.mark.parametrize("name", SETS)
def test_ambiguous_messages_keep_the_conversations_language(name, gazetteers):
    ambiguous = _read(name)["ambiguous"]
    assert len(ambiguous) >= 20
    changed = [(m, language_of(m, gazetteers)) for m in ambiguous
               if language_of(m, gazetteers) is not None]
    assert len(changed) <= len(ambiguous) // 10, changed
    for previous in ("sv", "en", "se"):
        assert conversation_language("112", previous) == previous


@pytest.mark.parametrize("name", SETS)
def test_a_request_changes_the_language(name):
    requests = _read(name)["switch"]
    wrong = [r for r in requests if message_language(r["text"]) != r["language"]]
    assert len(wrong) <= len(requests) // 10, wrong


@pytest.mark.parametrize("text, language", [
    ("på svenska tack", "sv"), ("in English please", "en"), ("sámegillii", "se"),
    ("puhu suomea", "fi"), ("ruotsiksi", "sv"), ("englanniksi kiitos", "en"),
])
def test_switch_words(text, language):
    assert asked_language(text) == language


def test_a_question_that_mentions_a_language_is_no_request_to_change():
    text = "onko kotihoitoa saatavilla ruotsiksi Kemissä"
    assert asked_language(text) is None
    assert message_language(text) == "fi"


def test_place_and_service_names_tell_no_language(gazetteers):
    text = "does my mum in Kemijärvi get kotihoito"
    assert message_language(text) == "fi"  # the Finnish names outweigh the English words
    assert language_of(text, gazetteers) == "en"
    assert language_of("kan min pappa få kotihoito i Kemi", gazetteers) == "sv"


def test_finnish_with_words_sami_also_has_stays_finnish():
    assert message_language("mun äiti ja isä asuu inarissa") == "fi"


def test_an_unknown_previous_language_falls_back_to_finnish():
    assert conversation_language("ok", None) == "fi"
    assert conversation_language("ok", "de") == "fi"
