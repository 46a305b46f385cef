"""Admin views of the service catalogue, with Finnish labels and field checks."""

from __future__ import annotations

from typing import Any

import anyio
from sqladmin import expose
from sqlalchemy import select
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from wtforms import validators
from wtforms.fields import SelectField, TextAreaField

from bot.catalogue import validation
from bot.catalogue.models import (
    AnswerPhrase,
    Municipality,
    OpeningException,
    Organization,
    PublishingStatus,
    Service,
    ServiceArea,
    ServiceChannel,
    WeeklyOpeningHours,
)
from bot.guidance import ABOUT_ONE_SERVICE, render_preview
from bot.staff.admin.base import (
    AttentionFilter,
    CatalogueView,
    FinnishStaticFilter,
    SaveRefused,
)
from bot.staff.admin.display import enum_label
from bot.staff.admin.forms import (
    ENUM_LABELS,
    WEEKDAY_CHOICES,
    checked,
    fee_dates_check,
    finnish_name,
    form_class,
    opening_exception_check,
    optional_checked,
    phrase_check,
    weekday_field,
    weekly_hours_check,
)
from bot.staff.translations import LANGUAGE_NAMES, sami_review_pending, text_labels


def _text_areas(model: type, *stems: str) -> dict[str, type]:
    """Multi-line fields for the model's texts ``{stem}_{language}`` in every language."""
    return {name: TextAreaField for name in text_labels(model, *stems)}


STATUS_FILTER_VALUES = [(k, enum_label(k, PublishingStatus)) for k in ENUM_LABELS[PublishingStatus]]


def _status_label(model: Any, _attribute: Any) -> str:
    return enum_label(model.status, PublishingStatus)


def _text_area() -> dict[str, Any]:
    return {"rows": 4}


ID_FROM_NAME = "Jätä tyhjäksi, niin tunniste tehdään nimestä."
LANGUAGES_NOTE = ("Kielet, joilla tällä yhteystavalla palvellaan, kielikoodeina pilkuin "
                  "erotettuina: fi suomi, sv ruotsi, en englanti, se pohjoissaame, "
                  "smn inarinsaame, sms koltansaame. Avustaja kertoo ne yhteystiedon "
                  "yhteydessä.")
SAMI_KEYWORDS_NOTE = ("Pohjoissaamenkieliset sanat, joilla palvelu löytyy saamenkielisestä "
                      "kysymyksestä. Yksi sana tai ilmaus riville. Muut tekstit avustaja antaa "
                      "suomeksi.")
SAMI_REVIEW_LABEL = "odottaa äidinkielisen tarkistusta"
SAMI_PHRASE_NOTE = ("Alkuperäiset pohjoissaamenkieliset tekstit odottavat äidinkielisen puhujan "
                    "tarkistusta; luettelossa ne on merkitty, kunnes tekstiä muutetaan.")


def _name_and_id(id_description: str = ID_FROM_NAME) -> dict[str, dict[str, Any]]:
    """The form fields of a row named in Finnish: the name, and the id that the editor
    (``bot.catalogue.editing``) makes from the name when it is left empty."""
    return {
        "name_fi": {"validators": finnish_name()},
        "id": {"validators": [validators.Optional(), checked(validation.id_error)],
               "description": id_description},
    }


class ServiceAdmin(CatalogueView, model=Service):
    name = "Palvelu"
    name_plural = "Palvelut"
    icon = "fa-solid fa-hand-holding-heart"
    category = "Palveluluettelo"
    column_list = [Service.name_fi, Service.status, Service.organization, Service.area_type,
                   Service.updated_at]
    column_searchable_list = [Service.name_fi, Service.keywords_fi, Service.id]
    column_sortable_list = [Service.name_fi, Service.status, Service.updated_at]
    column_default_sort = [(Service.name_fi, False)]
    column_filters = [FinnishStaticFilter(Service.status, STATUS_FILTER_VALUES, title="Tila"),
                      AttentionFilter("service")]
    column_formatters = {Service.status: _status_label}
    column_formatters_detail = {Service.status: _status_label}
    column_details_exclude_list = [Service.terms]
    form_include_pk = True
    # Shown by language (``language_sections``): the Finnish texts, the rest, then the
    # Swedish, English and Sámi texts folded.
    form_columns = [
        "name_fi", "keywords_fi", "summary_fi", "description_fi", "target_group_fi",
        "how_to_apply_fi", "fee_fi",
        "status", "id", "fee_valid_from", "fee_valid_to", "charge_type", "area_type",
        "municipalities", "channels", "organization", "service_class", "legal_basis",
        "is_example",
        "name_sv", "keywords_sv", "summary_sv", "description_sv", "target_group_sv",
        "how_to_apply_sv", "fee_sv",
        "name_en", "keywords_en", "summary_en", "description_en", "target_group_en",
        "how_to_apply_en", "fee_en",
        "keywords_se",
    ]
    column_labels = {
        "id": "Tunniste", "status": "Tila", "organization": "Järjestäjä",
        "service_class": "Palveluluokka (PTV)", "charge_type": "Maksullisuus",
        "area_type": "Missä palvelua saa", "legal_basis": "Laki, johon palvelu perustuu",
        "fee_valid_from": "Hinnat voimassa alkaen", "fee_valid_to": "Hinnat voimassa asti",
        "is_example": "Esimerkkitieto (korvataan oikealla)", "created_at": "Luotu",
        "updated_at": "Muutettu", "municipalities": "Kunnat", "channels": "Yhteystavat",
        "ptv_id": "PTV-tunniste",
        **text_labels(Service, "name", "keywords", "summary", "description", "target_group",
                      "how_to_apply", "fee"),
    }
    form_base_class = form_class(fee_dates_check)
    form_overrides = _text_areas(Service, "keywords", "summary", "description", "target_group",
                                 "how_to_apply", "fee")

    @property
    def form_args(self) -> dict[str, dict[str, Any]]:  # type: ignore[override]
        return {
            **_name_and_id(f"{ID_FROM_NAME} Tunnistetta ei voi muuttaa myöhemmin."),
            "keywords_fi": {"description": "Sanat, joilla ihmiset kysyvät tästä palvelusta. "
                                           "Yksi sana tai ilmaus riville."},
            "status": {"description": "Avustaja kertoo vain julkaistuista palveluista."},
            "keywords_se": {"description": SAMI_KEYWORDS_NOTE},
        }

    def detail_links(self, request: Request, obj: Any) -> list[tuple[str, str]]:
        return [("Esikatsele vastausta",
                 str(request.url_for("admin:view-service-preview", pk=obj.id)))]

    @expose("/preview/{pk}", methods=["GET"])
    async def preview(self, request: Request) -> Response:
        """The assistant's answers about this service, drafts too, from the actions' code."""
        if not self.is_accessible(request):
            raise HTTPException(status_code=403)
        service_id = request.path_params["pk"]
        code = request.query_params.get("kunta") or None
        language = request.query_params.get("kieli") or "fi"
        if language not in LANGUAGE_NAMES:
            language = "fi"
        engine = self.session_maker.kw["bind"]

        def read() -> tuple[Service | None, list[Municipality], list[tuple[str, str]]]:
            with self.session_maker(expire_on_commit=False) as session:
                service = session.get(Service, service_id)
                municipalities = session.execute(
                    select(Municipality).order_by(Municipality.name_fi)
                ).scalars().all()
            if service is None:
                return None, municipalities, []
            answers = [
                (kind, render_preview(service_id, kind, engine, municipality_code=code,
                                      language=language))
                for kind in ABOUT_ONE_SERVICE
            ]
            return service, municipalities, answers

        service, municipalities, answers = await anyio.to_thread.run_sync(read)
        if service is None:
            raise HTTPException(status_code=404)
        return await self.templates.TemplateResponse(request, "staff/preview.html", {
            "model_view": self, "service": service, "answers": answers,
            "municipalities": municipalities, "selected": code,
            "languages": list(LANGUAGE_NAMES.items()), "language": language,
            "status_label": _status_label(service, None),
            "can_publish": self.can_edit,
        })

    @expose("/status/{pk}", methods=["POST"])
    async def set_status(self, request: Request) -> Response:
        """Publish, return to draft or retire a service (a form on the preview page)."""
        form = await request.form()
        status = form.get("status")
        if status not in {s.value for s in PublishingStatus}:
            raise HTTPException(status_code=400)
        pk = request.path_params["pk"]
        await self._check_row(pk)
        try:
            await anyio.to_thread.run_sync(self._save, pk, {"status": status})
        except SaveRefused as refusal:
            raise HTTPException(status_code=403, detail=str(refusal)) from refusal
        return RedirectResponse(request.url_for("admin:view-service-preview", pk=pk), 302)


class ServiceChannelAdmin(CatalogueView, model=ServiceChannel):
    name = "Yhteystapa"
    name_plural = "Yhteystavat"
    icon = "fa-solid fa-phone"
    category = "Palveluluettelo"
    column_list = [ServiceChannel.name_fi, ServiceChannel.channel_type,
                   ServiceChannel.phone_number, ServiceChannel.status,
                   ServiceChannel.service_area, ServiceChannel.updated_at]
    column_searchable_list = [ServiceChannel.name_fi, ServiceChannel.phone_number,
                              ServiceChannel.id]
    column_sortable_list = [ServiceChannel.name_fi, ServiceChannel.status,
                            ServiceChannel.updated_at]
    column_default_sort = [(ServiceChannel.name_fi, False)]
    column_filters = [FinnishStaticFilter(ServiceChannel.status, STATUS_FILTER_VALUES,
                                          title="Tila"),
                      AttentionFilter("service_channel")]
    column_formatters = {ServiceChannel.status: _status_label}
    form_include_pk = True
    form_columns = [
        "name_fi", "description_fi", "phone_charge_fi", "hours_info_fi",
        "channel_type", "status", "id", "phone_number", "languages", "email", "url",
        "street_address", "postal_code", "post_office", "municipality", "service_area",
        "organization", "is_example",
        "name_sv", "description_sv", "phone_charge_sv", "hours_info_sv",
        "name_en", "description_en", "phone_charge_en", "hours_info_en",
    ]
    column_labels = {
        "id": "Tunniste", "channel_type": "Yhteystavan laji", "status": "Tila",
        "phone_number": "Puhelinnumero", "languages": "Palvelukielet (esim. fi,sv,se)",
        "email": "Sähköposti", "url": "Verkko-osoite", "street_address": "Katuosoite",
        "postal_code": "Postinumero", "post_office": "Postitoimipaikka",
        "municipality": "Kunta", "service_area": "Palvelualue",
        "organization": "Organisaatio",
        "is_example": "Esimerkkitieto (korvataan oikealla)", "updated_at": "Muutettu",
        "weekly_hours": "Aukioloajat", "exceptions": "Poikkeusajat", "services": "Palvelut",
        "ptv_id": "PTV-tunniste",
        **text_labels(ServiceChannel, "name", "description", "phone_charge", "hours_info"),
    }
    form_overrides = _text_areas(ServiceChannel, "description", "phone_charge", "hours_info")
    column_formatters_detail = {
        ServiceChannel.status: _status_label,
        ServiceChannel.weekly_hours: lambda m, a: [hours_label(h) for h in m.weekly_hours],
    }

    @property
    def form_args(self) -> dict[str, dict[str, Any]]:  # type: ignore[override]
        return {
            **_name_and_id(),
            "phone_number": {"validators": optional_checked(validation.phone_error),
                             "description": "Esimerkiksi 040 123 4567 tai 016 322 111."},
            "url": {"validators": optional_checked(validation.url_error)},
            "email": {"validators": optional_checked(validation.email_error)},
            "postal_code": {"validators": optional_checked(validation.postal_code_error)},
            "status": {"description": "Avustaja kertoo vain julkaistuista yhteystavoista."},
            "service_area": {"description": "Palveluohjauksen puhelinnumerolle: alue, jonka "
                                            "ihmisille avustaja antaa tämän numeron."},
            # Checked by the editing service, like every field: its message comes back here.
            "languages": {"description": LANGUAGES_NOTE},
        }


class WeeklyOpeningHoursAdmin(CatalogueView, model=WeeklyOpeningHours):
    name = "Aukioloaika"
    name_plural = "Aukioloajat"
    icon = "fa-solid fa-clock"
    category = "Palveluluettelo"
    column_list = [WeeklyOpeningHours.channel, WeeklyOpeningHours.weekday_from,
                   WeeklyOpeningHours.weekday_to, WeeklyOpeningHours.opens,
                   WeeklyOpeningHours.closes]
    column_filters = [AttentionFilter("weekly_opening_hours")]
    form_columns = ["channel", "weekday_from", "weekday_to", "opens", "closes", "valid_from",
                    "valid_to"]
    column_labels = {
        "channel": "Yhteystapa", "weekday_from": "Ensimmäinen päivä",
        "weekday_to": "Viimeinen päivä", "opens": "Avautuu", "closes": "Sulkeutuu",
        "valid_from": "Voimassa alkaen", "valid_to": "Voimassa asti",
    }
    form_base_class = form_class(weekly_hours_check)
    form_overrides = {"weekday_from": SelectField, "weekday_to": SelectField}
    column_formatters = {
        WeeklyOpeningHours.weekday_from: lambda m, a: _weekday(m.weekday_from),
        WeeklyOpeningHours.weekday_to: lambda m, a: _weekday(m.weekday_to),
    }

    @property
    def form_args(self) -> dict[str, dict[str, Any]]:  # type: ignore[override]
        return {
            "weekday_from": weekday_field("Ensimmäinen päivä"),
            "weekday_to": weekday_field("Viimeinen päivä", optional=True),
            "opens": {"description": "Esimerkiksi 09:00."},
            "closes": {"description": "Esimerkiksi 15:00. Ympäri vuorokauden: 00:00–23:59."},
        }


def _weekday(day: int | None) -> str:
    return dict(WEEKDAY_CHOICES).get(day, "") if day is not None else ""


def hours_label(hours: WeeklyOpeningHours) -> str:
    """"maanantai–perjantai 9.00–15.00": how a channel's page names its hours."""
    days = _weekday(hours.weekday_from)
    if hours.weekday_to is not None and hours.weekday_to != hours.weekday_from:
        days += f"–{_weekday(hours.weekday_to)}"
    return f"{days} {hours.opens:%H.%M}–{hours.closes:%H.%M}"


class OpeningExceptionAdmin(CatalogueView, model=OpeningException):
    name = "Poikkeusaika"
    name_plural = "Poikkeusajat (esim. pyhät)"
    icon = "fa-solid fa-calendar-xmark"
    category = "Palveluluettelo"
    column_list = [OpeningException.channel, OpeningException.date_from,
                   OpeningException.date_to, OpeningException.is_closed,
                   OpeningException.reason_fi]
    column_sortable_list = [OpeningException.date_from]
    column_default_sort = [(OpeningException.date_from, False)]
    form_columns = ["channel", "date_from", "date_to", "is_closed", "opens", "closes",
                    "reason_fi"]
    column_labels = {
        "channel": "Yhteystapa", "date_from": "Alkaa", "date_to": "Päättyy",
        "is_closed": "Suljettu koko päivän", "opens": "Avautuu", "closes": "Sulkeutuu",
        "reason_fi": "Syy (esim. Joulu)",
    }
    form_base_class = form_class(opening_exception_check)

    @property
    def form_args(self) -> dict[str, dict[str, Any]]:  # type: ignore[override]
        return {"date_to": {"description": "Jätä tyhjäksi, jos poikkeus on yhden päivän."}}


class OrganizationAdmin(CatalogueView, model=Organization):
    name = "Organisaatio"
    name_plural = "Organisaatiot"
    icon = "fa-solid fa-building"
    category = "Alueet ja organisaatiot"
    column_list = [Organization.name_fi, Organization.org_type, Organization.web_page]
    column_searchable_list = [Organization.name_fi, Organization.id]
    column_sortable_list = [Organization.name_fi]
    form_include_pk = True
    form_columns = ["name_fi", "id", "org_type", "web_page", "name_sv", "name_en"]
    column_labels = {"id": "Tunniste", "org_type": "Laji", "web_page": "Verkkosivu",
                     "ptv_id": "PTV-tunniste", "services": "Palvelut", "updated_at": "Muutettu",
                     **text_labels(Organization, "name")}

    @property
    def form_args(self) -> dict[str, dict[str, Any]]:  # type: ignore[override]
        return {
            **_name_and_id(),
            "web_page": {"validators": optional_checked(validation.url_error)},
        }


class MunicipalityAdmin(CatalogueView, model=Municipality):
    name = "Kunta"
    name_plural = "Kunnat"
    icon = "fa-solid fa-map-location-dot"
    category = "Alueet ja organisaatiot"
    column_list = [Municipality.code, Municipality.name_fi, Municipality.service_area,
                   Municipality.in_sami_homeland]
    column_searchable_list = [Municipality.name_fi, Municipality.code]
    column_sortable_list = [Municipality.name_fi, Municipality.code]
    column_default_sort = [(Municipality.name_fi, False)]
    form_include_pk = True
    form_columns = ["code", "name_fi", "name_sv", "name_se", "genitive_fi", "locative_fi",
                    "elative_fi", "illative_fi", "service_area", "in_sami_homeland"]
    column_labels = {
        "code": "Kuntanumero", "name_fi": "Nimi suomeksi", "name_sv": "Nimi ruotsiksi",
        "name_se": "Nimi saameksi", "genitive_fi": "Genetiivi (Rovaniemen)",
        "locative_fi": "Missä-muoto (Rovaniemellä)", "elative_fi": "Mistä-muoto (Rovaniemeltä)",
        "illative_fi": "Mihin-muoto (Rovaniemelle)", "service_area": "Palvelualue",
        "in_sami_homeland": "Saamelaisten kotiseutualuetta",
    }

    @property
    def form_args(self) -> dict[str, dict[str, Any]]:  # type: ignore[override]
        return {
            "name_fi": {"validators": finnish_name()},
            "code": {"validators": [validators.InputRequired(), checked(
                lambda v: validation.municipality_code_error(v, None))]},
        }


class ServiceAreaAdmin(CatalogueView, model=ServiceArea):
    name = "Palvelualue"
    name_plural = "Palvelualueet"
    icon = "fa-solid fa-map"
    category = "Alueet ja organisaatiot"
    form_include_pk = True
    column_list = [ServiceArea.name_fi, ServiceArea.id]
    form_columns = ["name_fi", "id", "name_sv", "name_en"]
    column_labels = {"id": "Tunniste", "municipalities": "Kunnat",
                     **text_labels(ServiceArea, "name")}

    @property
    def form_args(self) -> dict[str, dict[str, Any]]:  # type: ignore[override]
        return _name_and_id()


class AnswerPhraseAdmin(CatalogueView, model=AnswerPhrase):
    name = "Vastausteksti"
    name_plural = "Vastaustekstit"
    icon = "fa-solid fa-comment-dots"
    category = "Palveluluettelo"
    column_list = [AnswerPhrase.key, AnswerPhrase.text_fi, AnswerPhrase.usage,
                   AnswerPhrase.text_se]
    column_searchable_list = [AnswerPhrase.key, AnswerPhrase.text_fi]
    column_sortable_list = [AnswerPhrase.key]
    form_include_pk = True
    form_columns = ["text_fi", "key", "usage", "text_sv", "text_en", "text_se"]
    column_labels = {"key": "Tunniste", "usage": "Missä tekstiä käytetään",
                     "updated_at": "Muutettu", **text_labels(AnswerPhrase, "text")}
    column_formatters = {AnswerPhrase.text_se: lambda m, a: _sami_text(m)}
    column_formatters_detail = {AnswerPhrase.text_se: lambda m, a: _sami_text(m)}
    form_base_class = form_class(phrase_check)
    form_overrides = {**_text_areas(AnswerPhrase, "text"), "usage": TextAreaField}

    @property
    def can_create(self) -> bool:  # type: ignore[override]
        # The assistant uses a fixed set of phrases; staff edit their wording.
        return False

    @property
    def form_args(self) -> dict[str, dict[str, Any]]:  # type: ignore[override]
        return {"text_fi": {"description": "Aaltosulkeissa olevat paikat, kuten {name}, "
                                           "avustaja täyttää itse. Älä muuta niitä."},
                "text_se": {"description": SAMI_PHRASE_NOTE}}


def _sami_text(phrase: AnswerPhrase) -> str:
    """The phrase's Sámi text, and whether it still awaits a native speaker's review."""
    if not phrase.text_se:
        return ""
    pending = sami_review_pending(phrase)
    return f"{phrase.text_se} ({SAMI_REVIEW_LABEL})" if pending else phrase.text_se


CATALOGUE_VIEWS = [
    ServiceAdmin, ServiceChannelAdmin, WeeklyOpeningHoursAdmin, OpeningExceptionAdmin,
    AnswerPhraseAdmin, OrganizationAdmin, MunicipalityAdmin, ServiceAreaAdmin,
]
