"""What of a conversation's events may be stored: everything but personal data.

Works on Rasa's event dictionaries (``Event.as_dict()``) and knows nothing of Rasa's classes,
so it is tested without a server. Three rules:

- the contact form's personal answers (topic, name, phone, time) are kept out entirely: the
  user's message that answers one is stored as ``FORM_ANSWER``, a slot set to one stores
  ``KEPT_IN_DRAFT`` (the answers live in the form's draft row until it is sent);
- the summary the form reads back is stored as ``FORM_SUMMARY``;
- in every other user message, and in slots that keep the user's words, identity codes,
  phone numbers, e-mail addresses and IBANs are replaced by placeholders
  (``bot.text.personal_data``).

Intents, entity types and which slots are set stay as they were, so the policies predict the
same from a stored conversation as from the live one.
"""

from __future__ import annotations

import copy
from typing import Any, Iterable

from bot.contact_requests.drafts import KEPT_IN_DRAFT, PERSONAL_SLOTS
from bot.text.personal_data import redact

FORM = "contact_request_form"
SUMMARY_ACTION = "action_confirm_contact_request"
FORM_ANSWER = "[lomakkeen vastaus]"
FORM_SUMMARY = "[yhteenveto]"
REQUESTED_SLOT = "requested_slot"
# What of the summary's metadata is kept: which response it was, in which language, by which
# model.
SUMMARY_METADATA = ("utter_action", "template", "metadata", "model_id", "assistant_id")


def redact_events(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copies of ``events`` with the personal data taken out; the originals are untouched."""
    redacted: list[dict[str, Any]] = []
    active_loop: str | None = None
    requested_slot: str | None = None
    in_summary = False
    for original in events:
        event = copy.deepcopy(original)
        kind = event.get("event")
        if kind == "active_loop":
            active_loop = event.get("name")
        elif kind == "slot":
            if event.get("name") == REQUESTED_SLOT:
                requested_slot = event.get("value")
            elif event.get("name") in PERSONAL_SLOTS and event.get("value") is not None:
                event["value"] = KEPT_IN_DRAFT
            elif isinstance(event.get("value"), str):
                # Slots that keep the user's words (need_text: the question asked).
                event["value"] = redact(event["value"])
        elif kind == "action":
            in_summary = event.get("name") == SUMMARY_ACTION
        elif kind == "bot" and in_summary:
            event["text"] = FORM_SUMMARY
            event["data"] = {}
            # Rasa keeps a response's template values in its metadata: the answers again.
            metadata = event.get("metadata") or {}
            event["metadata"] = {k: v for k, v in metadata.items() if k in SUMMARY_METADATA}
        elif kind == "user":
            answers_form = active_loop == FORM and requested_slot in PERSONAL_SLOTS
            _redact_user_message(event, FORM_ANSWER if answers_form else None)
        redacted.append(event)
    return redacted


def _redact_user_message(event: dict[str, Any], replacement: str | None) -> None:
    def cleaned(text: Any) -> Any:
        if not isinstance(text, str):
            return text
        return replacement if replacement is not None else redact(text)

    event["text"] = cleaned(event.get("text"))
    parse_data = event.get("parse_data") or {}
    if "text" in parse_data:
        parse_data["text"] = cleaned(parse_data["text"])
    for entity in parse_data.get("entities") or []:
        if "value" in entity:
            entity["value"] = cleaned(entity["value"])
        if "text" in entity:
            entity["text"] = cleaned(entity["text"])
