"""Load on the production set: relatives who ask to be called back, over Rasa's REST channel.

Run by the locust command line (``benchmarks/load.py`` starts it), never imported by
pytest: locust patches the standard library for gevent when it is imported.

Each locust user holds one conversation after another with no pause between messages (a closed
loop: the next message goes when the answer has come). A conversation is the contact-request
journey of ``tests/test_contact_request_journey.py`` with a new sender id, a new name of letters
only (names with digits are refused) and a new mobile number, so every journey stores a request
of its own.

A message that fails (no connection, no answer in 30 s, status 429 or 5xx) is sent again as a
person would, after a second, at most three more times. Every attempt is a request of its own in
locust's statistics, named by its step ("1 place" ... "8 confirm"), and a failed one counts as
a failure. A message that still fails, or fails in a way a new try does not mend (another 4xx,
an answer that is not a list of messages), ends the journey as abandoned.

Each journey that ends appends one JSON line to the file named by ``IKANEUVO_LOAD_OUTCOMES``
(nothing is written when it is not set)::

    {"sender", "name", "phone", "reference": str | null,
     "outcome": "confirmed" | "not_confirmed" | "abandoned",
     "replicas": [X-Ikaneuvo-Replica of every answer, in order], "retries": int}

"confirmed": the answer to the last message holds a saved request's reference; "not_confirmed":
it answered without one. A journey that locust's stop interrupts (it kills users still inside a
journey when ``--stop-timeout`` runs out) is not written.
"""

from __future__ import annotations

import json
import os
import random
import re
import string
import time
import uuid
from dataclasses import dataclass, field

import gevent
from locust import HttpUser, constant, events, task
from locust.stats import CSV_STATS_INTERVAL_SEC

from benchmarks.load import OUTCOMES_ENV, REST_TOKEN_ENV
from bot.contact_requests.store import _REFERENCE_ALPHABET, new_reference

WEBHOOK_PATH = "/webhooks/rest/webhook"
REPLICA_HEADER = "X-Ikaneuvo-Replica"
ANSWER_TIMEOUT_SECONDS = 30
MORE_TRIES = 3
SECONDS_BEFORE_TRYING_AGAIN = 1.0
# A journey's name is of letters only: the form refuses a name with digits.
NAME_LETTERS = "abcdefghijklmnoprstuvy"
REFERENCE = re.compile(rf"\b[{_REFERENCE_ALPHABET}]{{{len(new_reference())}}}\b")

# What the relative says; the name and phone are new in each journey (Journey.steps).
PLACE = "Isä on alkanut unohdella asioita, hän asuu Sallassa"
CALL_ME = "voiko joku soittaa minulle"
TOPIC = "isän muisti on huonontunut"
TIME = "aamupäivisin"
AFFIRM = "/affirm"


def new_name() -> str:
    return "Kuormitus " + "".join(random.choices(NAME_LETTERS, k=8)).capitalize()


def new_phone() -> str:
    return "040 " + "".join(random.choices(string.digits, k=7))


def _should_try_again(status_code: int) -> bool:
    """0 is locust's status for no answer at all: no connection, or the timeout ran out."""
    return status_code == 0 or status_code == 429 or status_code >= 500


@dataclass
class Journey:
    sender: str = field(default_factory=lambda: f"load-{uuid.uuid4()}")
    name: str = field(default_factory=new_name)
    phone: str = field(default_factory=new_phone)
    replicas: list[str] = field(default_factory=list)
    retries: int = 0

    def steps(self) -> list[tuple[str, str]]:
        return [
            ("1 place", PLACE),
            ("2 call me", CALL_ME),
            ("3 topic", TOPIC),
            ("4 name", self.name),
            ("5 phone", self.phone),
            ("6 time", TIME),
            ("7 consent", AFFIRM),
            ("8 confirm", AFFIRM),
        ]

    def outcome(self, reference: str | None, outcome: str) -> dict:
        return {
            "sender": self.sender,
            "name": self.name,
            "phone": self.phone,
            "reference": reference,
            "outcome": outcome,
            "replicas": self.replicas,
            "retries": self.retries,
        }


# The production run's REST channel takes only callers with its bearer token.
AUTHORIZATION = ({"Authorization": f"Bearer {os.environ[REST_TOKEN_ENV]}"}
                 if os.environ.get(REST_TOKEN_ENV) else {})


def write_outcome(outcome: dict) -> None:
    """One line in one write: locust runs its users in one process, one greenlet at a time."""
    path = os.environ.get(OUTCOMES_ENV)
    if not path:
        return
    with open(path, "a", encoding="utf-8") as outcomes:
        outcomes.write(json.dumps(outcome, ensure_ascii=False) + "\n")
        outcomes.flush()


@events.quitting.add_listener
def let_the_csv_writer_catch_up(**_kwargs) -> None:
    """Locust rewrites its ``--csv`` files once a second and not again when it quits, so the
    last second, with the journeys that ended after the run time, would be missing from them.
    Quitting comes after every user has stopped: one more round of the writer has them all."""
    gevent.sleep(CSV_STATS_INTERVAL_SEC + 0.5)


class Relative(HttpUser):
    wait_time = constant(0)

    @task
    def ask_for_a_call_back(self) -> None:
        journey = Journey()
        answer: list[str] | None = None
        for step, message in journey.steps():
            answer = self._say(journey, step, message)
            if answer is None:
                write_outcome(journey.outcome(None, "abandoned"))
                return
        found = REFERENCE.search(" ".join(answer or []))
        if found:
            write_outcome(journey.outcome(found.group(0), "confirmed"))
        else:
            write_outcome(journey.outcome(None, "not_confirmed"))

    def _say(self, journey: Journey, step: str, message: str) -> list[str] | None:
        """The texts of the answer to ``message``, or None when it got no usable answer."""
        for attempt in range(1 + MORE_TRIES):
            if attempt:
                journey.retries += 1
                time.sleep(SECONDS_BEFORE_TRYING_AGAIN)
            with self.client.post(
                WEBHOOK_PATH,
                json={"sender": journey.sender, "message": message},
                headers=AUTHORIZATION,
                name=step,
                timeout=ANSWER_TIMEOUT_SECONDS,
                catch_response=True,
            ) as response:
                replica = response.headers.get(REPLICA_HEADER)
                if replica:
                    journey.replicas.append(replica)
                if not 200 <= response.status_code < 300:
                    error = getattr(response, "error", None)
                    response.failure(error or f"status {response.status_code}")
                    if _should_try_again(response.status_code):
                        continue
                    return None
                texts = _answer_texts(response)
                if texts is None:
                    response.failure("the answer is not a list of messages")
                    return None
                response.success()
                return texts
        return None


def _answer_texts(response) -> list[str] | None:
    try:
        messages = response.json()
    except ValueError:
        return None
    if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
        return None
    return [m["text"] for m in messages if isinstance(m.get("text"), str)]
