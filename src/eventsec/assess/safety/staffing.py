"""Who a match needs on duty: the stewarding deployment by section and kind of post, and the
medical provision by attendance band, risk and heat. Pure functions of the venue's geometry,
the match's crowd and risk, and the library's parameters (``p``, by name); docs/safety.md
works one venue by hand.

Stewarding follows the SGSA stewarding-plan approach: static posts where the ground needs
them, mobile stewards on top by a ratio to attendance, supervisors by span of control, a head
steward. A kind of post the venue declares replaces the rule that would derive it; the rules
(and their planning values) apply only where the venue is silent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from eventsec.assess.safety import calculations as calc

POST_KINDS = (
    "entrance",
    "exit",
    "gangway",
    "pitch-perimeter",
    "segregation",
    "accessible-area",
    "concourse",
    "control-room",
    "response-team",
)
"""Kinds of steward post, in the order the deployment table lists them (the venue schema's)."""

DERIVED_KINDS = ("entrance", "exit", "gangway", "pitch-perimeter", "control-room", "response-team")
"""Kinds a rule derives from the geometry when the venue declares none; the others (segregation,
accessible areas, concourses) depend on the match and the ground and are declared only."""


@dataclass(frozen=True)
class PostRow:
    """Stewards of one kind of post in one section (``section`` None: venue-wide).

    ``declared`` says whether the venue declared them or a rule derived them; ``rule`` is the
    count the rule gives for the same row (None for a kind no rule derives), so a declared
    figure below it shows."""

    kind: str
    section: str | None
    stewards: int
    declared: bool
    rule: int | None


@dataclass
class Deployment:
    """The stewarding deployment for one match (or the venue's most demanding one)."""

    risk: str
    risk_declared: bool
    attendance: int
    posts: list[PostRow] = field(default_factory=list)
    mobile: int = 0
    supervisors: int = 0
    head_steward: int = 1
    workforce: int | None = None

    @property
    def static(self) -> int:
        return sum(row.stewards for row in self.posts)

    @property
    def total(self) -> int:
        return self.static + self.mobile + self.supervisors + self.head_steward

    def by_kind(self) -> dict[str, int]:
        """Stewards per kind of post, in table order, kinds with none left out."""
        totals = {kind: 0 for kind in POST_KINDS}
        for row in self.posts:
            totals[row.kind] += row.stewards
        return {kind: count for kind, count in totals.items() if count}

    def short_of_rule(self) -> dict[str, tuple[int, int]]:
        """Kinds whose declared stewards fall below what the rule would derive: kind → (declared, rule)."""
        declared: dict[str, list[int]] = {}
        for row in self.posts:
            if row.declared and row.rule is not None:
                pair = declared.setdefault(row.kind, [0, 0])
                pair[0] += row.stewards
                pair[1] += row.rule
        return {kind: (d, r) for kind, (d, r) in declared.items() if d < r}

    def to_dict(self) -> dict:
        return {
            "risk": self.risk,
            "risk_declared": self.risk_declared,
            "attendance": self.attendance,
            "posts": [row.__dict__ for row in self.posts],
            "static": self.static,
            "mobile": self.mobile,
            "supervisors": self.supervisors,
            "head_steward": self.head_steward,
            "total": self.total,
            "workforce": self.workforce,
        }


RATIO_PARAMETERS = {"low": "steward_ratio", "medium": "steward_ratio_medium_risk", "high": "steward_ratio_high_risk"}
"""The mobile-steward ratio of each risk category."""
RULE_PARAMETERS = (
    "turnstiles_per_entrance_steward",
    "stewards_per_exit_gate",
    "stewards_per_vomitory",
    "spectators_per_gangway_steward",
    "pitch_perimeter_m",
    "pitch_steward_spacing_m",
    "pitch_steward_spacing_high_risk_m",
    "control_room_stewards",
    "response_team_size",
    "spectators_per_response_team",
    "spectators_per_response_team_high_risk",
)
"""The parameters the post rules read; the ``_high_risk`` ones only at a high-risk match."""


def ratio_parameters(risk: str) -> tuple[str, ...]:
    """The ratios a match at ``risk`` reads: its category's and every lower one's."""
    return tuple(RATIO_PARAMETERS[level] for level in calc.RISK_ORDER[: calc.RISK_ORDER.index(risk) + 1])


def rule_parameters(risk: str) -> tuple[str, ...]:
    """The post rules' parameters a match at ``risk`` reads."""
    return tuple(name for name in RULE_PARAMETERS if risk == "high" or not name.endswith("_high_risk"))


def risk_ratio(p: Mapping[str, float], risk: str) -> float:
    """Spectators per mobile steward at ``risk``: the tightest ratio of this category and every
    lower one, so an overlay that loosens a higher category never lowers the count."""
    return min(p[name] for name in ratio_parameters(risk))


def _people(section: Mapping) -> int:
    return int(section.get("seated", 0)) + int(section.get("standing", 0))


def _vomitories(geometry: Mapping) -> dict[str, int]:
    """Vomitory openings on the routes of each section (an opening shared by sections counts for
    each: a steward stands at every opening a section's spectators use)."""
    exits = {e["id"]: e for e in geometry.get("exits") or []}
    counts: dict[str, int] = {}
    for exit_ in exits.values():
        if exit_.get("element") == "vomitory":
            for section in exit_.get("serves") or []:
                counts[section] = counts.get(section, 0) + int(exit_.get("count", 1))
    return counts


def _last_elements(geometry: Mapping) -> list[str]:
    """The element each route ends at (its gate); every exit when the venue gives no routes."""
    routes = geometry.get("routes") or []
    if not routes:
        return [e["id"] for e in geometry.get("exits") or []]
    return list(dict.fromkeys(route["through"][-1] for route in routes if route.get("through")))


def rule_posts(geometry: Mapping, p: Mapping[str, float], risk: str, attendance: int) -> list[PostRow]:
    """The posts the stated rules derive from the geometry (docs/safety.md lists them)."""
    high = risk == "high"
    rows: list[PostRow] = []
    for entrance in geometry.get("entrances") or []:
        count = calc.per(entrance["turnstiles"], p["turnstiles_per_entrance_steward"])
        section = entrance["feeds"][0] if len(entrance.get("feeds") or []) == 1 else None
        rows.append(PostRow("entrance", section, count, False, count))
    exits = {e["id"]: e for e in geometry.get("exits") or []}
    for element in _last_elements(geometry):
        served = exits.get(element, {}).get("serves") or []
        count = int(p["stewards_per_exit_gate"]) * int(exits.get(element, {}).get("count", 1))
        rows.append(PostRow("exit", served[0] if len(served) == 1 else None, count, False, count))
    vomitories = _vomitories(geometry)
    for section in geometry.get("sections") or []:
        if section["id"] in vomitories:
            count = vomitories[section["id"]] * int(p["stewards_per_vomitory"])
        else:
            count = calc.per(_people(section), p["spectators_per_gangway_steward"])
        rows.append(PostRow("gangway", section["id"], count, False, count))
    # at high risk the tighter of the two values, so a loosened high-risk value never lowers the count
    spacing = (
        min(p["pitch_steward_spacing_m"], p["pitch_steward_spacing_high_risk_m"])
        if high
        else p["pitch_steward_spacing_m"]
    )
    pitch = calc.per(p["pitch_perimeter_m"], spacing)
    rows.append(PostRow("pitch-perimeter", None, pitch, False, pitch))
    rows.append(PostRow("control-room", None, int(p["control_room_stewards"]), False, int(p["control_room_stewards"])))
    per_team = p["spectators_per_response_team"]
    if high:
        per_team = min(per_team, p["spectators_per_response_team_high_risk"])
    teams = calc.per(attendance, per_team)
    team_stewards = teams * int(p["response_team_size"])
    rows.append(PostRow("response-team", None, team_stewards, False, team_stewards))
    return [row for row in rows if row.stewards]


def _served_sections(geometry: Mapping) -> dict[str, str]:
    """The one section an entrance feeds, or an exit or route serves: a post that stands ``at``
    it and names no section belongs to that section (to none when the place serves several)."""
    places = [
        (place.get("id"), place.get("feeds") or place.get("serves") or [])
        for group in ("entrances", "exits", "routes")
        for place in geometry.get(group) or []
    ]
    return {ident: served[0] for ident, served in places if len(served) == 1}


def _merge(declared: list[dict], derived: list[PostRow], served_by: Mapping[str, str]) -> list[PostRow]:
    """Declared posts replace the rule's for every kind the venue declares; each declared row
    carries the rule's count for the same kind and section, so a shortfall against it shows. A
    post ``at`` a place that serves one section counts for that section."""
    declared_kinds = {post["kind"] for post in declared}
    rule_for: dict[tuple[str, str | None], int] = {}
    for row in derived:
        if row.rule is not None:
            rule_for[(row.kind, row.section)] = rule_for.get((row.kind, row.section), 0) + row.rule
    summed: dict[tuple[str, str | None], int] = {}
    for post in declared:
        key = (post["kind"], post.get("section", served_by.get(post.get("at"))))
        summed[key] = summed.get(key, 0) + int(post["stewards"])
    rows = [
        PostRow(kind, section, count, True, rule_for.pop((kind, section), None) if kind in DERIVED_KINDS else None)
        for (kind, section), count in summed.items()
    ]
    # a declared kind whose rule put stewards in a section the venue left out shows that section as 0
    rows += [
        PostRow(kind, section, 0, True, count)
        for (kind, section), count in rule_for.items()
        if kind in declared_kinds and count
    ]
    rows += [row for row in derived if row.kind not in declared_kinds]
    order = {kind: i for i, kind in enumerate(POST_KINDS)}
    return sorted(rows, key=lambda r: (order[r.kind], r.section is not None, r.section or ""))


def steward_deployment(
    geometry: Mapping, p: Mapping[str, float], *, risk: str, risk_declared: bool, attendance: int, workforce: int | None
) -> Deployment:
    """The deployment: posts (declared or by rule), mobile stewards by the risk category's ratio,
    supervisors by span of control over both, and one head steward."""
    posts = _merge(
        list(geometry.get("steward_posts") or []), rule_posts(geometry, p, risk, attendance), _served_sections(geometry)
    )
    deployment = Deployment(risk, risk_declared, attendance, posts, workforce=workforce)
    deployment.mobile = calc.mobile_stewards(attendance, risk_ratio(p, risk))
    deployment.supervisors = calc.supervisors(deployment.static + deployment.mobile, p["supervisor_ratio"])
    return deployment


MEDICAL_RESOURCES = ("first_aiders", "doctors", "paramedic_teams", "ambulances", "medical_rooms")
"""What the medical provision counts, in the order the plan lists it."""


@dataclass(frozen=True)
class MedicalRow:
    """One medical resource: what the attendance band calls for, the factor applied and the result."""

    resource: str
    base: int
    factor: float
    required: int


@dataclass
class MedicalProvision:
    attendance: int
    risk: str
    heat: bool
    rows: list[MedicalRow] = field(default_factory=list)

    def required(self, resource: str) -> int:
        return next(row.required for row in self.rows if row.resource == resource)

    def to_dict(self) -> dict:
        return {
            "attendance": self.attendance,
            "risk": self.risk,
            "heat": self.heat,
            "rows": [row.__dict__ for row in self.rows],
        }


def medical_provision(p: Mapping[str, float], *, attendance: int, risk: str, heat: bool) -> MedicalProvision:
    """Medical provision for a crowd, by attendance band (the thresholds of the Gibson report and
    the Purple Guide, planning values beyond them), raised at high risk and in heat.

    People-based resources are multiplied by the risk factor at a high-risk match and by the heat
    factor where the venue's heat risk is high (Green Guide Ch. 18 asks the medical plan to
    follow the event's risk assessment); medical rooms are rooms and do not scale with either.
    """
    factor = (p["medical_high_risk_factor"] if risk == "high" else 1.0) * (p["medical_heat_factor"] if heat else 1.0)
    factor = max(factor, 1.0)
    base = {
        "first_aiders": calc.first_aiders(
            attendance,
            p["first_aiders_per_1000"],
            p["first_aiders_per_1000_above_3000"],
            int(p["first_aiders_minimum"]),
        ),
        "doctors": calc.from_threshold(
            attendance, int(p["doctor_threshold"]), p["spectators_per_crowd_doctor"], above=True
        ),
        "paramedic_teams": calc.from_threshold(
            attendance, int(p["ambulance_threshold"]), p["spectators_per_paramedic_team"]
        ),
        "ambulances": calc.from_threshold(attendance, int(p["ambulance_threshold"]), p["spectators_per_ambulance"]),
        "medical_rooms": calc.per(attendance, p["spectators_per_medical_room"]),
    }
    provision = MedicalProvision(attendance, risk, heat)
    for resource in MEDICAL_RESOURCES:
        applied = 1.0 if resource == "medical_rooms" else factor
        provision.rows.append(MedicalRow(resource, base[resource], applied, calc.scaled(base[resource], applied)))
    return provision
