"""Form pieces of the staff admin: Finnish messages, labels for choices and field validators.

The checks themselves live in ``bot.catalogue.validation``; these adapters show their messages
next to the field, and check rules that span fields (opening before closing) on the form.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Callable

from sqladmin.forms import ModelConverter, converts
from wtforms import Form, ValidationError, validators
from wtforms.fields import SelectField
from wtforms.i18n import get_translations

from bot.catalogue import validation
from bot.catalogue.models import (
    AreaType,
    ChannelType,
    ChargeType,
    OrganizationType,
    PublishingStatus,
)
from bot.staff.models import Role
from bot.staff.translations import IN_LANGUAGE

ENUM_LABELS: dict[type[enum.Enum], dict[str, str]] = {
    PublishingStatus: {
        "draft": "Luonnos (ei näy avustajalle)",
        "published": "Julkaistu (avustaja kertoo tästä)",
        "retired": "Poistettu käytöstä (ei näy avustajalle)",
    },
    ChannelType: {
        "Phone": "Puhelin",
        "ServiceLocation": "Käyntiosoite",
        "WebPage": "Verkkosivu",
        "EChannel": "Verkkoasiointi",
        "PrintableForm": "Tulostettava lomake",
    },
    ChargeType: {"Chargeable": "Maksullinen", "FreeOfCharge": "Maksuton"},
    AreaType: {
        "WholeCounty": "Koko hyvinvointialue",
        "Municipalities": "Vain valitut kunnat",
        "Nationwide": "Koko Suomi",
    },
    OrganizationType: {
        "Municipality": "Kunta",
        "RegionalOrganization": "Alueellinen toimija",
        "SotePublic": "Julkinen sote-toimija",
        "SotePrivate": "Yksityinen sote-toimija",
        "State": "Valtio",
        "Organization": "Järjestö tai yhdistys",
        "Company": "Yritys",
        "Parish": "Seurakunta",
    },
    Role: {"admin": "Pääkäyttäjä", "editor": "Muokkaaja", "viewer": "Katselija"},
}



WEEKDAY_CHOICES = [
    (0, "maanantai"), (1, "tiistai"), (2, "keskiviikko"), (3, "torstai"), (4, "perjantai"),
    (5, "lauantai"), (6, "sunnuntai"),
]

# sqladmin's own messages, which WTForms' Finnish catalogue does not have.
_EXTRA_FINNISH = {
    "Not a valid choice": "Valitse jokin vaihtoehdoista.",
    "Invalid Choice: could not coerce": "Valitse jokin vaihtoehdoista.",
    "Invalid JSON": "Tarkista muoto.",
    "This field is required.": validation.MESSAGES["required"],
    "Not a valid time value.": "Kirjoita kellonaika muodossa 9:00 tai 16:30.",
    "Not a valid date value.": "Kirjoita päivämäärä muodossa 2027-01-31.",
    "Invalid value, must be one of: %(values)s.": "Valitse jokin vaihtoehdoista.",
}


class _FinnishTranslations:
    def __init__(self) -> None:
        self._wtforms = get_translations(["fi"])

    def gettext(self, string: str) -> str:
        return _EXTRA_FINNISH.get(string) or self._wtforms.gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._wtforms.ngettext(singular, plural, n)


_translations = _FinnishTranslations()


class FinnishForm(Form):
    """Built-in messages in Finnish; subclasses add checks that span several fields."""

    class Meta:
        def get_translations(self, form: Form) -> _FinnishTranslations:
            return _translations

    cross_checks: tuple[Callable[[dict[str, Any]], dict[str, str]], ...] = ()

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        values = {name: field.data for name, field in self._fields.items()}
        for check in self.cross_checks:
            for name, message in check(values).items():
                field = self._fields.get(name)
                if field is not None and message not in field.errors:
                    field.errors = list(field.errors) + [message]
                    ok = False
        return ok


def form_class(*checks: Callable[[dict[str, Any]], dict[str, str]]) -> type[FinnishForm]:
    return type("CheckedForm", (FinnishForm,), {"cross_checks": checks})


def weekly_hours_check(values: dict[str, Any]) -> dict[str, str]:
    weekday_to = values.get("weekday_to")
    return validation.weekly_hours_errors(
        values.get("weekday_from"), weekday_to if weekday_to != "" else None,
        values.get("opens"), values.get("closes"),
        values.get("valid_from"), values.get("valid_to"),
    )


def opening_exception_check(values: dict[str, Any]) -> dict[str, str]:
    return validation.opening_exception_errors(
        values.get("date_from"), values.get("date_to"), bool(values.get("is_closed")),
        values.get("opens"), values.get("closes"),
    )


def fee_dates_check(values: dict[str, Any]) -> dict[str, str]:
    return validation.check_record("service", values)


def phrase_check(values: dict[str, Any]) -> dict[str, str]:
    return validation.check_record("answer_phrase", values)


def checked(check: Callable[[Any], str | None]) -> Callable[[Form, Any], None]:
    """A WTForms field validator from a ``bot.catalogue.validation`` check."""

    def validator(_form: Form, field: Any) -> None:
        message = check(field.data)
        if message:
            raise ValidationError(message)

    return validator


def finnish_name() -> list:
    return [checked(validation.finnish_name_error)]


def optional_checked(check: Callable[[Any], str | None]) -> list:
    return [validators.Optional(), checked(check)]


class FinnishChoiceConverter(ModelConverter):
    """Enums as selects with Finnish labels (the stored values stay PTV's)."""

    @converts("Enum")
    def conv_enum(self, model: type, prop: Any, kwargs: dict[str, Any]):  # noqa: D102
        field = super().conv_enum(model, prop, kwargs)
        enum_class = prop.columns[0].type.enum_class
        labels = ENUM_LABELS.get(enum_class, {})
        field.kwargs["choices"] = [
            (value, labels.get(value, value)) for value, _ in field.kwargs["choices"]
        ]
        return field


def weekday_field(label: str, optional: bool = False) -> dict[str, Any]:
    choices = ([("", "sama päivä")] if optional else []) + WEEKDAY_CHOICES
    return {
        "label": label,
        "choices": choices,
        "coerce": lambda v: None if v in ("", None, "None") else int(v),
        "validators": [validators.Optional()] if optional else [],
    }


WeekdayField = SelectField


# The parts of a form with texts in several languages: Finnish first, then the fields that are
# in no language, then the other languages, each folded until it is opened.
SECTION_TITLES = {
    "fi": "Suomeksi",
    "sv": "Ruotsiksi – på svenska",
    "en": "Englanniksi – in English",
    "se": "Pohjoissaameksi – davvisámegillii",
}
OTHER_SECTION = "Muut tiedot"
# Said once in each other language's part, for the texts left empty.
FALLBACK_NOTE = "Jos jokin teksti puuttuu tältä kieleltä, avustaja käyttää suomenkielistä tekstiä."


@dataclass
class FormSection:
    title: str
    language: str | None
    fields: list[Any] = field(default_factory=list)
    # Shown folded (a <details> element), and whether it is open now.
    folded: bool = False
    open: bool = True
    note: str = ""

    @property
    def filled(self) -> int:
        return sum(1 for f in self.fields if f.data not in (None, "", []))

    @property
    def has_errors(self) -> bool:
        return any(f.errors for f in self.fields)


def field_language(name: str) -> str | None:
    """"summary_sv" → "sv"; None for a field in no language ("status", "languages")."""
    stem, _, suffix = name.rpartition("_")
    return suffix if stem and suffix in IN_LANGUAGE else None


def language_sections(form: Form, opened: str | None = None) -> list[FormSection]:
    """The form's visible fields by language; [] when its texts are in one language only.

    Finnish and the fields in no language are shown open; another language is folded unless
    it is ``opened`` (the page was asked for it: ``?kieli=sv``) or one of its fields has an
    error.
    """
    by_language: dict[str | None, list[Any]] = {}
    for f in form:
        if getattr(f.widget, "input_type", None) != "hidden":
            by_language.setdefault(field_language(f.name), []).append(f)
    if len([lang for lang in by_language if lang]) < 2:
        return []
    sections = []
    for language in ("fi", None, *[lang for lang in IN_LANGUAGE if lang != "fi"]):
        fields = by_language.get(language)
        if not fields:
            continue
        section = FormSection(SECTION_TITLES.get(language, OTHER_SECTION), language, fields)
        if language not in ("fi", None):
            section.folded, section.note = True, FALLBACK_NOTE
            section.open = language == opened or section.has_errors
        sections.append(section)
    return sections
