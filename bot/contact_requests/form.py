"""What the contact form's actions await: each database call within its deadline.

The functions of ``submit`` block and may wait on a hung database; these run them in a worker
thread and give up in time (``bot.db.deadline``), so the citizen hears "not saved, please
call" within seconds instead of waiting. None of them raises.
"""

from __future__ import annotations

import threading
from functools import partial

from bot.contact_requests import submit
from bot.contact_requests.drafts import DraftAnswers
from bot.db.deadline import within


async def start_form(conversation_id: str) -> bool:
    return await within(partial(submit.start_form, conversation_id), lambda: False)


async def keep_form_answer(conversation_id: str, slot: str, value: str | None) -> bool:
    return await within(
        partial(submit.keep_form_answer, conversation_id, slot, value), lambda: False
    )


async def form_answers(conversation_id: str) -> DraftAnswers | None:
    return await within(partial(submit.form_answers, conversation_id), lambda: None)


async def discard_form(conversation_id: str) -> None:
    await within(partial(submit.discard_form, conversation_id), lambda: None)


async def submit_form(
    conversation_id: str, municipality_code: str, for_whom: str, consent_given: bool
) -> str | None:
    """The stored request's reference, or None: not stored (and never stored later)."""
    given_up = threading.Event()
    call = partial(
        submit.submit_form, conversation_id, municipality_code, for_whom, consent_given,
        given_up=given_up,
    )
    return await within(call, lambda: None, given_up=given_up)


async def municipality_name(code: str | None, language: str = "fi") -> str | None:
    return await within(
        partial(submit.municipality_name, code, None, language), lambda: None
    )


async def whom_label(for_whom: str | None, language: str = "fi") -> str:
    return await within(
        partial(submit.whom_label, for_whom, None, language),
        partial(submit.last_known_whom_label, for_whom, language),
    )
