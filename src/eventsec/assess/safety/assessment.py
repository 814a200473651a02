"""Apply the safety calculations to a resolved plan: figures with their formula, source and
confidence, and a finding (with a fix) for every figure that misses its target.

Shared entrances and holding areas are apportioned to the sections they serve in proportion to
each section's places; a shared exit element, to the routes through it by their demand. Section figures assume a full house; steward
and medical figures use the match's expected attendance (or the declared capacity).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from eventsec.assess.safety import calculations as calc
from eventsec.assess.safety.staffing import (
    RATIO_PARAMETERS,
    RULE_PARAMETERS,
    Deployment,
    MedicalProvision,
    medical_provision,
    ratio_parameters,
    rule_parameters,
    steward_deployment,
)
from eventsec.errors import ContentError
from eventsec.i18n import english
from eventsec.i18n.message import Items, Message, Number, Translated
from eventsec.plan.model import Plan

PARAMETERS = (
    "turnstile_rate_per_hour",
    "turnstile_rate_fan_id_per_hour",
    "turnstile_rate_search_per_hour",
    "entry_time_target_min",
    "flow_rate_level",
    "flow_rate_stepped",
    "egress_target_min",
    "emergency_evacuation_low_fire_risk_min",
    "emergency_evacuation_medium_fire_risk_min",
    "emergency_evacuation_high_fire_risk_min",
    "max_standing_density_per_10m2",
    "holding_density_per_m2",
    "queue_density_per_m2",
    "fan_zone_density_per_m2",
    *RATIO_PARAMETERS.values(),
    "supervisor_ratio",
    *RULE_PARAMETERS,
    "first_aiders_per_1000",
    "first_aiders_per_1000_above_3000",
    "first_aiders_minimum",
    "doctor_threshold",
    "spectators_per_crowd_doctor",
    "ambulance_threshold",
    "spectators_per_ambulance",
    "spectators_per_paramedic_team",
    "spectators_per_medical_room",
    "medical_high_risk_factor",
    "medical_heat_factor",
)
"""Parameters the calculations read; the built-in library declares every one."""

CONFIDENCE_ORDER = ("documented", "secondary", "assumed", "unverified")
SEVERITY_ORDER = ("critical", "high", "medium", "low")
UNIT_KEYS = {
    "min": "safety_value_min",
    "persons per 10 m²": "safety_value_density",
    "people": "safety_value_people",
    "stewards": "safety_value_stewards",
    "supervisors": "safety_value_supervisors",
    "first aiders": "safety_value_first_aiders",
    "doctors": "safety_value_doctors",
    "ambulances": "safety_value_ambulances",
    "paramedic teams": "safety_value_paramedic_teams",
    "medical rooms": "safety_value_medical_rooms",
}
"""The catalog entry that writes a figure's value with its unit (plural forms by the value)."""
CLDR_UNITS = {"min": "duration-minute"}
"""Units CLDR knows, written by Babel in each language; the others are catalog plurals."""


class MissingParameters(ContentError):
    """The plan's library does not declare parameters the calculations need."""


@dataclass
class Figure:
    """One computed figure and what it is compared with. ``title`` names it in any language;
    ``unit`` stays the English unit name the JSON output has always carried."""

    key: str
    title: Message
    value: float
    unit: str
    formula: str
    parameters: tuple[str, ...]
    confidence: str
    target: float | None = None
    section: str | None = None
    formula_text: Message | None = None
    """The formula in words of any language, parameters by their labels (``formula`` is the
    English one with parameter keys that the CLI and the JSON output carry)."""

    @property
    def label(self) -> str:
        """The figure's name in English (the CLI's and the JSON output's)."""
        return english(self.title)

    @property
    def decimals(self) -> int:
        """Times and densities to a tenth; counts of people, staff and vehicles whole."""
        return 1 if self.unit in ("min", "persons per 10 m²") else 0

    def amount(self, value: float | None = None) -> Message:
        """The value (or another, such as the target) with its unit: "6.7 min", "1 doctor"."""
        shown = self.value if value is None else value
        return Message(UNIT_KEYS[self.unit], {"count": Number(float(shown), self.decimals, CLDR_UNITS.get(self.unit))})

    def bound(self) -> Message | None:
        """The target as the plan writes it, unit included ("≤ 8.0 min"); None without a target."""
        return None if self.target is None else Message("safety_target", {"amount": self.amount(self.target)})

    @property
    def met(self) -> bool:
        return self.target is None or self.value <= self.target

    @property
    def unverified(self) -> bool:
        return self.confidence == "unverified"

    def to_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "value": _json_number(self.value),
            "unit": self.unit,
            "formula": self.formula,
            "parameters": list(self.parameters),
            "confidence": self.confidence,
            "target": self.target,
            "section": self.section,
            "met": self.met,
        }


@dataclass
class SafetyFinding:
    """A figure that misses its target, how serious it is and what would fix it: ``summary``
    and ``remedy`` in any language, ``message`` and ``fix`` in English."""

    severity: str
    figure: str
    summary: Message
    remedy: Message
    section: str | None = None

    @property
    def message(self) -> str:
        return english(self.summary)

    @property
    def fix(self) -> str:
        return english(self.remedy)

    def to_dict(self) -> dict:
        return {
            "severity": self.severity,
            "figure": self.figure,
            "message": self.message,
            "fix": self.fix,
            "section": self.section,
        }


@dataclass(frozen=True)
class ParameterNote:
    """A parameter as footnotes name it: "entry time target = 60", its source's title (or id;
    None without a source) and its confidence."""

    value: Message
    source: str | None
    confidence: str


CAPACITIES = ("holding", "entry", "exit", "emergency", "concourse")
"""A section's capacities, in the order the Green Guide method takes the least of them (the
first of equal ones governs)."""


@dataclass
class SectionCapacity:
    """The Green Guide capacities of one section; ``safe`` is the lowest and ``governs`` names it
    (holding, entry, exit, emergency or concourse). ``bottleneck`` is the name of the exit
    element that governs the section's most constrained route; ``factor`` the lower of (S) and
    (P) (None when the venue declares neither), ``fire_risk`` the category its emergency time
    comes from (None when undeclared: the conservative high category applies)."""

    section: str
    name: str
    people: int
    holding: int
    entry: int | None
    exit: int
    emergency: int
    concourse: int | None
    safe: int
    governs: str = "holding"
    bottleneck: str | None = None
    factor: float | None = None
    factors_source: str | None = None
    fire_risk: str | None = None
    emergency_min: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class RouteCapacity:
    """One exit route: the flow it passes (people per minute) and the element that governs it."""

    route: str
    name: str
    sections: tuple[str, ...]
    flow: float
    governing: str
    governing_name: str
    share: float = 1.0
    """The part of the governing element's flow this route gets (1 unless the element is shared)."""

    def to_dict(self) -> dict:
        return {**asdict(self), "flow": round(self.flow, 2), "share": round(self.share, 4)}


@dataclass
class SafetyAssessment:
    """Everything ``eventsec safety`` prints and the PDF's venue profile shows."""

    venue: str
    match: str | None
    attendance: int
    declared_capacity: int
    figures: list[Figure] = field(default_factory=list)
    sections: list[SectionCapacity] = field(default_factory=list)
    findings: list[SafetyFinding] = field(default_factory=list)
    parameters: dict[str, dict] = field(default_factory=dict)
    has_geometry: bool = True
    parameter_notes: dict[str, ParameterNote] = field(default_factory=dict)
    """What a footnote says of each parameter: label and value, source title, confidence."""
    routes: list[RouteCapacity] = field(default_factory=list)
    deployment: Deployment | None = None
    medical: MedicalProvision | None = None

    def footnote(self, formula: str, number: int) -> Message:
        """The footnote of the figures computed by ``formula``: the formula in words and the
        parameters they read by label, those with the same source and confidence together ("[2]
        people / (turnstiles × turnstile rate per hour / 60), with turnstile rate per hour = 660
        (from Guide to Safety at Sports Grounds, documented)")."""
        figures = [f for f in self.figures if f.formula == formula]
        groups: dict[tuple[str | None, str], list[Message]] = {}
        for name in dict.fromkeys(name for f in figures for name in f.parameters):
            note = self.parameter_notes[name]
            groups.setdefault((note.source, note.confidence), []).append(note.value)
        said = tuple(
            Message(
                _note_key(source, confidence),
                {
                    "parameters": Items(tuple(values)),
                    "confidence": Message(f"confidence_{confidence}"),
                    **({"source": source} if source else {}),
                },
            )
            for (source, confidence), values in groups.items()
        )
        return Message(
            "safety_footnote", {"number": str(number), "formula": figures[0].formula_text, "parameters": said}
        )

    @property
    def safe_capacity(self) -> int:
        return sum(s.safe for s in self.sections)

    @property
    def critical_open(self) -> bool:
        return any(f.severity == "critical" for f in self.findings)

    @property
    def unverified_parameters(self) -> list[str]:
        return sorted(name for name, p in self.parameters.items() if p.get("confidence") == "unverified")

    def to_dict(self) -> dict:
        return {
            "venue": self.venue,
            "match": self.match,
            "attendance": self.attendance,
            "declared_capacity": self.declared_capacity,
            "safe_capacity": self.safe_capacity if self.has_geometry else None,
            "figures": [f.to_dict() for f in self.figures],
            "sections": [s.to_dict() for s in self.sections],
            "findings": [f.to_dict() for f in self.findings],
            "routes": [r.to_dict() for r in self.routes],
            "deployment": self.deployment.to_dict() if self.deployment else None,
            "medical": self.medical.to_dict() if self.medical else None,
            "parameters": self.parameters,
            "unverified_parameters": self.unverified_parameters,
        }


def _note_key(source: str | None, confidence: str) -> str:
    """How a footnote names where parameters come from: a source for sourced figures; an assumed
    figure says it is a planning value and what it was derived from, so it never reads as sourced."""
    if confidence == "assumed":
        return "safety_note_assumed" if source else "safety_note_assumed_unsourced"
    return "safety_note_source" if source else "safety_note_unsourced"


def assess(plan: Plan) -> SafetyAssessment:
    """Safety figures and findings for the plan's venue (and match, if resolved with one)."""
    missing = [name for name in PARAMETERS if name not in plan.parameters or plan.parameters[name].value is None]
    if missing:
        raise MissingParameters(f"the library does not declare (or set) parameters: {', '.join(missing)}")
    return _Assessor(plan).run()


def _json_number(value: float) -> float | str:
    if math.isinf(value):
        return "inf"
    return round(value, 2)


def _decimals(value: float) -> int:
    """The decimals a parameter's value is written with (0.5 → 1, 660 → 0)."""
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _minutes(value: float, decimals: int) -> Number:
    """Minutes, which Babel writes with the unit's word in each language ("6.7 mins", "6,7 د")."""
    return Number(value, decimals, CLDR_UNITS["min"])


def _count(key: str, count: int) -> Message:
    """A count with its noun, in the plural form the count takes ("1 place", "2 places")."""
    return Message(key, {"count": count})


LANE_RATES = {
    "ticket": "turnstile_rate_per_hour",
    "fan-id": "turnstile_rate_fan_id_per_hour",
    "search": "turnstile_rate_search_per_hour",
}
"""The parameter that rates a turnstile lane of each type; an entrance that does not say takes
the slowest, search."""


def lane_rate(entrance: dict) -> str:
    """The rate parameter of an entrance's lanes (search, the slowest, when it does not say)."""
    return LANE_RATES[entrance.get("lanes", "search")]


FIRE_RISK_TIMES = {
    "low": "emergency_evacuation_low_fire_risk_min",
    "medium": "emergency_evacuation_medium_fire_risk_min",
    "high": "emergency_evacuation_high_fire_risk_min",
}
"""The emergency evacuation time of each fire-risk category; an undeclared section takes high's,
the conservative end of the 2.5–8 minute range."""


def fire_risk_time(fire_risk: str | None) -> str:
    """The emergency-time parameter of a fire-risk category (high's when undeclared)."""
    return FIRE_RISK_TIMES[fire_risk or "high"]


AREA_DENSITIES = {
    "concourse": "holding_density_per_m2",
    "queue": "queue_density_per_m2",
    "fan-zone": "fan_zone_density_per_m2",
}
"""The planning density of each kind of holding area."""


class _Assessor:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.p = {name: plan.parameters[name].value for name in PARAMETERS}
        venue = plan.venue
        self.geometry = venue.get("geometry") or {}
        match = plan.match or {}
        attendance = match.get("expected_attendance")  # 0 is a match behind closed doors, not a full house
        self.attendance = int(venue["capacity"] if attendance is None else attendance)
        risks = [match.get("risk")] if plan.match else [m.get("risk") for m in venue.get("matches") or []]
        declared = [r for r in risks if r in calc.RISK_ORDER]
        self.risk_declared = bool(declared)
        self.risk = max(declared, key=calc.RISK_ORDER.index) if declared else "medium"
        workforce = match.get("steward_workforce", venue.get("steward_workforce"))
        self.workforce = None if workforce is None else int(workforce)
        self.heat = (venue.get("features") or {}).get("heat_risk") == "high"
        self.result = SafetyAssessment(venue["id"], match.get("id"), self.attendance, int(venue["capacity"]))
        self.result.parameters = {name: plan.parameters[name].to_dict() for name in PARAMETERS}
        self.result.parameter_notes = {name: self.note(name) for name in PARAMETERS}

    def label(self, name: str) -> Translated:
        """A parameter's label with its translations; its key in words where it has none."""
        return self.plan.parameters[name].label

    def note(self, name: str) -> ParameterNote:
        parameter = self.plan.parameters[name]
        source = parameter.declaration.get("source")
        value = Message(
            "safety_note_value",
            {"label": self.label(name), "value": Number(parameter.value, _decimals(parameter.value))},
        )
        return ParameterNote(value, source and (self.plan.reference_title(source) or source), parameter.confidence)

    def confidence(self, *names: str) -> str:
        levels = [self.plan.parameters[n].confidence for n in names]
        return max(levels, key=lambda c: CONFIDENCE_ORDER.index(c) if c in CONFIDENCE_ORDER else len(CONFIDENCE_ORDER))

    def figure(
        self,
        key: str,
        title: Message,
        value: float,
        unit: str,
        formula: str,
        parameters: tuple[str, ...],
        target: float | None = None,
        section: str | None = None,
        *,
        words: Message,
    ) -> Figure:
        made = Figure(
            key,
            title,
            value,
            unit,
            formula,
            parameters,
            self.confidence(*parameters) if parameters else "documented",
            target,
            section,
            words,
        )
        self.result.figures.append(made)
        return made

    def find(self, severity: str, figure: Figure, summary: Message, remedy: Message) -> None:
        self.result.findings.append(SafetyFinding(severity, figure.key, summary, remedy, figure.section))

    def run(self) -> SafetyAssessment:
        sections = self.geometry.get("sections") or []
        if sections:
            self.assess_sections(sections)
            self.assess_entrances(sections)
            self.assess_areas()
            self.assess_capacity()
        else:
            self.result.has_geometry = False
        self.assess_stewarding()
        self.assess_medical()
        self.result.findings.sort(key=lambda f: (SEVERITY_ORDER.index(f.severity), f.figure))
        return self.result

    # -- sections ------------------------------------------------------------
    def people(self, section: dict) -> int:
        return int(section.get("seated", 0)) + int(section.get("standing", 0))

    def shares(self, served: list[str], sections: dict[str, dict]) -> dict[str, float]:
        """How a shared entrance or holding area splits between the sections it serves (by their people)."""
        counts = {s: self.people(sections[s]) for s in served if s in sections}
        total = sum(counts.values())
        return {s: (c / total if total else 1 / len(counts)) for s, c in counts.items()}

    def apportion(
        self, places: list[dict], link: str, by_id: dict[str, dict], amount: Callable[[dict], float]
    ) -> dict[str, float]:
        """Each section's part of an amount that places (entrances, holding areas) share between
        the sections they list under ``link``, in proportion to the sections' people."""
        parts: dict[str, float] = {}
        for place in places:
            for section, share in self.shares(place[link], by_id).items():
                parts[section] = parts.get(section, 0.0) + amount(place) * share
        return parts

    def routes(self) -> list[dict]:
        """The venue's routes; without any, each exit is a route of its own for the sections it serves."""
        declared = self.geometry.get("routes") or []
        if declared:
            return declared
        return [
            {"id": e["id"], "name": e.get("name"), "serves": e["serves"], "through": [e["id"]]}
            for e in self.geometry.get("exits") or []
        ]

    def route_flows(
        self, by_id: dict[str, dict]
    ) -> tuple[dict[str, float], dict[str, RouteCapacity], dict[str, dict[str, float]]]:
        """Each section's exit flow (people per minute), each route's capacity, and each section's
        demand on each of its routes.

        A section's people split evenly between its routes (its demand on each); an element on
        several routes gives each route the share of its flow that the route's demand is of all
        the demand through it; a route passes the least of its elements' shares (elements in
        series), and gives each section it serves the part its demand is of the route's."""
        exits = {e["id"]: e for e in self.geometry.get("exits") or []}
        routes = [r for r in self.routes() if all(e in exits for e in r["through"])]
        routes_of: dict[str, list[str]] = {s: [] for s in by_id}
        for route in routes:
            for s in route["serves"]:
                if s in routes_of:
                    routes_of[s].append(route["id"])
        demand = {
            route["id"]: {s: self.people(by_id[s]) / len(routes_of[s]) for s in route["serves"] if s in by_id}
            for route in routes
        }
        through: dict[str, float] = {}
        for route in routes:
            for element in dict.fromkeys(route["through"]):
                through[element] = through.get(element, 0.0) + sum(demand[route["id"]].values())
        rate = {"level": self.p["flow_rate_level"], "stepped": self.p["flow_rate_stepped"]}
        users = {e: sum(1 for r in routes if e in r["through"]) for e in exits}
        flows: dict[str, float] = {s: 0.0 for s in by_id}
        capacities: dict[str, RouteCapacity] = {}
        for route in routes:
            own = sum(demand[route["id"]].values())
            elements = list(dict.fromkeys(route["through"]))
            shares = [own / through[e] if through[e] else 1 / users[e] for e in elements]
            available = [
                calc.element_flow(exits[e]["width_m"], int(exits[e].get("count", 1)), rate[exits[e]["type"]]) * share
                for e, share in zip(elements, shares)
            ]
            flow, governing = calc.route_flow(available)
            element = exits[elements[governing]]
            capacities[route["id"]] = RouteCapacity(
                route["id"],
                route.get("name") or route["id"],
                tuple(route["serves"]),
                flow,
                element["id"],
                element.get("name") or element["id"],
                shares[governing],
            )
            for s, d in demand[route["id"]].items():
                flows[s] += flow * (d / own if own else 1 / len(demand[route["id"]]))
        return flows, capacities, demand

    def assess_sections(self, sections: list[dict]) -> None:
        by_id = {s["id"]: s for s in sections}
        flows, routes, demand = self.route_flows(by_id)
        self.result.routes = list(routes.values())
        p = self.p
        entrances = self.geometry.get("entrances") or []
        entry_capacity = self.apportion(
            entrances, "feeds", by_id, lambda e: e["turnstiles"] * p[lane_rate(e)] * p["entry_time_target_min"] / 60.0
        )
        areas = [a for a in self.geometry.get("holding_areas") or [] if a.get("area_type", "concourse") == "concourse"]
        concourse = self.apportion(areas, "serves", by_id, lambda a: a["area_m2"])
        for sid, section in by_id.items():
            name = section.get("name", sid)
            people = self.people(section)
            flow = flows[sid]
            fire_risk = section.get("fire_risk")
            emergency_min = p[fire_risk_time(fire_risk)]
            egress = self.figure(
                f"egress.{sid}",
                Message("safety_figure_egress", {"name": name}),
                calc.egress_minutes(people, flow),
                "min",
                "people / Σ routes of min over elements (width × count × flow rate × share)",
                ("flow_rate_level", "flow_rate_stepped", "egress_target_min", fire_risk_time(fire_risk)),
                p["egress_target_min"],
                sid,
                words=Message(
                    "safety_formula_egress_routes",
                    {"level": self.label("flow_rate_level"), "stepped": self.label("flow_rate_stepped")},
                ),
            )
            own_routes = [routes[r] for r in routes if sid in demand[r]]
            bottleneck = max(
                own_routes, key=lambda r: demand[r.route][sid] / r.flow if r.flow else math.inf, default=None
            )
            route_demand = sum(demand[bottleneck.route].values()) if bottleneck else 0.0
            part = demand[bottleneck.route][sid] / route_demand if route_demand else 1.0
            self.egress_finding(egress, name, people, flow, emergency_min, bottleneck, part)
            if fire_risk is None:
                self.find(
                    "medium",
                    egress,
                    Message("safety_finding_fire_risk", {"name": name, "minutes": _minutes(emergency_min, 1)}),
                    Message("safety_fix_fire_risk"),
                )
            standing = int(section.get("standing", 0))
            area = section.get("standing_area_m2")
            if standing and area is not None:
                self.density_figure(sid, name, standing, area)
            factors = [section[k] for k in ("s_factor", "p_factor") if k in section]
            factor = min(factors) if factors else None
            holding = calc.holding_capacity(
                int(section.get("seated", 0)), standing, area, p["max_standing_density_per_10m2"], factor or 1.0
            )
            holding_figure = self.figure(
                f"holding.{sid}",
                Message("safety_figure_holding", {"name": name}),
                holding,
                "people",
                "floor(seated × min(S, P)) + min(standing, floor(area × max density / 10 × min(S, P)))",
                ("max_standing_density_per_10m2",),
                section=sid,
                words=Message("safety_formula_holding", {"density": self.label("max_standing_density_per_10m2")}),
            )
            if len(factors) < 2:
                self.find(
                    "medium",
                    holding_figure,
                    Message("safety_finding_factors", {"name": name}),
                    Message("safety_fix_factors"),
                )
            entry = math.floor(entry_capacity.get(sid, 0.0) + 1e-9) if entrances else None
            exit_cap = calc.exit_capacity(flow, p["egress_target_min"])
            emergency = calc.exit_capacity(flow, emergency_min)
            hold_area = calc.area_capacity(concourse[sid], p["holding_density_per_m2"]) if sid in concourse else None
            safe, governs = calc.safe_capacity(dict(zip(CAPACITIES, (holding, entry, exit_cap, emergency, hold_area))))
            self.result.sections.append(
                SectionCapacity(
                    sid,
                    name,
                    people,
                    holding,
                    entry,
                    exit_cap,
                    emergency,
                    hold_area,
                    safe,
                    governs,
                    bottleneck.governing_name if bottleneck else None,
                    factor,
                    section.get("factors_source"),
                    fire_risk,
                    emergency_min,
                )
            )

    def density_figure(self, sid: str, name: str, standing: int, area: float) -> None:
        p = self.p
        density = calc.standing_density_per_10m2(standing, area)
        fig = self.figure(
            f"density.{sid}",
            Message("safety_figure_density", {"name": name}),
            density,
            "persons per 10 m²",
            "standing / standing area × 10",
            ("max_standing_density_per_10m2",),
            p["max_standing_density_per_10m2"],
            sid,
            words=Message("safety_formula_density"),
        )
        if not fig.met:
            allowed = math.floor(area * p["max_standing_density_per_10m2"] / 10)
            extra_area = standing * 10 / p["max_standing_density_per_10m2"] - area
            self.find(
                "critical",
                fig,
                Message(
                    "safety_finding_density",
                    {"name": name, "density": Number(density, 1), "maximum": Number(fig.target, 1)},
                ),
                Message("safety_fix_density", {"places": standing - allowed, "area": Number(extra_area, 1)}),
            )

    def egress_finding(
        self,
        figure: Figure,
        name: str,
        people: int,
        flow: float,
        emergency_min: float,
        bottleneck: RouteCapacity | None,
        part: float = 1.0,
    ) -> None:
        """A missed egress or emergency time, with the width the governing element needs: only the
        route's share of a shared element, and the section's part of the route, reach the section
        (``part``), so the width is sized for that."""
        p = self.p
        if figure.value > emergency_min:
            severity, target = "critical", min(emergency_min, p["egress_target_min"])
        elif not figure.met:
            severity, target = "high", p["egress_target_min"]
        else:
            return
        exits = {e["id"]: e for e in self.geometry.get("exits") or []}
        kind = exits[bottleneck.governing]["type"] if bottleneck else "level"
        rate = p["flow_rate_stepped"] if kind == "stepped" else p["flow_rate_level"]
        share = bottleneck.share * part if bottleneck else 1.0
        extra = calc.extra_exit_width_m(people, flow, rate, target, share)
        self.find(
            severity,
            figure,
            Message(
                "safety_finding_egress",
                {"name": name, "minutes": _minutes(figure.value, 1), "target": _minutes(target, 1)},
            ),
            Message(
                f"safety_fix_egress_{kind}" if bottleneck is None else f"safety_fix_egress_at_{kind}",
                {
                    "width": Number(extra, 1),
                    "places": _count("safety_places", people - math.floor(flow * target)),
                    **({"element": bottleneck.governing_name} if bottleneck else {}),
                },
            ),
        )

    # -- entry ---------------------------------------------------------------
    def assess_entrances(self, sections: list[dict]) -> None:
        by_id = {s["id"]: s for s in sections}
        p = self.p
        entrances = self.geometry.get("entrances") or []
        if not entrances:
            return
        fed = {e["id"]: 0.0 for e in entrances}
        for section_id in by_id:
            feeding = [e for e in entrances if section_id in e["feeds"]]
            total = sum(e["turnstiles"] for e in feeding)
            for entrance in feeding:
                fed[entrance["id"]] += self.people(by_id[section_id]) * (entrance["turnstiles"] / total if total else 0)
        for entrance in entrances:
            rate_name = lane_rate(entrance)
            people = round(fed[entrance["id"]])
            minutes = calc.entry_minutes(people, entrance["turnstiles"], p[rate_name])
            fig = self.figure(
                f"entry.{entrance['id']}",
                Message("safety_figure_entry", {"name": entrance.get("name", entrance["id"])}),
                minutes,
                "min",
                f"people / (turnstiles × {rate_name} / 60)",
                (rate_name, "entry_time_target_min"),
                p["entry_time_target_min"],
                entrance["id"],
                words=Message("safety_formula_entry", {"rate": self.label(rate_name)}),
            )
            if "lanes" not in entrance:
                self.find(
                    "medium",
                    fig,
                    Message("safety_finding_lanes", {"name": entrance.get("name", entrance["id"])}),
                    Message("safety_fix_lanes"),
                )
            if not fig.met:
                extra = calc.extra_turnstiles(people, entrance["turnstiles"], p[rate_name], p["entry_time_target_min"])
                self.find(
                    "high",
                    fig,
                    Message(
                        "safety_finding_entry",
                        {
                            "figure": fig.title,
                            "minutes": _minutes(minutes, 1),
                            "people": _count("safety_people", people),
                            "target": _minutes(fig.target, 0),
                        },
                    ),
                    _count("safety_fix_entry", extra),
                )
        total_people = sum(self.people(s) for s in sections)
        admitted_per_hour = sum(e["turnstiles"] * p[lane_rate(e)] for e in entrances)
        rates = tuple(dict.fromkeys(lane_rate(e) for e in entrances))
        self.figure(
            "entry.venue",
            Message("safety_figure_entry_venue"),
            calc.entry_minutes(total_people, 1, admitted_per_hour),
            "min",
            "people / (Σ turnstiles × lane rate / 60)",
            (*rates, "entry_time_target_min"),
            p["entry_time_target_min"],
            words=Message("safety_formula_entry_venue"),
        )

    def assess_areas(self) -> None:
        """Queue and fan-zone areas: the people each holds at its kind's planning density."""
        for area in self.geometry.get("holding_areas") or []:
            kind = area.get("area_type", "concourse")
            if kind == "concourse":
                continue
            density = AREA_DENSITIES[kind]
            self.figure(
                f"area.{area['id']}",
                Message(f"safety_figure_area_{kind.replace('-', '_')}", {"name": area.get("name", area["id"])}),
                calc.area_capacity(area["area_m2"], self.p[density]),
                "people",
                f"area × {density}",
                (density,),
                section=area["id"],
                words=Message("safety_formula_area", {"density": self.label(density)}),
            )

    def assess_capacity(self) -> None:
        safe = self.result.safe_capacity
        declared = self.result.declared_capacity
        fig = self.figure(
            "capacity.safe",
            Message("safety_figure_capacity"),
            safe,
            "people",
            "Σ sections of min(holding, entry, exit, emergency, concourse capacity)",
            tuple(
                dict.fromkeys(
                    (
                        *(lane_rate(e) for e in self.geometry.get("entrances") or []),
                        "entry_time_target_min",
                        "flow_rate_level",
                        "flow_rate_stepped",
                        "egress_target_min",
                        *(fire_risk_time(s.fire_risk) for s in self.result.sections),
                        "max_standing_density_per_10m2",
                    )
                )
            ),
            words=Message("safety_formula_capacity"),
        )
        self.matches_over(fig, safe)
        if safe < declared:
            limiting = sorted((s for s in self.result.sections if s.safe < s.people), key=lambda s: s.safe - s.people)
            where = tuple((s.name, s.people - s.safe) for s in limiting[:4])
            self.find(
                "critical",
                fig,
                Message("safety_finding_capacity", {"declared": declared, "safe": safe}),
                Message("safety_fix_capacity", {"safe": safe, "sections": where}),
            )

    def matches_over(self, fig: Figure, safe: int) -> None:
        """A match that expects more spectators than the safe capacity: the plan's match, or each
        of the venue's matches in a venue plan (the declared capacity's finding does not name it)."""
        matches = [self.plan.match] if self.plan.match else self.plan.venue.get("matches") or []
        for match in matches:
            expected = match.get("expected_attendance")
            if expected is not None and expected > safe:
                values = {"match": match["id"], "attendance": int(expected), "safe": safe}
                self.find(
                    "critical",
                    fig,
                    Message("safety_finding_match_over_capacity", values),
                    Message("safety_fix_match_over_capacity", values),
                )

    # -- staffing ------------------------------------------------------------
    def assess_stewarding(self) -> None:
        p = self.p
        deployment = steward_deployment(
            self.geometry,
            p,
            risk=self.risk,
            risk_declared=self.risk_declared,
            attendance=self.attendance,
            workforce=self.workforce,
        )
        self.result.deployment = deployment
        ratios, rules = ratio_parameters(self.risk), rule_parameters(self.risk)
        risk = Message(f"risk_{self.risk}")
        posts = self.figure(
            "stewards.posts",
            Message("safety_figure_steward_posts"),
            deployment.static,
            "stewards",
            "Σ posts by kind: declared, else by rule",
            rules,
            words=Message("safety_formula_steward_posts"),
        )
        self.figure(
            "stewards.mobile",
            Message("safety_figure_stewards_mobile"),
            deployment.mobile,
            "stewards",
            "ceil(attendance / spectators per steward at the match's risk)",
            ratios,
            words=Message(
                "safety_formula_stewards_mobile_risk", {"ratio": self.label(RATIO_PARAMETERS[self.risk]), "risk": risk}
            ),
        )
        self.figure(
            "stewards.supervisors",
            Message("safety_figure_supervisors"),
            deployment.supervisors,
            "supervisors",
            "ceil((posts + mobile) / supervisor_ratio)",
            ("supervisor_ratio",),
            words=Message("safety_formula_supervisors_posts", {"ratio": self.label("supervisor_ratio")}),
        )
        total = self.figure(
            "stewards.total",
            Message("safety_figure_stewards_total"),
            deployment.total,
            "stewards",
            "posts + mobile + supervisors + head steward",
            (*rules, *ratios, "supervisor_ratio"),
            None if self.workforce is None else self.workforce,
            words=Message("safety_formula_stewards_total"),
        )
        if self.workforce is None:
            self.find(
                "low",
                total,
                Message("safety_finding_no_workforce", {"total": deployment.total}),
                Message("safety_fix_no_workforce"),
            )
        elif not total.met:
            self.find(
                "critical" if self.workforce < deployment.static + deployment.supervisors else "high",
                total,
                Message(
                    "safety_finding_workforce",
                    {
                        "total": deployment.total,
                        "workforce": self.workforce,
                        "short": deployment.total - self.workforce,
                    },
                ),
                Message("safety_fix_workforce", {"short": deployment.total - self.workforce}),
            )
        for kind, (declared, rule) in deployment.short_of_rule().items():
            self.find(
                "medium",
                posts,
                Message(
                    "safety_finding_posts_rule",
                    {"kind": Message(f"steward_post_{kind}"), "declared": declared, "rule": rule},
                ),
                Message("safety_fix_posts_rule", {"kind": Message(f"steward_post_{kind}")}),
            )
        if self.risk == "high" and "segregation" not in deployment.by_kind():
            self.find("medium", posts, Message("safety_finding_segregation"), Message("safety_fix_segregation"))
        if not self.risk_declared:
            self.find("low", posts, Message("safety_finding_risk_undeclared"), Message("safety_fix_risk_undeclared"))

    def assess_medical(self) -> None:
        provision = medical_provision(self.p, attendance=self.attendance, risk=self.risk, heat=self.heat)
        self.result.medical = provision
        factors = tuple(
            name
            for name, applies in (("medical_high_risk_factor", self.risk == "high"), ("medical_heat_factor", self.heat))
            if applies
        )
        specs = {
            "first_aiders": (
                "first aiders",
                ("first_aiders_per_1000", "first_aiders_per_1000_above_3000", "first_aiders_minimum"),
                "max(minimum, ceil(first 3,000 × per 1,000 + rest × per 1,000 above)) × factors",
            ),
            "doctors": (
                "doctors",
                ("doctor_threshold", "spectators_per_crowd_doctor"),
                "ceil(attendance / spectators_per_crowd_doctor) above doctor_threshold × factors",
            ),
            "paramedic_teams": (
                "paramedic teams",
                ("ambulance_threshold", "spectators_per_paramedic_team"),
                "ceil(attendance / spectators_per_paramedic_team) from ambulance_threshold × factors",
            ),
            "ambulances": (
                "ambulances",
                ("ambulance_threshold", "spectators_per_ambulance"),
                "ceil(attendance / spectators_per_ambulance) from ambulance_threshold × factors",
            ),
            "medical_rooms": (
                "medical rooms",
                ("spectators_per_medical_room",),
                "ceil(attendance / spectators_per_medical_room)",
            ),
        }
        for row in provision.rows:
            unit, names, formula = specs[row.resource]
            used = names if row.resource == "medical_rooms" else (*names, *factors)
            self.figure(
                f"medical.{row.resource}",
                Message(f"safety_figure_{row.resource}"),
                row.required,
                unit,
                formula,
                used,
                words=Message(
                    f"safety_formula_{row.resource}",
                    {name: self.label(name) for name in names} | {"factor": Number(row.factor, 2)},
                ),
            )
