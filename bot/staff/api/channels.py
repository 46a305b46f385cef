"""/channels: the ways to reach a service, each with its weekly hours and exceptions."""

from __future__ import annotations

from typing import Any, List

from fastapi import APIRouter, Query
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.catalogue.models import ServiceChannel
from bot.staff.api import deps, schemas

router = APIRouter(tags=["channels"], responses=deps.ERRORS)


def channel_out(channel: ServiceChannel) -> dict[str, Any]:
    values = deps.row_values(channel)
    values["weekly_hours"] = [deps.row_values(h) for h in channel.weekly_hours]
    values["exceptions"] = [deps.row_values(e) for e in channel.exceptions]
    return values


@router.get("/channels", response_model=List[schemas.ChannelOut])
def list_channels(
    user: deps.User,
    session: deps.DbSession,
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> list[dict[str, Any]]:
    deps.require_read(user, "service_channel")
    statement = select(ServiceChannel).options(
        selectinload(ServiceChannel.weekly_hours), selectinload(ServiceChannel.exceptions)
    ).order_by(ServiceChannel.id).limit(limit).offset(offset)
    return [channel_out(c) for c in session.execute(statement).scalars()]


@router.get("/channels/{channel_id}", response_model=schemas.ChannelOut)
def get_channel(channel_id: str, user: deps.User, session: deps.DbSession) -> dict[str, Any]:
    deps.require_read(user, "service_channel")
    return channel_out(deps.found(session.get(ServiceChannel, channel_id)))


@router.post("/channels", response_model=schemas.ChannelOut, status_code=201)
def create_channel(body: schemas.ChannelCreate, user: deps.User,
                   session: deps.DbSession) -> dict[str, Any]:
    deps.require_write(user, "service_channel")
    values = body.model_dump(exclude_unset=True)
    return channel_out(deps.save(session, user, "service_channel", values))


@router.patch("/channels/{channel_id}", response_model=schemas.ChannelOut)
def update_channel(channel_id: str, body: schemas.ChannelUpdate, user: deps.User,
                   session: deps.DbSession) -> dict[str, Any]:
    deps.require_write(user, "service_channel")
    values = deps.patch_values(body, "name_fi", keep=("status", "channel_type", "is_example"))
    return channel_out(deps.save(session, user, "service_channel", values, key=channel_id))
