"""Checks on catalogue values, with the Finnish message staff see next to the field.

Every write goes through ``bot.catalogue.editing``, which runs these (and the reference
checks, with the ``*_unknown`` messages); the staff admin's forms also show them next to the
field. A check returns ``None`` when the value is fine, else the message. ``check_record`` runs
every check that applies to one row and returns ``{field: message}``.
"""

from __future__ import annotations

import re
import string
from datetime import date, time
from typing import Any, Iterable, Mapping
from urllib.parse import urlparse

from bot.catalogue.phrases import placeholders, seed_phrases
from bot.text.phone import is_catalogue_phone

# The texts staff see. One place for each, tests refer to these names.
MESSAGES = {
    "finnish_name": "Kirjoita nimi suomeksi. Suomenkielinen nimi on pakollinen.",
    "phone": "Tarkista puhelinnumero. Kirjoita se suomalaisessa muodossa, "
    "esimerkiksi 040 123 4567, 016 322 111 tai +358 40 123 4567.",
    "url": "Tarkista verkko-osoite. Sen pitää alkaa https:// tai http://, "
    "esimerkiksi https://www.lapha.fi.",
    "email": "Tarkista sähköpostiosoite, esimerkiksi nimi@lapha.fi.",
    "postal_code": "Postinumerossa on viisi numeroa, esimerkiksi 96100.",
    "municipality_code_format": "Kuntanumerossa on kolme numeroa, esimerkiksi 698.",
    "municipality_unknown": "Kuntaa {code} ei ole luettelossa. Valitse Lapin kunta.",
    "organization_unknown": "Organisaatiota ei ole.",
    "service_area_unknown": "Palvelualuetta ei ole.",
    "channel_unknown": "Yhteystapaa ei ole.",
    "service_unknown": "Palvelua ei ole.",
    "row_unknown": "Tätä ei ole luettelossa.",
    "weekday": "Viikonpäivä on numero 0–6: 0 on maanantai ja 6 sunnuntai.",
    "weekday_order": "Viimeinen päivä ei voi olla ennen ensimmäistä päivää.",
    "hours_order": "Sulkemisajan pitää olla avaamisajan jälkeen.",
    "hours_needed": "Kirjoita avaamis- ja sulkemisaika, tai merkitse, että paikka on kiinni.",
    "date_order": "Loppupäivä ei voi olla ennen alkupäivää.",
    "phrase_placeholder": "Tekstissä on paikka {{{name}}}, jota tälle tekstille ei ole. "
    "Sallitut paikat: {allowed}.",
    "phrase_braces": "Tarkista aaltosulkeet { }: jokainen paikka kirjoitetaan muodossa {nimi}.",
    "phrase_unknown_key": "Tällä tunnisteella ei ole vastaustekstiä. Valitse olemassa oleva "
    "tunniste.",
    "id_format": "Tunnisteessa saa olla vain pieniä kirjaimia a–z, numeroita ja viivoja, "
    "esimerkiksi kotihoito-rovaniemi.",
    "required": "Tämä tieto on pakollinen.",
    "languages": "Kirjoita kielet kielikoodeina pilkuin erotettuina, esimerkiksi fi,sv,se "
    "(suomi, ruotsi, pohjoissaame) tai smn (inarinsaame) ja sms (koltansaame).",
    "key_taken": "Tällä tunnisteella on jo tieto. Valitse toinen tunniste tai jätä kenttä "
    "tyhjäksi.",
}

_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_ID = re.compile(r"[a-z0-9][a-z0-9\-]*")


def phone_error(value: str | None) -> str | None:
    """Finnish numbers: 040 123 4567, (016) 322 111, +358 40 123 4567, 0800 12345, 112."""
    if not value:
        return None
    return None if is_catalogue_phone(value) else MESSAGES["phone"]


def url_error(value: str | None) -> str | None:
    if not value:
        return None
    parsed = urlparse(value.strip())
    if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in value.strip():
        return MESSAGES["url"]
    host = parsed.hostname or ""
    if "." not in host and host != "localhost":
        return MESSAGES["url"]
    return None


def email_error(value: str | None) -> str | None:
    if not value:
        return None
    return None if _EMAIL.fullmatch(value.strip()) else MESSAGES["email"]


def finnish_name_error(value: str | None) -> str | None:
    return None if value and value.strip() else MESSAGES["finnish_name"]


def postal_code_error(value: str | None) -> str | None:
    if not value:
        return None
    return None if re.fullmatch(r"\d{5}", value) else MESSAGES["postal_code"]


def languages_error(value: str | None) -> str | None:
    """A channel's languages: ISO 639-1 codes separated by commas ("fi,sv,se")."""
    if not value:
        return None
    codes = [c.strip() for c in value.split(",")]
    return None if all(_LANGUAGE_CODE.fullmatch(c) for c in codes) else MESSAGES["languages"]


def id_error(value: str | None) -> str | None:
    if not value:
        return MESSAGES["required"]
    return None if _ID.fullmatch(value) and len(value) <= 64 else MESSAGES["id_format"]


def municipality_code_error(value: str | None, known_codes: Iterable[str] | None) -> str | None:
    """Three digits, and (when ``known_codes`` is given) one of the catalogue's municipalities."""
    if not value:
        return None
    if not re.fullmatch(r"\d{3}", str(value)):
        return MESSAGES["municipality_code_format"]
    if known_codes is not None and str(value) not in set(known_codes):
        return MESSAGES["municipality_unknown"].format(code=value)
    return None


def weekly_hours_errors(
    weekday_from: Any, weekday_to: Any, opens: time | None, closes: time | None,
    valid_from: date | None = None, valid_to: date | None = None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    for field, day in (("weekday_from", weekday_from), ("weekday_to", weekday_to)):
        if day is None and field == "weekday_to":
            continue
        if not isinstance(day, int) or isinstance(day, bool) or not 0 <= day <= 6:
            errors[field] = MESSAGES["weekday"]
    if not errors and weekday_to is not None and weekday_to < weekday_from:
        errors["weekday_to"] = MESSAGES["weekday_order"]
    if opens is None or closes is None:
        errors["opens" if opens is None else "closes"] = MESSAGES["hours_needed"]
    elif closes <= opens:
        errors["closes"] = MESSAGES["hours_order"]
    if valid_from and valid_to and valid_to < valid_from:
        errors["valid_to"] = MESSAGES["date_order"]
    return errors


def opening_exception_errors(
    date_from: date | None, date_to: date | None, is_closed: bool,
    opens: time | None, closes: time | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if date_from is None:
        errors["date_from"] = MESSAGES["required"]
    elif date_to and date_to < date_from:
        errors["date_to"] = MESSAGES["date_order"]
    if not is_closed:
        if opens is None or closes is None:
            errors["opens" if opens is None else "closes"] = MESSAGES["hours_needed"]
        elif closes <= opens:
            errors["closes"] = MESSAGES["hours_order"]
    return errors


def allowed_placeholders(key: str) -> set[str] | None:
    """The ``{names}`` the assistant fills in for the phrase ``key``; None for unknown keys."""
    template = seed_phrases("fi").texts.get(key)
    return None if template is None else placeholders(template)


def phrase_error(key: str, text: str | None) -> str | None:
    """A phrase may use only the placeholders the assistant fills in for its key."""
    if not text:
        return None
    allowed = allowed_placeholders(key)
    if allowed is None:
        return MESSAGES["phrase_unknown_key"]
    try:
        used = placeholders(text)
        for _, name, spec, conversion in string.Formatter().parse(text):
            if name is not None and (spec or conversion or not name.isidentifier()):
                return MESSAGES["phrase_braces"]
    except ValueError:
        return MESSAGES["phrase_braces"]
    unknown = sorted(used - allowed)
    if unknown:
        names = ", ".join(f"{{{n}}}" for n in sorted(allowed)) or "ei yhtään"
        return MESSAGES["phrase_placeholder"].format(name=unknown[0], allowed=names)
    return None


def check_record(
    table: str, row: Mapping[str, Any], known_municipalities: Iterable[str] | None = None
) -> dict[str, str]:
    """Every check for one row of ``table`` (a dict of column values): ``{field: message}``."""
    errors: dict[str, str] = {}

    def add(field: str, message: str | None) -> None:
        if message and field not in errors:
            errors[field] = message

    if table in ("service", "service_channel", "organization", "service_area", "municipality"):
        add("name_fi", finnish_name_error(row.get("name_fi")))
    if table == "service_channel":
        add("phone_number", phone_error(row.get("phone_number")))
        add("url", url_error(row.get("url")))
        add("email", email_error(row.get("email")))
        add("postal_code", postal_code_error(row.get("postal_code")))
        add("languages", languages_error(row.get("languages")))
        add("municipality_code",
            municipality_code_error(row.get("municipality_code"), known_municipalities))
    if table == "organization":
        add("web_page", url_error(row.get("web_page")))
    if table == "municipality":
        add("code", municipality_code_error(row.get("code"), None) or (
            None if row.get("code") else MESSAGES["required"]))
    if table == "weekly_opening_hours":
        errors.update(weekly_hours_errors(
            row.get("weekday_from"), row.get("weekday_to"), row.get("opens"), row.get("closes"),
            row.get("valid_from"), row.get("valid_to"),
        ))
    if table == "opening_exception":
        errors.update(opening_exception_errors(
            row.get("date_from"), row.get("date_to"), bool(row.get("is_closed", True)),
            row.get("opens"), row.get("closes"),
        ))
    if table == "answer_phrase":
        add("text_fi", finnish_name_error(row.get("text_fi")) and MESSAGES["required"])
        for language in ("fi", "sv", "en", "se"):
            add(f"text_{language}", phrase_error(row.get("key") or "", row.get(f"text_{language}")))
    if table == "service":
        start, end = row.get("fee_valid_from"), row.get("fee_valid_to")
        if start and end and end < start:
            add("fee_valid_to", MESSAGES["date_order"])
    return errors
