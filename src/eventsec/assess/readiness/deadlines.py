"""When an item is due, in the venue's time zone.

* ``T-Nd``: by the end of the day (24:00 local) N days before the venue's first match day,
  shown as that day (T-1d of a first match on 16 June is shown 2030-06-15).
* ``MD-Nh``, ``MD``, ``MD+Nh``: relative to each match's local kick-off; an item has one
  deadline per match.
* ``post``: by the end of the day ``POST_TOURNAMENT_DAYS`` days after the tournament's last day.
* ``due_before: [{milestone, days}]`` (T-phases only): also by the end of the day ``days``
  (default 1) before each tournament milestone named; the deadline is the earliest of these and
  the phase, and says which clock set it. A milestone the tournament does not declare is
  skipped (validate warns, ``milestone-missing``), so the library works without it.

``as of`` a date means the start of that day in the venue's time zone (what is overdue that
morning); an ISO date-time with an offset is an exact instant.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from eventsec.errors import ContentError
from eventsec.i18n import Catalog
from eventsec.i18n.message import Message, Translated
from eventsec.plan.phases import Phase, local_kickoff, parse_phase
from eventsec.vocabulary import STANDARD_MILESTONES

POST_TOURNAMENT_DAYS = 30
"""Days after the tournament's last day by which ``post`` items (debriefs, audits) are due."""


class DeadlineError(ContentError, ValueError):
    """A venue whose time zone or matches cannot give deadlines."""


@dataclass(frozen=True)
class Milestone:
    """A tournament milestone as a deadline names it: a standard one by its catalog name, the
    tournament's own by its title (and that title's translations)."""

    id: str
    day: date
    title: Translated | None = None

    def name(self, catalog: Catalog) -> str:
        if self.id in STANDARD_MILESTONES:
            return catalog.t(f"milestone_{self.id}")
        return self.title.say(catalog.lang) if self.title else self.id


@dataclass(frozen=True)
class Bound:
    """Which clock set the deadline of an item with two (a ``due_before`` as well as its phase):
    the phase (``milestone`` None) or that milestone, ``days`` ahead of it."""

    phase: str
    milestone: Milestone | None = None
    days: int = 1

    def to_dict(self) -> dict:
        if self.milestone is None:
            return {"clock": "phase", "phase": self.phase}
        return {"clock": "milestone", "milestone": self.milestone.id, "days": self.days}


@dataclass(frozen=True)
class Deadline:
    """One due instant, and the match it belongs to for match-day phases.

    A T-phase or post deadline is the end of a day (24:00 local), which is the next day's
    00:00: printed as that instant's date it would read one day late ("T-1d" on the first match
    day). ``whole_day`` deadlines are therefore shown as their last day (:attr:`day`)."""

    due: datetime
    match: str | None = None
    whole_day: bool = False
    bound: Bound | None = None
    """Set for an item due before a milestone too: which of its clocks gave ``due``."""

    @property
    def day(self) -> date:
        """The last local day on which the work is due (for a 24:00 deadline, the day before)."""
        return (self.due - timedelta(days=1)).date() if self.whole_day else self.due.date()

    def shown(self) -> str:
        """How plans and the console print it: the last day for whole-day deadlines, else the
        local date and time (HH:MM) of the match-day instant."""
        return self.day.isoformat() if self.whole_day else self.due.strftime("%Y-%m-%d %H:%M")

    def clock(self, catalog: Catalog) -> str | None:
        """The clock that set it, for an item due before a milestone too ("before ticket
        on-sale", "14 days before the draw", "T-480d"), in the catalog's language; else None."""
        if self.bound is None:
            return None
        if self.bound.milestone is None:
            return self.bound.phase
        return milestone_clock(catalog, self.bound.milestone.name(catalog), self.bound.days)

    def said(self, catalog: Catalog) -> str:
        """:meth:`shown`, after the clock that set it when the item has two ("before ticket
        on-sale, 2029-05-31"; "T-480d, 2029-02-08")."""
        clock = self.clock(catalog)
        return self.shown() if clock is None else catalog.t("milestone_due", clock=clock, date=self.shown())


def milestone_clock(catalog: Catalog, milestone: str, days: int) -> str:
    """A milestone clock in the catalog's language: "before ticket on-sale", "14 days before the draw"."""
    return catalog.message(Message("milestone_clock", {"count": days, "milestone": milestone}))


def venue_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise DeadlineError(f"unknown time zone '{name}' (use an IANA name such as Europe/Madrid)") from None


def kickoffs(venue: dict) -> list[tuple[str, datetime]]:
    """(match id, local kick-off) for every match of the venue, earliest first."""
    zone = venue_zone(venue["timezone"])
    found = [(match["id"], local_kickoff(match, zone)) for match in venue.get("matches") or []]
    return sorted(found, key=lambda pair: pair[1])


def end_of_day(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=zone)


def deadlines(phase: Phase | str, venue: dict, tournament_end: str) -> list[Deadline]:
    """Every deadline of ``phase`` at ``venue`` (one per match for match-day phases)."""
    phase = parse_phase(phase) if isinstance(phase, str) else phase
    zone = venue_zone(venue["timezone"])
    matches = kickoffs(venue)
    if phase.anchor == "post":
        last_day = date.fromisoformat(tournament_end) + timedelta(days=POST_TOURNAMENT_DAYS)
        return [Deadline(end_of_day(last_day, zone), whole_day=True)]
    if not matches:
        raise DeadlineError(f"venue '{venue['id']}' has no matches, so '{phase.text}' has no date")
    if phase.anchor == "T":
        first_day = matches[0][1].date()
        return [Deadline(end_of_day(first_day + phase.offset, zone), whole_day=True)]
    return [Deadline(kickoff + phase.offset, match_id) for match_id, kickoff in matches]


def milestones(tournament: Mapping) -> dict[str, Milestone]:
    """The tournament's milestones by id (validate refuses duplicates and malformed dates)."""
    found = {}
    for entry in tournament.get("milestones") or []:
        title = Translated.of(entry, "title") if entry.get("title") else None
        found[entry["id"]] = Milestone(entry["id"], date.fromisoformat(str(entry["date"])), title)
    return found


def item_deadlines(fields: Mapping, venue: dict, tournament: Mapping) -> list[Deadline]:
    """Every deadline of an item at ``venue``: its phase's, or for a T-phase item due before
    milestones the earliest of its phase and each milestone the tournament declares."""
    phase = parse_phase(fields["phase"])
    found = deadlines(phase, venue, tournament["dates"]["end"])
    uses = fields.get("due_before") or []
    if phase.anchor != "T" or not uses:
        return found
    zone = venue_zone(venue["timezone"])
    declared = milestones(tournament)
    best = Deadline(found[0].due, whole_day=True, bound=Bound(phase.text))
    for use in uses:
        milestone = declared.get(use["milestone"])
        if milestone is None:
            continue
        days = int(use.get("days", 1))
        due = end_of_day(milestone.day - timedelta(days=days), zone)
        if due < best.due:
            best = Deadline(due, whole_day=True, bound=Bound(phase.text, milestone, days))
    return [best]


def as_of_instant(text: str, zone: ZoneInfo) -> datetime:
    """``YYYY-MM-DD`` → the start of that day in ``zone``; an ISO date-time → that instant."""
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), time(0, 0), tzinfo=zone)
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def today_utc() -> str:
    return datetime.now(timezone.utc).date().isoformat()
