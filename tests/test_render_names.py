"""A plan prints the tournament's, venue's, city's and places' names in its language (English
when a name has no translation) and the host country as Babel names it, never the YAML's
English ``hosts[].name``."""

from __future__ import annotations

import io
import unicodedata

import pytest
from pypdf import PdfReader

from eventsec.checks.validate import load_workspace
from eventsec.i18n.message import Message, Number
from eventsec.render.build import render_plan
from eventsec.render.names import Names, country_name, localized
from eventsec.render.report import build_report
from tests.conftest import FIXTURES

AS_OF = "2025-05-01"
ENGLISH_ONLY = ("Al Barid Stadium", "West Stand", "Gate 1", "Names Cup", "Club figures", "Stadium safety lead")


@pytest.fixture(scope="module")
def workspace():
    loaded, result = load_workspace(FIXTURES / "names")
    assert loaded is not None, result.findings
    return loaded


@pytest.fixture(scope="module")
def text(workspace):
    """Each language's plan as one string, whitespace folded, Arabic presentation forms undone."""
    rendered = {}
    for lang in ("en", "fr", "ar"):
        report, findings = build_report(workspace, "rabat", AS_OF, lang)
        assert report is not None, findings
        pages = PdfReader(io.BytesIO(render_plan(report).pdf)).pages
        rendered[lang] = " ".join(
            " ".join(unicodedata.normalize("NFKC", page.extract_text()).split()) for page in pages
        )
    return rendered


def test_a_french_plan_prints_every_name_in_french(text):
    fr = text["fr"]
    for name in ("Coupe des noms 2025", "Stade Al Barid", "Rabat, Maroc", "Chiffres du club"):
        assert name in fr, name
    for place in ("Tribune Ouest", "Rampe 1 de la Tribune Ouest", "Porte 1 (Tribune Ouest)"):
        assert place in fr, place
    assert "Responsable de la sécurité du stade" in fr and "Commandant de police du match" in fr
    for english in ENGLISH_ONLY:
        assert english not in fr, english


def test_safety_figures_and_findings_name_places_in_the_plans_language(text):
    fr = text["fr"]
    assert "Temps d’évacuation — Tribune Ouest" in fr
    assert "Temps d’entrée — Porte 1 (Tribune Ouest)" in fr
    assert "secteurs limitants (Tribune Ouest" in fr  # a name inside a list inside a finding's fix


def test_an_arabic_plan_prints_every_name_in_arabic(text):
    ar = text["ar"]
    assert "الرباط، المغرب" in ar
    for word in ("ملعب", "البريد", "المدرج", "الغربي", "المنحدر", "البوابة", "الأسماء"):
        assert word in ar, word
    for english in ENGLISH_ONLY + ("Rabat", "Morocco"):
        assert english not in ar, english


def test_the_country_is_babels_name_not_the_yaml_hosts_name(text):
    assert "Kingdom of Morocco" not in " ".join(text.values())
    assert f"Rabat, {country_name('MA', 'en')}" in text["en"]
    assert country_name("MA", "en") == "Morocco" and country_name("MA", "fr") == "Maroc"


def test_an_english_plan_keeps_the_yaml_names(text):
    for name in ("Names Cup 2025", "Al Barid Stadium", "West Stand ramp 1", "Gate 1 (West Stand)"):
        assert name in text["en"], name


def test_names_in_message_parameters_are_swapped_wherever_they_sit(workspace):
    report, _ = build_report(workspace, "rabat", AS_OF, "fr")
    names = Names(report.plan, "fr")
    message = Message(
        "outer", {"name": "West Stand", "why": Message("inner", {"sections": (("West Stand", Number(3)),)}), "n": 3}
    )
    swapped = names.message(message)
    assert swapped.params["name"] == "Tribune Ouest" and swapped.params["n"] == 3
    assert swapped.params["why"].params["sections"] == (("Tribune Ouest", Number(3)),)
    assert names.message(Message("k", {"name": "Somewhere else"})).params["name"] == "Somewhere else"


def test_a_translated_list_of_another_length_falls_back_to_english():
    entry = {"distribution": ["a", "b"], "translations": {"fr": {"distribution": ["x"]}}}
    assert localized(entry, "distribution", "fr") == ["a", "b"]
    matching = {**entry, "translations": {"fr": {"distribution": ["x", "y"]}}}
    assert localized(matching, "distribution", "fr") == ["x", "y"]


def test_routes_and_the_element_that_governs_are_named_in_the_plans_language(text):
    # the West Stand leaves by one 2 m ramp, 164 people a minute; with no fire-risk category its
    # emergency capacity, floor(164 × 2.5) = 410, governs, at the ramp
    assert "Itinéraire de la Tribune Ouest Tribune Ouest 164,0 Rampe 1 de la Tribune Ouest" in text["fr"]
    assert "410 évacuation d’urgence (Rampe 1 de la Tribune Ouest)" in text["fr"]
    assert "مسار المدرج الغربي" in text["ar"] and "West Stand route" in text["en"]


def test_a_place_the_assessment_names_in_english_is_said_in_the_language(workspace):
    report, _ = build_report(workspace, "rabat", AS_OF, "fr")
    names = Names(report.plan, "fr")
    assert names.text("West Stand route") == "Itinéraire de la Tribune Ouest"
    assert names.text("West Stand ramp 1") == "Rampe 1 de la Tribune Ouest"
    assert names.text("not a place") == "not a place"
