"""Request and response bodies of the staff API (pydantic, as FastAPI documents them)."""
# pydantic and FastAPI read these annotations at run time: keep Optional[...].
# ruff: noqa: UP045

from __future__ import annotations

import enum
from datetime import date, datetime, time
from typing import Annotated, Any, Dict, List, Literal, Optional

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

from bot.answers.kinds import ABOUT_ONE_SERVICE
from bot.catalogue.models import AreaType, ChannelType, ChargeType, PublishingStatus


def _storable(value: str) -> str:
    """Text that any database can store: valid Unicode, no NUL characters."""
    if "\x00" in value:
        raise ValueError("teksti ei saa sisältää NUL-merkkiä")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError("teksti ei ole kelvollista Unicodea") from error
    return value


def _time_written(value: Any) -> Any:
    """A time is written as text ("09:00"); pydantic would take a number as seconds."""
    if isinstance(value, (int, float)):
        raise ValueError("kirjoita kellonaika muodossa 09:00")
    return value


def _local_time(value: time | None) -> time | None:
    """Opening hours are local wall-clock times: a time zone makes no sense there."""
    if value is not None and value.tzinfo is not None:
        raise ValueError("kirjoita kellonaika ilman aikavyöhykettä, esimerkiksi 09:00")
    return value


def text(max_length: int | None = None) -> Any:
    return Annotated[str, StringConstraints(max_length=max_length), AfterValidator(_storable)]


LocalTime = Annotated[time, BeforeValidator(_time_written), AfterValidator(_local_time)]
_FORBID = ConfigDict(extra="forbid")
_IGNORE = ConfigDict(extra="ignore")

Id = text(64)
Name = text(300)
LongText = text(20000)


class ServiceBase(BaseModel):
    status: Optional[PublishingStatus] = None
    organization_id: Optional[Id] = None
    service_class: Optional[text(20)] = None
    charge_type: Optional[ChargeType] = None
    area_type: Optional[AreaType] = None
    legal_basis: Optional[LongText] = None
    name_sv: Optional[Name] = None
    name_en: Optional[Name] = None
    keywords_fi: Optional[LongText] = None
    keywords_sv: Optional[LongText] = None
    keywords_en: Optional[LongText] = None
    keywords_se: Optional[LongText] = Field(None, description="Northern Sámi search words.")
    summary_fi: Optional[LongText] = None
    summary_sv: Optional[LongText] = None
    summary_en: Optional[LongText] = None
    description_fi: Optional[LongText] = None
    description_sv: Optional[LongText] = None
    description_en: Optional[LongText] = None
    target_group_fi: Optional[LongText] = None
    target_group_sv: Optional[LongText] = None
    target_group_en: Optional[LongText] = None
    how_to_apply_fi: Optional[LongText] = None
    how_to_apply_sv: Optional[LongText] = None
    how_to_apply_en: Optional[LongText] = None
    fee_fi: Optional[LongText] = None
    fee_sv: Optional[LongText] = None
    fee_en: Optional[LongText] = None
    fee_valid_from: Optional[date] = None
    fee_valid_to: Optional[date] = None
    is_example: Optional[bool] = None
    municipalities: Optional[List[text(3)]] = Field(None, max_length=400)
    channels: Optional[List[Id]] = Field(None, max_length=400)

    model_config = _FORBID


class ServiceCreate(ServiceBase):
    id: Optional[Id] = Field(None, description="Empty: made from the Finnish name.")
    name_fi: Name


class ServiceUpdate(ServiceBase):
    name_fi: Optional[Name] = None


class ServiceOut(ServiceBase):
    id: str
    ptv_id: Optional[str] = None
    name_fi: str
    status: PublishingStatus
    area_type: AreaType
    is_example: bool
    municipalities: List[str]
    channels: List[str]
    created_at: datetime
    updated_at: datetime

    model_config = _IGNORE


class WeeklyHours(BaseModel):
    weekday_from: int = Field(..., ge=0, le=6)
    weekday_to: Optional[int] = Field(None, ge=0, le=6)
    opens: LocalTime
    closes: LocalTime
    valid_from: Optional[date] = None
    valid_to: Optional[date] = None

    model_config = _FORBID


class OpeningExceptionIn(BaseModel):
    date_from: date
    date_to: Optional[date] = None
    is_closed: bool = True
    opens: Optional[LocalTime] = None
    closes: Optional[LocalTime] = None
    reason_fi: Optional[text(300)] = None

    model_config = _FORBID


class ChannelBase(BaseModel):
    channel_type: Optional[ChannelType] = None
    status: Optional[PublishingStatus] = None
    organization_id: Optional[Id] = None
    service_area_id: Optional[text(40)] = None
    name_sv: Optional[Name] = None
    name_en: Optional[Name] = None
    description_fi: Optional[LongText] = None
    description_sv: Optional[LongText] = None
    description_en: Optional[LongText] = None
    phone_number: Optional[text(40)] = None
    phone_charge_fi: Optional[LongText] = None
    phone_charge_sv: Optional[LongText] = None
    phone_charge_en: Optional[LongText] = None
    languages: Optional[text(60)] = Field(
        None, description='The languages served in, ISO codes separated by commas: "fi,sv,se".')
    email: Optional[text(200)] = None
    url: Optional[text(500)] = None
    street_address: Optional[text(200)] = None
    postal_code: Optional[text(5)] = None
    post_office: Optional[text(100)] = None
    municipality_code: Optional[text(3)] = None
    hours_info_fi: Optional[LongText] = None
    hours_info_sv: Optional[LongText] = None
    hours_info_en: Optional[LongText] = None
    is_example: Optional[bool] = None
    weekly_hours: Optional[List[WeeklyHours]] = Field(None, max_length=50)
    exceptions: Optional[List[OpeningExceptionIn]] = Field(None, max_length=200)

    model_config = _FORBID


class ChannelCreate(ChannelBase):
    id: Optional[Id] = None
    channel_type: ChannelType
    name_fi: Name


class ChannelUpdate(ChannelBase):
    name_fi: Optional[Name] = None


class WeeklyHoursOut(WeeklyHours):
    model_config = _IGNORE


class OpeningExceptionOut(OpeningExceptionIn):
    model_config = _IGNORE


class ChannelOut(ChannelBase):
    id: str
    ptv_id: Optional[str] = None
    name_fi: str
    channel_type: ChannelType
    status: PublishingStatus
    is_example: bool
    weekly_hours: List[WeeklyHoursOut]
    exceptions: List[OpeningExceptionOut]
    updated_at: datetime

    model_config = _IGNORE


class Municipality(BaseModel):
    code: str
    name_fi: str
    name_sv: Optional[str] = None
    name_se: Optional[str] = None
    service_area_id: str
    in_sami_homeland: bool


class ServiceArea(BaseModel):
    id: str
    name_fi: str
    name_sv: Optional[str] = None
    name_en: Optional[str] = None
    municipalities: List[str]


class ServiceAreaUpdate(BaseModel):
    name_fi: Optional[text(200)] = None
    name_sv: Optional[text(200)] = None
    name_en: Optional[text(200)] = None

    model_config = _FORBID


class Organization(BaseModel):
    id: str
    ptv_id: Optional[str] = None
    org_type: str
    name_fi: str
    name_sv: Optional[str] = None
    name_en: Optional[str] = None
    web_page: Optional[str] = None


class OrganizationUpdate(BaseModel):
    name_fi: Optional[Name] = None
    name_sv: Optional[Name] = None
    name_en: Optional[Name] = None
    web_page: Optional[text(500)] = None

    model_config = _FORBID


class Phrase(BaseModel):
    key: str
    text_fi: str
    text_sv: Optional[str] = None
    text_en: Optional[str] = None
    text_se: Optional[str] = None
    usage: Optional[str] = None
    sami_review_pending: bool = Field(
        False, description="text_se is still the seed's, awaiting a native speaker's review.")


class PhraseUpdate(BaseModel):
    text_fi: Optional[LongText] = None
    text_sv: Optional[LongText] = None
    text_en: Optional[LongText] = None
    text_se: Optional[LongText] = None

    model_config = _FORBID


Language = Literal["fi", "sv", "en", "se"]
# The questions about one service that the preview answers.
PreviewKind = enum.Enum(  # type: ignore[misc]
    "PreviewKind", {kind.name: kind.value for kind in ABOUT_ONE_SERVICE}, type=str)


class PreviewAnswer(BaseModel):
    kind: str
    label: str
    text: str


class Preview(BaseModel):
    service_id: str
    language: Language
    municipality_code: Optional[str] = None
    answers: List[PreviewAnswer]


class MissingTranslation(BaseModel):
    """A text that a record has in Finnish but not in ``language``."""

    table: Literal["service", "service_channel"]
    id: str
    name_fi: str
    status: PublishingStatus
    field: str = Field(..., description="The empty column, e.g. summary_en.")
    language: Literal["sv", "en"]
    label: str = Field(..., description="The field's label in the admin, in Finnish.")
    path: str = Field(..., description="The record in this API, e.g. /services/kotihoito.")
    editable: bool = Field(..., description="The token's owner may edit the record.")


class Me(BaseModel):
    id: int
    email: str
    role: str
    service_area_id: Optional[str] = None


class Problem(BaseModel):
    """An error: ``detail`` in Finnish, ``errors`` per field or record when there are several."""

    detail: str
    errors: Dict[str, str] = {}


class ImportReport(BaseModel):
    created: Dict[str, int]
    updated: Dict[str, int]
    warnings: List[str]
