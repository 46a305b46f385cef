"""The staff admin application: SQLAdmin with our sign-in, gate, templates and views.

``mount_staff_admin(app, engine)`` mounts it at /admin of the project's FastAPI app. Each call
makes its own view classes, so two apps over two databases (as in the tests) share nothing.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import anyio
from sqladmin import Admin, ModelView
from sqladmin.authentication import AuthenticationBackend, login_required
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.db import session_scope, utcnow
from bot.staff import attention
from bot.staff.accounts import close_session, code_session, sign_in
from bot.staff.admin.account_views import ACCOUNT_VIEWS, StaffUserAdmin
from bot.staff.admin.base import SaveRefused
from bot.staff.admin.catalogue_views import CATALOGUE_VIEWS
from bot.staff.admin.contact_request_views import CONTACT_REQUEST_VIEWS
from bot.staff.admin.display import local_time
from bot.staff.admin.exchange_view import ExchangeView
from bot.staff.admin.insights_view import InsightsView
from bot.staff.admin.own_account_view import OwnAccountView
from bot.staff.admin.translations_view import MissingTranslationsView
from bot.staff.audit import Actor, record
from bot.staff.models import ROLE_LABELS, Role
from bot.staff.second_factor import TEXTS as SECOND_FACTOR_TEXTS
from bot.staff.second_factor import complete_sign_in
from bot.staff.security_headers import ADMIN_POLICY, SecurityHeaders
from bot.staff.settings import SESSION_COOKIE, StaffSettings
from bot.staff.web_security import StaffSecurityMiddleware, csrf_token, request_user

log = logging.getLogger(__name__)

STAFF_DIR = Path(__file__).resolve().parent.parent
TITLE = "Ikäneuvo – palveluluettelon ylläpito"


class _GateBackend(AuthenticationBackend):
    """SQLAdmin's hook; the real work is done by ``StaffSecurityMiddleware`` before it."""

    def __init__(self, engine: Engine, settings: StaffSettings) -> None:
        # The headers outermost: the gate's own answers (sign-in redirects, 413) carry them too.
        self.middlewares = [Middleware(SecurityHeaders, policy=ADMIN_POLICY),
                            Middleware(StaffSecurityMiddleware, engine=engine, settings=settings)]

    async def login(self, request: Request) -> bool:  # pragma: no cover - replaced below
        return False

    async def logout(self, request: Request) -> bool:  # pragma: no cover - replaced below
        return True

    async def authenticate(self, request: Request) -> bool:
        return request_user(request) is not None


def staff_user_label(request: Request) -> str:
    user = request_user(request)
    if user is None:
        return ""
    role = ROLE_LABELS.get(Role(user.role), str(user.role))
    area = f", {user.service_area_id}" if user.service_area_id else ""
    return f"{user.display_name or user.email} ({role}{area})"


class StaffAdmin(Admin):
    def __init__(self, app: Starlette, engine: Engine, settings: StaffSettings) -> None:
        self.settings = settings
        super().__init__(
            app,
            session_maker=sessionmaker(bind=engine, expire_on_commit=False),
            base_url="/admin",
            title=TITLE,
            templates_dir=str(STAFF_DIR / "templates"),
            authentication_backend=_GateBackend(engine, settings),
        )
        self.engine = engine
        routes = [r for r in self.admin.router.routes if getattr(r, "name", "") != "logout"]
        routes.append(Route("/logout", endpoint=self.logout, name="logout", methods=["POST"]))
        routes.append(Route("/login/code", endpoint=self.login_code, name="login-code",
                            methods=["GET", "POST"]))
        routes.append(Mount("/staff-static", app=StaticFiles(directory=STAFF_DIR / "static"),
                            name="staff_static"))
        self.admin.router.routes = routes
        self.templates.env.globals["csrf_token"] = csrf_token
        self.templates.env.filters["local_time"] = local_time
        self.templates.env.globals["staff_user_label"] = staff_user_label
        self.templates.env.globals["staff_user"] = request_user

    async def login(self, request: Request) -> Response:
        if request.method == "GET":
            if request_user(request) is not None:
                return RedirectResponse(request.url_for("admin:index"), status_code=302)
            return await self.templates.TemplateResponse(request, "staff/login.html", {})
        form = await request.form()
        email = str(form.get("username") or "")
        password = str(form.get("password") or "")
        client = request.client.host if request.client else None
        old_token = request.cookies.get(SESSION_COOKIE)

        def attempt():
            with session_scope(self.engine) as session:
                close_session(session, old_token)
                return sign_in(session, email, password, self.settings, client, "admin")

        result = await anyio.to_thread.run_sync(attempt)
        if result.error:
            return await self.templates.TemplateResponse(
                request, "staff/login.html", {"error": result.error, "email": email},
                status_code=429 if result.throttled else 400,
            )
        request.scope["staff_cookies"][SESSION_COOKIE] = result.session_token
        if result.needs_code:
            return RedirectResponse(request.url_for("admin:login-code"), status_code=302)
        return RedirectResponse(request.url_for("admin:index"), status_code=302)

    async def login_code(self, request: Request) -> Response:
        """The second step of signing in, when the account has a second factor: the code from
        the authenticator app, for the session that the right password opened."""
        token = request.cookies.get(SESSION_COOKIE)
        client = request.client.host if request.client else None
        if request.method == "GET":
            def waiting() -> bool:
                with session_scope(self.engine) as session:
                    return code_session(session, token) is not None

            if not await anyio.to_thread.run_sync(waiting):
                return RedirectResponse(request.url_for("admin:login"), status_code=302)
            return await self.templates.TemplateResponse(request, "staff/login_code.html", {})
        form = await request.form()
        code = str(form.get("code") or "")[:20]

        def attempt():
            with session_scope(self.engine) as session:
                return complete_sign_in(session, token, code, self.settings, client, "admin")

        result = await anyio.to_thread.run_sync(attempt)
        if result.error == SECOND_FACTOR_TEXTS["code_expired"]:
            request.scope["staff_cookies"][SESSION_COOKIE] = None
            return await self.templates.TemplateResponse(
                request, "staff/login.html", {"error": result.error}, status_code=400)
        if result.error:
            return await self.templates.TemplateResponse(
                request, "staff/login_code.html", {"error": result.error},
                status_code=429 if result.throttled else 400)
        request.scope["staff_cookies"][SESSION_COOKIE] = result.session_token
        return RedirectResponse(request.url_for("admin:index"), status_code=302)

    @login_required
    async def index(self, request: Request) -> Response:
        """The front page: what waits for the signed-in user, each item a link to its list."""
        user = request_user(request)
        now = utcnow()

        def read() -> attention.Attention:
            with session_scope(self.engine) as session:
                found = attention.needs_attention(session, user, now)
                if found.requests:
                    # As the list does: who saw which requests (references, nothing else).
                    references = [r.reference for r in found.requests]
                    record(session, "read", entity_type="contact_request",
                           summary=f"index: {', '.join(references)}",
                           after={"view": "index", "references": references})
                return found

        found = await anyio.to_thread.run_sync(read)
        return await self.templates.TemplateResponse(request, "sqladmin/index.html", {
            "attention": found,
            "items": [(item, self._attention_link(request, item)) for item in found.items],
            "requests": [(r, str(request.url_for("admin:details", identity="contact-request",
                                                 pk=r.id))) for r in found.requests],
            "requests_list": self._attention_link(request, attention.Item(
                attention.Concern.new_requests, "", 0, "contact_request")),
        })

    @staticmethod
    def _attention_link(request: Request, item: attention.Item) -> str:
        if item.page:
            return str(request.url_for(f"admin:view-{item.page}"))
        # SQLAdmin's identity of a table's view: its name with dashes.
        url = request.url_for("admin:list", identity=item.table.replace("_", "-"))
        params = {"huomio": item.concern.value}
        if item.table == "contact_request":
            params |= {"sortBy": "created_at", "sort": "asc"}
        return str(url.include_query_params(**params))

    # --- saving a form ----------------------------------------------------------------------
    # SQLAdmin's create and edit pages, except when the save is refused: SQLAdmin shows the
    # stored values again with one message above them; here the form comes back as it was sent,
    # with each refused field's message (``SaveRefused.errors``) next to the field.

    @login_required
    async def create(self, request: Request) -> Response:
        if request.method != "POST":
            return await super().create(request)
        await self._create(request)
        model_view = self._find_model_view(request.path_params["identity"])
        return await self._submit(request, model_view, None)

    @login_required
    async def edit(self, request: Request) -> Response:
        if request.method != "POST":
            return await super().edit(request)
        await self._edit(request)
        model_view = self._find_model_view(request.path_params["identity"])
        obj = await model_view.get_object_for_edit(request)
        if not obj:
            raise HTTPException(status_code=404)
        return await self._submit(request, model_view, obj)

    async def _submit(self, request: Request, model_view: ModelView, obj: Any) -> Response:
        creating = obj is None
        form_class = await model_view.scaffold_form(
            model_view._form_create_rules if creating else model_view._form_edit_rules)
        form_data = await self._handle_form_data(request, obj)
        form = form_class(form_data)
        template = model_view.create_template if creating else model_view.edit_template
        context: dict[str, Any] = {"model_view": model_view, "form": form}
        if not creating:
            context["obj"] = obj
        if not form.validate():
            return await self.templates.TemplateResponse(request, template, context,
                                                         status_code=400)
        data = self._denormalize_wtform_data(form.data, model_view.model if creating else obj)
        try:
            if creating or (model_view.save_as and form_data.get("save") == "Save as new"):
                saved = await model_view.insert_model(request, data)
            else:
                saved = await model_view.update_model(request, pk=request.path_params["pk"],
                                                      data=data)
        except HTTPException:
            raise
        except SaveRefused as refusal:
            for name, message in refusal.errors.items():
                field = form._fields.get(name)
                if field is not None and message not in field.errors:
                    field.errors = [*field.errors, message]
            context["error"] = str(refusal)
            return await self.templates.TemplateResponse(request, template, context,
                                                         status_code=400)
        except Exception as error:  # as SQLAdmin: the message above the form
            log.exception(error)
            context["error"] = str(error)
            return await self.templates.TemplateResponse(request, template, context,
                                                         status_code=400)
        url = self.get_save_redirect_url(request=request, form=form_data, obj=saved,
                                         model_view=model_view)
        return RedirectResponse(url=url, status_code=302)

    async def logout(self, request: Request) -> Response:
        token = request.cookies.get(SESSION_COOKIE)
        user = request_user(request)
        client = request.client.host if request.client else None

        def end() -> None:
            with session_scope(self.engine) as session:
                close_session(session, token)
                if user is not None:
                    record(session, "logout", Actor(user.id, user.email, "admin", client),
                           entity_type="staff_user", entity_id=str(user.id))

        await anyio.to_thread.run_sync(end)
        request.scope["staff_cookies"][SESSION_COOKIE] = None
        return RedirectResponse(request.url_for("admin:login"), status_code=302)


def mount_staff_admin(app: Starlette, engine: Engine,
                      settings: StaffSettings | None = None) -> StaffAdmin:
    """Mount the staff admin at /admin; returns it (tests use its engine and settings)."""
    settings = settings or StaffSettings.from_environment()
    admin = StaffAdmin(app, engine, settings)
    views = [InsightsView, *CONTACT_REQUEST_VIEWS, *CATALOGUE_VIEWS, MissingTranslationsView,
             *ACCOUNT_VIEWS, ExchangeView, OwnAccountView]
    for view in views:
        attributes = {"settings": settings} if view is StaffUserAdmin else {}
        admin.add_view(type(view.__name__, (view,), attributes))
    return admin
