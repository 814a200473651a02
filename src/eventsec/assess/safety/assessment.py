"""Apply the safety calculations to a resolved plan: figures with their formula, source and
confidence, and a finding (with a fix) for every figure that misses its target.

Shared exits, entrances and holding areas are apportioned to the sections they serve in
proportion to each section's holding capacity. Section figures assume a full house; steward
and medical figures use the match's expected attendance (or the declared capacity).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from eventsec.assess.safety import calculations as calc
from eventsec.errors import ContentError
from eventsec.i18n import english
from eventsec.i18n.message import Items, Message, Number, Translated
from eventsec.plan.model import Plan

PARAMETERS = (
    "turnstile_rate_per_hour",
    "entry_time_target_min",
    "flow_rate_level",
    "flow_rate_stepped",
    "egress_target_min",
    "emergency_evacuation_target_min",
    "max_standing_density_per_10m2",
    "holding_density_per_m2",
    "steward_ratio",
    "steward_ratio_high_risk",
    "supervisor_ratio",
    "static_posts_per_exit",
    "static_posts_per_entrance",
    "first_aiders_per_1000",
    "first_aiders_minimum",
    "doctor_threshold",
    "ambulance_threshold",
    "spectators_per_ambulance",
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


@dataclass
class SectionCapacity:
    """The Green Guide capacities of one section; ``safe`` is the lowest."""

    section: str
    name: str
    people: int
    holding: int
    entry: int | None
    exit: int
    emergency: int
    concourse: int | None
    safe: int

    def to_dict(self) -> dict:
        return asdict(self)


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
                "safety_note_source" if source else "safety_note_unsourced",
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
            "parameters": self.parameters,
            "unverified_parameters": self.unverified_parameters,
        }


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


class _Assessor:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.p = {name: plan.parameters[name].value for name in PARAMETERS}
        venue = plan.venue
        self.geometry = venue.get("geometry") or {}
        match = plan.match or {}
        attendance = match.get("expected_attendance")  # 0 is a match behind closed doors, not a full house
        self.attendance = int(venue["capacity"] if attendance is None else attendance)
        self.high_risk = (
            match.get("risk") == "high"
            if plan.match
            else any(m.get("risk") == "high" for m in venue.get("matches") or [])
        )
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
        """How a shared resource splits between the sections it serves (by their people)."""
        counts = {s: self.people(sections[s]) for s in served if s in sections}
        total = sum(counts.values())
        return {s: (c / total if total else 1 / len(counts)) for s, c in counts.items()}

    def assess_sections(self, sections: list[dict]) -> None:
        by_id = {s["id"]: s for s in sections}
        level = {s: 0.0 for s in by_id}
        stepped = {s: 0.0 for s in by_id}
        for exit_ in self.geometry.get("exits") or []:
            for section, share in self.shares(exit_["serves"], by_id).items():
                (level if exit_["type"] == "level" else stepped)[section] += exit_["width_m"] * share
        turnstiles = {s: 0.0 for s in by_id}
        for entrance in self.geometry.get("entrances") or []:
            for section, share in self.shares(entrance["feeds"], by_id).items():
                turnstiles[section] += entrance["turnstiles"] * share
        concourse = {s: 0.0 for s in by_id}
        has_concourse = set()
        for area in self.geometry.get("holding_areas") or []:
            for section, share in self.shares(area["serves"], by_id).items():
                concourse[section] += area["area_m2"] * share
                has_concourse.add(section)
        p = self.p
        for sid, section in by_id.items():
            name = section.get("name", sid)
            people = self.people(section)
            flow = calc.exit_flow_per_minute(level[sid], stepped[sid], p["flow_rate_level"], p["flow_rate_stepped"])
            minutes = calc.egress_minutes(
                people, level[sid], stepped[sid], p["flow_rate_level"], p["flow_rate_stepped"]
            )
            egress = self.figure(
                f"egress.{sid}",
                Message("safety_figure_egress", {"name": name}),
                minutes,
                "min",
                "people / (level width × level flow rate + stepped width × stepped flow rate)",
                ("flow_rate_level", "flow_rate_stepped", "egress_target_min"),
                p["egress_target_min"],
                sid,
                words=Message(
                    "safety_formula_egress",
                    {"level": self.label("flow_rate_level"), "stepped": self.label("flow_rate_stepped")},
                ),
            )
            self.egress_finding(egress, name, people, flow, stepped[sid] >= level[sid])
            standing = int(section.get("standing", 0))
            area = section.get("standing_area_m2")
            if standing and area is not None:
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
            holding = calc.holding_capacity(
                int(section.get("seated", 0)), standing, area, p["max_standing_density_per_10m2"]
            )
            entry = (
                calc.entry_capacity(turnstiles[sid], p["turnstile_rate_per_hour"], p["entry_time_target_min"])
                if self.geometry.get("entrances")
                else None
            )
            exit_cap = calc.exit_capacity(flow, p["egress_target_min"])
            emergency = calc.exit_capacity(flow, p["emergency_evacuation_target_min"])
            hold_area = (
                calc.area_capacity(concourse[sid], p["holding_density_per_m2"]) if sid in has_concourse else None
            )
            safe = calc.safe_capacity(holding, entry, exit_cap, emergency, hold_area)
            self.result.sections.append(
                SectionCapacity(sid, name, people, holding, entry, exit_cap, emergency, hold_area, safe)
            )

    def egress_finding(self, figure: Figure, name: str, people: int, flow: float, mostly_stepped: bool) -> None:
        p = self.p
        emergency_target = p["emergency_evacuation_target_min"]
        if figure.value > emergency_target:
            severity, target = "critical", min(emergency_target, p["egress_target_min"])
        elif not figure.met:
            severity, target = "high", p["egress_target_min"]
        else:
            return
        rate, kind = (p["flow_rate_stepped"], "stepped") if mostly_stepped else (p["flow_rate_level"], "level")
        extra = calc.extra_exit_width_m(people, flow, rate, target)
        self.find(
            severity,
            figure,
            Message(
                "safety_finding_egress",
                {"name": name, "minutes": _minutes(figure.value, 1), "target": _minutes(target, 1)},
            ),
            Message(
                f"safety_fix_egress_{kind}",
                {
                    "width": Number(extra, 1),
                    "places": _count("safety_places", people - math.floor(flow * target)),
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
            people = round(fed[entrance["id"]])
            minutes = calc.entry_minutes(people, entrance["turnstiles"], p["turnstile_rate_per_hour"])
            fig = self.figure(
                f"entry.{entrance['id']}",
                Message("safety_figure_entry", {"name": entrance.get("name", entrance["id"])}),
                minutes,
                "min",
                "people / (turnstiles × turnstile rate / 60)",
                ("turnstile_rate_per_hour", "entry_time_target_min"),
                p["entry_time_target_min"],
                entrance["id"],
                words=self.entry_words(),
            )
            if not fig.met:
                extra = calc.extra_turnstiles(
                    people, entrance["turnstiles"], p["turnstile_rate_per_hour"], p["entry_time_target_min"]
                )
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
        total_turnstiles = sum(e["turnstiles"] for e in entrances)
        self.figure(
            "entry.venue",
            Message("safety_figure_entry_venue"),
            calc.entry_minutes(total_people, total_turnstiles, p["turnstile_rate_per_hour"]),
            "min",
            "people / (turnstiles × turnstile rate / 60)",
            ("turnstile_rate_per_hour", "entry_time_target_min"),
            p["entry_time_target_min"],
            words=self.entry_words(),
        )

    def entry_words(self) -> Message:
        return Message("safety_formula_entry", {"rate": self.label("turnstile_rate_per_hour")})

    def assess_capacity(self) -> None:
        safe = self.result.safe_capacity
        declared = self.result.declared_capacity
        fig = self.figure(
            "capacity.safe",
            Message("safety_figure_capacity"),
            safe,
            "people",
            "Σ sections of min(holding, entry, exit, emergency, concourse capacity)",
            (
                "turnstile_rate_per_hour",
                "entry_time_target_min",
                "flow_rate_level",
                "flow_rate_stepped",
                "egress_target_min",
                "emergency_evacuation_target_min",
                "max_standing_density_per_10m2",
            ),
            words=Message("safety_formula_capacity"),
        )
        if safe < declared:
            limiting = sorted((s for s in self.result.sections if s.safe < s.people), key=lambda s: s.safe - s.people)
            where = tuple((s.name, s.people - s.safe) for s in limiting[:4])
            self.find(
                "critical",
                fig,
                Message("safety_finding_capacity", {"declared": declared, "safe": safe}),
                Message("safety_fix_capacity", {"safe": safe, "sections": where}),
            )

    # -- staffing ------------------------------------------------------------
    def assess_stewarding(self) -> None:
        p = self.p
        ratio_name = "steward_ratio_high_risk" if self.high_risk else "steward_ratio"
        mobile = calc.mobile_stewards(self.attendance, p[ratio_name])
        self.figure(
            "stewards.mobile",
            Message("safety_figure_stewards_mobile"),
            mobile,
            "stewards",
            f"ceil(attendance / {ratio_name})",
            (ratio_name,),
            words=Message("safety_formula_stewards_mobile", {"ratio": self.label(ratio_name)}),
        )
        static = calc.static_posts(
            len(self.geometry.get("exits") or []),
            len(self.geometry.get("entrances") or []),
            p["static_posts_per_exit"],
            p["static_posts_per_entrance"],
        )
        self.figure(
            "stewards.static",
            Message("safety_figure_stewards_static"),
            static,
            "stewards",
            "exits × static_posts_per_exit + entrances × static_posts_per_entrance",
            ("static_posts_per_exit", "static_posts_per_entrance"),
            words=Message(
                "safety_formula_stewards_static",
                {
                    "per_exit": self.label("static_posts_per_exit"),
                    "per_entrance": self.label("static_posts_per_entrance"),
                },
            ),
        )
        self.figure(
            "stewards.supervisors",
            Message("safety_figure_supervisors"),
            calc.supervisors(mobile + static, p["supervisor_ratio"]),
            "supervisors",
            "ceil((mobile + static) / supervisor_ratio)",
            ("supervisor_ratio",),
            words=Message("safety_formula_supervisors", {"ratio": self.label("supervisor_ratio")}),
        )

    def assess_medical(self) -> None:
        p = self.p
        self.figure(
            "medical.first_aiders",
            Message("safety_figure_first_aiders"),
            calc.first_aiders(self.attendance, p["first_aiders_per_1000"], p["first_aiders_minimum"]),
            "first aiders",
            "max(minimum, ceil(attendance / 1000 × per 1000))",
            ("first_aiders_per_1000", "first_aiders_minimum"),
            words=Message(
                "safety_formula_first_aiders",
                {"per_1000": self.label("first_aiders_per_1000"), "minimum": self.label("first_aiders_minimum")},
            ),
        )
        self.figure(
            "medical.doctors",
            Message("safety_figure_doctors"),
            calc.crowd_doctors(self.attendance, p["doctor_threshold"]),
            "doctors",
            "1 if attendance > doctor_threshold",
            ("doctor_threshold",),
            words=Message("safety_formula_doctors", {"threshold": self.label("doctor_threshold")}),
        )
        self.figure(
            "medical.ambulances",
            Message("safety_figure_ambulances"),
            calc.ambulances(self.attendance, p["ambulance_threshold"], p["spectators_per_ambulance"]),
            "ambulances",
            "max(1, ceil(attendance / spectators_per_ambulance)) from ambulance_threshold",
            ("ambulance_threshold", "spectators_per_ambulance"),
            words=Message(
                "safety_formula_ambulances",
                {
                    "threshold": self.label("ambulance_threshold"),
                    "per_ambulance": self.label("spectators_per_ambulance"),
                },
            ),
        )
