"""The operations order of a match: command structure (a diagram), call signs and radio
channels, the contingency index, the risk register, deployment by sector, the timeline of the
day, the execution record, blank decision-log pages and the amendment record.

Everything comes from the released report (render/report.py ``operations`` and the released
plan's contacts and channels), so a release that withholds contacts leaves them out of the
diagram and the tables alike. :func:`operations_order` is ``render --match``'s body;
:func:`match_operations` is the venue plan's chapter (command structure and call signs once,
then a short order per match, without decision-log pages).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.graphics.shapes import Drawing, PolyLine, Rect, String
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Spacer, TableStyle

from eventsec.assess.readiness.matches import UPCOMING
from eventsec.i18n.message import Message
from eventsec.render.context import Ctx, w
from eventsec.render.contingency_tables import contingency_index
from eventsec.render.document import FRAME_WIDTH, PAGE_HEIGHT
from eventsec.render.execution_tables import execution_record
from eventsec.render.risk_tables import risk_register
from eventsec.render.safety_tables import deployment_table
from eventsec.render.styles import BAND, INK, MUTED, NAVY, RULE

LEVELS = ("strategic", "tactical", "operational")
"""Command tiers, top first. A contact whose role has no command_level sits in the last."""
BOXES_PER_ROW = 5
BOX_GAP = 3 * mm
SIDE = 2 * mm
"""Room left and right of the boxes, so the outer gutters are inside the drawing."""
ROW_GAP = 5 * mm
TIER_GAP = 6 * mm
LANES, LANE_STEP = 5, 1.1
"""Crossing lines of different superiors are spread over five lanes 1.1 pt apart."""
BAND_HEIGHT = 5 * mm
TITLE_SIZE, NAME_SIZE, SIGN_SIZE = 6.3, 6.3, 7
TITLE_LINES = 3
LINE = 7.4
BOX_HEIGHT = (TITLE_LINES + 2) * LINE + 4
DECISION_LOG_PAGES = 2
DECISION_ROW = 11 * mm
AMENDMENT_BLANK_ROWS = 10


# -- the command structure ----------------------------------------------------------------------
@dataclass(frozen=True)
class Post:
    """One contact's place in the structure: its tier, role, lines of text and box."""

    index: int
    level: str
    role: str
    reports_to: str | None
    title: str
    name: str
    call_sign: str


def level_of(c: Ctx, contact: dict) -> str:
    """The contact's own level, else its role's command_level, else operational."""
    level = contact.get("level") or (c.plan.roles.get(contact.get("role", "")) or {}).get("command_level")
    return level if level in LEVELS else LEVELS[-1]


def posts(c: Ctx) -> list[Post]:
    """The released contacts as posts, in their file order within each tier."""
    return [
        Post(
            index,
            level_of(c, contact),
            str(contact.get("role", "")),
            contact.get("reports_to"),
            c.role(str(contact.get("role", ""))),
            str(contact.get("name", "")),
            str(contact.get("call_sign", "")),
        )
        for index, contact in enumerate(c.plan.venue.get("contacts") or [])
    ]


def tier_rows(tier: list[Post]) -> list[list[Post]]:
    return [tier[start : start + BOXES_PER_ROW] for start in range(0, len(tier), BOXES_PER_ROW)]


def wrapped(c: Ctx, text: str, font: str, size: float, width: float, limit: int) -> list[str]:
    """``text`` cut into at most ``limit`` lines that fit ``width``, each ready to draw (shaped
    and in visual order in a right-to-left plan); a cut text ends with an ellipsis."""
    if c.x.rtl:
        from eventsec.render.rtl import visual_line, wrap_logical

        lines = wrap_logical(text, font, size, width)
        shown = [visual_line(line, base) for base, line in lines[:limit]]
    else:
        lines = simpleSplit(text, font, size, width)
        shown = list(lines[:limit])
    if len(lines) > limit and shown:
        shown[-1] = shown[-1][:-1] + "…" if not c.x.rtl else "…" + shown[-1][1:]
    return shown


def box_width() -> float:
    return (FRAME_WIDTH - 2 * SIDE - (BOXES_PER_ROW - 1) * BOX_GAP) / BOXES_PER_ROW


@dataclass
class Layout:
    """Where everything goes, left to right (mirrored when drawn in a right-to-left plan):
    each post's box (x, bottom y) and row, each row's gap above it (a y in the gap where lines
    run across), each tier band's y, and the drawing's height."""

    height: float = 0.0
    boxes: dict[int, tuple[float, float]] = field(default_factory=dict)
    row_of: dict[int, int] = field(default_factory=dict)
    gap_above: list[float] = field(default_factory=list)
    bands: list[tuple[str, float]] = field(default_factory=list)


def ordered_tier(tier: list[Post], placed: dict[str, float]) -> list[Post]:
    """A tier's posts, those whose superior is already placed first and under it (by its x),
    so reporting lines run short and seldom cross; otherwise in file order."""
    far = FRAME_WIDTH * 2
    return sorted(tier, key=lambda p: (placed.get(p.reports_to or "", far), p.index))


def layout(tiers: dict[str, list[Post]]) -> Layout:
    shown = [level for level in LEVELS if tiers[level]]
    rows = sum(len(tier_rows(tiers[level])) for level in shown)
    found = Layout()
    found.height = len(shown) * (BAND_HEIGHT + TIER_GAP) + rows * BOX_HEIGHT + (rows - len(shown) + 1) * ROW_GAP
    width, y, row_number = box_width(), found.height, 0
    placed: dict[str, float] = {}
    for level in shown:
        y -= BAND_HEIGHT
        found.bands.append((level, y))
        for number, row in enumerate(tier_rows(ordered_tier(tiers[level], placed))):
            gap = TIER_GAP if number == 0 else ROW_GAP
            found.gap_above.append(y - gap / 2)
            y -= gap + BOX_HEIGHT
            for column, post in enumerate(row):
                x = SIDE + column * (width + BOX_GAP)
                found.boxes[post.index] = (x, y)
                found.row_of[post.index] = row_number
                placed.setdefault(post.role, x + width / 2)
            row_number += 1
    found.gap_above.append(y - ROW_GAP / 2)  # under the last row, for a line between two of its boxes
    return found


def route(found: Layout, child: int, parent: int, lane: float) -> list[float]:
    """The points of the line from a box up to its superior's: up into the gap above the
    child's row, across, up a gutter between columns (never through a box) to the gap under
    the superior's row, across, and up to it. ``lane`` shifts the crossing segments so the
    lines of different superiors do not run on top of each other."""
    width = box_width()
    (cx, cy), (px, py) = found.boxes[child], found.boxes[parent]
    child_row, parent_row = found.row_of[child], found.row_of[parent]
    start, end = (cx + width / 2, cy + BOX_HEIGHT), (px + width / 2, py)
    if parent_row == child_row:  # a superior in the same row: under the row, from bottom to bottom
        below = found.gap_above[child_row + 1] - lane
        return [start[0], cy, start[0], below, end[0], below, *end]
    if parent_row > child_row:  # a superior drawn lower (a line that loops is refused by validate)
        return [*start, *end]
    across = found.gap_above[child_row] - lane
    if parent_row + 1 == child_row:
        return [*start, start[0], across, end[0], across, *end]
    under = found.gap_above[parent_row + 1] - lane
    gutter = px + width + BOX_GAP / 2 if px + width + BOX_GAP < FRAME_WIDTH else px - BOX_GAP / 2
    return [*start, start[0], across, gutter, across, gutter, under, end[0], under, *end]


def command_diagram(c: Ctx, all_posts: list[Post]) -> Drawing:
    """Three tiers of boxes (call sign, role title, name), a line from each box to the first
    box of the role it reports to, routed through the gaps between boxes."""
    tiers = {level: [p for p in all_posts if p.level == level] for level in LEVELS}
    found = layout(tiers)
    regular, bold = c.s.body.fontName, c.s.cell_bold.fontName
    drawing = Drawing(FRAME_WIDTH, found.height, initialFontName=regular)
    width = box_width()

    def mirrored(points: list[float]) -> list[float]:
        if not c.x.rtl:
            return points
        return [FRAME_WIDTH - value if n % 2 == 0 else value for n, value in enumerate(points)]

    first_of_role: dict[str, int] = {}
    for post in all_posts:
        first_of_role.setdefault(post.role, post.index)
    for _, y in found.bands:
        drawing.add(Rect(0, y, FRAME_WIDTH, BAND_HEIGHT, fillColor=BAND, strokeColor=None))
    superiors = sorted({first_of_role[p.reports_to] for p in all_posts if p.reports_to in first_of_role})
    for post in all_posts:
        boss = first_of_role.get(post.reports_to or "")
        if boss is None or boss == post.index:
            continue
        lane = (superiors.index(boss) % LANES - (LANES - 1) / 2) * LANE_STEP
        points = mirrored(route(found, post.index, boss, lane))
        drawing.add(PolyLine(points, strokeColor=MUTED, strokeWidth=0.6, fillColor=None))
    for level, y in found.bands:  # over the lines, on a patch of the band, so no line cuts a label
        label = c.x.shape(c.t(f"ops_level_{level}"))
        size = stringWidth(label, bold, 7.5) + 3 * mm
        x = FRAME_WIDTH - size if c.x.rtl else 0
        drawing.add(Rect(x, y, size, BAND_HEIGHT, fillColor=BAND, strokeColor=None))
        drawing.add(String(x + 1.5 * mm, y + 1.5 * mm, label, fontName=bold, fontSize=7.5, fillColor=NAVY))
    for post in all_posts:
        x, y = found.boxes[post.index]
        drawing.add(post_box(c, post, (FRAME_WIDTH - x - width if c.x.rtl else x, y), width, regular, bold))
    return drawing


def post_box(c: Ctx, post: Post, at: tuple[float, float], width: float, regular: str, bold: str):
    """One box: the call sign on top in bold, the role title (up to three lines), the name."""
    from reportlab.graphics.shapes import Group

    x, y = at
    group = Group(Rect(x, y, width, BOX_HEIGHT, fillColor="white", strokeColor=NAVY, strokeWidth=0.7))
    inner = width - 4
    lines = [(post.call_sign and c.x.shape(post.call_sign), bold, SIGN_SIZE, NAVY)] if post.call_sign else []
    lines += [
        (line, regular, TITLE_SIZE, INK) for line in wrapped(c, post.title, regular, TITLE_SIZE, inner, TITLE_LINES)
    ]
    lines += [(line, regular, NAME_SIZE, MUTED) for line in wrapped(c, post.name, regular, NAME_SIZE, inner, 1)]
    top = y + BOX_HEIGHT - 2 - LINE + 1.5
    for number, (text, font, size, colour) in enumerate(lines):
        group.add(
            String(
                x + width / 2,
                top - number * LINE,
                text,
                fontName=font,
                fontSize=size,
                fillColor=colour,
                textAnchor="middle",
            )
        )
    return group


def command_structure(c: Ctx) -> list[Flowable]:
    out: list[Flowable] = [c.heading(c.t("ops_command_structure"), 1), c.p(c.t("ops_command_intro"))]
    found = posts(c)
    withheld = c.r.withheld.get("contacts", 0)
    if withheld:
        out.append(c.p(c.t("contacts_withheld", count=c.n(withheld)), c.s.small))
    if not found:
        return out if withheld else out + [c.p(c.t("ops_no_contacts"))]
    diagram = command_diagram(c, found)
    room = PAGE_HEIGHT - 2 * 18 * mm - 30 * mm
    if diagram.height > room:  # a structure too tall for a page is scaled to fit it, never cut
        scale = room / diagram.height
        diagram.scale(scale, scale)
        diagram.width, diagram.height = diagram.width * scale, diagram.height * scale
    return out + [CondPageBreak(diagram.height + 4 * mm), diagram]


# -- call signs and channels --------------------------------------------------------------------
def call_signs(c: Ctx) -> list[Flowable]:
    """Role, name, call sign, channel, what the channel is for, phone; then the channel list."""
    contacts = c.plan.venue.get("contacts") or []
    channels = {ch.get("id"): ch for ch in c.plan.venue.get("radio_channels") or []}
    out: list[Flowable] = [c.heading(c.t("ops_call_signs"), 1)]
    if contacts:
        rows = [
            [
                c.role(str(p.get("role", ""))),
                p.get("name", ""),
                c.p(p.get("call_sign", ""), c.s.cell_bold),
                p.get("radio", ""),
                purpose(c, channels.get(p.get("radio"))),
                p.get("phone", ""),
            ]
            for p in contacts
        ]
        header = ["col_role", "col_name", "ops_col_call_sign", "ops_col_channel", "ops_col_purpose", "col_phone"]
        out.append(c.table([c.t(h) for h in header], rows, w(0.25, 0.19, 0.12, 0.12, 0.15, 0.17)))
    if channels:
        rows = [[ch["id"], purpose(c, ch), c.localized(ch, "note")[0]] for ch in channels.values()]
        header = [c.t("ops_col_channel"), c.t("ops_col_purpose"), c.t("col_note")]
        out += [c.heading(c.t("ops_channels"), 2, toc=False), c.table(header, rows, w(0.2, 0.3, 0.5))]
    return out


def purpose(c: Ctx, channel: dict | None) -> str:
    return c.t(f"ops_channel_{channel['purpose']}") if channel and channel.get("purpose") else ""


# -- the day ------------------------------------------------------------------------------------
def stage(c: Ctx, match: dict) -> str:
    return c.t(f"ops_stage_{match['stage']}" if match.get("stage") else "ops_stage_none")


def clock(c: Ctx, entry, day: str) -> str:
    """HH:MM, with the date when the entry falls on another day than the match; * when planned.
    An item's time is its deadline, so it reads "by HH:MM"."""
    said = entry.at.strftime("%H:%M")
    if entry.at.date().isoformat() != day:
        said += f" ({c.d(entry.at.date().isoformat())})"
    if entry.kind == "item":
        said = c.t("ops_due_by", time=said)
    return said + (" *" if entry.planned else "")


def event(c: Ctx, entry) -> tuple[str, str]:
    """What happens (an item: its id and title) and who owns it."""
    if entry.kind == "item":
        item = c.plan.item(entry.item)
        title = c.localized(item.fields, "title")[0] if item else ""
        return f"{entry.item} — {title}", c.role(entry.owner) if entry.owner else ""
    if entry.kind == "stands_clear":
        return c.t("ops_event_stands_clear", minutes=c.n(entry.minutes, 1)), ""
    return c.t(f"ops_event_{entry.kind}"), ""


def timeline(c: Ctx) -> list[Flowable]:
    match = c.plan.match
    if not match:
        return []
    day = match["date"]
    rows = []
    for entry in c.r.operations.timeline:
        what, owner = event(c, entry)
        bold = entry.kind != "item"
        rows.append([clock(c, entry, day), c.p(what, c.s.cell_bold) if bold else what, owner])
    header = [c.t("ops_col_time"), c.t("ops_col_event"), c.t("col_owner")]
    return [c.heading(c.t("ops_timeline"), 1), c.p(c.t("ops_timeline_intro"), c.s.small)] + c.table_of_rows(
        header, rows, w(0.2, 0.53, 0.27)
    )


def deployment(c: Ctx) -> list[Flowable]:
    """The stewarding deployment the safety engine gives for this match (its own heading left
    out: the order's heading says deployment by sector)."""
    safety = c.r.safety
    if safety is None or safety.deployment is None:
        return []
    return [c.heading(c.t("ops_deployment"), 1), *deployment_table(c, safety.deployment)[1:]]


# -- forms --------------------------------------------------------------------------------------
def decision_log(c: Ctx) -> list[Flowable]:
    """Two blank pages of the decision log, ruled for handwriting."""
    header = [
        c.t("ops_col_log_no"),
        c.t("ops_col_time"),
        c.t("ops_col_decision"),
        c.t("ops_col_rationale"),
        c.t("ops_col_decided_by"),
    ]
    rows_per_page = int((PAGE_HEIGHT - 2 * 18 * mm - 40 * mm) // DECISION_ROW)
    out: list[Flowable] = []
    for page in range(DECISION_LOG_PAGES):
        table = c.table(
            header,
            [[""] * 5 for _ in range(rows_per_page)],
            w(0.09, 0.09, 0.34, 0.3, 0.18),
            zebra=False,
            row_height=DECISION_ROW,
        )
        table.setStyle(TableStyle([("GRID", (0, 1), (-1, -1), 0.5, RULE)]))
        out += [PageBreak(), c.heading(c.t("ops_decision_log"), 1, toc=page == 0)]
        out += [c.p(c.t("ops_decision_log_intro"), c.s.small), table]
    return out


def amendment_record(c: Ctx) -> list[Flowable]:
    record = c.r.operations.amendments
    header = [c.t("ops_col_version"), c.t("col_date"), c.t("ops_col_by"), c.t("ops_col_summary")]
    widths = w(0.14, 0.14, 0.22, 0.5)
    out: list[Flowable] = [
        CondPageBreak(60 * mm),
        c.heading(c.t("ops_amendments"), 1),
        c.p(c.t(f"ops_amendments_{record.source}"), c.s.small),
    ]
    if c.r.withheld.get("amendments"):
        out.append(c.p(c.t("withheld_items", count=c.n(c.r.withheld["amendments"])), c.s.small))
    if not record.entries:
        table = c.table(header, [[""] * 4 for _ in range(AMENDMENT_BLANK_ROWS)], widths, zebra=False, row_height=9 * mm)
        table.setStyle(TableStyle([("GRID", (0, 1), (-1, -1), 0.5, RULE)]))
        return out + [table]
    rows = [
        [a.version, c.d(a.date) if a.date else "", localized_revision(c, a, "by"), localized_revision(c, a, "summary")]
        for a in record.entries
    ]
    return out + [c.table(header, rows, widths)]


def localized_revision(c: Ctx, amendment, field: str) -> str:
    return c.localized({"translations": amendment.translations, field: getattr(amendment, field)}, field)[0]


# -- the orders ---------------------------------------------------------------------------------
def order_heading(c: Ctx) -> list[Flowable]:
    match = c.plan.match
    intro = c.t(
        "ops_order_intro", match=match["id"], date=c.d(match["date"]), kickoff=match["kickoff"], stage=stage(c, match)
    )
    return [c.heading(c.t("ops_order_title", match=match["id"]), 0), c.p(intro)]


def operations_order(c: Ctx, match_id: str) -> list[Flowable]:
    """The full order of one match (the report is that match's): every part, in order."""
    return [
        *order_heading(c),
        *command_structure(c),
        PageBreak(),
        *call_signs(c),
        CondPageBreak(80 * mm),
        *contingency_index(c, level=1),
        *risk_register(c, match_id),
        CondPageBreak(80 * mm),
        *deployment(c),
        CondPageBreak(80 * mm),
        *timeline(c),
        *execution_record(c, match_id, level=1),
        *decision_log(c),
        PageBreak(),
        *amendment_record(c),
    ]


def match_operations(c: Ctx) -> list[Flowable]:
    """The venue plan's chapter: command structure, call signs and the contingency index once,
    then each match's short order: its go/no-go, risk register, timeline, execution record once
    it has started (the blank checklist of an upcoming match is in its own order, ``render
    --match``) and deployment. A match's heading mixes its id and date with the plan's script,
    so it and what it holds stay out of the outline, whose entries must read as the heading
    draws them in every direction (tests/test_render_document.py)."""
    out: list[Flowable] = [PageBreak(), c.heading(c.t("ops_chapter"), 0), c.p(c.t("ops_chapter_intro"))]
    out += command_structure(c) + [CondPageBreak(60 * mm)] + call_signs(c)
    out += [CondPageBreak(80 * mm), *contingency_index(c, level=1)]
    if c.r.withheld.get("risks"):
        out.append(c.p(c.t("riskreg_withheld", count=c.n(c.r.withheld["risks"])), c.s.small))
    for report in c.r.operations.matches:
        match_c = Ctx(report, c.s, c.x)
        match = report.plan.match
        heading = c.t("ops_match_order", match=match["id"], date=c.d(match["date"]))
        out += [
            PageBreak(),
            c.heading(heading, 1, toc=False),
            c.p(
                c.t(
                    "ops_order_intro",
                    match=match["id"],
                    date=c.d(match["date"]),
                    kickoff=match["kickoff"],
                    stage=stage(c, match),
                )
            ),
        ]
        out += [*match_record(c, match["id"]), *risk_register(c, match["id"], level=2, toc=False)]
        out += [Spacer(1, 2 * mm), *timeline_only(match_c), *deployment_only(match_c)]
    return out


def match_record(c: Ctx, match_id: str) -> list[Flowable]:
    """A match's go/no-go in the venue plan: its execution record once it has started, else its
    verdict as of the plan's date with the reasons, and where its blank checklist is."""
    match = next((m for m in c.r.matches if m.match == match_id), None)
    if match is None:
        return []
    if match.phase != UPCOMING:
        return execution_record(c, match_id, level=2, toc=False)
    out = [c.p(c.t("execution_verdict_upcoming", as_of=c.d(c.r.as_of), verdict=c.t(f"verdict_{match.verdict}")))]
    if match.reason_codes:
        reasons = [c.m(Message(key, values)) for key, values in match.reason_codes]
        shown = "; ".join(reasons[:6]) + (" …" if len(reasons) > 6 else "")
        out.append(c.p(shown, c.s.body, bold_prefix=c.t("verdict_reasons") + ": "))
    return out + [c.p(c.t("ops_checklist_in_order", match=match_id), c.s.small)]


def timeline_only(c: Ctx) -> list[Flowable]:
    """The match's timeline in short (the venue plan's order): one row per time, the items due
    then by id (the domain chapters give their titles and owners)."""
    match = c.plan.match
    rows: list[list] = []
    for entry in c.r.operations.timeline:
        when = clock(c, entry, match["date"])
        if entry.kind == "item" and rows and rows[-1][0] == when and isinstance(rows[-1][1], str):
            rows[-1][1] += f", {entry.item}"
        elif entry.kind == "item":
            rows.append([when, entry.item])
        else:
            rows.append([when, c.p(event(c, entry)[0], c.s.cell_bold)])
    header = [c.t("ops_col_time"), c.t("ops_col_event")]
    table = c.table_of_rows(header, rows, w(0.2, 0.8))
    return [c.heading(c.t("ops_timeline"), 2, toc=False), c.p(c.t("ops_timeline_intro"), c.s.small), *table]


def deployment_only(c: Ctx) -> list[Flowable]:
    parts = deployment(c)
    return [CondPageBreak(60 * mm), c.heading(c.t("ops_deployment"), 2, toc=False), *parts[1:]] if parts else []


def order_cover(c: Ctx) -> list[Flowable]:
    """The cover of a match's operations order: marking, tournament, "Operations order — m024",
    venue, date and kick-off, plan version, as-of date and classification."""
    from reportlab.platypus import Table

    from eventsec.render.styles import NAVY as BADGE

    match = c.plan.match
    marking = c.level(c.r.marking)
    badge = Table([[c.p(marking, c.s.centered)]], colWidths=[FRAME_WIDTH], rowHeights=[10 * mm])
    badge.setStyle(
        TableStyle([c.font_command(), ("BACKGROUND", (0, 0), (-1, -1), BADGE), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    )
    return [
        badge,
        Spacer(1, 40 * mm),
        c.p(c.names.tournament(), c.s.cover_line),
        c.p(c.t("ops_order_title", match=match["id"]), c.s.cover_title),
        c.p(c.names.venue(), c.s.h1),
        c.p(c.t("cover_venue_line", city=c.names.venue_field("city"), country=c.names.country()), c.s.cover_line),
        c.p(f"{c.d(match['date'])} · {match['kickoff']} · {stage(c, match)}", c.s.cover_line),
        Spacer(1, 12 * mm),
        c.p(c.t("cover_version", version=c.r.plan_version), c.s.cover_line),
        c.p(c.t("cover_as_of", date=c.d(c.r.as_of)), c.s.cover_line),
        c.p(c.t("cover_classification", level=marking), c.s.cover_line),
        PageBreak(),
    ]
