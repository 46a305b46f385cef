"""`rasa data validate` is clean, but for what the validator cannot see.

Rasa's validator reports a response as unused when only a form (``utter_ask_<slot>``) or a
custom action (``response="utter_x"``) sends it. Those, and only those, are accepted here; any
other warning fails.
"""

from __future__ import annotations

import re
import subprocess

import yaml

from bot.config import PROJECT_ROOT
from bot.launcher import quiet_env, rasa_executable

UNUSED = re.compile(r"The utterance '([^']+)' is not used in any story or rule\.")


def responses_sent_outside_stories() -> set[str]:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    form_asks = {
        f"utter_ask_{slot}"
        for form in domain.get("forms", {}).values()
        for slot in form["required_slots"]
    }
    by_actions = set()
    # The actions send responses by name, and so does the channels' guard (an over-long message).
    senders = [*(PROJECT_ROOT / "actions").glob("*.py"), PROJECT_ROOT / "bot" / "message_guard.py"]
    for path in senders:
        by_actions |= set(re.findall(r'"(utter_[a-z_]+)"', path.read_text(encoding="utf-8")))
    return form_asks | by_actions


def test_rasa_data_validate_has_no_unexplained_warnings():
    result = subprocess.run(
        [rasa_executable(), "data", "validate", "--data", "data/nlu", "data/dialogue"],
        cwd=PROJECT_ROOT, env=quiet_env({"PYTHONWARNINGS": "default"}),
        capture_output=True, text=True,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    warnings = [line for line in output.splitlines() if "UserWarning:" in line]
    allowed = responses_sent_outside_stories()
    unexplained = [
        w for w in warnings
        if not (UNUSED.search(w) and UNUSED.search(w).group(1) in allowed)
        and "assistant_id" not in w
    ]
    assert unexplained == []
    assert "No story structure conflicts found" in output
