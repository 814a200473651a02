"""The safety method worked by hand: one venue of tests/fixtures/safety_method per case, every
figure computed line by line in the comments from the built-in library's default parameters
(docs/safety.md lists them): flow rates 82 p/m/min level and 66 stepped, egress target 8 min,
emergency time 8 / 6 / 2.5 min by fire risk, lanes 660 / 540 / 360 per hour, entry period 60 min,
47 per 10 m² on terraces, 2 per m² on concourses, queues and fan zones; stewarding and medical
rules as in the comments."""

from __future__ import annotations

import functools
import json

import pytest

from eventsec.assess.safety.assessment import PARAMETERS, SafetyAssessment, assess
from eventsec.assess.safety.staffing import medical_provision
from eventsec.checks.validate import builtin_documents, load_workspace
from eventsec.cli import main
from eventsec.load.workspace import Workspace
from eventsec.plan.resolve import resolve
from tests.conftest import FIXTURES, ROOT

WORKSPACE = FIXTURES / "safety_method"


@functools.cache
def workspace() -> Workspace:
    loaded, result = load_workspace(WORKSPACE)
    assert loaded is not None, [f"{f.location} {f.message}" for f in result.findings]
    return loaded


def assessed(venue: str, match: str | None = None) -> SafetyAssessment:
    plan, findings = resolve(workspace(), venue, match)
    assert plan is not None, findings
    return assess(plan)


def value(assessment: SafetyAssessment, key: str) -> float:
    return next(f.value for f in assessment.figures if f.key == key)


def section(assessment: SafetyAssessment, sid: str):
    return next(s for s in assessment.sections if s.section == sid)


def route(assessment: SafetyAssessment, rid: str):
    return next(r for r in assessment.routes if r.route == rid)


def findings(assessment: SafetyAssessment, figure: str) -> list:
    return [f for f in assessment.findings if f.figure == figure]


def test_the_fixture_workspace_validates_clean():
    _, result = load_workspace(WORKSPACE)
    assert not result.findings


# --- capacity -------------------------------------------------------------------------------


def test_a_route_whose_vomitories_govern():
    # North Stand, 4,000 seats, S = P = 1.0, fire risk low; one route vomitories → stair → gate:
    #   vomitories  1.6 m × 4 openings × 66 (stepped) = 422.4 p/min   ← the least: it governs
    #   stair       8 m × 1 × 66 (stepped)            = 528.0 p/min
    #   gate        10 m × 1 × 82 (level)             = 820.0 p/min
    # route flow = 422.4 p/min; egress = 4000 / 422.4 = 9.470 min > 8
    # exit capacity      = floor(422.4 × 8) = floor(3379.2) = 3,379
    # emergency capacity = floor(422.4 × 8 (low fire risk)) = 3,379
    # holding = floor(4000 × 1.0) = 4,000; no entrances, no concourse
    # safe = min(4000, 3379, 3379) = 3,379: exit governs (the first of equal components)
    # fix: needed flow 4000 / 8 = 500 p/min; (500 − 422.4) / 66 = 1.176 → 1.2 m of stepped width;
    #      places over: 4000 − 3379 = 621
    a = assessed("vomitory-governs")
    north = route(a, "north-route")
    assert north.flow == pytest.approx(422.4)
    assert (north.governing, north.governing_name) == ("north-voms", "North vomitories")
    assert value(a, "egress.north") == pytest.approx(9.470, abs=1e-3)
    s = section(a, "north")
    assert (s.holding, s.entry, s.exit, s.emergency, s.concourse) == (4000, None, 3379, 3379, None)
    assert (s.safe, s.governs, s.bottleneck) == (3379, "exit", "North vomitories")
    (finding,) = findings(a, "egress.north")
    assert finding.severity == "critical"
    assert (
        finding.fix
        == "widen North vomitories, the element that governs, by 1.2 m of stepped width (or move 621 places)"
    )


def test_a_shared_concourse_is_apportioned_between_the_routes_through_it():
    # West 3,000 and East 1,000 seats; each route vomitories → South concourse (shared) → own gate.
    # demand: west-route 3000 (one route), east-route 1000; through the concourse 3000 + 1000 = 4000
    # concourse 5 m × 82 = 410 p/min, shared: west 410 × 3000/4000 = 307.5, east 410 × 1000/4000 = 102.5
    # west-route: vomitories 1.8 × 3 × 66 = 356.4, concourse 307.5, gate 4 × 82 = 328 → 307.5 (concourse)
    # east-route: vomitories 1.8 × 1 × 66 = 118.8, concourse 102.5, gate 2 × 82 = 164 → 102.5 (concourse)
    # egress west 3000 / 307.5 = 9.756 min, east 1000 / 102.5 = 9.756 min
    # exit = emergency (low: 8 min): west floor(307.5 × 8) = 2,460, east floor(102.5 × 8) = 820
    # safe: west min(3000, 2460, 2460) = 2,460, east min(1000, 820, 820) = 820, exit governs both
    # venue safe capacity 2460 + 820 = 3,280
    a = assessed("shared-concourse")
    for rid, flow in (("west-route", 307.5), ("east-route", 102.5)):
        assert route(a, rid).flow == pytest.approx(flow)
        assert route(a, rid).governing == "south-concourse"
    assert value(a, "egress.west") == pytest.approx(9.756, abs=1e-3)
    assert value(a, "egress.east") == pytest.approx(9.756, abs=1e-3)
    west, east = section(a, "west"), section(a, "east")
    assert (west.exit, west.emergency, west.safe, west.governs) == (2460, 2460, 2460, "exit")
    assert (east.exit, east.emergency, east.safe, east.governs) == (820, 820, 820, "exit")
    assert west.bottleneck == east.bottleneck == "South concourse"
    assert value(a, "capacity.safe") == 3280


def test_a_section_on_two_routes_splits_its_demand_between_them():
    # Upper Tier 4,000 (fire risk medium) on two routes: demand 4000 / 2 = 2,000 on each.
    # Lower Tier 2,000 (low) on one route: demand 2,000. East gate carries upper-east and lower-east.
    # upper-north: vomitories 1.6 × 3 × 66 = 316.8; North gate 5 × 82 = 410        → 316.8 (vomitories)
    # upper-east:  stair 4 × 66 = 264; East gate 6 × 82 = 492 × 2000 / 4000 = 246  → 246.0 (East gate)
    # lower-east:  vomitories 1.8 × 2 × 66 = 237.6; East gate 246                   → 237.6 (vomitories)
    # Upper flow 316.8 + 246 = 562.8 p/min: egress 4000 / 562.8 = 7.107 min;
    #   exit floor(562.8 × 8) = floor(4502.4) = 4,502; emergency floor(562.8 × 6) = floor(3376.8) = 3,376
    #   safe min(4000, 4502, 3376) = 3,376: emergency governs; the most constrained route is
    #   upper-east (2000 / 246 = 8.13 against 2000 / 316.8 = 6.31): East gate is shown
    # Lower flow 237.6: egress 2000 / 237.6 = 8.418 min; exit = emergency floor(1900.8) = 1,900: exit governs
    a = assessed("two-routes")
    flows = {r.route: (round(r.flow, 1), r.governing) for r in a.routes}
    assert flows == {
        "upper-north": (316.8, "upper-voms"),
        "upper-east": (246.0, "east-gate"),
        "lower-east": (237.6, "lower-voms"),
    }
    assert value(a, "egress.upper") == pytest.approx(7.107, abs=1e-3)
    assert value(a, "egress.lower") == pytest.approx(8.418, abs=1e-3)
    upper, lower = section(a, "upper"), section(a, "lower")
    assert (upper.exit, upper.emergency, upper.safe, upper.governs, upper.bottleneck) == (
        4502,
        3376,
        3376,
        "emergency",
        "East gate",
    )
    assert (lower.exit, lower.emergency, lower.safe, lower.governs, lower.bottleneck) == (
        1900,
        1900,
        1900,
        "exit",
        "Lower vomitories",
    )


def test_widening_a_shared_element_is_sized_for_the_share_the_section_gets():
    # The West route gets 3000/4000 of whatever the South concourse passes, so to give it the
    # 3000 / 8 = 375 p/min it needs the concourse must pass 375 / 0.75 = 500 p/min:
    #   500 / 82 = 6.098 m, 1.098 m more than its 5 m → "by 1.1 m". The East route likewise:
    #   1000 / 8 = 125 p/min; 125 / 0.25 = 500 p/min → the same 1.1 m.
    # (Widening by the 0.8 m the engine suggests gives 5.8 × 82 × 0.75 = 356.7 p/min: 8.41 min.)
    a = assessed("shared-concourse")
    (west,) = findings(a, "egress.west")
    (east,) = findings(a, "egress.east")
    assert west.fix == "widen South concourse, the element that governs, by 1.1 m (or move 540 places)"
    assert east.fix == "widen South concourse, the element that governs, by 1.1 m (or move 180 places)"


def test_a_safety_management_factor_of_0_9_reduces_holding_capacity():
    # East Stand: 10,000 seats, 1,800 standing on 400 m²; S = 0.9, P = 0.95 → f = min(0.9, 0.95) = 0.9
    # seats    floor(10000 × 0.9) = 9,000
    # standing min(1800, floor(400 × 47 / 10 × 0.9)) = min(1800, floor(1880 × 0.9)) = min(1800, 1692) = 1,692
    # holding  9000 + 1692 = 10,692 (without the factors: 10000 + min(1800, 1880) = 11,800)
    # terrace density 1800 / 400 × 10 = 45.0 per 10 m² ≤ 47: met
    # exit 40 m × 82 = 3280 p/min: exit = emergency (low) = floor(3280 × 8) = 26,240
    # safe = min(10692, 26240, 26240) = 10,692: holding governs; declared 11,800 > 10,692 → critical
    a = assessed("safety-factor")
    s = section(a, "east")
    assert (s.factor, s.holding, s.exit, s.emergency) == (0.9, 10692, 26240, 26240)
    assert (s.safe, s.governs) == (10692, "holding")
    assert s.factors_source == "Fixture values (a new stewarding contractor)"
    assert value(a, "holding.east") == 10692
    assert value(a, "density.east") == pytest.approx(45.0)
    assert not findings(a, "holding.east")  # both factors declared: no finding asks for them
    (capacity,) = findings(a, "capacity.safe")
    assert capacity.severity == "critical" and "1,108" in capacity.fix  # 11800 − 10692 = 1,108


def test_emergency_time_by_fire_risk_category_and_the_high_end_for_an_undeclared_one():
    # Four sections of 5,000 seats, each with its own 10 m level exit: 10 × 82 = 820 p/min
    # egress 5000 / 820 = 6.098 min; exit capacity floor(820 × 8) = 6,560 for each
    # emergency: low     floor(820 × 8)   = 6,560 → safe min(5000, 6560, 6560) = 5,000 holding
    #            medium  floor(820 × 6)   = 4,920 → safe 4,920 emergency
    #            high    floor(820 × 2.5) = 2,050 → safe 2,050 emergency
    #            unsaid  as high (2.5 min): 2,050 emergency, and a finding asks for the category
    # fix for high: 5000 / 2.5 = 2000 p/min needed; (2000 − 820) / 82 = 14.39 → 14.4 m;
    #               places over 5000 − 2050 = 2,950
    # venue safe capacity 5000 + 4920 + 2050 + 2050 = 14,020
    a = assessed("fire-risk")
    expected = {
        "low": (8, 6560, 5000, "holding"),
        "medium": (6, 4920, 4920, "emergency"),
        "high": (2.5, 2050, 2050, "emergency"),
        "unsaid": (2.5, 2050, 2050, "emergency"),
    }
    for sid, (minutes, emergency, safe, governs) in expected.items():
        s = section(a, sid)
        assert (s.emergency_min, s.exit, s.emergency, s.safe, s.governs) == (minutes, 6560, emergency, safe, governs)
        assert value(a, f"egress.{sid}") == pytest.approx(6.098, abs=1e-3)
    assert section(a, "unsaid").fire_risk is None and section(a, "high").fire_risk == "high"
    assert value(a, "capacity.safe") == 14020
    (high,) = findings(a, "egress.high")
    assert high.severity == "critical"
    assert high.message == "Temporary Stand egress 6.1 mins against a target of 2.5 mins"
    assert high.fix == "widen Temporary Stand exit, the element that governs, by 14.4 m (or move 2,950 places)"
    assert not findings(a, "egress.low")  # 6.1 min within 8
    assert sorted(f.severity for f in findings(a, "egress.unsaid")) == ["critical", "medium"]


def test_a_search_lane_is_slower_than_a_bare_turnstile():
    # Four gates of 10 turnstiles, each feeding one section; a lane admits per minute:
    #   ticket 660 / 60 = 11, Fan ID 540 / 60 = 9, search 360 / 60 = 6, undeclared = search 6
    # entry time: ticket 6000 / (10 × 11) = 54.55 min ≤ 60
    #             fan-id 6000 / (10 × 9)  = 66.67 min > 60 → add ceil(6000 / (9 × 60)) − 10 = 12 − 10 = 2
    #             search 6000 / (10 × 6)  = 100.0 min > 60 → add ceil(6000 / (6 × 60)) − 10 = 17 − 10 = 7
    #             unsaid 3000 / (10 × 6)  = 50.0 min ≤ 60, and a finding: it does not say its lanes
    # entry capacity over 60 min: ticket 10 × 660 = 6,600; fan-id 10 × 540 = 5,400; search and
    #             unsaid 10 × 360 = 3,600
    # one 100 m level exit for all: 8200 p/min split by people, ticket 8200 × 6000 / 21000 = 2342.9
    #             p/min → exit = emergency floor(2342.86 × 8) = 18,742 (unsaid: 9,371)
    # safe: ticket min(6000, 6600, 18742) = 6,000 holding; fan-id 5,400 entry; search 3,600 entry;
    #       unsaid min(3000, 3600, 9371) = 3,000 holding
    # whole venue: 21000 people / ((6600 + 5400 + 3600 + 3600) / 60 = 320 per min) = 65.625 min
    a = assessed("lane-types")
    assert value(a, "entry.gate-ticket") == pytest.approx(54.545, abs=1e-3)
    assert value(a, "entry.gate-fanid") == pytest.approx(66.667, abs=1e-3)
    assert value(a, "entry.gate-search") == pytest.approx(100.0)
    assert value(a, "entry.gate-unsaid") == pytest.approx(50.0)
    assert value(a, "entry.venue") == pytest.approx(65.625)
    expected = {
        "ticket": (6600, 18742, 6000, "holding"),
        "fanid": (5400, 18742, 5400, "entry"),
        "search": (3600, 18742, 3600, "entry"),
        "unsaid": (3600, 9371, 3000, "holding"),
    }
    for sid, (entry, exit_, safe, governs) in expected.items():
        s = section(a, sid)
        assert (s.entry, s.exit, s.safe, s.governs) == (entry, exit_, safe, governs), sid
    assert [f.fix for f in findings(a, "entry.gate-fanid")] == ["add 2 turnstiles"]
    assert [f.fix for f in findings(a, "entry.gate-search")] == ["add 7 turnstiles"]
    assert not findings(a, "entry.gate-ticket")
    (unsaid,) = findings(a, "entry.gate-unsaid")
    assert unsaid.severity == "medium" and "slowest rate" in unsaid.message


def test_density_by_area_type():
    # Kop terrace: 2,500 standing on 500 m²: 2500 / 500 × 10 = 50.0 per 10 m² > 47 → critical;
    #   allowed floor(500 × 47 / 10) = 2,350 → 2500 − 2350 = 150 places too many, or
    #   2500 × 10 / 47 − 500 = 531.91 − 500 = 31.9 m² more standing area
    # holding = min(2500, floor(500 × 47 / 10 × 1.0)) = 2,350
    # concourse 1,000 m² at 2 per m² (concourse density) = 2,000 → the concourse capacity
    # exit 40 × 82 = 3280 p/min → exit = emergency = 26,240
    # safe = min(2350, 26240, 26240, 2000) = 2,000: the concourse governs
    # queue 300 m² at 2 per m² (queue density) = 600; fan park 5,000 m² at 2 per m² (fan-zone density) = 10,000
    a = assessed("area-densities")
    assert value(a, "density.terrace") == pytest.approx(50.0)
    (density,) = findings(a, "density.terrace")
    assert density.severity == "critical"
    assert density.fix == "reduce standing places by 150 or add 31.9 m² of standing area"
    s = section(a, "terrace")
    assert (s.holding, s.concourse, s.exit, s.safe, s.governs) == (2350, 2000, 26240, 2000, "concourse")
    areas = {f.key: (f.value, f.parameters) for f in a.figures if f.key.startswith("area.")}
    assert areas == {
        "area.kop-queue": (600, ("queue_density_per_m2",)),
        "area.fan-park": (10000, ("fan_zone_density_per_m2",)),
    }


# --- stewarding -----------------------------------------------------------------------------


def test_stewarding_by_rule_at_low_and_at_high_risk():
    # 30,000 expected; North 12,000 (vomitories 10 openings), South 18,000 (a stair, no vomitory);
    # entrances of 20 and 31 turnstiles; one route per section ending at its gate; workforce 300.
    # posts by rule                          low risk                     high risk
    #   entrance   ceil(20 / 3), ceil(31 / 3)   7 + 11 = 18                  18
    #   exit       2 per route's gate           2 + 2 = 4                    4
    #   gangway    north 10 vomitories × 1      10                           10
    #              south ceil(18000 / 500)      36                           36
    #   pitch      ceil(426 / 15) = ceil(28.4)  29    ceil(426 / 8) = ceil(53.25) = 54
    #   control room                            2                            2
    #   response   ceil(30000 / 10000) × 6      18    ceil(30000 / 5000) × 6 = 36
    #   posts                                   117                          160
    # mobile       30000 / 250                  120   30000 / 150            200
    # supervisors  ceil((117 + 120) / 10)       24    ceil((160 + 200) / 10) 36
    # head steward                              1                            1
    # total        117 + 120 + 24 + 1           262   160 + 200 + 36 + 1     397
    # workforce 300: low covers it; high is 97 short (300 ≥ posts + supervisors 196: high, not critical)
    expected = {
        "rule-low": (
            {"entrance": 18, "exit": 4, "gangway": 46, "pitch-perimeter": 29, "control-room": 2, "response-team": 18},
            117,
            120,
            24,
            262,
        ),
        "rule-high": (
            {"entrance": 18, "exit": 4, "gangway": 46, "pitch-perimeter": 54, "control-room": 2, "response-team": 36},
            160,
            200,
            36,
            397,
        ),
    }
    for match, (kinds, posts, mobile, supervisors, total) in expected.items():
        a = assessed("stewarding-by-rule", match)
        d = a.deployment
        assert d.by_kind() == kinds
        assert (d.static, d.mobile, d.supervisors, d.head_steward, d.total) == (posts, mobile, supervisors, 1, total)
        assert all(not row.declared for row in d.posts)
        assert (value(a, "stewards.posts"), value(a, "stewards.total")) == (posts, total)
    gangways = {
        r.section: r.stewards
        for r in assessed("stewarding-by-rule", "rule-low").deployment.posts
        if r.kind == "gangway"
    }
    assert gangways == {"north": 10, "south": 36}
    low, high = assessed("stewarding-by-rule", "rule-low"), assessed("stewarding-by-rule", "rule-high")
    assert not findings(low, "stewards.total") and not findings(low, "stewards.posts")
    (short,) = findings(high, "stewards.total")
    assert short.severity == "high"
    assert short.message == "the deployment needs 397 stewards; the contractor has confirmed 300, 97 short"
    assert [f.message for f in findings(high, "stewards.posts")] == [
        "no segregation posts are declared for a high-risk match"
    ]


def test_a_declared_kind_of_post_replaces_its_rule():
    # The same ground with exit (north 4), gangway (north 14, south 30), pitch-perimeter (40) and
    # segregation (south 12) posts declared; entrance, control room and response teams stay by rule.
    #   exit      north 4 declared (rule 2); south left out: 0, shown against its rule 2
    #   gangway   14 + 30 = 44 declared, below the rule's 10 + 36 = 46 → a medium finding
    #   pitch     40 whatever the risk: above the rule's 29 at low risk, below its 54 at high risk
    # posts low  18 + 4 + 44 + 40 + 12 + 2 + 18 = 138; mobile 120; supervisors ceil(258 / 10) = 26;
    #            total 138 + 120 + 26 + 1 = 285 ≤ 300
    # posts high 18 + 4 + 44 + 40 + 12 + 2 + 36 = 156; mobile 200; supervisors ceil(356 / 10) = 36;
    #            total 156 + 200 + 36 + 1 = 393 → 93 short; segregation declared: no finding for it
    low = assessed("stewarding-declared", "declared-low")
    rows = {(r.kind, r.section): (r.stewards, r.declared, r.rule) for r in low.deployment.posts}
    assert rows[("exit", "north")] == (4, True, 2)
    assert rows[("exit", "south")] == (0, True, 2)
    assert rows[("gangway", "north")] == (14, True, 10)
    assert rows[("gangway", "south")] == (30, True, 36)
    assert rows[("pitch-perimeter", None)] == (40, True, 29)  # 40 ≥ ceil(426 / 15) = 29
    assert rows[("segregation", "south")] == (12, True, None)
    assert rows[("entrance", "south")] == (11, False, 11)
    d = low.deployment
    assert (d.static, d.mobile, d.supervisors, d.total) == (138, 120, 26, 285)
    (gangway,) = findings(low, "stewards.posts")
    assert (
        gangway.message
        == "declared gangway and vomitory posts hold 44 stewards, fewer than the 46 the stated rule gives"
    )
    high = assessed("stewarding-declared", "declared-high")
    d = high.deployment
    assert (d.static, d.mobile, d.supervisors, d.total) == (156, 200, 36, 393)
    assert d.by_kind()["pitch-perimeter"] == 40
    assert not any("segregation" in f.message for f in high.findings)


def test_declared_pitch_perimeter_posts_below_the_rule_show():
    # At the high-risk match the rule gives ceil(426 / 8) = 54 pitch-perimeter stewards; the venue
    # declares 40. PostRow.rule is "the count the rule gives for the same row (None for a kind no
    # rule derives)", and a rule does derive this kind: the row should carry 54 and the
    # deployment report 40 < 54 as it does for gangways.
    high = assessed("stewarding-declared", "declared-high")
    rows = {(r.kind, r.section): (r.stewards, r.rule) for r in high.deployment.posts}
    assert rows[("pitch-perimeter", None)] == (40, 54)
    assert high.deployment.short_of_rule()["pitch-perimeter"] == (40, 54)


def test_entrance_posts_declared_by_gate_count_for_the_sections_their_gates_feed():
    # 8 stewards at north-entrance (20 turnstiles, rule ceil(20 / 3) = 7) and 12 at south-entrance
    # (31 turnstiles, rule ceil(31 / 3) = 11): each gate feeds one section, so its posts count
    # there: north 8 against 7, south 12 against 11; 20 declared, more than the rule's 18 → no
    # shortfall, and no section's entrance row reads 0.
    a = assessed("stewarding-at-gates", "gates-low")
    rows = {(r.kind, r.section): (r.stewards, r.declared, r.rule) for r in a.deployment.posts if r.kind == "entrance"}
    assert rows == {("entrance", "north"): (8, True, 7), ("entrance", "south"): (12, True, 11)}
    assert a.deployment.by_kind()["entrance"] == 20
    assert "entrance" not in a.deployment.short_of_rule()
    assert all(row.stewards for row in a.deployment.posts if row.kind == "entrance")


# --- medical --------------------------------------------------------------------------------

MEDICAL_CASES = {
    # attendance a; first aiders max(2, ceil(min(a, 3000) / 1000 × 2 + max(0, a − 3000) / 1000 × 1));
    # doctors ceil(a / 25000) above 2,000; paramedic teams ceil(a / 10000) and ambulances
    # ceil(a / 25000) from 5,000; medical rooms ceil(a / 30000)
    # a1500:  FA max(2, ceil(3.0)) = 3;        doctors 0 (≤ 2,000); teams 0, ambulances 0 (< 5,000); rooms 1
    "a1500": {"first_aiders": 3, "doctors": 0, "paramedic_teams": 0, "ambulances": 0, "medical_rooms": 1},
    # a2000:  FA ceil(4.0) = 4;                doctors 0 (2,000 is not above 2,000); rooms 1
    "a2000": {"first_aiders": 4, "doctors": 0, "paramedic_teams": 0, "ambulances": 0, "medical_rooms": 1},
    # a5000:  FA ceil(6 + 2) = 8; doctors ceil(0.2) = 1; teams ceil(0.5) = 1; ambulances ceil(0.2) = 1; rooms 1
    "a5000": {"first_aiders": 8, "doctors": 1, "paramedic_teams": 1, "ambulances": 1, "medical_rooms": 1},
    # a20000: FA ceil(6 + 17) = 23; doctors ceil(0.8) = 1; teams ceil(2.0) = 2; ambulances 1; rooms ceil(0.67) = 1
    "a20000": {"first_aiders": 23, "doctors": 1, "paramedic_teams": 2, "ambulances": 1, "medical_rooms": 1},
    # a60000 (medium risk, factor 1): FA ceil(6 + 57) = 63; doctors ceil(2.4) = 3; teams 6;
    #         ambulances ceil(2.4) = 3; rooms ceil(2.0) = 2
    "a60000": {"first_aiders": 63, "doctors": 3, "paramedic_teams": 6, "ambulances": 3, "medical_rooms": 2},
    # a60000 at high risk (× 1.25, rooms unscaled): FA ceil(78.75) = 79; doctors ceil(3.75) = 4;
    #         teams ceil(7.5) = 8; ambulances ceil(3.75) = 4; rooms 2
    "a60000-high": {"first_aiders": 79, "doctors": 4, "paramedic_teams": 8, "ambulances": 4, "medical_rooms": 2},
}


@pytest.mark.parametrize("match", MEDICAL_CASES)
def test_medical_provision_by_attendance_band_and_risk(match):
    a = assessed("medical-bands", match)
    assert {row.resource: row.required for row in a.medical.rows} == MEDICAL_CASES[match]
    for resource, required in MEDICAL_CASES[match].items():
        assert value(a, f"medical.{resource}") == required
    assert not a.has_geometry  # the medical figures need no geometry


def test_heat_raises_the_medical_provision():
    # 60,000 at a ground whose heat risk is high: bases 63 / 3 / 6 / 3 (rooms 2, never scaled)
    #   heat alone × 1.5:            FA ceil(94.5) = 95; doctors ceil(4.5) = 5; teams 9; ambulances 5
    #   heat and high risk × 1.875:  FA ceil(118.125) = 119; doctors ceil(5.625) = 6;
    #                                teams ceil(11.25) = 12; ambulances 6
    heat = assessed("medical-heat", "heat-a60000").medical
    both = assessed("medical-heat", "heat-a60000-high").medical
    assert {r.resource: (r.base, r.factor, r.required) for r in heat.rows} == {
        "first_aiders": (63, 1.5, 95),
        "doctors": (3, 1.5, 5),
        "paramedic_teams": (6, 1.5, 9),
        "ambulances": (3, 1.5, 5),
        "medical_rooms": (2, 1.0, 2),
    }
    assert [
        both.required(r) for r in ("first_aiders", "doctors", "paramedic_teams", "ambulances", "medical_rooms")
    ] == [
        119,
        6,
        12,
        6,
        2,
    ]


# --- docs/safety.md stays true --------------------------------------------------------------

DOC = ROOT / "docs" / "safety.md"


def doc_table(first_header: str) -> tuple[list[str], list[list[str]]]:
    """The header and body rows of docs/safety.md's table whose header starts with
    ``first_header``, cells stripped."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_header} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(cells(line))
    return cells(lines[start]), rows


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def doc_rows(first_header: str) -> list[list[str]]:
    return doc_table(first_header)[1]


def library_parameters() -> dict[str, tuple[str, dict]]:
    """Every parameter the built-in library declares: name → (protocol id, declaration)."""
    return {
        name: (document.data["id"], declaration)
        for document in builtin_documents()
        if document.kind == "protocol"
        for name, declaration in (document.data.get("parameters") or {}).items()
    }


def test_docs_list_every_safety_parameter_with_its_default_source_and_confidence():
    declared = library_parameters()
    rows = {row[0].strip("`"): row for row in doc_rows("parameter")}
    triggers = {  # CRW-009's, read by no figure
        "stairs_density_trigger_per_m2",
        "concourse_density_trigger_per_m2",
        "seated_occupancy_max",
    }
    assert set(rows) == set(PARAMETERS) | triggers
    for name in (*PARAMETERS, *sorted(triggers)):
        protocol, declaration = declared[name]
        _, doc_protocol, shown, _, source, confidence = rows[name]
        assert doc_protocol == protocol, name
        assert float(shown.replace(",", "")) == declaration["default"], name
        assert confidence.split(" ")[0] == declaration["confidence"], name
        if declaration["confidence"] == "assumed":
            assert source == "—" and confidence.startswith("assumed (planning value)"), name
        else:
            assert source != "—", name


DOC_CONDITIONS = {
    "low or medium risk": (("low", "medium"), False),
    "high risk": (("high",), False),
    "low or medium risk, heat": (("low", "medium"), True),
    "high risk, heat": (("high",), True),
}


def test_the_docs_medical_band_table_is_what_the_engine_computes():
    defaults = {name: declaration["default"] for name, (_, declaration) in library_parameters().items()}
    rows = doc_rows("attendance")
    assert {row[1] for row in rows} == set(DOC_CONDITIONS)
    assert len(rows) == 8 * len(DOC_CONDITIONS)
    for attendance, condition, *shown in rows:
        risks, heat = DOC_CONDITIONS[condition]
        for risk in risks:
            provision = medical_provision(defaults, attendance=int(attendance.replace(",", "")), risk=risk, heat=heat)
            order = ("first_aiders", "doctors", "paramedic_teams", "ambulances", "medical_rooms")
            assert [provision.required(r) for r in order] == [int(n) for n in shown], (attendance, condition, risk)


WORKED = ("samples/afcon2025", "ma-rabat-olympic-annex", "m011")
"""The venue docs/safety.md works by hand: workspace, venue, match."""


def count(cell: str) -> int | str:
    return int(cell.replace(",", "")) if cell.replace(",", "").isdigit() else cell


def test_the_docs_worked_venue_is_what_eventsec_safety_prints(runner):
    workspace, venue, match = WORKED
    result = runner.invoke(
        main, ["safety", str(ROOT / workspace), "--venue", venue, "--match", match, "--format", "json"]
    )
    printed = json.loads(result.output)
    sections = {s["section"]: s for s in printed["sections"]}
    (_, *header), rows = doc_table("section figure")
    for figure, *shown in rows:
        for sid, cell in zip(header, shown, strict=True):
            assert sections[sid][figure] == count(cell), (sid, figure)
    assert printed["safe_capacity"] == sum(s["safe"] for s in sections.values())
    deployment = printed["deployment"]
    stewarding = {
        "posts": "static",
        "mobile": "mobile",
        "supervisors": "supervisors",
        "head steward": "head_steward",
        "total": "total",
    }
    assert {stewarding[name]: count(cell) for name, cell in doc_rows("stewarding")} == {
        key: deployment[key] for key in stewarding.values()
    }
    medical = {
        row["resource"].replace("_", " ").replace("doctors", "crowd doctors"): row["required"]
        for row in printed["medical"]["rows"]
    }
    assert {name: count(cell) for name, cell in doc_rows("medical")} == medical


def test_crw_009s_moving_crowd_triggers_sit_below_the_densities_areas_are_sized_at():
    """A trigger at the sizing density fires only once a concourse is full: the library's
    concourse trigger is below its concourse density, and no trigger reaches the terrace maximum."""
    declared = {name: declaration["default"] for name, (_, declaration) in library_parameters().items()}
    assert declared["concourse_density_trigger_per_m2"] < declared["holding_density_per_m2"]
    for trigger in ("concourse_density_trigger_per_m2", "stairs_density_trigger_per_m2"):
        assert declared[trigger] < declared["max_standing_density_per_10m2"] / 10
