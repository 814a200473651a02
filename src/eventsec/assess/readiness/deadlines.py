"""When an item is due, in the venue's time zone.

* ``T-Nd``: by the end of the day (24:00 local) N days before the venue's first match day,
  shown as that day (T-1d of a first match on 16 June is shown 2030-06-15).
* ``MD-Nh``, ``MD``, ``MD+Nh``: relative to each match's local kick-off; an item has one
  deadline per match.
* ``post``: by the end of the day ``POST_TOURNAMENT_DAYS`` days after the tournament's last day.

``as of`` a date means the start of that day in the venue's time zone (what is overdue that
morning); an ISO date-time with an offset is an exact instant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from eventsec.errors import ContentError
from eventsec.plan.phases import Phase, local_kickoff, parse_phase

POST_TOURNAMENT_DAYS = 30
"""Days after the tournament's last day by which ``post`` items (debriefs, audits) are due."""


class DeadlineError(ContentError, ValueError):
    """A venue whose time zone or matches cannot give deadlines."""


@dataclass(frozen=True)
class Deadline:
    """One due instant, and the match it belongs to for match-day phases.

    A T-phase or post deadline is the end of a day (24:00 local), which is the next day's
    00:00: printed as that instant's date it would read one day late ("T-1d" on the first match
    day). ``whole_day`` deadlines are therefore shown as their last day (:attr:`day`)."""

    due: datetime
    match: str | None = None
    whole_day: bool = False

    @property
    def day(self) -> date:
        """The last local day on which the work is due (for a 24:00 deadline, the day before)."""
        return (self.due - timedelta(days=1)).date() if self.whole_day else self.due.date()

    def shown(self) -> str:
        """How plans and the console print it: the last day for whole-day deadlines, else the
        local date and time (HH:MM) of the match-day instant."""
        return self.day.isoformat() if self.whole_day else self.due.strftime("%Y-%m-%d %H:%M")


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


def as_of_instant(text: str, zone: ZoneInfo) -> datetime:
    """``YYYY-MM-DD`` → the start of that day in ``zone``; an ISO date-time → that instant."""
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), time(0, 0), tzinfo=zone)
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def today_utc() -> str:
    return datetime.now(timezone.utc).date().isoformat()
