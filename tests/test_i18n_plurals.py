"""Counts and units in each language's words: the catalog's plural forms chosen by Babel's CLDR
rules (Arabic's six included), CLDR units written by Babel, content labels and lists."""

from __future__ import annotations

import pytest

from eventsec.i18n import Catalog
from eventsec.i18n.message import Items, Message, Number, Translated


def doctors(lang: str, count: float, decimals: int = 0) -> str:
    return Catalog(lang).message(Message("safety_value_doctors", {"count": Number(count, decimals)}))


@pytest.mark.parametrize(
    "lang, forms",
    [
        ("en", {1: "1 doctor", 2: "2 doctors", 0: "0 doctors"}),
        ("fr", {0: "0 médecin", 1: "1 médecin", 2: "2 médecins"}),
        ("es", {1: "1 médico", 2: "2 médicos"}),
        ("pt", {1: "1 médico", 2: "2 médicos"}),
        (
            "ar",
            {
                0: "0 طبيب",  # zero
                1: "1 طبيب",  # one
                2: "2 طبيبان",  # two: the dual
                3: "3 أطباء",  # few (3–10): the plural
                11: "11 طبيبًا",  # many (11–99): the singular, accusative
                100: "100 طبيب",  # other (100–102): the singular
                103: "103 أطباء",  # few again: the rule reads the last two digits
            },
        ),
    ],
)
def test_one_catalog_entry_gives_every_plural_form_of_the_language(lang, forms):
    assert {count: doctors(lang, count) for count in forms} == forms


def test_arabic_counts_take_six_different_forms():
    said = {
        count: Catalog("ar").message(Message("safety_value_ambulances", {"count": count})) for count in (1, 2, 3, 11)
    }
    assert len(set(said.values())) == 4
    assert said[2] == "2 سيارتا إسعاف" and said[3] == "3 سيارات إسعاف"


def test_a_category_the_catalog_lacks_falls_back_to_other():
    """Spanish counts a million as 'many'; the catalog has only one and other."""
    assert doctors("es", 1_000_000) == "1.000.000 médicos"


def test_a_number_takes_the_plural_form_it_is_written_with():
    """ "1.0" shows a decimal, which English counts as plural; "1" is singular."""
    assert doctors("en", 1, 1) == "1.0 doctors"
    assert doctors("en", 1) == "1 doctor"


@pytest.mark.parametrize(
    "lang, value, written",
    [
        ("en", 6.7, "6.7 mins"),  # CLDR's British short form
        ("en", 1, "1 min"),
        ("fr", 6.7, "6,7\u00a0min"),
        ("ar", 6.7, "6,7 د"),
        ("es", 12345.25, "12.345,2 min"),
        ("pt", 8, "8 min"),
        ("fr", float("inf"), "∞\u00a0min"),
    ],
)
def test_minutes_are_written_by_babel_in_the_language(lang, value, written):
    decimals = 0 if value in (1, 8) else 1
    message = Message("safety_value_min", {"count": Number(value, decimals, "duration-minute")})
    assert Catalog(lang).message(message) == written


def test_a_target_has_the_unit_of_its_value():
    amount = Message("safety_value_min", {"count": Number(8.0, 1, "duration-minute")})
    assert Catalog("en").message(Message("safety_target", {"amount": amount})) == "≤ 8.0 mins"
    assert Catalog("fr").message(Message("safety_target", {"amount": amount})) == "≤ 8,0\u00a0min"


def test_a_content_label_is_said_in_the_language_it_is_translated_to():
    label = Translated("crowd doctor threshold", (("fr", "seuil du médecin"),))
    message = Message("safety_note_value", {"label": label, "value": Number(2000)})
    assert Catalog("fr").message(message) == "seuil du médecin = 2\u202f000"  # French groups with a narrow space
    assert Catalog("es").message(message) == "crowd doctor threshold = 2.000"  # no Spanish label: English
    assert message.to_dict()["params"]["label"] == "crowd doctor threshold"


def test_lists_are_joined_the_languages_way():
    stages = Items((Message("cond_stage_opening"), Message("cond_stage_final")), "or")
    said = Message("cond_in", {"fact": Message("cond_fact_match_stage"), "values": stages})
    assert Catalog("fr").message(said) == "la phase du match est le match d’ouverture ou la finale"
    assert Catalog("ar").message(said) == "قيمة مرحلة المباراة هي المباراة الافتتاحية أو النهائي"
