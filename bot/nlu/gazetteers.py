"""Build the name lists the entity extractor uses, from the seed catalogue files."""

from __future__ import annotations

from pathlib import Path

from bot.catalogue.search_index import keyword_list
from bot.catalogue.seed import read_seed
from bot.config import CATALOGUE_DATA_DIR
from bot.text.finnish import fold, is_place_name, lemma, word_spans
from bot.text.gazetteer import Gazetteer, Mention
from bot.text.relatives import find_relative


def build_gazetteers(directory: Path = CATALOGUE_DATA_DIR) -> dict[str, Gazetteer]:
    seed = read_seed(directory)
    municipalities = Gazetteer("municipality")
    for m in seed.get("municipalities", []):
        names = [m.get(k) for k in ("name_fi", "name_sv", "name_se")] + list(
            m.get("forms_se") or [])
        stems = [m["genitive_fi"][:-1]] + [
            _strip_case(m.get(k)) for k in ("locative_fi", "elative_fi", "illative_fi")
        ]
        municipalities.add(str(m["code"]), names, stems)
    services = Gazetteer("service")
    for s in seed.get("services", []):
        if s.get("status", "published") != "published":
            continue
        services.add(s["id"], [s.get("name_fi")] + keyword_list(s.get("keywords_fi")))
    return {"municipality": municipalities, "service": services}


def find_entities(text: str, gazetteers: dict[str, Gazetteer]) -> list[Mention]:
    """Municipality, service and relative mentions, and ``place`` for other place names."""
    found: list[Mention] = []
    for gazetteer in gazetteers.values():
        found.extend(gazetteer.find(text))
    relative = find_relative(text)
    if relative is not None:
        person, start, end = relative
        found.append(Mention("relative", person.key, start, end, text[start:end]))
    taken = [(m.start, m.end) for m in found]
    for word, start, end in word_spans(text):
        if any(s <= start < e for s, e in taken):
            continue
        if is_place_name(word):
            found.append(Mention("place", lemma(word).title(), start, end, word))
    return sorted(found, key=lambda m: m.start)


def _strip_case(form: str | None) -> str | None:
    if not form:
        return None
    form = fold(form)
    for ending in ("ssa", "ssä", "lla", "llä", "sta", "stä", "lta", "ltä", "lle"):
        if form.endswith(ending):
            return form[: -len(ending)]
    return None
