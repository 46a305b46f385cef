"""bot.rasa_speedups: Rasa's check of an action server's response, with one validator built
once, accepts and refuses exactly what Rasa's own check does, with Rasa's message."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot import rasa_speedups

GOOD = [
    {"events": [{"event": "slot", "name": "service", "value": "kotihoito"}],
     "responses": [{"text": "Kotihoito", "metadata": {"lang": "fi"}}]},
    {"events": [], "responses": []},
    {},
]
BAD = [
    {"events": [{"event": "no-such-event"}]},
    {"events": "not a list"},
    {"responses": [1, 2]},
    [],
]


@pytest.fixture
def shipped_and_installed(monkeypatch):
    shipped = RemoteAction._validate_action_result
    monkeypatch.setattr(RemoteAction, "_validate_action_result", shipped)
    rasa_speedups.install()
    installed = RemoteAction._validate_action_result
    assert installed is not shipped
    return shipped, installed


@pytest.mark.parametrize("response", GOOD)
def test_good_responses_pass_both(shipped_and_installed, response):
    shipped, installed = shipped_and_installed
    assert shipped(RemoteAction, response) is True
    assert installed(RemoteAction, response) is True


@pytest.mark.parametrize("response", BAD)
def test_bad_responses_are_refused_by_both_with_rasas_message(shipped_and_installed, response):
    shipped, installed = shipped_and_installed
    with pytest.raises(jsonschema.ValidationError) as by_rasa:
        shipped(RemoteAction, response)
    with pytest.raises(jsonschema.ValidationError) as by_ours:
        installed(RemoteAction, response)
    assert by_ours.value.message == by_rasa.value.message
    assert "Failed to validate Action server response" in by_ours.value.message


def test_the_schema_is_not_checked_again_per_response(shipped_and_installed, monkeypatch):
    _shipped, installed = shipped_and_installed

    def refuse(*_args, **_kwargs):
        raise AssertionError("jsonschema.validate was called")

    monkeypatch.setattr(jsonschema, "validate", refuse)
    kind = jsonschema.validators.validator_for(RemoteAction.action_response_format_spec())
    monkeypatch.setattr(kind, "check_schema", refuse)
    assert installed(RemoteAction, GOOD[0]) is True
    rasa_speedups.install()  # idempotent
    assert RemoteAction._validate_action_result is installed
