"""Properties of the safety method over generated venues: exit width only ever helps, risk and
attendance only ever raise the stewarding deployment and the medical provision.

One plan of the hand-worked fixture workspace is resolved once; each example replaces its venue
geometry and match (the assessment reads nothing else of them) and assesses it again."""

from __future__ import annotations

import copy
import dataclasses
import functools

from hypothesis import given, settings
from hypothesis import strategies as st

from eventsec.assess.safety.assessment import SafetyAssessment, assess
from eventsec.assess.safety.calculations import RISK_ORDER
from eventsec.assess.safety.staffing import MEDICAL_RESOURCES, POST_KINDS
from eventsec.checks.validate import load_workspace
from eventsec.plan.model import Plan
from eventsec.plan.resolve import resolve
from tests.conftest import FIXTURES

FEW = settings(max_examples=40, deadline=None)


@functools.cache
def base_plan() -> Plan:
    workspace, _ = load_workspace(FIXTURES / "safety_method")
    plan, _ = resolve(workspace, "vomitory-governs", None)
    return plan


def assessed(
    geometry: dict, *, risk: str = "low", attendance: int | None = None, heat: bool = False
) -> SafetyAssessment:
    plan = base_plan()
    venue = {**plan.venue, "geometry": geometry, "features": {"heat_risk": "high" if heat else "low"}}
    match = {"id": "generated", "risk": risk}
    if attendance is not None:
        match["expected_attendance"] = attendance
    return assess(dataclasses.replace(plan, venue=venue, match=match))


@st.composite
def venues(draw) -> dict:
    """1–3 sections, each leaving by its own vomitories and gate, all through one shared concourse
    when drawn so (apportioned); some with a second route by a stair; entrances of drawn lanes and
    declared posts of drawn kinds."""
    count = draw(st.integers(1, 3))
    sections, exits, routes, entrances = [], [], [], []
    width = st.floats(0.5, 30, allow_nan=False).map(lambda w: round(w, 1))
    shared = draw(st.booleans())
    ids = [f"s{i}" for i in range(count)]
    if shared:
        exits.append(
            {"id": "concourse", "element": "concourse", "type": "level", "width_m": draw(width), "serves": ids}
        )
    for sid in ids:
        section = {"id": sid, "seated": draw(st.integers(0, 20000)), "standing": 0}
        if draw(st.booleans()):
            section["standing"] = draw(st.integers(1, 5000))
            section["standing_area_m2"] = draw(st.integers(1, 2000))
        section["fire_risk"] = draw(st.sampled_from(["low", "medium", "high"]))
        for factor in ("s_factor", "p_factor"):
            if draw(st.booleans()):
                section[factor] = draw(st.sampled_from([0.8, 0.9, 1.0]))
        sections.append(section)
        exits.append(
            {
                "id": f"{sid}-voms",
                "element": "vomitory",
                "type": "stepped",
                "width_m": draw(width),
                "count": draw(st.integers(1, 12)),
                "serves": [sid],
            }
        )
        exits.append({"id": f"{sid}-gate", "element": "gate", "type": "level", "width_m": draw(width), "serves": [sid]})
        middle = ["concourse"] if shared else []
        routes.append({"id": f"{sid}-main", "serves": [sid], "through": [f"{sid}-voms", *middle, f"{sid}-gate"]})
        if draw(st.booleans()):
            exits.append(
                {"id": f"{sid}-stair", "element": "stair", "type": "stepped", "width_m": draw(width), "serves": [sid]}
            )
            routes.append({"id": f"{sid}-stair-route", "serves": [sid], "through": [f"{sid}-stair"]})
        entrances.append(
            {
                "id": f"{sid}-in",
                "turnstiles": draw(st.integers(1, 60)),
                "lanes": draw(st.sampled_from(["ticket", "fan-id", "search"])),
                "feeds": [sid],
            }
        )
    declared = draw(st.lists(st.sampled_from(POST_KINDS), max_size=4, unique=True))
    posts = [
        {"kind": kind, "section": draw(st.sampled_from(ids)), "stewards": draw(st.integers(1, 40))} for kind in declared
    ]
    return {"sections": sections, "exits": exits, "routes": routes, "entrances": entrances, "steward_posts": posts}


def capacities(assessment: SafetyAssessment) -> dict[str, tuple[int, int, int]]:
    return {s.section: (s.exit, s.emergency, s.safe) for s in assessment.sections}


def resized(geometry: dict, element_id: str, change: float) -> dict:
    """The geometry with exit element ``element_id`` ``change`` metres wider (never below 0.5 m)."""
    changed = copy.deepcopy(geometry)
    element = next(e for e in changed["exits"] if e["id"] == element_id)
    element["width_m"] = max(0.5, round(element["width_m"] + change, 1))
    return changed


def an_element(data: st.DataObject, geometry: dict, assessment: SafetyAssessment) -> str:
    """An element to resize: mostly one that governs a route (where a change shows), else any."""
    governing = sorted({r.governing for r in assessment.routes})
    every = [e["id"] for e in geometry["exits"]]
    return data.draw(st.sampled_from(governing) if data.draw(st.integers(0, 3)) else st.sampled_from(every))


@FEW
@given(venues(), st.data(), st.floats(0.1, 20, allow_nan=False))
def test_more_exit_width_never_lowers_exit_emergency_or_safe_capacity(geometry, data, extra):
    base = assessed(geometry)
    before = capacities(base)
    after = capacities(assessed(resized(geometry, an_element(data, geometry, base), extra)))
    for sid, (exit_, emergency, safe) in before.items():
        assert after[sid][0] >= exit_ and after[sid][1] >= emergency and after[sid][2] >= safe, sid


@FEW
@given(venues(), st.data(), st.floats(0.1, 20, allow_nan=False))
def test_a_narrower_element_never_raises_exit_emergency_or_safe_capacity(geometry, data, cut):
    base = assessed(geometry)
    before = capacities(base)
    after = capacities(assessed(resized(geometry, an_element(data, geometry, base), -cut)))
    for sid, (exit_, emergency, safe) in before.items():
        assert after[sid][0] <= exit_ and after[sid][1] <= emergency and after[sid][2] <= safe, sid


def staffing(assessment: SafetyAssessment) -> dict[str, int]:
    """Every part of the deployment (each kind of post too) and every medical resource."""
    d = assessment.deployment
    kinds = d.by_kind()
    parts = {
        "static": d.static,
        "mobile": d.mobile,
        "supervisors": d.supervisors,
        "head_steward": d.head_steward,
        "total": d.total,
        **{f"post:{kind}": kinds.get(kind, 0) for kind in POST_KINDS},
    }
    return parts | {f"medical:{r}": assessment.medical.required(r) for r in MEDICAL_RESOURCES}


def never_lower(before: dict[str, int], after: dict[str, int]) -> None:
    lowered = {name: (before[name], after[name]) for name in before if after[name] < before[name]}
    assert not lowered


@FEW
@given(venues(), st.integers(0, 120000), st.booleans(), st.sampled_from([(0, 1), (1, 2), (0, 2)]))
def test_a_higher_risk_category_never_lowers_stewards_or_medical_provision(geometry, attendance, heat, pair):
    lower, higher = (RISK_ORDER[i] for i in pair)
    never_lower(
        staffing(assessed(geometry, risk=lower, attendance=attendance, heat=heat)),
        staffing(assessed(geometry, risk=higher, attendance=attendance, heat=heat)),
    )


@FEW
@given(venues(), st.integers(0, 120000), st.integers(1, 60000), st.sampled_from(RISK_ORDER), st.booleans())
def test_more_attendance_never_lowers_stewards_or_medical_provision(geometry, attendance, more, risk, heat):
    never_lower(
        staffing(assessed(geometry, risk=risk, attendance=attendance, heat=heat)),
        staffing(assessed(geometry, risk=risk, attendance=attendance + more, heat=heat)),
    )


@FEW
@given(st.integers(0, 120000), st.integers(0, 120000), st.sampled_from(RISK_ORDER))
def test_medical_provision_only_grows_with_the_crowd_and_heat(a, b, risk):
    """Medical provision alone, for a venue without geometry (the figures need none)."""
    low, high = sorted((a, b))
    empty = {"sections": []}

    def medical(**options) -> dict[str, int]:
        return {r: assessed(empty, risk=risk, **options).medical.required(r) for r in MEDICAL_RESOURCES}

    cool = medical(attendance=low)
    never_lower(cool, medical(attendance=high))
    never_lower(cool, medical(attendance=low, heat=True))
