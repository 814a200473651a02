"""The venue profile's safety tables: the geometry with what the safety assessment makes of it
(each section's factors, fire risk, safe capacity and what governs it; lanes; exit routes and
their narrowest elements), the safety figures with their footnotes, the stewarding deployment
and the medical provision.

The tables read the released report: a release has already left out what it withholds
(release/redact.py), so nothing here decides what may be shown. Place names the assessment
carries in English (a route, its narrowest element) are said in the plan's language.
"""

from __future__ import annotations

from decimal import Decimal

from reportlab.platypus import Flowable, TableStyle

from eventsec.assess.safety.assessment import CAPACITIES, SafetyAssessment, SectionCapacity
from eventsec.assess.safety.staffing import Deployment, MedicalProvision
from eventsec.assess.safety.tables import post_rows
from eventsec.render.context import Ctx, w
from eventsec.render.names import localized
from eventsec.render.styles import NAVY

GOVERNED_BY_AN_ELEMENT = ("exit", "emergency")
"""Capacities an exit element governs: the "Governed by" cell names that element too."""


def places_named(c: Ctx, ids: list[str] | tuple[str, ...]) -> str:
    """Sections (or other places) by their names in the plan's language; an id the released
    geometry does not name stays an id."""
    names = {s["id"]: c.names.place(s) for s in (c.plan.venue.get("geometry") or {}).get("sections") or []}
    return ", ".join(names.get(i, i) for i in ids)


def decimal_number(c: Ctx, value: float) -> str:
    """A factor as the venue file writes it (1.0, 0.95, 1.875): its decimals, at least one and at most three."""
    exponent = Decimal(repr(round(float(value), 3))).normalize().as_tuple().exponent
    return c.n(value, max(1, -exponent) if isinstance(exponent, int) else 1)


# -- the geometry ----------------------------------------------------------------------------
def factors_cell(c: Ctx, section: dict, cite: bool) -> list[Flowable]:
    """(S) / (P) as declared, "not declared (1.0)" for a missing one, and (with ``cite``) their
    source under them."""
    declared = [section.get(key) for key in ("s_factor", "p_factor")]
    if all(value is None for value in declared):
        return [c.p(c.t("factors_undeclared"), c.s.cell)]
    said = " / ".join(c.t("factors_undeclared") if value is None else decimal_number(c, value) for value in declared)
    cell = [c.p(said, c.s.cell)]
    if cite and section.get("factors_source"):
        cell.append(c.p(localized(section, "factors_source", c.names.lang), c.s.small))
    return cell


def shared_factors_source(sections: list[dict], lang: str) -> str | None:
    """The source every section with factors cites (in the plan's language), when they all cite
    the same one: the table then says it once under it rather than in every row."""
    cited = {localized(s, "factors_source", lang) for s in sections if "s_factor" in s or "p_factor" in s}
    return next(iter(cited)) if len(cited) == 1 else None


def governed_by(c: Ctx, capacity: SectionCapacity) -> str:
    """What governs a section's safe capacity; for exit and emergency, the narrowest element too."""
    said = c.t(f"governs_{capacity.governs}")
    if capacity.governs in GOVERNED_BY_AN_ELEMENT and capacity.bottleneck:
        said += f" ({c.names.text(capacity.bottleneck)})"
    return said


def sections_table(c: Ctx, sections: list[dict], safety: SafetyAssessment | None) -> list[Flowable]:
    capacities = {s.section: s for s in safety.sections} if safety else {}
    shared = shared_factors_source(sections, c.names.lang)
    rows = []
    for section in sections:
        capacity = capacities.get(section["id"])
        fire_risk = section.get("fire_risk")
        rows.append(
            [
                c.names.place(section),
                c.n(section.get("seated", 0)),
                c.n(section.get("standing", 0)),
                factors_cell(c, section, cite=shared is None),
                c.t(f"fire_risk_{fire_risk}" if fire_risk else "fire_risk_undeclared"),
                c.n(capacity.safe) if capacity else "",
                governed_by(c, capacity) if capacity else "",
            ]
        )
    header = [
        "col_section",
        "col_seated",
        "col_standing",
        "col_factors",
        "col_fire_risk",
        "col_capacity",
        "col_governs",
    ]
    out = [
        c.heading(c.t("sections"), 1),
        c.table([c.t(h) for h in header], rows, w(0.2, 0.1, 0.1, 0.15, 0.14, 0.12, 0.19)),
    ]
    return out + ([c.p(f"{c.t('col_factors')}: {shared}", c.s.small)] if shared else [])


def capacities_table(c: Ctx, safety: SafetyAssessment | None) -> list[Flowable]:
    """Each section's holding, entry, exit, emergency and concourse capacities beside its safe
    capacity, so the margin of every one over the one that governs shows (— where one does not
    apply: no entrances, no concourse)."""
    if not safety or not safety.sections:
        return []
    rows = [
        [
            c.names.text(s.name),
            *("—" if getattr(s, name) is None else c.n(getattr(s, name)) for name in CAPACITIES),
            c.n(s.safe),
        ]
        for s in safety.sections
    ]
    header = [c.t("col_section"), *(c.t(f"governs_{name}").capitalize() for name in CAPACITIES), c.t("col_capacity")]
    return [
        c.heading(c.t("section_capacities"), 2, toc=False),
        c.table(header, rows, w(0.22, 0.12, 0.12, 0.12, 0.12, 0.13, 0.17)),
    ]


def entrances_table(c: Ctx, entrances: list[dict]) -> list[Flowable]:
    rows = [
        [
            c.names.place(e),
            c.n(e["turnstiles"]),
            c.t(f"lanes_{e['lanes']}" if e.get("lanes") else "lanes_undeclared"),
            places_named(c, e["feeds"]),
        ]
        for e in entrances
    ]
    header = [c.t("col_name"), c.t("col_turnstiles"), c.t("col_lanes"), c.t("col_feeds")]
    return [c.heading(c.t("entrances"), 2, toc=False), c.table(header, rows, w(0.33, 0.14, 0.23, 0.3))]


def exits_table(c: Ctx, exits: list[dict]) -> list[Flowable]:
    """Each exit element; one that stands for several identical openings shows "count × width"."""
    rows = []
    for x in exits:
        count = int(x.get("count", 1))
        width = c.n(x["width_m"], 1)
        rows.append(
            [
                c.names.place(x),
                f"{c.n(count)} × {width}" if count > 1 else width,
                c.t(f"exit_{x['type']}"),
                places_named(c, x["serves"]),
            ]
        )
    header = [c.t("col_name"), c.t("col_width"), c.t("col_type"), c.t("col_serves")]
    return [c.heading(c.t("exits"), 2, toc=False), c.table(header, rows, w(0.4, 0.15, 0.15, 0.3))]


def routes_table(c: Ctx, safety: SafetyAssessment | None) -> list[Flowable]:
    """The exit routes: the flow each passes and the element that narrows it."""
    if not safety or not safety.routes:
        return []
    rows = [
        [c.names.text(r.name), places_named(c, r.sections), c.n(r.flow, 1), c.names.text(r.governing_name)]
        for r in safety.routes
    ]
    header = [c.t("col_route"), c.t("col_serves"), c.t("col_flow"), c.t("col_bottleneck")]
    return [c.heading(c.t("routes"), 2, toc=False), c.table(header, rows, w(0.3, 0.3, 0.15, 0.25))]


def geometry_tables(c: Ctx, geometry: dict, safety: SafetyAssessment | None) -> list[Flowable]:
    """Sections, entrances, exits and routes, each where the released geometry has some (a
    release may withhold the sections and show a public exit)."""
    out: list[Flowable] = []
    if geometry.get("sections"):
        out += sections_table(c, geometry["sections"], safety) + capacities_table(c, safety)
    if geometry.get("entrances"):
        out += entrances_table(c, geometry["entrances"])
    out += exits_table(c, geometry.get("exits") or [])
    return out + routes_table(c, safety)


# -- the figures -----------------------------------------------------------------------------
def safety_figures(c: Ctx, safety: SafetyAssessment) -> list[Flowable]:
    notes: dict[str, int] = {}
    rows = []
    for figure in safety.figures:
        note = notes.setdefault(figure.formula, len(notes) + 1)
        target = "" if figure.target is None else c.m(figure.bound())
        dagger = " †" if figure.unverified else ""
        status = "" if figure.target is None else ("✓" if figure.met else "✗")
        rows.append([f"{c.m(figure.title)}{dagger}", c.m(figure.amount()), target, status, f"[{note}]"])
    header = [c.t("col_figure"), c.t("col_value"), c.t("col_target"), c.t("col_met"), c.t("col_note")]
    out = [c.heading(c.t("safety_figures"), 1), c.table(header, rows, w(0.4, 0.2, 0.18, 0.11, 0.11))]
    for formula, number in notes.items():
        out.append(c.p(c.m(safety.footnote(formula, number)), c.s.small))
    if safety.unverified_parameters:
        out.append(c.p(c.t("unverified_note"), c.s.small))
    return out


# -- staffing --------------------------------------------------------------------------------
def scope(c: Ctx) -> str:
    """The match the staffing is for; a venue plan takes its most demanding match's risk."""
    match = c.plan.match
    return c.t("cli_scope_match", match=match["id"]) if match else c.t("staffing_scope_worst")


def deployment_table(c: Ctx, deployment: Deployment) -> list[Flowable]:
    """Posts by section and kind (declared, or by the stated rule, and what the rule gives), then
    mobile stewards, supervisors, the head steward, the total and the workforce confirmed."""
    by_rule = c.t("basis_rule")
    rows = [
        [
            places_named(c, [row.section]) if row.section else c.t("venue_wide"),
            c.t(f"steward_post_{row.kind}"),
            c.n(row.stewards),
            c.t("basis_declared") if row.declared else by_rule,
            "" if row.rule is None else c.n(row.rule),
        ]
        for row in post_rows(deployment.posts)
    ]
    rows += [
        [c.t("deployment_mobile"), "", c.n(deployment.mobile), by_rule, ""],
        [c.t("deployment_supervisors"), "", c.n(deployment.supervisors), by_rule, ""],
        [c.t("deployment_head"), "", c.n(deployment.head_steward), "", ""],
        [c.p(c.t("deployment_total"), c.s.cell_bold), "", c.p(c.n(deployment.total), c.s.cell_bold), "", ""],
        [c.t("deployment_workforce"), "", "—" if deployment.workforce is None else c.n(deployment.workforce), "", ""],
    ]
    header = [c.t("col_section"), c.t("col_kind"), c.t("col_stewards"), c.t("col_basis"), c.t("col_rule")]
    table = c.table(header, rows, w(0.3, 0.26, 0.13, 0.16, 0.15))
    total_row = len(rows) - 1  # the header is row 0: the total is the row before the last
    table.setStyle(TableStyle([("LINEABOVE", (0, total_row), (-1, total_row), 0.8, NAVY)]))
    intro = c.t(
        "stewarding_intro", scope=scope(c), risk=c.t(f"risk_{deployment.risk}"), attendance=c.n(deployment.attendance)
    )
    return [c.heading(c.t("stewarding_deployment"), 1), c.p(intro), table]


def medical_table(c: Ctx, medical: MedicalProvision) -> list[Flowable]:
    """Each medical resource: what the crowd calls for, the factor risk and heat apply, the result."""
    rows = [
        [
            c.t(f"safety_figure_{row.resource}"),
            c.n(row.base),
            f"× {decimal_number(c, row.factor)}",
            c.p(c.n(row.required), c.s.cell_bold),
        ]
        for row in medical.rows
    ]
    header = [c.t("col_resource"), c.t("col_base"), c.t("col_factor"), c.t("col_required")]
    intro = c.t(
        "medical_intro",
        attendance=c.n(medical.attendance),
        risk=c.t(f"risk_{medical.risk}"),
        heat=c.t("medical_heat") if medical.heat else "",
    )
    return [c.heading(c.t("medical_provision"), 1), c.p(intro), c.table(header, rows, w(0.4, 0.2, 0.2, 0.2))]


def assessment_tables(c: Ctx, safety: SafetyAssessment | None) -> list[Flowable]:
    """The safety figures, then the deployment and the medical provision where the release shows them."""
    if safety is None:
        return []
    out = safety_figures(c, safety)
    if safety.deployment:
        out += deployment_table(c, safety.deployment)
    if safety.medical:
        out += medical_table(c, safety.medical)
    return out
