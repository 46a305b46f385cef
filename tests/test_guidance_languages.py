"""Answers in the user's language: Swedish, English and Northern Sámi, on the seed catalogue."""

from __future__ import annotations

from bot.catalogue.models import Service
from bot.catalogue.phrases import seed_phrases
from bot.db import session_scope
from bot.guidance import Question, answer_question

TORNIO, INARI, ROVANIEMI = "851", "148", "698"


def ask(engine, **fields) -> str:
    return answer_question(Question(**fields), engine).text


def test_a_swedish_cost_question_is_answered_in_swedish_with_the_area_contact(engine):
    text = ask(engine, kind="cost", text="vad kostar hemvård", municipality_code=TORNIO,
               language="sv")
    assert text.startswith("Hemvård")
    assert seed_phrases("sv")("cost_heading") in text
    assert "klient- och servicehandledning, telefon" in text
    assert "måndag" in text and "maanantai" not in text
    assert "Språk: finska." in text


def test_a_finnish_service_word_in_an_english_question_is_found(engine):
    text = ask(engine, kind="info", text="what is kotihoito", language="en")
    assert text.startswith("Home care")
    assert "Which municipality do you live in?" in text


def test_a_relative_and_the_place_are_named_in_the_answer_language(engine):
    text = ask(engine, kind="find", text="my mum does not cope alone anymore",
               municipality_code=TORNIO, relative_key="mother", language="en")
    assert "your mother" in text
    assert "in Tornio" in text
    assert "äitisi" not in text and "Torniossa" not in text


def test_swedish_municipality_names_are_used_in_swedish(engine):
    text = ask(engine, kind="info", text="minneskafé", municipality_code=TORNIO,
               language="sv")
    assert "Torneå" in text


def test_the_guidance_line_says_which_languages_it_serves(engine):
    text = ask(engine, kind="contact", text="whom do I call", municipality_code=INARI,
               language="en")
    assert "Languages: Finnish, Northern Sámi, Inari Sámi, Skolt Sámi." in text


def test_a_missing_translation_is_said_and_the_finnish_text_given(fresh_engine):
    with session_scope(fresh_engine) as session:
        service = session.get(Service, "kotihoito")
        service.summary_en = None
        finnish_summary = service.summary_fi
    text = ask(fresh_engine, kind="info", text="home care", municipality_code=ROVANIEMI,
               language="en")
    assert seed_phrases("en")("text_in_finnish") in text
    assert finnish_summary in text
    assert "phone 040" in text


def test_every_service_answer_in_sami_gives_the_finnish_text_with_a_note(engine):
    text = ask(engine, kind="cost", text="kotihoito", municipality_code=INARI, language="se")
    assert seed_phrases("se")("text_in_finnish") in text
    assert "Kotihoito" in text
    assert "040 000 0001" in text


def test_finnish_answers_have_no_language_note_but_the_line_languages(engine):
    text = ask(engine, kind="cost", text="paljonko kotihoito maksaa",
               municipality_code=INARI)
    assert seed_phrases("fi")("text_in_finnish") not in text
    assert "Palvelukielet: suomi, pohjoissaame, inarinsaame, koltansaame." in text


def test_swedish_and_english_endings_find_the_keyword(engine):
    assert ask(engine, kind="cost", text="vad kostar trygghetstelefonen",
               language="sv").startswith("Trygghetstelefon")
    assert ask(engine, kind="apply", text="how do I apply for meals",
               language="en").startswith("Meal service")


def test_words_of_what_is_asked_name_no_service(engine):
    # "kostar" and "cost" are the question, not a need: the intent tells what is asked.
    text = ask(engine, kind="cost", text="vad kostar hemvården", language="sv")
    assert text.startswith("Hemvård")
