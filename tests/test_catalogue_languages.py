"""The seed catalogue speaks Swedish and English wherever it speaks Finnish."""

from __future__ import annotations

import re
import shutil
import string

import pytest

from bot.catalogue.models import Service
from bot.catalogue.seed import load_seed, read_seed
from bot.config import CATALOGUE_DATA_DIR
from bot.db import get_engine, session_scope
from bot.db.migrate import migrate

TEXT_FIELDS = {
    "services": ("name", "keywords", "summary", "description", "target_group", "how_to_apply",
                 "fee"),
    "channels": ("name", "description"),
    "organizations": ("name",),
}


def _placeholders(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name)


@pytest.mark.parametrize("section", list(TEXT_FIELDS))
@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_finnish_text_has_its_translation(section, language):
    records = read_seed()[section]
    missing = [(r.get("id"), field) for r in records for field in TEXT_FIELDS[section]
               if r.get(f"{field}_fi") and not r.get(f"{field}_{language}")]
    assert records and missing == []


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_phrase_has_its_translation_with_the_same_placeholders(language):
    phrases = read_seed()["phrases"]
    wrong = [p["key"] for p in phrases
             if not p.get(f"text_{language}")
             or _placeholders(p[f"text_{language}"]) != _placeholders(p["text_fi"])]
    assert phrases and wrong == []


@pytest.mark.parametrize("language", ["sv", "en"])
def test_translations_add_no_phone_number_or_address(language):
    """A translation says what the Finnish says: no contact data of its own."""
    contact = re.compile(r"\d[\d ]{5,}\d|@|https?://|www\.")
    for section, fields in TEXT_FIELDS.items():
        for record in read_seed()[section]:
            for field in fields:
                finnish = str(record.get(f"{field}_fi") or "")
                other = str(record.get(f"{field}_{language}") or "")
                if other:
                        assert sorted(contact.findall(other)) == sorted(
                        contact.findall(finnish)), (record.get("id"), field)


def test_keywords_are_stored_one_per_line_in_every_language(tmp_path):
    seed_dir = tmp_path / "seed"
    seed_dir.mkdir()
    for path in CATALOGUE_DATA_DIR.glob("*.yml"):
        shutil.copy(path, seed_dir / path.name)
    (seed_dir / "zz_test.yml").write_text(
        "services:\n  - id: kielitesti\n    status: published\n    name_fi: Kielitesti\n"
        "    keywords_sv: [hemhjälp, hemvård]\n    keywords_en: 'home help, home care'\n",
        encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'seed.sqlite3'}"
    migrate(url)
    with session_scope(get_engine(url)) as session:
        load_seed(session, seed_dir)
    with session_scope(get_engine(url)) as session:
        service = session.get(Service, "kielitesti")
        assert (service.keywords_sv, service.keywords_en) == (
            "hemhjälp\nhemvård", "home help\nhome care")
