"""The venue profile and the match operations chapters of the HTML plan.

Parallel to render/sections.py's venue profile (render/safety_tables.py) and to
render/operations.py's ``match_operations`` (render/contingency_tables.py,
render/risk_tables.py, render/execution_tables.py), reusing their helpers for every phrase: the
command structure is a table of posts and reporting lines rather than a diagram, and each risk
register is its table without the heat map (the table gives every rating).
"""

from __future__ import annotations

from markupsafe import Markup

from eventsec.assess.readiness.matches import UPCOMING
from eventsec.assess.safety.assessment import CAPACITIES, SafetyAssessment
from eventsec.assess.safety.staffing import Deployment, MedicalProvision
from eventsec.assess.safety.tables import post_rows
from eventsec.i18n.message import Message
from eventsec.render.context import Ctx
from eventsec.render.contingency_tables import WITHHELD_NOTES, first_actions, item_line
from eventsec.render.execution_tables import _local
from eventsec.render.names import PLACE_GROUPS
from eventsec.render.names import localized as localized_name
from eventsec.render.operations import clock, event, posts, purpose, stage
from eventsec.render.risk_tables import controls_cell, effective_cell, match_date, rating
from eventsec.render.safety_tables import (
    decimal_number,
    governed_by,
    places_named,
    scope,
    shared_factors_source,
)
from eventsec.site.plan_markup import (
    bullets,
    facts,
    fmt,
    heading,
    item_link,
    localized,
    note,
    para,
    role_name,
    table,
    text,
)


# -- venue profile -------------------------------------------------------------------------------
def venue_profile(c: Ctx) -> list[Markup]:
    venue, safety = c.plan.venue, c.r.safety
    rows = [(c.t("declared_capacity"), c.n(venue["capacity"]))]
    if safety and safety.has_geometry and safety.sections:
        rows.append((c.t("safe_capacity"), c.n(safety.safe_capacity)))
    if venue.get("capacity_source"):
        rows.append((c.t("capacity_source"), text(c, c.names.venue_field("capacity_source"))))
    if venue.get("illustrative"):
        rows.append((c.t("illustrative"), text(c, c.names.venue_field("illustrative"))))
    out = [heading(2, c.t("venue_profile")), facts(c.t("venue_profile"), rows)]
    geometry = venue.get("geometry") or {}
    if any(geometry.get(group) for group in ("sections", "entrances", "exits", "posts")):
        out += geometry_tables(c, geometry, safety)
        places = sum(c.r.withheld.get(group, 0) for group in (*PLACE_GROUPS, "posts"))
        if places:
            out.append(note(c.t("places_withheld", count=c.n(places))))
    else:
        out.append(para(c.t("geometry_withheld" if c.r.withheld.get("sections") else "no_geometry")))
    return out + assessment_tables(c, safety)


def geometry_tables(c: Ctx, geometry: dict, safety: SafetyAssessment | None) -> list[Markup]:
    """Sections (with their capacities), entrances, exits, routes and posts, where released."""
    out: list[Markup] = []
    if geometry.get("sections"):
        out += sections_table(c, geometry["sections"], safety)
    if geometry.get("entrances"):
        rows = [
            (
                text(c, c.names.place(e)),
                c.n(e["turnstiles"]),
                c.t(f"lanes_{e['lanes']}" if e.get("lanes") else "lanes_undeclared"),
                text(c, places_named(c, e["feeds"])),
            )
            for e in geometry["entrances"]
        ]
        header = [c.t("col_name"), c.t("col_turnstiles"), c.t("col_lanes"), c.t("col_feeds")]
        out += [heading(3, c.t("entrances")), table(c.t("entrances"), header, rows)]
    if geometry.get("exits"):
        out += exits_table(c, geometry["exits"])
    if safety and safety.routes:
        rows = [
            (
                text(c, c.names.text(r.name)),
                text(c, places_named(c, r.sections)),
                c.n(r.flow, 1),
                text(c, c.names.text(r.governing_name)),
            )
            for r in safety.routes
        ]
        header = [c.t("col_route"), c.t("col_serves"), c.t("col_flow"), c.t("col_bottleneck")]
        out += [heading(3, c.t("routes")), table(c.t("routes"), header, rows)]
    if geometry.get("posts"):
        rows = [(p["id"], c.t(f"post_{p['kind']}"), text(c, p["location"])) for p in geometry["posts"]]
        header = [c.t("col_id"), c.t("col_kind"), c.t("col_location")]
        out += [heading(3, c.t("posts")), table(c.t("posts"), header, rows)]
    return out


def sections_table(c: Ctx, sections: list[dict], safety: SafetyAssessment | None) -> list[Markup]:
    capacities = {s.section: s for s in safety.sections} if safety else {}
    shared = shared_factors_source(sections, c.names.lang)
    rows = []
    for s in sections:
        capacity = capacities.get(s["id"])
        declared = [s.get(key) for key in ("s_factor", "p_factor")]
        if all(value is None for value in declared):
            factors = c.t("factors_undeclared")
        else:
            factors = " / ".join(c.t("factors_undeclared") if v is None else decimal_number(c, v) for v in declared)
            if shared is None and s.get("factors_source"):
                factors += "\n" + str(localized_name(s, "factors_source", c.names.lang))
        rows.append(
            (
                text(c, c.names.place(s)),
                c.n(s.get("seated", 0)),
                c.n(s.get("standing", 0)),
                text(c, factors),
                c.t(f"fire_risk_{s['fire_risk']}" if s.get("fire_risk") else "fire_risk_undeclared"),
                c.n(capacity.safe) if capacity else "",
                text(c, governed_by(c, capacity)) if capacity else "",
            )
        )
    header = [c.t(k) for k in ("col_section", "col_seated", "col_standing", "col_factors", "col_fire_risk")]
    header += [c.t("col_capacity"), c.t("col_governs")]
    out = [heading(3, c.t("sections")), table(c.t("sections"), header, rows)]
    if shared:
        out.append(note(text(c, f"{c.t('col_factors')}: {shared}")))
    if safety and safety.sections:
        rows = [
            (
                text(c, c.names.text(s.name)),
                *("—" if getattr(s, name) is None else c.n(getattr(s, name)) for name in CAPACITIES),
                c.n(s.safe),
            )
            for s in safety.sections
        ]
        header = [
            c.t("col_section"),
            *(c.t(f"governs_{name}").capitalize() for name in CAPACITIES),
            c.t("col_capacity"),
        ]
        out += [heading(4, c.t("section_capacities")), table(c.t("section_capacities"), header, rows)]
    return out


def exits_table(c: Ctx, exits: list[dict]) -> list[Markup]:
    rows = []
    for x in exits:
        count = int(x.get("count", 1))
        width = c.n(x["width_m"], 1)
        rows.append(
            (
                text(c, c.names.place(x)),
                f"{c.n(count)} × {width}" if count > 1 else width,
                c.t(f"exit_{x['type']}"),
                text(c, places_named(c, x["serves"])),
            )
        )
    header = [c.t("col_name"), c.t("col_width"), c.t("col_type"), c.t("col_serves")]
    return [heading(3, c.t("exits")), table(c.t("exits"), header, rows)]


def assessment_tables(c: Ctx, safety: SafetyAssessment | None) -> list[Markup]:
    """The safety figures with their footnotes, the deployment and the medical provision."""
    if safety is None:
        return []
    notes: dict[str, int] = {}
    rows = []
    for figure in safety.figures:
        number = notes.setdefault(figure.formula, len(notes) + 1)
        target = "" if figure.target is None else c.m(figure.bound())
        met = "" if figure.target is None else ("✓ " + c.t("html_met_yes") if figure.met else "✗ " + c.t("html_met_no"))
        title = c.m(figure.title) + (" †" if figure.unverified else "")
        rows.append((text(c, title), text(c, c.m(figure.amount())), text(c, target), met, f"[{number}]"))
    header = [c.t(k) for k in ("col_figure", "col_value", "col_target", "col_met", "col_note")]
    out = [heading(3, c.t("safety_figures")), table(c.t("safety_figures"), header, rows)]
    out.append(bullets((text(c, c.m(safety.footnote(formula, number))) for formula, number in notes.items())))
    if safety.unverified_parameters:
        out.append(note(c.t("unverified_note")))
    if safety.deployment:
        out += deployment_table(c, safety.deployment, 3)
    if safety.medical:
        out += medical_table(c, safety.medical)
    return out


def deployment_table(c: Ctx, deployment: Deployment, level: int) -> list[Markup]:
    by_rule = c.t("basis_rule")
    rows = [
        (
            text(c, places_named(c, [row.section])) if row.section else c.t("venue_wide"),
            c.t(f"steward_post_{row.kind}"),
            c.n(row.stewards),
            c.t("basis_declared") if row.declared else by_rule,
            "" if row.rule is None else c.n(row.rule),
        )
        for row in post_rows(deployment.posts)
    ]
    rows += [
        (c.t("deployment_mobile"), "", c.n(deployment.mobile), by_rule, ""),
        (c.t("deployment_supervisors"), "", c.n(deployment.supervisors), by_rule, ""),
        (c.t("deployment_head"), "", c.n(deployment.head_steward), "", ""),
        (c.t("deployment_total"), "", fmt("<strong>{}</strong>", c.n(deployment.total)), "", ""),
        (c.t("deployment_workforce"), "", "—" if deployment.workforce is None else c.n(deployment.workforce), "", ""),
    ]
    header = [c.t(k) for k in ("col_section", "col_kind", "col_stewards", "col_basis", "col_rule")]
    intro = c.t(
        "stewarding_intro", scope=scope(c), risk=c.t(f"risk_{deployment.risk}"), attendance=c.n(deployment.attendance)
    )
    title = c.t("stewarding_deployment")
    return [heading(level, title), para(intro), table(title, header, rows)]


def medical_table(c: Ctx, medical: MedicalProvision) -> list[Markup]:
    rows = [
        (
            c.t(f"safety_figure_{row.resource}"),
            c.n(row.base),
            f"× {decimal_number(c, row.factor)}",
            fmt("<strong>{}</strong>", c.n(row.required)),
        )
        for row in medical.rows
    ]
    header = [c.t(k) for k in ("col_resource", "col_base", "col_factor", "col_required")]
    intro = c.t(
        "medical_intro",
        attendance=c.n(medical.attendance),
        risk=c.t(f"risk_{medical.risk}"),
        heat=c.t("medical_heat") if medical.heat else "",
    )
    title = c.t("medical_provision")
    return [heading(3, title), para(intro), table(title, header, rows)]


# -- match operations ----------------------------------------------------------------------------
def match_operations(c: Ctx) -> list[Markup]:
    """Command structure, call signs and contingencies once, then each match's short order."""
    out = [heading(2, c.t("ops_chapter")), para(c.t("ops_chapter_intro"))]
    out += command_structure(c) + call_signs(c) + contingency_index(c)
    if c.r.withheld.get("risks"):
        out.append(note(c.t("riskreg_withheld", count=c.n(c.r.withheld["risks"]))))
    anchored = {item.id for item in c.plan.items()}
    for report in c.r.operations.matches:
        match = report.plan.match
        intro = c.t(
            "ops_order_intro",
            match=match["id"],
            date=c.d(match["date"]),
            kickoff=match["kickoff"],
            stage=stage(c, match),
        )
        out += [heading(3, c.t("ops_match_order", match=match["id"], date=c.d(match["date"]))), para(intro)]
        out += match_record(c, match["id"], anchored) + risk_register(c, match["id"])
        out += match_timeline(Ctx(report, c.s, c.x), anchored)
        safety = report.safety
        if safety is not None and safety.deployment is not None:
            out += deployment_table(Ctx(report, c.s, c.x), safety.deployment, 4)
    return out


def command_structure(c: Ctx) -> list[Markup]:
    """The posts tier by tier: level, call sign, role, name and whom each reports to."""
    out = [heading(3, c.t("ops_command_structure")), para(c.t("ops_command_intro"))]
    withheld = c.r.withheld.get("contacts", 0)
    if withheld:
        out.append(note(c.t("contacts_withheld", count=c.n(withheld))))
    found = posts(c)
    if not found:
        return out if withheld else out + [para(c.t("ops_no_contacts"))]
    levels = ("strategic", "tactical", "operational")
    rows = [
        (
            text(c, p.title),
            c.t(f"ops_level_{p.level}"),
            fmt("<strong>{}</strong>", p.call_sign),
            text(c, p.name),
            role_name(c, p.reports_to) if p.reports_to else "—",
        )
        for p in sorted(found, key=lambda p: (levels.index(p.level), p.index))
    ]
    header = [
        c.t("col_role"),
        c.t("html_col_level"),
        c.t("ops_col_call_sign"),
        c.t("col_name"),
        c.t("ops_col_reports_to"),
    ]
    return out + [table(c.t("ops_command_structure"), header, rows)]


def call_signs(c: Ctx) -> list[Markup]:
    people = c.plan.venue.get("contacts") or []
    channels = {ch.get("id"): ch for ch in c.plan.venue.get("radio_channels") or []}
    title = c.t("ops_call_signs")
    out = [heading(3, title)]
    rows = [
        (
            role_name(c, str(p.get("role", ""))),
            text(c, p.get("name", "")),
            fmt("<strong>{}</strong>", p.get("call_sign", "")),
            p.get("radio", ""),
            purpose(c, channels.get(p.get("radio"))),
            fmt('<span dir="ltr">{}</span>', p.get("phone", "")),
        )
        for p in people
    ]
    header = [c.t(k) for k in ("col_role", "col_name", "ops_col_call_sign", "ops_col_channel", "ops_col_purpose")]
    out.append(table(title, [*header, c.t("col_phone")], rows))
    if channels:
        rows = [(ch["id"], purpose(c, ch), localized(c, ch, "note")) for ch in channels.values()]
        header = [c.t("ops_col_channel"), c.t("ops_col_purpose"), c.t("col_note")]
        out += [heading(4, c.t("ops_channels")), table(c.t("ops_channels"), header, rows)]
    return out


def contingency_index(c: Ctx) -> list[Markup]:
    title = c.t("contingency_index")
    out = [heading(3, title), para(c.t("contingency_intro"))]
    rows = []
    for contingency in c.plan.contingencies:
        entry = contingency.entry
        deciders = fmt("<strong>{}</strong>", role_name(c, str(entry.get("decision_maker", ""))))
        if entry.get("alternate_decision_maker"):
            alternate = c.t("contingency_alternate", role=c.role(str(entry["alternate_decision_maker"])))
            deciders += Markup("<br>") + text(c, alternate)
        code = contingency.code
        code_cell = fmt("<strong>{}</strong>", code) if code else text(c, c.t("contingency_no_code"))
        code_cell += Markup("<br>") + localized(c, entry, "message")
        items = [item_link(i.id) if i.state == "present" else text(c, item_line(c, i)) for i in contingency.items]
        items_cell = bullets(items)
        if contingency.items and not contingency.prepared:
            items_cell += note(c.t("contingency_unprepared"))
        rows.append(
            (
                fmt("{}<br><small>{}</small>", localized(c, entry, "title"), contingency.id),
                localized(c, entry, "trigger"),
                deciders,
                bullets((text(c, step) for step in first_actions(c, entry)), ordered=True),
                code_cell,
                items_cell,
            )
        )
    if rows:
        names = ("contingency", "trigger", "decides", "actions", "code", "items")
        out.append(table(title, [c.t(f"contingency_col_{name}") for name in names], rows))
    elif not c.r.withheld.get("contingencies"):
        out.append(para(c.t("contingency_none")))
    for what in WITHHELD_NOTES:
        if c.r.withheld.get(what):
            out.append(note(c.t(f"contingency_withheld_{what}", count=c.n(c.r.withheld[what]))))
    return out


def match_record(c: Ctx, match_id: str, anchored: set[str]) -> list[Markup]:
    """A match's go/no-go: its verdict with reasons before it starts, its execution record after."""
    match = next((m for m in c.r.matches if m.match == match_id), None)
    if match is None:
        return []
    said = c.t("verdict_" + match.verdict)
    if match.phase == UPCOMING:
        out = [para(c.t("execution_verdict_upcoming", as_of=c.d(c.r.as_of), verdict=said))]
    else:
        counts = {state.replace("-", "_"): c.n(match.count(state)) for state in ("done", "late", "overdue", "not-due")}
        out = [para(c.t("execution_summary", verdict=said, **counts))]
    if match.reason_codes:
        out.append(para("", label=c.t("verdict_reasons") + ":"))
        out.append(bullets(text(c, c.m(Message(key, values))) for key, values in match.reason_codes))
    if match.phase == UPCOMING:
        return out + [note(c.t("ops_checklist_in_order", match=match_id))]
    title = c.t("execution_record")
    rows = [
        (
            linked(row.item.id, anchored),
            localized(c, row.item.fields, "title"),
            _local(row.due, match.kickoff),
            _local(row.at, match.kickoff) if row.at else "",
            text(c, (row.entry or {}).get("by", "")) if row.at else "",
            c.t(f"execution_state_{row.state}"),
        )
        for row in match.rows
    ]
    header = [c.t(k) for k in ("col_id", "col_item", "execution_col_due", "execution_col_done_at", "execution_col_by")]
    out += [heading(4, title), table(title, [*header, c.t("col_status")], rows)]
    withheld = c.r.withheld.get(f"execution:{match_id}", 0)
    return out + ([note(c.t("withheld_items", count=c.n(withheld)))] if withheld else [])


def risk_register(c: Ctx, match_id: str) -> list[Markup]:
    register = c.r.risks.get(match_id)
    if register is None:
        return []
    title = c.t("riskreg_heading", match=match_id, date=match_date(c, match_id))
    out = [
        heading(4, title),
        para(c.t("riskreg_assessed", role=c.role(register.assessed_by), date=c.d(register.assessed_on))),
    ]
    if register.illustrative:
        out.append(note(c.t("riskreg_illustrative")))
    out.append(note(c.t("riskreg_intro", no_go=c.t("verdict_NO-GO"), at_risk=c.t("verdict_AT-RISK"))))
    if register.highest:
        out.append(para(c.t("riskreg_highest", band=c.t(f"riskreg_band_{register.highest}"))))
    rows = [
        (
            risk.id,
            c.t(f"riskreg_category_{risk.category}"),
            localized(c, risk.entry, "hazard"),
            rating(c, risk.inherent),
            role_name(c, risk.owner),
            text(c, controls_cell(c, risk)),
            rating(c, risk.residual),
            text(c, effective_cell(c, risk)),
        )
        for risk in register.risks
    ]
    names = ("risk", "category", "hazard", "inherent", "owner", "controls", "residual", "effective")
    out.append(table(title, [c.t(f"riskreg_col_{name}") for name in names], rows))
    return out + [note(c.t("riskreg_controls_key"))]


def match_timeline(c: Ctx, anchored: set[str]) -> list[Markup]:
    """The match's timeline: each time with what happens then and the items due by it, each
    item linked to its details when the venue's plan has it (a match overlay's own item does not)."""
    match = c.plan.match
    rows = []
    for entry in c.r.operations.timeline:
        what, owner = event(c, entry)
        if entry.kind == "item":
            item = c.plan.item(entry.item)
            said = linked(entry.item, anchored)
            if item is not None:
                said += Markup(" — ") + localized(c, item.fields, "title")
        else:
            said = fmt("<strong>{}</strong>", what)
        rows.append((clock(c, entry, match["date"]), said, owner))
    title = c.t("ops_timeline")
    header = [c.t("ops_col_time"), c.t("ops_col_event"), c.t("col_owner")]
    return [heading(4, title), note(c.t("ops_timeline_intro")), table(title, header, rows)] if rows else []


def linked(item_id: str, anchored: set[str]) -> Markup:
    """An item id linked to its details, or as it is when the venue's plan does not hold it (an
    item a match overlay adds is in that match's order only)."""
    return item_link(item_id) if item_id in anchored else fmt("{}", item_id)
