"""Relatives in Swedish, English and Northern Sámi: found in text, named in each language."""

from __future__ import annotations

import pytest
import yaml

from bot.text.finnish import fold
from bot.text.relatives import RELATIVES_FILE, WORD_LANGUAGES, find_relative, relatives


def _key(text: str) -> str | None:
    found = find_relative(text)
    return found[0].key if found else None


@pytest.mark.parametrize(
    "text, key",
    [
        # Swedish
        ("min mamma bor ensam i Kemi", "mother"),
        ("vem kan jag prata med om mammas hemvård", "mother"),
        ("Modern har börjat glömma saker", "mother"),
        ("min far bor i Kemi", "father"),
        ("min pappa har ont i bröstet", "father"),  # Finnish "pappa" is a grandfather
        ("pappas pension räcker inte", "father"),
        ("jag tar hand om min man dygnet runt", "husband"),
        ("min egen man orkar inte", "husband"),
        ("min make behöver hjälp", "husband"),
        ("min fru har svimmat", "wife"),
        ("mormor bor i Pello", "grandmother"),
        ("farfar orkar inte städa", "grandfather"),
        ("mina föräldrar bor i Kittilä", "parent"),
        ("min syster bor i Salla", "sibling"),
        ("min moster bor ensam", "relative"),
        ("finns det stöd för anhöriga", "relative"),
        ("grannen har inte synts på flera dagar", "neighbour"),
        ("min vän behöver hjälp", "friend"),
        # English
        ("my mother lives alone in Rovaniemi", "mother"),
        ("mum is getting forgetful", "mother"),
        ("can my dad get meals at home", "father"),
        ("my husband won't wake up", "husband"),
        ("my own husband needs help", "husband"),
        ("i need a few days off from caring for my wife", "wife"),
        ("my partner needs home care", "spouse"),
        ("grandma refuses to move out", "grandmother"),
        ("i think grandpa is having a stroke", "grandfather"),
        ("my parents live in Kittilä", "parent"),
        ("my sister lives in Simo", "sibling"),
        ("my aunt lives in Salla", "relative"),
        ("my mother in law gets confused", "relative"),  # not the mother
        ("My father-in-law lives in Inari", "relative"),
        ("i am worried about my neighbour", "neighbour"),
        ("my friend needs help", "friend"),
        # Northern Sámi, also typed without its letters
        ("Mu eadni orru okto Ohcejogas", "mother"),
        ("eatnis lea alla temperatuvra", "mother"),
        ("Mu áhčči lea buohcci", "father"),
        ("darbbasan veahki mu ahcci gahcai", "father"),
        ("Mu boadnji lea buohcan", "husband"),
        ("boadnján lea buohcan", "husband"),
        ("Mu áhkká ii sáhte vázzit", "wife"),
        ("Mu áhkku orru Anáris", "grandmother"),
        ("Mu ádjá ii muitte šat", "grandfather"),
        ("áddjá orru okto", "grandfather"),
        ("mu oabbá orru Anáris", "sibling"),
        ("mu oapmahaš dárbbaša veahki", "relative"),
        ("ránnjá ii vástit telefovdnii", "neighbour"),
        ("mu ustit dárbbaša veahki", "friend"),
    ],
)
def test_relatives_are_found_in_swedish_english_and_sami(text, key):
    assert _key(text) == key


@pytest.mark.parametrize(
    "text",
    [
        # "man", "far", "faster", "friend", "partner" mean something else without "my".
        "vad kan man få för hjälp hemma",
        "hur långt är det, är det far",
        "jag är en man på 80 år och bor ensam",
        "what is the fastest way, is it faster by taxi",
        "how far is the health centre",
        "i am an old man and live alone",
        "is there a volunteer friend service",
        "the county and its partners run the service",
        "i need help at home",
        "jag behöver hjälp hemma",
        "Dárbbašan veahki ruovttus",
        "Mun lean boaris ja orun okto",
    ],
)
def test_no_relative_where_the_words_mean_something_else(text):
    assert find_relative(text) is None


def test_offsets_cover_the_words_that_name_the_relative():
    text = "we think my mother in law needs help"
    relative, start, end = find_relative(text)
    assert text[start:end] == "mother in law"
    text = "min pappa bor i Kemi"
    relative, start, end = find_relative(text)
    assert (relative.key, text[start:end]) == ("father", "pappa")


def test_finnish_words_keep_their_finnish_reading():
    assert _key("pappa asuu yksin") == "grandfather"
    assert _key("mun mies ei jaksa") == "husband"
    assert _key("olen vanha mies") is None


@pytest.mark.parametrize(
    "language, key, whom, genitive",
    [
        ("sv", "mother", "din mamma", "din mamma"),
        ("en", "mother", "your mother", "your mother"),
        ("se", "mother", "du eadni", "du eatni"),
        ("en", "neighbour", "your neighbour", "your neighbour"),
        ("sv", "husband", "din man", "din man"),
    ],
)
def test_whom_in_each_language(language, key, whom, genitive):
    relative = relatives()[key]
    assert relative.whom_for(language) == whom
    assert relative.whom_genitive_for(language) == genitive


@pytest.mark.parametrize("language", ["fi", "de", ""])
def test_whom_falls_back_to_finnish(language):
    relative = relatives()["mother"]
    assert relative.whom_for(language) == relative.whom == "äitisi"
    assert relative.whom_genitive_for(language) == relative.whom_genitive


def test_every_relative_has_words_and_answer_forms_in_every_language():
    for relative in relatives().values():
        assert {lang for lang, _ in relative.whom_in} == set(WORD_LANGUAGES), relative.key
        assert {lang for lang, _ in relative.whom_genitive_in} == set(WORD_LANGUAGES)
    records = yaml.safe_load(RELATIVES_FILE.read_text(encoding="utf-8"))["relatives"]
    for record in records:
        assert set(record["words"]) == set(WORD_LANGUAGES), record["key"]


def test_no_word_names_two_relatives_in_one_language():
    records = yaml.safe_load(RELATIVES_FILE.read_text(encoding="utf-8"))["relatives"]
    for language in WORD_LANGUAGES:
        seen: dict[str, str] = {}
        for record in records:
            for part in ("words", "words_after_my", "words_with_my"):
                for word in (record.get(part) or {}).get(language, []):
                    word = fold(word)
                    assert seen.setdefault(word, record["key"]) == record["key"], (language, word)


def test_the_sami_words_are_flagged_for_review():
    assert "review: the Northern Sámi words" in RELATIVES_FILE.read_text(encoding="utf-8")
