"""Texts in Swedish, English and Northern Sámi in the staff application: edited through the
admin and the API into the assistant's answer in that language, the preview per language, the
list of missing translations, and the channels' languages with their Finnish field message."""

from __future__ import annotations

import html
import re

import pytest

from bot.catalogue import validation
from bot.catalogue.models import (
    AnswerPhrase,
    Organization,
    PublishingStatus,
    Service,
    ServiceArea,
    ServiceChannel,
)
from bot.catalogue.seed import read_seed
from bot.db import session_scope
from bot.guidance import ABOUT_ONE_SERVICE, Question, answer_question, render_preview
from bot.staff.admin.forms import SECTION_TITLES
from bot.staff.models import Role, StaffUser
from bot.staff.translations import TRANSLATED_TEXTS, missing_translations, text_label
from tests.staff.test_staff_admin import field_errors

LINE = "palveluohjaus-kaakkois-puhelin"  # the guidance line of the area editor's area
NEW_SUMMARY_SV = "Hemvården kommer hem till dig, också på kvällen."


def answer(engine, language: str, kind: str = "info", service_id: str = "kotihoito") -> str:
    return answer_question(Question(kind=kind, service_id=service_id, language=language),
                           engine).text


def shown_answer(page: str, kind: str) -> tuple[str, str]:
    """The preview page's answer to ``kind``, and its lang attribute."""
    match = re.search(rf'lang="(\w+)" data-kind="{kind}">(.*?)</div>', page, re.S)
    assert match, f"no {kind} answer on the page"
    return match.group(1), html.unescape(match.group(2))


# --- a Swedish text edited into the Swedish answer ----------------------------------------

@pytest.mark.parametrize("path", ["admin", "api"])
def test_a_swedish_text_edited_by_staff_is_the_swedish_answer(
        browser_for, api_client, staff_engine, path):
    before_sv, before_fi = answer(staff_engine, "sv"), answer(staff_engine, "fi")
    assert NEW_SUMMARY_SV not in before_sv
    if path == "admin":
        response = browser_for("editor").submit("/admin/service/edit/kotihoito",
                                                {"summary_sv": NEW_SUMMARY_SV})
        assert response.status_code == 302, field_errors(response.text)
    else:
        response = api_client("editor").patch("/api/services/kotihoito",
                                              json={"summary_sv": NEW_SUMMARY_SV})
        assert response.status_code == 200, response.text
        assert response.json()["summary_sv"] == NEW_SUMMARY_SV
    after_sv = answer(staff_engine, "sv")
    assert NEW_SUMMARY_SV in after_sv and after_sv != before_sv
    assert answer(staff_engine, "fi") == before_fi  # the Finnish answer is as it was


def test_every_swedish_and_english_text_is_on_the_forms_and_in_the_api(
        browser_for, api_client, staff_engine):
    """Every sv/en text column of services, channels, organisations and areas, and the
    phrases' Sámi text, is a field of its admin form and of its API body."""
    from bot.staff.api import schemas

    forms = {
        Service: ("/admin/service/edit/kotihoito", schemas.ServiceUpdate),
        ServiceChannel: (f"/admin/service-channel/edit/{LINE}", schemas.ChannelUpdate),
        Organization: ("/admin/organization/edit/lapha",
                       schemas.OrganizationUpdate),
        ServiceArea: ("/admin/service-area/edit/kaakkois", schemas.ServiceAreaUpdate),
        AnswerPhrase: ("/admin/answer-phrase/edit/contact_line", schemas.PhraseUpdate),
    }
    browser = browser_for("admin")
    for model, (path, body) in forms.items():
        wanted = {c.key for c in model.__table__.columns
                  if c.key.endswith(("_sv", "_en")) or c.key in ("languages", "text_se",
                                                                 "keywords_se")}
        fields = {name for name, _ in browser.form_fields(path)}
        assert wanted <= fields, (model.__name__, wanted - fields)
        assert wanted <= set(body.__fields__), (model.__name__, wanted - set(body.__fields__))


def test_channel_texts_in_swedish_and_english_and_its_languages_are_saved(
        browser_for, api_client, staff_engine):
    response = browser_for("editor").submit(f"/admin/service-channel/edit/{LINE}", {
        "phone_charge_sv": "Samtalet kostar som ett vanligt samtal.",
        "hours_info_en": "Closed on public holidays.", "languages": "fi,sv,se"})
    assert response.status_code == 302, field_errors(response.text)
    api = api_client("editor").patch(f"/api/channels/{LINE}", json={
        "phone_charge_en": "A normal call.", "hours_info_sv": "Stängt på helgdagar."})
    assert api.status_code == 200, api.text
    assert api.json()["languages"] == "fi,sv,se"
    with session_scope(staff_engine) as session:
        line = session.get(ServiceChannel, LINE)
        assert (line.phone_charge_sv, line.phone_charge_en, line.hours_info_sv,
                line.hours_info_en, line.languages) == (
            "Samtalet kostar som ett vanligt samtal.", "A normal call.",
            "Stängt på helgdagar.", "Closed on public holidays.", "fi,sv,se")


def test_organisation_and_area_names_in_other_languages_through_the_api(api_client,
                                                                        staff_engine):
    editor = api_client("editor")
    area = editor.patch("/api/service-areas/kaakkois", json={"name_en": "South-east Lapland"})
    assert area.status_code == 200, area.text
    assert area.json()["name_en"] == "South-east Lapland" and area.json()["municipalities"]
    organisation = editor.patch("/api/organizations/lapha",
                                json={"name_sv": "Lapplands välfärdsområde (test)"})
    assert organisation.status_code == 200, organisation.text
    assert editor.patch("/api/service-areas/kaakkois", json={"name_fi": None}).json()[
        "errors"] == {"name_fi": validation.MESSAGES["finnish_name"]}
    # County-wide records: not for an editor limited to an area, nor for a viewer.
    for role in ("area_editor", "viewer"):
        assert api_client(role).patch("/api/service-areas/kaakkois",
                                      json={"name_en": "x"}).status_code == 403
    with session_scope(staff_engine) as session:
        assert session.get(ServiceArea, "kaakkois").name_en == "South-east Lapland"
        assert session.get(Organization, "lapha").name_sv == (
            "Lapplands välfärdsområde (test)")


def test_a_phrases_sami_text_is_editable_and_flagged_until_edited(
        browser_for, api_client, staff_engine):
    flagged = [r for r in read_seed()["phrases"] if r.get("review") and r.get("text_se")]
    if not flagged:
        pytest.skip("no seed phrase awaits a review of its Sámi text")
    key = flagged[0]["key"]
    placeholders = "".join(f" {{{name}}}" for name in sorted(validation.allowed_placeholders(key)))
    phrases = {p["key"]: p for p in api_client("viewer").get("/api/phrases").json()}
    assert phrases[key]["text_se"] and phrases[key]["sami_review_pending"] is True
    assert not [p for p in phrases.values() if p["sami_review_pending"] and not p["text_se"]]
    details = browser_for("viewer").get(f"/admin/answer-phrase/details/{key}").text
    assert "odottaa äidinkielisen tarkistusta" in details

    response = browser_for("editor").submit(f"/admin/answer-phrase/edit/{key}",
                                            {"text_se": f"Ođđa teaksta{placeholders}"})
    assert response.status_code == 302, field_errors(response.text)
    phrases = {p["key"]: p for p in api_client("viewer").get("/api/phrases").json()}
    assert phrases[key]["text_se"] == f"Ođđa teaksta{placeholders}"
    assert phrases[key]["sami_review_pending"] is False
    # The same placeholder rule as the other languages, through the API too.
    refused = api_client("editor").patch(f"/api/phrases/{key}",
                                         json={"text_se": "Teaksta {gielat}"})
    assert refused.status_code == 422 and "text_se" in refused.json()["errors"]
    with session_scope(staff_engine) as session:
        assert session.get(AnswerPhrase, key).text_se == f"Ođđa teaksta{placeholders}"


# --- the languages field and its Finnish message ------------------------------------------

def test_languages_that_are_not_codes_are_refused_with_a_field_message(
        browser_for, api_client, staff_engine):
    message = validation.MESSAGES["languages"]
    with session_scope(staff_engine) as session:
        before = session.get(ServiceChannel, LINE).languages
    # The admin: the editing service's refusal next to the field, the form as it was sent.
    response = browser_for("editor").submit(f"/admin/service-channel/edit/{LINE}", {
        "languages": "finnish", "hours_info_sv": "Stängt på helgdagar."})
    assert response.status_code == 400
    assert field_errors(response.text) == [message]
    assert re.search(r'name="languages"[^>]*value="finnish"', response.text)
    assert "Stängt på helgdagar." in response.text
    assert "Palvelukielet (esim. fi,sv,se)" in html.unescape(response.text)
    # The API: the same message for the field.
    api = api_client("editor").patch(f"/api/channels/{LINE}", json={"languages": "finnish"})
    assert api.status_code == 422
    assert api.json()["errors"] == {"languages": message}
    with session_scope(staff_engine) as session:
        line = session.get(ServiceChannel, LINE)
        assert line.languages == before and line.hours_info_sv != "Stängt på helgdagar."


# --- the form by language -----------------------------------------------------------------

def test_the_service_form_is_grouped_by_language_finnish_first(browser_for):
    browser = browser_for("editor")
    page = html.unescape(browser.get("/admin/service/edit/kotihoito").text)
    titles = re.findall(r'class="form-section-title">([^<\n]+)', page)
    assert [t.strip() for t in titles] == [SECTION_TITLES["fi"], "Muut tiedot",
                                           SECTION_TITLES["sv"], SECTION_TITLES["en"],
                                           SECTION_TITLES["se"]]
    for label in ("Nimi ruotsiksi", "Kuvaus englanniksi", "Hakusanat pohjoissaameksi"):
        assert label in page
    # The other languages are folded; ?kieli=en (the list's link) opens the English ones.
    folded = dict(re.findall(r'<details class="form-section mb-3" data-language="(\w+)" ?(\w*)>',
                             page))
    assert folded == {"sv": "", "en": "", "se": ""}
    opened = browser.get("/admin/service/edit/kotihoito?kieli=en").text
    assert re.search(r'data-language="en" open>', opened)
    assert re.search(r'<textarea[^>]*id="summary_en"[^>]*lang="en"|'
                     r'<textarea[^>]*lang="en"[^>]*id="summary_en"', opened)
    channel = html.unescape(browser.get(f"/admin/service-channel/edit/{LINE}").text)
    assert "Palvelukielet (esim. fi,sv,se)" in channel
    assert "Puhelun hinta ruotsiksi" in channel


# --- the preview per language -------------------------------------------------------------

def test_the_preview_in_swedish_shows_the_swedish_text(browser_for, api_client, staff_engine):
    with session_scope(staff_engine) as session:
        service = session.get(Service, "kotihoito")
        summary_sv, summary_fi = service.summary_sv, service.summary_fi
    page = browser_for("viewer").get("/admin/service/preview/kotihoito?kieli=sv&kunta=698")
    assert page.status_code == 200
    assert re.search(r'<option value="sv" selected>ruotsi</option>', page.text)
    lang, shown = shown_answer(page.text, "info")
    assert lang == "sv"
    assert summary_sv in shown and summary_fi not in shown
    expected = answer_question(Question(kind="info", service_id="kotihoito",
                                        municipality_code="698", language="sv"),
                               staff_engine).text
    assert shown == expected == render_preview("kotihoito", "info", staff_engine, "698",
                                               language="sv")
    # The API's preview takes the language alike, for one question or all four.
    api = api_client("viewer").get("/api/services/kotihoito/preview",
                                   params={"language": "sv", "municipality_code": "698"})
    assert api.status_code == 200, api.text
    answers = {a["kind"]: a["text"] for a in api.json()["answers"]}
    assert list(answers) == [k.value for k in ABOUT_ONE_SERVICE]
    assert answers["info"] == expected
    one = api_client("viewer").get("/api/services/kotihoito/preview",
                                   params={"language": "sv", "kind": "cost"}).json()
    assert [a["kind"] for a in one["answers"]] == ["cost"]


def test_the_preview_in_sami_is_the_assistants_sami_answer(browser_for, staff_engine):
    """The catalogue has no Sámi service texts: the preview shows what the assistant says
    then (the note and the Finnish text), from the same code."""
    page = browser_for("viewer").get("/admin/service/preview/kotihoito?kieli=se")
    lang, shown = shown_answer(page.text, "info")
    assert lang == "se"
    assert shown == answer(staff_engine, "se") != answer(staff_engine, "fi")
    for name in ("suomi", "ruotsi", "englanti", "pohjoissaame"):
        assert f">{name}</option>" in page.text


def test_the_preview_refuses_unknown_languages_and_municipalities(api_client):
    viewer = api_client("viewer")
    assert viewer.get("/api/services/kotihoito/preview",
                      params={"language": "de"}).status_code == 422
    unknown = viewer.get("/api/services/kotihoito/preview", params={"municipality_code": "091"})
    assert unknown.status_code == 422 and "municipality_code" in unknown.json()["errors"]
    assert viewer.get("/api/services/ei-ole/preview").status_code == 404


# --- missing translations -----------------------------------------------------------------

def has_every_translation(row, table: str) -> bool:
    return all(getattr(row, f"{stem}_{language}") for stem in TRANSLATED_TEXTS[table]
               for language in ("sv", "en") if getattr(row, f"{stem}_fi"))


def test_missing_translations_list_a_service_whose_english_summary_is_emptied(
        browser_for, api_client, staff_engine):
    with session_scope(staff_engine) as session:
        session.get(Service, "kotihoito").summary_en = ""
        assert has_every_translation(session.get(Service, "ateriapalvelu"), "service")

    listed = api_client("viewer").get("/api/missing-translations").json()
    found = [(m["table"], m["id"], m["field"], m["language"]) for m in listed]
    assert ("service", "kotihoito", "summary_en", "en") in found
    assert not [m for m in listed if m["id"] == "ateriapalvelu"]
    item = next(m for m in listed if m["id"] == "kotihoito")
    assert item["label"] == text_label("summary_en") == "Lyhyt kuvaus englanniksi"
    assert item["path"] == "/services/kotihoito" and item["editable"] is False
    # Filtered by language: Swedish has no gap in Kotihoito.
    swedish = api_client("viewer").get("/api/missing-translations",
                                       params={"language": "sv"}).json()
    assert all(m["language"] == "sv" for m in swedish)
    assert not [m for m in swedish if m["id"] == "kotihoito"]
    assert api_client("viewer").get("/api/missing-translations",
                                    params={"language": "se"}).status_code == 422

    # The admin page, in the menu, with a link to the form opened at English.
    browser = browser_for("editor")
    assert "Puuttuvat käännökset" in browser.get("/admin/").text
    page = browser.get("/admin/missing-translations").text
    row = re.search(r'<tr data-table="service" data-key="kotihoito" data-language="en">'
                    r'(.*?)</tr>', page, re.S)
    assert row and "Lyhyt kuvaus englanniksi" in row.group(1)
    assert "/admin/service/edit/kotihoito?kieli=en" in row.group(1)
    assert 'data-key="ateriapalvelu"' not in page
    assert 'data-key="kotihoito"' not in browser.get("/admin/missing-translations?kieli=sv").text


def test_a_service_with_every_text_is_not_listed_and_fixing_the_gap_clears_it(
        api_client, staff_engine):
    with session_scope(staff_engine) as session:
        session.get(Service, "kotihoito").summary_en = "   "
    editor = api_client("editor")
    assert [m["field"] for m in editor.get("/api/missing-translations").json()
            if m["id"] == "kotihoito"] == ["summary_en"]
    fixed = editor.patch("/api/services/kotihoito", json={"summary_en": "Help at home."})
    assert fixed.status_code == 200
    assert not [m for m in editor.get("/api/missing-translations").json()
                if m["id"] == "kotihoito"]


def test_retired_services_and_empty_finnish_texts_are_not_asked_for(staff_engine):
    admin = StaffUser(email="paakayttaja@lapha.example", role=Role.admin, is_active=True)
    with session_scope(staff_engine) as session:
        service = session.get(Service, "kotihoito")
        service.summary_en = None
        service.fee_fi, service.fee_sv, service.fee_en = None, None, None
        retired = session.get(Service, "ateriapalvelu")
        retired.status, retired.name_sv = PublishingStatus.retired, None
        listed = {(m.key, m.field) for m in missing_translations(session, admin)}
        assert missing_translations(session, None) == []  # no account: nothing
    assert ("kotihoito", "summary_en") in listed
    assert ("kotihoito", "fee_en") not in listed  # no Finnish fee: nothing to translate
    assert not [key for key, _ in listed if key == "ateriapalvelu"]


def test_an_area_editor_sees_only_their_areas_gaps(browser_for, api_client, staff_engine):
    with session_scope(staff_engine) as session:
        session.get(Service, "kotihoito").summary_en = None  # county-wide
        session.get(ServiceChannel, LINE).description_en = None  # the area's own line
        session.get(ServiceChannel, "palveluohjaus-pohjoinen-puhelin").description_en = None
    # A service of their own municipality, written in Finnish only.
    created = api_client("area_editor").post("/api/services", json={
        "name_fi": "Kylvetysapu Rovaniemellä", "summary_fi": "Apua peseytymiseen.",
        "area_type": "Municipalities", "municipalities": ["698"]})
    assert created.status_code == 201, created.text

    listed = api_client("area_editor").get("/api/missing-translations").json()
    keys = {m["id"] for m in listed}
    assert keys == {LINE, "kylvetysapu-rovaniemella"}
    assert all(m["editable"] for m in listed)
    everyone = {m["id"] for m in api_client("viewer").get("/api/missing-translations").json()}
    assert {"kotihoito", LINE, "palveluohjaus-pohjoinen-puhelin",
            "kylvetysapu-rovaniemella"} <= everyone

    page = browser_for("area_editor").get("/admin/missing-translations").text
    assert set(re.findall(r'data-key="([\w-]+)"', page)) == keys
    assert f"/admin/service-channel/edit/{LINE}?kieli=en" in page
    # A viewer is shown the details instead of a form.
    viewer_page = browser_for("viewer").get("/admin/missing-translations").text
    assert "/admin/service/details/kotihoito" in viewer_page
    assert "/admin/service/edit/kotihoito" not in viewer_page
    # A viewer limited to the same area: the same records as the area editor, to read.
    area_viewer = api_client("area_viewer").get("/api/missing-translations").json()
    assert {m["id"] for m in area_viewer} == keys
    assert not any(m["editable"] for m in area_viewer)
    area_page = browser_for("area_viewer").get("/admin/missing-translations").text
    assert set(re.findall(r'data-key="([\w-]+)"', area_page)) == keys
    assert f"/admin/service-channel/details/{LINE}" in area_page


def test_the_list_is_for_signed_in_staff_only(browser_for, api_client):
    assert browser_for(None).get("/admin/missing-translations").status_code in (302, 303)
    assert api_client(None).get("/api/missing-translations").status_code == 401
