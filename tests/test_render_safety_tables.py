"""The venue profile's safety tables (render/safety_tables.py), read back from the PDF.

The venue ``stand`` of tests/fixtures/safety_words, worked by hand with the fixture library's
values: level flow 82 and stepped flow 66 people per metre per minute, 8 minutes to leave, a
fan-id lane 540 and a search lane 360 per hour over 60 minutes, 2.5 minutes of emergency time
for a section without a fire-risk category, a high-risk match of 9,000 (the venue's capacity).
"""

from __future__ import annotations

import io
import json
import re
import unicodedata

import pytest
from pypdf import PdfReader
from reportlab.platypus import Table

from eventsec.checks.validate import load_workspace
from eventsec.i18n import Catalog
from eventsec.render.build import render_plan
from eventsec.render.context import Ctx
from eventsec.render.fonts import register_fonts
from eventsec.render.paragraphs import TextMaker
from eventsec.render.report import build_report
from eventsec.render.safety_tables import (
    deployment_table,
    geometry_tables,
    medical_table,
    routes_table,
    shared_factors_source,
)
from eventsec.render.styles import make_styles
from tests.conftest import FIXTURES, ROOT

AS_OF = "2030-05-01"
TABLE_KEYS = (
    "routes",
    "stewarding_deployment",
    "medical_provision",
    "col_factors",
    "col_fire_risk",
    "col_governs",
    "col_lanes",
    "col_route",
    "col_flow",
    "col_bottleneck",
    "col_stewards",
    "col_basis",
    "col_rule",
    "col_resource",
    "col_base",
    "col_factor",
    "col_required",
    "basis_declared",
    "basis_rule",
    "venue_wide",
    "deployment_mobile",
    "deployment_supervisors",
    "deployment_head",
    "deployment_total",
    "deployment_workforce",
    "factors_undeclared",
    "fire_risk_undeclared",
    "fire_risk_low",
    "governs_exit",
    "governs_emergency",
    "lanes_fan-id",
    "lanes_undeclared",
    "steward_post_pitch-perimeter",
    "steward_post_segregation",
    "steward_post_response-team",
    "steward_post_control-room",
)
"""Catalog words the new tables of the stand plan print."""


@pytest.fixture(scope="module")
def workspace():
    loaded, _ = load_workspace(FIXTURES / "safety_words")
    return loaded


def report(workspace, venue: str, lang: str):
    made, findings = build_report(workspace, venue, AS_OF, lang)
    assert made is not None, findings
    return made


def text(workspace, venue: str, lang: str) -> str:
    """The plan's text, whitespace folded, Arabic presentation forms undone."""
    pages = PdfReader(io.BytesIO(render_plan(report(workspace, venue, lang)).pdf)).pages
    return " ".join(unicodedata.normalize("NFKC", " ".join(page.extract_text().split())) for page in pages)


@pytest.fixture(scope="module")
def english(workspace):
    return text(workspace, "stand", "en")


def test_sections_say_their_factors_fire_risk_safe_capacity_and_what_governs(english):
    # West: holding = floor(6,000 × min(0.9, 1.0)) = 5,400; its route passes 5 vomitories of 1.8 m
    # stepped (1.8 × 5 × 66 = 594/min) then a 10 m level gate (820/min): 594/min, exit =
    # floor(594 × 8) = 4,752, emergency (low: 8 min) the same; entry = 30 × 540 = 16,200.
    # Safe = 4,752, the exit governs, at the vomitories.
    assert "West stand 6,000 0 0.9 / 1.0 low 4,752 exit (West vomitories)" in english
    # East: holding 3,000; a 3 m stair, 198/min: exit 1,584; no fire risk, so 2.5 min: emergency
    # floor(198 × 2.5) = 495; entry 10 × 360 = 3,600. Safe = 495, emergency governs, at the stair.
    assert "East stand 3,000 0 not declared (1.0) not declared (high applied) 495 emergency (East stair)" in english
    assert "Safe capacity (Green Guide method) 5,247" in english  # 4,752 + 495
    assert "(S) / (P): Safety certificate 2029" in english  # the one source, said once under the table


def test_each_sections_capacities_stand_beside_its_safe_capacity(english):
    # The figures worked above, in the order holding, entry, exit, emergency, concourse, safe;
    # neither stand has a concourse (—). West 5,400 16,200 4,752 4,752; East 3,000 3,600 1,584 495.
    assert "Section Holding Entry Exit Emergency Concourse Safe capacity" in english
    assert "West stand 5,400 16,200 4,752 4,752 — 4,752" in english
    assert "East stand 3,000 3,600 1,584 495 — 495" in english


def test_factors_cite_their_source_once_when_every_section_shares_it():
    french = {"translations": {"fr": {"factors_source": "Certificat"}}}
    same = [
        {"s_factor": 0.9, "factors_source": "Certificate", **french},
        {"p_factor": 1.0, "factors_source": "Certificate", **french},
    ]
    assert shared_factors_source([*same, {"seated": 10}], "en") == "Certificate"  # without factors, cites none
    assert shared_factors_source([*same, {"seated": 10}], "fr") == "Certificat"  # in the plan's language
    other = {"s_factor": 1.0, "factors_source": "Own assessment"}
    assert shared_factors_source([*same, other], "en") is None


def test_entrances_say_their_lanes_and_exits_their_openings(english):
    assert "West turnstiles 30 ticket and Fan ID West stand" in english
    assert "East turnstiles 10 not declared (search applied) East stand" in english
    assert "West vomitories 5 × 1.8 stepped West stand" in english


def test_exit_routes_say_their_flow_and_narrowest_element(english):
    assert (
        "Exit routes Route Serves Flow (people/min) Narrowest element "
        "West route West stand 594.0 West vomitories East route East stand 198.0 East stair"
    ) in english


def test_the_deployment_lists_posts_by_section_and_kind_then_the_totals(english):
    assert (
        "Stewarding deployment For the most demanding case (the highest risk among the venue's matches, a full house) at high risk, 9,000 spectators."
        in english.replace("\n", " ")
    )
    assert "Section Kind Stewards Basis Rule gives" in english
    # entrances: ceil(30 / 3) = 10 west, ceil(10 / 3) = 4 east; a vomitory steward per opening: 5
    assert "West stand entrance 10 by rule 10" in english and "East stand entrance 4 by rule 4" in english
    assert "West stand gangway and vomitory 5 by rule 5" in english
    assert "Whole venue pitch perimeter 54 by rule" in english  # ceil(426 m / 8 m at high risk)
    assert "East stand segregation line 6 declared" in english  # declared only: no rule gives it
    # posts 4 + 10 + 2 + 2 + 6 + 5 + 54 + 6 + 2 + 12 = 103; mobile ceil(9,000 / 150) = 60;
    # supervisors ceil(163 / 10) = 17; head steward 1: 181 on duty, against 170 confirmed
    assert "Mobile stewards 60 by rule Supervisors 17 by rule Head steward 1 Total on duty 181" in english
    assert "Workforce confirmed 170" in english


def test_medical_provision_says_the_crowds_need_the_factor_and_what_is_required(english):
    assert "Medical provision For 9,000 spectators at high risk." in english
    # first aiders: 3 × 2 + 6 × 1 = 12, × 1.25 at high risk = 15; rooms do not scale
    assert "First aiders 12 × 1.25 15" in english and "Medical rooms 1 × 1.0 1" in english


def test_an_assumed_parameter_never_reads_as_sourced(english):
    """East turnstiles declare no lanes: the search rate, an assumed value derived from the Green Guide."""
    assert (
        "turnstile rate search per hour = 360 (assumed planning value, derived from Guide to Safety at Sports "
        "Grounds (Green Guide))" in english
    )
    assert not re.search(r"\((from [^()]*(\([^()]*\))?|no source), assumed\)", english)


def arabic_tables(workspace) -> tuple[Ctx, list]:
    """The stand plan's safety tables in Arabic with their headings and notes, as laid out (before drawing)."""
    made = report(workspace, "stand", "ar")
    catalog = Catalog("ar")
    c = Ctx(made, make_styles(register_fonts(None), rtl=True), TextMaker(catalog))
    geometry = made.plan.venue["geometry"]
    tables = geometry_tables(c, geometry, made.safety)
    tables += deployment_table(c, made.safety.deployment) + medical_table(c, made.safety.medical)
    return c, tables


def cell_texts(flowable) -> list[str]:
    """A table's cell texts, or a paragraph's text (headings, notes)."""
    if not isinstance(flowable, Table):
        return [str(flowable.text)]
    cells = [cell for row in flowable._cellvalues for cell in row]
    flat = [part for cell in cells for part in (cell if isinstance(cell, list) else [cell])]
    return [str(getattr(part, "text", part)) for part in flat]


def test_the_arabic_tables_say_no_english_and_name_places_in_arabic(workspace):
    words, kept = (
        json.loads((ROOT / "src" / "eventsec" / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))
        for lang in ("en", "ar")
    )
    _, tables = arabic_tables(workspace)
    said = "\n".join(text for table in tables for text in cell_texts(table))
    english = [
        words[key]
        for key in TABLE_KEYS
        if words[key] not in "\n".join(kept.values())  # the translator may keep it: "المعاملان (S) / (P)"
        and re.search(rf"(?<!\w){re.escape(words[key])}(?!\w)", said)
    ]
    assert english == []
    for name in ("West stand", "West route", "West vomitories", "East stair"):
        assert name not in said
    for name in ("مسار الخروج الغربي", "ممرات المدرج الغربي", "الدرج الشرقي"):  # a route, the elements governing
        assert name in said
    assert "Safety certificate 2029" in said  # the factors' source is cited as the venue file writes it


def test_arabic_tables_run_right_to_left(workspace):
    """Each table is laid out by Ctx.table: its first column on the right, against the right margin."""
    made = report(workspace, "stand", "ar")
    catalog = Catalog("ar")
    c = Ctx(made, make_styles(register_fonts(None), rtl=True), TextMaker(catalog))
    for flowables, first, last in (
        (routes_table(c, made.safety), "col_route", "col_bottleneck"),
        (deployment_table(c, made.safety.deployment), "col_section", "col_rule"),
        (medical_table(c, made.safety.medical), "col_resource", "col_required"),
    ):
        table = flowables[-1]
        header = [cell.text for cell in table._cellvalues[0]]
        assert table.hAlign == "RIGHT" and header[-1] == catalog.t(first) and header[0] == catalog.t(last)


def test_a_venue_without_geometry_still_shows_its_staffing(tmp_path):
    """Staffing needs no geometry: the figures, the deployment and the medical provision follow the
    note that capacity cannot be computed (before, the note ended the venue profile)."""
    import shutil

    shutil.copytree(FIXTURES / "safety_words", tmp_path / "ws")
    venue = tmp_path / "ws" / "venues" / "gate.yaml"
    yaml_text = venue.read_text(encoding="utf-8")
    venue.write_text(yaml_text[: yaml_text.index("geometry:")] + yaml_text[yaml_text.index("contacts:") :])
    loaded, _ = load_workspace(tmp_path / "ws")
    plan = text(loaded, "gate", "en")
    assert "The venue file has no geometry" in plan
    # pitch perimeter ceil(426 / 15) = 29, control room 2, one response team of 6: 37 posts;
    # mobile ceil(1,000 / 250) = 4; supervisors ceil(41 / 10) = 5; head steward 1: 47
    assert "Total on duty 47" in plan and "Medical provision For 1,000 spectators at low risk." in plan
