"""Safety figures: worked examples computed by hand, monotonic properties, the sample venues."""

from __future__ import annotations

import math
import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventsec.assess.safety import calculations as calc
from eventsec.assess.safety.assessment import assess
from eventsec.checks.validate import load_workspace
from eventsec.cli import main
from eventsec.i18n import Catalog, catalog
from eventsec.plan.resolve import resolve
from tests.conftest import ROOT

TOURNAMENT = """kind: tournament
id: t
name: Test Cup
dates: {start: "2030-06-01", end: "2030-06-30"}
hosts: [{country: XX, name: Testland}]
protocols: [builtin]
"""


def venue_assessment(tmp_path: Path, geometry: str, capacity: int, matches: str = "", match: str | None = None):
    """Assess one venue with the built-in library's default parameters (82/66 p/m/min, 660/h, 8 min…)."""
    root = tmp_path / "ws"
    (root / "venues").mkdir(parents=True)
    (root / "tournament.yaml").write_text(TOURNAMENT)
    matches = matches or '  - {id: m1, date: "2030-06-10", kickoff: "20:00", risk: low}\n'
    (root / "venues" / "v.yaml").write_text(
        f"kind: venue\nid: v\nname: Test\ncity: T\ncountry: XX\ntimezone: Europe/Madrid\ncapacity: {capacity}\n"
        f"matches:\n{matches}geometry:\n{textwrap.indent(textwrap.dedent(geometry), '  ')}"
    )
    workspace, result = load_workspace(root)
    assert workspace is not None, [f"{f.location} {f.message}" for f in result.findings]
    plan, findings = resolve(workspace, "v", match)
    assert plan is not None, findings
    return assess(plan)


def figure(assessment, key):
    return next(f for f in assessment.figures if f.key == key)


# --- worked examples ------------------------------------------------------------------------


def test_level_only_egress():
    # 5,000 people, 10 m of level exit at 82 p/m/min: 5000 / (10 × 82) = 5000 / 820 = 6.098 min
    assert calc.egress_minutes(5000, calc.element_flow(10, 1, 82)) == pytest.approx(6.0976, abs=1e-3)


def test_mixed_level_and_stepped_section_misses_its_target(tmp_path):
    # 12,000 seats; 8 m level + 12 m stepped: flow = 8 × 82 + 12 × 66 = 656 + 792 = 1,448 p/min
    # egress = 12000 / 1448 = 8.287 min > 8 min (normal target, and the 8-minute emergency time
    # of a low fire-risk stand) → critical
    # each exit is a route with half the stand: x1 6000 / 656 = 9.1 min, x2 6000 / 792 = 7.6 min,
    # so x1 (level) is the element to widen: needed flow 12000 / 8 = 1,500 p/min; missing
    # 52 p/min / 82 = 0.63 m; or move 12000 − floor(1448 × 8) = 12000 − 11584 = 416 places
    a = venue_assessment(
        tmp_path,
        """
        sections: [{id: main, name: Main stand, seated: 12000, fire_risk: low}]
        exits:
          - {id: x1, width_m: 8, type: level, serves: [main]}
          - {id: x2, width_m: 12, type: stepped, serves: [main]}
        """,
        12000,
    )
    assert figure(a, "egress.main").value == pytest.approx(8.287, abs=1e-3)
    (finding,) = [f for f in a.findings if f.figure == "egress.main"]
    assert finding.severity == "critical"
    assert finding.message == "Main stand egress 8.3 mins against a target of 8.0 mins"  # minutes by Babel
    assert Catalog("ar").message(finding.summary) == "Main stand: الإخلاء في 8,3 د مقابل هدف قدره 8,0 د"
    assert finding.fix == "widen x1, the element that governs, by 0.6 m (or move 416 places)"


def test_entry_time_and_extra_turnstiles(tmp_path):
    # 20,000 people through 30 turnstiles at 660/h = 11/min each: 20000 / 330 = 60.6 min > 60
    # turnstiles needed: ceil(20000 / (11 × 60)) = ceil(30.3) = 31 → add 1
    a = venue_assessment(
        tmp_path,
        """
        sections: [{id: bowl, name: Bowl, seated: 20000}]
        exits: [{id: x, width_m: 40, type: level, serves: [bowl]}]
        entrances: [{id: g1, name: Gate 1, turnstiles: 30, feeds: [bowl], lanes: ticket}]
        """,
        20000,
    )
    assert figure(a, "entry.g1").value == pytest.approx(60.606, abs=1e-3)
    (finding,) = [f for f in a.findings if f.figure == "entry.g1"]
    assert finding.severity == "high" and finding.fix == "add 1 turnstile"  # one catalog entry, plural by count


def test_high_risk_match_raises_mobile_stewards(tmp_path):
    # 45,000 expected: normal 45000 / 250 = 180 mobile stewards; high risk 45000 / 150 = 300
    geometry = "sections: [{id: s, seated: 45000}]\nexits: [{id: x, width_m: 80, type: level, serves: [s]}]\n"
    matches = (
        '  - {id: m1, date: "2030-06-10", kickoff: "20:00", risk: low, expected_attendance: 45000}\n'
        '  - {id: m2, date: "2030-06-14", kickoff: "20:00", risk: high, expected_attendance: 45000}\n'
    )
    low = venue_assessment(tmp_path / "low", geometry, 45000, matches, match="m1")
    high = venue_assessment(tmp_path / "high", geometry, 45000, matches, match="m2")
    assert figure(low, "stewards.mobile").value == 180
    assert figure(high, "stewards.mobile").value == 300
    # posts by rule, low risk: exit gate 2 + gangways ceil(45000 / 500) = 90 + pitch perimeter
    # ceil(426 / 15) = 29 + control room 2 + response teams ceil(45000 / 10000) = 5 × 6 = 30 → 153
    # supervisors ceil((153 + 180) / 10) = 34; total 153 + 180 + 34 + 1 head steward = 368
    assert (figure(low, "stewards.posts").value, figure(low, "stewards.supervisors").value) == (153, 34)
    assert figure(low, "stewards.total").value == 368
    # high risk: pitch ceil(426 / 8) = 54, response teams ceil(45000 / 5000) = 9 × 6 = 54
    # posts 2 + 90 + 54 + 2 + 54 = 202; supervisors ceil((202 + 300) / 10) = 51; total 554
    assert (figure(high, "stewards.posts").value, figure(high, "stewards.supervisors").value) == (202, 51)
    assert figure(high, "stewards.total").value == 554


def test_a_match_behind_closed_doors_is_not_a_full_house(tmp_path):
    """expected_attendance: 0 means no spectators; only an absent figure falls back to capacity."""
    geometry = "sections: [{id: s, seated: 45000}]\nexits: [{id: x, width_m: 80, type: level, serves: [s]}]\n"
    matches = (
        '  - {id: m1, date: "2030-06-10", kickoff: "20:00", risk: low, expected_attendance: 0}\n'
        '  - {id: m2, date: "2030-06-14", kickoff: "20:00", risk: low}\n'
    )
    closed = venue_assessment(tmp_path / "closed", geometry, 45000, matches, match="m1")
    full = venue_assessment(tmp_path / "full", geometry, 45000, matches, match="m2")
    assert (closed.attendance, full.attendance) == (0, 45000)
    assert figure(closed, "stewards.mobile").value == 0 and figure(full, "stewards.mobile").value == 180


def test_declared_capacity_above_safe_capacity(tmp_path):
    # 10,000 seats, 15 m stepped exit: flow 15 × 66 = 990 p/min; exit capacity 990 × 8 = 7,920
    # low fire risk: emergency 990 × 8 = 7,920
    # safe capacity = min(holding 10,000, exit 7,920, emergency 7,920) = 7,920 < 10,000 declared;
    # exit comes before emergency, so exit governs
    a = venue_assessment(
        tmp_path,
        """
        sections: [{id: north, name: North stand, seated: 10000, fire_risk: low}]
        exits: [{id: x, width_m: 15, type: stepped, serves: [north]}]
        """,
        10000,
    )
    assert a.safe_capacity == 7920 and a.sections[0].governs == "exit"
    capacity = [f for f in a.findings if f.figure == "capacity.safe"]
    assert capacity[0].severity == "critical"
    assert capacity[0].message == "declared capacity 10,000 exceeds the safe capacity 7,920"
    assert "cap ticket sales at 7,920" in capacity[0].fix


def test_standing_density_over_the_maximum(tmp_path):
    # 2,000 standing on 400 m²: 2000 / 400 × 10 = 50 per 10 m² > 47
    # holding capacity = floor(400 × 47 / 10) = 1,880 standing places
    a = venue_assessment(
        tmp_path,
        """
        sections: [{id: terrace, name: Terrace, standing: 2000, standing_area_m2: 400}]
        exits: [{id: x, width_m: 10, type: level, serves: [terrace]}]
        """,
        2000,
    )
    assert figure(a, "density.terrace").value == pytest.approx(50.0)
    assert a.sections[0].holding == 1880
    density = next(f for f in a.findings if f.figure == "density.terrace")
    assert density.severity == "critical" and density.fix.startswith("reduce standing places by 120")


def test_shared_exit_is_split_by_section_size(tmp_path):
    # a 10 m level exit serves A (6,000) and B (2,000): A gets 7.5 m, B 2.5 m
    # A: 6000 / (7.5 × 82) = 9.756 min; B: 2000 / (2.5 × 82) = 9.756 min
    a = venue_assessment(
        tmp_path,
        """
        sections: [{id: a, seated: 6000}, {id: b, seated: 2000}]
        exits: [{id: shared, width_m: 10, type: level, serves: [a, b]}]
        """,
        8000,
    )
    assert figure(a, "egress.a").value == pytest.approx(9.756, abs=1e-3)
    assert figure(a, "egress.b").value == pytest.approx(9.756, abs=1e-3)


def test_medical_provision_by_crowd_size():
    # 45,000: first aiders ceil(3 × 2 + 42 × 1) = 48; doctors above 2,000: ceil(45000 / 25000) = 2;
    # ambulances from 5,000: max(1, ceil(45000 / 25000)) = 2
    assert calc.first_aiders(45000, 2, 1, 2) == 48
    assert calc.from_threshold(45000, 2000, 25000, above=True) == 2
    assert calc.from_threshold(45000, 5000, 25000) == 2
    # 3,000: first aiders ceil(3 × 2) = 6; doctor 1 (3,000 > 2,000); no ambulance below 5,000
    assert calc.first_aiders(3000, 2, 1, 2) == 6
    assert (calc.from_threshold(3000, 2000, 25000, above=True), calc.from_threshold(3000, 5000, 25000)) == (1, 0)
    # exactly 2,000 is not above the crowd-doctor threshold; exactly 5,000 reaches the ambulance one
    assert (calc.from_threshold(2000, 2000, 25000, above=True), calc.from_threshold(5000, 5000, 25000)) == (0, 1)
    # 500: the minimum of 2 first aiders applies
    assert calc.first_aiders(500, 2, 1, 2) == 2


def test_every_figure_names_its_formula_parameters_and_confidence(tmp_path):
    a = venue_assessment(
        tmp_path, "sections: [{id: s, seated: 1000}]\nexits: [{id: x, width_m: 2, type: stepped, serves: [s]}]\n", 1000
    )
    for f in a.figures:
        assert f.formula and f.confidence in ("documented", "secondary", "assumed", "unverified")
    assert figure(a, "egress.s").unverified  # Green Guide flow rates are unverified
    assert a.unverified_parameters == ["flow_rate_level", "flow_rate_stepped"]


# --- properties -----------------------------------------------------------------------------

widths = st.floats(min_value=0.1, max_value=200, allow_nan=False)
people = st.integers(min_value=1, max_value=200_000)


@given(people, widths, widths, widths)
def test_more_exit_width_never_increases_egress(n, level, stepped, extra):
    flow = calc.element_flow(level, 1, 82) + calc.element_flow(stepped, 1, 66)
    before = calc.egress_minutes(n, flow)
    assert calc.egress_minutes(n, flow + calc.element_flow(extra, 1, 82)) <= before
    assert calc.egress_minutes(n, flow + calc.element_flow(extra, 1, 66)) <= before


@given(people, st.integers(1, 500), st.integers(1, 100))
def test_more_turnstiles_never_increase_entry(n, turnstiles, extra):
    assert calc.entry_minutes(n, turnstiles + extra, 660) <= calc.entry_minutes(n, turnstiles, 660)


@given(st.lists(st.one_of(st.none(), st.integers(0, 10**6)), min_size=1, max_size=6))
def test_safe_capacity_never_exceeds_a_component(components):
    named = dict(zip(("holding", "entry", "exit", "emergency", "concourse", "other"), components))
    safe, governs = calc.safe_capacity(named)
    assert all(safe <= c for c in components if c is not None)
    assert named.get(governs) in (safe, None)


@given(people, widths)
def test_adding_the_suggested_width_meets_the_target(n, width):
    flow = calc.element_flow(width, 1, 66)
    extra = calc.extra_exit_width_m(n, flow, 66, 8)
    assert calc.egress_minutes(n, calc.element_flow(width + extra, 1, 66)) <= 8 + 1e-9


# --- the samples ----------------------------------------------------------------------------


def sample_assessments():
    workspace, _ = load_workspace(ROOT / "samples" / "wc2030")
    for venue_id in sorted(workspace.venues()):
        plan, _ = resolve(workspace, venue_id)
        yield venue_id, assess(plan)


def test_every_wc2030_venue_produces_figures_and_some_show_findings():
    results = dict(sample_assessments())
    assert len(results) >= 12
    for venue_id, a in results.items():
        assert a.has_geometry and a.sections, venue_id
        assert {"stewards.mobile", "medical.first_aiders", "entry.venue"} <= {f.key for f in a.figures}, venue_id
    with_findings = [v for v, a in results.items() if a.findings]
    assert with_findings, "the samples were written to include venues with safety findings"


def test_cli_exit_code_follows_critical_findings(runner):
    results = dict(sample_assessments())
    critical = next(v for v, a in results.items() if a.critical_open)
    clean = next(v for v, a in results.items() if not a.findings)
    failing = runner.invoke(main, ["safety", str(ROOT / "samples" / "wc2030"), "--venue", critical])
    assert failing.exit_code == 1 and "critical" in failing.output and "fix:" in failing.output
    passing = runner.invoke(main, ["safety", str(ROOT / "samples" / "wc2030"), "--venue", clean, "--format", "json"])
    assert passing.exit_code == 0
    assert '"unverified_parameters"' in passing.output


def test_infinite_egress_is_reported_not_crashed():
    assert math.isinf(calc.egress_minutes(100, 0))
    assert math.isinf(calc.entry_minutes(100, 0, 660))


# --- words of the plan ----------------------------------------------------------------------

SNAKE_CASE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")


def test_every_figure_says_its_formula_in_words_with_parameter_labels(tmp_path):
    """The built-in library labels every safety parameter in every language: no key in a formula."""
    a = venue_assessment(
        tmp_path,
        "sections: [{id: s, seated: 1000}]\nexits: [{id: x, width_m: 2, type: stepped, serves: [s]}]\n"
        "entrances: [{id: g, turnstiles: 4, feeds: [s]}]\n",
        1000,
    )
    for lang in ("en", "fr", "ar", "es", "pt"):
        catalog = Catalog(lang)
        for f in a.figures:
            words = catalog.message(a.footnote(f.formula, 1))
            assert not SNAKE_CASE.search(words), (lang, f.key, words)
            assert "green-guide-6" not in words  # the source by the title the library gives it
    french = Catalog("fr").message(a.footnote(figure(a, "stewards.mobile").formula, 4))
    assert french == (
        "[4] affluence / spectateurs par stadier, arrondi à l’entier supérieur, avec spectateurs par stadier = 250 "
        "(selon Stewarding plan guidance, documenté)"
    )


def test_a_target_carries_the_unit_of_its_figure(tmp_path):
    a = venue_assessment(
        tmp_path, "sections: [{id: s, seated: 1000}]\nexits: [{id: x, width_m: 2, type: level, serves: [s]}]\n", 1000
    )
    egress = figure(a, "egress.s")
    assert Catalog("en").message(egress.bound()) == "≤ 8.0 mins"
    assert Catalog("ar").message(egress.bound()) == "≤ 8,0 د"
    assert figure(a, "stewards.mobile").bound() is None


def test_the_cli_table_heads_its_columns_with_catalog_words(runner):
    result = runner.invoke(main, ["safety", str(ROOT / "samples" / "wc2030"), "--venue", "ma-agadir"])
    t = catalog("en").t
    header = result.output.splitlines()[2].split()
    assert header == [t("col_figure"), t("col_value"), t("col_target"), t("col_met"), t("col_confidence")]
    assert t("cli_missed") in result.output and t("cli_met") in result.output


def test_the_authoring_guides_geometry_example_gives_the_figures_it_states(tmp_path):
    """docs/authoring.md says its example meets every target at a safe capacity of 60,000 with
    562 stewards within 900 confirmed: the example, assessed, says the same."""
    text = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    example = text.split("### geometry", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    workforce, geometry = example.split("geometry:\n", 1)  # the venue's steward_workforce, then its geometry
    match = '  - {id: m1, date: "2030-06-10", kickoff: "20:00", risk: medium}\n'
    a = venue_assessment(tmp_path, textwrap.dedent(geometry), 60000, match + workforce.split("#")[0].strip() + "\n")
    assert a.findings == [] and a.safe_capacity == 60000
    assert {s.governs for s in a.sections} == {"holding"}
    assert (figure(a, "stewards.total").value, figure(a, "stewards.total").target) == (562, 900)
    assert "a safe capacity of 60,000" in text and " 562\nstewards" in text


def test_a_post_declared_at_an_entrance_counts_for_the_section_it_feeds(tmp_path):
    # gate g feeds only s: 12 turnstiles → the rule gives ceil(12 / 3) = 4 entrance stewards in s;
    # the venue declares 5 at g with no section: they stand in s, 5 ≥ 4, no shortfall finding
    a = venue_assessment(
        tmp_path,
        """
        sections: [{id: s, seated: 4000}]
        exits: [{id: x, width_m: 10, type: level, serves: [s]}]
        entrances: [{id: g, turnstiles: 12, feeds: [s], lanes: ticket}]
        steward_posts: [{kind: entrance, at: g, stewards: 5}]
        """,
        4000,
    )
    (row,) = [r for r in a.deployment.posts if r.kind == "entrance"]
    assert (row.section, row.stewards, row.declared, row.rule) == ("s", 5, True, 4)
    assert not [f for f in a.findings if f.figure == "stewards.posts" and "entrance" in f.message]


def test_a_match_expecting_more_than_the_safe_capacity_is_named(tmp_path):
    # safe capacity 7,920 (15 m stepped × 66 × 8 min); m1 expects 9,000 > 7,920, m2 expects 7,000
    geometry = """
        sections: [{id: north, name: North stand, seated: 10000, fire_risk: low}]
        exits: [{id: x, width_m: 15, type: stepped, serves: [north]}]
        """
    matches = (
        '  - {id: m1, date: "2030-06-10", kickoff: "20:00", risk: low, expected_attendance: 9000}\n'
        '  - {id: m2, date: "2030-06-14", kickoff: "20:00", risk: low, expected_attendance: 7000}\n'
    )
    venue = venue_assessment(tmp_path / "venue", geometry, 10000, matches)
    over = [f.message for f in venue.findings if f.message.startswith("match ")]
    assert over == ["match m1 expects 9,000 spectators, more than the safe capacity 7,920"]
    m2 = venue_assessment(tmp_path / "m2", geometry, 10000, matches, match="m2")
    assert not [f for f in m2.findings if f.message.startswith("match ")]
