"""Plan sections: document control says the release level and the marking, each with what it means."""

from __future__ import annotations

import io
import re
import shutil
import unicodedata

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


@pytest.fixture(scope="module")
def safety_words():
    """Each page of the safety_words plan in en, fr and ar, NFKC-normalised (Arabic presentation forms)."""
    loaded, _ = load_workspace(FIXTURES / "safety_words")
    return {
        lang: [unicodedata.normalize("NFKC", p) for p in pages(loaded, "gate", None, lang)]
        for lang in ("en", "fr", "ar")
    }


def page_with(texts: list[str], heading: str) -> str:
    return next(text for text in texts[3:] if heading in text)  # past the contents


@pytest.mark.parametrize(
    "lang, heading, row",
    [
        ("en", "Safety figures", "Figure Value Target Met Note Main stand egress time † 12.2 mins ≤ 8.0 mins ✗ [1]"),
        (
            "fr",
            "Indicateurs de sécurité",
            "Indicateur Valeur Objectif Atteint Renvoi Temps d’évacuation — Main stand † 12,2 min ≤ 8,0 min ✗ [1]",
        ),
    ],
)
def test_every_safety_column_has_a_heading_and_the_target_its_unit(safety_words, lang, heading, row):
    assert row in page_with(safety_words[lang], heading)


def test_counts_in_the_safety_table_take_their_plural_form(safety_words):
    english = page_with(safety_words["en"], "Safety figures")
    assert "Medical rooms 1 medical room" in english and "Crowd doctors 0 doctors" in english
    assert "Médecins dédiés au public 0 médecin" in page_with(safety_words["fr"], "Indicateurs de sécurité")
    assert "مسعفان" in page_with(safety_words["ar"], "مؤشرات السلامة")  # two first aiders: the Arabic dual


def test_footnotes_say_formulas_and_parameter_labels_in_the_language(safety_words):
    english = page_with(safety_words["en"], "Safety figures")
    assert (
        "[3] people / (turnstiles × turnstile rate per hour / 60), with turnstile rate per hour = 660 (from Guide to "
        "Safety at Sports Grounds (Green Guide), documented), entry time target = 60 (assumed planning value)"
        in english
    )
    french = page_with(safety_words["fr"], "Indicateurs de sécurité")
    assert (
        "[3] personnes / (tourniquets × débit horaire par tourniquet / 60), avec débit horaire par tourniquet = 660 "
        "(selon Guide to Safety at Sports Grounds (Green Guide), documenté), objectif de temps d’entrée = 60 ("
        in french
    )
    assert "(sans source, hypothèse)" not in french  # an assumed value says it is one, not that it lacks a source
    for text in (english, french):
        assert not re.search(r"\b[a-z0-9]+_[a-z0-9_]+\b", text), re.search(r"\b[a-z0-9]+_[a-z0-9_]+\b", text)
        assert "green-guide-6" not in text  # the source by its title


def test_the_appendix_says_conditions_as_sentences_with_the_expression_under_them(safety_words):
    english = page_with(safety_words["en"], "Appendix")
    assert "Applies only when the match stage is the final. match.stage == 'final'" in english
    assert (
        "Applies only when the venue’s capacity is above crowd doctor threshold. venue.capacity > doctor_threshold"
        in english
    )
    french = page_with(safety_words["fr"], "Annexe")
    assert "S’applique uniquement si la capacité du stade dépasse seuil du médecin dédié au public." in french
    arabic = page_with(safety_words["ar"], "ملحق")
    for word in ["ينطبق", "فقط", "عندما", "قيمة", "مرحلة", "المباراة", "هي", "النهائي"]:
        assert word in arabic
    assert "عتبة طبيب الجمهور" in arabic and "venue.capacity > doctor_threshold" in arabic


def test_release_levels_and_the_language_are_said_in_the_plans_language(four_venues):
    text = pages(four_venues, "north", None, "es")
    control = text[1]
    assert "Nivel más alto: no se omite nada en este plan." in control
    assert "CONFIDENCIAL" in control and "CONFIDENTIAL" not in " ".join(text)
    assert "español (es)" in control
    assert all("PÚBLICO" in page and "PUBLIC" not in page for page in text)


def test_percentages_are_written_the_languages_way():
    from eventsec.i18n import catalog
    from eventsec.render.charts import domain_bar_chart
    from eventsec.render.paragraphs import TextMaker

    assert [catalog(lang).percent(90) for lang in ("en", "fr", "es")] == ["90%", "90\xa0%", "90\xa0%"]
    drawing = domain_bar_chart([("Commande", 62.4)], TextMaker(catalog("fr")), 400)
    labels = {shape.text for shape in drawing.contents if hasattr(shape, "text")}
    assert {"25\xa0%", "62\xa0%"} <= labels and "25%" not in labels


def test_the_after_event_phase_the_reach_column_and_places_served_are_in_the_language(safety_words):
    french = " ".join(safety_words["fr"])
    assert "après l’événement" in french and " post " not in french
    assert "Courriel / radio" in french
    english = page_with(safety_words["en"], "Exits")
    assert "Exits Name Width (m) Type Serves Main exit 1.0 level Main stand" in english  # names, not ids


@pytest.fixture(scope="module")
def lesson_sources():
    loaded, _ = load_workspace(FIXTURES / "lesson_sources")
    return loaded


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            [
                "Test Gazette, 19 January 2026 (corroborated by several outlets) “Chaos at the final”",
                "Weekly Test, March 2026 (reported by one outlet) “The final reviewed”",
                "UNCONFIRMED SOURCE — Stadium rumour: No report names the section; heard at a debrief.",
            ],
        ),
        (
            "fr",
            [
                "Test Gazette, 19 janvier 2026 (corroboré par plusieurs médias) « Chaos at the final »",
                "Weekly Test, mars 2026 (rapporté par un seul média) « The final reviewed »",
                "SOURCE NON CONFIRMÉE — Stadium rumour",
            ],
        ),
    ],
)
def test_the_lessons_page_shows_each_source_and_its_confidence(lesson_sources, lang, expected):
    """Outlet, date (to the day or the month) and confidence in the plan's language, then the
    headline as published; an
    unconfirmed source is flagged in capitals with what is missing."""
    text = pages(lesson_sources, "north", None, lang)
    heading = "Lessons traceability" if lang == "en" else "Traçabilité des enseignements"
    page = " ".join(t for t in text[3:] if heading in t or "LS25-L01" in t)
    for line in expected:
        assert line in page, (line, page)


COUNTRY_LAW = """\
kind: overlay
id: country-xx
layer: country
target: XX
references:
  - {id: xx-act, title: Sports Grounds Act, publisher: Official Gazette, edition: "2009"}
set:
  - item: CMD-001
    fields:
      title: Appoint the commander the Sports Grounds Act requires
      translations:
        fr: {title: Désigner le commandant qu’exige la loi sur les enceintes sportives}
    append: {references: [{id: xx-act, section: Art. 3}]}
    note: The national law names the commander.
"""


def test_a_changed_item_shows_its_new_text_in_the_plans_language_and_the_references_a_country_added(tmp_path):
    """A country overlay rewrites a library item's title (with its translations) and cites its law:
    the plan lists both changes in French, and never prints the translations map itself."""
    root = tmp_path / "ws"
    shutil.copytree(FIXTURES / "readiness", root)
    (root / "country-xx.yaml").write_text(COUNTRY_LAW)
    loaded, result = load_workspace(root)
    assert loaded is not None, [f.message for f in result.findings]
    shown = "\n".join(pages(loaded, "v1", None, "fr"))
    assert "◆ intitulé: Désigner le commandant qu’exige la loi sur les enceintes sportives (référentiel" in shown
    assert "◆ références: xx-act Art. 3 (référentiel : —; country-xx.yaml:13)" in shown
    assert "{'fr'" not in shown and "translations" not in shown


def test_deadlines_say_their_clock_and_the_timeline_orders_milestone_rows_by_date():
    """Item rows and the timeline name the clock that set a deadline, in the plan's language,
    and a milestone's row sits among the T-phase rows by its date."""
    loaded, _ = load_workspace(FIXTURES / "milestones")
    text = " ".join(pages(loaded, "v2", None, "fr"))
    assert "30 jours avant l'ouverture de la billetterie, 2029-08-13" in text  # TKT-004's row
    assert "T-300d, 2029-08-16" in text  # TKT-001: its phase was earlier than its milestone
    timeline = text[text.index("Chronologie par phase") :]
    rows = [
        "30 jours avant l'ouverture de la billetterie 2029-08-13 1 TKT-004",
        "T-300d 2029-08-16 1 TKT-001*",
        "avant l'ouverture de la billetterie 2029-09-11 1 TKT-002",
        "T-60d 2030-04-13",
    ]
    assert [timeline.index(row) for row in rows] == sorted(timeline.index(row) for row in rows)


def test_the_lessons_page_says_each_answering_items_state_in_words(lesson_sources):
    """A match-day item has no state of its own: the page says "per match", as its chapter does,
    never a catalog key."""
    page = " ".join(t for t in pages(lesson_sources, "north", None)[3:] if "LS25-L01" in t)
    assert "CRW-001: not started" in page and "CRW-002: per match" in page
    assert "state_" not in page


def test_a_changed_due_before_is_said_in_the_plans_language_not_as_a_field_name():
    """An overlay that sets an item's milestone clock shows the change with the field's name and
    the clock in French ("échéance avant: 3 jours avant …"), never the raw 'due_before' or a dict."""
    loaded, _ = load_workspace(FIXTURES / "milestones")
    text = " ".join(pages(loaded, "v1", None, "fr"))
    assert "échéance avant" in text
    assert "due_before" not in text and "{'milestone'" not in text
