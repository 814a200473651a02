"""The whole plan as accessible HTML: the chapters of the PDF plan, below the venue page's h1.

Parallel to render/sections.py, in the same order and words (the same catalog keys and the same
helpers for names, roles, states and deadlines): document control, executive summary (verdict,
readiness by domain, overdue critical items, each match's go/no-go, safety findings), changes
since a revision, venue profile (geometry, safety figures, deployment, medical provision),
timeline, one chapter per domain with every item in full (``id="item-<ID>"``), match operations
(site/plan_operations.py), excluded items, lessons traceability, contacts and sign-off.

Left out, because they make no sense in HTML: the cover and the contents (the venue page has its
own heading and the browser its own navigation), page headers and footers, the blank forms
(decision-log pages, blank amendment rows, the signature boxes: the sign-off lists who signs),
the command-structure diagram (a table of the same posts and reporting lines instead) and the
risk heat map (the register table gives every risk's ratings in words and numbers).

The report is already released: what it withholds is absent, and each "N withheld" note the PDF
prints is printed here under the same conditions.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from eventsec.assess.readiness.scores import ChecklistItem, ItemReadiness
from eventsec.i18n.message import Message
from eventsec.plan.conditions import describe
from eventsec.plan.model import ResolvedItem
from eventsec.render.context import Ctx
from eventsec.render.report import PlanReport
from eventsec.render.sections import (
    SIGN_OFF_ROLES,
    changed_value,
    lesson_traces,
    marking_line,
    overall_said,
    reference_text,
    release_line,
    timeline_rows,
)
from eventsec.site.plan_markup import (
    bullets,
    context,
    definitions,
    domain_name,
    facts,
    fmt,
    heading,
    item_link,
    localized,
    note,
    para,
    role_name,
    section,
    table,
    text,
)
from eventsec.site.plan_operations import match_operations, venue_profile


def plan_html(report: PlanReport) -> Markup:
    """The plan's chapters below the venue page's heading (they start at h2)."""
    c = context(report)
    chapters = (
        ("plan-control", document_control),
        ("plan-summary", executive_summary),
        ("plan-changes", changes_since),
        ("plan-profile", venue_profile),
        ("plan-timeline", timeline),
        ("plan-domains", domain_chapters),
        ("plan-operations", match_operations),
        ("plan-excluded", appendix_excluded),
        ("plan-lessons", lessons_traceability),
        ("plan-contacts", contacts),
        ("plan-sign-off", sign_off),
    )
    parts = []
    for anchor, chapter in chapters:
        content = chapter(c)
        if content:
            parts.append(section(anchor, content))
    return Markup("").join(parts)


def withheld_note(c: Ctx, what: str) -> list[Markup]:
    """The PDF's "N items withheld at this release level." where the release withheld some."""
    count = c.r.withheld.get(what, 0)
    return [note(c.t("withheld_items", count=c.n(count)))] if count else []


def reasons(c: Ctx, codes: list[tuple[str, dict]]) -> Markup:
    """Why a verdict is what it is: every reason, as a list under its label."""
    if not codes:
        return Markup("")
    said = [text(c, c.m(Message(key, values))) for key, values in codes]
    return para("", label=c.t("verdict_reasons") + ":") + bullets(said)


def verdict(c: Ctx, value: str) -> Markup:
    """A verdict as a word, with a class the stylesheet may colour (never the only carrier)."""
    return fmt('<strong class="verdict" data-verdict="{}">{}</strong>', value, c.t(f"verdict_{value}"))


# -- document control and summary ------------------------------------------------------------------
def document_control(c: Ctx) -> list[Markup]:
    venue, match = c.plan.venue, c.plan.match
    rows = [
        (c.t("dc_version"), c.r.plan_version),
        (c.t("dc_venue"), text(c, f"{c.names.venue()} ({venue['id']})")),
        (
            c.t("dc_match"),
            f"{match['id']} — {match.get('date')} {match.get('kickoff')}" if match else c.t("dc_all_matches"),
        ),
        (c.t("dc_as_of"), c.d(c.r.as_of)),
        (c.t("dc_release"), text(c, release_line(c))),
        (c.t("dc_marking"), text(c, marking_line(c))),
        (c.t("dc_languages"), f"{c.x.catalog.language_name()} ({c.r.lang})"),
        (c.t("dc_digest"), fmt("<code>{}</code>", c.plan.inputs_digest)),
        (c.t("dc_tool"), f"eventsec {c.r.tool_version}"),
        (c.t("dc_distribution"), bullets(text(c, line) for line in c.names.distribution()) or "—"),
    ]
    return [heading(2, c.t("document_control")), facts(c.t("document_control"), rows)]


def executive_summary(c: Ctx) -> list[Markup]:
    readiness = c.r.readiness
    overall = overall_said(c)
    badge = fmt("{} · {}", verdict(c, readiness.verdict), c.x.percent(readiness.overall()[0]))
    out = [heading(2, c.t("executive_summary")), para(badge), para(overall), note(c.t("clock_preparation_intro"))]
    if readiness.later:
        out.append(note(c.t("clock_later_note", count=c.n(len(readiness.later)))))
    out.append(reasons(c, readiness.reason_codes))
    if readiness.domains:
        rows = [
            (domain_name(c, d.domain), c.x.percent(d.score), c.n(d.done), c.n(len(d.items)), c.n(d.overdue))
            for d in readiness.domains
        ]
        header = [c.t(k) for k in ("col_domain", "col_score", "col_done", "col_items", "col_overdue")]
        out += [heading(3, c.t("readiness_by_domain")), table(c.t("readiness_by_domain"), header, rows)]
    out.append(heading(3, c.t("top_overdue_critical")))
    critical = readiness.overdue_critical
    if critical:
        rows = [
            (
                item_link(i.item.id),
                localized(c, i.item.fields, "title"),
                role_name(c, i.item.fields["owner"]),
                c.due(i),
                c.state(i.state),
            )
            for i in critical
        ]
        header = [c.t(k) for k in ("col_id", "col_item", "col_owner", "col_due", "col_status")]
        out.append(table(c.t("top_overdue_critical"), header, rows))
    elif not c.r.withheld.get("overdue_critical"):
        out.append(para(c.t("none_overdue_critical")))
    return out + withheld_note(c, "overdue_critical") + match_verdicts(c) + safety_findings(c)


def match_verdicts(c: Ctx) -> list[Markup]:
    """Each match's go/no-go with all its reasons (the PDF's summary shows the first)."""
    if not c.r.matches:
        return []
    rows = []
    for match in c.r.matches:
        kickoff = match.kickoff
        said = [text(c, c.m(Message(key, values))) for key, values in match.reason_codes]
        rows.append(
            (
                match.match,
                f"{c.d(kickoff.date().isoformat())} {kickoff.strftime('%H:%M')}",
                c.t(f"match_phase_{match.phase}"),
                verdict(c, match.verdict),
                bullets(said),
            )
        )
    header = [
        c.t("ops_col_match"),
        c.t("ops_col_kickoff"),
        c.t("col_state"),
        c.t("ops_col_verdict"),
        c.t("verdict_reasons"),
    ]
    return [
        heading(3, c.t("ops_summary_matches")),
        note(c.t("ops_summary_matches_intro")),
        table(c.t("ops_summary_matches"), header, rows),
    ]


def safety_findings(c: Ctx) -> list[Markup]:
    out = [heading(3, c.t("safety_findings"))]
    if c.r.safety is None:
        return out + [para(c.t("safety_withheld" if c.r.withheld.get("safety") else "safety_not_assessed"))]
    if not c.r.safety.findings:
        return out + [para(c.t("no_safety_findings"))]
    rows = [
        (
            fmt('<strong class="severity-{}">{}</strong>', f.severity, c.t(f"severity_{f.severity}")),
            text(c, c.m(f.summary)),
            text(c, c.m(f.remedy)),
        )
        for f in c.r.safety.findings
    ]
    header = [c.t("col_severity"), c.t("col_finding"), c.t("col_fix")]
    return out + [table(c.t("safety_findings"), header, rows)]


def changes_since(c: Ctx) -> list[Markup]:
    changes = c.r.changes
    if changes is None:
        return []
    out = [
        heading(2, c.t("changes_since", rev=changes.rev)),
        para(c.t("changes_intro", rev=changes.rev, commit=changes.commit[:12])),
    ]
    if not changes.lines and not c.r.changes_withheld:
        out.append(para(c.t("no_changes", rev=changes.rev)))
    out.append(bullets(text(c, c.m(line.message)) for line in changes.lines))
    if c.r.changes_withheld:
        out.append(note(c.t("withheld_items", count=c.n(c.r.changes_withheld))))
    return out


# -- timeline and domains --------------------------------------------------------------------------
def timeline(c: Ctx) -> list[Markup]:
    """Every clock with its due dates, earliest first, as the PDF orders them."""
    rows = []
    for clock, items, dates in timeline_rows(c):
        when = ", ".join(dates) if dates else c.t("match_checklist_state")
        links = Markup(", ").join(
            item_link(i.item.id) + (Markup("*") if i.criticality == "critical" else Markup("")) for i in items
        )
        rows.append((c.t("phase_post") if clock == "post" else clock, when, c.n(len(items)), links))
    header = [c.t("col_phase"), c.t("col_due"), "#", c.t("col_items")]
    return [heading(2, c.t("timeline")), table(c.t("timeline"), header, rows), *withheld_note(c, "present")]


def domain_chapters(c: Ctx) -> list[Markup]:
    """One chapter per domain: its items in a table, then each item in full."""
    order = {key: value.get("order", 999) for key, value in c.plan.domains.items()}
    return [
        section(f"plan-domain-{ch.key}", domain_chapter(c, ch.key, ch.scored, ch.later, ch.match_day))
        for ch in c.r.readiness.by_domain(order)
    ]


def domain_chapter(
    c: Ctx, key: str, domain, later: list[ItemReadiness], match_day: list[ChecklistItem]
) -> list[Markup]:
    title = domain_name(c, key)
    out = [heading(2, title)]
    if domain is not None:
        out.append(
            para(
                c.t(
                    "domain_chapter_intro", done=c.n(domain.done), total=c.n(len(domain.items)), score=c.n(domain.score)
                )
            )
        )
    withheld = c.r.withheld.get(f"domain:{key}", 0)
    if withheld:
        out.append(note(c.t("withheld_items", count=c.n(withheld))))
    prepared = (domain.items if domain else []) + later
    rows = [prepared_row(c, i, i in later) for i in prepared] + [checklist_row(c, m) for m in match_day]
    if not rows:
        return out
    header = [c.t(k) for k in ("col_id", "col_item", "col_owner", "col_due", "col_status")]
    out += [table(title, header, rows), heading(3, c.t("item_details"))]
    out += [item_detail(c, i.item, deadline(c, i), state_said(c, i, i in later), i.state, i.entry) for i in prepared]
    out += [
        item_detail(c, m.item, c.t("match_checklist_due", phase=m.item.fields["phase"]), c.t("match_checklist_state"))
        for m in match_day
    ]
    return out


def deadline(c: Ctx, i: ItemReadiness) -> Markup:
    """An item's deadline in words ("2 June 2030", "14 days before the draw, 2 June 2030"),
    with the machine-readable date beside it."""
    if not i.deadlines:
        return Markup("—")
    first = i.deadlines[0]
    day = first.day.isoformat() if first.whole_day else first.due.strftime("%Y-%m-%d %H:%M")
    words = c.d(day) if first.whole_day else f"{c.d(day)} {first.due.strftime('%H:%M')}"
    when = fmt('<time datetime="{}">{}</time>', day.replace(" ", "T"), words)
    clock = first.clock(c.x.catalog)
    return fmt(escape(c.t("milestone_due")), clock=text(c, clock), date=when) if clock else when


def state_said(c: Ctx, i: ItemReadiness, later: bool) -> str:
    if later:
        return c.t("phase_post")
    return c.state(i.state) + (f" ({c.t('label_overdue')})" if i.overdue else "")


def prepared_row(c: Ctx, i: ItemReadiness, later: bool) -> tuple:
    fields = i.item.fields
    return (
        item_link(i.item.id),
        localized(c, fields, "title"),
        role_name(c, fields["owner"]),
        c.due(i),
        state_said(c, i, later),
    )


def checklist_row(c: Ctx, m: ChecklistItem) -> tuple:
    fields = m.item.fields
    due = c.t("match_checklist_due", phase=fields["phase"])
    return (
        item_link(m.item.id),
        localized(c, fields, "title"),
        role_name(c, fields["owner"]),
        due,
        c.t("match_checklist_state"),
    )


def item_detail(
    c: Ctx, item: ResolvedItem, due: str | Markup, state: str, state_key: str | None = None, entry: dict | None = None
) -> Markup:
    """One item in full: its text, criticality, phase and deadline, owner, state and the venue
    team's evidence, references and lessons, its condition as a sentence, and what overlays changed."""
    fields = item.fields
    title, title_fallback = c.localized(fields, "title")
    description, description_fallback = c.localized(fields, "description")
    pairs = [
        (c.t("html_label_criticality"), c.t(f"criticality_{fields['criticality']}")),
        (c.t("col_phase"), fields.get("phase", "")),
        (c.t("col_due"), due or "—"),
        (c.t("col_owner"), c.role(fields["owner"])),
        (c.t("col_status"), state),
        (c.t("label_evidence"), localized(c, fields, "evidence")),
    ]
    if state_key and entry and entry.get("evidence"):
        pairs.append((c.t("col_evidence"), text(c, entry["evidence"])))
    if state_key == "blocked" and entry:
        pairs.append((c.t("label_blocked_reason"), text(c, entry.get("reason", ""))))
    refs = [reference_text(r) for r in fields.get("references") or []]
    if refs:
        pairs.append((c.t("label_references"), bullets(fmt("<cite>{}</cite>", r) for r in refs)))
    elif fields.get("basis") == "practice":
        pairs.append((c.t("label_references"), c.t("label_basis_practice")))
    if fields.get("lessons"):
        pairs.append(
            (
                c.t("label_lessons"),
                Markup(", ").join(fmt('<a href="#lesson-{0}">{0}</a>', x) for x in fields["lessons"]),
            )
        )
    if fields.get("applies_when"):
        pairs.append((c.t("html_label_condition"), condition(c, fields["applies_when"])))
    changes = changed(c, item)
    if changes:
        pairs.append((c.t("label_changed"), changes))
    body = [
        heading(4, fmt("{} — {}", item.id, text(c, title, english=title_fallback))),
        para(text(c, description, english=description_fallback)),
    ]
    if title_fallback or description_fallback:
        body.append(note(c.t("label_fallback")))
    body.append(definitions(pairs))
    return fmt('<article id="item-{}" class="item">\n{}</article>\n', item.id, Markup("").join(body))


def changed(c: Ctx, item: ResolvedItem) -> Markup:
    """What overlays did to the item: added it, or changed fields (now, library value, where)."""
    lines = []
    if item.added:
        lines.append(f"{c.t('label_added', layer=c.t('layer_' + item.added.layer))} ({item.added})")
    for name in item.changed_fields():
        if name == "translations":  # shown through the texts it translates
            continue
        base = changed_value(c, item, name, base=True)
        now = changed_value(c, item, name, base=False)
        lines.append(f"{c.field(name)}: {now} ({c.t('label_was', value=base)}; {item.origin(name)})")
    return bullets(text(c, line) for line in lines)


def condition(c: Ctx, expression: str) -> Markup:
    """A condition as a sentence in the plan's language, the expression under it as code."""
    return fmt('{}<br><code dir="ltr">{}</code>', text(c, c.m(describe(expression, c.labels))), expression)


# -- appendix, lessons, contacts, sign-off --------------------------------------------------------
def appendix_excluded(c: Ctx) -> list[Markup]:
    out = [heading(2, c.t("appendix_excluded")), para(c.t("appendix_intro"))]
    rows = []
    for item in c.plan.items():
        if item.state == "present":
            continue
        if item.state == "not_applicable":
            detail = condition(c, item.condition)
        else:
            removal = item.removal
            detail = text(c, f"{removal['reason']} ({removal['file']}:{removal['line']})")
            if removal.get("waiver"):
                waiver = removal["waiver"]
                said = c.t("label_waiver", who=waiver["approved_by"], date=waiver["date"], why=waiver["reason"])
                detail += Markup("<br>") + text(c, said)
        rows.append((anchor(item.id), localized(c, item.fields, "title"), c.state(item.state), detail))
    for entry in c.r.readiness.excluded:
        if entry["why"] == "status not-applicable":
            item = c.plan.item(entry["id"])
            title = localized(c, item.fields, "title") if item else text(c, entry["title"])
            rows.append((anchor(entry["id"]), title, c.state("not-applicable"), text(c, entry["detail"])))
    header = [c.t("col_id"), c.t("col_item"), c.t("col_status"), c.t("col_reason")]
    if rows:
        out.append(table(c.t("appendix_excluded"), header, rows))
    elif not c.r.withheld.get("excluded"):
        out.append(para(c.t("no_excluded")))
    return out + withheld_note(c, "excluded")


def anchor(item_id: str) -> Markup:
    """An excluded item's id as the target of links to it (chapters and contingencies link every
    item of the plan, and only the items that apply have details)."""
    return fmt('<span id="item-{0}">{0}</span>', item_id)


def lessons_traceability(c: Ctx) -> list[Markup]:
    rows = []
    for lesson_id, lesson, answers in lesson_traces(c):
        states = [fmt("{}: {}", item_link(item_id), state) for item_id, state in answers]
        sources = bullets(lesson_source(c, source) for source in lesson.get("sources") or [])
        anchor = fmt('<span id="lesson-{0}">{0}</span>', lesson_id)
        rows.append((anchor, localized(c, lesson, "title") + sources, bullets(states) or "—"))
    out = [heading(2, c.t("lessons_traceability")), para(c.t("lessons_intro"))]
    if c.r.withheld.get("lessons"):
        out.append(note(c.t("lessons_withheld", count=c.n(c.r.withheld["lessons"]))))
    header = [c.t("col_lesson"), c.t("col_item"), c.t("col_status")]
    return out + [table(c.t("lessons_traceability"), header, rows)]


def lesson_source(c: Ctx, source: dict) -> Markup:
    """A source under its lesson: outlet, date and confidence, then the headline as published
    (in its own language and script); an unconfirmed one flagged in bold with what is missing."""
    if source.get("confidence") == "unconfirmed":
        said = text(c, f"{source.get('outlet', '')}: {source.get('note', '')}")
        return fmt("<strong>{}</strong> — {}", c.t("lesson_unconfirmed"), said)
    iso = str(source.get("date", ""))
    date = c.d(iso) if len(iso) == 10 else c.x.catalog.month(iso)
    confidence = c.t(f"lesson_confidence_{source.get('confidence')}")
    line = text(c, c.t("lesson_source", outlet=source.get("outlet", ""), date=date, confidence=confidence))
    title = fmt("<cite>{}</cite>", text(c, source.get("title", "")))  # as published
    headline = fmt(escape(c.t("lesson_headline")), title=title)
    if c.x.rtl:  # a headline in a Latin script keeps its own direction inside an Arabic page
        headline = fmt('<span dir="auto">{}</span>', headline)
    return fmt("{}<br>{}", line, headline)


def contacts(c: Ctx) -> list[Markup]:
    people = c.plan.venue.get("contacts") or []
    out = [heading(2, c.t("contacts"))]
    withheld = c.r.withheld.get("contacts", 0)
    if withheld:
        out.append(note(c.t("contacts_withheld", count=c.n(withheld))))
    if not people:
        return out if withheld else out + [para(c.t("no_contacts"))]
    rows = [
        (
            role_name(c, p["role"]),
            text(c, p["name"]),
            fmt('<span dir="ltr">{}</span>', p.get("phone", "")),
            text(c, p.get("email", "") + (f"\n{p['radio']}" if p.get("radio") else "")),
        )
        for p in people
    ]
    header = [c.t("col_role"), c.t("col_name"), c.t("col_phone"), c.t("col_reach")]
    return out + [table(c.t("contacts"), header, rows)]


def sign_off(c: Ctx) -> list[Markup]:
    """Who signs the plan (the signature boxes are a paper form, left to the PDF)."""
    roles = [role_name(c, role) for role in SIGN_OFF_ROLES if role in c.plan.roles]
    return [heading(2, c.t("sign_off")), para(c.t("sign_off_intro")), bullets(roles)]
