"""The contingency index in the plan PDF (render/contingency_tables.py), read back with pypdf in
each language, and its code word withheld at a lower release.

The workspace is tests/fixtures/contingencies: CON-EVAC-FULL (code word "Mr Sands", prepared by
CRW-001; CRW-002 removed at the venue) and CON-SURGE (no code word; CRW-002 removed, CRW-003 not
applicable: nothing prepares it).
"""

from __future__ import annotations

import io
import unicodedata

import pytest
import yaml
from pypdf import PdfReader

from eventsec.checks.validate import load_workspace
from eventsec.i18n import Catalog
from eventsec.render.build import render_plan
from eventsec.render.report import build_report
from tests.conftest import FIXTURES

WORKSPACE = FIXTURES / "contingencies"
LIBRARY = yaml.safe_load((WORKSPACE / "library" / "contingencies.yaml").read_text(encoding="utf-8"))
EVACUATION = LIBRARY["contingencies"][0]


@pytest.fixture(scope="module")
def workspace():
    loaded, result = load_workspace(WORKSPACE)
    assert loaded is not None, result.findings
    return loaded


def index_text(workspace, lang: str, release: str | None = None) -> str:
    """The text of the plan's contingency index pages, whitespace folded, Arabic presentation
    forms undone (NFKC)."""
    report, findings = build_report(workspace, "v1", "2030-05-01", lang, release=release)
    assert report is not None, findings
    pages = PdfReader(io.BytesIO(render_plan(report).pdf)).pages
    heading = Catalog(lang).t("contingency_index")
    texts = [unicodedata.normalize("NFKC", " ".join(page.extract_text().split())) for page in pages]
    found = [text for text in texts if "CON-EVAC-FULL" in text]
    assert found and heading in found[0], f"no contingency index in the {lang} plan"
    return " ".join(found)


def localized(entry: dict, field: str, lang: str):
    return entry[field] if lang == "en" else entry["translations"][lang][field]


@pytest.mark.parametrize("lang", ["en", "fr", "es", "pt"])
def test_the_index_says_each_column_in_the_plans_language(workspace, lang):
    text = index_text(workspace, lang)
    catalog = Catalog(lang)
    for column in ("contingency", "trigger", "decides", "actions", "code", "items"):
        assert catalog.t(f"contingency_col_{column}") in text, column
    assert localized(EVACUATION, "title", lang) in text
    assert localized(EVACUATION, "trigger", lang) in text
    steps = localized(EVACUATION, "first_actions", lang)
    assert f"1. {steps[0]}" in text and f"3. {steps[2]}" in text  # numbered, in order
    role = {"en": "Venue safety officer", "fr": "Responsable de la sécurité du stade"}.get(lang)
    if role:
        assert role in text  # the decision-maker by the role's title in the plan's language
    assert "Mr Sands" in text  # a code word is printed as written, in every language
    removed = catalog.t("contingency_state_removed")
    assert f"✗ CRW-002 ({removed})" in text
    assert f"✗ CRW-003 ({catalog.t('contingency_state_not_applicable')})" in text
    assert catalog.t("contingency_unprepared") in text  # CON-SURGE: nothing prepares it here
    assert catalog.t("contingency_no_code") in text  # CON-SURGE has no code word at this venue


def test_the_arabic_index_reads_right_to_left_in_arabic(workspace):
    text = index_text(workspace, "ar")
    catalog = Catalog("ar")
    assert catalog.t("contingency_index") in text
    assert "الإخلاء الكلي" in text  # the title, letters joined and in logical order once extracted
    assert "قائد الشرطة المكلف بالمباراة" in text  # the alternate decision-maker's role title
    assert "Full evacuation" not in text and "Venue safety officer" not in text
    assert "Mr Sands" in text


@pytest.mark.parametrize("level", ["public", "internal"])
def test_the_code_word_is_withheld_below_restricted(workspace, level):
    text = index_text(workspace, "en", release=level)
    assert "Mr Sands" not in text
    assert "[withheld]" in text
    assert "Code words withheld at this release level: 1." in text


def test_the_code_word_shows_at_restricted(workspace):
    assert "Mr Sands" in index_text(workspace, "en", release="restricted")
