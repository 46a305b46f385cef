"""The catalogue's languages as staff see them: the labels of the texts per language, the list
"Puuttuvat käännökset", and the Northern Sámi texts that await a native speaker's review.

Finnish texts are required; Swedish and English ones are optional, and where one is missing the
assistant gives the Finnish text with a note that it is in Finnish. ``missing_translations``
lists those gaps, one item per record, text and language, for the admin page and the API alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.catalogue.models import AnswerPhrase, PublishingStatus, Service, ServiceChannel
from bot.catalogue.seed import read_seed
from bot.staff import permissions
from bot.staff.models import StaffUser

# The languages staff write texts in, Finnish first: the noun ("ruotsi") and "in it".
LANGUAGE_NAMES = {"fi": "suomi", "sv": "ruotsi", "en": "englanti", "se": "pohjoissaame"}
IN_LANGUAGE = {"fi": "suomeksi", "sv": "ruotsiksi", "en": "englanniksi", "se": "pohjoissaameksi"}
# The languages "Puuttuvat käännökset" asks for: the catalogue's texts have no Sámi column.
TRANSLATED_LANGUAGES = ("sv", "en")

# The texts of a record by their column's stem ("summary" for summary_fi, summary_sv...).
TEXT_LABELS = {
    "name": "Nimi", "keywords": "Hakusanat", "summary": "Lyhyt kuvaus",
    "description": "Kuvaus", "target_group": "Kuka voi saada", "how_to_apply": "Näin haet",
    "fee": "Hinta", "phone_charge": "Puhelun hinta", "hours_info": "Lisätietoa aukioloajoista",
    "text": "Teksti",
}
# The texts the list checks, per table, in the order of the form.
TRANSLATED_TEXTS = {
    "service": ("name", "keywords", "summary", "description", "target_group", "how_to_apply",
                "fee"),
    "service_channel": ("name", "description", "phone_charge", "hours_info"),
}
RECORD_LABELS = {"service": "Palvelu", "service_channel": "Yhteystapa"}
_MODELS = {"service": Service, "service_channel": ServiceChannel}


def text_label(column: str) -> str:
    """"summary_en" → "Lyhyt kuvaus englanniksi"; a column without a language as it is."""
    stem, _, language = column.rpartition("_")
    if language not in IN_LANGUAGE or stem not in TEXT_LABELS:
        return column
    return f"{TEXT_LABELS[stem]} {IN_LANGUAGE[language]}"


def text_labels(model: type, *stems: str) -> dict[str, str]:
    """The labels of the model's columns ``{stem}_{language}``, for every language it has."""
    return {f"{stem}_{language}": text_label(f"{stem}_{language}")
            for stem in stems for language in IN_LANGUAGE if hasattr(model, f"{stem}_{language}")}


@dataclass(frozen=True)
class MissingTranslation:
    """One text of one record that exists in Finnish but not in ``language``."""

    table: str
    key: str
    name: str
    status: str
    field: str
    language: str
    # The user may edit the record (else the list links to its details).
    editable: bool = False

    @property
    def label(self) -> str:
        return text_label(self.field)


def _written(value: str | None) -> bool:
    return bool(value and value.strip())


def missing_translations(session: Session, user: StaffUser | None,
                         language: str | None = None) -> list[MissingTranslation]:
    """The services' and channels' texts whose Finnish version exists and whose Swedish or
    English one (only ``language``'s, when given) is empty: services first, by name.

    Retired records are left out (the assistant never tells of them). A user who may not read
    a table sees none of its records, and an editor or viewer limited to a service area only
    the records of their area, as in the other lists that the area limits
    (``permissions.in_own_area``).
    """
    languages = [language] if language else list(TRANSLATED_LANGUAGES)
    found: list[MissingTranslation] = []
    for table, stems in TRANSLATED_TEXTS.items():
        if not permissions.can_read(user, table):
            continue
        model = _MODELS[table]
        statement = select(model).where(model.status != PublishingStatus.retired)
        if model is Service:
            statement = statement.options(selectinload(Service.municipalities))
        else:
            statement = statement.options(selectinload(ServiceChannel.municipality))
        rows = session.execute(statement.order_by(model.name_fi, model.id)).scalars()
        for row in rows:
            if not permissions.in_own_area(user, row):
                continue
            status = row.status.value if hasattr(row.status, "value") else str(row.status)
            editable = permissions.row_error(user, row) is None
            for lang in languages:
                for stem in stems:
                    if _written(getattr(row, f"{stem}_fi")) and not _written(
                            getattr(row, f"{stem}_{lang}")):
                        found.append(MissingTranslation(table, row.id, row.name_fi, status,
                                                        f"{stem}_{lang}", lang, editable))
    return found


@lru_cache(maxsize=1)
def _seed_texts_awaiting_review() -> dict[str, str]:
    """Phrase key → the seed's Northern Sámi text, for the phrases whose Sámi text the seed
    marks (``review:``) as not yet read by a native speaker."""
    return {r["key"]: r["text_se"] for r in read_seed().get("phrases", [])
            if r.get("review") and r.get("text_se")}


def sami_review_pending(phrase: AnswerPhrase) -> bool:
    """The phrase's Sámi text is still the seed's, which awaits a native speaker's review."""
    seed_text = _seed_texts_awaiting_review().get(phrase.key)
    return seed_text is not None and phrase.text_se == seed_text
