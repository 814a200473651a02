"""Plan sections: document control says the release level and the marking, each with what it means."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from eventsec.checks.validate import load_workspace
from eventsec.render.build import render_plan
from eventsec.render.report import build_report
from tests.conftest import FIXTURES, ROOT

AS_OF = "2030-05-01"


def pages(workspace, venue: str, release: str | None, lang: str = "en") -> list[str]:
    """Each page's text with whitespace folded."""
    report, findings = build_report(workspace, venue, AS_OF, lang, release=release)
    assert report is not None, findings
    reader = PdfReader(io.BytesIO(render_plan(report).pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@pytest.fixture(scope="module")
def four_venues():
    loaded, _ = load_workspace(FIXTURES / "four_venues")
    return loaded


@pytest.fixture(scope="module")
def wc2030():
    loaded, _ = load_workspace(ROOT / "samples" / "wc2030")
    return loaded


def test_a_full_plan_says_nothing_is_withheld_and_the_marking_of_what_it_shows(four_venues):
    text = pages(four_venues, "north", None)
    control = text[1]
    assert "Released at level CONFIDENTIAL The highest level: nothing is withheld from this plan." in control
    assert (
        "Highest marking of content shown PUBLIC The most sensitive content in this plan is marked PUBLIC: "
        "handle the whole plan at that level, as the marking on every page says." in control
    )
    assert all("PUBLIC" in page and "CONFIDENTIAL" not in page for page in text[2:])


def test_a_released_plan_says_what_is_withheld_and_its_marking_matches_the_banner(wc2030):
    text = pages(wc2030, "ma-rabat", "public")
    control = text[1]
    assert "Released at level PUBLIC Content marked above PUBLIC is withheld from this plan." in control
    assert "Highest marking of content shown PUBLIC The most sensitive content in this plan is marked PUBLIC" in control
    assert "Classification: PUBLIC" in text[0]
    for page in text[1:]:
        assert "PUBLIC" in page and not any(level in page for level in ("INTERNAL", "RESTRICTED", "CONFIDENTIAL"))


def test_document_control_explains_release_and_marking_in_the_plans_language(wc2030):
    control = pages(wc2030, "ma-rabat", "public", "fr")[1]
    assert "Les contenus classés au-dessus de PUBLIC ne sont pas communiqués dans ce plan." in control
    assert "Le contenu le plus sensible de ce plan est classé PUBLIC" in control


def test_release_levels_and_the_language_are_said_in_the_plans_language(four_venues):
    text = pages(four_venues, "north", None, "es")
    control = text[1]
    assert "Nivel más alto: no se omite nada en este plan." in control
    assert "CONFIDENCIAL" in control and "CONFIDENTIAL" not in " ".join(text)
    assert "español (es)" in control
    assert all("PÚBLICO" in page and "PUBLIC" not in page for page in text)
