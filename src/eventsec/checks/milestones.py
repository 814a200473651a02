"""Tournament milestones and the items due before them: ids that exist, dates before the
tournament, one declaration per id, and a warning where a tournament lacks a milestone its
items use (their phase alone then sets their deadline)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from eventsec.checks.references import all_items, overlay_writes
from eventsec.checks.rule import Rule, rule
from eventsec.checks.venues import iso_day
from eventsec.findings import Finding, Location, Severity
from eventsec.load.documents import Document
from eventsec.load.index import Entry, Index
from eventsec.vocabulary import STANDARD_MILESTONES, did_you_mean


def _declared(tournament: Document) -> list[tuple[int, dict]]:
    """(position, milestone) for each milestone the tournament declares."""
    found = tournament.data.get("milestones") or []
    return [(n, m) for n, m in enumerate(found) if isinstance(m, dict) and isinstance(m.get("id"), str)]


def _due_before(index: Index) -> Iterator[tuple[str, str, Location]]:
    """(item id, milestone id, where it is named) for every ``due_before`` entry of a library
    item, an added item or an overlay ``set``, library first."""
    written: list[tuple[Entry, tuple, Any, Any]] = [
        (item, ("due_before",), item.value.get("due_before"), item.value.get("id")) for _, item in all_items(index)
    ]
    written += [
        (entry, steps, uses, entry.value.get("item"))
        for entry, steps, uses in overlay_writes(index, "due_before", ("fields",))
    ]
    for entry, steps, uses, item_id in written:
        for position, use in enumerate(uses if isinstance(uses, list) else []):
            if isinstance(use, dict) and isinstance(use.get("milestone"), str):
                yield str(item_id), use["milestone"], entry.at(*steps, position, "milestone")


def _users(index: Index) -> dict[str, list[str]]:
    """The ids of the items due before each milestone, each id once, in the order named."""
    users: dict[str, list[str]] = {}
    for item_id, milestone, _ in _due_before(index):
        if item_id not in users.setdefault(milestone, []):
            users[milestone].append(item_id)
    return users


@rule(
    "milestone-unknown",
    Severity.ERROR,
    "An item is due before a standard milestone or one the tournament declares.",
    explanation="A `due_before` names a milestone: one of the standard set (draw, ticket-on-sale, accreditation-opening, test-event, venue-handover, team-arrivals) or one the tournament declares under `milestones:`. Any other id is a misspelling, and the item would silently keep its phase deadline.",
    failing="due_before: [{milestone: ticket-onsale, days: 14}]\n",
    fixed="due_before: [{milestone: ticket-on-sale, days: 14}]\n",
)
def milestone_unknown(r: Rule, index: Index) -> Iterator[Finding]:
    known = set(STANDARD_MILESTONES) | {m["id"] for t in index.tournaments() for _, m in _declared(t)}
    for _, milestone, location in _due_before(index):
        if milestone not in known:
            yield r.finding(
                location,
                f"milestone '{milestone}' is neither a standard milestone nor declared by the tournament",
                did_you_mean(milestone, known)
                or f"use one of {', '.join(STANDARD_MILESTONES)}, or declare it in the tournament's milestones",
            )


@rule(
    "milestone-missing",
    Severity.WARNING,
    "The tournament declares every standard milestone its items are due before.",
    explanation="An item due before a standard milestone the tournament does not declare keeps only its phase deadline: the library works for any tournament, but the planner should know which items lose their earlier clock (warning). Declare the milestone's date, even as a planning assumption.",
    failing="# an item has due_before: [{milestone: ticket-on-sale}]\nmilestones: []\n",
    fixed="milestones:\n  - {id: ticket-on-sale, date: '2025-01-15', note: Planning assumption.}\n",
)
def milestone_missing(r: Rule, index: Index) -> Iterator[Finding]:
    users = _users(index)
    for tournament in index.tournaments():
        declared = {m["id"] for _, m in _declared(tournament)}
        where = (
            tournament.locate(("milestones",), key=True)
            if "milestones" in tournament.data
            else tournament.locate(("id",))
        )
        for milestone in STANDARD_MILESTONES:
            if milestone in users and milestone not in declared:
                items = users[milestone]
                yield r.finding(
                    where,
                    f"the tournament does not declare milestone '{milestone}': {', '.join(items)} "
                    f"{'falls' if len(items) == 1 else 'fall'} due by {'its' if len(items) == 1 else 'their'} phase alone",
                    f"add '- {{id: {milestone}, date: YYYY-MM-DD}}' under milestones:",
                )


@rule(
    "milestone-duplicate",
    Severity.ERROR,
    "A tournament declares each milestone once.",
    explanation="Two dates for one milestone would make every deadline that depends on it ambiguous.",
    failing="milestones:\n  - {id: draw, date: '2024-12-01'}\n  - {id: draw, date: '2025-01-10'}\n",
    fixed="milestones:\n  - {id: draw, date: '2024-12-01'}\n",
)
def milestone_duplicate(r: Rule, index: Index) -> Iterator[Finding]:
    for tournament in index.tournaments():
        first: dict[str, int] = {}
        for position, milestone in _declared(tournament):
            if milestone["id"] in first:
                line = tournament.locate(("milestones", first[milestone["id"]])).line
                yield r.finding(
                    tournament.locate(("milestones", position, "id")),
                    f"milestone '{milestone['id']}' is already declared at line {line}",
                    "keep one date per milestone; give another event its own id and title",
                )
            first.setdefault(milestone["id"], position)


@rule(
    "milestone-date",
    Severity.ERROR,
    "Every milestone falls on or before the tournament's first day.",
    explanation="Milestones are the preparation's clock: items due before a milestone after the tournament has started would be due after the matches they prepare.",
    failing="# tournament dates: {start: '2025-06-01', end: '2025-06-30'}\nmilestones:\n  - {id: team-arrivals, date: '2025-06-10'}\n",
    fixed="milestones:\n  - {id: team-arrivals, date: '2025-05-25'}\n",
)
def milestone_date(r: Rule, index: Index) -> Iterator[Finding]:
    for tournament in index.tournaments():
        start = iso_day((tournament.data.get("dates") or {}).get("start"))
        for position, milestone in _declared(tournament):
            day = iso_day(milestone.get("date"))
            if start and day and day > start:
                yield r.finding(
                    tournament.locate(("milestones", position, "date")),
                    f"milestone '{milestone['id']}' ({day}) falls after the tournament starts ({start})",
                    "correct the date; work after the start is due relative to the matches (MD phases) instead",
                )


@rule(
    "milestone-phase",
    Severity.ERROR,
    "Only an item with a T-Nd phase is due before a milestone.",
    explanation="`due_before` moves a preparation deadline (T-Nd) earlier. A match-day item is due at each match and a post item after the tournament, so a milestone before the tournament cannot bind them.",
    failing="phase: MD-4h\ndue_before: [{milestone: ticket-on-sale}]\n",
    fixed="phase: T-200d\ndue_before: [{milestone: ticket-on-sale}]\n",
)
def milestone_phase(r: Rule, index: Index) -> Iterator[Finding]:
    phases = {str(item.value.get("id")): item.value.get("phase") for _, item in all_items(index)}
    written: list[tuple[Entry, tuple, Any, Any]] = [
        (item, ("due_before",), item.value.get("due_before"), item.value.get("phase")) for _, item in all_items(index)
    ]
    written += [
        (entry, steps, uses, (entry.value.get("fields") or {}).get("phase", phases.get(str(entry.value.get("item")))))
        for entry, steps, uses in overlay_writes(index, "due_before", ("fields",))
    ]
    for entry, steps, uses, phase in written:
        if uses and isinstance(phase, str) and not phase.startswith("T-"):
            yield r.finding(
                entry.at(*steps),
                f"an item with phase '{phase}' cannot be due before a milestone",
                "give it a T-Nd phase, or remove due_before",
            )
