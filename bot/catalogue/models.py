"""The service catalogue schema, modelled on PTV (Palvelutietovaranto).

Texts are stored per language in columns (``name_fi``, ``name_sv``, ``name_en``): staff edit
them side by side, Finnish is required and the others are optional. Adding a language is a
migration that adds columns. The ``*_is_example`` flags mark values whose real content is not
known yet (see ``../shared/domain.md``): answers say so wherever such a value appears.
"""

from __future__ import annotations

import enum

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship

from bot.db import Base, utcnow

LANGUAGES = ("fi", "sv", "en")
# The languages the search has words in: Northern Sámi has keywords only.
SEARCH_LANGUAGES = LANGUAGES + ("se",)


class PublishingStatus(str, enum.Enum):
    draft = "draft"
    published = "published"
    retired = "retired"


class OrganizationType(str, enum.Enum):
    """PTV organisation types, plus the kinds of NGO actors the county works with."""

    Municipality = "Municipality"
    RegionalOrganization = "RegionalOrganization"
    SotePublic = "SotePublic"
    SotePrivate = "SotePrivate"
    State = "State"
    Organization = "Organization"
    Company = "Company"
    Parish = "Parish"


class ChannelType(str, enum.Enum):
    """PTV's five kinds of service channel."""

    Phone = "Phone"
    ServiceLocation = "ServiceLocation"
    WebPage = "WebPage"
    EChannel = "EChannel"
    PrintableForm = "PrintableForm"


class ChargeType(str, enum.Enum):
    Chargeable = "Chargeable"
    FreeOfCharge = "FreeOfCharge"


class AreaType(str, enum.Enum):
    """Where a service is offered: the whole county, or the listed municipalities."""

    WholeCounty = "WholeCounty"
    Municipalities = "Municipalities"
    Nationwide = "Nationwide"


service_municipality = Table(
    "service_municipality",
    Base.metadata,
    Column("service_id", ForeignKey("service.id", ondelete="CASCADE"), primary_key=True),
    Column("municipality_code", ForeignKey("municipality.code"), primary_key=True),
)

service_channel_link = Table(
    "service_channel_link",
    Base.metadata,
    Column("service_id", ForeignKey("service.id", ondelete="CASCADE"), primary_key=True),
    Column("channel_id", ForeignKey("service_channel.id", ondelete="CASCADE"), primary_key=True),
)


class ServiceArea(Base):
    __tablename__ = "service_area"

    id = Column(String(40), primary_key=True)
    name_fi = Column(String(200), nullable=False)
    name_sv = Column(String(200))
    name_en = Column(String(200))

    municipalities = relationship(
        "Municipality", back_populates="service_area", order_by="Municipality.name_fi"
    )

    def __str__(self) -> str:
        return self.name_fi


class Municipality(Base):
    """A municipality with the Finnish forms the answers and the resolver need.

    ``genitive_fi`` (Rovaniemen) gives the stem for inflected forms; ``locative_fi``
    (Rovaniemellä, Sodankylässä) is the form a Finn uses for "in X".
    """

    __tablename__ = "municipality"

    code = Column(String(3), primary_key=True)
    name_fi = Column(String(100), nullable=False, unique=True)
    name_sv = Column(String(100))
    name_se = Column(String(100))
    genitive_fi = Column(String(100), nullable=False)
    locative_fi = Column(String(100), nullable=False)
    elative_fi = Column(String(100))
    illative_fi = Column(String(100))
    service_area_id = Column(ForeignKey("service_area.id"), nullable=False)
    in_sami_homeland = Column(Boolean, nullable=False, default=False)

    service_area = relationship("ServiceArea", back_populates="municipalities")

    def __str__(self) -> str:
        return f"{self.name_fi} ({self.code})"


class Organization(Base):
    __tablename__ = "organization"

    id = Column(String(64), primary_key=True)
    ptv_id = Column(String(64), unique=True)
    org_type = Column(Enum(OrganizationType, native_enum=False, length=40), nullable=False)
    name_fi = Column(String(300), nullable=False)
    name_sv = Column(String(300))
    name_en = Column(String(300))
    web_page = Column(String(500))
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    services = relationship("Service", back_populates="organization")

    def __str__(self) -> str:
        return self.name_fi


class Service(Base):
    """A service with its texts; only ``published`` services reach the assistant."""

    __tablename__ = "service"

    id = Column(String(64), primary_key=True)
    ptv_id = Column(String(64), unique=True)
    status = Column(
        Enum(PublishingStatus, native_enum=False, length=20),
        nullable=False,
        default=PublishingStatus.draft,
    )
    organization_id = Column(ForeignKey("organization.id"))
    service_class = Column(String(20))
    charge_type = Column(Enum(ChargeType, native_enum=False, length=20))
    area_type = Column(
        Enum(AreaType, native_enum=False, length=20),
        nullable=False,
        default=AreaType.WholeCounty,
    )
    legal_basis = Column(Text)

    name_fi = Column(String(300), nullable=False)
    name_sv = Column(String(300))
    name_en = Column(String(300))
    # Other names people use, one per line: "kotiapu", "kotipalvelu".
    keywords_fi = Column(Text)
    keywords_sv = Column(Text)
    keywords_en = Column(Text)
    # Northern Sámi words for the service, so that Sámi questions find it; its other texts
    # have no Sámi version yet, and the answer says they are given in Finnish.
    keywords_se = Column(Text)
    summary_fi = Column(Text)
    summary_sv = Column(Text)
    summary_en = Column(Text)
    description_fi = Column(Text)
    description_sv = Column(Text)
    description_en = Column(Text)
    target_group_fi = Column(Text)
    target_group_sv = Column(Text)
    target_group_en = Column(Text)
    how_to_apply_fi = Column(Text)
    how_to_apply_sv = Column(Text)
    how_to_apply_en = Column(Text)
    fee_fi = Column(Text)
    fee_sv = Column(Text)
    fee_en = Column(Text)
    # Fees and income limits change yearly: the dates say which period the fee text is for.
    fee_valid_from = Column(Date)
    fee_valid_to = Column(Date)
    is_example = Column(Boolean, nullable=False, default=False)

    created_at = Column(DateTime, nullable=False, default=utcnow)
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    organization = relationship("Organization", back_populates="services")
    municipalities = relationship(
        "Municipality", secondary=service_municipality, order_by="Municipality.name_fi"
    )
    channels = relationship(
        "ServiceChannel", secondary=service_channel_link, back_populates="services"
    )
    terms = relationship(
        "SearchTerm", cascade="all, delete-orphan", back_populates="service"
    )

    def __str__(self) -> str:
        return self.name_fi


class ServiceChannel(Base):
    """A way to reach a service: phone, place, web page, e-service or printable form."""

    __tablename__ = "service_channel"

    id = Column(String(64), primary_key=True)
    ptv_id = Column(String(64), unique=True)
    channel_type = Column(Enum(ChannelType, native_enum=False, length=20), nullable=False)
    status = Column(
        Enum(PublishingStatus, native_enum=False, length=20),
        nullable=False,
        default=PublishingStatus.draft,
    )
    organization_id = Column(ForeignKey("organization.id"))
    # The service area a guidance phone line serves; empty for county-wide channels.
    service_area_id = Column(ForeignKey("service_area.id"))
    name_fi = Column(String(300), nullable=False)
    name_sv = Column(String(300))
    name_en = Column(String(300))
    description_fi = Column(Text)
    description_sv = Column(Text)
    description_en = Column(Text)
    phone_number = Column(String(40))
    phone_charge_fi = Column(Text)
    phone_charge_sv = Column(Text)
    phone_charge_en = Column(Text)
    email = Column(String(200))
    url = Column(String(500))
    street_address = Column(String(200))
    postal_code = Column(String(5))
    post_office = Column(String(100))
    municipality_code = Column(ForeignKey("municipality.code"))
    hours_info_fi = Column(Text)
    hours_info_sv = Column(Text)
    hours_info_en = Column(Text)
    # The languages the channel serves in, as ISO 639-1 codes separated by commas ("fi,sv,se"),
    # as PTV keeps them per channel; empty when not known.
    languages = Column(String(60))
    is_example = Column(Boolean, nullable=False, default=False)
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    organization = relationship("Organization")
    service_area = relationship("ServiceArea")
    municipality = relationship("Municipality")
    services = relationship(
        "Service", secondary=service_channel_link, back_populates="channels"
    )
    weekly_hours = relationship(
        "WeeklyOpeningHours",
        cascade="all, delete-orphan",
        order_by="WeeklyOpeningHours.weekday_from",
        back_populates="channel",
    )
    exceptions = relationship(
        "OpeningException",
        cascade="all, delete-orphan",
        order_by="OpeningException.date_from",
        back_populates="channel",
    )

    def __str__(self) -> str:
        return self.name_fi


class WeeklyOpeningHours(Base):
    """Normal hours: weekdays ``weekday_from``..``weekday_to`` (0 = Monday), opens-closes."""

    __tablename__ = "weekly_opening_hours"

    id = Column(Integer, primary_key=True)
    channel_id = Column(ForeignKey("service_channel.id", ondelete="CASCADE"), nullable=False)
    weekday_from = Column(Integer, nullable=False)
    weekday_to = Column(Integer)
    opens = Column(Time, nullable=False)
    closes = Column(Time, nullable=False)
    valid_from = Column(Date)
    valid_to = Column(Date)

    channel = relationship("ServiceChannel", back_populates="weekly_hours")


class OpeningException(Base):
    """Exceptional hours such as a holiday closure, from ``date_from`` to ``date_to``."""

    __tablename__ = "opening_exception"

    id = Column(Integer, primary_key=True)
    channel_id = Column(ForeignKey("service_channel.id", ondelete="CASCADE"), nullable=False)
    date_from = Column(Date, nullable=False)
    date_to = Column(Date)
    is_closed = Column(Boolean, nullable=False, default=True)
    opens = Column(Time)
    closes = Column(Time)
    reason_fi = Column(String(300))

    channel = relationship("ServiceChannel", back_populates="exceptions")


class AnswerPhrase(Base):
    """A piece of answer wording with ``{placeholders}``, editable by staff."""

    __tablename__ = "answer_phrase"

    key = Column(String(60), primary_key=True)
    text_fi = Column(Text, nullable=False)
    text_sv = Column(Text)
    text_en = Column(Text)
    # Northern Sámi: only the phrases of greetings, contacts and failures have one.
    text_se = Column(Text)
    usage = Column(Text)
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    def __str__(self) -> str:
        return self.key


class CatalogueRevision(Base):
    """One row whose counter grows with every change, so caches know when to reload."""

    __tablename__ = "catalogue_revision"

    id = Column(Integer, primary_key=True)
    revision = Column(Integer, nullable=False, default=0)


class SearchTerm(Base):
    """Base forms of a service's names and keywords, kept in step by ``search_index``."""

    __tablename__ = "search_term"
    __table_args__ = (
        UniqueConstraint("service_id", "term", "language"),
        # The search ranking reads only these columns: answered from the index (migration 0004).
        Index("ix_search_term_ranking", "language", "term", "service_id", "weight"),
    )

    id = Column(Integer, primary_key=True)
    service_id = Column(ForeignKey("service.id", ondelete="CASCADE"), nullable=False, index=True)
    language = Column(String(2), nullable=False, default="fi")
    term = Column(String(100), nullable=False, index=True)
    weight = Column(Integer, nullable=False, default=1)

    service = relationship("Service", back_populates="terms")


__all__ = [
    "AnswerPhrase",
    "AreaType",
    "CatalogueRevision",
    "ChannelType",
    "ChargeType",
    "LANGUAGES",
    "Municipality",
    "OpeningException",
    "Organization",
    "OrganizationType",
    "PublishingStatus",
    "SearchTerm",
    "Service",
    "ServiceArea",
    "ServiceChannel",
    "WeeklyOpeningHours",
]
