"""Admin views for administrators only: staff accounts, API tokens and the audit trail."""

from __future__ import annotations

import json
from typing import Any

import anyio
from markupsafe import Markup, escape
from sqladmin import expose
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from wtforms import validators
from wtforms.fields import PasswordField

from bot.catalogue import validation
from bot.db import utcnow
from bot.staff import permissions, second_factor
from bot.staff.accounts import TEXTS as ACCOUNT_TEXTS
from bot.staff.accounts import (
    AccountError,
    area_error,
    check_password_policy,
    normalize_email,
)
from bot.staff.admin.base import (
    FinnishStaticFilter,
    FinnishValuesFilter,
    SaveRefused,
    StaffModelView,
)
from bot.staff.admin.display import enum_label, local_time
from bot.staff.admin.forms import checked
from bot.staff.models import ApiToken, AuditEvent, Role, StaffUser
from bot.staff.passwords import hash_password
from bot.staff.settings import StaffSettings
from bot.staff.web_security import current_user

PASSWORD_FIELD = "new_password"
RESET_LABEL = "Poista kaksivaiheinen tunnistautuminen (kirjaa henkilön ulos)"
AREA_HELP = ("Muokkaaja tai katselija, jolla on palvelualue, näkee vain oman alueensa "
             "yhteydenottopyynnöt. Muokkaaja muokkaa silloin vain oman alueensa tietoja. "
             "Jätä tyhjäksi, jos henkilö työskentelee koko hyvinvointialueella. "
             "Pääkäyttäjälle ei valita aluetta: hän näkee aina kaikki alueet.")


class StaffUserAdmin(StaffModelView, model=StaffUser):
    name = "Käyttäjä"
    name_plural = "Käyttäjät"
    icon = "fa-solid fa-user-gear"
    category = "Ylläpito"
    can_export = False
    column_list = [StaffUser.email, StaffUser.display_name, StaffUser.role,
                   StaffUser.service_area, StaffUser.is_active, StaffUser.totp_enabled_at,
                   StaffUser.last_login_at]
    column_searchable_list = [StaffUser.email, StaffUser.display_name]
    column_sortable_list = [StaffUser.email, StaffUser.role, StaffUser.last_login_at]
    # Secrets, even sealed ones, are never shown.
    column_details_exclude_list = [StaffUser.password_hash, StaffUser.sessions,
                                   StaffUser.api_tokens, StaffUser.totp_secret,
                                   StaffUser.totp_pending_secret, StaffUser.totp_last_step]
    form_columns = ["email", "display_name", "role", "service_area", "is_active"]
    column_labels = {
        "email": "Sähköposti", "display_name": "Nimi", "role": "Rooli",
        "service_area": "Palvelualue", "is_active": "Käytössä",
        "last_login_at": "Kirjautui viimeksi", "created_at": "Luotu", "updated_at": "Muutettu",
        "totp_enabled_at": "Kaksivaiheinen tunnistautuminen", PASSWORD_FIELD: "Uusi salasana",
    }
    column_formatters = {
        StaffUser.role: lambda m, a: enum_label(m.role, Role),
        StaffUser.totp_enabled_at: lambda m, a: (
            f"käytössä {local_time(m.totp_enabled_at)} alkaen" if m.totp_secret else "ei"),
    }
    column_formatters_detail = column_formatters
    settings: StaffSettings | None = None

    @property
    def form_args(self) -> dict[str, dict[str, Any]]:  # type: ignore[override]
        return {"email": {"validators": [validators.InputRequired(),
                                         checked(validation.email_error)]},
                "service_area": {"description": AREA_HELP}}

    async def scaffold_form(self, rules: list[str] | None = None):  # noqa: D102
        form = await super().scaffold_form(rules)
        form.new_password = PasswordField(
            self._column_labels[PASSWORD_FIELD],
            validators=[validators.Optional()],
            description="Vähintään 12 merkkiä. Jätä tyhjäksi, jos et vaihda salasanaa.",
            render_kw={"class": "form-control", "autocomplete": "new-password"},
        )
        return form

    def prepare(self, session: Session, obj: Any, data: dict, created: bool) -> dict:
        password = data.pop(PASSWORD_FIELD, None)
        settings = self.settings or StaffSettings(secret_key="")
        if created and not password:
            raise SaveRefused("Anna uudelle käyttäjälle salasana.")
        if password:
            try:
                check_password_policy(password, settings)
            except AccountError as error:
                raise SaveRefused(str(error), {PASSWORD_FIELD: str(error)}) from error
            data["password_hash"] = hash_password(password)
            if not created:
                obj.sessions = []
        if "email" in data:
            data["email"] = normalize_email(data["email"])
            taken = session.execute(
                select(StaffUser.id).where(StaffUser.email == data["email"])
            ).scalar_one_or_none()
            if taken is not None and taken != obj.id:
                raise SaveRefused(ACCOUNT_TEXTS["email_taken"], {"email": ACCOUNT_TEXTS[
                    "email_taken"]})
        area = data.get("service_area")
        refusal = area_error(session, data.get("role", obj.role), str(area) if area else None)
        if refusal:
            raise SaveRefused(refusal, {"service_area": refusal})
        return data

    # --- resetting someone's second factor (a lost phone) ----------------------------------

    def detail_posts(self, request: Request, obj: Any) -> list[tuple[str, str]]:
        if not (obj.totp_secret or obj.totp_pending_secret):
            return []
        return [(RESET_LABEL, str(request.url_for(
            "admin:view-staff-user-reset_second_factor", pk=obj.id)))]

    @expose("/second-factor-reset/{pk}", methods=["POST"])
    async def reset_second_factor(self, request: Request) -> Response:
        """Poista kaksivaiheinen tunnistautuminen: a form on the account's details page."""
        pk = request.path_params["pk"]
        await anyio.to_thread.run_sync(self._reset_second_factor, pk)
        return RedirectResponse(
            request.url_for("admin:details", identity=self.identity, pk=pk), status_code=302)

    def _reset_second_factor(self, pk: Any) -> None:
        if not permissions.can_write(current_user.get(), self.table):
            raise HTTPException(status_code=403)
        with self.session_maker(expire_on_commit=False) as session:
            try:
                user = session.get(StaffUser, int(pk))
            except (TypeError, ValueError):
                user = None
            if user is None:
                raise HTTPException(status_code=404)
            second_factor.reset(session, user)
            session.commit()


class ApiTokenAdmin(StaffModelView, model=ApiToken):
    """Tokens are made with ``python -m bot.cli user token``; here they are listed and revoked."""

    name = "API-avain"
    name_plural = "API-avaimet"
    icon = "fa-solid fa-key"
    category = "Ylläpito"
    can_export = False
    column_list = [ApiToken.name, ApiToken.user, ApiToken.prefix, ApiToken.created_at,
                   ApiToken.expires_at, ApiToken.last_used_at, ApiToken.revoked_at]
    column_details_exclude_list = [ApiToken.token_hash]
    form_columns = ["name", "expires_at", "revoked_at"]
    column_labels = {
        "name": "Nimi", "user": "Käyttäjä", "prefix": "Alkuosa", "created_at": "Luotu",
        "expires_at": "Vanhenee", "last_used_at": "Käytetty viimeksi",
        "revoked_at": "Peruttu (aseta aika, niin avain lakkaa toimimasta)",
    }

    @property
    def can_create(self) -> bool:  # type: ignore[override]
        return False

    @property
    def form_args(self) -> dict[str, dict[str, Any]]:  # type: ignore[override]
        return {"revoked_at": {"default": utcnow}}


def _json_block(value: str | None) -> Markup:
    if not value:
        return Markup("")
    try:
        pretty = json.dumps(json.loads(value), ensure_ascii=False, indent=2, sort_keys=True)
    except ValueError:
        pretty = value
    return Markup("<pre class='mb-0'>") + escape(pretty) + Markup("</pre>")


ACTION_LABELS = [
    ("create", "Lisäys"), ("update", "Muutos"), ("delete", "Poisto"),
    ("login_success", "Kirjautuminen"), ("login_failed", "Epäonnistunut kirjautuminen"),
    ("logout", "Uloskirjautuminen"), ("import", "Tuonti"),
    ("handled", "Merkitty hoidetuksi"), ("purge", "Vanhentuneiden poisto"),
    ("read", "Yhteydenottopyyntöjen luku"),
    ("read_refused", "Toisen alueen pyyntö estetty"),
    ("login_password_ok", "Salasana oikein, koodi kysytty"),
    ("second_factor_on", "Kaksivaiheinen tunnistautuminen käyttöön"),
    ("second_factor_off", "Kaksivaiheinen tunnistautuminen pois"),
    ("second_factor_reset", "Kaksivaiheinen tunnistautuminen nollattu"),
]


class AuditEventAdmin(StaffModelView, model=AuditEvent):
    name = "Muutoshistoria"
    name_plural = "Muutoshistoria"
    icon = "fa-solid fa-clock-rotate-left"
    category = "Ylläpito"
    column_list = [AuditEvent.at, AuditEvent.actor_email, AuditEvent.action,
                   AuditEvent.entity_type, AuditEvent.entity_id, AuditEvent.summary]
    column_searchable_list = [AuditEvent.entity_id, AuditEvent.summary, AuditEvent.actor_email]
    column_sortable_list = [AuditEvent.at, AuditEvent.actor_email, AuditEvent.action]
    column_default_sort = [(AuditEvent.at, True)]
    column_filters = [
        FinnishStaticFilter(AuditEvent.action, ACTION_LABELS, title="Tapahtuma"),
        FinnishValuesFilter(AuditEvent.entity_type, title="Tietolaji"),
        FinnishValuesFilter(AuditEvent.actor_email, title="Kuka"),
        FinnishValuesFilter(AuditEvent.source, title="Mistä"),
    ]
    column_formatters_detail = {
        AuditEvent.before: lambda m, a: _json_block(m.before),
        AuditEvent.after: lambda m, a: _json_block(m.after),
    }
    column_labels = {
        "at": "Aika", "actor_email": "Kuka", "actor_id": "Käyttäjän numero",
        "source": "Mistä", "action": "Tapahtuma", "entity_type": "Tietolaji",
        "entity_id": "Tunniste", "summary": "Kohde", "before": "Ennen", "after": "Jälkeen",
        "ip_address": "IP-osoite",
    }

    # Nobody writes or deletes the trail by hand: bot.staff.permissions says so for every role.

    def detail_links(self, request: Request, obj: Any) -> list[tuple[str, str]]:
        return []


ACCOUNT_VIEWS = [StaffUserAdmin, ApiTokenAdmin, AuditEventAdmin]
