"""Per-message costs of Rasa 3.6 that do no work for us, removed when the Rasa server starts
(``bot.rasa_server.main``), each measured in the benchmarks (docs/benchmarks.md, section 3).

- **The action-server response check.** ``RemoteAction._validate_action_result`` calls
  ``jsonschema.validate`` for every response, which first checks the schema itself against the
  JSON-schema meta-schema and builds a new validator: most of the check's cost, on every
  action call. Here the schema is checked once and one validator, built once, checks each
  response against the very same schema; a bad response is refused with Rasa's own message.
"""

from __future__ import annotations

from typing import Any


def validate_action_responses_with_one_validator() -> None:
    from jsonschema import ValidationError
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    if getattr(RemoteAction._validate_action_result, "built_once", False):
        return
    schema = RemoteAction.action_response_format_spec()
    # What jsonschema.validate does on each call, done here once.
    kind = validator_for(schema)
    kind.check_schema(schema)
    validator = kind(schema)

    def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
        try:
            validator.validate(result)
            return True
        except ValidationError as error:
            error.message += (
                f". Failed to validate Action server response from API, "
                f"make sure your response from the Action endpoint is valid. "
                f"For more information about the format visit "
                f"{DOCS_BASE_URL}/custom-actions"
            )
            raise error

    _validate_action_result.built_once = True  # type: ignore[attr-defined]
    RemoteAction._validate_action_result = _validate_action_result


def install() -> None:
    """Every speed-up of this module; idempotent."""
    validate_action_responses_with_one_validator()
