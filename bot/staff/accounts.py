"""Staff accounts: creating them, signing in (with throttling), sessions and API tokens.

With a second factor on, a right password opens only a session that awaits the code
(``SignIn.needs_code``); ``bot.staff.second_factor.complete_sign_in`` checks the code and
finishes the sign-in here (``signed_in``). API tokens know nothing of the second factor.

Every function takes the caller's session (one per request or command) and never commits:
the caller's unit of work decides.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.catalogue.models import ServiceArea
from bot.db import utcnow
from bot.staff.audit import Actor, record
from bot.staff.models import ApiToken, AuditEvent, Role, StaffSession, StaffUser
from bot.staff.passwords import hash_password, needs_rehash, verify_password
from bot.staff.settings import StaffSettings

logger = logging.getLogger(__name__)

TEXTS = {
    "bad_credentials": "Sähköpostiosoite tai salasana on väärin.",
    "throttled": "Liian monta väärää yritystä. Odota {wait} ja yritä sitten uudelleen.",
    "password_short": "Salasanassa pitää olla vähintään {n} merkkiä.",
    "email_invalid": "Tarkista sähköpostiosoite.",
    "email_taken": "Tällä sähköpostiosoitteella on jo käyttäjätunnus.",
    "area_not_for_admin": "Pääkäyttäjälle ei voi rajata palvelualuetta: pääkäyttäjä näkee "
                          "koko hyvinvointialueen tiedot.",
    "area_unknown": "Palvelualuetta {area} ei ole.",
}


class AccountError(ValueError):
    """A user-facing reason (in Finnish) why an account operation was refused."""


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_password_policy(password: str, settings: StaffSettings) -> None:
    if len(password or "") < settings.min_password_length:
        raise AccountError(TEXTS["password_short"].format(n=settings.min_password_length))


def area_error(session: Session, role: Role | str | None,
               service_area_id: str | None) -> str | None:
    """Why an account of ``role`` cannot be limited to ``service_area_id`` (in Finnish), or
    None. Editors and viewers may be; admins administer the whole county and may not."""
    if not service_area_id:
        return None
    if str(getattr(role, "value", role)) == Role.admin.value:
        return TEXTS["area_not_for_admin"]
    if session.get(ServiceArea, service_area_id) is None:
        return TEXTS["area_unknown"].format(area=service_area_id)
    return None


def create_user(
    session: Session,
    email: str,
    password: str,
    role: Role,
    settings: StaffSettings,
    service_area_id: str | None = None,
    display_name: str | None = None,
) -> StaffUser:
    email = normalize_email(email)
    if "@" not in email or len(email) > 254:
        raise AccountError(TEXTS["email_invalid"])
    if session.execute(select(StaffUser.id).where(StaffUser.email == email)).first():
        raise AccountError(TEXTS["email_taken"])
    check_password_policy(password, settings)
    refusal = area_error(session, role, service_area_id)
    if refusal:
        raise AccountError(refusal)
    user = StaffUser(
        email=email,
        display_name=display_name,
        role=role,
        service_area_id=service_area_id or None,
        password_hash=hash_password(password),
        is_active=True,
    )
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, user: StaffUser, password: str, settings: StaffSettings) -> None:
    check_password_policy(password, settings)
    user.password_hash = hash_password(password)
    # A new password signs out every browser that used the old one.
    user.sessions = []


@dataclass(frozen=True)
class SignIn:
    user: StaffUser | None
    error: str | None = None
    session_token: str | None = None
    # The password was right; the session awaits the second factor's code.
    needs_code: bool = False
    # Refused unchecked: the back-off's wait is not over.
    throttled: bool = False


THROTTLED = "throttled"


def _recent_failures(session: Session, since: datetime,
                     **where) -> tuple[int, datetime | None]:
    """Wrong passwords since ``since`` (attempts refused while waiting do not count): how many,
    and the latest."""
    statement = select(func.count(AuditEvent.id), func.max(AuditEvent.at)).where(
        AuditEvent.action == "login_failed", AuditEvent.at >= since,
        or_(AuditEvent.summary.is_(None), AuditEvent.summary != THROTTLED),
    )
    for column, value in where.items():
        statement = statement.where(getattr(AuditEvent, column) == value)
    count, latest = session.execute(statement).one()
    return count, latest


def _last_success(session: Session, email: str) -> datetime | None:
    return session.execute(
        select(func.max(AuditEvent.at)).where(
            AuditEvent.action == "login_success", AuditEvent.actor_email == email
        )
    ).scalar_one()


def _known_address(session: Session, email: str, ip_address: str | None,
                   settings: StaffSettings, now: datetime) -> bool:
    """Whether the account has signed in from this address lately."""
    since = now - timedelta(days=settings.known_address_days)
    return bool(ip_address) and session.execute(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "login_success", AuditEvent.actor_email == email,
            AuditEvent.ip_address == ip_address, AuditEvent.at >= since)
    ).scalar_one() > 0


def _backoff(failures: int, free: int, cap: timedelta) -> timedelta:
    if failures < free:
        return timedelta(0)
    return min(cap, timedelta(seconds=2 ** min(failures - free, 20)))


def sign_in_wait(session: Session, email: str, ip_address: str | None,
                 settings: StaffSettings, now: datetime | None = None) -> timedelta:
    """How long this account must wait before its next attempt from this address (zero:
    none). Each dimension backs off from its latest failure; nothing locks an account."""
    now = now or utcnow()
    since = now - settings.failure_window
    last_success = _last_success(session, email)
    account_since = max(since, last_success) if last_success else since
    checks = [({"actor_email": email, "ip_address": ip_address}, account_since,
               settings.free_failures_per_account_and_address, settings.max_wait)]
    if ip_address:
        checks.append(({"ip_address": ip_address}, since, settings.free_failures_per_address,
                       settings.max_wait))
    if not _known_address(session, email, ip_address, settings, now):
        checks.append(({"actor_email": email}, account_since,
                       settings.free_failures_per_account, settings.max_account_wait))
    wait = timedelta(0)
    for where, start, free, cap in checks:
        count, latest = _recent_failures(session, start, **where)
        if latest is not None:
            wait = max(wait, latest + _backoff(count, free, cap) - now)
    return wait


def wait_text(wait: timedelta) -> str:
    seconds = max(1, int(wait.total_seconds() + 0.999))
    if seconds < 90:
        return f"{seconds} sekuntia" if seconds != 1 else "sekunti"
    minutes = (seconds + 59) // 60
    return f"{minutes} minuuttia"


def sign_in(
    session: Session,
    email: str,
    password: str,
    settings: StaffSettings,
    ip_address: str | None = None,
    source: str = "admin",
) -> SignIn:
    """Check the password (throttled), record the attempt, and open a session on success."""
    email = normalize_email(email)[:254]
    wait = sign_in_wait(session, email, ip_address, settings)
    if wait > timedelta(0):
        record(session, "login_failed", Actor(None, email, source, ip_address),
               entity_type="staff_user", summary=THROTTLED)
        logger.warning("Sign-in refused: too many failures, %d s to wait", wait.total_seconds())
        return SignIn(None, TEXTS["throttled"].format(wait=wait_text(wait)), throttled=True)
    user = session.execute(
        select(StaffUser).where(StaffUser.email == email)
    ).scalar_one_or_none()
    ok = verify_password(user.password_hash if user else None, password or "")
    if not ok or user is None or not user.is_active:
        record(session, "login_failed", Actor(user.id if user else None, email, source,
                                              ip_address), entity_type="staff_user",
               entity_id=str(user.id) if user else None)
        logger.info("Sign-in failed")
        return SignIn(None, TEXTS["bad_credentials"])
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    actor = Actor(user.id, email, source, ip_address)
    if user.totp_secret:
        # Not yet a sign-in: the success that resets the back-off comes only with the code,
        # so knowing the password does not buy fresh guesses at the code.
        token = open_session(session, user, settings, awaiting_code=True)
        record(session, "login_password_ok", actor, entity_type="staff_user",
               entity_id=str(user.id))
        return SignIn(user, None, token, needs_code=True)
    return signed_in(session, user, settings, actor)


def signed_in(session: Session, user: StaffUser, settings: StaffSettings,
              actor: Actor) -> SignIn:
    """Open the session of a sign-in that passed every check, and record it."""
    user.last_login_at = utcnow()
    token = open_session(session, user, settings)
    record(session, "login_success", actor, entity_type="staff_user", entity_id=str(user.id))
    logger.info("Sign-in succeeded for user %s", user.id)
    return SignIn(user, None, token)


def open_session(session: Session, user: StaffUser, settings: StaffSettings,
                 awaiting_code: bool = False) -> str:
    token = secrets.token_urlsafe(32)
    now = utcnow()
    lifetime = settings.code_wait if awaiting_code else settings.session_absolute
    session.add(StaffSession(
        id=_digest(token), user_id=user.id, created_at=now, last_seen_at=now,
        expires_at=now + lifetime, awaiting_code=awaiting_code,
    ))
    return token


def code_session(session: Session, token: str | None,
                 now: datetime | None = None) -> StaffSession | None:
    """The session of a right password still awaiting its code (expired ones are removed)."""
    staff_session = session.get(StaffSession, _digest(token)) if token else None
    if staff_session is None or not staff_session.awaiting_code:
        return None
    if (now or utcnow()) >= staff_session.expires_at or not staff_session.user.is_active:
        session.delete(staff_session)
        return None
    return staff_session


def session_user(
    session: Session, token: str | None, settings: StaffSettings, now: datetime | None = None
) -> StaffUser | None:
    """The active user of a session token; expired or idle sessions are removed."""
    if not token:
        return None
    now = now or utcnow()
    staff_session = session.get(StaffSession, _digest(token))
    if staff_session is None or staff_session.awaiting_code:
        return None
    if now >= staff_session.expires_at or now - staff_session.last_seen_at > settings.session_idle:
        session.delete(staff_session)
        return None
    user = staff_session.user
    if not user.is_active:
        return None
    # Refresh at most once a minute, so browsing is not a write per request.
    if now - staff_session.last_seen_at > timedelta(minutes=1):
        staff_session.last_seen_at = now
    return user


def close_session(session: Session, token: str | None) -> None:
    if token:
        staff_session = session.get(StaffSession, _digest(token))
        if staff_session is not None:
            session.delete(staff_session)


TOKEN_PREFIX = "ikn_"


def create_api_token(
    session: Session, user: StaffUser, name: str, valid_days: int | None = 365
) -> tuple[ApiToken, str]:
    """A new API token; the secret is returned once and only its hash is stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name[:100] or "API",
        token_hash=_digest(secret),
        prefix=secret[:10],
        expires_at=utcnow() + timedelta(days=valid_days) if valid_days else None,
    )
    session.add(token)
    session.flush()
    return token, secret


def token_user(
    session: Session, secret: str | None, now: datetime | None = None
) -> StaffUser | None:
    if not secret or not secret.startswith(TOKEN_PREFIX):
        return None
    now = now or utcnow()
    token = session.execute(
        select(ApiToken).where(ApiToken.token_hash == _digest(secret))
    ).scalar_one_or_none()
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at is not None and now >= token.expires_at:
        return None
    if not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = now
    return token.user
