"""Staff accounts, their sessions and API tokens, and the audit trail."""

from __future__ import annotations

import enum

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy.orm import relationship

from bot.db import Base, utcnow


class Role(str, enum.Enum):
    """What a staff member may do: deny by default, so every role is listed here."""

    admin = "admin"  # everything, including accounts and the audit trail
    editor = "editor"  # edits the catalogue, possibly only one service area's part
    viewer = "viewer"  # reads the catalogue


ROLE_LABELS = {
    Role.admin: "Pääkäyttäjä",
    Role.editor: "Muokkaaja",
    Role.viewer: "Katselija",
}


class StaffUser(Base):
    __tablename__ = "staff_user"

    id = Column(Integer, primary_key=True)
    email = Column(String(254), nullable=False, unique=True)
    display_name = Column(String(200))
    role = Column(Enum(Role, native_enum=False, length=20), nullable=False, default=Role.viewer)
    # An editor or viewer limited to one service area sees only that area's contact requests
    # (an editor also edits only its channels and services); admins never have one.
    service_area_id = Column(ForeignKey("service_area.id"))
    password_hash = Column(String(255), nullable=False)
    is_active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    last_login_at = Column(DateTime)
    # The second factor (bot.staff.second_factor): the TOTP secret sealed with the TOTP key
    # (bot.staff.secret_box), never as it is; the one being set up until a code confirms it;
    # the time step of the last code accepted (a code is good once); when it was turned on.
    totp_secret = Column(String(255))
    totp_pending_secret = Column(String(255))
    totp_last_step = Column(Integer)
    totp_enabled_at = Column(DateTime)

    service_area = relationship("ServiceArea")
    sessions = relationship("StaffSession", cascade="all, delete-orphan", back_populates="user")
    api_tokens = relationship("ApiToken", cascade="all, delete-orphan", back_populates="user")

    def __str__(self) -> str:
        return self.email


class StaffSession(Base):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored."""

    __tablename__ = "staff_session"

    id = Column(String(64), primary_key=True)
    user_id = Column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), nullable=False, index=True
    )
    created_at = Column(DateTime, nullable=False, default=utcnow)
    last_seen_at = Column(DateTime, nullable=False, default=utcnow)
    expires_at = Column(DateTime, nullable=False)
    # The password was right and the second factor's code is still to come: this session
    # opens nothing but the code page (bot.staff.accounts.session_user ignores it).
    awaiting_code = Column(Boolean, nullable=False, default=False, server_default=false())

    user = relationship("StaffUser", back_populates="sessions")


class ApiToken(Base):
    """A bearer token for the REST API; acts with its owner's role. Only a hash is stored."""

    __tablename__ = "api_token"

    id = Column(Integer, primary_key=True)
    user_id = Column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name = Column(String(100), nullable=False)
    token_hash = Column(String(64), nullable=False, unique=True)
    prefix = Column(String(12), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    expires_at = Column(DateTime)
    last_used_at = Column(DateTime)
    revoked_at = Column(DateTime)

    user = relationship("StaffUser", back_populates="api_tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class AuditEvent(Base):
    """Who did what and when: catalogue and account changes with before/after values
    (JSON), and sign-ins. Kept when the account is removed, so no foreign key."""

    __tablename__ = "audit_event"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False, default=utcnow, index=True)
    actor_id = Column(Integer, index=True)
    actor_email = Column(String(254), index=True)
    source = Column(String(20), nullable=False)
    action = Column(String(30), nullable=False, index=True)
    entity_type = Column(String(60), index=True)
    entity_id = Column(String(100), index=True)
    summary = Column(String(300))
    before = Column(Text)
    after = Column(Text)
    ip_address = Column(String(45))

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.entity_type or ''}"
