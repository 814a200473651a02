"""The plan's sections, in order, each a function from the report to flowables.

Cover · document control · contents · executive summary (with the go/no-go by match) · venue
profile · timeline · one chapter per domain · match operations (render/operations.py) · appendix of
excluded items · lessons traceability · contacts · sign-off.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from eventsec.assess.readiness.scores import ChecklistItem, ItemReadiness
from eventsec.i18n.message import Message
from eventsec.plan.conditions import describe
from eventsec.plan.model import ResolvedItem
from eventsec.plan.phases import parse_phase
from eventsec.render.charts import domain_bar_chart
from eventsec.render.context import Ctx, w
from eventsec.render.document import FRAME_WIDTH, contents_table
from eventsec.render.names import PLACE_GROUPS
from eventsec.render.operations import match_operations
from eventsec.render.safety_tables import assessment_tables, geometry_tables
from eventsec.render.styles import NAVY, RULE, SEVERITY_COLOURS, VERDICT_COLOURS
from eventsec.vocabulary import truncate

SIGN_OFF_ROLES = (
    "police-match-commander",
    "venue-safety-officer",
    "stewarding-manager",
    "medical-coordinator",
    "fire-safety-officer",
    "venue-manager",
    "tournament-security-officer",
)
CHANGE_MARK = "◆"
BOXES = {"done": "☑", "not-applicable": "–"}


# ---------------------------------------------------------------------------------------------
def cover(c: Ctx) -> list[Flowable]:
    verdict = c.r.readiness.verdict
    marking = c.level(c.r.marking)
    badge = Table([[c.p(marking, c.s.centered)]], colWidths=[FRAME_WIDTH], rowHeights=[10 * mm])
    badge.setStyle(
        TableStyle([c.font_command(), ("BACKGROUND", (0, 0), (-1, -1), NAVY), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    )
    lines = [
        badge,
        Spacer(1, 40 * mm),
        c.p(c.names.tournament(), c.s.cover_line),
        c.p(c.t("plan_title"), c.s.cover_title),
        c.p(c.names.venue(), c.s.h1),
        c.p(c.t("cover_venue_line", city=c.names.venue_field("city"), country=c.names.country()), c.s.cover_line),
        Spacer(1, 12 * mm),
        c.p(c.t("cover_version", version=c.r.plan_version), c.s.cover_line),
        c.p(c.t("cover_as_of", date=c.d(c.r.as_of)), c.s.cover_line),
        c.p(c.t("cover_classification", level=marking), c.s.cover_line),
        Spacer(1, 10 * mm),
        verdict_badge(c, verdict),
        PageBreak(),
    ]
    return lines


def verdict_badge(c: Ctx, verdict: str) -> Table:
    badge = Table(
        [[c.p(f"{c.t('verdict_' + verdict)} · {c.x.percent(c.r.readiness.overall()[0])}", c.s.centered)]],
        colWidths=[85 * mm],
        rowHeights=[11 * mm],
        hAlign="RIGHT" if c.x.rtl else "LEFT",
    )
    badge.setStyle(
        TableStyle(
            [
                c.font_command(),
                ("BACKGROUND", (0, 0), (-1, -1), VERDICT_COLOURS[verdict]),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return badge


def document_control(c: Ctx) -> list[Flowable]:
    venue = c.plan.venue
    match = c.plan.match
    rows = [
        [c.t("dc_version"), c.r.plan_version],
        [c.t("dc_venue"), f"{c.names.venue()} ({venue['id']})"],
        [
            c.t("dc_match"),
            f"{match['id']} — {match.get('date')} {match.get('kickoff')}" if match else c.t("dc_all_matches"),
        ],
        [c.t("dc_as_of"), c.d(c.r.as_of)],
        [c.t("dc_release"), release_line(c)],
        [c.t("dc_marking"), marking_line(c)],
        [c.t("dc_languages"), f"{c.x.catalog.language_name()} ({c.r.lang})"],
        [c.t("dc_digest"), c.plan.inputs_digest],
        [c.t("dc_tool"), f"eventsec {c.r.tool_version}"],
        [c.t("dc_distribution"), "\n".join(c.names.distribution() or ["—"])],
    ]
    return [
        c.heading(c.t("document_control"), 0),
        c.facts(rows),
        Spacer(1, 8 * mm),
        c.heading(c.t("contents"), 1, toc=False),
        contents_table(c.s.toc, c.x.rtl),
        PageBreak(),
    ]


def release_line(c: Ctx) -> str:
    """The level the plan was released at, and what that leaves out."""
    level = c.level(c.r.release_level)
    meaning = c.t("dc_release_full") if c.r.released_in_full else c.t("dc_release_meaning", level=level)
    return f"{level}\n{meaning}"


def marking_line(c: Ctx) -> str:
    """The marking of the most sensitive content shown (the one on every page), and how to handle the plan."""
    marking = c.level(c.r.marking)
    return f"{marking}\n{c.t('dc_marking_meaning', level=marking)}"


def withheld_note(c: Ctx, what: str) -> list[Flowable]:
    """ "N items withheld at this release level." where a release withheld some of ``what``: a
    list that shows none of them must not read as if there were none."""
    count = c.r.withheld.get(what, 0)
    return [c.p(c.t("withheld_items", count=c.n(count)), c.s.small)] if count else []


def overall_said(c: Ctx) -> str:
    """The plan's overall readiness in a sentence (score, items done, overdue), and how many items
    a release withheld: the figures speak for the whole plan, so the reader is told."""
    readiness = c.r.readiness
    score, done, total, overdue = readiness.overall()
    overall = c.t("overall_readiness", score=c.n(score), done=c.n(done), total=c.n(total), overdue=c.n(overdue))
    if readiness.withheld:
        overall += ". " + c.t("withheld_items", count=c.n(readiness.withheld))
    return overall


def executive_summary(c: Ctx) -> list[Flowable]:
    readiness = c.r.readiness
    overall = overall_said(c)
    out: list[Flowable] = [
        c.heading(c.t("executive_summary"), 0),
        verdict_badge(c, readiness.verdict),
        Spacer(1, 3 * mm),
        c.p(overall),
        c.p(c.t("clock_preparation_intro"), c.s.small),
    ]
    if readiness.later:
        out.append(c.p(c.t("clock_later_note", count=c.n(len(readiness.later))), c.s.small))
    if readiness.reason_codes:
        reasons = [c.m(Message(key, values)) for key, values in readiness.reason_codes]
        out.append(
            c.p(
                "; ".join(reasons[:6]) + (" …" if len(reasons) > 6 else ""),
                c.s.body,
                bold_prefix=c.t("verdict_reasons") + ": ",
            )
        )
    if readiness.domains:  # a release that withholds every domain has no chart to draw, only the count above
        out += [
            c.heading(c.t("readiness_by_domain"), 1),
            domain_bar_chart([(c.domain_title(d.domain), d.score) for d in readiness.domains], c.x, FRAME_WIDTH),
        ]
    out.append(c.heading(c.t("top_overdue_critical"), 1))
    critical = readiness.overdue_critical[:12]
    if critical:
        rows = [
            [
                i.item.id,
                c.localized({"translations": i.item.fields.get("translations"), **i.item.fields}, "title")[0],
                c.role(i.item.fields["owner"]),
                c.due(i),
                c.state(i.state),
            ]
            for i in critical
        ]
        out.append(
            c.table(
                [c.t("col_id"), c.t("col_item"), c.t("col_owner"), c.t("col_due"), c.t("col_status")],
                rows,
                w(0.11, 0.47, 0.2, 0.11, 0.11),
            )
        )
    elif not c.r.withheld.get("overdue_critical"):
        out.append(c.p(c.t("none_overdue_critical")))
    out += withheld_note(c, "overdue_critical")
    out += match_verdicts(c)
    out += safety_findings(c)
    out.append(PageBreak())
    return out


def match_verdicts(c: Ctx) -> list[Flowable]:
    """Each match's go/no-go on both clocks, one line each with its first reason (the match's
    own pages give them all)."""
    if not c.r.matches:
        return []
    rows = []
    for match in c.r.matches:
        first = c.m(Message(*match.reason_codes[0])) if match.reason_codes else ""
        kickoff = match.kickoff
        rows.append(
            [
                match.match,
                f"{c.d(kickoff.date().isoformat())} {kickoff.strftime('%H:%M')}",
                c.t(f"match_phase_{match.phase}"),
                c.t(f"verdict_{match.verdict}"),
                first,
            ]
        )
    header = [c.t(f"ops_col_{name}") for name in ("match", "kickoff")] + [c.t("col_state")]
    header += [c.t("ops_col_verdict"), c.t("ops_col_first_reason")]
    return [
        c.heading(c.t("ops_summary_matches"), 1),
        c.p(c.t("ops_summary_matches_intro"), c.s.small),
        c.table(header, rows, w(0.1, 0.2, 0.13, 0.13, 0.44)),
    ]


def changes_since(c: Ctx) -> list[Flowable]:
    changes = c.r.changes
    if changes is None:
        return []
    out: list[Flowable] = [
        c.heading(c.t("changes_since", rev=changes.rev), 0),
        c.p(c.t("changes_intro", rev=changes.rev, commit=changes.commit[:12])),
    ]
    if not changes.lines and not c.r.changes_withheld:
        out.append(c.p(c.t("no_changes", rev=changes.rev)))
    for line in changes.lines:
        out.append(c.p(c.m(line.message), c.s.cell))
    if c.r.changes_withheld:
        out.append(c.p(c.t("withheld_items", count=c.n(c.r.changes_withheld)), c.s.small))
    return out + [PageBreak()]


def safety_findings(c: Ctx) -> list[Flowable]:
    out: list[Flowable] = [c.heading(c.t("safety_findings"), 1)]
    if c.r.safety is None:
        return out + [c.p(c.t("safety_withheld" if c.r.withheld.get("safety") else "safety_not_assessed"))]
    if not c.r.safety.findings:
        return out + [c.p(c.t("no_safety_findings"))]
    rows = [
        [c.p(c.t(f"severity_{f.severity}"), c.s.cell_bold), c.m(f.summary), c.m(f.remedy)] for f in c.r.safety.findings
    ]
    table = c.table([c.t("col_severity"), c.t("col_finding"), c.t("col_fix")], rows, w(0.12, 0.44, 0.44))
    for row, finding in enumerate(c.r.safety.findings, start=1):
        column = 2 if c.x.rtl else 0
        table.setStyle(TableStyle([("TEXTCOLOR", (column, row), (column, row), SEVERITY_COLOURS[finding.severity])]))
    return out + [table]


def venue_profile(c: Ctx) -> list[Flowable]:
    venue = c.plan.venue
    safety = c.r.safety
    out: list[Flowable] = [c.heading(c.t("venue_profile"), 0)]
    facts = [[c.t("declared_capacity"), c.n(venue["capacity"])]]
    if safety and safety.has_geometry and safety.sections:  # none: a release withheld what it rests on
        facts.append([c.t("safe_capacity"), c.n(safety.safe_capacity)])
    if venue.get("capacity_source"):
        facts.append([c.t("capacity_source"), c.names.venue_field("capacity_source")])
    if venue.get("illustrative"):
        facts.append([c.t("illustrative"), c.names.venue_field("illustrative")])
    out.append(c.facts(facts))
    geometry = venue.get("geometry") or {}
    if any(geometry.get(group) for group in ("sections", "entrances", "exits", "posts")):
        out += geometry_tables(c, geometry, safety)
        out += posts_table(c, geometry.get("posts") or [])
        places = sum(c.r.withheld.get(group, 0) for group in (*PLACE_GROUPS, "posts"))
        if places:
            out.append(c.p(c.t("places_withheld", count=c.n(places)), c.s.small))
    else:
        out.append(c.p(c.t("geometry_withheld" if c.r.withheld.get("sections") else "no_geometry")))
    return out + assessment_tables(c, safety) + [PageBreak()]


def posts_table(c: Ctx, posts: list[dict]) -> list[Flowable]:
    """Security posts (cameras, static posts) by id, kind and location."""
    if not posts:
        return []
    rows = [[p["id"], c.t(f"post_{p['kind']}"), p["location"]] for p in posts]
    return [
        c.heading(c.t("posts"), 2, toc=False),
        c.table([c.t("col_id"), c.t("col_kind"), c.t("col_location")], rows, w(0.2, 0.2, 0.6)),
    ]


def timeline(c: Ctx) -> list[Flowable]:
    """Every clock with its due dates, earliest first: preparation deadlines by date (their last
    day), a milestone's items on a row of their own ("before ticket on-sale"), match-day phases
    once per match, then post."""
    rows = []
    for clock, items, dates in timeline_rows(c):
        when = ", ".join(dates[:3]) + (" …" if len(dates) > 3 else "") if dates else c.t("match_checklist_state")
        critical = [i.item.id for i in items if i.criticality == "critical"]
        rows.append(
            [
                c.t("phase_post") if clock == "post" else clock,
                when,
                str(len(items)),
                ", ".join(i.item.id + ("*" if i.item.id in critical else "") for i in items),
            ]
        )
    header = [c.t("col_phase"), c.t("col_due"), "#", c.t("col_items")]
    table = c.table_of_rows(header, rows, w(0.17, 0.2, 0.06, 0.57))
    return [c.heading(c.t("timeline"), 0), *table, *withheld_note(c, "present"), PageBreak()]


def timeline_rows(c: Ctx) -> list[tuple[str, list[ItemReadiness | ChecklistItem], list[str]]]:
    """The timeline's rows, earliest first: each clock, its items, and their due dates (none for
    match-day items, which fall due at every match)."""
    readiness = c.r.readiness
    groups: dict[str, list[ItemReadiness | ChecklistItem]] = defaultdict(list)
    for item in [*readiness.items, *readiness.later, *readiness.match_day]:
        groups[timeline_clock(c, item)].append(item)
    rows = []
    for clock in sorted(groups, key=lambda key: timeline_order(key, groups[key])):
        items = groups[clock]
        dates = sorted({i.deadlines[0].shown() for i in items if isinstance(i, ItemReadiness) and i.deadlines})
        rows.append((clock, items, dates))
    return rows


def timeline_clock(c: Ctx, item: ItemReadiness | ChecklistItem) -> str:
    """The timeline row of an item: the milestone that set its deadline, else its phase."""
    bound = item.deadlines[0].bound if isinstance(item, ItemReadiness) and item.deadlines else None
    if bound is not None and bound.milestone is not None:
        return item.deadlines[0].clock(c.x.catalog) or item.item.fields["phase"]
    return item.item.fields["phase"]


def timeline_order(clock: str, items: list[ItemReadiness | ChecklistItem]) -> tuple:
    """Preparation rows by their earliest deadline, then match-day phases in time order, then post."""
    if clock == "post":
        return (2, 0, "")
    if all(isinstance(i, ChecklistItem) for i in items):
        return (1, parse_phase(clock).order, "")
    due = min(i.deadlines[0].due for i in items if isinstance(i, ItemReadiness) and i.deadlines)
    return (0, due.timestamp(), clock)


def domain_chapters(c: Ctx) -> list[Flowable]:
    """One chapter per domain: its preparation items scored (done, overdue), post items still to
    come, and its match-day items as a checklist for every match (never done or overdue here)."""
    order = {key: value.get("order", 999) for key, value in c.plan.domains.items()}
    out: list[Flowable] = []
    for chapter in c.r.readiness.by_domain(order):
        key, domain, later, match_day = chapter.key, chapter.scored, chapter.later, chapter.match_day
        out.append(CondPageBreak(60 * mm))
        out.append(c.heading(c.domain_title(key), 0))
        if domain is not None:
            intro = c.t(
                "domain_chapter_intro", done=c.n(domain.done), total=c.n(len(domain.items)), score=c.n(domain.score)
            )
            out.append(c.p(intro))
        withheld = c.r.withheld.get(f"domain:{key}", 0)
        if withheld:
            out.append(c.p(c.t("withheld_items", count=c.n(withheld)), c.s.small))
        prepared = (domain.items if domain else []) + later
        rows = [_prepared_row(c, i, i in later) for i in prepared] + [_checklist_row(c, m) for m in match_day]
        if not rows:
            continue
        out.append(
            c.table(
                [
                    c.t("col_check"),
                    c.t("col_id"),
                    c.t("col_item"),
                    c.t("col_owner"),
                    c.t("col_due"),
                    c.t("col_status"),
                    c.t("col_evidence"),
                ],
                rows,
                w(0.035, 0.125, 0.31, 0.145, 0.115, 0.11, 0.16),
            )
        )
        out.append(c.heading(c.t("item_details"), 2, toc=False))
        out += [item_detail(c, i.item, i.state, i.entry) for i in prepared]
        out += [item_detail(c, m.item) for m in match_day]
    return out


def _prepared_row(c: Ctx, i: ItemReadiness, later: bool) -> list[str]:
    fields = i.item.fields
    changed = CHANGE_MARK if (i.item.added or i.item.changed_fields()) else ""
    title, _ = c.localized(fields, "title")
    state = c.state(i.state) + (f" ({c.t('label_overdue')})" if i.overdue else "")
    if later:
        state = c.t("phase_post")
    evidence = _short((i.entry or {}).get("evidence", ""), 60)
    return [BOXES.get(i.state, "☐"), f"{i.item.id}{changed}", title, c.role(fields["owner"]), c.due(i), state, evidence]


def _checklist_row(c: Ctx, m: ChecklistItem) -> list[str]:
    """A match-day item: due at each match, so no state of its own (the execution records have them)."""
    fields = m.item.fields
    changed = CHANGE_MARK if (m.item.added or m.item.changed_fields()) else ""
    title, _ = c.localized(fields, "title")
    due = c.t("match_checklist_due", phase=fields["phase"])
    return ["☐", f"{m.item.id}{changed}", title, c.role(fields["owner"]), due, c.t("match_checklist_state"), ""]


def changed_value(c: Ctx, item: ResolvedItem, name: str, base: bool) -> Any:
    """A changed field's value now (or as declared, ``base``) as the plan says it: a text field in
    the plan's language (an overlay that rewrites a title also rewrites its translations), a
    field an overlay introduced as "—" before it, references by id and section."""
    if base:
        value, translations = item.base_value(name), item.base_value("translations")
    else:
        value, translations = item.fields.get(name), item.fields.get("translations")
    if value is None:
        return "—"
    if name in ("title", "description", "evidence"):
        return c.localized({"translations": translations, name: value}, name)[0]
    if name == "references":
        return ", ".join(reference_text(r) for r in value)
    return c.field_value(name, value)


def reference_text(reference: Any) -> str:
    """A reference use as the plan prints it: its id, and the section relied on when given."""
    return reference if isinstance(reference, str) else f"{reference['id']} {reference.get('section', '')}".strip()


def item_detail(c: Ctx, item: ResolvedItem, state: str | None = None, entry: dict | None = None) -> Flowable:
    """An item's text, sources and history; its status entry for a preparation item."""
    fields = item.fields
    title, title_fallback = c.localized(fields, "title")
    description, description_fallback = c.localized(fields, "description")
    evidence, _ = c.localized(fields, "evidence")
    parts = [c.p(f"{item.id} — {title}", c.s.cell_bold), c.p(description, c.s.cell)]
    if title_fallback or description_fallback:
        parts.append(c.p(c.t("label_fallback"), c.s.small))
    parts.append(c.p(evidence, c.s.cell, bold_prefix=c.t("label_evidence") + ": "))
    if state and entry and entry.get("evidence"):
        parts.append(c.p(f"{c.state(state)}: {entry['evidence']}", c.s.small, bold_prefix=c.t("col_status") + ": "))
    refs = [reference_text(r) for r in fields.get("references") or []]
    if refs:
        parts.append(c.p(", ".join(refs), c.s.small, bold_prefix=c.t("label_references") + ": "))
    elif fields.get("basis") == "practice":
        parts.append(c.p(c.t("label_basis_practice"), c.s.small, bold_prefix=c.t("label_references") + ": "))
    if fields.get("lessons"):
        parts.append(c.p(", ".join(fields["lessons"]), c.s.small, bold_prefix=c.t("label_lessons") + ": "))
    if fields.get("applies_when"):
        parts += condition(c, fields["applies_when"])
    if state == "blocked" and entry:
        parts.append(c.p(entry.get("reason", ""), c.s.small, bold_prefix=c.t("label_blocked_reason") + ": "))
    if item.added:
        parts.append(
            c.p(
                f"{CHANGE_MARK} {c.t('label_added', layer=c.t('layer_' + item.added.layer))} ({item.added})",
                c.s.small,
            )
        )
    for name in item.changed_fields():
        if name == "translations":  # shown through the texts it translates, in the plan's language
            continue
        origin = item.origin(name)
        base = _short(changed_value(c, item, name, base=True))
        now = _short(changed_value(c, item, name, base=False))
        parts.append(
            c.p(
                f"{CHANGE_MARK} {c.field(name)}: {now} ({c.t('label_was', value=base)}; {origin})",
                c.s.small,
                bold_prefix=c.t("label_changed") + ": ",
            )
        )
    parts.append(Spacer(1, 2.5 * mm))
    return KeepTogether(parts)


def condition(c: Ctx, expression: str) -> list[Flowable]:
    """A condition as a sentence in the plan's language, the expression in a smaller line under it."""
    return [c.p(c.m(describe(expression, c.labels)), c.s.cell), c.p(expression, c.s.small)]


def _short(value: Any, limit: int = 90) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return truncate(text, limit, "…")


def appendix_excluded(c: Ctx) -> list[Flowable]:
    out: list[Flowable] = [PageBreak(), c.heading(c.t("appendix_excluded"), 0), c.p(c.t("appendix_intro"))]
    rows = []
    for item in c.plan.items():
        if item.state == "present":
            continue
        title = c.localized(item.fields, "title")[0]
        if item.state == "not_applicable":
            detail = condition(c, item.condition)
        else:
            removal = item.removal
            detail = f"{removal['reason']} ({removal['file']}:{removal['line']})"
            if removal.get("waiver"):
                waiver = removal["waiver"]
                detail += "\n" + c.t(
                    "label_waiver", who=waiver["approved_by"], date=waiver["date"], why=waiver["reason"]
                )
        rows.append([item.id, title, c.state(item.state), detail])
    for entry in c.r.readiness.excluded:
        if entry["why"] == "status not-applicable":
            item = c.plan.item(entry["id"])
            title = c.localized(item.fields, "title")[0] if item else entry["title"]
            rows.append([entry["id"], title, c.state("not-applicable"), entry["detail"]])
    if rows:
        out.append(
            c.table(
                [c.t("col_id"), c.t("col_item"), c.t("col_status"), c.t("col_reason")], rows, w(0.11, 0.35, 0.14, 0.4)
            )
        )
    elif not c.r.withheld.get("excluded"):
        out.append(c.p(c.t("no_excluded")))
    return out + withheld_note(c, "excluded")


def lessons_traceability(c: Ctx) -> list[Flowable]:
    rows = []
    for lesson_id, lesson, answers in lesson_traces(c):
        title = c.localized(lesson, "title")[0]
        states = [f"{item_id}: {state}" for item_id, state in answers]
        lines = [c.p(title, c.s.cell)] + [
            line for source in lesson.get("sources") or [] for line in lesson_source(c, source)
        ]
        rows.append([lesson_id, lines, "\n".join(states) or "—"])
    out = [PageBreak(), c.heading(c.t("lessons_traceability"), 0), c.p(c.t("lessons_intro"))]
    if c.r.withheld.get("lessons"):
        out.append(c.p(c.t("lessons_withheld", count=c.n(c.r.withheld["lessons"])), c.s.small))
    return out + c.table_of_rows([c.t("col_lesson"), c.t("col_item"), c.t("col_status")], rows, w(0.12, 0.6, 0.28))


def lesson_traces(c: Ctx) -> list[tuple[str, dict, list[tuple[str, str]]]]:
    """Each lesson of the plan, by id, with the items that answer it and each one's state in words."""
    status = c.r.status
    readiness = {i.item.id: i.state for i in c.r.readiness.items}
    match_day = {m.item.id for m in c.r.readiness.match_day}
    answering: dict[str, list[str]] = defaultdict(list)
    for item in c.plan.items():
        for lesson in item.fields.get("lessons") or []:
            answering[lesson].append(item.id)
    return [
        (
            lesson_id,
            lesson,
            [(i, traced_state(c, i, status.get(i), readiness, match_day)) for i in answering[lesson_id]],
        )
        for lesson_id, lesson in sorted(c.plan.lessons.items())
    ]


def traced_state(c: Ctx, item_id: str, entry: Any, readiness: dict[str, str], match_day: set[str]) -> str:
    """An answering item's state as the chapters show it: its status, its preparation state, "each
    match" for a match-day item and "after the tournament" for a post item (never a raw key)."""
    if entry is not None:
        return c.state(entry.state)
    if item_id in match_day:
        return c.t("match_checklist_state")
    if item_id in readiness:
        return c.state(readiness[item_id])
    item = c.plan.item(item_id)
    if item.state == "present" and item.fields.get("phase") == "post":
        return c.t("phase_post")
    return c.state(item.state)


def lesson_source(c: Ctx, source: dict) -> list[Flowable]:
    """One source of a lesson under its title: outlet, date and how well it establishes the
    lesson, then the headline on a line of its own (cited as published, in its own language and
    script); a source nobody could find is flagged in bold with what is missing, so a reader
    never mistakes it for a reported fact."""
    if source.get("confidence") == "unconfirmed":
        return [
            c.p(f"{source.get('outlet', '')}: {source.get('note', '')}", c.s.cell, c.t("lesson_unconfirmed") + " — ")
        ]
    iso = str(source.get("date", ""))
    date = c.d(iso) if len(iso) == 10 else c.x.catalog.month(iso)
    confidence = c.t(f"lesson_confidence_{source.get('confidence')}")
    return [
        c.p(c.t("lesson_source", outlet=source.get("outlet", ""), date=date, confidence=confidence), c.s.small),
        c.p(c.t("lesson_headline", title=source.get("title", "")), c.s.small),
    ]


def contacts(c: Ctx) -> list[Flowable]:
    people = c.plan.venue.get("contacts") or []
    out: list[Flowable] = [CondPageBreak(50 * mm), c.heading(c.t("contacts"), 0)]
    withheld = c.r.withheld.get("contacts", 0)
    if withheld:
        out.append(c.p(c.t("contacts_withheld", count=c.n(withheld)), c.s.small))
    if not people:
        return out if withheld else out + [c.p(c.t("no_contacts"))]
    rows = [
        [
            c.role(p["role"]),
            p["name"],
            p.get("phone", ""),
            p.get("email", "") + (f"\n{p['radio']}" if p.get("radio") else ""),
        ]
        for p in people
    ]
    return out + [
        c.table([c.t("col_role"), c.t("col_name"), c.t("col_phone"), c.t("col_reach")], rows, w(0.3, 0.25, 0.2, 0.25))
    ]


def sign_off(c: Ctx) -> list[Flowable]:
    rows = [[c.role(role), "", "", ""] for role in SIGN_OFF_ROLES if role in c.plan.roles]
    table = c.table(
        [c.t("col_role"), c.t("col_name"), c.t("col_signature"), c.t("col_date")],
        rows,
        w(0.34, 0.24, 0.26, 0.16),
        zebra=False,
        row_height=14 * mm,
    )
    table.setStyle(TableStyle([("GRID", (0, 1), (-1, -1), 0.5, RULE)]))
    return [PageBreak(), c.heading(c.t("sign_off"), 0), c.p(c.t("sign_off_intro")), Spacer(1, 4 * mm), table]


SECTIONS = (
    cover,
    document_control,
    executive_summary,
    changes_since,
    venue_profile,
    timeline,
    domain_chapters,
    match_operations,
    appendix_excluded,
    lessons_traceability,
    contacts,
    sign_off,
)
