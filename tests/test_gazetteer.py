"""Municipality, service and relative resolution on inflected, misspelt and foreign names."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.nlu.gazetteers import build_gazetteers, find_entities
from bot.text.relatives import find_relative

DATA = Path(__file__).parent / "data"
FORMS = yaml.safe_load((DATA / "municipality_forms.yml").read_text(encoding="utf-8"))
RELATIVES = yaml.safe_load((DATA / "relative_forms.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def gazetteers():
    return build_gazetteers()


def test_forms_cover_all_21_municipalities_in_three_or_more_forms():
    assert len(FORMS["municipalities"]) == 21
    assert all(len(forms) >= 3 for forms in FORMS["municipalities"].values())


@pytest.mark.parametrize(
    "code,form",
    [(code, form) for code, forms in FORMS["municipalities"].items() for form in forms],
)
def test_every_municipality_form_resolves_to_its_code(gazetteers, code, form):
    assert gazetteers["municipality"].resolve_word(form) == str(code)


@pytest.mark.parametrize(
    "sentence,code",
    [
        ("Tarvitsen apua kotiin, asun Kemijärvellä", "320"),
        ("Äiti ei enää pärjää yksin Sodankylässä mitä teen", "758"),
        ("muutin rovanimelle viime vuonna", "698"),
        ("ASUN INARISSA", "148"),
    ],
)
def test_municipality_found_in_a_sentence(gazetteers, sentence, code):
    found = [m for m in find_entities(sentence, gazetteers) if m.entity == "municipality"]
    assert [m.value for m in found] == [code]
    assert sentence[found[0].start : found[0].end].lower() in sentence.lower()


@pytest.mark.parametrize(
    "sentence", ["paljonko kello on", "mikä on huomisen sää", "kemia oli koulussa vaikeaa"]
)
def test_ordinary_words_are_not_taken_for_municipalities(gazetteers, sentence):
    assert not [m for m in find_entities(sentence, gazetteers) if m.entity == "municipality"]


def test_a_place_outside_lapland_is_a_place_not_a_municipality(gazetteers):
    found = {m.entity: m.value for m in find_entities("asun Oulussa", gazetteers)}
    assert found == {"place": "Oulu"}


@pytest.mark.parametrize(
    "sentence,service",
    [
        ("Paljonko turvapuhelin maksaa", "turvapuhelin"),
        ("miten haen omaishoidon tukea", "omaishoidon-tuki"),
        ("tarviin kotihoitoa", "kotihoito"),
        ("kotihoitto maksaa liikaa", "kotihoito"),
    ],
)
def test_service_found_in_inflected_or_misspelt_form(gazetteers, sentence, service):
    found = find_entities(sentence, gazetteers)
    assert service in [m.value for m in found if m.entity == "service"]


@pytest.mark.parametrize("text", RELATIVES["relative"])
def test_relative_detected_in_inflected_forms(text):
    assert find_relative(text) is not None


@pytest.mark.parametrize("text", RELATIVES["not_relative"])
def test_no_relative_in_sentences_about_oneself(text):
    assert find_relative(text) is None
