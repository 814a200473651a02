"""The contingency index: one table, one row per contingency, with its trigger, who decides, the
first actions in order, the venue's code word (or the message type) and the items that prepare
it, those removed or not applicable at the venue marked.

It reads the released plan: a release has already withheld code words, contingencies and
preparing items above its level (release/redact.py); this module only says how many.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from eventsec.plan.model import PRESENT, PreparingItem, ResolvedContingency
from eventsec.render.context import Ctx, w

WIDTHS = (0.15, 0.18, 0.13, 0.29, 0.14, 0.11)
"""Column fractions of the A4 portrait frame: the first actions get the widest column, the item
ids (short, unbreakable) the narrowest."""

WITHHELD_NOTES = ("contingencies", "contingency_codes", "contingency_items")
"""What a release may leave out of the index, each said in a note under it."""


def contingency_index(c: Ctx, level: int = 0) -> list[Flowable]:
    """The index as a section of the plan (a heading of ``level``), a line on how to read it, the
    table, and a note for whatever the release withheld."""
    out: list[Flowable] = [c.heading(c.t("contingency_index"), level), c.p(c.t("contingency_intro"))]
    rows = [row(c, contingency) for contingency in c.plan.contingencies]
    if rows:
        header = [
            c.t(f"contingency_col_{name}") for name in ("contingency", "trigger", "decides", "actions", "code", "items")
        ]
        out.append(c.table(header, rows, w(*WIDTHS)))
    elif not c.r.withheld.get("contingencies"):
        out.append(c.p(c.t("contingency_none")))
    for what in WITHHELD_NOTES:
        if c.r.withheld.get(what):
            out.append(c.p(c.t(f"contingency_withheld_{what}", count=c.n(c.r.withheld[what])), c.s.small))
    return out


def row(c: Ctx, contingency: ResolvedContingency) -> list[list[Flowable]]:
    """One contingency's cells, in reading order."""
    entry = contingency.entry
    title = c.localized(entry, "title")[0]
    trigger = c.localized(entry, "trigger")[0]
    return [
        [c.p(title, c.s.cell_bold), c.p(contingency.id, c.s.small)],
        [c.p(trigger, c.s.cell)],
        deciders(c, entry),
        [c.p(f"{number}. {step}", c.s.cell) for number, step in enumerate(first_actions(c, entry), start=1)],
        code_cell(c, contingency),
        items_cell(c, contingency),
    ]


def first_actions(c: Ctx, entry: dict) -> list[str]:
    """The steps in the plan's language: a translation replaces the whole list (its steps may be
    split differently), English when it has none."""
    if c.r.lang != "en":
        translated = ((entry.get("translations") or {}).get(c.r.lang) or {}).get("first_actions")
        if translated:
            return [str(step) for step in translated]
    return [str(step) for step in entry.get("first_actions") or []]


def deciders(c: Ctx, entry: dict) -> list[Flowable]:
    """The decision-maker's role title, and who decides in their absence or once they have handed
    control over, when the contingency names one."""
    cell = [c.p(c.role(str(entry.get("decision_maker", ""))), c.s.cell_bold)]
    if entry.get("alternate_decision_maker"):
        cell.append(c.p(c.t("contingency_alternate", role=c.role(str(entry["alternate_decision_maker"]))), c.s.small))
    return cell


def code_cell(c: Ctx, contingency: ResolvedContingency) -> list[Flowable]:
    """The venue's code word as written (never translated), or that the venue set none; the
    message type under it."""
    code = contingency.code
    said = c.p(code, c.s.cell_bold) if code else c.p(c.t("contingency_no_code"), c.s.small)
    return [said, c.p(c.localized(contingency.entry, "message")[0], c.s.cell)]


def items_cell(c: Ctx, contingency: ResolvedContingency) -> list[Flowable]:
    """The preparing items' ids, each not present at this venue with its state; a line saying that
    nothing here prepares it when none is present."""
    lines = [item_line(c, item) for item in contingency.items]
    cell = [c.p("\n".join(lines), c.s.cell)] if lines else []
    if contingency.items and not contingency.prepared:
        cell.append(c.p(c.t("contingency_unprepared"), c.s.small))
    return cell


def item_line(c: Ctx, item: PreparingItem) -> str:
    """An item id, with its state when it is not present (✗ removed, not applicable, not in the plan)."""
    if item.state == PRESENT:
        return item.id
    return f"✗ {item.id} ({c.t(f'contingency_state_{item.state}')})"
