"""Oma tili: the signed-in staff member's own account, where they turn the second factor of
their sign-in on and off (``bot.staff.second_factor``). One page, one form action at a time:
``start`` (a new secret to add to the app), ``confirm`` (a current code turns it on),
``cancel`` (forget the secret being set up) and ``off`` (a current code turns it off)."""

from __future__ import annotations

from typing import Any

import anyio
from sqladmin import BaseView, expose
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.db import session_scope
from bot.staff import second_factor
from bot.staff.admin.display import enum_label, local_time
from bot.staff.models import Role, StaffUser
from bot.staff.settings import StaffSettings
from bot.staff.web_security import request_user

PATH = "/account"
NOTICES = {
    "on": "Kaksivaiheinen tunnistautuminen on nyt käytössä. Seuraavalla kirjautumisella "
          "sinulta kysytään salasanan jälkeen sovelluksen koodi.",
    "off": "Kaksivaiheinen tunnistautuminen on poistettu käytöstä.",
}


def account_url(request: Request) -> str:
    """The page's address. Built from the admin's root, not by route name: SQLAdmin 0.22 names
    a page's route by its identity ("account"), later versions "view-account"."""
    return str(request.url_for("admin:index")).rstrip("/") + PATH


def grouped(secret: str) -> str:
    """The secret in groups of four letters, easier to type into an app."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


class OwnAccountView(BaseView):
    name = "Oma tili"
    icon = "fa-solid fa-user-shield"

    def is_accessible(self, request: Request) -> bool:
        return request_user(request) is not None

    def is_visible(self, request: Request) -> bool:
        return self.is_accessible(request)

    def _settings(self) -> StaffSettings:
        return self._admin_ref.settings

    @expose(PATH, methods=["GET", "POST"], identity="account")
    async def account(self, request: Request) -> Response:
        user = request_user(request)
        if user is None:
            raise HTTPException(status_code=403)
        error, notice = None, NOTICES.get(request.query_params.get("tehty", ""))
        if request.method == "POST":
            form = await request.form()
            action = str(form.get("action") or "")
            code = str(form.get("code") or "")[:20]
            error = await anyio.to_thread.run_sync(self._change, user.id, action, code)
            if error is None:
                done = {"confirm": "on", "off": "off"}.get(action)
                url = account_url(request) + (f"?tehty={done}" if done else "")
                return RedirectResponse(url, status_code=302)
        context = await anyio.to_thread.run_sync(self._context, user.id)
        context["notice"], context["account_url"] = notice, account_url(request)
        context["error"] = error or context.get("error")
        return await self.templates.TemplateResponse(
            request, "staff/own_account.html", context, status_code=400 if error else 200)

    def _change(self, user_id: int, action: str, code: str) -> str | None:
        """Do ``action`` on the user's second factor; the refusal (in Finnish) or None."""
        settings = self._settings()
        with session_scope(self._admin_ref.engine) as session:
            user = session.get(StaffUser, user_id)
            try:
                if action == "start":
                    second_factor.start(user, settings)
                elif action == "confirm":
                    second_factor.confirm(session, user, code, settings)
                elif action == "cancel":
                    user.totp_pending_secret = None
                elif action == "off":
                    second_factor.turn_off(session, user, code, settings)
                else:
                    raise HTTPException(status_code=400)
            except second_factor.SecondFactorError as refusal:
                session.rollback()
                return str(refusal)
        return None

    def _context(self, user_id: int) -> dict[str, Any]:
        settings = self._settings()
        with session_scope(self._admin_ref.engine) as session:
            user = session.get(StaffUser, user_id)
            context: dict[str, Any] = {
                "account": user, "role": enum_label(user.role, Role),
                "is_on": second_factor.is_on(user),
                "enabled_at": local_time(user.totp_enabled_at),
                "required": second_factor.needs_setting_up(user, settings),
                "pending": None,
            }
            try:
                secret = second_factor.pending_secret(user, settings)
            except second_factor.SecondFactorError as unreadable:
                context["error"] = str(unreadable)
                secret = None
            if secret:
                context["pending"] = {"secret": grouped(secret),
                                      "uri": second_factor.provisioning_uri(user, secret)}
            return context
