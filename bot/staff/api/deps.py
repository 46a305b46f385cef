"""What every router of the staff API shares: a session per request, the token's user, the
role checks, the problem responses, and the write through ``bot.catalogue.editing``."""

# pydantic and FastAPI read these annotations at run time: keep Optional[...].
# ruff: noqa: UP045
from __future__ import annotations

from typing import Annotated, Any, Iterator, Optional

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.catalogue.editing import EditRefused, KeyTaken, RowMissing, save_row
from bot.db import session_scope
from bot.staff import permissions
from bot.staff.accounts import token_user
from bot.staff.api import schemas
from bot.staff.audit import Actor
from bot.staff.models import StaffUser

TEXTS = {
    "token": "Anna voimassa oleva API-avain otsakkeessa Authorization: Bearer <avain>.",
    "forbidden": permissions.TEXTS["forbidden"],
    "not_found": "Tietoa ei löytynyt.",
    "invalid": "Tarkista tiedot.",
    "conflict": "Tieto on jo olemassa tai sitä käytetään muualla.",
    "import_failed": "Tuonti epäonnistui, mitään ei muutettu.",
}
PROBLEM = {"model": schemas.Problem}
ERRORS = {401: PROBLEM, 403: PROBLEM, 404: PROBLEM, 409: PROBLEM, 422: PROBLEM}

bearer = HTTPBearer(auto_error=False)


class ApiProblem(Exception):
    def __init__(self, status: int, detail: str, errors: dict[str, str] | None = None) -> None:
        self.status, self.detail, self.errors = status, detail, errors or {}


def add_problem_responses(api: FastAPI) -> None:
    @api.exception_handler(ApiProblem)
    async def problem(_request: Request, error: ApiProblem) -> JSONResponse:
        return JSONResponse({"detail": error.detail, "errors": error.errors},
                            status_code=error.status)


def get_session(request: Request) -> Iterator[Session]:
    with session_scope(request.app.state.engine) as session:
        # Writes are checked before anything is set; the commit flushes them.
        session.autoflush = False
        yield session


def api_user(
    request: Request,
    credentials: Optional[HTTPAuthorizationCredentials] = Depends(bearer),
    session: Session = Depends(get_session),
) -> StaffUser:
    user = token_user(session, credentials.credentials if credentials else None)
    if user is None:
        raise HTTPException(401, TEXTS["token"], headers={"WWW-Authenticate": "Bearer"})
    client = request.client.host if request.client else None
    session.info["actor"] = Actor(user.id, user.email, "api", client)
    return user


# The typed dependencies of every route: the request's session, and its token's user.
DbSession = Annotated[Session, Depends(get_session)]
User = Annotated[StaffUser, Depends(api_user)]


def require_read(user: StaffUser, table: str) -> None:
    if not permissions.can_read(user, table):
        raise ApiProblem(403, TEXTS["forbidden"])


def require_write(user: StaffUser, table: str) -> None:
    if not permissions.can_write(user, table):
        raise ApiProblem(403, TEXTS["forbidden"])


def found(obj: Any) -> Any:
    if obj is None:
        raise ApiProblem(404, TEXTS["not_found"])
    return obj


def row_values(obj: Any) -> dict[str, Any]:
    return {c.key: getattr(obj, c.key) for c in inspect(type(obj)).column_attrs}


def readable_rows(user: StaffUser, session: Session, model: type, order: Any) -> list[Any]:
    """Every row of ``model`` in ``order``, for a user who may read its table."""
    require_read(user, model.__tablename__)
    return list(session.execute(select(model).order_by(order)).scalars())


def patch_values(body: BaseModel, text: str, keep: tuple[str, ...] = ()) -> dict[str, Any]:
    """The fields a PATCH sets. A null ``text`` (the required Finnish text) is an empty one,
    which the checks refuse; a null field of ``keep`` (required too) leaves it as it is."""
    values = body.model_dump(exclude_unset=True)
    if text in values and values[text] is None:
        values[text] = ""
    for name in keep:
        if name in values and values[name] is None:
            values.pop(name)
    return values


def save(session: Session, user: StaffUser, table: str, values: dict[str, Any],
         key: Any = None) -> Any:
    """Create (``key`` None) or update a row as ``user``, commit, and return it; a refusal is
    the problem response: 404, 409 (the key is taken), 422 (per field) or 403."""
    try:
        row = save_row(session, table, values, key=key,
                       guard=permissions.row_guard(user)).row
    except RowMissing as missing:
        raise ApiProblem(404, TEXTS["not_found"]) from missing
    except KeyTaken as taken:
        raise ApiProblem(409, TEXTS["conflict"]) from taken
    except EditRefused as refusal:
        raise ApiProblem(422, TEXTS["invalid"], refusal.errors) from refusal
    except permissions.Forbidden as refusal:
        raise ApiProblem(403, str(refusal)) from refusal
    commit(session)
    return row


def commit(session: Session) -> None:
    try:
        session.commit()
    except IntegrityError as error:
        session.rollback()
        raise ApiProblem(409, TEXTS["conflict"]) from error
