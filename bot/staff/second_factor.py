"""The optional second factor of staff sign-in: time-based one-time codes (TOTP, RFC 6238,
30-second steps, 6 digits), as authenticator apps make them.

- Turning it on (any staff member, on their own account page): ``start`` makes a secret and
  keeps it, sealed, as the one being set up; the page shows it as text and as an otpauth://
  address; ``confirm`` turns it on only with a code the app now shows.
- Signing in: after a right password the session awaits the code (``bot.staff.accounts``);
  ``complete_sign_in`` checks it. Wrong codes are failed sign-ins in the audit trail, so the
  same back-off as for wrong passwords slows guessing (``accounts.sign_in_wait``), and the time
  step of the last accepted code is kept, so a code is good once.
- Turning it off: the owner with a current code (``turn_off``), an administrator for someone
  else (``reset``, which also signs that person out everywhere), or an operator from the
  command line when nobody can sign in (``user second-factor-off``). Each is in the trail.

Secrets are stored sealed with the TOTP key (``bot.staff.secret_box``), never as they are.
API tokens are not affected: a token is a credential of its own, made by an operator.
"""

from __future__ import annotations

import hmac
import logging
import re
import time
from dataclasses import dataclass
from datetime import timedelta

import pyotp
from sqlalchemy.orm import Session

from bot.db import utcnow
from bot.staff.accounts import TEXTS as ACCOUNT_TEXTS
from bot.staff.accounts import (
    THROTTLED,
    SignIn,
    code_session,
    sign_in_wait,
    signed_in,
    wait_text,
)
from bot.staff.audit import Actor, record
from bot.staff.models import Role, StaffUser
from bot.staff.secret_box import SealBroken, open_seal, seal
from bot.staff.settings import StaffSettings

logger = logging.getLogger(__name__)

ISSUER = "Ikäneuvo"
# Codes of the step before and after the current one are accepted too: phones' clocks drift.
VALID_STEPS = (0, -1, 1)
TEXTS = {
    "code_format": "Kirjoita sovelluksen näyttämä 6-numeroinen koodi.",
    "code_wrong": "Koodi on väärin tai vanhentunut. Kirjoita sovelluksen nyt näyttämä koodi.",
    "code_used": "Tämä koodi on jo käytetty. Odota, että sovellus näyttää uuden koodin, ja "
                 "kirjoita se.",
    "code_expired": "Kirjautuminen vanheni. Kirjaudu uudelleen sähköpostilla ja salasanalla.",
    "already_on": "Kaksivaiheinen tunnistautuminen on jo käytössä.",
    "not_started": "Aloita kaksivaiheisen tunnistautumisen käyttöönotto alusta.",
    "unreadable": "Kaksivaiheisen tunnistautumisen tietoja ei voi lukea. Pyydä pääkäyttäjää "
                  "poistamaan se käytöstä ja ota se sitten uudelleen käyttöön.",
    "no_key": "Kaksivaiheista tunnistautumista ei voi ottaa käyttöön, koska palvelimelta puuttuu "
              "sen avain. Ota yhteyttä ylläpitoon.",
    "required": "Pääkäyttäjän on otettava kaksivaiheinen tunnistautuminen käyttöön ennen muuta "
                "työtä.",
}


class SecondFactorError(ValueError):
    """A user-facing reason (in Finnish) why the second factor was not changed."""


def is_on(user: StaffUser | None) -> bool:
    return bool(user is not None and user.totp_secret)


def needs_setting_up(user: StaffUser | None, settings: StaffSettings) -> bool:
    """An administrator without a second factor where the settings require one."""
    return (user is not None and settings.admin_second_factor_required
            and str(getattr(user.role, "value", user.role)) == Role.admin.value
            and not is_on(user))


def _open(settings: StaffSettings, sealed: str) -> str:
    try:
        return open_seal(settings.totp_key, sealed)
    except SealBroken as broken:
        # The key was changed or lost, or the column was written by hand.
        logger.error("A second-factor secret cannot be opened with the TOTP key")
        raise SecondFactorError(TEXTS["unreadable"]) from broken


@dataclass(frozen=True)
class CodeCheck:
    step: int | None  # the time step of the accepted code; None when refused
    error: str | None = None
    reused: bool = False


def check_code(secret: str, code: str, last_step: int | None,
               at: float | None = None) -> CodeCheck:
    """Whether ``code`` is the secret's code now (or a step before or after), and not of a
    step already used (``last_step`` or earlier)."""
    code = re.sub(r"\s", "", code or "")
    if not re.fullmatch(r"\d{6}", code):
        return CodeCheck(None, TEXTS["code_format"])
    totp = pyotp.TOTP(secret)
    now_step = int((time.time() if at is None else at) // totp.interval)
    for offset in VALID_STEPS:
        step = now_step + offset
        if hmac.compare_digest(totp.generate_otp(step), code):
            if last_step is not None and step <= last_step:
                return CodeCheck(None, TEXTS["code_used"], reused=True)
            return CodeCheck(step)
    return CodeCheck(None, TEXTS["code_wrong"])


# --- turning it on and off ------------------------------------------------------------------

def start(user: StaffUser, settings: StaffSettings) -> str:
    """A new secret for ``user`` to add to their app, kept sealed until a code confirms it."""
    if not settings.totp_key:
        raise SecondFactorError(TEXTS["no_key"])
    if is_on(user):
        # A second secret would replace the one the app has, unasked.
        raise SecondFactorError(TEXTS["already_on"])
    secret = pyotp.random_base32()
    user.totp_pending_secret = seal(settings.totp_key, secret)
    return secret


def pending_secret(user: StaffUser, settings: StaffSettings) -> str | None:
    """The secret being set up (shown again when the page is reloaded), or None."""
    return _open(settings, user.totp_pending_secret) if user.totp_pending_secret else None


def provisioning_uri(user: StaffUser, secret: str) -> str:
    """The otpauth:// address that authenticator apps read (typed in or as a QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def confirm(session: Session, user: StaffUser, code: str, settings: StaffSettings,
            at: float | None = None) -> None:
    """Turn the second factor on with a current code of the secret being set up."""
    secret = pending_secret(user, settings)
    if secret is None:
        raise SecondFactorError(TEXTS["not_started"])
    check = check_code(secret, code, None, at)
    if check.error:
        raise SecondFactorError(check.error)
    user.totp_secret, user.totp_pending_secret = user.totp_pending_secret, None
    # The confirming code is used up too.
    user.totp_last_step = check.step
    user.totp_enabled_at = utcnow()
    record(session, "second_factor_on", entity_type="staff_user", entity_id=str(user.id),
           summary=user.email)


def _clear(user: StaffUser) -> None:
    user.totp_secret = user.totp_pending_secret = None
    user.totp_last_step = user.totp_enabled_at = None


def turn_off(session: Session, user: StaffUser, code: str, settings: StaffSettings,
             at: float | None = None) -> None:
    """The owner turns it off, with a current code (a forgotten open browser is not enough)."""
    if not is_on(user):
        return
    check = check_code(_open(settings, user.totp_secret), code, user.totp_last_step, at)
    if check.error:
        raise SecondFactorError(check.error)
    _clear(user)
    record(session, "second_factor_off", entity_type="staff_user", entity_id=str(user.id),
           summary=user.email)


def reset(session: Session, user: StaffUser, actor: Actor | None = None) -> None:
    """Someone else turns ``user``'s second factor off (a lost phone): an administrator in
    the admin, an operator from the command line. The person is signed out everywhere."""
    had = is_on(user) or bool(user.totp_pending_secret)
    _clear(user)
    user.sessions = []
    record(session, "second_factor_reset", actor, entity_type="staff_user",
           entity_id=str(user.id), summary=user.email, before={"second_factor": had},
           after={"second_factor": False})


# --- signing in -----------------------------------------------------------------------------

def complete_sign_in(session: Session, token: str | None, code: str, settings: StaffSettings,
                     ip_address: str | None = None, source: str = "admin",
                     at: float | None = None) -> SignIn:
    """The second step of a sign-in: the code for the session that awaits one. A wrong code
    is a failed sign-in (throttled like a wrong password); a right one opens a new session."""
    pending = code_session(session, token)
    if pending is None:
        return SignIn(None, TEXTS["code_expired"])
    user = pending.user
    actor = Actor(user.id, user.email, source, ip_address)
    wait = sign_in_wait(session, user.email, ip_address, settings)
    if wait > timedelta(0):
        record(session, "login_failed", actor, entity_type="staff_user",
               entity_id=str(user.id), summary=THROTTLED)
        return SignIn(None, ACCOUNT_TEXTS["throttled"].format(wait=wait_text(wait)),
                      throttled=True)
    try:
        check = check_code(_open(settings, user.totp_secret), code, user.totp_last_step, at)
    except SecondFactorError as error:
        check = CodeCheck(None, str(error))
    if check.error:
        record(session, "login_failed", actor, entity_type="staff_user",
               entity_id=str(user.id), summary="code_used" if check.reused else "code")
        logger.info("Sign-in failed at the second factor")
        return SignIn(None, check.error)
    user.totp_last_step = check.step
    # A new session token for the signed-in session: the one that waited is not promoted.
    session.delete(pending)
    return signed_in(session, user, settings, actor)
