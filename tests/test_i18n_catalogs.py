"""The PDF interface catalogs: fr, ar, es and pt mirror en.json key for key and placeholder for placeholder."""

from __future__ import annotations

import json
import re
import string

import pytest
from babel import Locale

from eventsec.vocabulary import LOCALES
from tests.conftest import ROOT

I18N = ROOT / "src" / "eventsec" / "i18n"
LANGUAGES = ("fr", "ar", "es", "pt")

# English values that every language may keep as they are: identifiers, not words.
IDENTICAL_ENGLISH_VALUES = {"ID"}

# Keys whose translation is legitimately the same text as the English value, per language.
IDENTICAL_ALLOWED: dict[str, set[str]] = {
    "fr": {
        "milestone_due",  # "{clock}, {date}": placeholders and a comma
        "lesson_source",  # "{outlet}, {date} ({confidence})": placeholders, a comma and brackets
        "cover_venue_line",  # "{city}, {country}": placeholders and a comma, nothing to translate
        "header",  # "{tournament} — {venue}": placeholders and a dash
        "unit_min",  # "min" is the French (and SI) abbreviation for minutes
        # Words spelled the same in French and English, and the usual French term in each case:
        "footer_version",  # "Version {version}"
        "dc_match",  # "Match"
        "cli_scope_match",  # "match {match}"
        "layer_match",  # "match"
        "contacts",  # "Contacts"
        "col_type",  # "Type"
        "col_phase",  # "Phase"
        "field_phase",  # "phase"
        "field_description",  # "description"
        "level_public",  # "public"
        "col_signature",  # "Signature"
        "col_date",  # "Date"
        "ops_match_order",  # "Match {match} — {date}"
        "ops_col_match",  # "Match"
        "ops_channel_police",  # "police"
        "safety_value_min",  # "{count}": Babel writes the number with its unit
        "safety_target",  # "≤ {amount}": a sign and a placeholder
        "safety_note_value",  # "{label} = {value}": placeholders and a sign
        "safety_figure_ambulances",  # "Ambulances"
        "safety_value_ambulances_one",  # "{count} ambulance"
        "safety_value_ambulances_other",  # "{count} ambulances"
        "safety_places_one",  # "{count} place" (a seat or standing place)
        "safety_places_other",  # "{count} places"
        "diff_at",  # "{change} ({at})": placeholders and brackets
        "diff_added",  # "+ {what}": a sign and a placeholder
        "diff_removed",  # "- {what}"
    },
    "es": {
        "milestone_due",  # "{clock}, {date}": placeholders and a comma
        "lesson_source",  # "{outlet}, {date} ({confidence})": placeholders, a comma and brackets
        "cover_venue_line",  # placeholders and a comma only
        "header",  # placeholders and a dash only
        "unit_min",  # "min" is the Spanish (and SI) abbreviation for minutes
        "safety_value_min",  # "{count}": Babel writes the number with its unit
        "safety_target",  # "≤ {amount}": a sign and a placeholder
        "safety_note_value",  # "{label} = {value}": placeholders and a sign
        "safety_value_supervisors_one",  # "{count} supervisor" is the Spanish word too
        "cond_no",  # "no"
        "ops_stage_final",  # "final" is the Spanish word
        "diff_at",  # "{change} ({at})": placeholders and brackets
        "diff_added",  # "+ {what}": a sign and a placeholder
        "diff_removed",  # "- {what}"
    },
    "pt": {
        "milestone_due",  # "{clock}, {date}": placeholders and a comma
        "lesson_source",  # "{outlet}, {date} ({confidence})": placeholders, a comma and brackets
        "cover_venue_line",  # placeholders and a comma only
        "header",  # placeholders and a dash only
        "unit_min",  # "min" is the Portuguese (and SI) abbreviation for minutes
        "safety_value_min",  # "{count}": Babel writes the number with its unit
        "safety_target",  # "≤ {amount}": a sign and a placeholder
        "safety_note_value",  # "{label} = {value}": placeholders and a sign
        "safety_value_supervisors_one",  # "{count} supervisor" is the Portuguese word too
        "ops_stage_final",  # "final" is the Portuguese word
        "diff_at",  # "{change} ({at})": placeholders and brackets
        "diff_added",  # "+ {what}": a sign and a placeholder
        "diff_removed",  # "- {what}"
    },
    "ar": {
        "header",  # placeholders and a dash only (cover_venue_line uses the Arabic comma, so it differs)
        "safety_value_min",  # "{count}": Babel writes the number with its unit
        "safety_target",  # "≤ {amount}": a sign and a placeholder
        "safety_note_value",  # "{label} = {value}": placeholders and a sign
        "diff_at",  # "{change} ({at})": placeholders and brackets
        "diff_added",  # "+ {what}": a sign and a placeholder
        "diff_removed",  # "- {what}"
    },
}

# Arabic values that may hold no Arabic letter: nothing but placeholders and punctuation.
ARABIC_WITHOUT_LETTERS_ALLOWED = {
    "header",
    "lesson_headline",  # «{title}»: the headline as published, in Arabic quotation marks
    "diff_at",
    "diff_added",
    "diff_removed",
    "safety_value_min",
    "safety_target",
    "safety_note_value",
}
ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
MARKUP = re.compile(r"<[^>]*>|&[a-zA-Z#0-9]+;")


def load(lang: str) -> dict[str, str]:
    data = json.loads((I18N / f"{lang}.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()), f"{lang}: values must be strings"
    return data


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


@pytest.fixture(scope="module")
def english() -> dict[str, str]:
    return load("en")


def plural_variants(lang: str, catalog: dict[str, str], english: dict[str, str]) -> dict[str, str]:
    """Keys ``base_<category>`` a language adds to a plural entry English has (``base_other``),
    for its own CLDR categories (Arabic's zero, two, few, many), each with that English base."""
    categories = Locale.parse(LOCALES[lang]).plural_form.rules.keys() | {"other"}
    variants = {}
    for key in set(catalog) - set(english):
        base, _, category = key.rpartition("_")
        if category in categories and f"{base}_other" in english:
            variants[key] = f"{base}_other"
    return variants


@pytest.mark.parametrize("lang", LANGUAGES)
def test_same_keys_as_english(lang, english):
    """Every English key, and nothing more but the plural forms the language has and English has not."""
    catalog = load(lang)
    extra = set(catalog) - set(english) - set(plural_variants(lang, catalog, english))
    assert set(english) <= set(catalog) and not extra, {
        "missing": sorted(set(english) - set(catalog)),
        "extra": sorted(extra),
    }


def test_arabic_has_its_six_plural_forms_for_counted_nouns(english):
    """Arabic counts 1, 2, 3–10, 11–99 and 100 with different forms of the noun."""
    catalog = load("ar")
    for key in ("safety_value_doctors", "safety_value_stewards", "safety_value_ambulances", "safety_places"):
        assert {f"{key}_{c}" for c in ("zero", "one", "two", "few", "many", "other")} <= set(catalog), key


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_variants_keep_the_placeholders_of_their_english_entry(lang, english):
    catalog = load(lang)
    for key, base in plural_variants(lang, catalog, english).items():
        assert placeholders(catalog[key]) == placeholders(english[base]), (lang, key)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_same_placeholders_as_english(lang, english):
    catalog = load(lang)
    wrong = {
        key: (sorted(placeholders(english[key])), sorted(placeholders(catalog[key])))
        for key in english
        if key in catalog and placeholders(catalog[key]) != placeholders(english[key])
    }
    assert not wrong, f"{lang}: placeholders differ (english, {lang}): {wrong}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_values_format_with_the_english_fields(lang, english):
    catalog = load(lang)
    variants = plural_variants(lang, catalog, english)
    for key, text in catalog.items():
        fields = {name: "x" for name in placeholders(english[variants.get(key, key)])}
        text.format(**fields)  # raises on a stray brace or an unknown field


@pytest.mark.parametrize("lang", LANGUAGES)
def test_empty_stays_empty(lang, english):
    catalog = load(lang)
    for key, text in english.items():
        assert (catalog[key] == "") == (text == ""), f"{lang}:{key} must be empty exactly when the English value is"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_values_are_translated(lang, english):
    catalog = load(lang)
    allowed = IDENTICAL_ALLOWED[lang]
    untranslated = sorted(
        key
        for key, text in english.items()
        if catalog[key] == text and text != "" and text not in IDENTICAL_ENGLISH_VALUES and key not in allowed
    )
    assert not untranslated, f"{lang}: values identical to English: {untranslated}"
    stale = sorted(key for key in allowed if catalog[key] != english[key])
    assert not stale, f"{lang}: allow-listed keys that no longer match English (drop them from the list): {stale}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_values_are_plain_text(lang):
    catalog = load(lang)
    for key, text in catalog.items():
        assert not MARKUP.search(text), f"{lang}:{key} holds markup: {text!r}"
        assert text == text.strip(), f"{lang}:{key} has leading or trailing whitespace"


def test_arabic_values_are_in_arabic():
    catalog = load("ar")
    missing = sorted(
        key
        for key, text in catalog.items()
        if text and key not in ARABIC_WITHOUT_LETTERS_ALLOWED and not ARABIC_LETTER.search(text)
    )
    assert not missing, f"ar: values without an Arabic letter: {missing}"
