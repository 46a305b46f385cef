"""PTV open API v11 ``Service`` and ``ServiceChannel`` JSON → catalogue rows.

Accepts what the API and its users hand around: one record, a paged list (``itemList``), a
dict of records keyed by id, or a list; services and channels may come in separate documents.
Real data has nulls in text lists, ``AlternativeName`` before ``Name``, municipalities nested
in ``areas[].municipalities[]``, other organisations' channels and municipalities outside
Lapland: such values are left out with a warning rather than failing the whole import. What
cannot be imported at all (a record without an id or any name, an unknown channel kind)
fails it.

New records arrive as drafts: staff check and publish them. Re-importing updates the records
that have the same PTV id and keeps their publishing status.
"""

from __future__ import annotations

import re
from datetime import date, time
from typing import Any, Iterable

from bot.catalogue import validation
from bot.catalogue.exchange.catalogue_data import CatalogueData, ImportFailed
from bot.catalogue.models import AreaType, ChannelType, ChargeType, PublishingStatus

LANGUAGES = ("fi", "sv", "en")
DESCRIPTION_COLUMNS = {
    "Summary": "summary",
    "Description": "description",
    "UserInstruction": "how_to_apply",
    "ChargeTypeAdditionalInfo": "fee",
}
DAYS = {"Monday": 0, "Tuesday": 1, "Wednesday": 2, "Thursday": 3, "Friday": 4, "Saturday": 5,
        "Sunday": 6}
CHARGE_TYPES = {"Chargeable": ChargeType.Chargeable, "Charged": ChargeType.Chargeable,
                "FreeOfCharge": ChargeType.FreeOfCharge, "Free": ChargeType.FreeOfCharge}


def ptv_row_id(ptv_id: str) -> str:
    return f"ptv-{ptv_id}"


def _texts(items: Any) -> list[dict[str, Any]]:
    return [i for i in (items or []) if isinstance(i, dict) and i.get("value")]


def _by_language(items: Any, wanted_type: str | None = None) -> dict[str, str]:
    """{language: value} of a PTV text list, skipping nulls; "Name" beats "AlternativeName"."""
    found: dict[str, str] = {}
    for item in _texts(items):
        if wanted_type and item.get("type") != wanted_type:
            continue
        language = item.get("language")
        if language in LANGUAGES and language not in found:
            found[language] = str(item["value"]).strip()
    return found


def _first(items: Any, language_order: Iterable[str] = LANGUAGES) -> str | None:
    values = _by_language(items)
    for language in language_order:
        if values.get(language):
            return values[language]
    texts = _texts(items)
    return str(texts[0]["value"]).strip() if texts else None


def _municipality_code(value: Any) -> str | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    return text.zfill(3) if text.isdigit() else text


def _area_codes(areas: Any) -> list[str]:
    codes: list[str] = []
    for area in areas or []:
        if not isinstance(area, dict):
            continue
        if area.get("type") == "Municipality" and area.get("code"):
            codes.append(_municipality_code(area["code"]))
        for municipality in area.get("municipalities") or []:
            if isinstance(municipality, dict) and municipality.get("code"):
                codes.append(_municipality_code(municipality["code"]))
    return list(dict.fromkeys(c for c in codes if c))


def _date(value: Any) -> date | None:
    if not value:
        return None
    return date.fromisoformat(str(value)[:10])


def _time(value: Any) -> time | None:
    if not value:
        return None
    return time.fromisoformat(str(value)[:8])


def records(document: Any) -> list[dict[str, Any]]:
    """The records of any document shape the v11 API (or its users) produce."""
    if isinstance(document, list):
        return [r for item in document for r in records(item)]
    if not isinstance(document, dict):
        return []
    if "itemList" in document:
        return records(document.get("itemList") or [])
    if "id" in document and ("serviceNames" in document or "serviceChannelType" in document):
        return [document]
    values = list(document.values())
    if values and all(isinstance(v, dict) for v in values):
        return [r for v in values for r in records(v)]
    return []


class PtvV11Reader:
    """Reads PTV v11 JSON documents; ``known_municipalities`` are the catalogue's codes."""

    def __init__(self, documents: list[Any], known_municipalities: Iterable[str]) -> None:
        self.documents = documents
        self.known = set(known_municipalities)

    def read(self) -> CatalogueData:
        data = CatalogueData(
            keep_on_update={"service": ("status", "is_example"),
                            "service_channel": ("status", "is_example"),
                            "organization": ("org_type",)},
            drop_unknown_links=True,
        )
        errors: list[str] = []
        links: set[tuple[str, str]] = set()
        organizations: dict[str, str] = {}
        # The same record in two documents (two pages, two downloads): the later one counts.
        unique: dict[tuple[bool, str], dict[str, Any]] = {}
        for item in records(self.documents):
            unique.pop((("serviceChannelType" in item), str(item.get("id"))), None)
            unique[("serviceChannelType" in item, str(item.get("id")))] = item
        items = list(unique.values())
        if not items:
            raise ImportFailed(["Tiedostossa ei ole PTV:n palveluita eikä asiointikanavia."])
        for item in items:
            if not item.get("id"):
                errors.append("PTV-tietueelta puuttuu id.")
                continue
            if "serviceChannelType" in item:
                self._channel(item, data, errors, links)
            else:
                self._service(item, data, errors, links, organizations)
        for ptv_id, name in sorted(organizations.items()):
            data.rows("organization").append({
                "id": ptv_row_id(ptv_id), "ptv_id": ptv_id, "org_type": "Organization",
                "name_fi": name,
            })
        known_orgs = set(organizations)
        for row in data.rows("service_channel"):
            org = row.pop("_organization", None)
            if org and org in known_orgs:
                row["organization_id"] = ptv_row_id(org)
        for service_id, channel_id in sorted(links):
            data.rows("service_channel_link").append(
                {"service_id": ptv_row_id(service_id), "channel_id": ptv_row_id(channel_id)})
        if errors:
            raise ImportFailed(errors)
        return data

    # --- services --------------------------------------------------------------------------

    def _service(self, item: dict[str, Any], data: CatalogueData, errors: list[str],
                 links: set[tuple[str, str]], organizations: dict[str, str]) -> None:
        ptv_id = str(item["id"])
        label = f"PTV-palvelu {ptv_id}"
        names = _by_language(item.get("serviceNames"), "Name")
        alternatives = _by_language(item.get("serviceNames"), "AlternativeName")
        name_fi = names.get("fi") or alternatives.get("fi")
        if not name_fi:
            name_fi = next(iter(names.values()), None) or next(iter(alternatives.values()), None)
            if not name_fi:
                errors.append(f"{label}: palvelulla ei ole nimeä.")
                return
            data.warnings.append(f"{label}: ei suomenkielistä nimeä, käytetään: {name_fi}")
        row: dict[str, Any] = {
            "id": ptv_row_id(ptv_id), "ptv_id": ptv_id, "status": PublishingStatus.draft.value,
            "name_fi": name_fi, "name_sv": names.get("sv"), "name_en": names.get("en"),
        }
        keywords: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
        for item_name in _texts(item.get("serviceNames")):
            if item_name.get("type") == "AlternativeName" and item_name.get("language") in keywords:
                keywords[item_name["language"]].append(str(item_name["value"]).strip())
        for keyword in _texts(item.get("keywords")):
            if keyword.get("language") in keywords:
                keywords[keyword["language"]].append(str(keyword["value"]).strip())
        for language, words in keywords.items():
            row[f"keywords_{language}"] = "\n".join(dict.fromkeys(words)) or None
        for ptv_type, column in DESCRIPTION_COLUMNS.items():
            for language, text in _by_language(item.get("serviceDescriptions"), ptv_type).items():
                row[f"{column}_{language}"] = text
        for language, text in _by_language(item.get("requirements")).items():
            row[f"target_group_{language}"] = text
        charge = CHARGE_TYPES.get(item.get("serviceChargeType") or "")
        row["charge_type"] = charge.value if charge else None
        row["service_class"] = next(
            (str(c["code"])[:20] for c in item.get("serviceClasses") or []
             if isinstance(c, dict) and c.get("code")), None)
        legislation = [_first(law.get("names")) for law in item.get("legislation") or []
                       if isinstance(law, dict)]
        row["legal_basis"] = "\n".join(law for law in legislation if law) or None
        area_type = item.get("areaType") or ""
        if area_type.startswith("Nationwide"):
            row["area_type"] = AreaType.Nationwide.value
        else:
            row["area_type"] = AreaType.Municipalities.value
            for code in _area_codes(item.get("areas")):
                if code in self.known:
                    data.rows("service_municipality").append(
                        {"service_id": row["id"], "municipality_code": code})
                else:
                    data.warnings.append(
                        f"{label}: kunta {code} ei kuulu luetteloon, jätetty pois")
        for organization in item.get("organizations") or []:
            org = (organization or {}).get("organization") or {}
            if org.get("id") and org.get("name"):
                organizations.setdefault(str(org["id"]), str(org["name"]))
                if organization.get("roleType") == "Responsible":
                    row["organization_id"] = ptv_row_id(str(org["id"]))
        for link in item.get("serviceChannels") or []:
            channel = (link or {}).get("serviceChannel") or {}
            if channel.get("id"):
                links.add((ptv_id, str(channel["id"])))
        data.rows("service").append(row)

    # --- channels --------------------------------------------------------------------------

    def _channel(self, item: dict[str, Any], data: CatalogueData, errors: list[str],
                 links: set[tuple[str, str]]) -> None:
        ptv_id = str(item["id"])
        label = f"PTV-asiointikanava {ptv_id}"
        try:
            channel_type = ChannelType(item.get("serviceChannelType"))
        except ValueError:
            errors.append(f"{label}: tuntematon kanavan laji {item.get('serviceChannelType')!r}")
            return
        names = _by_language(item.get("serviceChannelNames"), "Name") or _by_language(
            item.get("serviceChannelNames"))
        name_fi = names.get("fi") or next(iter(names.values()), None)
        if not name_fi:
            errors.append(f"{label}: kanavalla ei ole nimeä.")
            return
        row: dict[str, Any] = {
            "id": ptv_row_id(ptv_id), "ptv_id": ptv_id, "channel_type": channel_type.value,
            "status": PublishingStatus.draft.value,
            "name_fi": name_fi, "name_sv": names.get("sv"), "name_en": names.get("en"),
            "_organization": str(item["organizationId"]) if item.get("organizationId") else None,
        }
        descriptions = item.get("serviceChannelDescriptions")
        for language in LANGUAGES:
            row[f"description_{language}"] = (
                _by_language(descriptions, "Description").get(language)
                or _by_language(descriptions, "Summary").get(language)
            )
        self._phone(item, row, label, data)
        row["languages"] = _languages(item.get("languages"))
        emails = item.get("emails") or item.get("supportEmails")
        email = _first(emails)
        if email and not validation.email_error(email):
            row["email"] = email
        url = self._url(item)
        if url and validation.url_error(url):
            data.warnings.append(f"{label}: verkko-osoite {url} ei kelpaa, jätetty pois")
            url = None
        row["url"] = url
        self._address(item, row, label, data)
        self._hours(item, row, label, data)
        for link in item.get("services") or []:
            service = (link or {}).get("service") or {}
            if service.get("id"):
                links.add((str(service["id"]), ptv_id))
        data.rows("service_channel").append(row)

    def _phone(self, item: dict[str, Any], row: dict[str, Any], label: str,
               data: CatalogueData) -> None:
        for phone in item.get("phoneNumbers") or []:
            if not isinstance(phone, dict) or not phone.get("number"):
                continue
            number = str(phone["number"]).strip()
            prefix = (phone.get("prefixNumber") or "").strip()
            if prefix and not phone.get("isFinnishServiceNumber") and not number.startswith("0"):
                number = f"{prefix} {number}"
            if validation.phone_error(number):
                data.warnings.append(f"{label}: puhelinnumero {number} ei kelpaa, jätetty pois")
                continue
            row["phone_number"] = number[:40]
            row["phone_charge_fi"] = phone.get("chargeDescription") or None
            return

    @staticmethod
    def _url(item: dict[str, Any]) -> str | None:
        for key in ("webPages", "urls", "webPage"):
            value = item.get(key)
            if isinstance(value, list):
                fi_first = sorted(_texts(value) + [v for v in value if isinstance(v, dict)
                                                   and v.get("url")],
                                  key=lambda v: v.get("language") != "fi")
                for page in fi_first:
                    url = page.get("url") or page.get("value")
                    if url:
                        return str(url).strip()
        return None

    def _address(self, item: dict[str, Any], row: dict[str, Any], label: str,
                 data: CatalogueData) -> None:
        for address in item.get("addresses") or []:
            street = (address or {}).get("streetAddress")
            if not isinstance(street, dict):
                continue
            street_name = _first(street.get("street"))
            number = street.get("streetNumber")
            row["street_address"] = " ".join(p for p in (street_name, number) if p)[:200] or None
            postal = street.get("postalCode")
            row["postal_code"] = postal if postal and not validation.postal_code_error(
                postal) else None
            post_office = _first(street.get("postOffice"), ("fi", "sv", "en"))
            row["post_office"] = post_office.title() if post_office else None
            code = _municipality_code((street.get("municipality") or {}).get("code"))
            if code and code in self.known:
                row["municipality_code"] = code
            elif code:
                data.warnings.append(f"{label}: kunta {code} ei kuulu luetteloon, jätetty pois")
            return

    def _hours(self, item: dict[str, Any], row: dict[str, Any], label: str,
               data: CatalogueData) -> None:
        for hours in item.get("serviceHours") or []:
            if not isinstance(hours, dict):
                continue
            kind = hours.get("serviceHourType")
            valid_from, valid_to = _date(hours.get("validFrom")), _date(hours.get("validTo"))
            info = _first(hours.get("additionalInformation"))
            if kind == "DaysOfTheWeek":
                if info and not row.get("hours_info_fi"):
                    row["hours_info_fi"] = info
                if hours.get("isClosed"):
                    continue
                if hours.get("isAlwaysOpen"):
                    self._weekly(data, row, 0, 6, time(0), time(23, 59), valid_from, valid_to,
                                 label)
                    continue
                for opening in hours.get("openingHour") or []:
                    day_from = DAYS.get((opening or {}).get("dayFrom") or "")
                    day_to = DAYS.get(opening.get("dayTo") or "", day_from)
                    if day_from is None:
                        continue
                    self._weekly(data, row, day_from, day_to, _time(opening.get("from")),
                                 _time(opening.get("to")), valid_from, valid_to, label)
            elif kind == "Exceptional" and valid_from:
                openings = [o for o in hours.get("openingHour") or [] if isinstance(o, dict)]
                closed = bool(hours.get("isClosed")) or not openings
                exception = {
                    "channel_id": row["id"], "date_from": valid_from.isoformat(),
                    "date_to": valid_to.isoformat() if valid_to else None, "is_closed": closed,
                    "opens": None, "closes": None, "reason_fi": (info or "")[:300] or None,
                }
                if not closed:
                    exception["opens"] = str(_time(openings[0].get("from")))
                    exception["closes"] = str(_time(openings[0].get("to")))
                if validation.opening_exception_errors(
                    valid_from, valid_to, closed, _time(exception["opens"]),
                    _time(exception["closes"]),
                ):
                    data.warnings.append(f"{label}: poikkeusaika {valid_from} ei kelpaa, "
                                         "jätetty pois")
                    continue
                data.rows("opening_exception").append(exception)

    @staticmethod
    def _weekly(data: CatalogueData, row: dict[str, Any], day_from: int, day_to: int,
                opens: time | None, closes: time | None, valid_from: date | None,
                valid_to: date | None, label: str) -> None:
        if validation.weekly_hours_errors(day_from, day_to, opens, closes, valid_from, valid_to):
            data.warnings.append(f"{label}: aukioloaika {opens}–{closes} ei kelpaa "
                                 "(esim. yli puolenyön), jätetty pois")
            return
        data.rows("weekly_opening_hours").append({
            "channel_id": row["id"], "weekday_from": day_from, "weekday_to": day_to,
            "opens": opens.isoformat(), "closes": closes.isoformat(),
            "valid_from": valid_from.isoformat() if valid_from else None,
            "valid_to": valid_to.isoformat() if valid_to else None,
        })


def _languages(value: Any) -> str | None:
    """PTV's list of a channel's languages ("fi", "sv", "se") as "fi,sv,se"."""
    codes = [str(v).strip().lower() for v in value or [] if isinstance(v, str)]
    codes = [c for c in codes if re.fullmatch(r"[a-z]{2,3}", c)]
    return ",".join(dict.fromkeys(codes))[:60] or None
