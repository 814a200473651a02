"""A match's execution record: what a match commander prints and signs for one match.

For a match played or in progress, each match-day item with its due time (venue time), when it
was done, by whom and its state (done, late, missed, not yet due), with the match's verdict and
reasons. For an upcoming match, the same rows blank: the checklist to fill in on the day. Both
read the released report (release/redact.py has already withheld what this level may not show).
"""

from __future__ import annotations

from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable

from eventsec.assess.readiness.matches import DONE, LATE, NOT_DUE, OVERDUE, UPCOMING, ExecutionRow, MatchReadiness
from eventsec.i18n.message import Message
from eventsec.render.context import Ctx, w

BOXES = {DONE: "☑", LATE: "☑", OVERDUE: "☒"}


def execution_record(c: Ctx, match_id: str, level: int = 0, toc: bool = True) -> list[Flowable]:
    """The execution record of ``match_id``, or its blank checklist before it starts; [] for a
    match the report does not carry."""
    match = next((m for m in c.r.matches if m.match == match_id), None)
    if match is None:
        return []
    upcoming = match.phase == UPCOMING
    kickoff = _local(match.kickoff)
    out: list[Flowable] = [
        CondPageBreak(60 * mm),
        c.heading(c.t("execution_checklist" if upcoming else "execution_record"), level, toc=toc),
        c.p(
            c.t(
                "execution_intro_upcoming" if upcoming else "execution_intro_played",
                kickoff=kickoff,
                as_of=c.r.as_of,
                match=match_id,
            )
        ),
        c.p(_summary(c, match)),
    ]
    if match.reason_codes:
        reasons = [c.m(Message(key, values)) for key, values in match.reason_codes]
        shown = "; ".join(reasons[:6]) + (" …" if len(reasons) > 6 else "")
        out.append(c.p(shown, c.s.body, bold_prefix=c.t("verdict_reasons") + ": "))
    if not match.rows:
        return out + [c.p(c.t("execution_none"))]
    header = [
        c.t("col_check"),
        c.t("col_id"),
        c.t("col_item"),
        c.t("execution_col_due"),
        c.t("execution_col_done_at"),
        c.t("execution_col_by"),
        c.t("col_status"),
    ]
    rows = [_row(c, match, row, upcoming) for row in match.rows]
    out.append(c.table(header, rows, w(0.04, 0.1, 0.33, 0.135, 0.135, 0.155, 0.105)))
    withheld = c.r.withheld.get(f"execution:{match_id}", 0)
    if withheld:
        out.append(c.p(c.t("withheld_items", count=c.n(withheld)), c.s.small))
    return out


def _summary(c: Ctx, match: MatchReadiness) -> str:
    verdict = c.t("verdict_" + match.verdict)
    if match.phase == UPCOMING:
        return c.t("execution_verdict_upcoming", as_of=c.r.as_of, verdict=verdict)
    counts = {state.replace("-", "_"): c.n(match.count(state)) for state in (DONE, LATE, OVERDUE, NOT_DUE)}
    return c.t("execution_summary", verdict=verdict, **counts)


def _row(c: Ctx, match: MatchReadiness, row: ExecutionRow, blank: bool) -> list[str]:
    title = c.localized(row.item.fields, "title")[0]
    criticality = "*" if row.criticality == "critical" else ""
    due = _local(row.due, match.kickoff)
    if blank:
        return ["☐", row.item.id + criticality, title, due, "", "", ""]
    at = _local(row.at, match.kickoff) if row.at else ""
    by = (row.entry or {}).get("by", "") if row.at else ""
    return [
        BOXES.get(row.state, "☐"),
        row.item.id + criticality,
        title,
        due,
        at,
        by,
        c.t(f"execution_state_{row.state}"),
    ]


def _local(moment: datetime, day_of: datetime | None = None) -> str:
    """Venue time: HH:MM on the match's own day, else with the date (an MD-24h or MD+24h row)."""
    if day_of is not None and moment.astimezone(day_of.tzinfo).date() == day_of.date():
        return moment.astimezone(day_of.tzinfo).strftime("%H:%M")
    zone = day_of.tzinfo if day_of is not None else moment.tzinfo
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")
